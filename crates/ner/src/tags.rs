//! Entity types, BILOU tags, and chunking/scoring with the rules of the
//! CoNLL shared task's `conlleval` script.

/// The four CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Per,
    Org,
    Loc,
    Misc,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }

    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" => Some(EntityType::Per),
            "ORG" => Some(EntityType::Org),
            "LOC" => Some(EntityType::Loc),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Number of BILOU tags: `O` plus B, I, L, U for each of the four types.
pub const NUM_TAGS: usize = 17;
/// `O`.
pub const OUTSIDE: u8 = 0;

/// Position of a token inside an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bilou {
    Begin,
    Inside,
    Last,
    Unit,
}

/// The tag id of (position, type): `1 + 4 * type + position`.
pub fn tag(pos: Bilou, ty: EntityType) -> u8 {
    1 + 4 * ty as u8 + pos as u8
}

/// The (position, type) of a tag id, `None` for `O` or out of range.
pub fn untag(tag: u8) -> Option<(Bilou, EntityType)> {
    if tag == 0 || tag as usize >= NUM_TAGS {
        return None;
    }
    let t = (tag - 1) / 4;
    let p = (tag - 1) % 4;
    let pos = [Bilou::Begin, Bilou::Inside, Bilou::Last, Bilou::Unit][p as usize];
    Some((pos, EntityType::ALL[t as usize]))
}

/// The entity type of a tag, `None` for `O`.
pub fn tag_type(tag: u8) -> Option<EntityType> {
    untag(tag).map(|(_, t)| t)
}

/// Whether `cur` may follow `prev` in a well-formed BILOU sequence
/// (`prev == None` is the sentence start).
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    let open = match prev.and_then(untag) {
        Some((Bilou::Begin | Bilou::Inside, t)) => Some(t),
        _ => None,
    };
    match (open, untag(cur)) {
        (None, None) => true,
        (None, Some((p, _))) => matches!(p, Bilou::Begin | Bilou::Unit),
        (Some(_), None) => false,
        (Some(t), Some((p, u))) => t == u && matches!(p, Bilou::Inside | Bilou::Last),
    }
}

/// Whether a sequence may end with `last`.
pub fn allowed_end(last: u8) -> bool {
    !matches!(untag(last), Some((Bilou::Begin | Bilou::Inside, _)))
}

/// An entity chunk over token indices `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub ty: EntityType,
}

/// Chunks of a well-formed (or not) BILOU tag sequence. Ill-formed input is
/// read leniently: a chunk ends at `L`, `U`, `O`, a type change or a new `B`.
pub fn bilou_chunks(tags: &[u8]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, &t) in tags.iter().enumerate() {
        match untag(t) {
            None => {
                if let Some((s, ty)) = open.take() {
                    out.push(Chunk {
                        start: s,
                        end: i,
                        ty,
                    });
                }
            }
            Some((pos, ty)) => {
                let continues = matches!(pos, Bilou::Inside | Bilou::Last)
                    && open.is_some_and(|(_, o)| o == ty);
                if !continues {
                    if let Some((s, oty)) = open.take() {
                        out.push(Chunk {
                            start: s,
                            end: i,
                            ty: oty,
                        });
                    }
                    open = Some((i, ty));
                }
                if matches!(pos, Bilou::Last | Bilou::Unit) {
                    let (s, ty) = open.take().expect("open chunk");
                    out.push(Chunk {
                        start: s,
                        end: i + 1,
                        ty,
                    });
                }
            }
        }
    }
    if let Some((s, ty)) = open {
        out.push(Chunk {
            start: s,
            end: tags.len(),
            ty,
        });
    }
    out
}

/// BILOU tags for chunks over `n` tokens (chunks must not overlap).
pub fn chunks_to_bilou(chunks: &[Chunk], n: usize) -> Vec<u8> {
    let mut tags = vec![OUTSIDE; n];
    for c in chunks {
        if c.start >= c.end || c.end > n {
            continue;
        }
        if c.end - c.start == 1 {
            tags[c.start] = tag(Bilou::Unit, c.ty);
        } else {
            tags[c.start] = tag(Bilou::Begin, c.ty);
            for t in &mut tags[c.start + 1..c.end - 1] {
                *t = tag(Bilou::Inside, c.ty);
            }
            tags[c.end - 1] = tag(Bilou::Last, c.ty);
        }
    }
    tags
}

