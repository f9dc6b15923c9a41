//! Date strings from pages into ISO 8601 values with `jiff`.
//!
//! A date with a time and an offset is an instant and is written in UTC
//! (`2019-11-21T10:04:00Z`). A calendar date, or a date and time without an
//! offset (whose instant cannot be known), is written as the day only
//! (`2019-11-21`): a date must be defensible, so no zone is invented.

use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

pub use dossier_core::normalize_date as normalise;

/// Years a URL date may have: outside this, digit runs are ids, not dates.
const YEARS: std::ops::RangeInclusive<i16> = 1990..=2100;

/// A date in a URL path: `/2019/11/21/`, `/2019-11-21`, `/20191121/`.
pub fn from_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let digits: Vec<&str> = path
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    digits
        .windows(3)
        .find_map(|w| ymd(w[0], w[1], w[2]))
        .or_else(|| {
            digits
                .iter()
                .filter(|d| d.len() == 8)
                .find_map(|d| ymd(&d[..4], &d[4..6], &d[6..]))
        })
}

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    if y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let date = Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()?;
    YEARS.contains(&date.year()).then(|| date.to_string())
}

/// Years a date written in running text may have.
const TEXT_YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;

/// Finds the first date written in `s` (a line of article text, a `<time>`
/// text, a byline) and normalises it like [`normalise`]: with a time and an
/// explicit zone (`GMT`, `UTC+3`, `+0200`, `MSK`, ...) anywhere in `s`, the
/// UTC instant `YYYY-MM-DDTHH:MM:SSZ`; otherwise the day `YYYY-MM-DD`. A date
/// without a year, or a time alone, gives `None`: nothing is invented.
///
/// Layouts: ISO and RFC 2822 strings, `2019-11-21`, `21.11.2019`,
/// `2019/11/21`, month names in English, Russian, Ukrainian, German, French
/// and Spanish (`November 21, 2019`, `Nov. 21, 2019`, `21 Nov 2019`,
/// `21 ноября 2019 г.`, `21 листопада 2019`, `21. November 2019`,
/// `21 novembre 2019`, `21 de noviembre de 2019`) and Chinese/Japanese
/// `2019年11月21日` (with `10時30分` / `10:30`).
pub fn parse_date_text(s: &str) -> Option<String> {
    find_date(s).map(|(v, _)| v)
}

/// [`parse_date_text`] with the byte offset in `s` where the date starts.
pub fn find_date(s: &str) -> Option<(String, usize)> {
    if s.len() > 4096 {
        return None;
    }
    let lead = s.len() - s.trim_start().len();
    // Whole strings first when they are instants (RFC 3339, RFC 2822); a day
    // from `normalise` could drop a time the scan below would find.
    let whole = normalise(s.trim());
    if let Some(v) = whole.as_ref().filter(|v| v.contains('T')) {
        return Some((v.clone(), lead));
    }
    scan_date(s).or_else(|| whole.map(|v| (v, lead)))
}

fn scan_date(s: &str) -> Option<(String, usize)> {
    let toks = tokenize(s);
    let (start, end, date) =
        (0..toks.len()).find_map(|i| date_at(&toks, i).map(|(e, d)| (i, e, d)))?;
    let from = toks[start].at;
    let value = time_in(&toks, start, end)
        .and_then(|(h, m, sec, off)| {
            let dt = DateTime::new(date.year(), date.month(), date.day(), h, m, sec, 0).ok()?;
            let ts = Offset::from_seconds(off).ok()?.to_timestamp(dt).ok()?;
            Some(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        })
        .unwrap_or_else(|| date.to_string());
    Some((value, from))
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Digits: value (saturating) and digit count.
    Num(u32, usize),
    /// A lower-cased run of letters, or one CJK character.
    Word(String),
    Punct(char),
}

#[derive(Debug)]
struct Tok {
    kind: Kind,
    /// Byte offset in the input.
    at: usize,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}')
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if let Some(d) = digit(c) {
            let (mut v, mut n) = (d, 1);
            while let Some(d) = chars.peek().and_then(|&(_, c)| digit(c)) {
                v = v.saturating_mul(10).saturating_add(d);
                n += 1;
                chars.next();
            }
            out.push(Tok {
                kind: Kind::Num(v, n),
                at,
            });
        } else if c.is_whitespace() {
            continue;
        } else if is_cjk(c) {
            let c = match c {
                '：' => ':',
                other => other,
            };
            let kind = if c == ':' {
                Kind::Punct(':')
            } else {
                Kind::Word(c.to_string())
            };
            out.push(Tok { kind, at });
        } else if c.is_alphabetic() {
            let mut w: String = c.to_lowercase().collect();
            while let Some(&(_, c)) = chars.peek() {
                if !c.is_alphabetic() || is_cjk(c) {
                    break;
                }
                w.extend(c.to_lowercase());
                chars.next();
            }
            out.push(Tok {
                kind: Kind::Word(w),
                at,
            });
        } else {
            let c = if c == '−' { '-' } else { c };
            out.push(Tok {
                kind: Kind::Punct(c),
                at,
            });
        }
    }
    out
}

