//! Date strings from pages into ISO 8601 values with `jiff`.
//!
//! A date with a time and an offset is an instant and is written in UTC
//! (`2019-11-21T10:04:00Z`). A calendar date, or a date and time without an
//! offset (whose instant cannot be known), is written as the day only
//! (`2019-11-21`): a date must be defensible, so no zone is invented.

use jiff::civil::Date;

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
}
