//! Publication dates that say how they were found.

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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(DateValue::new("2020-01-01", DateMethod::Url, 3.0).confidence, 1.0);
    }
}
