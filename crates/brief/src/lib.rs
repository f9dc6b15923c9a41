//! The briefing memo: given the stories of a time window with their
//! articles (text, metadata, layers, copy relations), rank them and write
//! each item extractively: a headline (the earliest original's title), two
//! to four whole sentences chosen from the sources' `sentences` layer, key
//! numbers, quotes with speakers, and the sources (originals first, copies
//! folded under them). Every sentence, number and quote cites the article
//! and the character span it came from. Pure: no I/O, no store.

use std::collections::{BTreeMap, HashMap, HashSet};

use dossier_core::Span;
use serde::Serialize;

mod markdown;
pub mod timeline;
pub use markdown::to_markdown;

/// One article as the brief needs it.
#[derive(Debug, Clone, Default)]
pub struct BriefArticle {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// `YYYY-MM-DD` or an instant; `None` when undated.
    pub published: Option<String>,
    pub text: String,
    pub layers: BTreeMap<String, Vec<Span>>,
}

/// One story of the window: its articles oldest first, and the verified
/// copy pairs among them (either order).
#[derive(Debug, Clone, Default)]
pub struct StoryInput {
    pub story: i64,
    pub articles: Vec<BriefArticle>,
    pub copies: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub since: String,
    pub until: String,
    /// Items at most.
    pub max_items: usize,
    /// Sentences per item at most (2..=4 is the intended range).
    pub max_sentences: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            since: String::new(),
            until: String::new(),
            max_items: 10,
            max_sentences: 3,
        }
    }
}

/// A pointer into one article's text: characters `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub article: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    pub text: String,
    /// The first citation is where `text` was taken from; others are
    /// articles saying the same (near-identical sentences).
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Number {
    pub text: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub citation: Citation,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub text: String,
    pub speaker: String,
    pub cue: Option<String>,
    pub citation: Citation,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub id: String,
    pub source: Option<String>,
    pub title: String,
    pub url: Option<String>,
    pub published: Option<String>,
    /// Copies of this article (near-duplicates published later).
    pub copies: Vec<Source>,
}

/// What the ranking saw of an item.
#[derive(Debug, Clone, Serialize)]
pub struct Signals {
    pub articles: usize,
    /// Articles that are not a copy of another.
    pub independent: usize,
    pub outlets: usize,
    pub last_published: Option<String>,
    /// Sum of the weights (log document frequency in the window) of the
    /// story's five heaviest entities.
    pub entity_weight: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub rank: usize,
    pub story: i64,
    pub score: f64,
    pub headline: String,
    pub headline_citation: Citation,
    pub sentences: Vec<Sentence>,
    pub numbers: Vec<Number>,
    pub quotes: Vec<Quote>,
    pub sources: Vec<Source>,
    pub signals: Signals,
}

#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub since: String,
    pub until: String,
    /// Stories considered (before `max_items`).
    pub stories: usize,
    pub items: Vec<Item>,
}

/// Builds the brief of `stories`.
pub fn build(stories: &[StoryInput], opts: &Options) -> Brief {
    let entity_df = entity_document_frequency(stories);
    let until_day = day_number(&opts.until);
    let mut scored: Vec<(f64, &StoryInput, Signals)> = stories
        .iter()
        .filter(|s| !s.articles.is_empty())
        .map(|s| {
            let signals = signals(s, &entity_df);
            (score(&signals, until_day), s, signals)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.2.last_published.cmp(&a.2.last_published))
            .then_with(|| a.1.story.cmp(&b.1.story))
    });
    let considered = scored.len();
    let mut items: Vec<Item> = Vec::new();
    let mut seen_headlines: Vec<HashSet<String>> = Vec::new();
    for (score, story, signals) in scored {
        if items.len() >= opts.max_items {
            break;
        }
        let Some(item) = build_item(story, score, signals, opts) else {
            continue;
        };
        // Two stories about one event (a clustering miss) make one item.
        let words = word_set(&item.headline);
        if seen_headlines.iter().any(|w| overlap(w, &words) >= 0.8) {
            continue;
        }
        seen_headlines.push(words);
        items.push(Item {
            rank: items.len() + 1,
            ..item
        });
    }
    Brief {
        since: opts.since.clone(),
        until: opts.until.clone(),
        stories: considered,
        items,
    }
}

