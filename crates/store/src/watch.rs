//! What `dossier watch` keeps between polls: the lease that keeps two
//! watchers apart, each source's poll schedule, the current article behind
//! every fetched page, and the revisions found when a page changed.
//!
//! Times are RFC 3339 UTC strings rounded to the second (see `now()`), so
//! they compare as text.

use dossier_core::ArticleId;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use crate::{now, Result, Store, StoreError};

/// Who holds a lease.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LeaseHolder {
    pub pid: u32,
    pub host: String,
    pub acquired_at: String,
    pub expires_at: String,
}

/// The current article behind one fetched page (keyed by its normalised,
/// canonical URL).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageRow {
    pub url: String,
    /// Full id of the current revision's article, if it is still stored.
    pub article_id: Option<String>,
    /// 1 for the first text seen, +1 per silent edit.
    pub revision: i64,
    pub first_fetched: String,
    pub last_fetched: String,
}

/// A silent edit: the page at `url` changed from `previous_id` to `article_id`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevisionRow {
    pub url: String,
    pub revision: i64,
    pub article_id: String,
    pub previous_id: Option<String>,
    pub source: Option<String>,
    pub fetched_at: String,
    pub words_added: i64,
    pub words_removed: i64,
    /// The diff as JSON (see `dossier_link::revision`).
    pub diff: String,
}

/// A revision to record.
#[derive(Debug, Clone)]
pub struct NewRevision<'a> {
    pub url: &'a str,
    pub article: &'a ArticleId,
    pub words_added: usize,
    pub words_removed: usize,
    pub diff: &'a str,
}

/// `t` plus `seconds`, in the store's time format.
pub fn time_after(t: jiff::Timestamp, seconds: i64) -> String {
    let later = t
        .checked_add(jiff::SignedDuration::from_secs(seconds))
        .unwrap_or(t);
    later.round(jiff::Unit::Second).unwrap_or(later).to_string()
}

impl Store {
    /// Takes the lease `name` for `ttl_secs` unless another process holds an
    /// unexpired one that `holder_alive` says is still running. Returns the
    /// other holder when it could not be taken. The same pid and host may
    /// take it again (a renewal).
    pub fn acquire_lease(
        &mut self,
        name: &str,
        pid: u32,
        host: &str,
        ttl_secs: i64,
        holder_alive: impl Fn(&LeaseHolder) -> bool,
    ) -> Result<Option<LeaseHolder>> {
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held = lease_in(&tx, name)?;
        let now_t = jiff::Timestamp::now();
        let now_s = time_after(now_t, 0);
        if let Some(h) = held {
            let ours = h.pid == pid && h.host == host;
            if !ours && h.expires_at > now_s && holder_alive(&h) {
                return Ok(Some(h));
            }
        }
        tx.execute(
            "INSERT INTO leases (name, pid, host, acquired_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (name) DO UPDATE SET
               acquired_at = CASE WHEN pid = ?2 AND host = ?3 THEN acquired_at ELSE ?4 END,
               pid = ?2, host = ?3, expires_at = ?5",
            params![name, pid, host, now_s, time_after(now_t, ttl_secs)],
        )?;
        tx.commit()?;
        Ok(None)
    }

    /// Who holds the lease `name`, if anyone (expired or not).
    pub fn lease(&self, name: &str) -> Result<Option<LeaseHolder>> {
        lease_in(&self.db, name)
    }

    /// Gives the lease back if this process holds it.
    pub fn release_lease(&mut self, name: &str, pid: u32, host: &str) -> Result<()> {
        self.db.execute(
            "DELETE FROM leases WHERE name = ?1 AND pid = ?2 AND host = ?3",
            params![name, pid, host],
        )?;
        Ok(())
    }

    /// Sets (or with `None` clears) a source's poll interval in minutes.
    pub fn set_poll_minutes(&mut self, source_id: i64, minutes: Option<i64>) -> Result<()> {
        self.db.execute(
            "UPDATE sources SET poll_minutes = ?2 WHERE id = ?1",
            params![source_id, minutes],
        )?;
        Ok(())
    }

    /// When the source is next due.
    pub fn set_next_poll(&mut self, source_id: i64, at: &str) -> Result<()> {
        self.db.execute(
            "UPDATE sources SET next_poll = ?2 WHERE id = ?1",
            params![source_id, at],
        )?;
        Ok(())
    }

