//! The Scrapinghub/Zyte article-extraction scorer, reproduced exactly.
//!
//! Definition (see `../shared/README.md`): tokens are maximal runs of Python
//! `\w` characters, no lower-casing; a text becomes a multiset of 4-token
//! shingles (a text of 1–3 tokens is one shingle, an empty text none). Per page
//! `tp` is the sum of min counts; precision averages the pages whose output has
//! a shingle, recall averages all pages, F1 is the harmonic mean of the means.

use std::collections::HashMap;

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// Shingle length used by the published benchmark.
pub const SHINGLE: usize = 4;

/// Python's `\w` for `str` patterns: `str.isalnum()` or `_`. `isalnum` is true
/// for the letter categories (L*) and for numeric characters (N*, plus CJK
/// ideographs with a numeric value, which are letters anyway). Unlike Rust's
/// `char::is_alphanumeric`, combining marks (Mn/Mc) are *not* word characters,
/// so Devanagari vowel signs split tokens as they do in Python.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
            | Gc::DecimalNumber
            | Gc::LetterNumber
            | Gc::OtherNumber
    )
}

/// Maximal runs of word characters, as `re.findall(r"\w+", text)`.
pub fn tokenize(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                tokens.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(&text[s..]);
    }
    tokens
}

/// The multiset of shingles of `text`, keyed by the joined tokens (tokens
/// never contain a space, so joining with one is injective).
pub fn shingles(text: &str) -> HashMap<String, usize> {
    let tokens = tokenize(text);
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    let windows = tokens.len().saturating_sub(SHINGLE) + 1;
    for i in 0..windows {
        let end = (i + SHINGLE).min(tokens.len());
        *counts.entry(tokens[i..end].join(" ")).or_insert(0) += 1;
    }
    counts
}

/// Shingle counts of one page: true positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageCounts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl PageCounts {
    /// Compares an extractor's output with the gold text of one page.
    pub fn of(gold: &str, output: &str) -> PageCounts {
        let gold = shingles(gold);
        let out = shingles(output);
        let tp: usize = out
            .iter()
            .map(|(k, &n)| n.min(gold.get(k).copied().unwrap_or(0)))
            .sum();
        PageCounts {
            tp,
            fp: out.values().sum::<usize>() - tp,
            fn_: gold.values().sum::<usize>() - tp,
        }
    }

    /// `None` when the output has no shingle (the page is left out of the
    /// precision mean), except that a perfect empty match scores 1.
    pub fn precision(&self) -> Option<f64> {
        if self.fp == 0 && self.fn_ == 0 {
            return Some(1.0);
        }
        let out = self.tp + self.fp;
        (out > 0).then(|| self.tp as f64 / out as f64)
    }

    /// Recall of this page; a page with empty gold and non-empty output gets 0.
    pub fn recall(&self) -> f64 {
        if self.fp == 0 && self.fn_ == 0 {
            return 1.0;
        }
        let gold = self.tp + self.fn_;
        if gold == 0 {
            0.0
        } else {
            self.tp as f64 / gold as f64
        }
    }
}

/// Benchmark-level scores.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub pages: usize,
}

/// Scores a set of pages: `pairs` yields `(gold, output)` for every gold page
/// (a page the extractor skipped must be passed with an empty output).
pub fn score<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Scores {
    let counts: Vec<PageCounts> = pairs
        .into_iter()
        .map(|(g, o)| PageCounts::of(g, o))
        .collect();
    let precisions: Vec<f64> = counts.iter().filter_map(PageCounts::precision).collect();
    let precision = mean(&precisions);
    let recall = mean(&counts.iter().map(PageCounts::recall).collect::<Vec<_>>());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Scores {
        precision,
        recall,
        f1,
        pages: counts.len(),
    }
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_python_word_semantics() {
        assert_eq!(
            tokenize("Hello, wörld_1 — 42!"),
            vec!["Hello", "wörld_1", "42"]
        );
        // U+093F DEVANAGARI VOWEL SIGN I is Mc: not `\w` in Python.
        assert_eq!(tokenize("कि"), vec!["क"]);
        assert!(tokenize("  ,. ").is_empty());
    }

    #[test]
    fn short_texts_are_one_shingle_and_empty_none() {
        assert_eq!(shingles("a b").len(), 1);
        assert!(shingles("").is_empty());
        assert_eq!(shingles("a b c d e").values().sum::<usize>(), 2);
    }

    #[test]
    fn multiset_counts_use_min() {
        let c = PageCounts::of("a b c d a b c d", "a b c d a b c d a b c d");
        // gold: abcd x2, bcda, cdab, dabc; output: abcd x3, bcda x2, ...
        assert_eq!(c.tp, 5);
        assert_eq!(c.fp, 4);
        assert_eq!(c.fn_, 0);
    }

    #[test]
    fn empty_output_is_left_out_of_precision() {
        let s = score([("one two three four five", ""), ("x y z w", "x y z w")]);
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.recall, 0.5);
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;
    use crate::dataset;

    /// Reproduces the published numbers for Python trafilatura's output.
    #[test]
    fn reproduces_published_trafilatura_scores() {
        let Some(dir) = dataset::default_dir() else {
            eprintln!("skipping: ../shared/data/extraction/scrapinghub not found");
            return;
        };
        let gold = dataset::load_gold(&dir).expect("gold");
        let out = dataset::read_predictions(&dir.join("reference-outputs/trafilatura.json"))
            .expect("reference output");
        let s = score(gold.iter().map(|(id, g)| {
            let o = out.get(id).map(|(b, _)| b.as_str()).unwrap_or("");
            (g.as_str(), o)
        }));
        let r6 = |x: f64| format!("{x:.6}");
        assert_eq!(r6(s.f1), "0.957503", "{s:?}");
        assert_eq!(r6(s.precision), "0.938289", "{s:?}");
        assert_eq!(r6(s.recall), "0.977519", "{s:?}");
    }
}