/// IOB2 strings (`B-PER`, `I-PER`, `O`) for chunks over `n` tokens.
pub fn chunks_to_iob2(chunks: &[Chunk], n: usize) -> Vec<String> {
    let mut tags = vec!["O".to_owned(); n];
    for c in chunks {
        if c.start >= c.end || c.end > n {
            continue;
        }
        tags[c.start] = format!("B-{}", c.ty.as_str());
        for t in &mut tags[c.start + 1..c.end] {
            *t = format!("I-{}", c.ty.as_str());
        }
    }
    tags
}

fn split_tag(t: &str) -> (&str, &str) {
    match t.split_once('-') {
        Some((p, ty)) => (p, ty),
        None => (t, ""),
    }
}

/// `conlleval`'s `endOfChunk`.
fn end_of_chunk(prev_tag: &str, tag: &str, prev_type: &str, ty: &str) -> bool {
    matches!(
        (prev_tag, tag),
        ("B", "B")
            | ("B", "O")
            | ("I", "B")
            | ("I", "O")
            | ("E", "E")
            | ("E", "I")
            | ("E", "O")
            | ("B", "S")
            | ("I", "S")
            | ("E", "S")
    ) || prev_tag == "S"
        || prev_tag == "]"
        || prev_tag == "["
        || (prev_tag != "O" && prev_tag != "." && prev_type != ty)
}

/// `conlleval`'s `startOfChunk`.
fn start_of_chunk(prev_tag: &str, tag: &str, prev_type: &str, ty: &str) -> bool {
    matches!(
        (prev_tag, tag),
        ("B", "B")
            | ("I", "B")
            | ("O", "B")
            | ("O", "I")
            | ("E", "E")
            | ("E", "I")
            | ("O", "E")
            | ("S", "B")
            | ("S", "I")
            | ("S", "E")
            | ("E", "B")
    ) || tag == "S"
        || tag == "["
        || tag == "]"
        || (tag != "O" && tag != "." && prev_type != ty)
}

/// Chunks of one sentence's IOB-style tags (`B-X`, `I-X`, `E-X`, `S-X`,
/// `O`) exactly as `conlleval` reads them: an `I-X` after `O` or after
/// another type starts a chunk; a type change ends one. Unknown types are
/// kept out of the result (they cannot be typed) but still delimit chunks.
pub fn conlleval_chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut prev_tag = "O";
    let mut prev_type = "";
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (tag, ty) = split_tag(t.as_ref());
        if open.is_some() && end_of_chunk(prev_tag, tag, prev_type, ty) {
            let (s, oty) = open.take().expect("open");
            if let Some(ty) = EntityType::parse(oty) {
                out.push(Chunk {
                    start: s,
                    end: i,
                    ty,
                });
            }
        }
        if start_of_chunk(prev_tag, tag, prev_type, ty) {
            open = Some((i, ty));
        }
        prev_tag = tag;
        prev_type = ty;
    }
    if let Some((s, oty)) = open {
        if let Some(ty) = EntityType::parse(oty) {
            out.push(Chunk {
                start: s,
                end: tags.len(),
                ty,
            });
        }
    }
    out
}

/// Micro-averaged exact-span counts, overall and per type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// (gold, predicted, correct) overall.
    pub total: (usize, usize, usize),
    /// (gold, predicted, correct) per type, indexed by [`EntityType::index`].
    pub per_type: [(usize, usize, usize); 4],
}

