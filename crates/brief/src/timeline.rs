//! Timelines: the dated events of a set of articles, dated by when they
//! happened rather than when they were reported, each event told in one or
//! two cited sentences, plus the coverage volume over time. Pure: no I/O,
//! no store.
//!
//! The method is "Datewise" timeline summarisation (Tran et al. 2013;
//! Gholipour Ghalandari & Ifrim 2020, news-tls): first rank dates, then
//! summarise each chosen date from the sentences about it.
//!
//! 1. **Dates from the time layer.** Every sentence of the `sentences` layer
//!    is dated by the day-resolved values (`YYYY-MM-DD`, with or without a
//!    time of day) of the `timexes` spans inside it: "on Wednesday" in an
//!    article of 2009-04-30 is 2009-04-29, because the tagger resolved it
//!    against the publication date. Months, years, weeks and unresolved
//!    expressions do not date an event. A sentence with no such timex is
//!    dated by its article's publication day only when it is one of the
//!    article's first [`Params::lead_sentences`] sentences (the lead reports
//!    the news of the day), and then it stands for the publication day and
//!    the [`Params::lead_days`]` - 1` days before it (news is often
//!    published the day after it happened).
//! 2. **Date importance.** A date scores
//!    `w_articles ln(1 + articles mentioning it) + w_sentences ln(1 +
//!    sentences mentioning it) + w_later ln(1 + articles published after it
//!    that mention it) + w_published ln(1 + articles published on it)`.
//!    news-tls learns such weights by regression on other topics; here they
//!    are fixed ([`Params::default`]) and were tuned on the Timeline17
//!    development topics (H1N1, Haiti) with the time window open, where the
//!    choice is among about eight times more days than asked for (see
//!    `eval/README.md`): retrospective references alone rank best (an event
//!    matters when reports written afterwards still name it), with the
//!    number of reports published on the day as a small tie-breaker; same-day
//!    mentions and raw sentence counts did not help. The
//!    [`Options::max_dates`] best dates in the window
//!    ([`Options::since`]..[`Options::until`]) that yield a summary become
//!    events (ties: the earlier day), shown in date order with their
//!    importance rank.
//! 3. **Sentences per date.** The candidates for a date are the sentences
//!    that mention it and the lead sentences standing for it. As news-tls's
//!    PM-Mean collector does, a date vector keeps the TF-IDF terms that both
//!    groups share (each group's mean), and candidates less similar to it
//!    than the knee of the sorted similarity curve are dropped (news-tls
//!    reads that threshold from the unsorted list, an evident slip; here it
//!    is the knee's own value); among the
//!    rest, sentences are chosen greedily so that their summed TF-IDF vector
//!    is closest (cosine) to the candidates' centroid ("CentroidOpt"). A
//!    sentence must read as a whole statement ([`Params::min_words`] ..
//!    [`Params::max_words`] words, not a note about the page), contain one of
//!    [`Options::keywords`] when any are given, and not repeat (word overlap
//!    [`Params::duplicate_overlap`]) a sentence already chosen for this or
//!    another date.
//! 4. **Provenance.** Each sentence cites the article and character span it
//!    was taken from, with outlet and URL, then other articles carrying the
//!    same sentence (near-identical wording) among that date's candidates.
//!    [`EventSentence::dated_by`] says whether a timex or the publication
//!    day dated it, and `timex` gives the expression.
//! 5. **Coverage.** Articles per day, week (Monday first) or month (or year)
//!    by publication day, over the span of both the articles and the events,
//!    the bucket chosen so that the chart has at most about 100 bars.
//!
//! TF-IDF: words are lower-cased runs of letters and digits, English stop
//! words removed, term frequency raw, `idf = ln((1 + n) / (1 + df)) + 1`
//! over all sentences of the input (scikit-learn's smoothed idf), vectors
//! L2-normalised.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::{day_number, is_meta, overlap, whole_sentences, word_set, BriefArticle};

mod render;
mod svg;

pub use render::{escape, to_html, to_markdown};
pub use svg::to_svg;

