//! Dates declared by containers, normalised to the forms `DateValue` keeps:
//! a calendar date `YYYY-MM-DD` when only a day was given, else an instant
//! in UTC `YYYY-MM-DDTHH:MM:SSZ`.

use jiff::civil;
use jiff::Timestamp;

/// Parses a declared date: `2019-11-21`, RFC 3339 / ISO 8601 with an offset,
/// `2019-11-21 10:00:00` (no zone: read as UTC), or RFC 2822. `None` when it
/// is none of these, so that a bad date never fails a record.
pub(crate) fn parse_declared(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if s.len() == 10 {
        if let Ok(d) = s.parse::<civil::Date>() {
            return Some(d.to_string());
        }
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(utc(ts));
    }
    if let Ok(dt) = s.parse::<civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| utc(z.timestamp()));
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        return Some(utc(z.timestamp()));
    }
    None
}

/// An instant as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn utc(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Seconds since the epoch (what feed and mail parsers give) as an instant.
pub(crate) fn from_unix_seconds(seconds: i64) -> Option<String> {
    Timestamp::from_second(seconds).ok().map(utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let p = |s| parse_declared(s);
        assert_eq!(p("2019-11-21").as_deref(), Some("2019-11-21"));
        assert_eq!(
            p("2019-11-21T10:00:00Z").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
        assert_eq!(
            p("2019-11-21T13:00:00+03:00").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
        assert_eq!(
            p("2019-11-21 10:00:00").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
        assert_eq!(
            p("2019-11-21T10:00:00").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
        assert_eq!(
            p("Thu, 21 Nov 2019 12:00:00 +0200").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
        assert_eq!(
            p("Thu, 21 Nov 2019 10:00:00 GMT").as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
    }

    #[test]
    fn rejected_forms() {
        for s in [
            "",
            "yesterday",
            "2019-13-45",
            "21/11/2019",
            "2019-11-21T99:00:00Z",
        ] {
            assert_eq!(parse_declared(s), None, "{s}");
        }
    }
}
