//! Feature extraction: every feature is a template id plus a few byte
//! strings, hashed (FNV-1a) into `2^bits` rows of the weight table.

use crate::gazetteer::{Gazetteer, CLASSES};
use crate::tags::tag_type;

/// Feature groups (bit flags stored in the model so inference extracts what
/// training did).
pub const G_WORD: u32 = 1;
pub const G_SHAPE: u32 = 2;
pub const G_AFFIX: u32 = 4;
pub const G_CONTEXT: u32 = 8;
pub const G_BIGRAM: u32 = 16;
pub const G_GAZ: u32 = 32;
pub const G_DOC: u32 = 64;
pub const ALL_GROUPS: u32 = 127;

/// Names of the groups, in bit order.
pub const GROUP_NAMES: [&str; 7] = [
    "word",
    "shape",
    "affix",
    "context",
    "bigram",
    "gazetteer",
    "document",
];

/// Longest prefix of a token the features look at (characters).
const MAX_CHARS: usize = 40;

/// What the features need to know about one token.
pub struct TokInfo {
    /// Lower-cased, digits as `0`, typographic quotes and dashes as ASCII.
    pub low: String,
    /// The token with typographic quotes normalised, case kept.
    pub raw: String,
    /// Character classes (`X`, `x`, `d`, punctuation kept), runs capped at 4.
    pub shape: String,
    /// Character classes with runs collapsed.
    pub short: String,
    pub flags: u8,
    /// Gazetteer matches: (class bits, position).
    pub gaz: Vec<(u16, u8)>,
}

pub const F_INIT_CAP: u8 = 1;
pub const F_ALL_CAPS: u8 = 2;
pub const F_HAS_DIGIT: u8 = 4;
pub const F_HAS_ALPHA: u8 = 8;
pub const F_HAS_HYPHEN: u8 = 16;
pub const F_HAS_DOT: u8 = 32;
pub const F_HAS_LOWER: u8 = 64;

fn normalise_char(c: char) -> char {
    match c {
        '“' | '”' | '«' | '»' | '„' | '‟' => '"',
        '‘' | '’' | '‚' | '‛' | '`' | '´' => '\'',
        '–' | '—' | '‐' | '‑' | '−' => '-',
        _ => c,
    }
}

fn class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() || c.is_alphabetic() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// Token information for one sentence.
pub fn prepare(words: &[&str], gaz: &Gazetteer) -> Vec<TokInfo> {
    let mut infos: Vec<TokInfo> = words.iter().map(|w| token_info(w)).collect();
    let lows: Vec<&str> = infos.iter().map(|t| t.low.as_str()).collect();
    let matches = gaz.matches(&lows);
    for (info, m) in infos.iter_mut().zip(matches) {
        info.gaz = m;
    }
    infos
}

fn token_info(word: &str) -> TokInfo {
    let mut low = String::with_capacity(word.len().min(MAX_CHARS * 2));
    let mut raw = String::with_capacity(low.capacity());
    let mut shape = String::new();
    let mut short = String::new();
    let mut flags = 0u8;
    let mut run = 0;
    let mut last = '\0';
    let mut upper = 0;
    let mut alpha = 0;
    for (i, c) in word.chars().take(MAX_CHARS).enumerate() {
        let c = normalise_char(c);
        raw.push(c);
        if c.is_numeric() {
            low.push('0');
            flags |= F_HAS_DIGIT;
        } else {
            low.extend(c.to_lowercase());
        }
        if c.is_alphabetic() {
            alpha += 1;
            flags |= F_HAS_ALPHA;
            if c.is_uppercase() {
                upper += 1;
                if i == 0 {
                    flags |= F_INIT_CAP;
                }
            } else {
                flags |= F_HAS_LOWER;
            }
        }
        if c == '-' {
            flags |= F_HAS_HYPHEN;
        }
        if c == '.' {
            flags |= F_HAS_DOT;
        }
        let k = class(c);
        if k == last {
            run += 1;
        } else {
            run = 1;
            short.push(k);
            last = k;
        }
        if run <= 4 && shape.len() < 16 {
            shape.push(k);
        }
    }
    if alpha > 0 && upper == alpha {
        flags |= F_ALL_CAPS;
    }
    TokInfo {
        low,
        raw,
        shape,
        short,
        flags,
        gaz: Vec::new(),
    }
}