/// Month names and abbreviations (lower case, no trailing dot) in English,
/// Russian, Ukrainian, German, French and Spanish.
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "января",
        "январь",
        "янв",
        "січня",
        "січень",
        "січ",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "enero",
        "ene",
    ],
    &[
        "february",
        "feb",
        "febr",
        "февраля",
        "февраль",
        "фев",
        "февр",
        "лютого",
        "лютий",
        "лют",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "febrero",
    ],
    &[
        "march",
        "mar",
        "марта",
        "март",
        "мар",
        "березня",
        "березень",
        "бер",
        "märz",
        "maerz",
        "mär",
        "mrz",
        "mars",
        "marzo",
    ],
    &[
        "april",
        "apr",
        "апреля",
        "апрель",
        "апр",
        "квітня",
        "квітень",
        "квіт",
        "avril",
        "avr",
        "abril",
        "abr",
    ],
    &[
        "may",
        "мая",
        "май",
        "травня",
        "травень",
        "трав",
        "mai",
        "mayo",
    ],
    &[
        "june",
        "jun",
        "июня",
        "июнь",
        "июн",
        "червня",
        "червень",
        "черв",
        "juni",
        "juin",
        "junio",
    ],
    &[
        "july",
        "jul",
        "июля",
        "июль",
        "июл",
        "липня",
        "липень",
        "лип",
        "juli",
        "juillet",
        "juil",
        "julio",
    ],
    &[
        "august",
        "aug",
        "августа",
        "август",
        "авг",
        "серпня",
        "серпень",
        "серп",
        "août",
        "aout",
        "agosto",
        "ago",
    ],
    &[
        "september",
        "sep",
        "sept",
        "сентября",
        "сентябрь",
        "сен",
        "сент",
        "вересня",
        "вересень",
        "вер",
        "septembre",
        "septiembre",
        "setiembre",
    ],
    &[
        "october",
        "oct",
        "октября",
        "октябрь",
        "окт",
        "жовтня",
        "жовтень",
        "жовт",
        "oktober",
        "okt",
        "octobre",
        "octubre",
    ],
    &[
        "november",
        "nov",
        "ноября",
        "ноябрь",
        "нояб",
        "ноя",
        "листопада",
        "листопад",
        "лист",
        "novembre",
        "noviembre",
    ],
    &[
        "december",
        "dec",
        "декабря",
        "декабрь",
        "дек",
        "грудня",
        "грудень",
        "груд",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
    ],
];

/// A month name or abbreviation in one of the supported languages.
pub fn is_month_word(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_lowercase();
    MONTHS.iter().any(|forms| forms.contains(&w.as_str()))
}

fn month(t: Option<&Tok>) -> Option<i8> {
    let Kind::Word(w) = &t?.kind else { return None };
    MONTHS
        .iter()
        .position(|forms| forms.contains(&w.as_str()))
        .map(|i| i as i8 + 1)
}

fn num(t: Option<&Tok>, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    match t?.kind {
        Kind::Num(v, n) if digits.contains(&n) => Some(v),
        _ => None,
    }
}

