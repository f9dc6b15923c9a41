//! Background: one or two dated lines of a story's history, so a reader
//! who missed its start knows where it comes from ("talks planned in 2022
//! ...; visit in November 2024 ...").
//!
//! Candidates are whole sentences, cited like every other line:
//! - the lead sentences of the story's oldest and newest articles published
//!   before the window, dated by a past time expression in the sentence or
//!   else by the article's publication day;
//! - sentences of the window's articles whose time expression (the
//!   `timexes` layer, TIMEX3 values anchored on the publication date) names
//!   a period that ended at least a week before the window: the article's
//!   own account of the history. A week, so "on Sunday" in a Monday article
//!   is news, not background.
//!
//! Lines repeat neither the item's sentences nor each other, have distinct
//! dates, and are shown oldest first.

use std::collections::HashSet;

use crate::{
    day_number, is_whole, overlap, overlaps, spans, whole_sentences, word_set, BackgroundLine,
    BriefArticle, Citation, Item, StoryInput,
};

/// The longest background line, in characters: a line, not a paragraph.
const MAX_CHARS: usize = 300;
/// How long before the window a window article's date must lie.
pub(crate) const MIN_DAYS_BEFORE: i64 = 7;

struct Candidate {
    line: BackgroundLine,
    /// First day of the dated period, for ordering.
    day: i64,
    score: f64,
}

