//! Passage alignment: which sentences of one article were reused from
//! another, verbatim or lightly edited, and which it added or dropped, so a
//! reader sees what an outlet added to a wire story.
//!
//! Each sentence of the later text is compared with every sentence of the
//! earlier one by word trigrams (words, for sentences under three words):
//! the share of its trigrams found in the other sentence. Texts of news
//! length have a few dozen sentences, so the quadratic pass is cheap.

use std::collections::HashSet;

use crate::shingle::{fmix64, word_hashes};

/// Reused almost word for word at or above this share of trigrams...
pub const VERBATIM: f64 = 0.9;
/// ...rewritten but recognisably the same sentence at or above this one.
pub const EDITED: f64 = 0.5;

/// How a sentence of the later text relates to the earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reuse {
    Verbatim,
    Edited,
    /// Not in the earlier text: what the later one added.
    Added,
}

/// One sentence of the later text and its best match in the earlier one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SentenceMatch {
    /// Index in the later text's sentences.
    pub sentence: usize,
    /// Index of the best matching sentence in the earlier text.
    pub source: Option<usize>,
    pub reuse: Reuse,
    /// Share of the sentence's trigrams found in `source` (0..1).
    pub score: f64,
}

/// The alignment of a later text against an earlier one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Alignment {
    pub matches: Vec<SentenceMatch>,
    /// Sentences of the earlier text that the later one did not use.
    pub dropped: Vec<usize>,
    /// Share of the later text's words in reused (verbatim or edited) sentences.
    pub reused_share: f64,
}

fn grams(sentence: &str) -> HashSet<u64> {
    let words = word_hashes(sentence);
    if words.len() < 3 {
        return words.into_iter().collect();
    }
    words
        .windows(3)
        .map(|w| fmix64(fmix64(w[0] ^ w[1].rotate_left(21)) ^ w[2].rotate_left(42)))
        .collect()
}

fn share(part: &HashSet<u64>, whole: &HashSet<u64>) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    part.intersection(whole).count() as f64 / part.len() as f64
}

/// Aligns the sentences of `later` against those of `earlier`.
pub fn align(earlier: &[&str], later: &[&str]) -> Alignment {
    let source: Vec<HashSet<u64>> = earlier.iter().map(|s| grams(s)).collect();
    let mut used = vec![false; earlier.len()];
    let (mut words, mut reused_words) = (0usize, 0usize);
    let matches = later
        .iter()
        .enumerate()
        .map(|(i, sentence)| {
            let g = grams(sentence);
            let best = source
                .iter()
                .enumerate()
                .map(|(j, s)| (j, share(&g, s)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let (source_index, score) = best.map_or((None, 0.0), |(j, s)| (Some(j), s));
            let reuse = if score >= VERBATIM {
                Reuse::Verbatim
            } else if score >= EDITED {
                Reuse::Edited
            } else {
                Reuse::Added
            };
            let n = sentence.split_whitespace().count();
            words += n;
            if reuse != Reuse::Added {
                reused_words += n;
                if let Some(j) = source_index {
                    used[j] = true;
                }
            }
            SentenceMatch {
                sentence: i,
                source: source_index.filter(|_| reuse != Reuse::Added),
                reuse,
                score,
            }
        })
        .collect();
    Alignment {
        matches,
        dropped: (0..earlier.len()).filter(|j| !used[*j]).collect(),
        reused_share: if words == 0 {
            0.0
        } else {
            reused_words as f64 / words as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outlet_reuses_edits_adds_and_drops() {
        let wire = [
            "The central bank raised its base rate to 16.75 per cent on Friday.",
            "Annual inflation reached 9.1 per cent in November, driven by food prices.",
            "Analysts had expected the rate to stay unchanged.",
        ];
        let outlet = [
            "The central bank raised its base rate to 16.75 per cent on Friday.",
            "Local traders told our reporter that prices at the bazaar doubled.",
            "Annual inflation reached 9.1 per cent in November, driven mostly by food prices.",
        ];
        let a = align(&wire, &outlet);
        let kinds: Vec<Reuse> = a.matches.iter().map(|m| m.reuse).collect();
        assert_eq!(kinds, [Reuse::Verbatim, Reuse::Added, Reuse::Edited]);
        assert_eq!(a.matches[2].source, Some(1));
        assert_eq!(a.matches[1].source, None);
        assert_eq!(a.dropped, [2]);
        assert!(
            a.reused_share > 0.5 && a.reused_share < 0.8,
            "{}",
            a.reused_share
        );
    }

    #[test]
    fn empty_texts_align_to_nothing() {
        let a = align(&[], &["One sentence here."]);
        assert_eq!(a.matches[0].reuse, Reuse::Added);
        let b = align(&["One."], &[]);
        assert_eq!(b.dropped, [0]);
        assert_eq!(b.reused_share, 0.0);
    }
}