fn word_is(t: Option<&Tok>, words: &[&str]) -> bool {
    matches!(t.map(|t| &t.kind), Some(Kind::Word(w)) if words.contains(&w.as_str()))
}

fn punct_is(t: Option<&Tok>, cs: &[char]) -> bool {
    matches!(t.map(|t| &t.kind), Some(Kind::Punct(c)) if cs.contains(c))
}

/// Skips at most two tokens that may sit between the parts of a written
/// date: `.`, `,`, `-`, `/`, Spanish `de`, ordinal suffixes.
fn skip_fillers(toks: &[Tok], mut i: usize) -> usize {
    for _ in 0..2 {
        let t = toks.get(i);
        if punct_is(t, &['.', ',', '-', '/'])
            || word_is(t, &["de", "del", "st", "nd", "rd", "th", "er", "го"])
        {
            i += 1;
        }
    }
    i
}

fn valid(y: u32, m: i8, d: u32) -> Option<Date> {
    let y = i32::try_from(y).ok().filter(|y| TEXT_YEARS.contains(y))?;
    Date::new(y as i16, m, i8::try_from(d).ok()?).ok()
}

/// A date starting at token `i`: the index just past it, and the day.
fn date_at(t: &[Tok], i: usize) -> Option<(usize, Date)> {
    let g = |k: usize| t.get(k);
    // 2019年11月21日 (CJK) and 2019-11-21 / 2019/11/21 (ISO-like).
    if let Some(y) = num(g(i), 4..=4) {
        if word_is(g(i + 1), &["年"])
            && word_is(g(i + 3), &["月"])
            && word_is(g(i + 5), &["日", "号"])
        {
            let m = num(g(i + 2), 1..=2)?;
            let d = num(g(i + 4), 1..=2)?;
            return valid(y, i8::try_from(m).ok()?, d).map(|d| (i + 6, d));
        }
        for sep in ['-', '/', '.'] {
            if punct_is(g(i + 1), &[sep]) && punct_is(g(i + 3), &[sep]) {
                if let (Some(m), Some(d)) = (num(g(i + 2), 1..=2), num(g(i + 4), 1..=2)) {
                    if let Some(date) = valid(y, i8::try_from(m).ok()?, d) {
                        return Some((i + 5, date));
                    }
                }
            }
        }
        return None;
    }
    // 21.11.2019 (day first, as in German, Russian, Ukrainian).
    if let Some(d) = num(g(i), 1..=2) {
        if punct_is(g(i + 1), &['.']) && punct_is(g(i + 3), &['.']) {
            if let (Some(m), Some(y)) = (num(g(i + 2), 1..=2), num(g(i + 4), 4..=4)) {
                if i == 0 || !punct_is(g(i - 1), &['.']) {
                    return valid(y, i8::try_from(m).ok()?, d).map(|date| (i + 5, date));
                }
            }
        }
        // 21 November 2019, 21. November 2019, 21 de noviembre de 2019.
        let k = skip_fillers(t, i + 1);
        let m = month(g(k))?;
        let k = skip_fillers(t, k + 1);
        let y = num(g(k), 4..=4)?;
        return valid(y, m, d).map(|date| (k + 1, date));
    }
    // November 21, 2019 / Nov. 21, 2019 / Nov 21st 2019.
    let m = month(g(i))?;
    let k = skip_fillers(t, i + 1);
    let d = num(g(k), 1..=2)?;
    let k = skip_fillers(t, k + 1);
    let y = num(g(k), 4..=4)?;
    valid(y, m, d).map(|date| (k + 1, date))
}

/// Zone abbreviations whose offset is fixed (ambiguous ones such as `CST`,
/// `IST` or `ET` are left out: an unknown zone gives the day only).
const ZONES: &[(&str, i32)] = &[
    ("gmt", 0),
    ("utc", 0),
    ("ut", 0),
    ("z", 0),
    ("bst", 60),
    ("cet", 60),
    ("cest", 120),
    ("mez", 60),
    ("mesz", 120),
    ("eet", 120),
    ("eest", 180),
    ("msk", 180),
    ("мск", 180),
    ("jst", 540),
    ("kst", 540),
    ("hkt", 480),
    ("sgt", 480),
    ("est", -300),
    ("edt", -240),
    ("cdt", -300),
    ("mst", -420),
    ("mdt", -360),
    ("pst", -480),
    ("pdt", -420),
    ("aest", 600),
];

