//! Banded LSH over MinHash signatures.
//!
//! The 128 slots are cut into [`BANDS`] bands of [`ROWS`] rows. Two
//! signatures become candidates when they agree on every row of at least one
//! band. With Jaccard `s`, that happens with probability
//! `P(s) = 1 - (1 - s^ROWS)^BANDS`, the S-curve (32 × 4):
//!
//! | s    | 0.1   | 0.2  | 0.3  | 0.4  | 0.5  | 0.6  | 0.7   | 0.8 |
//! |------|-------|------|------|------|------|------|-------|-----|
//! | P(s) | 0.003 | 0.05 | 0.23 | 0.56 | 0.87 | 0.99 | 0.9998| ~1  |
//!
//! Its steepest point is near `(1/BANDS)^(1/ROWS) = 0.42`, a little below the
//! copy threshold of 0.5 on purpose: a copy with a paragraph added and a few
//! words changed sits around 0.5, and a false candidate costs only one
//! verification, while a missed one is lost.
//!
//! Memory: per article one id (8 bytes) plus, per band, a map entry
//! (key and head, about 10 bytes with the map's overhead) and a chain link
//! (4 bytes): about 0.5 KB per article, so millions fit. Signatures are not
//! kept: verification reads them (or the texts) from wherever they live.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::minhash::{Signature, NUM_PERM};

/// Bands per signature.
pub const BANDS: usize = 32;
/// Rows (slots) per band.
pub const ROWS: usize = 4;
const _: () = assert!(BANDS * ROWS <= NUM_PERM);

/// The probability that a pair with Jaccard `s` becomes a candidate.
pub fn candidate_probability(s: f64) -> f64 {
    1.0 - (1.0 - s.powi(ROWS as i32)).powi(BANDS as i32)
}

/// Chains longer than this are cut when querying: a band value shared by
/// thousands of articles (a stock phrase that makes up a whole short post)
/// says nothing about any one of them.
const MAX_CHAIN: usize = 4096;

const NONE: u32 = u32::MAX;

/// Band keys are already hashes: spread them over the 64 bits the map's
/// probing uses, nothing more.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type BandMap = HashMap<u32, u32, BuildHasherDefault<KeyHasher>>;

/// An in-memory LSH index from signatures to caller ids (an article's
/// store sequence number, say).
pub struct LshIndex {
    ids: Vec<u64>,
    /// Per band: key -> the latest entry with that key.
    heads: Vec<BandMap>,
    /// `entry * BANDS + band` -> the previous entry with the same key.
    next: Vec<u32>,
}

impl Default for LshIndex {
    fn default() -> Self {
        LshIndex::new()
    }
}

impl LshIndex {
    pub fn new() -> LshIndex {
        LshIndex::with_capacity(0)
    }

    pub fn with_capacity(n: usize) -> LshIndex {
        LshIndex {
            ids: Vec::with_capacity(n),
            heads: (0..BANDS)
                .map(|_| BandMap::with_capacity_and_hasher(n, Default::default()))
                .collect(),
            next: Vec::with_capacity(n * BANDS),
        }
    }

    /// Entries inserted.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Adds `id` under `sig`. Empty signatures (texts without words) are
    /// not indexed; returns whether it was.
    pub fn insert(&mut self, id: u64, sig: &Signature) -> bool {
        if sig.is_empty() || self.ids.len() >= NONE as usize {
            return false;
        }
        let entry = self.ids.len() as u32;
        self.ids.push(id);
        for (band, heads) in self.heads.iter_mut().enumerate() {
            let prev = heads.insert(sig.band_key(band, ROWS), entry);
            self.next.push(prev.unwrap_or(NONE));
        }
        true
    }

    /// Ids that share at least one band with `sig`, each once, in insertion
    /// order.
    pub fn candidates(&self, sig: &Signature) -> Vec<u64> {
        if sig.is_empty() {
            return Vec::new();
        }
        let mut entries: Vec<u32> = Vec::new();
        for (band, heads) in self.heads.iter().enumerate() {
            let Some(&head) = heads.get(&sig.band_key(band, ROWS)) else {
                continue;
            };
            let mut at = head;
            let mut steps = 0;
            while at != NONE && steps < MAX_CHAIN {
                entries.push(at);
                at = self.next[at as usize * BANDS + band];
                steps += 1;
            }
        }
        entries.sort_unstable();
        entries.dedup();
        let mut ids: Vec<u64> = entries.into_iter().map(|e| self.ids[e as usize]).collect();
        // An id inserted twice appears once.
        if ids.len() > 1 {
            let mut seen = std::collections::HashSet::with_capacity(ids.len());
            ids.retain(|id| seen.insert(*id));
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_curve_matches_the_table() {
        assert!(candidate_probability(0.2) < 0.06);
        assert!((candidate_probability(0.5) - 0.87).abs() < 0.01);
        assert!(candidate_probability(0.7) > 0.999);
    }

    #[test]
    fn identical_signatures_are_candidates_and_empty_ones_never() {
        let mut index = LshIndex::new();
        let a = Signature::of("Flood waters rose across the Almaty region on Monday morning.");
        assert!(index.insert(7, &a));
        assert!(!index.insert(8, &Signature::of("")));
        assert_eq!(index.candidates(&a), vec![7]);
        assert!(index.candidates(&Signature::of("")).is_empty());
        assert!(index.insert(7, &a));
        assert_eq!(index.candidates(&a), vec![7]);
        assert_eq!(index.len(), 2);
    }
}