/// The ranking: independent reports and outlets count most, then entity
/// weight, then recency (days before the end of the window).
pub fn score(s: &Signals, until_day: Option<i64>) -> f64 {
    let recency = match (until_day, s.last_published.as_deref().and_then(day_number)) {
        (Some(u), Some(d)) => (-((u - d).max(0) as f64) / 3.0).exp(),
        _ => 0.0,
    };
    3.0 * (1.0 + s.independent as f64).ln()
        + 2.0 * (1.0 + s.outlets as f64).ln()
        + 0.5 * (1.0 + s.articles as f64).ln()
        + 0.3 * s.entity_weight.min(10.0)
        + 1.0 * recency
}

/// Days since 1970-01-01 of `YYYY-MM-DD...` (proleptic Gregorian).
pub fn day_number(value: &str) -> Option<i64> {
    let y: i64 = value.get(0..4)?.parse().ok()?;
    let m: i64 = value.get(5..7)?.parse().ok()?;
    let d: i64 = value.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn entity_keys(a: &BriefArticle) -> HashSet<String> {
    let chars: Vec<char> = a.text.chars().collect();
    a.layers
        .get("entities")
        .into_iter()
        .flatten()
        .filter(|s| s.start < s.end && s.end <= chars.len())
        .map(|s| {
            chars[s.start..s.end]
                .iter()
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

/// In how many stories of the window each entity (lower-cased surface form)
/// occurs.
fn entity_document_frequency(stories: &[StoryInput]) -> HashMap<String, usize> {
    let mut df: HashMap<String, usize> = HashMap::new();
    for s in stories {
        let keys: HashSet<String> = s.articles.iter().flat_map(entity_keys).collect();
        for k in keys {
            *df.entry(k).or_default() += 1;
        }
    }
    df
}

fn signals(s: &StoryInput, df: &HashMap<String, usize>) -> Signals {
    let roots = originals(s);
    let independent = s
        .articles
        .iter()
        .filter(|a| !roots.contains_key(&a.id))
        .count();
    let mut outlets: Vec<&str> = s
        .articles
        .iter()
        .filter_map(|a| a.source.as_deref())
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    let keys: HashSet<String> = s.articles.iter().flat_map(entity_keys).collect();
    let mut weights: Vec<f64> = keys
        .iter()
        .map(|k| (df.get(k).copied().unwrap_or(1) as f64).ln_1p())
        .collect();
    weights.sort_by(|a, b| b.total_cmp(a));
    Signals {
        articles: s.articles.len(),
        independent,
        outlets: outlets.len(),
        last_published: s.articles.iter().filter_map(|a| a.published.clone()).max(),
        entity_weight: weights.iter().take(5).sum(),
    }
}

/// Copy → the original it was copied from (the earliest article it is a
/// copy of, following chains). Articles absent from the map are originals.
/// Articles come oldest first, so "earlier" is the order of `articles`.
pub fn originals(s: &StoryInput) -> HashMap<String, String> {
    let order: HashMap<&str, usize> = s
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut parent: HashMap<String, String> = HashMap::new();
    for a in &s.articles {
        let i = order[a.id.as_str()];
        let earliest = s
            .copies
            .iter()
            .filter_map(|(x, y)| {
                if x == &a.id {
                    Some(y)
                } else if y == &a.id {
                    Some(x)
                } else {
                    None
                }
            })
            .filter_map(|o| order.get(o.as_str()).map(|&j| (j, o)))
            .filter(|&(j, _)| j < i)
            .min_by_key(|&(j, _)| j);
        if let Some((_, o)) = earliest {
            let root = parent.get(o).cloned().unwrap_or_else(|| o.clone());
            parent.insert(a.id.clone(), root);
        }
    }
    parent
}

fn build_item(s: &StoryInput, score: f64, signals: Signals, opts: &Options) -> Option<Item> {
    let parents = originals(s);
    let originals: Vec<&BriefArticle> = s
        .articles
        .iter()
        .filter(|a| !parents.contains_key(&a.id))
        .collect();
    let first = originals.first()?;
    // Text is drawn only from originals on the headline's subject, so a
    // clustering miss does not mix two events in one paragraph.
    let lead = content_words(&first.title);
    let on_topic: Vec<&BriefArticle> = originals
        .iter()
        .copied()
        .filter(|a| a.id == first.id || overlap(&lead, &content_words(&a.title)) >= 0.25)
        .collect();
    let sentences = choose_sentences(&on_topic, &s.articles, opts.max_sentences.max(1));
    if sentences.is_empty() {
        return None;
    }
    let sources = originals
        .iter()
        .map(|o| {
            let mut src = source_of(o);
            src.copies = s
                .articles
                .iter()
                .filter(|a| parents.get(&a.id) == Some(&o.id))
                .map(source_of)
                .collect();
            src
        })
        .collect();
    Some(Item {
        rank: 0,
        story: s.story,
        score: (score * 1000.0).round() / 1000.0,
        headline: first.title.trim().to_owned(),
        headline_citation: Citation {
            article: first.id.clone(),
            start: 0,
            end: 0,
        },
        sentences,
        numbers: key_numbers(&on_topic),
        quotes: quotes(&on_topic),
        sources,
        signals,
    })
}

fn source_of(a: &BriefArticle) -> Source {
    Source {
        id: a.id.clone(),
        source: a.source.clone(),
        title: a.title.trim().to_owned(),
        url: a.url.clone(),
        published: a.published.clone(),
        copies: Vec::new(),
    }
}

/// A candidate sentence: trimmed whole sentence of one article.
struct Candidate<'a> {
    article: &'a BriefArticle,
    start: usize,
    end: usize,
    text: String,
    words: HashSet<String>,
    score: f64,
    article_rank: usize,
    position: usize,
}

fn spans<'a>(a: &'a BriefArticle, layer: &str) -> &'a [Span] {
    a.layers.get(layer).map(Vec::as_slice).unwrap_or(&[])
}

fn overlaps(s: &Span, start: usize, end: usize) -> bool {
    s.start < end && start < s.end
}

/// The sentence spans of an article, trimmed of surrounding whitespace,
/// as (start, end, text) in characters.
fn whole_sentences(a: &BriefArticle) -> Vec<(usize, usize, String)> {
    let chars: Vec<char> = a.text.chars().collect();
    spans(a, "sentences")
        .iter()
        .filter(|s| s.start < s.end && s.end <= chars.len())
        .filter_map(|s| {
            let mut start = s.start;
            let mut end = s.end;
            while start < end && chars[start].is_whitespace() {
                start += 1;
            }
            while end > start && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            (start < end).then(|| (start, end, chars[start..end].iter().collect()))
        })
        .collect()
}

/// A note about the page itself ("This article requires review"), not news.
fn is_meta(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("this article") || lower.contains("this story")
}

/// Whether a sentence reads as a finished, self-standing statement.
fn is_whole(text: &str) -> bool {
    let chars = text.chars().count();
    if !(40..=500).contains(&chars) || text.contains('\n') || is_meta(text) {
        return false;
    }
    let first = text.chars().next().unwrap_or(' ');
    if first.is_lowercase() || matches!(first, ',' | ';' | ':' | ')' | '-' | '–' | '—') {
        return false;
    }
    let last = text
        .trim_end_matches(['"', '\'', '”', '’', '»', ')'])
        .chars()
        .last();
    if !matches!(last, Some('.' | '!' | '。')) {
        return false;
    }
    // Balanced double quotes: a sentence split inside a quotation is cut.
    let straight = text.matches('"').count();
    let open = text.matches(['“', '«']).count();
    let close = text.matches(['”', '»']).count();
    straight.is_multiple_of(2) && open == close
}

fn choose_sentences(
    originals: &[&BriefArticle],
    all: &[BriefArticle],
    max: usize,
) -> Vec<Sentence> {
    let mut candidates: Vec<Candidate> = Vec::new();
    for (rank, a) in originals.iter().enumerate() {
        let commentary = spans(a, "commentary");
        let quantities = spans(a, "quantities");
        let entities = spans(a, "entities");
        for (position, (start, end, text)) in whole_sentences(a).into_iter().enumerate() {
            if !is_whole(&text) || commentary.iter().any(|c| overlaps(c, start, end)) {
                continue;
            }
            let numbers = quantities
                .iter()
                .filter(|q| overlaps(q, start, end))
                .count();
            let names = entities.iter().filter(|e| overlaps(e, start, end)).count();
            let score = 3.0 / (1.0 + position as f64)
                + if position == 0 { 2.0 } else { 0.0 }
                + 0.5 * numbers.min(2) as f64
                + 0.3 * names.min(4) as f64
                - 0.5 * rank as f64;
            candidates.push(Candidate {
                article: a,
                start,
                end,
                words: word_set(&text),
                text,
                score,
                article_rank: rank,
                position,
            });
        }
    }
    candidates.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| x.article_rank.cmp(&y.article_rank))
            .then_with(|| x.position.cmp(&y.position))
    });
    let mut chosen: Vec<&Candidate> = Vec::new();
    for c in &candidates {
        if chosen.len() >= max {
            break;
        }
        if c.words.len() < 5 || chosen.iter().any(|k| overlap(&k.words, &c.words) >= 0.5) {
            continue;
        }
        chosen.push(c);
    }
    // Read in story order: by source, then by place in the source.
    chosen.sort_by_key(|c| (c.article_rank, c.position));
    chosen
        .into_iter()
        .map(|c| {
            let mut citations = vec![Citation {
                article: c.article.id.clone(),
                start: c.start,
                end: c.end,
            }];
            // Other articles (copies included) saying the same thing.
            for other in all.iter().filter(|a| a.id != c.article.id) {
                if let Some((start, end, _)) = whole_sentences(other)
                    .into_iter()
                    .find(|(_, _, t)| overlap(&word_set(t), &c.words) >= 0.8)
                {
                    citations.push(Citation {
                        article: other.id.clone(),
                        start,
                        end,
                    });
                }
            }
            Sentence {
                text: c.text.clone(),
                citations,
            }
        })
        .collect()
}

