//! Followed outlets: sources, per-URL fetch state (HTTP validators, last
//! status, consecutive failures), the fetch log and source health.

use rusqlite::{params, OptionalExtension};

use crate::{now, Result, Store};

/// A source to add.
#[derive(Debug, Clone, Default)]
pub struct NewSource {
    pub name: String,
    /// The outlet's site (scheme://host/).
    pub url: String,
    /// The feed polled by `watch` (normalised).
    pub feed_url: String,
    pub lang: Option<String>,
    pub kind: Option<String>,
}

/// A stored source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceRow {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub feed_url: String,
    pub lang: Option<String>,
    pub kind: Option<String>,
    pub added_at: String,
    /// Poll interval the user set, in minutes; `None`: adapt to the source.
    pub poll_minutes: Option<i64>,
    /// When `watch` polls it next; `None`: at once.
    pub next_poll: Option<String>,
}

/// What is known about one URL from its last fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FetchState {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub last_status: Option<i64>,
    pub last_fetch: Option<String>,
    /// Consecutive failures (0 after a success).
    pub failures: i64,
}

/// Per-source health, from the fetch log.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceHealth {
    pub id: i64,
    pub name: String,
    pub feed_url: String,
    /// The last fetch of the feed that succeeded (200 or 304).
    pub last_success: Option<String>,
    pub last_fetch: Option<String>,
    /// Consecutive failures of the feed.
    pub feed_failures: i64,
    /// Failed fetches by kind (dns, timeout, 4xx, 5xx, robots, feed-parse,
    /// not-article...), feed and articles together.
    pub errors: std::collections::BTreeMap<String, i64>,
    /// New articles stored in the last 7 days, per day.
    pub items_per_day: f64,
    pub articles: i64,
    /// The newest publication time among the items the feed announced.
    pub last_item: Option<String>,
    /// Median hours between consecutive items over the 30 days before
    /// `last_item` (when there were enough items to say).
    pub usual_gap_hours: Option<f64>,
    /// A normally busy source stopped publishing: see [`went_silent`].
    pub silent: bool,
}

/// Items needed in the 30 days before the newest one to call a source busy.
const BUSY_MIN_ITEMS: usize = 5;