fn prf((gold, pred, correct): (usize, usize, usize)) -> (f64, f64, f64) {
    let p = if pred == 0 {
        0.0
    } else {
        correct as f64 / pred as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        correct as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

impl Score {
    /// Adds one sentence's gold and predicted chunks.
    pub fn add(&mut self, gold: &[Chunk], pred: &[Chunk]) {
        use std::collections::HashSet;
        let g: HashSet<&Chunk> = gold.iter().collect();
        for c in gold {
            self.total.0 += 1;
            self.per_type[c.ty.index()].0 += 1;
        }
        for c in pred {
            self.total.1 += 1;
            self.per_type[c.ty.index()].1 += 1;
            if g.contains(c) {
                self.total.2 += 1;
                self.per_type[c.ty.index()].2 += 1;
            }
        }
    }

    /// (precision, recall, F1) overall.
    pub fn prf(&self) -> (f64, f64, f64) {
        prf(self.total)
    }

    /// (precision, recall, F1) of one type.
    pub fn prf_of(&self, ty: EntityType) -> (f64, f64, f64) {
        prf(self.per_type[ty.index()])
    }

    pub fn f1(&self) -> f64 {
        self.prf().2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(start: usize, end: usize, ty: &str) -> Chunk {
        Chunk {
            start,
            end,
            ty: EntityType::parse(ty).unwrap(),
        }
    }

    #[test]
    fn conlleval_chunking_rules() {
        // I- after O starts a chunk; a type change splits; B-B splits.
        let tags = [
            "I-PER", "I-PER", "O", "B-LOC", "I-ORG", "B-MISC", "B-MISC", "I-MISC", "O", "I-LOC",
        ];
        assert_eq!(
            conlleval_chunks(&tags),
            vec![
                c(0, 2, "PER"),
                c(3, 4, "LOC"),
                c(4, 5, "ORG"),
                c(5, 6, "MISC"),
                c(6, 8, "MISC"),
                c(9, 10, "LOC"),
            ]
        );
        assert!(conlleval_chunks::<&str>(&[]).is_empty());
        assert!(conlleval_chunks(&["O", "O"]).is_empty());
    }

    #[test]
    fn conlleval_scoring_counts_exact_spans_only() {
        let gold = conlleval_chunks(&["B-PER", "I-PER", "O", "B-LOC"]);
        // Partial PER is wrong, LOC right, extra ORG is a false positive.
        let pred = conlleval_chunks(&["B-PER", "O", "B-ORG", "B-LOC"]);
        let mut s = Score::default();
        s.add(&gold, &pred);
        assert_eq!(s.total, (2, 3, 1));
        let (p, r, f) = s.prf();
        assert!((p - 1.0 / 3.0).abs() < 1e-9 && (r - 0.5).abs() < 1e-9);
        assert!((f - 0.4).abs() < 1e-9);
    }

    #[test]
    fn bilou_round_trip() {
        let chunks = vec![c(0, 1, "PER"), c(2, 5, "ORG"), c(5, 7, "LOC")];
        let tags = chunks_to_bilou(&chunks, 8);
        assert!(tags.windows(2).all(|w| allowed(Some(w[0]), w[1])));
        assert!(allowed(None, tags[0]) && allowed_end(tags[7]));
        assert_eq!(bilou_chunks(&tags), chunks);
        let iob = chunks_to_iob2(&chunks, 8);
        assert_eq!(
            iob,
            ["B-PER", "O", "B-ORG", "I-ORG", "I-ORG", "B-LOC", "I-LOC", "O"]
        );
        assert_eq!(conlleval_chunks(&iob), chunks);
        for t in 0..NUM_TAGS as u8 {
            if let Some((p, ty)) = untag(t) {
                assert_eq!(tag(p, ty), t);
            }
        }
    }

    #[test]
    fn transitions_are_constrained() {
        let b_per = tag(Bilou::Begin, EntityType::Per);
        let l_per = tag(Bilou::Last, EntityType::Per);
        let l_org = tag(Bilou::Last, EntityType::Org);
        assert!(allowed(Some(b_per), l_per));
        assert!(!allowed(Some(b_per), l_org));
        assert!(!allowed(Some(b_per), OUTSIDE));
        assert!(!allowed(None, l_per));
        assert!(!allowed_end(b_per));
    }
}
