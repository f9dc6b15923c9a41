//! Article similarity (0..1) as story clustering sees it.
//!
//! An article becomes [`Features`]: its words (lower-cased, cut to a 6-character
//! prefix so inflections and many cognates meet; short and very common words
//! dropped), its title words, its named entities (from the `entities` layer
//! when given, else capitalised word runs), the numbers it states, and its
//! publication day. Two articles are compared on five components:
//!
//! - `cosine`: TF-IDF cosine of the word counts (sublinear tf), with the
//!   document frequencies of a [`DocFreq`] table built incrementally;
//! - `title`: overlap of the title words (share of the shorter title);
//! - `entities`: overlap of the entity sets (share of the smaller set);
//! - `numbers`: overlap of the number sets (share of the smaller set);
//! - `time`: `exp(-days apart / TIME_SCALE_DAYS)` when both are dated.
//!
//! The score is the weighted mean of the components that are available
//! (title, entities, numbers and time drop out when either side has none),
//! mapped through a logistic curve fitted on SemEval-2022 Task 8
//! (see `eval/src/bin/similarity.rs`). Entities and numbers are written the
//! same way in most languages, so they carry cross-language pairs.
//!
//! Pure: no I/O, deterministic.

use std::collections::HashMap;

/// Words are cut to this many characters (a crude multilingual stemmer).
pub const STEM_CHARS: usize = 6;
/// Time proximity halves roughly every two days.
pub const TIME_SCALE_DAYS: f64 = 3.0;

/// A stable 64-bit hash (FNV-1a), so features are the same on every machine.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What similarity needs of one article. Every list is sorted by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// (word hash, count) of the title and text words.
    pub terms: Vec<(u64, f32)>,
    /// Distinct title word hashes.
    pub title: Vec<u64>,
    /// Distinct entity hashes (normalised surface forms).
    pub entities: Vec<u64>,
    /// Distinct numbers (hash of the digits).
    pub numbers: Vec<u64>,
    /// Publication day (days since 1970-01-01), when known.
    pub day: Option<i64>,
}

const STOPWORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "this", "from", "are", "was", "were", "has", "have",
    "had", "not", "but", "his", "her", "its", "their", "they", "them", "she", "him", "you", "your",
    "our", "who", "whom", "which", "what", "when", "where", "why", "how", "all", "any", "been",
    "being", "will", "would", "can", "could", "should", "may", "might", "must", "also", "than",
    "then", "there", "here", "into", "onto", "over", "under", "about", "after", "before", "more",
    "most", "some", "such", "only", "other", "said", "says", "one", "two", "new", "just", "out",
    "off", "very", "these", "those", "because", "while", "did", "does", "each", "per", "der",
    "die", "das", "und", "den", "dem", "des", "ein", "eine", "einer", "nicht", "mit", "auf", "für",
    "ist", "sich", "von", "als", "auch", "les", "des", "une", "dans", "pour", "que", "qui", "sur",
    "par", "est", "pas", "del", "los", "las", "por", "con", "una", "para", "como", "más", "che",
    "per", "non", "della", "sono", "não", "uma", "com", "się", "nie",
];

pub(crate) fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// Words: runs of alphanumeric characters.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The key of a content word, or None for words that carry no topic.
fn term_key(word: &str) -> Option<u64> {
    if word.chars().all(|c| c.is_ascii_digit()) {
        return None; // numbers are their own component
    }
    let lower = word.to_lowercase();
    let n = lower.chars().count();
    // CJK and similar scripts: keep single characters; others need 3.
    let wide = lower.chars().any(|c| (c as u32) >= 0x2E80);
    if (n < 3 && !wide) || is_stopword(&lower) {
        return None;
    }
    let stem: String = lower.chars().take(STEM_CHARS).collect();
    Some(hash_str(&stem))
}

fn number_key(word: &str) -> Option<u64> {
    let digits = word.trim_start_matches('0');
    if word.chars().all(|c| c.is_ascii_digit()) && !digits.is_empty() {
        // "1" .. "10" are too common to mean anything.
        if digits.len() == 1 || digits == "10" {
            return None;
        }
        Some(hash_str(digits) ^ 0x9e37_79b9)
    } else {
        None
    }
}

/// Normalised entity key: lower-cased words joined by one space.
pub fn entity_key(surface: &str) -> Option<u64> {
    let norm: Vec<String> = words(surface).map(|w| w.to_lowercase()).collect();
    if norm.is_empty() || norm.iter().all(|w| w.chars().count() < 2) {
        return None;
    }
    Some(hash_str(&norm.join(" ")))
}