/// Second-pass knowledge about one token from the first pass over the whole
/// document.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocInfo {
    /// The first pass's tag for this token.
    pub p1: u8,
    /// The majority type (1 = O, 2.. = PER, ORG, LOC, MISC) the first pass
    /// gave the other capitalised occurrences of this word in the document;
    /// 0 when there are none.
    pub majority: u8,
    /// Bit set of the types (same numbering) seen on the other occurrences.
    pub seen: u8,
    /// Whether the majority is unanimous.
    pub unanimous: bool,
    /// Case forms this word takes elsewhere in the document in unambiguous
    /// places (mid-sentence, not in an all-caps line): bit 0 lower case,
    /// bit 1 capitalised, bit 2 all capitals.
    pub case: u8,
}

/// Hashed feature ids of a sentence, token by token.
#[derive(Debug, Default, Clone)]
pub struct Feats {
    pub ids: Vec<u32>,
    /// Token `t`'s features are `ids[offsets[t]..offsets[t + 1]]`.
    pub offsets: Vec<u32>,
}

impl Feats {
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn token(&self, t: usize) -> &[u32] {
        &self.ids[self.offsets[t] as usize..self.offsets[t + 1] as usize]
    }
}

struct Hasher<'a> {
    mask: u64,
    out: &'a mut Vec<u32>,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Hasher<'_> {
    #[inline]
    fn add(&mut self, tpl: u8, parts: &[&[u8]]) {
        let mut h = FNV_OFFSET ^ tpl as u64;
        h = h.wrapping_mul(FNV_PRIME);
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                h ^= 0x1f;
                h = h.wrapping_mul(FNV_PRIME);
            }
            for &b in *p {
                h ^= b as u64;
                h = h.wrapping_mul(FNV_PRIME);
            }
        }
        h ^= h >> 29;
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^= h >> 32;
        self.out.push((h & self.mask) as u32);
    }
}

fn prefix(s: &str, n: usize) -> Option<&str> {
    let mut it = s.char_indices();
    let end = it.nth(n).map(|(i, _)| i);
    match end {
        Some(e) => Some(&s[..e]),
        None if s.chars().count() == n => Some(s),
        None => None,
    }
}

fn suffix(s: &str, n: usize) -> Option<&str> {
    let count = s.chars().count();
    if count < n {
        return None;
    }
    let skip = count - n;
    let start = s.char_indices().nth(skip).map_or(s.len(), |(i, _)| i);
    Some(&s[start..])
}

const TYPE_NAMES: [&[u8]; 6] = [b"-", b"O", b"PER", b"ORG", b"LOC", b"MISC"];

fn p1_type(tag: u8) -> u8 {
    tag_type(tag).map_or(1, |t| 2 + t as u8)
}