pub(crate) fn lines(
    s: &StoryInput,
    originals: &[&BriefArticle],
    item: &Item,
    printed: &[HashSet<String>],
    since: &str,
    max: usize,
) -> Vec<BackgroundLine> {
    let Some(since_day) = day_number(since) else {
        return Vec::new();
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    // What the item is about: a window sentence's history must touch it.
    let mut topic = stems(&item.headline);
    for sentence in &item.sentences {
        topic.extend(stems(&sentence.text));
    }
    let earlier: Vec<&BriefArticle> = s
        .earlier
        .iter()
        .filter(|a| published_day(a).is_some_and(|d| d < since_day))
        .collect();
    let ends = [earlier.first(), earlier.last()];
    for (i, a) in ends.into_iter().flatten().enumerate() {
        // The newest earlier article is the nearer history.
        let bonus = 0.2 * i as f64;
        candidates.extend(lead(a, since_day).map(|mut c| {
            c.score += bonus;
            c
        }));
    }
    for a in originals {
        candidates.extend(dated_sentences(a, since_day - MIN_DAYS_BEFORE, &topic));
    }
    choose(candidates, item, printed, max)
}

/// Word stems (first five letters of words of four or more, stop words
/// left out): crude, but "flooded" meets "floods".
fn stems(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// Common words that say nothing about a topic.
const STOP: &[&str] = &[
    "this", "that", "with", "from", "have", "were", "which", "their", "there", "after", "about",
    "said", "says", "also", "been", "into", "over", "will", "would",
];

fn published_day(a: &BriefArticle) -> Option<i64> {
    a.published.as_deref().and_then(day_number)
}

/// The article's first whole sentence, dated by its own past date or by
/// the publication day.
fn lead(a: &BriefArticle, since_day: i64) -> Option<Candidate> {
    let (start, end, text) = whole_sentences(a)
        .into_iter()
        .take(3)
        .find(|(s, e, t)| usable(a, *s, *e, t))?;
    let dated = first_past_date(a, (start, end), &text, since_day, false);
    let (date, day, label) = dated.or_else(|| {
        let value = a.published.as_deref()?.get(..10)?.to_owned();
        let (first, _) = period(&value)?;
        let label = label(&value, None)?;
        Some((value, first, label))
    })?;
    Some(Candidate {
        line: line(a, start, end, text, date, label),
        day,
        score: 3.0,
    })
}

/// How far into an article a window sentence may be for background: past
/// its opening paragraphs a long piece wanders from the story.
const MAX_POSITION: usize = 15;

/// Window sentences near the article's start that share a word with the
/// item (`topic` stems) and date themselves before `limit_day`.
fn dated_sentences(a: &BriefArticle, limit_day: i64, topic: &HashSet<String>) -> Vec<Candidate> {
    whole_sentences(a)
        .into_iter()
        .take(MAX_POSITION)
        .enumerate()
        .filter(|(_, (s, e, t))| usable(a, *s, *e, t))
        .filter(|(_, (_, _, t))| !stems(t).is_disjoint(topic))
        .filter_map(|(position, (start, end, text))| {
            let (date, day, label) = past_date(a, (start, end), &text, limit_day)?;
            // An explicit year ("in 2022") is firmer ground than "last year".
            let explicit = text.chars().filter(char::is_ascii_digit).count() >= 4;
            let score = 2.0 + if explicit { 0.5 } else { 0.0 } - 0.05 * position.min(10) as f64;
            Some(Candidate {
                line: line(a, start, end, text, date, label),
                day,
                score,
            })
        })
        .collect()
}

/// Openers that point back at a sentence the line does not carry.
const ANAPHORA: &[&str] = &[
    "This", "These", "That", "Those", "It", "Its", "He", "She", "They", "His", "Her", "Their",
    "Such", "There",
];

/// Pronouns that, early in a lone line, leave the reader asking who.
const LEANING: &[&str] = &["he", "she", "they", "these", "those", "his", "her", "their"];

fn usable(a: &BriefArticle, start: usize, end: usize, text: &str) -> bool {
    let mut words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let opener = words.next().unwrap_or("");
    let leans = words
        .take(5)
        .any(|w| LEANING.contains(&w.to_lowercase().as_str()));
    text.chars().count() <= MAX_CHARS
        && !ANAPHORA.contains(&opener)
        && !leans
        && is_whole(text)
        && !spans(a, "commentary")
            .iter()
            .any(|c| overlaps(c, start, end))
}

fn line(
    a: &BriefArticle,
    start: usize,
    end: usize,
    text: String,
    date: String,
    label: String,
) -> BackgroundLine {
    BackgroundLine {
        date,
        label,
        text,
        citations: vec![Citation {
            article: a.id.clone(),
            start,
            end,
        }],
    }
}

/// The first DATE expression of the sentence `text` at `[start, end)` that
/// frames it (see [`frames`]) and names a period that ended before
/// `limit_day`: (TIMEX3 value, first day, label).
pub(crate) fn past_date(
    a: &BriefArticle,
    span: (usize, usize),
    text: &str,
    limit_day: i64,
) -> Option<(String, i64, String)> {
    first_past_date(a, span, text, limit_day, true)
}

/// As [`past_date`]; `early` asks for the date in the sentence's first 40%
/// (a lead's date often ends it: "... passed the Earth on Dec. 19.").
fn first_past_date(
    a: &BriefArticle,
    (start, end): (usize, usize),
    text: &str,
    limit_day: i64,
    early: bool,
) -> Option<(String, i64, String)> {
    let len = text.chars().count();
    spans(a, "timexes")
        .iter()
        .filter(|t| t.start >= start && t.end <= end)
        .filter(|t| t.fields.get("type").and_then(|v| v.as_str()) == Some("DATE"))
        .filter(|t| {
            let before: String = text.chars().take(t.start - start).collect();
            let after: String = text.chars().skip(t.end - start).take(3).collect();
            frames(&before, if early { len } else { usize::MAX / 4 }) && !runs_on(&after)
        })
        .find_map(|t| {
            let value = t.fields.get("value").and_then(|v| v.as_str())?;
            let (first, last) = period(value)?;
            if last >= limit_day {
                return None;
            }
            let modifier = t.fields.get("mod").and_then(|v| v.as_str());
            Some((value.to_owned(), first, label(value, modifier)?))
        })
}

/// Whether a number follows a date at once ("Level 4 Dec. 24" read as
/// "4 Dec."): the date was cut from a longer one and cannot be trusted.
fn runs_on(after: &str) -> bool {
    after
        .trim_start_matches([' ', '.'])
        .starts_with(|c: char| c.is_ascii_digit())
}

/// Words before a date that make it the time of a side remark or a
/// comparison ("who appointed her in 2017", "the largest since 1950",
/// "a record set in 2019"), not of what the sentence reports.
const SIDE_CUES: &[&str] = &[
    "who", "whom", "which", "whose", "since", "than", "record", "ago", "until", "till",
];

/// Whether a date, preceded in its sentence by `before` (of a sentence
/// `len` characters long), is when the sentence's event happened: it comes
/// in the first 40% of the sentence and after no side-remark cue.
fn frames(before: &str, len: usize) -> bool {
    if before.chars().count() * 5 > len * 2 {
        return false;
    }
    !before
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| SIDE_CUES.contains(&w))
}

/// First and last day of a TIMEX3 date value: a year (`2022`), a month
/// (`2024-11`), a day (`2024-11-21`) or a quarter (`2019-Q4`). Other
/// values (weeks, seasons, decades, unknown years) give none.
pub(crate) fn period(value: &str) -> Option<(i64, i64)> {
    let value = value.split('T').next()?;
    let year: i32 = value.get(..4)?.parse().ok()?;
    let rest = value.get(4..)?;
    let (from, to) = match rest.len() {
        0 => ((year, 1, 1), (year + 1, 1, 1)),
        3 if rest.starts_with("-Q") => {
            let q: u32 = rest
                .get(2..)?
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))?;
            let m = 3 * (q - 1) + 1;
            ((year, m, 1), next_month((year, m + 2)))
        }
        3 => {
            let m: u32 = rest.get(1..)?.parse().ok()?;
            ((year, m, 1), next_month((year, m)))
        }
        6 => {
            let m: u32 = rest.get(1..3)?.parse().ok()?;
            let d: u32 = rest.get(4..)?.parse().ok()?;
            let day = iso(year, m, d);
            let first = day_number(&day)?;
            return Some((first, first));
        }
        _ => return None,
    };
    let first = day_number(&iso(from.0, from.1, from.2))?;
    let next = day_number(&iso(to.0, to.1, to.2))?;
    Some((first, next - 1))
}