/// Lower-cased words of four letters or more.
fn content_words(text: &str) -> HashSet<String> {
    word_set(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4)
        .collect()
}

/// Lower-cased words (runs of letters and digits).
pub fn word_set(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Overlap coefficient: shared words over the smaller set.
pub fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let small = a.len().min(b.len());
    if small == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / small as f64
}

const TIME_UNITS: &[&str] = &[
    "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
];

fn key_numbers(originals: &[&BriefArticle]) -> Vec<Number> {
    let mut out: Vec<Number> = Vec::new();
    for a in originals {
        let chars: Vec<char> = a.text.chars().collect();
        for q in spans(a, "quantities") {
            if out.len() >= 4 {
                return out;
            }
            let unit = q.fields.get("unit").and_then(|v| v.as_str());
            let Some(unit) = unit.filter(|u| !TIME_UNITS.contains(u)) else {
                continue;
            };
            if q.start >= q.end || q.end > chars.len() {
                continue;
            }
            let value = q.fields.get("value").and_then(|v| v.as_f64());
            if value.is_some_and(|v| v.abs() < 2.0) && unit != "%" && unit != "percent" {
                continue;
            }
            if out
                .iter()
                .any(|n| n.value == value && n.unit.as_deref() == Some(unit))
            {
                continue;
            }
            out.push(Number {
                text: chars[q.start..q.end].iter().collect(),
                value,
                unit: Some(unit.to_owned()),
                citation: Citation {
                    article: a.id.clone(),
                    start: q.start,
                    end: q.end,
                },
            });
        }
    }
    out
}

