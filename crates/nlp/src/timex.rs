//! Temporal expressions: a rule-based TIMEX3 tagger in the style of HeidelTime.
//!
//! The text is cut into tokens (runs of letters and digits, single punctuation
//! marks); at each token a fixed set of rules with bounded look-ahead is tried
//! and the longest match wins, so the whole pass is linear in the text.
//!
//! Each span carries the TimeML attributes: `type` (DATE, TIME, DURATION, SET),
//! `value` (ISO 8601 / TIMEX3: `2019-11-21`, `2019-W47`, `2019-Q4`, `199` for
//! the 1990s, `XXXX-09-17` when the year cannot be known, `PRESENT_REF`,
//! `P2D`, `PT3H`...), an optional `mod` (START, MID, END, APPROX, MORE_THAN,
//! LESS_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS) and `text`.
//!
//! Relative expressions are resolved against the anchor: the publication date
//! from [`Context::published`], or when it is absent the last full date (with
//! a year) stated earlier in the text. News conventions: a bare weekday or a
//! month without a year means the most recent one in a past-tense sentence and
//! the next one in a future-tense sentence ("will", "'ll", "plans to"...).

use crate::Context;
use dossier_core::{ByteToChar, Component, Layer, Span};
use jiff::civil::{Date, Weekday};

pub const TIMEX_COMPONENT: (&str, &str) = ("nlp-timex", "1");

/// One temporal expression, with byte offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub value: String,
    pub modifier: Option<&'static str>,
}

/// The `timexes` layer: character-offset spans with `type`, `value`, `mod`
/// (when there is one) and `text`.
pub fn timex_layer(text: &str, context: &Context) -> Layer {
    let anchor = context.published.and_then(|d| parse_anchor(&d.value));
    let mut conv = ByteToChar::new(text);
    let spans = find_timexes(text, anchor)
        .into_iter()
        .map(|t| {
            let mut span = Span::new(conv.to_char(t.start), conv.to_char(t.end))
                .with("type", t.kind)
                .with("value", t.value);
            if let Some(m) = t.modifier {
                span = span.with("mod", m);
            }
            span.with("text", &text[t.start..t.end])
        })
        .collect();
    Layer {
        name: "timexes".into(),
        component: Component::new(TIMEX_COMPONENT.0, TIMEX_COMPONENT.1),
        spans,
    }
}

/// The calendar day of an ISO date or date-time (`2019-11-21`, `2019-11-21T10:04:00Z`).
pub fn parse_anchor(value: &str) -> Option<Date> {
    value.get(..10).and_then(|s| s.parse::<Date>().ok())
}

/// All temporal expressions of `text`, in order, not overlapping. `anchor` is
/// the publication date; without one, full dates in the text become the
/// anchor for what follows them.
pub fn find_timexes(text: &str, anchor: Option<Date>) -> Vec<Timex> {
    let toks = tokenize(text);
    let sentences = sentence_bounds(&toks);
    let fixed = anchor.is_some();
    let mut m = Matcher {
        toks: &toks,
        sentences: &sentences,
        anchor,
        at: 0,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        m.at = i;
        match m.best(i) {
            Some(f) => {
                if !fixed {
                    // Narrative anchoring: the last full date stated or resolved.
                    let resolved = (f.kind == "DATE" && f.value.len() == 10)
                        .then(|| f.value.parse::<Date>().ok())
                        .flatten();
                    if let Some(d) = f.explicit.or(resolved) {
                        m.anchor = Some(d);
                    }
                }
                out.push(Timex {
                    start: toks[f.start].s,
                    end: toks[f.end - 1].e,
                    kind: f.kind,
                    value: f.value,
                    modifier: f.modifier,
                });
                i = f.end;
            }
            None => i += 1,
        }
    }
    out
}

// ---------------------------------------------------------------- tokens

struct Tok<'a> {
    s: usize,
    e: usize,
    raw: &'a str,
    low: String,
    num: Option<u32>,
    /// Whitespace precedes this token.
    space: bool,
    /// A blank line precedes this token.
    para: bool,
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut space = true;
    let mut newlines = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((s, c)) = iter.next() {
        if c.is_whitespace() {
            space = true;
            if c == '\n' {
                newlines += 1;
            }
            continue;
        }
        let mut e = s + c.len_utf8();
        if c.is_alphanumeric() {
            while let Some(&(p, d)) = iter.peek() {
                if !d.is_alphanumeric() {
                    break;
                }
                e = p + d.len_utf8();
                iter.next();
            }
        }
        let raw = &text[s..e];
        let mut low = raw.to_lowercase();
        if low == "’" || low == "‘" {
            low = "'".into();
        } else if low == "–" || low == "—" {
            low = "-".into();
        }
        let num = if raw.len() <= 9 && raw.bytes().all(|b| b.is_ascii_digit()) {
            raw.parse().ok()
        } else {
            None
        };
        toks.push(Tok {
            s,
            e,
            raw,
            low,
            num,
            space,
            para: newlines >= 2,
        });
        space = false;
        newlines = 0;
    }
    toks
}

// ---------------------------------------------------------------- tense

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    /// A past-tense word from the list ("said", "was", "fell").
    Past,
    /// Only a word ending in "-ed" (often an adjective or participle).
    PastWeak,
    Present,
    Future,
}

const FUTURE_WORDS: &[&str] = &["will", "shall", "ll", "tomorrow", "upcoming", "scheduled"];
const PAST_WORDS: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "said",
    "told",
    "ago",
    "yesterday",
    "last",
    "came",
    "went",
    "took",
    "made",
    "rose",
    "fell",
    "began",
    "met",
    "saw",
    "gave",
    "left",
    "won",
    "lost",
    "held",
    "sold",
    "bought",
    "paid",
    "led",
    "got",
    "found",
    "became",
    "knew",
    "thought",
    "earlier",
];

/// The sentence (token range) each token is in.
fn sentence_bounds(toks: &[Tok]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(toks.len());
    let mut start = 0;
    for i in 0..=toks.len() {
        let boundary = i == toks.len()
            || toks[i].para
            || (i > 0
                && matches!(toks[i - 1].low.as_str(), "." | "!" | "?")
                && toks[i].space
                && !(i > 1 && is_abbreviation(&toks[i - 2].low)));
        if boundary && i > start {
            out.extend(std::iter::repeat_n((start, i), i - start));
            start = i;
        }
    }
    out
}

/// How far (in tokens) to look for the verb that sets an expression's tense.
const TENSE_WINDOW: usize = 25;

fn tense_of_word(w: &str) -> Option<Tense> {
    if FUTURE_WORDS.contains(&w) {
        Some(Tense::Future)
    } else if PAST_WORDS.contains(&w) {
        Some(Tense::Past)
    } else if w.len() > 4 && w.ends_with("ed") {
        Some(Tense::PastWeak)
    } else {
        None
    }
}

fn is_abbreviation(w: &str) -> bool {
    w.chars().count() == 1
        || month_abbr(w).is_some()
        || matches!(
            w,
            "mr" | "mrs"
                | "ms"
                | "dr"
                | "st"
                | "gen"
                | "gov"
                | "sen"
                | "rep"
                | "co"
                | "inc"
                | "corp"
        )
}

// ---------------------------------------------------------------- lexicon