/// Median gap in hours between consecutive publication times (sorted
/// ascending), counting only the 30 days before the newest one.
pub fn usual_gap_hours(times: &[jiff::Timestamp]) -> Option<f64> {
    let newest = *times.last()?;
    let from = newest
        .checked_sub(jiff::SignedDuration::from_hours(24 * 30))
        .ok()?;
    let recent: Vec<_> = times.iter().filter(|t| **t >= from).collect();
    if recent.len() < BUSY_MIN_ITEMS {
        return None;
    }
    let mut gaps: Vec<f64> = recent
        .windows(2)
        .map(|w| w[1].duration_since(*w[0]).as_secs_f64() / 3600.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    Some(gaps[gaps.len() / 2])
}

/// A source "went silent" when it usually publishes at least daily (a
/// median gap of at most a day over a month with enough items) and nothing
/// new has appeared for five usual gaps, and at least two days.
pub fn went_silent(usual_gap_hours: Option<f64>, hours_since_last: f64) -> bool {
    usual_gap_hours.is_some_and(|gap| gap <= 24.0 && hours_since_last > (5.0 * gap).max(48.0))
}

/// Fetch log outcomes that are not failures.
pub const OK_OUTCOMES: &[&str] = &["ok", "not-modified", "article", "seen"];

impl Store {
    /// Adds a source, or updates the labels of the one with this feed.
    /// Returns its id and whether it is new.
    pub fn add_source(&mut self, s: &NewSource) -> Result<(i64, bool)> {
        let existing: Option<i64> = self
            .db
            .query_row(
                "SELECT id FROM sources WHERE feed_url = ?1",
                [&s.feed_url],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            self.db.execute(
                "UPDATE sources SET name = ?2, lang = COALESCE(?3, lang), kind = COALESCE(?4, kind)
                 WHERE id = ?1",
                params![id, s.name, s.lang, s.kind],
            )?;
            return Ok((id, false));
        }
        self.db.execute(
            "INSERT INTO sources (name, url, feed_url, lang, kind, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![s.name, s.url, s.feed_url, s.lang, s.kind, now()],
        )?;
        Ok((self.db.last_insert_rowid(), true))
    }

    /// All sources, by id.
    pub fn sources(&self) -> Result<Vec<SourceRow>> {
        let mut stmt = self.db.prepare(
            "SELECT id, name, url, feed_url, lang, kind, added_at, poll_minutes, next_poll
             FROM sources ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SourceRow {
                id: r.get(0)?,
                name: r.get(1)?,
                url: r.get(2)?,
                feed_url: r.get(3)?,
                lang: r.get(4)?,
                kind: r.get(5)?,
                added_at: r.get(6)?,
                poll_minutes: r.get(7)?,
                next_poll: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn fetch_state(&self, url: &str) -> Result<Option<FetchState>> {
        Ok(self
            .db
            .query_row(
                "SELECT url, etag, last_modified, last_status, last_fetch, failures
                 FROM fetch_state WHERE url = ?1",
                [url],
                |r| {
                    Ok(FetchState {
                        url: r.get(0)?,
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                        last_status: r.get(3)?,
                        last_fetch: r.get(4)?,
                        failures: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records a successful fetch (200 or 304). On a 304 pass the validators
    /// already held; they are kept when `None` is given for both.
    pub fn fetch_succeeded(
        &mut self,
        url: &str,
        status: u16,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<()> {
        self.db.execute(
            "INSERT INTO fetch_state (url, etag, last_modified, last_status, last_fetch, failures)
             VALUES (?1, ?2, ?3, ?4, ?5, 0)
             ON CONFLICT (url) DO UPDATE SET
               etag = CASE WHEN ?2 IS NULL AND ?3 IS NULL THEN etag ELSE ?2 END,
               last_modified = CASE WHEN ?2 IS NULL AND ?3 IS NULL THEN last_modified ELSE ?3 END,
               last_status = ?4, last_fetch = ?5, failures = 0",
            params![url, etag, last_modified, status, now()],
        )?;
        Ok(())
    }

    /// Records a failed fetch; `status` when the server answered.
    pub fn fetch_failed(&mut self, url: &str, status: Option<u16>) -> Result<()> {
        self.db.execute(
            "INSERT INTO fetch_state (url, last_status, last_fetch, failures)
             VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (url) DO UPDATE SET
               last_status = ?2, last_fetch = ?3, failures = failures + 1",
            params![url, status, now()],
        )?;
        Ok(())
    }

    /// Appends to the fetch log. `outcome` is `ok`, `not-modified`,
    /// `article`, `seen` or a failure kind.
    pub fn log_fetch(
        &mut self,
        source_id: Option<i64>,
        url: &str,
        outcome: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        self.db.execute(
            "INSERT INTO fetch_log (source_id, url, at, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![source_id, url, now(), outcome, detail],
        )?;
        Ok(())
    }

    /// The status of a link in `links` (`pending`, `done`, `failed`), if known.
    pub fn link_status(&self, url: &str) -> Result<Option<String>> {
        Ok(self
            .db
            .query_row("SELECT status FROM links WHERE url = ?1", [url], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_link_status(&mut self, url: &str, status: &str) -> Result<()> {
        self.db.execute(
            "UPDATE links SET status = ?2 WHERE url = ?1",
            params![url, status],
        )?;
        Ok(())
    }

    /// Health of every source.
    pub fn source_health(&self) -> Result<Vec<SourceHealth>> {
        let week_ago = jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_hours(24 * 7))
            .unwrap_or_else(|_| jiff::Timestamp::now())
            .round(jiff::Unit::Second)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let mut out = Vec::new();
        for s in self.sources()? {
            let state = self.fetch_state(&s.feed_url)?;
            let last_success: Option<String> = self.db.query_row(
                "SELECT MAX(at) FROM fetch_log WHERE source_id = ?1 AND url = ?2
                   AND outcome IN ('ok', 'not-modified')",
                params![s.id, s.feed_url],
                |r| r.get(0),
            )?;
            let mut stmt = self.db.prepare_cached(
                "SELECT outcome, COUNT(*) FROM fetch_log WHERE source_id = ?1
                   AND outcome NOT IN ('ok', 'not-modified', 'article', 'seen')
                 GROUP BY outcome ORDER BY outcome",
            )?;
            let errors = stmt
                .query_map([s.id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let recent: i64 = self.db.query_row(
                "SELECT COUNT(*) FROM fetch_log WHERE source_id = ?1 AND outcome = 'article' AND at >= ?2",
                params![s.id, week_ago],
                |r| r.get(0),
            )?;
            let articles: i64 = self.db.query_row(
                "SELECT COUNT(*) FROM fetch_log WHERE source_id = ?1 AND outcome = 'article'",
                [s.id],
                |r| r.get(0),
            )?;
            let times = self.item_times(&s.name)?;
            let usual_gap = usual_gap_hours(&times);
            let since_last = times.last().map_or(0.0, |t| {
                jiff::Timestamp::now().duration_since(*t).as_secs_f64() / 3600.0
            });
            out.push(SourceHealth {
                id: s.id,
                name: s.name,
                feed_url: s.feed_url,
                last_success,
                last_fetch: state.as_ref().and_then(|st| st.last_fetch.clone()),
                feed_failures: state.map_or(0, |st| st.failures),
                errors,
                items_per_day: recent as f64 / 7.0,
                articles,
                last_item: times.last().map(|t| t.to_string()),
                usual_gap_hours: usual_gap,
                silent: went_silent(usual_gap, since_last),
            });
        }
        Ok(out)
    }

    /// The median hours between a source's items over the month before its
    /// newest one (see [`usual_gap_hours`]); `None` with too few items.
    pub fn source_usual_gap_hours(&self, name: &str) -> Result<Option<f64>> {
        Ok(usual_gap_hours(&self.item_times(name)?))
    }

    /// Publication times of the items a source's feed announced (links
    /// recorded under its name), ascending.
    fn item_times(&self, name: &str) -> Result<Vec<jiff::Timestamp>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT published FROM links WHERE source = ?1 AND published IS NOT NULL",
        )?;
        let values = stmt
            .query_map([name], |r| r.get::<_, Option<String>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut times: Vec<jiff::Timestamp> = values
            .into_iter()
            .flatten()
            .filter_map(|v| parse_time(&v))
            .collect();
        times.sort();
        times.dedup();
        Ok(times)
    }
}

/// An RFC 3339 time, or a bare `YYYY-MM-DD` day taken at midnight UTC.
fn parse_time(value: &str) -> Option<jiff::Timestamp> {
    value.parse::<jiff::Timestamp>().ok().or_else(|| {
        let day: jiff::civil::Date = value.get(..10)?.parse().ok()?;
        day.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    })
}
