//! Corpus-level boilerplate: paragraphs that recur across many unrelated
//! articles of one outlet (footers, sign-up boxes, standard disclaimers).
//! No single-page extractor can see them; the store can.
//!
//! A paragraph is learned as an outlet's boilerplate when all of these hold:
//! - the outlet has at least [`LearnOptions::min_articles`] articles;
//! - the paragraph (normalised: lower case, digits folded, whitespace
//!   collapsed) appears in at least `min_count` of them and in at least
//!   `min_share` of all of them;
//! - the articles that carry it are about different things: the mean
//!   word-set similarity of their *other* text is below `max_similarity`.
//!
//! The last rule is what keeps a quote that recurs through one story's
//! coverage: articles of one story share much of their vocabulary, while a
//! footer sits under articles about everything.

use std::collections::{HashMap, HashSet};

/// Hash of a paragraph's normalised form, as stored (16 hex digits).
pub fn paragraph_hash(paragraph: &str) -> String {
    let mut normal = String::with_capacity(paragraph.len());
    let mut last_digit = false;
    for word in paragraph.split_whitespace() {
        if !normal.is_empty() {
            normal.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            // Fold digit runs: "© 2019" and "© 2020" are the same footer.
            if c.is_ascii_digit() {
                if !last_digit {
                    normal.push('0');
                }
                last_digit = true;
            } else {
                normal.push(c);
                last_digit = false;
            }
        }
    }
    dossier_core::ArticleId::of_bytes(normal.as_bytes()).to_hex()[..16].to_owned()
}

/// Learned boilerplate, by source, as paragraph hashes.
#[derive(Debug, Clone, Default)]
pub struct CorpusBoilerplate {
    by_source: HashMap<String, HashSet<String>>,
}

impl CorpusBoilerplate {
    pub fn new(entries: impl IntoIterator<Item = (String, String)>) -> CorpusBoilerplate {
        let mut by_source: HashMap<String, HashSet<String>> = HashMap::new();
        for (source, hash) in entries {
            by_source.entry(source).or_default().insert(hash);
        }
        CorpusBoilerplate { by_source }
    }

    pub fn for_source(&self, source: Option<&str>) -> Option<&HashSet<String>> {
        self.by_source.get(source?).filter(|set| !set.is_empty())
    }
}

#[derive(Debug, Clone, Copy)]
pub struct LearnOptions {
    pub min_articles: usize,
    pub min_count: usize,
    pub min_share: f64,
    pub max_similarity: f64,
}

impl Default for LearnOptions {
    fn default() -> LearnOptions {
        LearnOptions {
            min_articles: 10,
            min_count: 5,
            min_share: 0.1,
            max_similarity: 0.15,
        }
    }
}

/// A paragraph learned as boilerplate for one outlet.
#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    pub hash: String,
    pub text: String,
    pub articles: usize,
    pub share: f64,
}

/// Most articles compared pairwise per candidate (similarity is quadratic).
const SIMILARITY_SAMPLE: usize = 24;

/// Learns one outlet's boilerplate from its articles, each given as its
/// paragraphs (including any cut earlier as boilerplate, so that learning
/// again sees the same evidence).
pub fn learn(articles: &[Vec<String>], opts: &LearnOptions) -> Vec<Learned> {
    if articles.len() < opts.min_articles {
        return Vec::new();
    }
    // hash -> (first text seen, indices of articles holding it)
    let mut seen: HashMap<String, (String, Vec<usize>)> = HashMap::new();
    for (i, paragraphs) in articles.iter().enumerate() {
        let mut in_this = HashSet::new();
        for p in paragraphs {
            let h = paragraph_hash(p);
            if in_this.insert(h.clone()) {
                seen.entry(h)
                    .or_insert_with(|| (p.clone(), Vec::new()))
                    .1
                    .push(i);
            }
        }
    }
    let needed = opts
        .min_count
        .max((opts.min_share * articles.len() as f64).ceil() as usize);
    let words = content_words(articles);
    let mut learned: Vec<Learned> = seen
        .into_iter()
        .filter(|(_, (_, holders))| holders.len() >= needed)
        .filter(|(_, (text, holders))| {
            similarity_without(&words, holders, text) < opts.max_similarity
        })
        .map(|(hash, (text, holders))| Learned {
            hash,
            text,
            articles: holders.len(),
            share: holders.len() as f64 / articles.len() as f64,
        })
        .collect();
    learned.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.hash.cmp(&b.hash)));
    learned
}

