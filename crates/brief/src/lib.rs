//! The briefing memo: given the stories of a time window with their
//! articles (text, metadata, layers, copy relations), rank them and write
//! each item extractively: a headline (the earliest original's title), two
//! to four whole sentences chosen from the sources' `sentences` layer, key
//! numbers, quotes with speakers, and the sources (originals first, copies
//! folded under them). Every sentence, number and quote cites the article
//! and the character span it came from. Pure: no I/O, no store.
//!
//! Around that core: `background` (dated history lines of a continuing
//! story), `commentary` (an analyst's comment, kept apart and attributed),
//! `whatsnew` (a brief relative to an earlier stored one), and the Markdown
//! and HTML renderings.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use dossier_core::Span;
use serde::{Deserialize, Serialize};

mod background;
mod commentary;
mod html;
mod markdown;
pub mod timeline;
mod whatsnew;
pub use html::to_html;
pub use markdown::to_markdown;
pub use whatsnew::{Previous, PreviousRef, QuietStory, Status, WhatsNew};

/// One article as the brief needs it.
#[derive(Debug, Clone, Default)]
pub struct BriefArticle {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// `YYYY-MM-DD` or an instant; `None` when undated.
    pub published: Option<String>,
    /// Bylines, to attribute commentary.
    pub authors: Vec<String>,
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
    /// The story's articles published before the window, oldest first
    /// (a bounded number of the latest): its history, for background.
    pub earlier: Vec<BriefArticle>,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub article: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sentence {
    pub text: String,
    /// The first citation is where `text` was taken from; others are
    /// articles saying the same (near-identical sentences).
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Number {
    pub text: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub citation: Citation,
    /// In a what's-new brief: the same kind of quantity in the same story
    /// as the earlier brief's articles gave it, when the value changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_from: Option<Box<Number>>,
}

/// One dated line of a story's history: a whole sentence from an article
/// published before the window, or one whose time expression points there.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackgroundLine {
    /// The TIMEX3 value of the date the line is about (`2022`, `2024-11`,
    /// `2024-11-21`).
    pub date: String,
    /// The date for a reader ("November 2024").
    pub label: String,
    pub text: String,
    pub citations: Vec<Citation>,
}

/// A passage where an analyst or the outlet comments rather than reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Commentary {
    pub text: String,
    /// Who comments: the byline when there is one, and the outlet.
    pub attribution: String,
    /// How it was recognised: `marker`, `section` or `voice`.
    pub kind: Option<String>,
    pub citation: Citation,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub speaker: String,
    pub cue: Option<String>,
    pub citation: Citation,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    pub rank: usize,
    pub story: i64,
    pub score: f64,
    pub headline: String,
    pub headline_citation: Citation,
    pub sentences: Vec<Sentence>,
    pub numbers: Vec<Number>,
    pub quotes: Vec<Quote>,
    #[serde(default)]
    pub commentary: Vec<Commentary>,
    #[serde(default)]
    pub background: Vec<BackgroundLine>,
    pub sources: Vec<Source>,
    /// Articles published before the window that background lines or
    /// revised numbers cite.
    #[serde(default)]
    pub earlier_sources: Vec<Source>,
    pub signals: Signals,
    /// Set in a brief made relative to an earlier one (`--since-brief`).
    #[serde(default)]
    pub whats_new: Option<WhatsNew>,
    /// Silent edits: sources whose outlet changed the article after it was
    /// first fetched (filled by the caller, which knows the revisions).
    #[serde(default)]
    pub edits: Vec<Edit>,
}

/// An outlet changed an article after publication (a later revision of a
/// fetched page).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Edit {
    /// The edited (newer) article.
    pub article: String,
    pub source: Option<String>,
    pub url: String,
    pub revision: i64,
    /// When the change was found (`YYYY-MM-DDTHH:MM:SSZ`).
    pub found: String,
    pub words_added: i64,
    pub words_removed: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Brief {
    pub since: String,
    pub until: String,
    /// Stories considered (before `max_items`).
    pub stories: usize,
    pub items: Vec<Item>,
    /// The earlier brief this one reports changes against.
    #[serde(default)]
    pub since_brief: Option<PreviousRef>,
    /// Stories of the earlier brief with nothing new in this window.
    #[serde(default)]
    pub quiet: Vec<QuietStory>,
}