/// Appends the features of one sentence to `out` (cleared first).
pub fn extract(toks: &[TokInfo], groups: u32, bits: u32, doc: Option<&[DocInfo]>, out: &mut Feats) {
    out.ids.clear();
    out.offsets.clear();
    out.offsets.push(0);
    let n = toks.len();
    let headline = is_headline(toks);
    let hl: &[u8] = if headline { b"H" } else { b"-" };
    let bos: &[u8] = b"<s>";
    let eos: &[u8] = b"</s>";
    let word = |i: isize| -> &[u8] {
        if i < 0 {
            bos
        } else if i as usize >= n {
            eos
        } else {
            toks[i as usize].low.as_bytes()
        }
    };
    let short = |i: isize| -> &[u8] {
        if i < 0 {
            bos
        } else if i as usize >= n {
            eos
        } else {
            toks[i as usize].short.as_bytes()
        }
    };
    let mut h = Hasher {
        mask: (1u64 << bits) - 1,
        out: &mut out.ids,
    };
    for (t, tok) in toks.iter().enumerate() {
        let i = t as isize;
        h.add(0, &[]);
        if groups & G_WORD != 0 {
            h.add(1, &[tok.low.as_bytes()]);
            h.add(2, &[tok.raw.as_bytes()]);
        }
        if groups & G_SHAPE != 0 {
            h.add(3, &[tok.shape.as_bytes()]);
            h.add(4, &[tok.short.as_bytes(), hl]);
            h.add(5, &[&[tok.flags], hl]);
            let first: &[u8] = if t == 0 { b"1" } else { b"0" };
            h.add(6, &[first, &[tok.flags & (F_INIT_CAP | F_ALL_CAPS)]]);
            let len = tok.low.chars().count().min(8) as u8;
            h.add(7, &[&[len]]);
            if headline {
                h.add(8, &[tok.low.as_bytes()]);
            }
        }
        if groups & G_AFFIX != 0 {
            for k in 1..=4usize {
                if let Some(p) = prefix(&tok.low, k) {
                    h.add(10 + k as u8, &[p.as_bytes()]);
                }
                if let Some(s) = suffix(&tok.low, k) {
                    h.add(20 + k as u8, &[s.as_bytes()]);
                }
            }
        }
        if groups & G_CONTEXT != 0 {
            h.add(30, &[word(i - 1)]);
            h.add(31, &[word(i + 1)]);
            h.add(32, &[word(i - 2)]);
            h.add(33, &[word(i + 2)]);
            h.add(34, &[short(i - 1)]);
            h.add(35, &[short(i + 1)]);
            h.add(36, &[short(i - 2)]);
            h.add(37, &[short(i + 2)]);
        }
        if groups & G_BIGRAM != 0 {
            h.add(40, &[word(i - 1), word(i)]);
            h.add(41, &[word(i), word(i + 1)]);
            h.add(42, &[short(i - 1), short(i), short(i + 1)]);
            h.add(43, &[word(i - 1), short(i)]);
            h.add(44, &[short(i), word(i + 1)]);
        }
        if groups & G_GAZ != 0 {
            let cap: &[u8] = if tok.flags & F_INIT_CAP != 0 {
                b"C"
            } else {
                b"c"
            };
            for &(bits_, pos) in &tok.gaz {
                for (c, _) in CLASSES.iter().enumerate() {
                    if bits_ & (1 << c) != 0 {
                        h.add(50, &[&[c as u8, pos], cap]);
                    }
                }
            }
            for (d, tpl) in [(-1isize, 51u8), (1, 52)] {
                let j = i + d;
                if j >= 0 && (j as usize) < n {
                    for &(bits_, pos) in &toks[j as usize].gaz {
                        for c in 0..CLASSES.len() {
                            if bits_ & (1 << c) != 0 {
                                h.add(tpl, &[&[c as u8, pos]]);
                            }
                        }
                    }
                }
            }
        }
        if groups & G_DOC != 0 {
            if let Some(doc) = doc {
                let d = doc[t];
                let ty = TYPE_NAMES[p1_type(d.p1) as usize];
                h.add(60, &[&[d.p1]]);
                h.add(61, &[TYPE_NAMES[d.majority as usize]]);
                h.add(62, &[TYPE_NAMES[d.majority as usize], ty]);
                h.add(
                    63,
                    &[
                        TYPE_NAMES[d.majority as usize],
                        &[d.unanimous as u8],
                        tok.short.as_bytes(),
                    ],
                );
                for k in 1..6u8 {
                    if d.seen & (1 << k) != 0 {
                        h.add(64, &[&[k]]);
                    }
                }
                let prev = if t > 0 {
                    TYPE_NAMES[p1_type(doc[t - 1].p1) as usize]
                } else {
                    bos
                };
                let next = if t + 1 < n {
                    TYPE_NAMES[p1_type(doc[t + 1].p1) as usize]
                } else {
                    eos
                };
                h.add(65, &[prev, ty, next]);
                h.add(66, &[&[d.case], tok.short.as_bytes()]);
                h.add(67, &[&[d.case], &[d.p1], hl]);
            }
        }
        out.offsets.push(h.out.len() as u32);
    }
    debug_assert_eq!(out.offsets.len(), n + 1);
}

