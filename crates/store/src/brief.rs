//! Reads for the briefing memo (`dossier brief`): the newest publication
//! day, the articles of a window grouped by story, the copy pairs among
//! them, and the articles mentioning one entity. No tables of its own.

use rusqlite::params;

use crate::{Result, Store, StoredArticle};

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