/// A time with an explicit zone anywhere outside the date tokens
/// `start..end`: hour, minute, second and the offset in seconds.
fn time_in(t: &[Tok], start: usize, end: usize) -> Option<(i8, i8, i8, i32)> {
    let g = |k: usize| t.get(k);
    (0..t.len())
        .filter(|&i| i < start || i >= end)
        .find_map(|i| {
            let (mut h, m, mut s, mut k);
            if let (Some(hh), true, Some(mm)) = (
                num(g(i), 1..=2),
                punct_is(g(i + 1), &[':']),
                num(g(i + 2), 2..=2),
            ) {
                (h, m, s, k) = (hh, mm, 0, i + 3);
                if punct_is(g(k), &[':']) {
                    s = num(g(k + 1), 2..=2)?;
                    k += 2;
                    if punct_is(g(k), &['.', ',']) && num(g(k + 1), 1..=9).is_some() {
                        k += 2;
                    }
                }
            } else if let (Some(hh), true, Some(mm)) = (
                num(g(i), 1..=2),
                word_is(g(i + 1), &["h", "時", "时", "点"]),
                num(g(i + 2), 1..=2),
            ) {
                (h, m, s, k) = (hh, mm, 0, i + 3);
                if word_is(g(k), &["分"]) {
                    k += 1;
                }
            } else if let Some(hhmm) = num(g(i), 4..=4) {
                // 0759GMT: only with a zone right after it.
                if !word_is(g(i + 1), &["gmt", "utc", "z"]) {
                    return None;
                }
                (h, m, s, k) = (hhmm / 100, hhmm % 100, 0, i + 1);
            } else {
                return None;
            }
            if word_is(g(k), &["am", "pm"])
                || (word_is(g(k), &["a", "p"])
                    && punct_is(g(k + 1), &['.'])
                    && word_is(g(k + 2), &["m"]))
            {
                let pm = word_is(g(k), &["pm", "p"]);
                if !(1..=12).contains(&h) {
                    return None;
                }
                h = h % 12 + if pm { 12 } else { 0 };
                k += if word_is(g(k), &["am", "pm"]) { 1 } else { 3 };
                if punct_is(g(k), &['.']) {
                    k += 1;
                }
            }
            if h > 23 || m > 59 || s > 59 {
                return None;
            }
            let off = zone_at(t, k)?;
            Some((h as i8, m as i8, s as i8, off))
        })
}