/// Second-pass document information from first-pass tags of every sentence.
pub fn doc_info(doc: &[Vec<TokInfo>], tags: &[Vec<u8>]) -> Vec<Vec<DocInfo>> {
    use std::collections::HashMap;
    // Counts per word key over capitalised occurrences.
    let mut counts: HashMap<&str, [u32; 6]> = HashMap::new();
    // Case forms per word key in unambiguous places.
    let mut cases: HashMap<&str, u8> = HashMap::new();
    let eligible = |t: &TokInfo| t.flags & F_INIT_CAP != 0;
    for (s, toks) in doc.iter().enumerate() {
        let headline = is_headline(toks);
        for (t, tok) in toks.iter().enumerate() {
            if eligible(tok) {
                counts.entry(tok.low.as_str()).or_default()[p1_type(tags[s][t]) as usize] += 1;
            }
            if t > 0 && !headline && tok.flags & F_HAS_ALPHA != 0 {
                let form = if tok.flags & F_ALL_CAPS != 0 && tok.low.chars().count() > 1 {
                    4
                } else if tok.flags & F_INIT_CAP != 0 {
                    2
                } else {
                    1
                };
                *cases.entry(tok.low.as_str()).or_default() |= form;
            }
        }
    }
    doc.iter()
        .enumerate()
        .map(|(s, toks)| {
            toks.iter()
                .enumerate()
                .map(|(t, tok)| {
                    let p1 = tags[s][t];
                    let mut info = DocInfo {
                        p1,
                        case: cases.get(tok.low.as_str()).copied().unwrap_or(0),
                        ..DocInfo::default()
                    };
                    if eligible(tok) {
                        if let Some(c) = counts.get(tok.low.as_str()) {
                            let mut c = *c;
                            c[p1_type(p1) as usize] -= 1; // others only
                            let total: u32 = c.iter().sum();
                            if total > 0 {
                                let (best, &n) = c
                                    .iter()
                                    .enumerate()
                                    .max_by_key(|&(k, &n)| (n, std::cmp::Reverse(k)))
                                    .expect("six counts");
                                info.majority = best as u8;
                                info.unanimous = n == total;
                                for (k, &n) in c.iter().enumerate() {
                                    if n > 0 {
                                        info.seen |= 1 << k;
                                    }
                                }
                            }
                        }
                    }
                    info
                })
                .collect()
        })
        .collect()
}

/// An all-capitals line (headlines, sports tables): two or more words with
/// letters and none in lower case.
fn is_headline(toks: &[TokInfo]) -> bool {
    let mut alpha = 0;
    for t in toks {
        if t.flags & F_HAS_ALPHA != 0 {
            if t.flags & F_HAS_LOWER != 0 {
                return false;
            }
            alpha += 1;
        }
    }
    alpha >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        let t = token_info("McDonald's-1996");
        assert_eq!(t.short, "XxXx'x-d");
        assert_eq!(t.low, "mcdonald's-0000");
        assert_eq!(prefix("añb", 2), Some("añ"));
        assert_eq!(suffix("añb", 2), Some("ñb"));
        assert_eq!(prefix("ab", 3), None);
        assert_eq!(prefix("ab", 2), Some("ab"));
        let long = "x".repeat(10_000);
        let t = token_info(&long);
        assert!(t.shape.len() <= 16);
    }
}
