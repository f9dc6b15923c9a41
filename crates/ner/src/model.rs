//! The model: one or two passes of hashed feature weights (`2^bits` rows of
//! [`NUM_TAGS`] quantised weights) with tag transition scores, decoded by
//! constrained Viterbi; its file format; and document tagging.
//!
//! File format (little-endian): `DNER1\n`, `u32` header length, JSON header
//! ([`Header`]), then per pass: `f32` scale, `(NUM_TAGS + 1) * NUM_TAGS` `f32`
//! transition scores (row `NUM_TAGS` is the sentence start), `u32` count of
//! non-zero rows, and per such row a varint row-index delta, a varint tag
//! mask and one `i16` per set bit.

use serde::{Deserialize, Serialize};

use crate::features::{doc_info, extract, prepare, DocInfo, Feats, TokInfo, G_DOC};
use crate::gazetteer::Gazetteer;
use crate::tags::{allowed, allowed_end, NUM_TAGS};

const MAGIC: &[u8] = b"DNER1\n";
pub const TRANS_LEN: usize = (NUM_TAGS + 1) * NUM_TAGS;

/// What the model file says about itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Header {
    /// Content hash of the weights: the layer component's version.
    pub version: String,
    pub bits: u32,
    pub groups: u32,
    pub passes: u32,
    /// Free-form training facts (data, epochs, scores).
    #[serde(default)]
    pub trained: serde_json::Value,
}

/// Errors reading a model file.
#[derive(Debug)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid NER model: {}", self.0)
    }
}

impl std::error::Error for ModelError {}

/// Anything that scores tags for a sentence's features.
pub trait Scorer {
    fn emissions(&self, feats: &Feats, out: &mut Vec<[f32; NUM_TAGS]>);
    fn transitions(&self) -> &[f32];
}

/// Quantised weights of one pass.
pub struct Pass {
    pub scale: f32,
    pub rows: Vec<i16>,
    pub trans: Vec<f32>,
}

impl Scorer for Pass {
    fn emissions(&self, feats: &Feats, out: &mut Vec<[f32; NUM_TAGS]>) {
        out.clear();
        for t in 0..feats.len() {
            let mut acc = [0i32; NUM_TAGS];
            for &f in feats.token(t) {
                let base = f as usize * NUM_TAGS;
                if let Some(row) = self.rows.get(base..base + NUM_TAGS) {
                    for (a, &w) in acc.iter_mut().zip(row) {
                        *a += w as i32;
                    }
                }
            }
            let mut e = [0f32; NUM_TAGS];
            for (e, a) in e.iter_mut().zip(acc) {
                *e = a as f32 * self.scale;
            }
            out.push(e);
        }
    }

    fn transitions(&self) -> &[f32] {
        &self.trans
    }
}

/// Constrained first-order Viterbi: the best well-formed BILOU sequence.
pub fn viterbi(em: &[[f32; NUM_TAGS]], trans: &[f32]) -> Vec<u8> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = [NEG; NUM_TAGS];
    let mut back: Vec<[u8; NUM_TAGS]> = vec![[0; NUM_TAGS]; n];
    for (c, s) in score.iter_mut().enumerate() {
        if allowed(None, c as u8) {
            *s = em[0][c] + trans[NUM_TAGS * NUM_TAGS + c];
        }
    }
    for t in 1..n {
        let mut next = [NEG; NUM_TAGS];
        for c in 0..NUM_TAGS {
            let mut best = NEG;
            let mut arg = 0u8;
            for p in 0..NUM_TAGS {
                if score[p] == NEG || !ALLOWED[p][c] {
                    continue;
                }
                let s = score[p] + trans[p * NUM_TAGS + c];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            if best > NEG {
                next[c] = best + em[t][c];
                back[t][c] = arg;
            }
        }
        score = next;
    }
    let mut best = NEG;
    let mut last = 0u8;
    for (c, &s) in score.iter().enumerate() {
        if allowed_end(c as u8) && s > best {
            best = s;
            last = c as u8;
        }
    }
    let mut out = vec![0u8; n];
    out[n - 1] = last;
    for t in (1..n).rev() {
        out[t - 1] = back[t][out[t] as usize];
    }
    out
}