/// The tuned constants of the method (module docs, steps 1 to 3).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub w_articles: f64,
    pub w_sentences: f64,
    pub w_later: f64,
    pub w_published: f64,
    /// Leading sentences of an article (without a timex of their own) that
    /// stand for its publication day.
    pub lead_sentences: usize,
    /// How many days, ending on the publication day, a lead sentence stands
    /// for (2: the day and the day before).
    pub lead_days: usize,
    pub min_words: usize,
    pub max_words: usize,
    /// Overlap coefficient of two sentences' word sets at which the second
    /// repeats the first.
    pub duplicate_overlap: f64,
    /// Drop candidates below the knee of the similarity curve (news-tls
    /// PM-Mean) before choosing sentences.
    pub knee: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            w_articles: 0.0,
            w_sentences: 0.0,
            w_later: 1.0,
            w_published: 0.05,
            lead_sentences: 10,
            lead_days: 2,
            min_words: 6,
            max_words: 60,
            duplicate_overlap: 0.6,
            knee: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Dates (events) at most.
    pub max_dates: usize,
    /// Sentences per date at most.
    pub sentences_per_date: usize,
    /// First and last event day (`YYYY-MM-DD`, inclusive); `None`: open.
    pub since: Option<String>,
    pub until: Option<String>,
    /// When not empty, a chosen sentence must contain one of these
    /// (case-insensitive substring), as news-tls's topic keywords.
    pub keywords: Vec<String>,
    /// What the timeline is about, for titles ("entity Tokayev").
    pub subject: String,
    pub params: Params,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_dates: 10,
            sentences_per_date: 2,
            since: None,
            until: None,
            keywords: Vec::new(),
            subject: String::new(),
            params: Params::default(),
        }
    }
}

/// Where a sentence comes from: article, outlet, URL and the character span
/// `[start, end)` of the sentence in the article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineCitation {
    pub article: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// What dated a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DatedBy {
    /// A time expression in the sentence (see `timex`).
    Timex,
    /// The article's publication day (a lead sentence without a timex).
    Published,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventSentence {
    pub text: String,
    pub dated_by: DatedBy,
    /// The time expression that dated the sentence, as written.
    pub timex: Option<String>,
    /// The first citation is where `text` was taken from; others are
    /// articles carrying the same sentence.
    pub citations: Vec<TimelineCitation>,
}

/// What the date ranking saw of a date.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DateSignals {
    /// Sentences whose time expressions name the date.
    pub mentions: usize,
    /// Articles with such a sentence.
    pub articles: usize,
    /// Of those, articles published after the date.
    pub later_articles: usize,
    /// Articles published on the date.
    pub published: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// The day the event happened, `YYYY-MM-DD`.
    pub date: String,
    /// Importance rank among the events, 1 = most important.
    pub rank: usize,
    pub score: f64,
    pub signals: DateSignals,
    pub sentences: Vec<EventSentence>,
}

/// An article cited by the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineSource {
    pub id: String,
    pub source: Option<String>,
    pub title: String,
    pub url: Option<String>,
    pub published: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    Week,
    Month,
    Year,
}

/// Articles published in `[start, end]` (days, inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bin {
    pub start: String,
    pub end: String,
    pub articles: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub bucket: Bucket,
    /// Consecutive bins from the first to the last day of articles and
    /// events; empty when nothing is dated.
    pub bins: Vec<Bin>,
    /// Articles without a publication day (not in any bin).
    pub undated: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub subject: String,
    /// Articles given.
    pub articles: usize,
    /// Distinct days named by the articles' time expressions and leads.
    pub candidate_dates: usize,
    /// First and last event day.
    pub first: Option<String>,
    pub last: Option<String>,
    /// In date order.
    pub events: Vec<Event>,
    pub coverage: Coverage,
    /// The cited articles, in order of first citation.
    pub sources: Vec<TimelineSource>,
}

// ------------------------------------------------------------------ days