/// Capitalised word runs not at a sentence start: a stand-in for entities
/// when no `entities` layer is given (Latin, Cyrillic, Greek scripts).
pub fn capitalised_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut sentence_start = true;
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(rest.len());
        let gap = &rest[..start];
        if gap.contains(['.', '!', '?', '\n', ':', '"', '“']) {
            if !run.is_empty() {
                out.push(run.join(" "));
                run.clear();
            }
            if gap.contains(['.', '!', '?', '\n']) {
                sentence_start = true;
            }
        } else if gap.contains([',', ';', '(', ')']) && !run.is_empty() {
            out.push(run.join(" "));
            run.clear();
        }
        rest = &rest[start..];
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        let capital = word.chars().next().is_some_and(|c| c.is_uppercase());
        let lower_word = word.to_lowercase();
        if capital && !(sentence_start && is_stopword(&lower_word)) && word.chars().count() > 1 {
            if !(sentence_start && run.is_empty() && is_stopword(&lower_word)) {
                run.push(word);
            }
        } else if !run.is_empty() {
            out.push(run.join(" "));
            run.clear();
        }
        sentence_start = false;
    }
    if !run.is_empty() {
        out.push(run.join(" "));
    }
    out
}

fn sorted_distinct(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

impl Features {
    /// Features of an article. `entities` are entity surface forms (from the
    /// `entities` layer); when None, capitalised word runs stand in.
    /// `day` is the publication day (days since 1970-01-01).
    pub fn new(title: &str, text: &str, entities: Option<&[String]>, day: Option<i64>) -> Self {
        let mut counts: HashMap<u64, f32> = HashMap::new();
        let mut numbers = Vec::new();
        for w in words(title).chain(words(text)) {
            if let Some(k) = term_key(w) {
                *counts.entry(k).or_default() += 1.0;
            } else if let Some(n) = number_key(w) {
                numbers.push(n);
            }
        }
        // The title counts twice: it names the event.
        for w in words(title) {
            if let Some(k) = term_key(w) {
                *counts.entry(k).or_default() += 1.0;
            }
        }
        let mut terms: Vec<(u64, f32)> = counts.into_iter().collect();
        terms.sort_unstable_by_key(|t| t.0);
        let title_terms = sorted_distinct(words(title).filter_map(term_key).collect());
        let entities = match entities {
            Some(list) => sorted_distinct(list.iter().filter_map(|e| entity_key(e)).collect()),
            None => {
                let mut names = capitalised_names(title);
                names.extend(capitalised_names(text));
                sorted_distinct(names.iter().filter_map(|e| entity_key(e)).collect())
            }
        };
        Features {
            terms,
            title: title_terms,
            entities,
            numbers: sorted_distinct(numbers),
            day,
        }
    }
}

/// Document frequencies, built incrementally (add each article once).
#[derive(Debug, Clone, Default)]
pub struct DocFreq {
    docs: u64,
    df: HashMap<u64, u32>,
}

impl DocFreq {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, f: &Features) {
        self.docs += 1;
        for (t, _) in &f.terms {
            *self.df.entry(*t).or_default() += 1;
        }
    }

    pub fn docs(&self) -> u64 {
        self.docs
    }

    /// Smoothed inverse document frequency, `ln((N + 1) / (df + 1)) + 1`.
    pub fn idf(&self, term: u64) -> f32 {
        let df = self.df.get(&term).copied().unwrap_or(0) as f32;
        ((self.docs as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    /// The TF-IDF vector (sublinear tf), L2-normalised, sorted by term.
    pub fn weigh(&self, terms: &[(u64, f32)]) -> Vec<(u64, f32)> {
        let mut v: Vec<(u64, f32)> = terms
            .iter()
            .map(|&(t, c)| (t, (1.0 + c.max(1e-6).ln()) * self.idf(t)))
            .collect();
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| x.1 /= norm);
        }
        v
    }
}

/// Dot product of two sorted sparse vectors.
pub fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// |A ∩ B| / min(|A|, |B|) of two sorted distinct lists; None when either is empty.
pub fn overlap(a: &[u64], b: &[u64]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let common = crate::sorted_common(a, b);
    Some(common as f64 / a.len().min(b.len()) as f64)
}

/// Time proximity of two days.
pub fn time_proximity(a: Option<i64>, b: Option<i64>) -> Option<f64> {
    Some((-((a? - b?).abs() as f64) / TIME_SCALE_DAYS).exp())
}

/// Component weights and the logistic mapping of their weighted mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub cosine: f64,
    pub title: f64,
    pub entities: f64,
    pub numbers: f64,
    pub time: f64,
    /// The logistic curve `1 / (1 + exp(-slope * (mean - centre)))`.
    pub centre: f64,
    pub slope: f64,
}

/// Fitted on the development half of SemEval-2022 Task 8 (English), which
/// favours the cosine alone; small entity/number/title weights are kept for
/// cross-language pairs and headlines (see `eval/src/bin/similarity.rs`).
pub const DEFAULT_WEIGHTS: Weights = Weights {
    cosine: 1.0,
    title: 0.1,
    entities: 0.15,
    numbers: 0.1,
    time: 0.3,
    centre: 0.15,
    slope: 14.0,
};