/// Words in more than this share of an outlet's articles say nothing about
/// what an article is about ("the", "said", the outlet's name).
const MAX_WORD_SHARE: f64 = 0.5;

fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() > 2)
}

/// Each article's set of content words: words that are not in most of the
/// outlet's articles.
fn content_words(articles: &[Vec<String>]) -> Vec<HashSet<String>> {
    let sets: Vec<HashSet<String>> = articles
        .iter()
        .map(|ps| ps.iter().flat_map(|p| words_of(p)).collect())
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for set in &sets {
        for w in set {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    let limit = (MAX_WORD_SHARE * sets.len() as f64) as usize;
    let common: HashSet<String> = df
        .into_iter()
        .filter(|&(_, n)| n > limit)
        .map(|(w, _)| w.to_owned())
        .collect();
    sets.into_iter()
        .map(|set| set.into_iter().filter(|w| !common.contains(w)).collect())
        .collect()
}

/// Mean pairwise Jaccard similarity of the content words of the given
/// articles, leaving out the candidate paragraph's own words.
fn similarity_without(words: &[HashSet<String>], holders: &[usize], paragraph: &str) -> f64 {
    let own: HashSet<String> = words_of(paragraph).collect();
    let step = (holders.len() / SIMILARITY_SAMPLE).max(1);
    let sets: Vec<HashSet<&String>> = holders
        .iter()
        .step_by(step)
        .take(SIMILARITY_SAMPLE)
        .map(|&i| words[i].iter().filter(|w| !own.contains(*w)).collect())
        .collect();
    let mut total = 0.0;
    let mut pairs = 0usize;
    for (i, a) in sets.iter().enumerate() {
        for b in &sets[i + 1..] {
            let union = a.union(b).count();
            if union > 0 {
                total += a.intersection(b).count() as f64 / union as f64;
            }
            pairs += 1;
        }
    }
    if pairs == 0 {
        0.0
    } else {
        total / pairs as f64
    }
}

/// The result of cutting learned paragraphs out of one text.
pub(crate) struct Cut {
    pub text: String,
    /// (character offset in the new text, removed paragraph)
    pub removed: Vec<(usize, String)>,
    /// Kept paragraphs: (old char start, new char start, char length).
    kept: Vec<(usize, usize, usize)>,
}

impl Cut {
    /// Maps a character offset in the old text to the new text.
    pub fn map(&self, old: usize) -> usize {
        let mut new_end = 0;
        for &(o, n, len) in &self.kept {
            if old < o {
                return n;
            }
            if old <= o + len {
                return n + (old - o);
            }
            new_end = n + len;
        }
        new_end
    }
}

/// Removes paragraphs (blocks separated by a blank line) whose hash is in
/// `learned`. Never removes every paragraph: a text made only of
/// "boilerplate" is more likely a mislearned outlet than an empty article.
pub(crate) fn cut(text: &str, learned: &HashSet<String>) -> Option<Cut> {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let drop: Vec<bool> = paragraphs
        .iter()
        .map(|p| !p.trim().is_empty() && learned.contains(&paragraph_hash(p)))
        .collect();
    if !drop.contains(&true)
        || drop
            .iter()
            .zip(&paragraphs)
            .all(|(d, p)| *d || p.trim().is_empty())
    {
        return None;
    }
    let mut out = Cut {
        text: String::with_capacity(text.len()),
        removed: Vec::new(),
        kept: Vec::new(),
    };
    let (mut old, mut new) = (0usize, 0usize);
    for (p, dropped) in paragraphs.iter().zip(drop) {
        let len = p.chars().count();
        if dropped {
            out.removed.push((new, p.trim().to_owned()));
        } else {
            if !out.text.is_empty() {
                out.text.push_str("\n\n");
                new += 2;
            }
            out.kept.push((old, new, len));
            out.text.push_str(p);
            new += len;
        }
        old += len + 2;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOPICS: &[&str] = &[
        "The central bank raised interest rates by half a point citing persistent inflation",
        "Farmers in the north reported a record wheat harvest after a wet spring",
        "The football club appointed a new coach after a string of defeats",
        "Engineers began repairing the bridge that was damaged by spring floods",
        "A new museum of modern art opened its doors in the old port district",
        "Parliament debated a bill that would change the rules for local elections",
        "The airline cancelled dozens of flights because of a strike by pilots",
        "Scientists published a study on air pollution in large industrial cities",
        "The mining company announced plans to build a copper smelter near the border",
        "Teachers demanded higher wages at a rally outside the education ministry",
        "Heavy snow closed mountain roads and cut power to several villages",
        "The telecom regulator fined two operators for misleading advertising",
    ];
    const FOOTER: &str =
        "Subscribe to our newsletter for daily updates. © 2019 Example Times. All rights reserved.";
    const QUOTE: &str =
        "\"We will not give up until every family has a home again,\" the minister said.";

    fn outlet() -> Vec<Vec<String>> {
        let mut articles = Vec::new();
        for (i, topic) in TOPICS.iter().enumerate() {
            let footer = FOOTER.replace("2019", &(2015 + i % 5).to_string());
            articles.push(vec![
                format!("{topic}."),
                format!("More detail about it: {topic}, officials said."),
                footer,
            ]);
        }
        // One story followed over six articles, each repeating a quote.
        for day in 0..6 {
            articles.push(vec![
                format!("Day {day} after the earthquake: rescue teams searched collapsed houses in the valley."),
                QUOTE.to_owned(),
                "Rescue teams and volunteers continued searching collapsed houses in the earthquake valley.".to_owned(),
                FOOTER.to_owned(),
            ]);
        }
        articles
    }

    #[test]
    fn a_footer_is_learned_and_a_recurring_quote_is_not() {
        let learned = learn(&outlet(), &LearnOptions::default());
        let hashes: Vec<&str> = learned.iter().map(|l| l.hash.as_str()).collect();
        assert!(
            hashes.contains(&paragraph_hash(FOOTER).as_str()),
            "{learned:?}"
        );
        assert!(
            !hashes.contains(&paragraph_hash(QUOTE).as_str()),
            "{learned:?}"
        );
        assert_eq!(learned.len(), 1, "{learned:?}");
        assert_eq!(learned[0].articles, 18);
    }

    #[test]
    fn small_outlets_learn_nothing() {
        let few = outlet().into_iter().take(5).collect::<Vec<_>>();
        assert!(learn(&few, &LearnOptions::default()).is_empty());
    }

    #[test]
    fn cutting_keeps_offsets_mappable() {
        let set: HashSet<String> = [paragraph_hash(FOOTER)].into();
        let text = format!("Первый абзац.\n\n{FOOTER}\n\nSecond paragraph.");
        let cut = cut(&text, &set).unwrap();
        assert_eq!(cut.text, "Первый абзац.\n\nSecond paragraph.");
        assert_eq!(cut.removed, vec![(13, FOOTER.to_owned())]);
        let old_second = text.chars().count() - "Second paragraph.".len();
        assert_eq!(cut.map(old_second), 15);
        assert_eq!(cut.map(3), 3);
        // Never everything.
        assert!(super::cut(FOOTER, &set).is_none());
    }
}