/// `YYYY-MM-DD` of a day number (days since 1970-01-01, proleptic
/// Gregorian); the inverse of [`day_number`].
pub fn day_string(day: i64) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's civil_from_days.
fn civil(day: i64) -> (i64, i64, i64) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The day of a TIMEX3 value naming a calendar day (`2009-04-29`, or with a
/// time of day `2009-04-29T14:00`, `2009-04-29TEV`); `None` for months,
/// weeks, years, durations and unresolved values.
pub fn timex_day(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || (b.len() > 10 && b[10] != b'T') {
        return None;
    }
    if !b[..10]
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    day_number(value)
}

// ---------------------------------------------------------- preparation

/// English stop words left out of TF-IDF vectors.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "s",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// One sentence of the input.
struct Sent {
    doc: usize,
    position: usize,
    start: usize,
    end: usize,
    text: String,
    /// Days named by its timexes, with the expression as written.
    days: Vec<(i64, String)>,
    words: HashSet<String>,
    /// Passes the quality and keyword filters.
    eligible: bool,
}

fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A sparse vector: (term id, weight), sorted by term id.
type Vector = Vec<(u32, f64)>;

fn dot(a: &Vector, b: &Vector) -> f64 {
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

fn norm(a: &Vector) -> f64 {
    a.iter().map(|(_, w)| w * w).sum::<f64>().sqrt()
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    let n = norm(a) * norm(b);
    if n > 0.0 {
        dot(a, b) / n
    } else {
        0.0
    }
}

/// `scale`·sum of `vectors`.
fn sum(vectors: &[&Vector], scale: f64) -> Vector {
    let mut acc: BTreeMap<u32, f64> = BTreeMap::new();
    for v in vectors {
        for &(t, w) in v.iter() {
            *acc.entry(t).or_default() += w * scale;
        }
    }
    acc.into_iter().filter(|(_, w)| *w != 0.0).collect()
}

/// L2-normalised TF-IDF vectors of the sentences.
fn tfidf(sents: &[Sent]) -> Vec<Vector> {
    let stop: HashSet<&str> = STOP_WORDS.iter().copied().collect();
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut df: Vec<usize> = Vec::new();
    let counts: Vec<BTreeMap<u32, f64>> = sents
        .iter()
        .map(|s| {
            let mut tf: BTreeMap<u32, f64> = BTreeMap::new();
            for w in words_of(&s.text) {
                if stop.contains(w.as_str()) {
                    continue;
                }
                let next = vocab.len() as u32;
                let id = *vocab.entry(w).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                let e = tf.entry(id).or_default();
                if *e == 0.0 {
                    df[id as usize] += 1;
                }
                *e += 1.0;
            }
            tf
        })
        .collect();
    let n = sents.len() as f64;
    counts
        .into_iter()
        .map(|tf| {
            let v: Vector = tf
                .into_iter()
                .map(|(t, c)| {
                    (
                        t,
                        c * (((1.0 + n) / (1.0 + df[t as usize] as f64)).ln() + 1.0),
                    )
                })
                .collect();
            let l = norm(&v);
            if l > 0.0 {
                v.into_iter().map(|(t, w)| (t, w / l)).collect()
            } else {
                v
            }
        })
        .collect()
}

fn sentences_of(doc: usize, a: &BriefArticle, opts: &Options) -> Vec<Sent> {
    let chars: Vec<char> = a.text.chars().collect();
    let timexes: Vec<(usize, usize, i64, String)> = crate::spans(a, "timexes")
        .iter()
        .filter(|t| t.start < t.end && t.end <= chars.len())
        .filter_map(|t| {
            let day = timex_day(t.fields.get("value")?.as_str()?)?;
            let text = match t.fields.get("text").and_then(|v| v.as_str()) {
                Some(s) => s.to_owned(),
                None => chars[t.start..t.end].iter().collect(),
            };
            Some((t.start, t.end, day, text))
        })
        .collect();
    let keywords: Vec<String> = opts
        .keywords
        .iter()
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    let p = &opts.params;
    whole_sentences(a)
        .into_iter()
        .enumerate()
        .map(|(position, (start, end, text))| {
            let mut days: Vec<(i64, String)> = Vec::new();
            for (ts, te, day, t) in &timexes {
                if *ts < end && start < *te && !days.iter().any(|(d, _)| d == day) {
                    days.push((*day, t.clone()));
                }
            }
            let n_words = text.split_whitespace().count();
            let lower = text.to_lowercase();
            let eligible = (p.min_words..=p.max_words).contains(&n_words)
                && !is_meta(&text)
                && (keywords.is_empty() || keywords.iter().any(|k| lower.contains(k)));
            Sent {
                doc,
                position,
                start,
                end,
                words: word_set(&text),
                text,
                days,
                eligible,
            }
        })
        .collect()
}

// ---------------------------------------------------------------- build

#[derive(Default)]
struct DateStat {
    mentions: usize,
    docs: HashSet<usize>,
    later: HashSet<usize>,
    published: usize,
    /// Candidate sentences: (sentence index, dated by a timex).
    candidates: Vec<(usize, bool)>,
}

/// Builds the timeline of `articles` (any order).
pub fn build(articles: &[BriefArticle], opts: &Options) -> Timeline {
    let p = &opts.params;
    let pub_days: Vec<Option<i64>> = articles
        .iter()
        .map(|a| a.published.as_deref().and_then(day_number))
        .collect();
    let sents: Vec<Sent> = articles
        .iter()
        .enumerate()
        .flat_map(|(i, a)| sentences_of(i, a, opts))
        .collect();

    let mut stats: BTreeMap<i64, DateStat> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        let _ = a;
        if let Some(d) = pub_days[i] {
            stats.entry(d).or_default().published += 1;
        }
    }
    for (k, s) in sents.iter().enumerate() {
        if s.days.is_empty() {
            if s.position < p.lead_sentences {
                if let Some(pd) = pub_days[s.doc] {
                    for back in 0..p.lead_days as i64 {
                        stats
                            .entry(pd - back)
                            .or_default()
                            .candidates
                            .push((k, false));
                    }
                }
            }
            continue;
        }
        for (d, _) in &s.days {
            let st = stats.entry(*d).or_default();
            st.mentions += 1;
            st.docs.insert(s.doc);
            if pub_days[s.doc].is_some_and(|pd| pd > *d) {
                st.later.insert(s.doc);
            }
            st.candidates.push((k, true));
        }
    }
    let since = opts.since.as_deref().and_then(day_number);
    let until = opts.until.as_deref().and_then(day_number);
    let in_window = |d: i64| since.is_none_or(|s| d >= s) && until.is_none_or(|u| d <= u);
    let ln1p = |x: usize| (x as f64).ln_1p();
    let mut ranked: Vec<(f64, i64)> = stats
        .iter()
        .filter(|(d, st)| in_window(**d) && !st.candidates.is_empty())
        .map(|(d, st)| {
            let score = p.w_articles * ln1p(st.docs.len())
                + p.w_sentences * ln1p(st.mentions)
                + p.w_later * ln1p(st.later.len())
                + p.w_published * ln1p(st.published);
            (score, *d)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let candidate_dates = ranked.len();

    let vectors = if ranked.is_empty() || opts.max_dates == 0 {
        Vec::new()
    } else {
        tfidf(&sents)
    };
    let mut chosen_words: Vec<HashSet<String>> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    for (score, day) in ranked {
        if events.len() >= opts.max_dates {
            break;
        }
        let st = &stats[&day];
        let picked = summarize(
            &st.candidates,
            &sents,
            &vectors,
            opts.sentences_per_date,
            p,
            &mut chosen_words,
        );
        if picked.is_empty() {
            continue;
        }
        let sentences = picked
            .into_iter()
            .map(|k| event_sentence(k, day, &st.candidates, &sents, articles, p))
            .collect();
        events.push(Event {
            date: day_string(day),
            rank: events.len() + 1,
            score: (score * 1000.0).round() / 1000.0,
            signals: DateSignals {
                mentions: st.mentions,
                articles: st.docs.len(),
                later_articles: st.later.len(),
                published: st.published,
            },
            sentences,
        });
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.rank.cmp(&b.rank)));

    let mut sources: Vec<TimelineSource> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for c in events
        .iter()
        .flat_map(|e| &e.sentences)
        .flat_map(|s| &s.citations)
    {
        if seen.insert(c.article.as_str()) {
            if let Some(a) = articles.iter().find(|a| a.id == c.article) {
                sources.push(TimelineSource {
                    id: a.id.clone(),
                    source: a.source.clone(),
                    title: a.title.trim().to_owned(),
                    url: a.url.clone(),
                    published: a.published.clone(),
                });
            }
        }
    }
    let event_days: Vec<i64> = events.iter().filter_map(|e| day_number(&e.date)).collect();
    Timeline {
        subject: opts.subject.clone(),
        articles: articles.len(),
        candidate_dates,
        first: events.first().map(|e| e.date.clone()),
        last: events.last().map(|e| e.date.clone()),
        events,
        coverage: coverage(&pub_days, &event_days),
        sources,
    }
}

/// The knee of a descending curve: the index of the point farthest from
/// the line through its first and last points.
fn knee(values: &[f64]) -> usize {
    let n = values.len();
    if n < 3 {
        return n.saturating_sub(1);
    }
    let (x0, y0) = (0.0, values[0]);
    let (dx, dy) = ((n - 1) as f64, values[n - 1] - values[0]);
    let len = (dx * dx + dy * dy).sqrt();
    if len == 0.0 {
        return 0;
    }
    let mut best = (0, f64::MIN);
    for (i, &v) in values.iter().enumerate() {
        let dist = ((i as f64 - x0) * dy - (v - y0) * dx).abs() / len;
        if dist > best.1 {
            best = (i, dist);
        }
    }
    best.0
}

/// Chooses up to `k` sentences among `candidates` (module docs, step 3).
fn summarize(
    candidates: &[(usize, bool)],
    sents: &[Sent],
    vectors: &[Vector],
    k: usize,
    p: &Params,
    chosen_words: &mut Vec<HashSet<String>>,
) -> Vec<usize> {
    if k == 0 || candidates.is_empty() {
        return Vec::new();
    }
    let mut pool: Vec<usize> = candidates.iter().map(|&(i, _)| i).collect();
    pool.sort_unstable();
    pool.dedup();
    let ment: Vec<&Vector> = candidates
        .iter()
        .filter(|c| c.1)
        .map(|c| &vectors[c.0])
        .collect();
    let lead: Vec<&Vector> = candidates
        .iter()
        .filter(|c| !c.1)
        .map(|c| &vectors[c.0])
        .collect();
    if p.knee && !ment.is_empty() && !lead.is_empty() {
        // The date vector: terms both groups use, each group's mean.
        let m = sum(&ment, 1.0 / ment.len() as f64);
        let l = sum(&lead, 1.0 / lead.len() as f64);
        let lmap: HashMap<u32, f64> = l.into_iter().collect();
        let date: Vector = m
            .into_iter()
            .filter_map(|(t, w)| lmap.get(&t).map(|lw| (t, w + lw)))
            .collect();
        let sims: Vec<f64> = pool.iter().map(|&i| cosine(&date, &vectors[i])).collect();
        let mut sorted = sims.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let thresh = sorted[knee(&sorted)];
        let kept: Vec<usize> = pool
            .iter()
            .zip(&sims)
            .filter(|(_, &s)| s > 0.0 && s > thresh)
            .map(|(&i, _)| i)
            .collect();
        if !kept.is_empty() {
            pool = kept;
        }
    }
    let pool_vectors: Vec<&Vector> = pool.iter().map(|&i| &vectors[i]).collect();
    let centroid = sum(&pool_vectors, 1.0);
    let mut remaining: Vec<usize> = pool;
    let mut selected: Vec<usize> = Vec::new();
    let mut summary: Vector = Vec::new();
    while !remaining.is_empty() && selected.len() < k {
        let mut scored: Vec<(f64, usize)> = remaining
            .iter()
            .map(|&i| {
                let v = sum(&[&summary, &vectors[i]], 1.0);
                (cosine(&v, &centroid), i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut took = None;
        for &(_, i) in &scored {
            remaining.retain(|&r| r != i);
            let s = &sents[i];
            if !s.eligible
                || s.words.len() < 3
                || chosen_words
                    .iter()
                    .any(|w| overlap(w, &s.words) >= p.duplicate_overlap)
            {
                continue;
            }
            took = Some(i);
            break;
        }
        let Some(i) = took else { break };
        selected.push(i);
        chosen_words.push(sents[i].words.clone());
        summary = sum(&[&summary, &vectors[i]], 1.0);
    }
    // Read in source order.
    selected.sort_by_key(|&i| (sents[i].doc, sents[i].position));
    selected
}

fn citation(a: &BriefArticle, start: usize, end: usize) -> TimelineCitation {
    TimelineCitation {
        article: a.id.clone(),
        source: a.source.clone(),
        url: a.url.clone(),
        start,
        end,
    }
}

fn event_sentence(
    k: usize,
    day: i64,
    candidates: &[(usize, bool)],
    sents: &[Sent],
    articles: &[BriefArticle],
    p: &Params,
) -> EventSentence {
    let s = &sents[k];
    let timex = s
        .days
        .iter()
        .find(|(d, _)| *d == day)
        .map(|(_, t)| t.clone());
    let mut citations = vec![citation(&articles[s.doc], s.start, s.end)];
    let mut docs: HashSet<usize> = HashSet::from([s.doc]);
    let threshold = p.duplicate_overlap.max(0.8);
    for &(j, _) in candidates {
        let o = &sents[j];
        if docs.contains(&o.doc) || overlap(&o.words, &s.words) < threshold {
            continue;
        }
        docs.insert(o.doc);
        citations.push(citation(&articles[o.doc], o.start, o.end));
    }
    EventSentence {
        text: s.text.clone(),
        dated_by: if timex.is_some() {
            DatedBy::Timex
        } else {
            DatedBy::Published
        },
        timex,
        citations,
    }
}

// -------------------------------------------------------------- coverage

/// First day of the bucket holding `day`.
fn bucket_start(bucket: Bucket, day: i64) -> i64 {
    match bucket {
        Bucket::Day => day,
        // 1970-01-01 was a Thursday; weeks start on Monday.
        Bucket::Week => day - (day + 3).rem_euclid(7),
        Bucket::Month => {
            let (y, m, _) = civil(day);
            day_number(&format!("{y:04}-{m:02}-01")).unwrap_or(day)
        }
        Bucket::Year => {
            let (y, _, _) = civil(day);
            day_number(&format!("{y:04}-01-01")).unwrap_or(day)
        }
    }
}

/// First day of the bucket after the one starting on `start`.
fn bucket_next(bucket: Bucket, start: i64) -> i64 {
    match bucket {
        Bucket::Day => start + 1,
        Bucket::Week => start + 7,
        Bucket::Month => bucket_start(bucket, start + 31),
        Bucket::Year => bucket_start(bucket, start + 366),
    }
}

/// Articles per bucket by publication day, over the span of `pub_days`
/// and `event_days`.
fn coverage(pub_days: &[Option<i64>], event_days: &[i64]) -> Coverage {
    let undated = pub_days.iter().filter(|d| d.is_none()).count();
    let all = || pub_days.iter().flatten().chain(event_days.iter()).copied();
    let (Some(first), Some(last)) = (all().min(), all().max()) else {
        return Coverage {
            bucket: Bucket::Day,
            bins: Vec::new(),
            undated,
        };
    };
    let span = last - first;
    let bucket = if span <= 100 {
        Bucket::Day
    } else if span <= 700 {
        Bucket::Week
    } else if span <= 3000 {
        Bucket::Month
    } else {
        Bucket::Year
    };
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for d in pub_days.iter().flatten() {
        *counts.entry(bucket_start(bucket, *d)).or_default() += 1;
    }
    let mut bins = Vec::new();
    let mut start = bucket_start(bucket, first);
    // Bounded: a year bucket over the whole calendar is 10,000 bins.
    while start <= last && bins.len() < 20_000 {
        let next = bucket_next(bucket, start);
        bins.push(Bin {
            start: day_string(start),
            end: day_string(next - 1),
            articles: counts.get(&start).copied().unwrap_or(0),
        });
        start = next;
    }
    Coverage {
        bucket,
        bins,
        undated,
    }
}

#[cfg(test)]
mod tests;
