//! Epoch seconds from feed and mail parsers as `DateValue` instants. Date
//! *strings* are normalised by `dossier_core::normalize_date`, shared with
//! extraction.

use jiff::Timestamp;

/// Seconds since the epoch as an instant `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn from_unix_seconds(seconds: i64) -> Option<String> {
    Timestamp::from_second(seconds)
        .ok()
        .map(|ts| ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_seconds_become_utc_instants() {
        assert_eq!(
            super::from_unix_seconds(1_574_330_400).as_deref(),
            Some("2019-11-21T10:00:00Z")
        );
    }
}
