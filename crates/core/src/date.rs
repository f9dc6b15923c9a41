//! Publication dates that say how they were found.

use jiff::civil::{Date, DateTime};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How a date was found. A date always carries its method so that a reader can
/// judge it; the file or crawl time is never one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateMethod {
    /// A field of a structured input that names the date: a JSON Lines
    /// `published` field, a feed item's `pubDate`/`published`.
    Declared,
    /// An e-mail's `Date:` header.
    EmailHeader,
    /// JSON-LD `datePublished` in an HTML page.
    JsonLd,
    /// A `<meta>` tag such as `article:published_time`.
    MetaTag,
    /// A `<time datetime=...>` element.
    TimeElement,
    /// A date embedded in the URL path (`/2019/11/21/`).
    Url,
    /// A byline or "date ..." line in the text.
    Byline,
    /// A dateline such as "MOSCOW, Nov. 21 (Reuters) -".
    Dateline,
}

impl DateMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            DateMethod::Declared => "declared",
            DateMethod::EmailHeader => "email-header",
            DateMethod::JsonLd => "json-ld",
            DateMethod::MetaTag => "meta-tag",
            DateMethod::TimeElement => "time-element",
            DateMethod::Url => "url",
            DateMethod::Byline => "byline",
            DateMethod::Dateline => "dateline",
        }
    }

    pub fn parse(s: &str) -> Option<DateMethod> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// A date with its provenance.
///
/// `value` is ISO 8601: either a calendar date (`2019-11-21`) or an instant in
/// UTC (`2019-11-21T10:04:00Z`). `confidence` is in `0.0..=1.0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateValue {
    pub value: String,
    pub method: DateMethod,
    pub confidence: f32,
}

impl DateValue {
    pub fn new(value: impl Into<String>, method: DateMethod, confidence: f32) -> DateValue {
        DateValue {
            value: value.into(),
            method,
            confidence: confidence.clamp(0.0, 1.0),
        }
    }

    /// The calendar day of this date, `YYYY-MM-DD`, used for range filters.
    pub fn day(&self) -> &str {
        self.value.get(..10).unwrap_or(&self.value)
    }
}

/// Years outside this range are treated as parse garbage, not news dates.
const YEARS: std::ops::RangeInclusive<i16> = 1800..=2100;

/// Textual date layouts seen in `<time>` and meta tags.
const TEXT_FORMATS: &[&str] = &[
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
];

/// Normalises a date as a publisher wrote it (a page's metadata, a feed, a
/// JSON field, an e-mail header) to the forms [`DateValue`] keeps: an instant
/// with a known offset becomes UTC `YYYY-MM-DDTHH:MM:SSZ`; a calendar date,
/// or a date and time without an offset (whose instant cannot be known),
/// becomes the day `YYYY-MM-DD`, so no time zone is invented. `None` when it
/// is not a plausible date.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    instant(s)
        .map(|ts| {
            let day = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
            (day, ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        })
        .or_else(|| day(s).map(|d| (d, d.to_string())))
        .filter(|(d, _)| YEARS.contains(&d.year()))
        .map(|(_, v)| v)
}

/// An instant: RFC 3339 / ISO 8601 with an offset (also `+0000` and a space
/// separator), or RFC 2822 as in feeds and HTTP headers.
fn instant(s: &str) -> Option<Timestamp> {
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    if let Ok(ts) = s.replacen(' ', "T", 1).parse::<Timestamp>() {
        return Some(ts);
    }
    jiff::fmt::rfc2822::parse(s).ok().map(|z| z.timestamp())
}

/// A calendar day: an ISO date, an ISO date-time without offset, or one of
/// the textual layouts.
fn day(s: &str) -> Option<Date> {
    if let Ok(dt) = s.parse::<DateTime>() {
        return Some(dt.date());
    }
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    if let Some(d) = s.get(..10).and_then(|p| p.parse::<Date>().ok()) {
        return Some(d);
    }
    TEXT_FORMATS.iter().find_map(|f| Date::strptime(f, s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_become_utc() {
        let n = |s| normalize_date(s);
        assert_eq!(
            n("2019-11-21T10:04:00Z").as_deref(),
            Some("2019-11-21T10:04:00Z")
        );
        assert_eq!(
            n("2019-11-21T12:04:00+02:00").as_deref(),
            Some("2019-11-21T10:04:00Z")
        );
        assert_eq!(
            n("2019-11-21T12:04:00.000+0200").as_deref(),
            Some("2019-11-21T10:04:00Z")
        );
        assert_eq!(
            n("Thu, 21 Nov 2019 10:00:00 +0000").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
        assert_eq!(
            n("2019-11-21 10:00:00+00:00").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
    }

    #[test]
    fn days_stay_days() {
        let n = |s| normalize_date(s);
        assert_eq!(n("2019-11-21").as_deref(), Some("2019-11-21"));
        assert_eq!(n("2019-11-21 10:00").as_deref(), Some("2019-11-21"));
        assert_eq!(n("2019-11-21T10:00:00").as_deref(), Some("2019-11-21"));
        assert_eq!(n("November 21, 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(n("21 Nov 2019").as_deref(), Some("2019-11-21"));
        assert_eq!(n("yesterday"), None);
        assert_eq!(n("0001-01-01"), None);
        for bad in ["", "2019-13-45", "21/11/2019", "tomorrow 10:00"] {
            assert_eq!(n(bad), None, "{bad}");
        }
    }

    #[test]
    fn method_names_round_trip_through_json_spelling() {
        for m in [
            DateMethod::Declared,
            DateMethod::EmailHeader,
            DateMethod::JsonLd,
            DateMethod::MetaTag,
            DateMethod::TimeElement,
            DateMethod::Url,
            DateMethod::Byline,
            DateMethod::Dateline,
        ] {
            assert_eq!(DateMethod::parse(m.as_str()), Some(m));
        }
    }

    #[test]
    fn confidence_is_clamped() {
        assert_eq!(
            DateValue::new("2020-01-01", DateMethod::Url, 3.0).confidence,
            1.0
        );
    }
}
