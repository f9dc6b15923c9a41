//! Cross-article links. First: near-duplicates (copies); also identity,
//! similarity, stories, passage alignment between a copy and its original
//! ([`align`]) and the diff between two revisions of one article
//! ([`revision`]).
//!
//! An article's cleaned text becomes a set of 5-word shingles
//! ([`shingle`]), summarised by a 128-slot MinHash [`Signature`]. An
//! [`LshIndex`] (32 bands × 4 rows) finds candidate copies in time that does
//! not grow with the number of articles indexed; each candidate is then
//! verified, by signatures ([`Signature::estimate`]) or exactly by texts
//! ([`compare`]), against the copy rule of [`Similarity::is_copy`].
//!
//! Similarity has three numbers: the Jaccard index of the two shingle sets,
//! and the containment each way (the share of A's shingles found in B), so
//! "B reuses 80% of A" is visible when B added paragraphs of its own.
//!
//! Pure: no I/O, no global state, deterministic across runs and machines.

pub mod align;
pub mod identity;
mod lsh;
mod minhash;
pub mod revision;
pub mod shingle;
pub mod similarity;
pub mod stories;
pub mod storylines;

pub use lsh::{candidate_probability, LshIndex, BANDS, ROWS};
pub use minhash::{Signature, NUM_PERM, SIGNATURE_BYTES, SIGNATURE_VERSION};
pub use shingle::{shingles, SHINGLE_WORDS};

/// A pair is a copy when the shingle sets' Jaccard index reaches this...
pub const COPY_JACCARD: f64 = 0.5;
/// ...or when this share of one text's shingles is found in the other
/// (a wire story inside a longer article that added its own paragraphs)...
pub const COPY_CONTAINMENT: f64 = 0.7;
/// ...and that text has at least this many distinct shingles (a one-line
/// post inside a long article is a quotation rather than a copy).
pub const MIN_CONTAINED_SHINGLES: usize = 16;

/// How alike two texts are, as shares of their distinct shingles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// |A ∩ B| / |A ∪ B|.
    pub jaccard: f64,
    /// |A ∩ B| / |A|: how much of A is found in B.
    pub containment_a_in_b: f64,
    /// |A ∩ B| / |B|: how much of B is found in A.
    pub containment_b_in_a: f64,
    /// |A| and |B|: distinct shingles of each text.
    pub shingles_a: usize,
    pub shingles_b: usize,
}

impl Similarity {
    /// From set sizes and the (possibly estimated) size of the intersection.
    pub fn from_counts(a: usize, b: usize, common: f64) -> Similarity {
        let share = |n: usize| if n == 0 { 0.0 } else { common / n as f64 };
        let union = a as f64 + b as f64 - common;
        Similarity {
            jaccard: if union > 0.0 { common / union } else { 0.0 },
            containment_a_in_b: share(a),
            containment_b_in_a: share(b),
            shingles_a: a,
            shingles_b: b,
        }
    }

    /// The copy rule: Jaccard at least [`COPY_JACCARD`], or one text (of at
    /// least [`MIN_CONTAINED_SHINGLES`] shingles) found in the other to at
    /// least [`COPY_CONTAINMENT`].
    pub fn is_copy(&self) -> bool {
        self.jaccard >= COPY_JACCARD
            || (self.shingles_a >= MIN_CONTAINED_SHINGLES
                && self.containment_a_in_b >= COPY_CONTAINMENT)
            || (self.shingles_b >= MIN_CONTAINED_SHINGLES
                && self.containment_b_in_a >= COPY_CONTAINMENT)
    }

    /// The same pair seen from B.
    pub fn swapped(&self) -> Similarity {
        Similarity {
            jaccard: self.jaccard,
            containment_a_in_b: self.containment_b_in_a,
            containment_b_in_a: self.containment_a_in_b,
            shingles_a: self.shingles_b,
            shingles_b: self.shingles_a,
        }
    }
}

/// Exact similarity of two texts' shingle sets.
pub fn compare(a_text: &str, b_text: &str) -> Similarity {
    compare_shingles(&shingles(a_text), &shingles(b_text))
}

/// Exact similarity of two sorted, distinct shingle sets (see [`shingles`]).
pub fn compare_shingles(a: &[u64], b: &[u64]) -> Similarity {
    let common = sorted_common(a, b);
    Similarity::from_counts(a.len(), b.len(), common as f64)
}

/// How many values two sorted lists of distinct values share (one merge pass).
pub(crate) fn sorted_common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

#[cfg(test)]
mod tests;
