//! Storage for stories: online clusters of articles (made by
//! `dossier-link`'s `StoryClusterer`; the store only records them).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{Result, Store, StoreError};

/// One story: the `dossier stories --json` element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorySummary {
    pub id: i64,
    pub label: String,
    /// Earliest and latest publication date of its articles (null when none is dated).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub articles: usize,
    pub outlets: Vec<String>,
    pub languages: Vec<String>,
}

/// One article of a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryArticle {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub language: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
}

/// A story with its articles, oldest first: `dossier story ID --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryDetail {
    #[serde(flatten)]
    pub story: StorySummary,
    pub members: Vec<StoryArticle>,
    /// Silent edits: members that are a later revision of a fetched page.
    pub edits: Vec<crate::RevisionRow>,
}

/// What story assignment needs of a stored article.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryInput {
    pub seq: i64,
    pub story_id: Option<i64>,
    pub title: String,
    pub text: String,
    pub published: Option<String>,
    /// Entity surface forms from the `entities` layer (empty when none).
    pub entities: Vec<String>,
}

impl Store {
    /// Records assignments `(article seq, story id, label if the story is
    /// new)` in one transaction, and refreshes the stories' spans.
    pub fn assign_stories(&mut self, assignments: &[(i64, i64, Option<String>)]) -> Result<()> {
        let tx = self.db.transaction()?;
        {
            let mut new_story =
                tx.prepare_cached("INSERT OR IGNORE INTO stories (id, label) VALUES (?1, ?2)")?;
            let mut member = tx.prepare_cached(
                "INSERT OR REPLACE INTO story_articles (story_id, article_seq) VALUES (?1, ?2)",
            )?;
            let mut span = tx.prepare_cached(
                "UPDATE stories SET
                   first_seen = (SELECT MIN(a.published) FROM story_articles s JOIN articles a ON a.seq = s.article_seq WHERE s.story_id = ?1),
                   last_seen = (SELECT MAX(a.published) FROM story_articles s JOIN articles a ON a.seq = s.article_seq WHERE s.story_id = ?1)
                 WHERE id = ?1",
            )?;
            for (seq, story, label) in assignments {
                new_story.execute(params![story, label.as_deref().unwrap_or("")])?;
                member.execute(params![story, seq])?;
                span.execute([story])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The highest story id in use (0 when none).
    pub fn max_story_id(&self) -> Result<i64> {
        Ok(self
            .db
            .query_row("SELECT COALESCE(MAX(id), 0) FROM stories", [], |r| r.get(0))?)
    }

    /// The most recent `limit` articles that are in a story, oldest first,
    /// to rebuild the clusterer at the start of an ingest.
    pub fn recent_story_inputs(&self, limit: usize) -> Result<Vec<StoryInput>> {
        let mut out = self.story_inputs(
            "SELECT a.seq, s.story_id, a.title, a.text, a.published,
                    (SELECT spans FROM layers l WHERE l.article_seq = a.seq AND l.name = 'entities')
             FROM story_articles s JOIN articles a ON a.seq = s.article_seq
             ORDER BY a.seq DESC LIMIT ?1",
            limit as i64,
        )?;
        out.reverse();
        Ok(out)
    }

    /// Articles with `seq > after` in no story, in order, at most `limit`.
    pub fn unassigned_story_inputs(&self, after: i64, limit: usize) -> Result<Vec<StoryInput>> {
        let mut stmt_sql = String::from(
            "SELECT a.seq, NULL, a.title, a.text, a.published,
                    (SELECT spans FROM layers l WHERE l.article_seq = a.seq AND l.name = 'entities')
             FROM articles a
             WHERE a.seq > ",
        );
        stmt_sql.push_str(&after.to_string());
        stmt_sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM story_articles s WHERE s.article_seq = a.seq)
             ORDER BY a.seq LIMIT ?1",
        );
        self.story_inputs(&stmt_sql, limit as i64)
    }

    fn story_inputs(&self, sql: &str, limit: i64) -> Result<Vec<StoryInput>> {
        let mut stmt = self.db.prepare_cached(sql)?;
        let rows = stmt.query_map([limit], |r| {
            let text: String = r.get(3)?;
            let spans: Option<String> = r.get(5)?;
            Ok(StoryInput {
                seq: r.get(0)?,
                story_id: r.get(1)?,
                title: r.get(2)?,
                published: r.get(4)?,
                entities: entity_texts(&text, spans.as_deref()),
                text,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stories whose span meets `[since, until]` (days `YYYY-MM-DD`, either
    /// open), most recent first.
    pub fn stories(&self, since: Option<&str>, until: Option<&str>) -> Result<Vec<StorySummary>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT id FROM stories
             WHERE (?1 IS NULL OR COALESCE(last_seen, '9999') >= ?1)
               AND (?2 IS NULL OR COALESCE(first_seen, '0000') <= ?2 || 'T99')
             ORDER BY last_seen IS NULL, last_seen DESC, id DESC",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(params![since, until], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .map(|id| self.story(id).map(|d| d.story))
            .collect()
    }

    /// One story with its articles, oldest first.
    pub fn story(&self, id: i64) -> Result<StoryDetail> {
        let row: Option<(String, Option<String>, Option<String>)> = self
            .db
            .query_row(
                "SELECT label, first_seen, last_seen FROM stories WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (label, first_seen, last_seen) =
            row.ok_or_else(|| StoreError::NotFound(format!("story {id}")))?;
        let mut stmt = self.db.prepare_cached(
            "SELECT a.id, a.title, a.source, a.language, a.published, a.url
             FROM story_articles s JOIN articles a ON a.seq = s.article_seq
             WHERE s.story_id = ?1
             ORDER BY a.published_ts IS NULL, a.published_ts, a.seq",
        )?;
        let members: Vec<StoryArticle> = stmt
            .query_map([id], |r| {
                Ok(StoryArticle {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    source: r.get(2)?,
                    language: r.get(3)?,
                    published: r.get(4)?,
                    url: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut outlets: Vec<String> = members.iter().filter_map(|m| m.source.clone()).collect();
        outlets.sort();
        outlets.dedup();
        let mut languages: Vec<String> =
            members.iter().filter_map(|m| m.language.clone()).collect();
        languages.sort();
        languages.dedup();
        let mut edits = Vec::new();
        for m in &members {
            let of_page = self.revisions_of_article(&m.id)?;
            edits.extend(of_page.into_iter().filter(|r| r.article_id == m.id));
        }
        Ok(StoryDetail {
            story: StorySummary {
                id,
                label,
                first_seen,
                last_seen,
                articles: members.len(),
                outlets,
                languages,
            },
            members,
            edits,
        })
    }
}

/// Entity surface forms from an `entities` layer's spans (character offsets).
fn entity_texts(text: &str, spans: Option<&str>) -> Vec<String> {
    let Some(spans) = spans else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(spans)
    else {
        return Vec::new();
    };
    let chars: Vec<char> = text.chars().collect();
    list.iter()
        .filter_map(|s| {
            let start = s.get("start")?.as_u64()? as usize;
            let end = s.get("end")?.as_u64()? as usize;
            (start < end && end <= chars.len()).then(|| chars[start..end].iter().collect())
        })
        .collect()
}

impl Store {
    /// Full ids of a story's articles.
    pub fn story_article_ids(&self, story: i64) -> Result<Vec<String>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT a.id FROM story_articles s JOIN articles a ON a.seq = s.article_seq
             WHERE s.story_id = ?1",
        )?;
        let rows = stmt.query_map([story], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The story of each given article that is in one: `(article id, story
    /// id, story label)`.
    pub fn stories_of(&self, ids: &[String]) -> Result<Vec<(String, i64, String)>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT a.id, st.id, st.label FROM articles a
             JOIN story_articles s ON s.article_seq = a.seq JOIN stories st ON st.id = s.story_id
             WHERE a.id = ?1",
        )?;
        let mut out = Vec::new();
        for id in ids {
            let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }
}