/// The similarity of two articles and its components (each 0..1, None
/// where a side lacks what the component needs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArticleSimilarity {
    pub score: f64,
    pub cosine: f64,
    pub title: Option<f64>,
    pub entities: Option<f64>,
    pub numbers: Option<f64>,
    pub time: Option<f64>,
}

impl ArticleSimilarity {
    /// Combines components with weights.
    pub fn combine(
        w: &Weights,
        cosine: f64,
        title: Option<f64>,
        entities: Option<f64>,
        numbers: Option<f64>,
        time: Option<f64>,
    ) -> ArticleSimilarity {
        let parts = [
            (w.cosine, Some(cosine)),
            (w.title, title),
            (w.entities, entities),
            (w.numbers, numbers),
            (w.time, time),
        ];
        let (mut sum, mut wsum) = (0.0, 0.0);
        for (weight, value) in parts {
            if let Some(v) = value {
                sum += weight * v;
                wsum += weight;
            }
        }
        let mean = if wsum > 0.0 { sum / wsum } else { 0.0 };
        let score = 1.0 / (1.0 + (-w.slope * (mean - w.centre)).exp());
        ArticleSimilarity {
            score,
            cosine,
            title,
            entities,
            numbers,
            time,
        }
    }
}

/// The similarity of two articles with the default weights.
pub fn similarity(a: &Features, b: &Features, df: &DocFreq) -> ArticleSimilarity {
    similarity_with(a, b, df, &DEFAULT_WEIGHTS)
}

/// The similarity of two articles with the given weights.
pub fn similarity_with(a: &Features, b: &Features, df: &DocFreq, w: &Weights) -> ArticleSimilarity {
    let cosine = dot(&df.weigh(&a.terms), &df.weigh(&b.terms)).clamp(0.0, 1.0) as f64;
    ArticleSimilarity::combine(
        w,
        cosine,
        overlap(&a.title, &b.title),
        overlap(&a.entities, &b.entities),
        overlap(&a.numbers, &b.numbers),
        time_proximity(a.day, b.day),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(title: &str, text: &str, day: i64) -> Features {
        Features::new(title, text, None, Some(day))
    }

    #[test]
    fn same_story_beats_same_topic_beats_unrelated() {
        let a = f(
            "Earthquake of magnitude 6.4 hits southern Turkey",
            "An earthquake of magnitude 6.4 struck Hatay province in southern Turkey on Monday, \
             killing at least 3 people and injuring 213, the disaster agency AFAD said.",
            19_000,
        );
        let same = f(
            "Turkey quake: 3 dead, 213 injured in Hatay",
            "A 6.4 magnitude earthquake shook Hatay in southern Turkey on Monday evening. AFAD \
             said 3 people were killed and 213 injured as buildings collapsed.",
            19_000,
        );
        let topic = f(
            "Strong earthquake hits Japan's northern coast",
            "A magnitude 7.1 earthquake struck off Fukushima in Japan on Saturday, the \
             meteorological agency said, with no tsunami warning issued.",
            19_040,
        );
        let unrelated = f(
            "Central bank raises interest rates again",
            "The European Central Bank raised its key interest rate by a quarter point on \
             Thursday, citing persistent inflation in the euro area.",
            19_100,
        );
        let mut df = DocFreq::new();
        for x in [&a, &same, &topic, &unrelated] {
            df.add(x);
        }
        let s1 = similarity(&a, &same, &df).score;
        let s2 = similarity(&a, &topic, &df).score;
        let s3 = similarity(&a, &unrelated, &df).score;
        assert!(s1 > s2 && s2 > s3, "{s1} {s2} {s3}");
        assert!(s1 > 0.5 && s3 < 0.2, "{s1} {s3}");
        let self_sim = similarity(&a, &a, &df).score;
        assert!(self_sim > 0.95, "{self_sim}");
    }

    #[test]
    fn empty_and_foreign_texts_do_not_crash() {
        let df = DocFreq::new();
        let e = Features::new("", "", None, None);
        let z = Features::new("東京で地震", "東京で地震が発生した。", None, None);
        let s = similarity(&e, &z, &df);
        assert!(s.score.is_finite() && (0.0..=1.0).contains(&s.score));
        assert!(similarity(&z, &z, &df).cosine > 0.99);
    }

    #[test]
    fn capitalised_names_skip_sentence_starts() {
        let names =
            capitalised_names("The talks in Geneva ended. Angela Merkel said so, Paris too.");
        assert!(names.contains(&"Geneva".to_owned()), "{names:?}");
        assert!(names.contains(&"Angela Merkel".to_owned()), "{names:?}");
        assert!(!names.iter().any(|n| n == "The"), "{names:?}");
    }
}