/// Builds the brief of `stories`.
pub fn build(stories: &[StoryInput], opts: &Options) -> Brief {
    build_since(stories, opts, None)
}

/// Builds the brief of `stories`; with `previous`, relative to that earlier
/// brief: a story it covered keeps only what is new (see [`whatsnew`]), a
/// story it did not is marked new, and its stories with nothing new are
/// listed as quiet.
pub fn build_since(stories: &[StoryInput], opts: &Options, previous: Option<&Previous>) -> Brief {
    let mut tracker = previous.map(|p| whatsnew::Tracker::new(p, stories));
    let mut items: Vec<Item> = Vec::new();
    let mut seen_headlines: Vec<HashSet<String>> = Vec::new();
    let groups: Vec<Cow<StoryInput>> = stories.iter().flat_map(split_by_headline).collect();
    let groups: Vec<&StoryInput> = groups.iter().map(|g| g.as_ref()).collect();
    let ranked = rank(&groups, opts);
    let considered = ranked.len();
    for (score, story, signals) in ranked {
        if items.len() >= opts.max_items {
            break;
        }
        let relation = match &tracker {
            Some(t) => t.relation(story),
            None => whatsnew::Relation::Plain,
        };
        let item = build_item(story, score, signals, opts, &relation);
        if let (Some(t), whatsnew::Relation::Continuing(_)) = (tracker.as_mut(), &relation) {
            t.record(story, item.is_some());
        }
        let Some(item) = item else {
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
        since_brief: previous.map(Previous::reference),
        quiet: tracker.map(whatsnew::Tracker::quiet).unwrap_or_default(),
    }
}

/// The stories with articles, best first.
fn rank<'a>(stories: &[&'a StoryInput], opts: &Options) -> Vec<(f64, &'a StoryInput, Signals)> {
    let entity_df = entity_document_frequency(stories);
    let until_day = day_number(&opts.until);
    let mut scored: Vec<(f64, &StoryInput, Signals)> = stories
        .iter()
        .copied()
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
    scored
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
fn entity_document_frequency(stories: &[&StoryInput]) -> HashMap<String, usize> {
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

/// Splits a story whose originals are about different events (a clustering
/// miss: their headlines share under a quarter of their content words) into
/// one group per event, each original with its copies, so every item tells
/// one event and lists only its own sources. Earlier articles go to the
/// group whose headline they share most words with.
fn split_by_headline(s: &StoryInput) -> Vec<Cow<'_, StoryInput>> {
    let parents = originals(s);
    let mut groups: Vec<(HashSet<String>, HashSet<&str>)> = Vec::new();
    for a in s.articles.iter().filter(|a| !parents.contains_key(&a.id)) {
        let words = content_words(&a.title);
        match groups
            .iter_mut()
            .find(|(lead, _)| overlap(lead, &words) >= 0.25)
        {
            Some((_, ids)) => {
                ids.insert(&a.id);
            }
            None => groups.push((words, HashSet::from([a.id.as_str()]))),
        }
    }
    if groups.len() <= 1 {
        return vec![Cow::Borrowed(s)];
    }
    fn home<'a>(parents: &'a HashMap<String, String>, id: &'a str) -> &'a str {
        parents.get(id).map_or(id, String::as_str)
    }
    let mut out: Vec<StoryInput> = groups
        .iter()
        .map(|(_, ids)| StoryInput {
            story: s.story,
            articles: s
                .articles
                .iter()
                .filter(|a| ids.contains(home(&parents, &a.id)))
                .cloned()
                .collect(),
            copies: s
                .copies
                .iter()
                .filter(|(x, y)| ids.contains(home(&parents, x)) && ids.contains(home(&parents, y)))
                .cloned()
                .collect(),
            earlier: Vec::new(),
        })
        .collect();
    for a in &s.earlier {
        let words = content_words(&a.title);
        let best = (0..groups.len())
            .max_by(|&i, &j| {
                overlap(&groups[i].0, &words)
                    .total_cmp(&overlap(&groups[j].0, &words))
                    .then(j.cmp(&i))
            })
            .unwrap_or(0);
        out[best].earlier.push(a.clone());
    }
    out.into_iter().map(Cow::Owned).collect()
}

fn build_item(
    s: &StoryInput,
    score: f64,
    signals: Signals,
    opts: &Options,
    relation: &whatsnew::Relation,
) -> Option<Item> {
    let parents = originals(s);
    let originals: Vec<&BriefArticle> = s
        .articles
        .iter()
        .filter(|a| !parents.contains_key(&a.id))
        .collect();
    let known = relation.known();
    // A continuing story is told only from the articles the earlier brief
    // did not have.
    let fresh: Vec<&BriefArticle> = originals
        .iter()
        .copied()
        .filter(|a| known.is_none_or(|k| !k.has_article(&a.id)))
        .collect();
    let first = fresh.first().or(originals.first())?;
    let covered = |words: &HashSet<String>| known.is_some_and(|k| k.covers(words));
    // A sentence about an older time ("In October 1957, ...") is history:
    // it may become a background line, not a reported one.
    let history_before = day_number(&opts.since).map(|d| d - background::MIN_DAYS_BEFORE);
    let exclude = |a: &BriefArticle, span: (usize, usize), text: &str, words: &HashSet<String>| {
        covered(words)
            || history_before.is_some_and(|d| background::past_date(a, span, text, d).is_some())
    };
    let sentences = choose_sentences(&fresh, &s.articles, opts.max_sentences.max(1), &exclude);
    let numbers = match known {
        Some(k) => k.numbers(&fresh),
        None => key_numbers(&fresh),
    };
    let quotes = quotes(&fresh, &covered);
    let whats_new = relation.changes(s, &fresh);
    // A continuing story may bring only a revised number or a new outlet.
    let something_else = whats_new.as_ref().is_some_and(|w| {
        !w.outlets.is_empty() || !w.entities.is_empty() || !numbers.is_empty() || !quotes.is_empty()
    });
    if sentences.is_empty() && !(known.is_some() && something_else) {
        return None;
    }
    let mut item = Item {
        rank: 0,
        story: s.story,
        score: (score * 1000.0).round() / 1000.0,
        headline: first.title.trim().to_owned(),
        headline_citation: Citation {
            article: first.id.clone(),
            start: 0,
            end: 0,
        },
        commentary: commentary::passages(&fresh, 1),
        background: Vec::new(),
        sources: sources(s, &originals, &parents),
        earlier_sources: Vec::new(),
        sentences,
        numbers,
        quotes,
        signals,
        whats_new,
        edits: Vec::new(),
    };
    let printed = known.map(whatsnew::Known::printed).unwrap_or_default();
    item.background = background::lines(s, &originals, &item, printed, &opts.since, 2);
    item.earlier_sources = earlier_sources(s, &item, relation);
    Some(item)
}

/// Originals, oldest first, each with its copies folded under it.
fn sources(
    s: &StoryInput,
    originals: &[&BriefArticle],
    parents: &HashMap<String, String>,
) -> Vec<Source> {
    originals
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
        .collect()
}

/// Every article an item cites, in citation order.
pub fn cited_articles(item: &Item) -> Vec<&str> {
    let mut all: Vec<&Citation> = vec![&item.headline_citation];
    all.extend(item.sentences.iter().flat_map(|s| &s.citations));
    for n in &item.numbers {
        all.push(&n.citation);
        all.extend(n.revised_from.as_ref().map(|r| &r.citation));
    }
    all.extend(item.quotes.iter().map(|q| &q.citation));
    all.extend(item.commentary.iter().map(|c| &c.citation));
    all.extend(item.background.iter().flat_map(|b| &b.citations));
    if let Some(w) = &item.whats_new {
        all.extend(w.entities.iter().map(|e| &e.citation));
        all.extend(w.outlets.iter().map(|o| &o.citation));
    }
    let mut out: Vec<&str> = Vec::new();
    for c in all {
        if !out.contains(&c.article.as_str()) {
            out.push(c.article.as_str());
        }
    }
    out
}

/// The articles an item cites that are not among its window's sources:
/// earlier articles of the story, and the earlier brief's.
fn earlier_sources(s: &StoryInput, item: &Item, relation: &whatsnew::Relation) -> Vec<Source> {
    let listed: HashSet<&str> = item
        .sources
        .iter()
        .flat_map(|o| std::iter::once(o).chain(&o.copies))
        .map(|o| o.id.as_str())
        .collect();
    cited_articles(item)
        .into_iter()
        .filter(|id| !listed.contains(id))
        .filter_map(|id| {
            s.earlier
                .iter()
                .find(|a| a.id == id)
                .or_else(|| relation.known().and_then(|k| k.article(id)))
        })
        .map(source_of)
        .collect()
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
    if first.is_lowercase() || matches!(first, ',' | ';' | ':' | '(' | '[' | ')' | '-' | '–' | '—')
    {
        return false;
    }
    // "But ...", "And ..." lean on a sentence the reader does not have.
    let opener = text.split_whitespace().next().unwrap_or("");
    if matches!(opener, "But" | "And" | "Or" | "So" | "Yet") {
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

/// Rules a sentence out: (its article, its span, its text, its words).
type Exclude<'a> = dyn Fn(&BriefArticle, (usize, usize), &str, &HashSet<String>) -> bool + 'a;

/// Up to `max` whole sentences of `originals`, best first then in story
/// order, leaving out commentary and what `exclude` rules out (what a
/// reader has already seen, history)
/// already seen.
fn choose_sentences(
    originals: &[&BriefArticle],
    all: &[BriefArticle],
    max: usize,
    exclude: &Exclude,
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
            let words = word_set(&text);
            if exclude(a, (start, end), &text, &words) {
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
                words,
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

/// Units that measure time (or age): never key numbers.
const TIME_UNITS: &[&str] = &[
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "decade",
    "century",
    "year of age",
];

fn key_numbers(originals: &[&BriefArticle]) -> Vec<Number> {
    let mut out: Vec<Number> = Vec::new();
    for a in originals {
        for n in article_numbers(a) {
            if out.len() >= 4 {
                return out;
            }
            if !out.iter().any(|k| k.value == n.value && k.unit == n.unit) {
                out.push(n);
            }
        }
    }
    out
}

/// Whether a quantity is worth a reader's attention: it has a unit that is
/// not a span of time; money and percentages always count; a small whole
/// count ("two presidential debates", "three candidates") only when it
/// counts people (the dead, the injured, the arrested).
fn is_key_number(value: Option<f64>, unit: &str) -> bool {
    if TIME_UNITS.contains(&unit) {
        return false;
    }
    let money = unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase());
    let share = matches!(unit, "%" | "percent" | "percentage point");
    if money || share {
        return true;
    }
    let small_count = value.is_some_and(|v| v.fract() == 0.0 && v.abs() < 10.0);
    let people = matches!(unit, "person" | "people");
    !(value.is_some_and(|v| v.abs() < 2.0) || small_count && !people)
}

/// The key quantities of an article (see [`is_key_number`]).
fn article_numbers(a: &BriefArticle) -> Vec<Number> {
    let chars: Vec<char> = a.text.chars().collect();
    spans(a, "quantities")
        .iter()
        .filter_map(|q| {
            let unit = q.fields.get("unit").and_then(|v| v.as_str())?;
            if q.start >= q.end || q.end > chars.len() {
                return None;
            }
            let value = q.fields.get("value").and_then(|v| v.as_f64());
            if !is_key_number(value, unit) {
                return None;
            }
            Some(Number {
                text: chars[q.start..q.end].iter().collect(),
                value,
                unit: Some(unit.to_owned()),
                citation: Citation {
                    article: a.id.clone(),
                    start: q.start,
                    end: q.end,
                },
                revised_from: None,
            })
        })
        .collect()
}

fn quotes(originals: &[&BriefArticle], covered: &dyn Fn(&HashSet<String>) -> bool) -> Vec<Quote> {
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
            if covered(&words) || seen.iter().any(|w| overlap(w, &words) >= 0.6) {
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