const ALLOWED: [[bool; NUM_TAGS]; NUM_TAGS] = {
    let mut a = [[false; NUM_TAGS]; NUM_TAGS];
    let mut p = 0;
    while p < NUM_TAGS {
        let mut c = 0;
        while c < NUM_TAGS {
            // Mirrors tags::allowed (const fn-free).
            let open = p != 0 && ((p - 1) % 4 == 0 || (p - 1) % 4 == 1);
            a[p][c] = if open {
                c != 0 && (c - 1) / 4 == (p - 1) / 4 && ((c - 1) % 4 == 1 || (c - 1) % 4 == 2)
            } else {
                c == 0 || (c - 1) % 4 == 0 || (c - 1) % 4 == 3
            };
            c += 1;
        }
        p += 1;
    }
    a
};

/// A loaded model.
pub struct Model {
    pub header: Header,
    pub passes: Vec<Pass>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| ModelError("truncated".into()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError("bad varint".into()))
    }
}

/// FNV-1a 64 of bytes, for the version hash.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl Model {
    /// Serialises the model; the header's `version` is set to the hash of the
    /// weights.
    pub fn to_bytes(&mut self) -> Vec<u8> {
        let mut body = Vec::new();
        for pass in &self.passes {
            body.extend_from_slice(&pass.scale.to_le_bytes());
            for &t in &pass.trans {
                body.extend_from_slice(&t.to_le_bytes());
            }
            let rows = pass.rows.len() / NUM_TAGS;
            let nonzero = (0..rows)
                .filter(|r| {
                    pass.rows[r * NUM_TAGS..(r + 1) * NUM_TAGS]
                        .iter()
                        .any(|&w| w != 0)
                })
                .count();
            body.extend_from_slice(&(nonzero as u32).to_le_bytes());
            let mut last = 0usize;
            for r in 0..rows {
                let row = &pass.rows[r * NUM_TAGS..(r + 1) * NUM_TAGS];
                let mask = row
                    .iter()
                    .enumerate()
                    .filter(|(_, &w)| w != 0)
                    .fold(0u64, |m, (i, _)| m | (1 << i));
                if mask == 0 {
                    continue;
                }
                put_varint(&mut body, (r - last) as u64);
                last = r;
                put_varint(&mut body, mask);
                for &w in row.iter().filter(|&&w| w != 0) {
                    body.extend_from_slice(&w.to_le_bytes());
                }
            }
        }
        self.header.version = format!("{:016x}", content_hash(&body));
        let header = serde_json::to_vec(&self.header).expect("header serialises");
        let mut out = Vec::with_capacity(body.len() + header.len() + 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&body);
        out
    }

    /// Parses a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError("not a dossier NER model".into()));
        }
        let hlen = r.u32()? as usize;
        let header: Header = serde_json::from_slice(r.take(hlen)?)
            .map_err(|e| ModelError(format!("header: {e}")))?;
        if !(8..=24).contains(&header.bits) || !(1..=2).contains(&header.passes) {
            return Err(ModelError("unsupported bits or passes".into()));
        }
        let rows = 1usize << header.bits;
        let mut passes = Vec::new();
        for _ in 0..header.passes {
            let scale = r.f32()?;
            let mut trans = Vec::with_capacity(TRANS_LEN);
            for _ in 0..TRANS_LEN {
                trans.push(r.f32()?);
            }
            let nonzero = r.u32()? as usize;
            let mut weights = vec![0i16; rows * NUM_TAGS];
            let mut row = 0usize;
            for _ in 0..nonzero {
                row = row
                    .checked_add(r.varint()? as usize)
                    .filter(|&x| x < rows)
                    .ok_or_else(|| ModelError("row out of range".into()))?;
                let mask = r.varint()?;
                if mask >> NUM_TAGS != 0 {
                    return Err(ModelError("bad tag mask".into()));
                }
                for tag in 0..NUM_TAGS {
                    if mask & (1 << tag) != 0 {
                        let b = r.take(2)?;
                        weights[row * NUM_TAGS + tag] = i16::from_le_bytes([b[0], b[1]]);
                    }
                }
            }
            passes.push(Pass {
                scale,
                rows: weights,
                trans,
            });
        }
        if r.pos != bytes.len() {
            return Err(ModelError("trailing bytes".into()));
        }
        Ok(Model { header, passes })
    }

    /// BILOU tags for every sentence of one document (sentences of words).
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<u8>> {
        let gaz = Gazetteer::get();
        let infos: Vec<Vec<TokInfo>> = sentences.iter().map(|s| prepare(s, gaz)).collect();
        let groups = self.header.groups;
        let bits = self.header.bits;
        tag_prepared(&self.passes, groups, bits, &infos)
    }
}