/// An explicit zone at token `k` (after an optional `(`): a fixed
/// abbreviation, `GMT+3`, `UTC-05:00`, `+0200`.
fn zone_at(t: &[Tok], mut k: usize) -> Option<i32> {
    let g = |k: usize| t.get(k);
    if punct_is(g(k), &['(']) {
        k += 1;
    }
    let mut base = None;
    if let Some(Kind::Word(w)) = g(k).map(|t| &t.kind) {
        base = Some(ZONES.iter().find(|(z, _)| *z == w.as_str())?.1 * 60);
        k += 1;
    }
    let sign = match g(k).map(|t| &t.kind) {
        Some(Kind::Punct('+')) => 1,
        Some(Kind::Punct('-')) if base.is_some_and(|b| b == 0) || base.is_none() => -1,
        _ => return base,
    };
    let minutes = match g(k + 1).map(|t| &t.kind) {
        Some(&Kind::Num(v, 4)) => (v / 100) * 60 + v % 100,
        Some(&Kind::Num(v, 1..=2)) if base.is_some() || punct_is(g(k + 2), &[':']) => {
            v * 60
                + if punct_is(g(k + 2), &[':']) {
                    num(g(k + 3), 2..=2).unwrap_or(0)
                } else {
                    0
                }
        }
        _ => return base,
    };
    if minutes > 14 * 60 || base.is_some_and(|b| b != 0) {
        return base;
    }
    Some(sign * minutes as i32 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_dates() {
        assert_eq!(
            from_url("https://x.test/2019/11/21/story").as_deref(),
            Some("2019-11-21")
        );
        assert_eq!(
            from_url("https://x.test/news/2019-11-21-story").as_deref(),
            Some("2019-11-21")
        );
        assert_eq!(
            from_url("https://x.test/a/20191121/b").as_deref(),
            Some("2019-11-21")
        );
        assert_eq!(from_url("https://x.test/2019/11/story-123"), None);
        assert_eq!(from_url("https://x.test/a?d=2019/11/21"), None);
    }

    fn p(s: &str) -> Option<String> {
        parse_date_text(s)
    }

    #[test]
    fn english_dates() {
        assert_eq!(p("November 21, 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(p("Published Nov. 21, 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(p("Thursday 21 Nov 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("Nov 21st, 2019 10:04 a.m. EST").as_deref(),
            Some("2019-11-21T15:04:00Z")
        );
        assert_eq!(
            p("Updated 0759GMT 21 Nov 2019").as_deref(),
            Some("2019-11-21T07:59:00Z")
        );
        assert_eq!(
            p("21 November 2019 07:59 GMT").as_deref(),
            Some("2019-11-21T07:59:00Z")
        );
        // A time without an explicit zone (ET is ambiguous) stays a day.
        assert_eq!(
            p("Nov. 21, 2019 10:04 AM ET").as_deref(),
            Some("2019-11-21")
        );
        assert_eq!(
            p("2019-11-21T12:04:00+02:00").as_deref(),
            Some("2019-11-21T10:04:00Z")
        );
        assert_eq!(
            p("Posted 2019-11-21 12:04 UTC+3").as_deref(),
            Some("2019-11-21T09:04:00Z")
        );
    }

    #[test]
    fn russian_and_ukrainian_dates() {
        assert_eq!(p("21 ноября 2019 г.").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("Опубликовано: 21 ноября 2019, 10:30 мск").as_deref(),
            Some("2019-11-21T07:30:00Z")
        );
        assert_eq!(p("21 листопада 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("Оновлено 3 березня 2020 р., 14:00").as_deref(),
            Some("2020-03-03")
        );
        assert_eq!(p("21.11.2019 10:30").as_deref(), Some("2019-11-21"));
    }

    #[test]
    fn german_french_spanish_dates() {
        assert_eq!(p("21. November 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("Veröffentlicht am 3. März 2020, 10.30 Uhr").as_deref(),
            Some("2020-03-03")
        );
        assert_eq!(p("21 novembre 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("Publié le 1er décembre 2019 à 10h30").as_deref(),
            Some("2019-12-01")
        );
        assert_eq!(p("21 de noviembre de 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("Actualizado el 5 de agosto del 2020 a las 12:00 GMT").as_deref(),
            Some("2020-08-05T12:00:00Z")
        );
    }

    #[test]
    fn chinese_and_japanese_dates() {
        assert_eq!(p("2019年11月21日").as_deref(), Some("2019-11-21"));
        assert_eq!(p("2019年11月21日 10時30分").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("发布时间：2019年11月21日 10:30 (UTC+8)").as_deref(),
            Some("2019-11-21T02:30:00Z")
        );
        assert_eq!(p("２０１９年１１月２１日").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("2019年11月21日 10時30分 JST").as_deref(),
            Some("2019-11-21T01:30:00Z")
        );
    }

    #[test]
    fn nothing_is_invented() {
        for s in [
            "0759GMT",
            "07:59 GMT",
            "WASHINGTON, Nov 21 (Reuters) -",
            "11月21日",
            "May 2019",
            "21 people died on 32 November 2019",
            "31 February 2019",
            "at 2019 GMT",
            "",
            "年月日",
            "9999999999999999999999 November 2019",
        ] {
            assert_eq!(p(s), None, "{s}");
        }
        assert_eq!(
            p("2019-11-21 0759GMT").as_deref(),
            Some("2019-11-21T07:59:00Z")
        );
        assert_eq!(
            p("12:04 - 3 killed on 21.11.2019").as_deref(),
            Some("2019-11-21")
        );
        assert_eq!(find_date("Posted: 21 Nov 2019").map(|(_, at)| at), Some(8));
    }
}