fn quotes(originals: &[&BriefArticle]) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    let mut seen: Vec<HashSet<String>> = Vec::new();
    for a in originals {
        let chars: Vec<char> = a.text.chars().collect();
        let commentary = spans(a, "commentary");
        let names: Vec<&Span> = spans(a, "entities")
            .iter()
            .filter(|e| {
                matches!(
                    e.fields.get("label").and_then(|v| v.as_str()),
                    Some("PER" | "ORG")
                )
            })
            .collect();
        for q in spans(a, "quotes") {
            if out.len() >= 2 {
                return out;
            }
            let direct = q.fields.get("kind").and_then(|v| v.as_str()) == Some("direct");
            let speaker = q.fields.get("speaker").and_then(|v| v.as_str());
            let (true, Some(speaker)) = (direct, speaker) else {
                continue;
            };
            // The speaker must be a named person or organisation.
            let at = |k: &str| q.fields.get(k).and_then(|v| v.as_u64()).map(|v| v as usize);
            let named = match (at("speaker_start"), at("speaker_end")) {
                (Some(s), Some(e)) => names.iter().any(|n| overlaps(n, s, e)),
                _ => false,
            };
            if !named {
                continue;
            }
            if q.start >= q.end
                || q.end > chars.len()
                || commentary.iter().any(|c| overlaps(c, q.start, q.end))
            {
                continue;
            }
            let text: String = chars[q.start..q.end].iter().collect();
            let text = text.trim().to_owned();
            let n = text.chars().count();
            if !(20..=300).contains(&n) {
                continue;
            }
            let words = word_set(&text);
            if seen.iter().any(|w| overlap(w, &words) >= 0.6) {
                continue;
            }
            seen.push(words);
            out.push(Quote {
                text,
                speaker: speaker.to_owned(),
                cue: q
                    .fields
                    .get("cue")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
                citation: Citation {
                    article: a.id.clone(),
                    start: q.start,
                    end: q.end,
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