/// Tags prepared sentences of one document with one or two passes.
pub fn tag_prepared<S: Scorer>(
    passes: &[S],
    groups: u32,
    bits: u32,
    infos: &[Vec<TokInfo>],
) -> Vec<Vec<u8>> {
    let mut feats = Feats::default();
    let mut em = Vec::new();
    let mut first: Vec<Vec<u8>> = Vec::with_capacity(infos.len());
    let Some(p1) = passes.first() else {
        return infos.iter().map(|s| vec![0; s.len()]).collect();
    };
    for toks in infos {
        extract(toks, groups & !G_DOC, bits, None, &mut feats);
        p1.emissions(&feats, &mut em);
        first.push(viterbi(&em, p1.transitions()));
    }
    let Some(p2) = passes.get(1).filter(|_| groups & G_DOC != 0) else {
        return first;
    };
    let docs: Vec<Vec<DocInfo>> = doc_info(infos, &first);
    infos
        .iter()
        .zip(&docs)
        .map(|(toks, d)| {
            extract(toks, groups, bits, Some(d), &mut feats);
            p2.emissions(&feats, &mut em);
            viterbi(&em, p2.transitions())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_table_matches_rules() {
        for (p, row) in ALLOWED.iter().enumerate() {
            for (c, &ok) in row.iter().enumerate() {
                assert_eq!(ok, allowed(Some(p as u8), c as u8), "{p} {c}");
            }
        }
    }

    #[test]
    fn viterbi_output_is_well_formed() {
        // Emissions that greedily would give I-PER first.
        let mut em = vec![[0f32; NUM_TAGS]; 3];
        em[0][2] = 5.0;
        em[1][3] = 1.0;
        em[2][0] = 1.0;
        let trans = vec![0f32; TRANS_LEN];
        let tags = viterbi(&em, &trans);
        assert!(allowed(None, tags[0]));
        assert!(tags.windows(2).all(|w| allowed(Some(w[0]), w[1])));
        assert!(allowed_end(tags[2]));
        assert!(viterbi(&[], &trans).is_empty());
    }

    #[test]
    fn round_trips_bytes_and_rejects_garbage() {
        let mut rows = vec![0i16; (1 << 8) * NUM_TAGS];
        rows[5 * NUM_TAGS + 3] = -7;
        rows[200 * NUM_TAGS + 16] = 300;
        let mut m = Model {
            header: Header {
                version: String::new(),
                bits: 8,
                groups: 1,
                passes: 1,
                trained: serde_json::Value::Null,
            },
            passes: vec![Pass {
                scale: 0.5,
                rows: rows.clone(),
                trans: vec![0.25; TRANS_LEN],
            }],
        };
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.header, m.header);
        assert_eq!(back.passes[0].rows, rows);
        for cut in [0, 3, 10, bytes.len() - 1] {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
        assert!(Model::from_bytes(b"garbage").is_err());
    }
}
