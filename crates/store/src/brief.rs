//! The briefing memo (`dossier brief`): reads (the newest publication day,
//! the articles of a window grouped by story, a story's earlier articles,
//! the copy pairs among them, the articles mentioning one entity) and the
//! `briefs` table, the history of briefs made.
//!
//! A brief is saved with one INSERT on the connection a reader opened: it
//! touches neither articles nor the search index, so it needs no writer
//! lock and can be made while an ingest runs (SQLite's busy timeout waits
//! out the ingest's transaction).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{Result, Store, StoreError, StoredArticle};

/// A saved brief without its body: a line of `dossier briefs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefSummary {
    pub id: i64,
    pub created_at: String,
    pub since: String,
    pub until: String,
    pub topic: Option<String>,
    pub entity: Option<String>,
    pub since_brief: Option<i64>,
    pub items: usize,
}

/// A saved brief with its options and body (both JSON text).
#[derive(Debug, Clone, PartialEq)]
pub struct BriefRecord {
    pub summary: BriefSummary,
    pub options: String,
    pub brief: String,
}

/// One story's articles published in a window, oldest first.
#[derive(Debug, Clone)]
pub struct BriefStoryArticles {
    pub story: i64,
    pub articles: Vec<StoredArticle>,
}

impl Store {
    /// The newest publication day (`YYYY-MM-DD`) in the store, if any
    /// article is dated.
    pub fn latest_published_day(&self) -> Result<Option<String>> {
        Ok(self.db.query_row(
            "SELECT MAX(substr(published, 1, 10)) FROM articles WHERE published IS NOT NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Stories with at least one article published in `[since, until]`
    /// (days `YYYY-MM-DD`, inclusive), each with those articles (full,
    /// with layers), oldest first. Undated articles are left out: a brief
    /// is about a window of time.
    pub fn brief_stories(&self, since: &str, until: &str) -> Result<Vec<BriefStoryArticles>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT s.story_id, a.id FROM story_articles s JOIN articles a ON a.seq = s.article_seq
             WHERE a.published IS NOT NULL
               AND substr(a.published, 1, 10) >= ?1 AND substr(a.published, 1, 10) <= ?2
             ORDER BY s.story_id, a.published_ts, a.seq",
        )?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(params![since, until], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut out: Vec<BriefStoryArticles> = Vec::new();
        for (story, id) in rows {
            let article = self.article(&id)?;
            match out.last_mut() {
                Some(last) if last.story == story => last.articles.push(article),
                _ => out.push(BriefStoryArticles {
                    story,
                    articles: vec![article],
                }),
            }
        }
        Ok(out)
    }

    /// Verified copy pairs `(id, id)` among the given articles (full ids).
    pub fn copy_pairs_among(&self, ids: &[String]) -> Result<Vec<(String, String)>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT o.id FROM copies c JOIN articles a ON a.seq = c.a_seq JOIN articles o ON o.seq = c.b_seq
             WHERE a.id = ?1",
        )?;
        let mut out = Vec::new();
        for id in ids {
            let others: Vec<String> = stmt
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for other in others {
                if ids.contains(&other) {
                    out.push((id.clone(), other));
                }
            }
        }
        Ok(out)
    }

    /// Full ids of the articles that mention entity `entity_id`.
    pub fn entity_article_ids(&self, entity_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT DISTINCT a.id FROM entity_mentions m JOIN articles a ON a.seq = m.article_seq
             WHERE m.entity_id = ?1",
        )?;
        let rows = stmt.query_map([entity_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const SUMMARY_COLUMNS: &str = "id, created_at, since, until, topic, entity, since_brief, items";

fn summary_from_row(r: &rusqlite::Row) -> rusqlite::Result<BriefSummary> {
    Ok(BriefSummary {
        id: r.get(0)?,
        created_at: r.get(1)?,
        since: r.get(2)?,
        until: r.get(3)?,
        topic: r.get(4)?,
        entity: r.get(5)?,
        since_brief: r.get(6)?,
        items: r.get::<_, i64>(7)?.max(0) as usize,
    })
}

impl Store {
    /// Saves a brief; returns its id. `options` is one JSON object with
    /// the window (`since`, `until`: days), the filters (`topic`,
    /// `entity`), `since_brief` and whatever else made the brief; `brief`
    /// is the brief as `dossier brief --json` prints it. The columns index
    /// the first; both are kept whole.
    pub fn save_brief(
        &self,
        options: &serde_json::Value,
        brief: &serde_json::Value,
    ) -> Result<i64> {
        let text = |key: &str| options.get(key).and_then(|v| v.as_str());
        let (Some(since), Some(until)) = (text("since"), text("until")) else {
            return Err(StoreError::Corrupt(
                "a brief's options must name its window (since, until)".into(),
            ));
        };
        let items = brief
            .get("items")
            .and_then(|v| v.as_array())
            .map_or(0, Vec::len);
        self.db.execute(
            "INSERT INTO briefs (created_at, since, until, topic, entity, since_brief, options, items, brief)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                crate::now(),
                since,
                until,
                text("topic"),
                text("entity"),
                options.get("since_brief").and_then(|v| v.as_i64()),
                options.to_string(),
                items as i64,
                brief.to_string()
            ],
        )?;
        Ok(self.db.last_insert_rowid())
    }

    /// Saved briefs, newest first, at most `limit`.
    pub fn list_briefs(&self, limit: usize) -> Result<Vec<BriefSummary>> {
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM briefs ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit.min(i64::MAX as usize) as i64], summary_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saved brief `id`, if there is one.
    pub fn brief_record(&self, id: i64) -> Result<Option<BriefRecord>> {
        Ok(self
            .db
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS}, options, brief FROM briefs WHERE id = ?1"),
                [id],
                |r| {
                    Ok(BriefRecord {
                        summary: summary_from_row(r)?,
                        options: r.get(8)?,
                        brief: r.get(9)?,
                    })
                },
            )
            .optional()?)
    }