fn month_full(w: &str) -> Option<u8> {
    Some(match w {
        "january" => 1,
        "february" => 2,
        "march" => 3,
        "april" => 4,
        "may" => 5,
        "june" => 6,
        "july" => 7,
        "august" => 8,
        "september" => 9,
        "october" => 10,
        "november" => 11,
        "december" => 12,
        _ => return None,
    })
}

fn month_abbr(w: &str) -> Option<u8> {
    Some(match w {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" | "sept" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    })
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

fn weekday_abbr(w: &str) -> Option<Weekday> {
    Some(match w {
        "mon" => Weekday::Monday,
        "tue" | "tues" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" | "thur" | "thurs" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    })
}

fn weekday_plural(w: &str) -> Option<Weekday> {
    w.strip_suffix('s').and_then(weekday_of)
}

fn word_number(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn ordinal(w: &str) -> Option<u32> {
    Some(match w {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        _ => return None,
    })
}

fn day_number(w: &str, num: Option<u32>) -> Option<u32> {
    let n = match num {
        Some(n) if w.len() <= 2 => n,
        Some(_) => return None,
        None => {
            let digits = w
                .strip_suffix("st")
                .or_else(|| w.strip_suffix("nd"))
                .or_else(|| w.strip_suffix("rd"))
                .or_else(|| w.strip_suffix("th"))?;
            if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            digits.parse().ok()?
        }
    };
    (1..=31).contains(&n).then_some(n)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

/// A unit word and whether it is plural.
fn unit_of(w: &str) -> Option<(Unit, bool)> {
    Some(match w {
        "second" => (Unit::Second, false),
        "seconds" => (Unit::Second, true),
        "minute" | "min" => (Unit::Minute, false),
        "minutes" | "mins" => (Unit::Minute, true),
        "hour" | "hr" => (Unit::Hour, false),
        "hours" | "hrs" => (Unit::Hour, true),
        "day" => (Unit::Day, false),
        "days" => (Unit::Day, true),
        "week" => (Unit::Week, false),
        "weeks" => (Unit::Week, true),
        "weekend" => (Unit::Weekend, false),
        "weekends" => (Unit::Weekend, true),
        "month" => (Unit::Month, false),
        "months" => (Unit::Month, true),
        "quarter" => (Unit::Quarter, false),
        "quarters" => (Unit::Quarter, true),
        "year" | "yr" => (Unit::Year, false),
        "years" | "yrs" => (Unit::Year, true),
        "decade" => (Unit::Decade, false),
        "decades" => (Unit::Decade, true),
        "century" => (Unit::Century, false),
        "centuries" => (Unit::Century, true),
        _ => return None,
    })
}

/// A duration value: `P2D`, `PT3H`, `PXY` when the number is vague.
fn duration_value(n: Option<u32>, unit: Unit) -> String {
    let num = |k: u32| match n {
        Some(v) => (v as u64 * k as u64).to_string(),
        None => "X".to_string(),
    };
    match unit {
        Unit::Second => format!("PT{}S", num(1)),
        Unit::Minute => format!("PT{}M", num(1)),
        Unit::Hour => format!("PT{}H", num(1)),
        Unit::Day => format!("P{}D", num(1)),
        Unit::Week => format!("P{}W", num(1)),
        Unit::Weekend => format!("P{}WE", num(1)),
        Unit::Month => format!("P{}M", num(1)),
        Unit::Quarter => format!("P{}Q", num(1)),
        Unit::Year => format!("P{}Y", num(1)),
        Unit::Decade if n.is_none() => "PXDE".into(),
        Unit::Decade => format!("P{}Y", num(10)),
        Unit::Century if n.is_none() => "PXCE".into(),
        Unit::Century => format!("P{}Y", num(100)),
    }
}

fn fmt_day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn fmt_month(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn fmt_week(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn quarter_of(d: Date) -> i8 {
    (d.month() - 1) / 3 + 1
}

fn fmt_year(y: i16) -> String {
    format!("{y:04}")
}

/// Shifts `d` by `n` units (calendar arithmetic; `None` when out of range).
fn shift(d: Date, unit: Unit, n: i64) -> Option<Date> {
    let span = match unit {
        Unit::Day => jiff::Span::new().try_days(n),
        Unit::Week | Unit::Weekend => jiff::Span::new().try_weeks(n),
        Unit::Month => jiff::Span::new().try_months(n),
        Unit::Quarter => jiff::Span::new().try_months(n.checked_mul(3)?),
        Unit::Year => jiff::Span::new().try_years(n),
        Unit::Decade => jiff::Span::new().try_years(n.checked_mul(10)?),
        Unit::Century => jiff::Span::new().try_years(n.checked_mul(100)?),
        Unit::Second | Unit::Minute | Unit::Hour => return None,
    }
    .ok()?;
    d.checked_add(span).ok()
}

/// The value of "the unit containing `anchor` shifted by `n` units", at the
/// unit's granularity: a day, week, month, quarter, year, decade, century.
fn unit_point(anchor: Option<Date>, unit: Unit, n: i64) -> Option<String> {
    let Some(a) = anchor else {
        return Some(
            match unit {
                Unit::Day => "XXXX-XX-XX",
                Unit::Week => "XXXX-WXX",
                Unit::Weekend => "XXXX-WXX-WE",
                Unit::Month => "XXXX-XX",
                Unit::Quarter => "XXXX-QX",
                Unit::Year => "XXXX",
                Unit::Decade => "XXX",
                Unit::Century => "XX",
                _ => return None,
            }
            .into(),
        );
    };
    let d = shift(a, unit, n)?;
    Some(match unit {
        Unit::Day => fmt_day(d),
        Unit::Week => fmt_week(d),
        Unit::Weekend => format!("{}-WE", fmt_week(d)),
        Unit::Month => fmt_month(d),
        Unit::Quarter => format!("{:04}-Q{}", d.year(), quarter_of(d)),
        Unit::Year => fmt_year(d.year()),
        Unit::Decade => format!("{:03}", d.year().div_euclid(10)),
        Unit::Century => format!("{:02}", d.year().div_euclid(100)),
        _ => return None,
    })
}

// ---------------------------------------------------------------- matching

struct Found {
    start: usize,
    end: usize,
    kind: &'static str,
    value: String,
    modifier: Option<&'static str>,
    /// A full date with a stated year (a new anchor when none is given).
    explicit: Option<Date>,
}

fn found(start: usize, end: usize, kind: &'static str, value: String) -> Found {
    Found {
        start,
        end,
        kind,
        value,
        modifier: None,
        explicit: None,
    }
}

struct Matcher<'t, 'a> {
    toks: &'t [Tok<'a>],
    sentences: &'t [(usize, usize)],
    anchor: Option<Date>,
    /// The token the current match starts at.
    at: usize,
}

const PREFIX_MODS: &[(&[&str], &str)] = &[
    (&["no", "more", "than"], "EQUAL_OR_LESS"),
    (&["more", "than"], "MORE_THAN"),
    (&["less", "than"], "LESS_THAN"),
    (&["fewer", "than"], "LESS_THAN"),
    (&["at", "least"], "EQUAL_OR_MORE"),
    (&["at", "most"], "EQUAL_OR_LESS"),
    (&["up", "to"], "EQUAL_OR_LESS"),
    (&["just", "over"], "MORE_THAN"),
    (&["just", "under"], "LESS_THAN"),
    (&["about"], "APPROX"),
    (&["around"], "APPROX"),
    (&["approximately"], "APPROX"),
    (&["roughly"], "APPROX"),
    (&["some"], "APPROX"),
    (&["nearly"], "APPROX"),
    (&["almost"], "LESS_THAN"),
    (&["under"], "LESS_THAN"),
];

const POINT_MODS: &[(&[&str], &str)] = &[
    (&["the", "end", "of"], "END"),
    (&["the", "beginning", "of"], "START"),
    (&["the", "start", "of"], "START"),
    (&["the", "middle", "of"], "MID"),
    (&["the", "close", "of"], "END"),
    (&["end", "of"], "END"),
    (&["beginning", "of"], "START"),
    (&["the", "early"], "START"),
    (&["the", "late"], "END"),
    (&["the", "mid"], "MID"),
    (&["early"], "START"),
    (&["earlier"], "START"),
    (&["late"], "END"),
    (&["later"], "END"),
    (&["mid"], "MID"),
    (&["around"], "APPROX"),
    (&["about"], "APPROX"),
];

impl Matcher<'_, '_> {
    /// The tense of the nearest tense-marking word in the sentence around
    /// the current match (Present when there is none).
    fn tense(&self) -> Tense {
        let i = self.at;
        let Some(&(start, end)) = self.sentences.get(i) else {
            return Tense::Present;
        };
        // The nearest marker wins; a weak past marker is upgraded when a
        // strong one follows before any future marker.
        let mut found = Tense::Present;
        for d in 1..=TENSE_WINDOW {
            let before = (i >= start + d)
                .then(|| tense_of_word(self.low(i - d)))
                .flatten();
            let after = (i + d < end)
                .then(|| tense_of_word(self.low(i + d)))
                .flatten();
            for t in [before, after].into_iter().flatten() {
                match (found, t) {
                    (Tense::Present, t) if t != Tense::PastWeak => return t,
                    (Tense::Present, _) => found = Tense::PastWeak,
                    (Tense::PastWeak, Tense::Past) => return Tense::Past,
                    (Tense::PastWeak, Tense::Future) => return Tense::PastWeak,
                    _ => {}
                }
            }
        }
        found
    }

    fn low(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.low.as_str())
    }

    fn num(&self, i: usize) -> Option<u32> {
        self.toks.get(i).and_then(|t| t.num)
    }

    fn digits(&self, i: usize) -> usize {
        self.toks
            .get(i)
            .filter(|t| t.num.is_some())
            .map_or(0, |t| t.raw.len())
    }

    fn cap(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| t.raw.chars().next())
            .is_some_and(char::is_uppercase)
    }

    /// Token `i` follows the previous one without a space.
    fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| !t.space)
    }

    fn seq(&self, i: usize, words: &[&str]) -> bool {
        words.iter().enumerate().all(|(k, w)| self.low(i + k) == *w)
    }

    fn best(&self, i: usize) -> Option<Found> {
        let cands = [
            self.set(i),
            self.modified(i),
            self.duration(i),
            self.point(i, false),
            self.year_range_tail(i),
        ];
        let mut best: Option<Found> = None;
        for f in cands.into_iter().flatten() {
            if f.end > f.start && best.as_ref().is_none_or(|b| f.end > b.end) {
                best = Some(f);
            }
        }
        best
    }

    // ------------------------------------------------------------ sets

    fn set(&self, i: usize) -> Option<Found> {
        let w = self.low(i);
        let single = match w {
            "daily" | "nightly" => Some("P1D"),
            "weekly" => Some("P1W"),
            "monthly" => Some("P1M"),
            "yearly" => Some("P1Y"),
            "hourly" => Some("PT1H"),
            _ => None,
        };
        if let Some(v) = single {
            return Some(found(i, i + 1, "SET", v.into()));
        }
        if self.cap(i) {
            if let Some(wd) = weekday_plural(w) {
                return Some(found(
                    i,
                    i + 1,
                    "SET",
                    format!("XXXX-WXX-{}", wd.to_monday_one_offset()),
                ));
            }
        }
        if matches!(w, "every" | "each") {
            let mut j = i + 1;
            let mut n = Some(1);
            if self.low(j) == "other" {
                n = Some(2);
                j += 1;
            } else if let Some((e, v, _)) = self.number(j) {
                n = v;
                j = e;
            }
            if let Some((u, _)) = unit_of(self.low(j)) {
                return Some(found(i, j + 1, "SET", duration_value(n, u)));
            }
            if let Some(wd) = weekday_of(self.low(j)) {
                return Some(found(
                    i,
                    j + 1,
                    "SET",
                    format!("XXXX-WXX-{}", wd.to_monday_one_offset()),
                ));
            }
            if let Some(p) = part_of_day(self.low(j)) {
                return Some(found(i, j + 1, "SET", format!("XXXX-XX-XXT{p}")));
            }
        }
        // "twice a week", "three times a year", "once a month", "per year"
        let mut j = i;
        if matches!(w, "once" | "twice") {
            j = i + 1;
        } else if let Some((e, _, _)) = self.number(i) {
            if self.low(e) == "times" {
                j = e + 1;
            }
        }
        if (j > i && matches!(self.low(j), "a" | "an" | "per" | "every" | "each"))
            || (j == i && w == "per")
        {
            if let Some((u, false)) = unit_of(self.low(j + 1)) {
                return Some(found(i, j + 2, "SET", duration_value(Some(1), u)));
            }
        }
        None
    }

    // ------------------------------------------------------------ numbers

    /// A cardinal: digits, number words ("twenty-four"), "a"/"an" (1), "a
    /// couple of" (2), vague quantities ("several", "a few": `None`). Returns
    /// the end, the number and whether it was approximate.
    fn number(&self, i: usize) -> Option<(usize, Option<u32>, bool)> {
        let w = self.low(i);
        if let Some(n) = self.num(i) {
            if self.digits(i) >= 4 && (1000..=2199).contains(&n) {
                return None; // a year, not a count
            }
            if self.low(i + 1) == "," && self.digits(i + 2) == 3 && self.glued(i + 1) {
                return None; // 1,000 and more: not a count of time units here
            }
            return Some((i + 1, Some(n), false));
        }
        match w {
            "a" | "an" => {
                if self.seq(i + 1, &["couple", "of"]) {
                    return Some((i + 3, Some(2), true));
                }
                if self.low(i + 1) == "few" {
                    return Some((i + 2, None, false));
                }
                if matches!(self.low(i + 1), "hundred" | "thousand") {
                    let n = if self.low(i + 1) == "hundred" {
                        100
                    } else {
                        1000
                    };
                    return Some((i + 2, Some(n), false));
                }
                return Some((i + 1, Some(1), false));
            }
            "several" | "few" | "many" | "some" | "numerous" => {
                return Some((i + 1, None, false));
            }
            "couple" if self.low(i + 1) == "of" => return Some((i + 2, Some(2), true)),
            _ => {}
        }
        let mut n = word_number(w)?;
        let mut j = i + 1;
        if n >= 20 && n % 10 == 0 {
            let k = if self.low(j) == "-" { j + 1 } else { j };
            if let Some(u) = word_number(self.low(k)).filter(|u| *u < 10) {
                n += u;
                j = k + 1;
            }
        }
        if self.low(j) == "hundred" {
            n *= 100;
            j += 1;
        } else if self.low(j) == "thousand" {
            n *= 1000;
            j += 1;
        }
        Some((j, Some(n), false))
    }

    // ------------------------------------------------------------ durations

    fn duration(&self, i: usize) -> Option<Found> {
        let mut j = i;
        let mut modifier = None;
        for (words, m) in PREFIX_MODS {
            if self.seq(i, words) && self.low(i + words.len()) != "the" {
                j = i + words.len();
                modifier = Some(*m);
                break;
            }
        }
        let mut the = false;
        if self.low(j) == "the" {
            the = true;
            j += 1;
        }
        let mut rel = None;
        if matches!(
            self.low(j),
            "past"
                | "last"
                | "next"
                | "coming"
                | "first"
                | "previous"
                | "latest"
                | "final"
                | "initial"
                | "following"
                | "preceding"
                | "recent"
                | "remaining"
        ) {
            rel = Some(self.low(j).to_string());
            j += 1;
        }
        let (mut j2, n, approx) = match self.number(j) {
            Some((e, n, a)) => (e, Some(n), a),
            None => (j, None, false),
        };
        // "the past year", "past decade": an implicit 1.
        if self.low(j2) == "more" {
            j2 += 1;
        }
        if matches!(
            self.low(j2),
            "trading" | "business" | "working" | "calendar" | "straight" | "consecutive" | "full"
        ) {
            j2 += 1;
        }
        let hyphen = self.low(j2) == "-" && self.glued(j2) && self.glued(j2 + 1) && n.is_some();
        if hyphen {
            j2 += 1;
        }
        let (unit, plural) = unit_of(self.low(j2))?;
        let mut end = j2 + 1;
        let i = if hyphen && the && rel.is_none() && modifier.is_none() {
            i + 1
        } else {
            i
        };
        let count: Option<u32> = match n {
            Some(Some(v)) => {
                if v == 1 && plural && matches!(self.low(j), "a" | "an") {
                    return None; // "a years": not a duration
                }
                if v != 1 && !plural && !hyphen && self.num(j).is_some() {
                    return None;
                }
                Some(v)
            }
            Some(None) => {
                if !plural {
                    return None;
                }
                None
            }
            None => {
                // No number: "the past year", "past decade", "recent years",
                // "coming weeks", "the next few"... handled here.
                if rel.is_none() && !the && plural && self.low(end) == "ago" {
                    return Some(found(i, end + 1, "DATE", "PAST_REF".into()));
                }
                let r = rel.as_deref()?;
                if plural {
                    if r == "recent" && unit == Unit::Year {
                        return Some(found(i, end, "DATE", "PAST_REF".into()));
                    }
                    if matches!(
                        r,
                        "coming" | "next" | "past" | "last" | "following" | "recent"
                    ) {
                        let mut f = found(i, end, "DURATION", duration_value(None, unit));
                        f.modifier = modifier;
                        return Some(f);
                    }
                    return None;
                }
                if !(the && matches!(r, "past" | "last" | "next" | "coming" | "previous"))
                    && r != "past"
                {
                    return None;
                }
                if matches!(unit, Unit::Weekend | Unit::Quarter) {
                    return None;
                }
                Some(1)
            }
        };
        if approx && modifier.is_none() {
            modifier = Some("APPROX");
        }
        if self.seq(end, &["or", "so"]) {
            end += 2;
            modifier = modifier.or(Some("APPROX"));
        }
        if hyphen && self.low(end) == "-" && self.low(end + 1) == "old" {
            return None;
        }
        // "two years ago", "a week earlier", "three days from now"
        if rel.is_none() && !the {
            let dir = match self.low(end) {
                "ago" | "earlier" | "before" if self.low(end) != "before" || self.ends(end + 1) => {
                    Some(-1)
                }
                "later" | "hence" => Some(1),
                "from" if self.low(end + 1) == "now" => Some(1),
                _ => None,
            };
            if let Some(dir) = dir {
                let e = if self.low(end) == "from" {
                    end + 2
                } else {
                    end + 1
                };
                let value = match count {
                    // "a year ago" in an earnings story: that quarter a year before.
                    Some(1) if unit == Unit::Year && dir < 0 && self.quarter_context(i) => {
                        unit_point(self.anchor, Unit::Quarter, -5)
                    }
                    Some(c) => unit_point(self.anchor, unit, dir * c as i64),
                    None => Some(if dir < 0 { "PAST_REF" } else { "FUTURE_REF" }.into()),
                };
                if let Some(v) = value {
                    let mut f = found(i, e, "DATE", v);
                    f.modifier = modifier;
                    return Some(f);
                }
            }
        }
        if n.is_none() && rel.is_none() {
            return None;
        }
        // A bare "a year"/"a day" is too often not a duration of its own
        // ("a year" in "$5 a year"); keep it only with a modifier or "the".
        let value = if unit == Unit::Weekend {
            format!("P{}D", count.map_or("X".into(), |c| (c * 2).to_string()))
        } else {
            duration_value(count, unit)
        };
        let mut f = found(i, end, "DURATION", value);
        f.modifier = modifier;
        Some(f)
    }

    /// Token `i` ends a clause: punctuation or the end of the text.
    fn ends(&self, i: usize) -> bool {
        i >= self.toks.len() || matches!(self.low(i), "." | "," | ";" | ":" | "!" | "?" | ")")
    }

    // ------------------------------------------------------------ modified points

    fn modified(&self, i: usize) -> Option<Found> {
        for (words, m) in POINT_MODS {
            if !self.seq(i, words) {
                continue;
            }
            let mut j = i + words.len();
            if self.low(j) == "-" {
                j += 1;
            }
            if matches!(*m, "START" | "END") && self.low(j) == "in" && self.low(j + 1) == "the" {
                j += 1;
            }
            let inner = self.point(j, true)?;
            if !matches!(inner.kind, "DATE" | "TIME") || inner.value.ends_with("_REF") {
                return None;
            }
            let mut f = inner;
            f.start = i;
            f.modifier = Some(m);
            return Some(f);
        }
        None
    }

    // ------------------------------------------------------------ points

    fn point(&self, i: usize, the_unit: bool) -> Option<Found> {
        let cands = [
            self.numeric_date(i),
            self.month_date(i),
            self.weekday(i),
            self.year(i),
            self.decade(i),
            self.quarter(i),
            self.season(i),
            self.relative(i, the_unit),
            self.deictic(i),
            self.holiday(i),
            self.clock(i),
            self.reference(i),
            self.colloquial(i),
        ];
        let mut best: Option<Found> = None;
        for f in cands.into_iter().flatten() {
            if best.as_ref().is_none_or(|b| f.end > b.end) {
                best = Some(f);
            }
        }
        best
    }

    fn numeric_date(&self, i: usize) -> Option<Found> {
        // 2019-11-21
        if self.digits(i) == 4
            && self.low(i + 1) == "-"
            && self.digits(i + 2) == 2
            && self.low(i + 3) == "-"
            && self.digits(i + 4) == 2
            && (1..=5).all(|k| self.glued(i + k))
        {
            let d = Date::new(
                self.num(i)? as i16,
                self.num(i + 2)? as i8,
                self.num(i + 4)? as i8,
            )
            .ok()?;
            let mut f = found(i, i + 5, "DATE", fmt_day(d));
            f.explicit = Some(d);
            return Some(f);
        }
        // 11/21/2019, 11/21/19 (US order; day first when the first part > 12)
        if (1..=2).contains(&self.digits(i))
            && self.low(i + 1) == "/"
            && (1..=2).contains(&self.digits(i + 2))
            && self.low(i + 3) == "/"
            && matches!(self.digits(i + 4), 2 | 4)
            && (1..=5).all(|k| self.glued(i + k))
        {
            let (a, b) = (self.num(i)?, self.num(i + 2)?);
            let (m, d) = if a > 12 { (b, a) } else { (a, b) };
            let mut y = self.num(i + 4)?;
            if self.digits(i + 4) == 2 {
                y += if y < 50 { 2000 } else { 1900 };
            }
            let d = Date::new(y as i16, m as i8, d as i8).ok()?;
            let mut f = found(i, i + 5, "DATE", fmt_day(d));
            f.explicit = Some(d);
            return Some(f);
        }
        None
    }

    /// A month token at `i` (full name, or abbreviation with optional period);
    /// returns the month and the index after it.
    fn month_at(&self, i: usize) -> Option<(u8, usize)> {
        if !self.cap(i) {
            return None;
        }
        let w = self.low(i);
        if let Some(m) = month_full(w) {
            return Some((m, i + 1));
        }
        let m = month_abbr(w)?;
        if self.low(i + 1) == "." && self.glued(i + 1) {
            return Some((m, i + 2));
        }
        // "Nov 21": only before a number
        self.num(i + 1).map(|_| (m, i + 1))
    }

    /// A four-digit year at `i`.
    fn year_at(&self, i: usize) -> Option<i16> {
        if self.digits(i) != 4 {
            return None;
        }
        let y = self.num(i)?;
        (1000..=2199).contains(&y).then_some(y as i16)
    }

    /// The year for a month (and day) given without one: the occurrence
    /// nearest the anchor, unless the tense points the other way.
    fn resolve_year(&self, month: u8, day: Option<u32>) -> Option<i16> {
        let a = self.anchor?;
        let y = a.year();
        let day_of = |y: i16| -> Option<i64> {
            let d = Date::new(y, month as i8, day.unwrap_or(15).min(28) as i8).ok()?;
            Some(a.until(d).ok()?.get_days() as i64)
        };
        let mut best = (i64::MAX, y);
        for cand in [y - 1, y, y + 1] {
            if let Some(diff) = day_of(cand) {
                if diff.abs() < best.0.abs() || best.0 == i64::MAX {
                    best = (diff, cand);
                }
            }
        }
        let (diff, mut year) = best;
        match self.tense() {
            Tense::Past if diff > 60 => year -= 1,
            Tense::PastWeak if diff > 90 => year -= 1,
            Tense::Future if diff < -90 => year += 1,
            _ => {}
        }
        Some(year)
    }

    fn month_date(&self, i: usize) -> Option<Found> {
        // optional leading "the" for "the 21st of November"
        let (day_first, mut j) = {
            let k = if self.low(i) == "the" { i + 1 } else { i };
            let t = self.toks.get(k)?;
            match day_number(&t.low, t.num) {
                Some(d) if self.low(k + 1) == "of" && self.month_at(k + 2).is_some() => {
                    (Some(d), k + 2)
                }
                Some(d) if k == i && self.month_at(k + 1).is_some() => (Some(d), k + 1),
                _ => (None, i),
            }
        };
        let (month, after) = self.month_at(j)?;
        j = after;
        let mut day = day_first;
        if day.is_none() {
            if let Some(t) = self.toks.get(j) {
                if let Some(d) = day_number(&t.low, t.num) {
                    // not "Nov. 1989" (a year) nor "May 5 percent"
                    if self.digits(j) != 4 {
                        day = Some(d);
                        j += 1;
                    }
                }
            }
        }
        // year: ", 2019" / " 2019" / "of 2019"
        let mut year = None;
        let mut k = j;
        if matches!(self.low(k), "," | "of") {
            k += 1;
        }
        if let Some(y) = self.year_at(k) {
            year = Some(y);
            j = k + 1;
        } else if self.low(k) == "'" && self.digits(k + 1) == 2 && self.glued(k + 1) {
            let yy = self.num(k + 1)? as i16;
            year = Some(if yy < 50 { 2000 + yy } else { 1900 + yy });
            j = k + 2;
        }
        if day.is_none() && year.is_none() {
            // A bare month name: "May" and "March" need a cue.
            if matches!(month, 3 | 5) {
                let prev = if i > 0 { self.low(i - 1) } else { "" };
                if !matches!(
                    prev,
                    "in" | "since"
                        | "until"
                        | "by"
                        | "of"
                        | "last"
                        | "next"
                        | "this"
                        | "early"
                        | "late"
                        | "mid"
                        | "-"
                        | "during"
                        | "through"
                        | "from"
                        | "to"
                        | "before"
                        | "after"
                        | "end"
                        | "throughout"
                ) {
                    return None;
                }
            }
            let y = self.resolve_year(month, None);
            let value = match y {
                Some(y) => format!("{y:04}-{month:02}"),
                None => format!("XXXX-{month:02}"),
            };
            return Some(found(i, j, "DATE", value));
        }
        match (day, year) {
            (Some(d), Some(y)) => {
                let date = Date::new(y, month as i8, d as i8).ok()?;
                let mut f = found(i, j, "DATE", fmt_day(date));
                f.explicit = Some(date);
                Some(f)
            }
            (Some(d), None) => {
                let value = match self.resolve_year(month, Some(d)) {
                    Some(y) => {
                        let date = Date::new(y, month as i8, d as i8).ok()?;
                        fmt_day(date)
                    }
                    None => format!("XXXX-{month:02}-{d:02}"),
                };
                Some(found(i, j, "DATE", value))
            }
            (None, Some(y)) => Some(found(i, j, "DATE", format!("{y:04}-{month:02}"))),
            (None, None) => None,
        }
    }

    fn weekday_at(&self, i: usize) -> Option<(Weekday, usize)> {
        if !self.cap(i) {
            return None;
        }
        let w = self.low(i);
        if let Some(d) = weekday_of(w) {
            return Some((d, i + 1));
        }
        let d = weekday_abbr(w)?;
        (self.low(i + 1) == "." && self.glued(i + 1)).then_some((d, i + 2))
    }

    /// The date of a weekday: `dir` -1 the most recent one before the
    /// anchor, +1 the next one after it, 0 by the sentence's tense (the anchor
    /// day itself counts).
    fn weekday_date(&self, wd: Weekday, dir: i32) -> Option<Date> {
        let a = self.anchor?;
        match dir {
            -1 => a.nth_weekday(-1, wd).ok(),
            1 => a.nth_weekday(1, wd).ok(),
            _ if a.weekday() == wd => Some(a),
            _ if self.tense() == Tense::Future => a.nth_weekday(1, wd).ok(),
            _ => a.nth_weekday(-1, wd).ok(),
        }
    }

    fn weekday(&self, i: usize) -> Option<Found> {
        let (wd, mut j) = self.weekday_at(i)?;
        // "Friday, Nov. 21, 2019": the stated date wins.
        let k = if self.low(j) == "," { j + 1 } else { j };
        if let Some(mut f) = self.month_date(k) {
            if f.value.len() == 10 {
                f.start = i;
                return Some(f);
            }
        }
        let date = self.weekday_date(wd, 0);
        let day = date.map_or_else(|| "XXXX-XX-XX".to_string(), fmt_day);
        if let Some(p) = part_of_day(self.low(j)) {
            j += 1;
            return Some(found(i, j, "TIME", format!("{day}T{p}")));
        }
        Some(found(i, j, "DATE", day))
    }

    fn year(&self, i: usize) -> Option<Found> {
        let mut j = i;
        if self.low(j) == "fiscal" {
            j += 1;
            if self.low(j) == "year" {
                j += 1;
            }
        } else if self.seq(j, &["the", "year"]) && self.year_at(j + 2).is_some() {
            j += 2;
        }
        let y = self.year_at(j)?;
        let prev = if i > 0 { self.low(i - 1) } else { "" };
        let next = self.low(j + 1);
        if j == i {
            if matches!(prev, "$" | "#" | "no" | "." | "£" | "€") && self.glued(i) {
                return None;
            }
            if prev == "," && i > 1 && self.num(i - 2).is_some() && self.glued(i) {
                return None;
            }
            if matches!(
                next,
                "%" | "percent" | "people" | "points" | "shares" | "tons" | "feet" | "meters"
            ) || (matches!(next, "." | "," | ":")
                && self.glued(j + 1)
                && self.num(j + 2).is_some())
            {
                return None;
            }
            if !(1900..=2099).contains(&y)
                && !matches!(
                    prev,
                    "in" | "since" | "of" | "from" | "by" | "until" | "during" | "before" | "after"
                )
            {
                return None;
            }
        }
        Some(found(i, j + 1, "DATE", fmt_year(y)))
    }

    /// "1990-91": the second year of a range.
    fn year_range_tail(&self, i: usize) -> Option<Found> {
        if i < 2 || self.digits(i) != 2 || !matches!(self.low(i - 1), "-" | "/") {
            return None;
        }
        if !self.glued(i) || !self.glued(i - 1) {
            return None;
        }
        let first = self.year_at(i - 2)?;
        let yy = self.num(i)? as i16;
        let y = first - first % 100 + yy;
        (y > first).then(|| found(i, i + 1, "DATE", fmt_year(y)))
    }

    fn decade(&self, i: usize) -> Option<Found> {
        let mut j = i;
        if self.low(j) == "the" {
            j += 1;
        }
        let w = self.low(j);
        let century = |d: u8| if d < b'3' { "20" } else { "19" };
        // "1990s"
        if let Some(d) = w.strip_suffix('s') {
            if d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()) && d.ends_with('0') {
                return Some(found(i, j + 1, "DATE", d[..3].to_string()));
            }
        }
        // "'90s" (the apostrophe is its own token)
        if w == "'" && self.glued(j + 1) {
            let d = self.low(j + 1);
            let b = d.as_bytes();
            if d.len() == 3 && b[0].is_ascii_digit() && d.ends_with("0s") {
                let v = format!("{}{}", century(b[0]), &d[..1]);
                return Some(found(i, j + 2, "DATE", v));
            }
            return None;
        }
        let v = match w {
            "twenties" => "192",
            "thirties" => "193",
            "forties" => "194",
            "fifties" => "195",
            "sixties" => "196",
            "seventies" => "197",
            "eighties" => "198",
            "nineties" => "199",
            _ => return None,
        };
        if j == i {
            return None; // "in their forties": ages, not decades
        }
        Some(found(i, j + 1, "DATE", v.to_string()))
    }

    fn quarter(&self, i: usize) -> Option<Found> {
        // "the quarter": the last reported one; "the year-ago quarter".
        if self.low(i) == "the" {
            if self.low(i + 1) == "quarter" {
                let v = unit_point(self.anchor, Unit::Quarter, -1)?;
                return Some(found(i, i + 2, "DATE", v));
            }
            if self.low(i + 1) == "year"
                && self.low(i + 2) == "-"
                && matches!(self.low(i + 3), "ago" | "earlier")
                && matches!(self.low(i + 4), "quarter" | "period")
            {
                let v = unit_point(self.anchor, Unit::Quarter, -5)?;
                return Some(found(i, i + 5, "DATE", v));
            }
        }
        let mut j = i;
        if self.low(j) == "the" {
            j += 1;
        }
        // Q3, Q3 2019
        let w = self.low(j);
        if w.len() == 2 && w.starts_with('q') {
            let q = w[1..].parse::<u32>().ok().filter(|q| (1..=4).contains(q))?;
            let mut end = j + 1;
            let y = if let Some(y) = self.year_at(end) {
                end += 1;
                Some(y)
            } else {
                self.anchor.map(|a| a.year())
            };
            let v = match y {
                Some(y) => format!("{y:04}-Q{q}"),
                None => format!("XXXX-Q{q}"),
            };
            return Some(found(i, end, "DATE", v));
        }
        let (which, half) = {
            let k = j + 1 + usize::from(self.low(j + 1) == "-");
            match (self.low(j), self.low(k)) {
                (o, "quarter") => (o, false),
                (o, "half") => (o, true),
                _ => return None,
            }
        };
        let k = j + 1 + usize::from(self.low(j + 1) == "-");
        let mut end = k + 1;
        if self.low(k) == "-" {
            end += 1;
        }
        let a = self.anchor;
        // explicit year: "of 2019", ", 2019", "of fiscal 2019", "of the year"
        let mut year: Option<i16> = None;
        {
            let mut m = end;
            if matches!(self.low(m), "of" | ",") {
                m += 1;
            }
            if self.low(m) == "fiscal" {
                m += 1;
            }
            if let Some(y) = self.year_at(m) {
                year = Some(y);
                end = m + 1;
            } else if self.low(m - 1) == "of"
                && matches!(self.low(m), "this" | "last" | "next")
                && self.low(m + 1) == "year"
            {
                let off = match self.low(m) {
                    "last" => -1,
                    "next" => 1,
                    _ => 0,
                };
                year = a.map(|a| a.year() + off);
                end = m + 2;
            }
        }
        if half {
            let h = ordinal(which).filter(|h| *h <= 2)?;
            let y = year.or_else(|| a.map(|a| a.year()));
            let v = match y {
                Some(y) => format!("{y:04}-H{h}"),
                None => format!("XXXX-H{h}"),
            };
            return Some(found(i, end, "DATE", v));
        }
        if let Some(q) = ordinal(which) {
            let y = year.or_else(|| self.resolve_year((q * 3 - 1) as u8, None));
            let v = match y {
                Some(y) => format!("{y:04}-Q{q}"),
                None => format!("XXXX-Q{q}"),
            };
            return Some(found(i, end, "DATE", v));
        }
        if j == i + 1 || matches!(which, "this" | "last" | "next") {
            let off = match which {
                "last" | "previous" | "latest" | "past" | "recent" => -1,
                "next" | "coming" => 1,
                "this" | "current" => 0,
                "fiscal" if j == i + 1 => -1,
                _ => return None,
            };
            if year.is_some() {
                return None;
            }
            let v = unit_point(a, Unit::Quarter, off)?;
            return Some(found(i, end, "DATE", v));
        }
        None
    }

    fn season(&self, i: usize) -> Option<Found> {
        let mut j = i;
        let rel = match self.low(j) {
            w @ ("this" | "last" | "next" | "the" | "past") => {
                j += 1;
                Some(w)
            }
            _ => None,
        };
        let (code, start) = match self.low(j) {
            "spring" => ("SP", 3),
            "summer" => ("SU", 6),
            "fall" | "autumn" => ("FA", 9),
            "winter" => ("WI", 12),
            _ => return None,
        };
        let mut end = j + 1;
        let mut year = None;
        let mut k = end;
        if self.low(k) == "of" {
            k += 1;
        }
        if let Some(y) = self.year_at(k) {
            year = Some(y);
            end = k + 1;
        }
        if year.is_none() {
            let prev = if i > 0 { self.low(i - 1) } else { "" };
            if rel.is_none()
                && !matches!(
                    prev,
                    "in" | "this" | "during" | "since" | "until" | "by" | "early" | "late" | "mid"
                )
            {
                return None;
            }
            if self.low(j) == "fall" && rel.is_none() {
                return None;
            }
            let a = self.anchor;
            year = a.map(|a| {
                let y = a.year();
                let m = a.month() as i32;
                match rel {
                    Some("last" | "past") => {
                        if start + 3 <= m {
                            y
                        } else {
                            y - 1
                        }
                    }
                    Some("next") => {
                        if start > m {
                            y
                        } else {
                            y + 1
                        }
                    }
                    _ => y,
                }
            });
        }
        let v = match year {
            Some(y) => format!("{y:04}-{code}"),
            None => format!("XXXX-{code}"),
        };
        Some(found(i, end, "DATE", v))
    }

    /// this/last/next + unit, weekday or month.
    fn relative(&self, i: usize, the_unit: bool) -> Option<Found> {
        let w = self.low(i);
        let dir: i64 = match w {
            "this" | "current" => 0,
            "last" | "previous" | "past" => -1,
            "next" | "coming" | "following" => 1,
            "the" if the_unit => 0,
            _ => return None,
        };
        let j = i + 1;
        let nw = self.low(j);
        if let Some((unit, false)) = unit_of(nw) {
            if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) {
                return None;
            }
            if unit == Unit::Day && w != "the" {
                return None;
            }
            if w == "past" {
                return None; // "past year" is a duration
            }
            let v = unit_point(self.anchor, unit, dir)?;
            return Some(found(i, j + 1, "DATE", v));
        }
        if w == "the" {
            return None;
        }
        if let Some((wd, end)) = self.weekday_at(j) {
            let d = self
                .weekday_date(wd, dir as i32)
                .map_or_else(|| "XXXX-XX-XX".into(), fmt_day);
            return Some(found(i, end, "DATE", d));
        }
        if let Some((m, end)) = self.month_at(j) {
            if self.num(end).is_some() {
                return None;
            }
            let v = match self.anchor {
                Some(a) => {
                    let y = a.year();
                    let am = a.month() as u8;
                    let y = match dir {
                        -1 if m >= am => y - 1,
                        1 if m <= am => y + 1,
                        _ => y,
                    };
                    format!("{y:04}-{m:02}")
                }
                None => format!("XXXX-{m:02}"),
            };
            return Some(found(i, end, "DATE", v));
        }
        if matches!(w, "last" | "this") {
            if let Some(p) = part_of_day(nw) {
                if w == "last" && p != "NI" {
                    return None;
                }
                let d = self.anchor.map(|a| {
                    if w == "last" {
                        shift(a, Unit::Day, -1)
                    } else {
                        Some(a)
                    }
                });
                let day = match d {
                    Some(Some(d)) => fmt_day(d),
                    Some(None) => return None,
                    None => "XXXX-XX-XX".into(),
                };
                return Some(found(i, j + 1, "TIME", format!("{day}T{p}")));
            }
        }
        None
    }

    /// today, yesterday, tomorrow, tonight (with a part of the day).
    fn deictic(&self, i: usize) -> Option<Found> {
        let off = match self.low(i) {
            "today" => 0,
            "yesterday" => -1,
            "tomorrow" => 1,
            "tonight" => {
                let day = self.anchor.map_or_else(|| "XXXX-XX-XX".into(), fmt_day);
                return Some(found(i, i + 1, "TIME", format!("{day}TNI")));
            }
            "year" => {
                // "year end", "year-end", "year's end"
                let mut j = i + 1;
                if self.low(j) == "-" {
                    j += 1;
                } else if self.low(j) == "'" && self.low(j + 1) == "s" {
                    j += 2;
                }
                if self.low(j) != "end" {
                    return None;
                }
                let v = unit_point(self.anchor, Unit::Year, 0)?;
                let mut f = found(i, j + 1, "DATE", v);
                f.modifier = Some("END");
                return Some(f);
            }
            _ => return None,
        };
        let day = match self.anchor {
            Some(a) => fmt_day(shift(a, Unit::Day, off)?),
            None => "XXXX-XX-XX".into(),
        };
        if let Some(p) = part_of_day(self.low(i + 1)) {
            return Some(found(i, i + 2, "TIME", format!("{day}T{p}")));
        }
        Some(found(i, i + 1, "DATE", day))
    }

    fn holiday(&self, i: usize) -> Option<Found> {
        if !self.cap(i) {
            return None;
        }
        let (month, day, end): (u8, u32, usize) = match self.low(i) {
            "christmas" => match self.low(i + 1) {
                "eve" => (12, 24, i + 2),
                "day" => (12, 25, i + 2),
                _ => (12, 25, i + 1),
            },
            "new" if self.seq(i + 1, &["year", "'", "s"]) => match self.low(i + 4) {
                "eve" => (12, 31, i + 5),
                "day" => (1, 1, i + 5),
                _ => return None,
            },
            "halloween" => (10, 31, i + 1),
            "independence" if self.low(i + 1) == "day" => (7, 4, i + 2),
            "thanksgiving" => {
                let end = if self.low(i + 1) == "day" {
                    i + 2
                } else {
                    i + 1
                };
                let v = match self.resolve_year(11, Some(25)) {
                    Some(y) => fmt_day(
                        Date::new(y, 11, 1)
                            .ok()?
                            .nth_weekday_of_month(4, Weekday::Thursday)
                            .ok()?,
                    ),
                    None => "XXXX-11-XX".into(),
                };
                return Some(found(i, end, "DATE", v));
            }
            _ => return None,
        };
        let v = match self.resolve_year(month, Some(day)) {
            Some(y) => format!("{y:04}-{month:02}-{day:02}"),
            None => format!("XXXX-{month:02}-{day:02}"),
        };
        Some(found(i, end, "DATE", v))
    }

    /// Clock times: "3 p.m.", "10:30 a.m. EST", "noon", "7 o'clock".
    fn clock(&self, i: usize) -> Option<Found> {
        let mut day = self.anchor.map_or_else(|| "XXXX-XX-XX".into(), fmt_day);
        if let Some(d) = self.named_day_before(i) {
            day = d;
        }
        if matches!(self.low(i), "noon" | "midday") {
            // "noon Thursday": one span, that day.
            if let Some((wd, end)) = self.weekday_at(i + 1) {
                let d = self
                    .weekday_date(wd, 0)
                    .map_or_else(|| "XXXX-XX-XX".into(), fmt_day);
                return Some(found(i, end, "TIME", format!("{d}T12:00")));
            }
            let prev = if i > 0 { self.low(i - 1) } else { "" };
            if matches!(
                prev,
                "at" | "by" | "before" | "after" | "until" | "around" | "from"
            ) {
                return Some(found(i, i + 1, "TIME", format!("{day}T12:00")));
            }
            return None;
        }
        let h = self.num(i).filter(|h| *h <= 24 && self.digits(i) <= 2)?;
        let mut j = i + 1;
        let mut minute = 0;
        let mut has_minutes = false;
        if self.low(j) == ":" && self.digits(j + 1) == 2 && self.glued(j) && self.glued(j + 1) {
            minute = self.num(j + 1)?;
            if minute > 59 {
                return None;
            }
            j += 2;
            has_minutes = true;
        }
        // a.m. / p.m. / am / pm
        let (pm, after) = match self.low(j) {
            "am" => (Some(false), j + 1),
            "pm" => (Some(true), j + 1),
            "a" | "p" if self.low(j + 1) == "." && self.low(j + 2) == "m" => {
                let mut e = j + 3;
                if self.low(e) == "." && self.glued(e) {
                    e += 1;
                }
                (Some(self.low(j) == "p"), e)
            }
            "o" if self.low(j + 1) == "'" && self.low(j + 2) == "clock" => (None, j + 3),
            _ => (None, j),
        };
        let mut hour = h;
        match pm {
            Some(true) if hour < 12 => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        if pm.is_none() && after == j {
            // bare "10:30" only after "at"/"by"...
            let prev = if i > 0 { self.low(i - 1) } else { "" };
            if !(has_minutes
                && hour < 24
                && matches!(prev, "at" | "by" | "around" | "until" | "before" | "after"))
            {
                return None;
            }
        }
        if hour > 23 || (pm.is_some() && h > 12) {
            return None;
        }
        let mut end = after;
        if matches!(
            self.low(end),
            "est" | "edt" | "gmt" | "utc" | "cst" | "cdt" | "pst" | "pdt" | "mst" | "bst" | "cet"
        ) {
            end += 1;
        }
        Some(found(
            i,
            end,
            "TIME",
            format!("{day}T{hour:02}:{minute:02}"),
        ))
    }

    /// The date of a weekday named just before a clock time in the same
    /// sentence ("Friday at 10:35 a.m.", "Friday, about 3 p.m.").
    fn named_day_before(&self, i: usize) -> Option<String> {
        let &(start, _) = self.sentences.get(i)?;
        let lo = i.saturating_sub(4).max(start);
        (lo..i).rev().find_map(|k| {
            let (wd, end) = self.weekday_at(k)?;
            let between = (end..i).all(|m| matches!(self.low(m), "," | "at" | "about" | "around"));
            between
                .then(|| self.weekday_date(wd, 0).map(fmt_day))
                .flatten()
        })
    }

    /// The sentence around token `i` mentions a fiscal quarter or period.
    fn quarter_context(&self, i: usize) -> bool {
        let Some(&(start, end)) = self.sentences.get(i) else {
            return false;
        };
        (start..end).any(|k| matches!(self.low(k), "quarter" | "period"))
    }

    /// Colloquial points and durations: "the weekend", "the year", "for
    /// years", "overnight", "mid afternoon", "the next morning",
    /// "year-ago"/"year-earlier" as a modifier.
    fn colloquial(&self, i: usize) -> Option<Found> {
        let w = self.low(i);
        let prev = if i > 0 { self.low(i - 1) } else { "" };
        let next = self.low(i + 1);
        let day = self.anchor.map_or_else(|| "XXXX-XX-XX".into(), fmt_day);
        match w {
            // "over the weekend": the last one, or the next one in the future.
            "the" if next == "weekend" => {
                let v = match self.anchor {
                    Some(a) => {
                        let sat = if self.tense() == Tense::Future {
                            a.nth_weekday(1, Weekday::Saturday).ok()?
                        } else if a.weekday() == Weekday::Saturday {
                            a
                        } else {
                            a.nth_weekday(-1, Weekday::Saturday).ok()?
                        };
                        format!("{}-WE", fmt_week(sat))
                    }
                    None => "XXXX-WXX-WE".into(),
                };
                Some(found(i, i + 2, "DATE", v))
            }
            // "for the year": a duration; "in the year": the current year.
            "the" if next == "year" => {
                if matches!(
                    self.low(i + 2),
                    "ended" | "ending" | "earlier" | "ago" | "before" | "-" | "'" | "two"
                ) || self.num(i + 2).is_some()
                {
                    return None;
                }
                if prev == "for" {
                    return Some(found(i, i + 2, "DURATION", "P1Y".into()));
                }
                let v = unit_point(self.anchor, Unit::Year, 0)?;
                Some(found(i, i + 2, "DATE", v))
            }
            // "for years", "within weeks": a vague duration.
            "years" | "weeks" | "months" if matches!(prev, "for" | "within") && !self.glued(i) => {
                let (unit, _) = unit_of(w)?;
                Some(found(i, i + 1, "DURATION", duration_value(None, unit)))
            }
            "overnight" => {
                let v = match self.anchor {
                    Some(a) => fmt_day(shift(a, Unit::Day, -1)?),
                    None => day,
                };
                Some(found(i, i + 1, "TIME", format!("{v}TNI")))
            }
            // "mid afternoon", "mid-morning"
            "mid" => {
                let j = if next == "-" { i + 2 } else { i + 1 };
                let p = part_of_day(self.low(j))?;
                let mut f = found(i, j + 1, "TIME", format!("{day}T{p}"));
                if self.low(j + 1) == "yesterday" {
                    let d = self.anchor.and_then(|a| shift(a, Unit::Day, -1));
                    let d = d.map_or_else(|| "XXXX-XX-XX".into(), fmt_day);
                    f = found(i, j + 2, "TIME", format!("{d}T{p}"));
                }
                Some(f)
            }
            // "the next morning": the day after the anchor.
            "the" if matches!(next, "next" | "following") => {
                part_of_day(self.low(i + 2))?;
                let v = match self.anchor {
                    Some(a) => fmt_day(shift(a, Unit::Day, 1)?),
                    None => day,
                };
                Some(found(i, i + 3, "DATE", v))
            }
            // "year-ago results", "year-earlier net": the same quarter a year
            // before in an earnings story, else last year.
            "year"
                if next == "-"
                    && matches!(self.low(i + 2), "ago" | "earlier")
                    && self.glued(i + 1)
                    && self.glued(i + 2) =>
            {
                let v = if self.quarter_context(i) {
                    unit_point(self.anchor, Unit::Quarter, -5)?
                } else {
                    unit_point(self.anchor, Unit::Year, -1)?
                };
                Some(found(i, i + 3, "DATE", v))
            }
            _ => None,
        }
    }

    /// PRESENT_REF, PAST_REF, FUTURE_REF words.
    fn reference(&self, i: usize) -> Option<Found> {
        let w = self.low(i);
        let (v, end) = match w {
            "now" | "currently" | "nowadays" => ("PRESENT_REF", i + 1),
            "current" => ("PRESENT_REF", i + 1),
            "recently" | "lately" | "previously" => ("PAST_REF", i + 1),
            "these" if self.low(i + 1) == "days" => ("PRESENT_REF", i + 2),
            "the" => match self.low(i + 1) {
                "past" => ("PAST_REF", i + 2),
                "future" => ("FUTURE_REF", i + 2),
                "present" => ("PRESENT_REF", i + 2),
                _ => return None,
            },
            _ => return None,
        };
        Some(found(i, end, "DATE", v.into()))
    }
}

fn part_of_day(w: &str) -> Option<&'static str> {
    Some(match w {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" => "NI",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