    /// The page row for a normalised URL.
    pub fn page(&self, url: &str) -> Result<Option<PageRow>> {
        Ok(self
            .db
            .query_row(
                "SELECT p.url, a.id, p.revision, p.first_fetched, p.last_fetched
                 FROM pages p LEFT JOIN articles a ON a.seq = p.article_seq WHERE p.url = ?1",
                [url],
                |r| {
                    Ok(PageRow {
                        url: r.get(0)?,
                        article_id: r.get(1)?,
                        revision: r.get(2)?,
                        first_fetched: r.get(3)?,
                        last_fetched: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that `url` was fetched now and holds `article` (the first
    /// revision when the page is new; otherwise only the fetch time moves).
    pub fn record_page(&mut self, url: &str, article: &ArticleId) -> Result<()> {
        let seq = self.require_seq(article)?;
        let t = now();
        self.db.execute(
            "INSERT INTO pages (url, article_seq, revision, first_fetched, last_fetched)
             VALUES (?1, ?2, 1, ?3, ?3)
             ON CONFLICT (url) DO UPDATE SET last_fetched = ?3,
               article_seq = COALESCE(article_seq, ?2)",
            params![url, seq, t],
        )?;
        Ok(())
    }

    /// Moves a known page's fetch time (a 304 or an unchanged text).
    pub fn touch_page(&mut self, url: &str) -> Result<()> {
        self.db.execute(
            "UPDATE pages SET last_fetched = ?2 WHERE url = ?1",
            params![url, now()],
        )?;
        Ok(())
    }

    /// Records that the page changed to `rev.article`, making it the page's
    /// current article. Returns the new revision number.
    pub fn record_revision(&mut self, rev: &NewRevision) -> Result<i64> {
        let seq = self.require_seq(rev.article)?;
        let t = now();
        let tx = self.db.transaction()?;
        let (previous, number): (Option<i64>, i64) = tx
            .query_row(
                "SELECT article_seq, revision + 1 FROM pages WHERE url = ?1",
                [rev.url],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((None, 1));
        tx.execute(
            "INSERT INTO revisions (article_seq, url, revision, previous_seq, fetched_at,
                                    words_added, words_removed, diff)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (article_seq) DO NOTHING",
            params![
                seq,
                rev.url,
                number,
                previous,
                t,
                rev.words_added as i64,
                rev.words_removed as i64,
                rev.diff
            ],
        )?;
        tx.execute(
            "INSERT INTO pages (url, article_seq, revision, first_fetched, last_fetched)
             VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (url) DO UPDATE SET article_seq = ?2, revision = ?3, last_fetched = ?4",
            params![rev.url, seq, number, t],
        )?;
        tx.commit()?;
        Ok(number)
    }

    /// Every revision of the page an article belongs to (as the edited or
    /// the earlier text), oldest first; empty when it was never edited.
    pub fn revisions_of_article(&self, id_or_prefix: &str) -> Result<Vec<RevisionRow>> {
        let seq = self.resolve_id(id_or_prefix)?;
        let url: Option<String> = self
            .db
            .query_row(
                "SELECT url FROM revisions WHERE article_seq = ?1 OR previous_seq = ?1 LIMIT 1",
                [seq],
                |r| r.get(0),
            )
            .optional()?;
        match url {
            Some(url) => self.revisions_of_page(&url),
            None => Ok(Vec::new()),
        }
    }

    /// Every revision recorded for a page URL, oldest first.
    pub fn revisions_of_page(&self, url: &str) -> Result<Vec<RevisionRow>> {
        self.revisions_where("r.url = ?1", [url])
    }

    /// Revisions found in `[since, until]` (days `YYYY-MM-DD`), oldest first.
    pub fn revisions_between(&self, since: &str, until: &str) -> Result<Vec<RevisionRow>> {
        self.revisions_where(
            "substr(r.fetched_at, 1, 10) >= ?1 AND substr(r.fetched_at, 1, 10) <= ?2",
            [since, until],
        )
    }

    fn revisions_where<P: rusqlite::Params>(&self, filter: &str, p: P) -> Result<Vec<RevisionRow>> {
        let sql = format!(
            "SELECT r.url, r.revision, a.id, b.id, a.source, r.fetched_at, r.words_added,
                    r.words_removed, r.diff
             FROM revisions r JOIN articles a ON a.seq = r.article_seq
             LEFT JOIN articles b ON b.seq = r.previous_seq
             WHERE {filter} ORDER BY r.fetched_at, r.revision"
        );
        let mut stmt = self.db.prepare(&sql)?;
        let rows = stmt.query_map(p, |r| {
            Ok(RevisionRow {
                url: r.get(0)?,
                revision: r.get(1)?,
                article_id: r.get(2)?,
                previous_id: r.get(3)?,
                source: r.get(4)?,
                fetched_at: r.get(5)?,
                words_added: r.get(6)?,
                words_removed: r.get(7)?,
                diff: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn require_seq(&self, id: &ArticleId) -> Result<i64> {
        self.seq_of(id)?
            .ok_or_else(|| StoreError::NotFound(id.to_hex()))
    }
}

fn lease_in(db: &rusqlite::Connection, name: &str) -> Result<Option<LeaseHolder>> {
    Ok(db
        .query_row(
            "SELECT pid, host, acquired_at, expires_at FROM leases WHERE name = ?1",
            [name],
            |r| {
                Ok(LeaseHolder {
                    pid: r.get(0)?,
                    host: r.get(1)?,
                    acquired_at: r.get(2)?,
                    expires_at: r.get(3)?,
                })
            },
        )
        .optional()?)
}