    /// The id of the newest saved brief, if any.
    pub fn latest_brief_id(&self) -> Result<Option<i64>> {
        Ok(self
            .db
            .query_row("SELECT MAX(id) FROM briefs", [], |r| r.get(0))?)
    }

    /// A story's history before the day `before` (`YYYY-MM-DD`), with
    /// layers, oldest first: its first dated article and up to `latest` of
    /// the newest (how it began and where it stood), so a long storyline
    /// costs a few reads, not hundreds.
    pub fn story_history(
        &self,
        story: i64,
        before: &str,
        latest: usize,
    ) -> Result<Vec<StoredArticle>> {
        let query = |order: &str, limit: usize| -> Result<Vec<String>> {
            let mut stmt = self.db.prepare_cached(&format!(
                "SELECT a.id FROM story_articles s JOIN articles a ON a.seq = s.article_seq
                 WHERE s.story_id = ?1 AND a.published IS NOT NULL
                   AND substr(a.published, 1, 10) < ?2
                 ORDER BY a.published_ts {order}, a.seq {order} LIMIT ?3"
            ))?;
            let rows =
                stmt.query_map(params![story, before, limit.min(1000) as i64], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let mut ids = query("ASC", 1)?;
        for id in query("DESC", latest)?.into_iter().rev() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.iter().map(|id| self.article(id)).collect()
    }

    /// The stored articles among `ids` (full ids), in that order; ids no
    /// longer in the store are skipped.
    pub fn articles_present(&self, ids: &[String]) -> Result<Vec<StoredArticle>> {
        let mut out = Vec::new();
        for id in ids {
            match self.article(id) {
                Ok(a) => out.push(a),
                Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Store;

    #[test]
    fn briefs_are_saved_listed_newest_first_and_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_write(dir.path()).unwrap();
        assert_eq!(store.latest_brief_id().unwrap(), None);
        let first =
            json!({"since": "2024-11-01", "until": "2024-11-07", "topic": "floods", "items": 10});
        let body = json!({"since": "2024-11-01", "until": "2024-11-07", "items": [{"rank": 1}, {"rank": 2}]});
        let a = store.save_brief(&first, &body).unwrap();
        let second = json!({"since": "2024-11-07", "until": "2024-11-09", "since_brief": a, "entity": "Pedro Sanchez"});
        let b = store.save_brief(&second, &json!({"items": []})).unwrap();
        assert_eq!(store.latest_brief_id().unwrap(), Some(b));
        let list = store.list_briefs(10).unwrap();
        assert_eq!(list.iter().map(|s| s.id).collect::<Vec<_>>(), [b, a]);
        assert_eq!(list[0].since_brief, Some(a));
        assert_eq!(list[0].entity.as_deref(), Some("Pedro Sanchez"));
        assert_eq!(list[1].topic.as_deref(), Some("floods"));
        assert_eq!(list[1].items, 2);
        assert_eq!(store.list_briefs(1).unwrap().len(), 1);
        let record = store.brief_record(a).unwrap().unwrap();
        let back: serde_json::Value = serde_json::from_str(&record.brief).unwrap();
        assert_eq!(back, body);
        let options: serde_json::Value = serde_json::from_str(&record.options).unwrap();
        assert_eq!(options, first);
        assert!(store.brief_record(b + 1).unwrap().is_none());
        // A brief without a window is refused, not stored half.
        assert!(store.save_brief(&json!({}), &body).is_err());
        assert_eq!(store.list_briefs(10).unwrap().len(), 2);
    }
}