fn next_month((year, month): (i32, u32)) -> (i32, u32, u32) {
    if month >= 12 {
        (year + 1, 1, 1)
    } else {
        (year, month + 1, 1)
    }
}

fn iso(year: i32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date for a reader: "2022", "November 2024", "21 November 2024",
/// "Q4 2019", with "early", "mid-", "late" or "about" from the TIMEX3 `mod`.
pub(crate) fn label(value: &str, modifier: Option<&str>) -> Option<String> {
    let value = value.split('T').next()?;
    let year = value.get(..4)?;
    let month = |s: &str| -> Option<&str> {
        let m: usize = s.parse().ok()?;
        MONTHS.get(m.checked_sub(1)?).copied()
    };
    let base = match value.len() {
        4 => year.to_owned(),
        7 if value.get(5..6) == Some("Q") => format!("{} {year}", value.get(5..)?),
        7 => format!("{} {year}", month(value.get(5..7)?)?),
        10 => {
            let day: u32 = value.get(8..)?.parse().ok()?;
            format!("{day} {} {year}", month(value.get(5..7)?)?)
        }
        _ => return None,
    };
    let prefix = match modifier {
        Some("START") => "early ",
        Some("MID") => "mid-",
        Some("END") => "late ",
        Some("APPROX") => "about ",
        _ => "",
    };
    Some(format!("{prefix}{base}"))
}

/// The best `max` candidates that repeat neither the item, nor what the
/// earlier brief printed (`printed`), nor each other, and have distinct
/// dates, oldest first.
fn choose(
    mut candidates: Vec<Candidate>,
    item: &Item,
    printed: &[HashSet<String>],
    max: usize,
) -> Vec<BackgroundLine> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.day.cmp(&b.day)));
    // Content words, so "the" and "in" do not make two lines one.
    let content = |w: &HashSet<String>| -> HashSet<String> {
        w.iter()
            .filter(|w| w.chars().count() >= 4)
            .cloned()
            .collect()
    };
    let mut said: Vec<_> = item
        .sentences
        .iter()
        .map(|s| content(&word_set(&s.text)))
        .collect();
    said.extend(printed.iter().map(content));
    let mut chosen: Vec<(Candidate, HashSet<String>)> = Vec::new();
    for c in candidates {
        if chosen.len() >= max {
            break;
        }
        let words = content(&word_set(&c.line.text));
        let repeats = said.iter().any(|w| overlap(w, &words) >= 0.6)
            || chosen
                .iter()
                .any(|(k, w)| k.line.label == c.line.label || overlap(w, &words) >= 0.6);
        if !repeats {
            chosen.push((c, words));
        }
    }
    chosen.sort_by_key(|(c, _)| c.day);
    chosen.into_iter().map(|(c, _)| c.line).collect()
}
