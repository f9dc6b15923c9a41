//! Storage for storylines: stories that continue one another, linked by
//! `dossier-link`'s `storylines` module. The store reads what linking needs
//! (each story's entities with counts, its titles, its span), replaces the
//! whole set in one transaction, and answers reads.
//!
//! Storylines are derived from the stories, so they can be stale: every
//! write that changes stories (assignment at ingest, corrections) changes
//! [`Store::storylines_stamp`], and the stamp of the last rebuild is kept in
//! `meta`. Whoever reads compares the two and rebuilds when they differ;
//! the store never rebuilds by itself (linking is not its business).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{Result, Store, StoreError, StorySummary};

/// Meta key: the [`Store::storylines_stamp`] the stored storylines were
/// built from.
const STAMP_KEY: &str = "storylines_stamp";
/// Entities read per story, the most widely named first (linking keeps
/// fewer; the rest only drops title words that are parts of names).
const ENTITIES_PER_STORY: usize = 30;
/// Titles read per story, oldest first.
const TITLES_PER_STORY: usize = 64;

/// One entity of a story with how often its articles name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryEntityCount {
    pub entity_id: i64,
    pub name: String,
    /// Articles of the story mentioning it, and all its mentions there.
    pub articles: usize,
    pub mentions: usize,
}

/// What storyline linking needs of a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryProfileInput {
    pub id: i64,
    pub label: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub articles: usize,
    /// Titles of its articles, oldest first (at most 64).
    pub titles: Vec<String>,
    /// Its entities, most widely named first (at most 30).
    pub entities: Vec<StoryEntityCount>,
}

/// A storyline to record: its id, label and stories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStoryline {
    pub id: i64,
    pub label: String,
    pub stories: Vec<i64>,
}

/// One storyline: the `dossier storylines --json` element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorylineSummary {
    pub id: i64,
    pub label: String,
    /// The earliest `first_seen` and latest `last_seen` of its stories.
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub stories: usize,
    pub articles: usize,
}

/// A storyline with its stories, oldest first: `dossier storyline ID --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorylineDetail {
    #[serde(flatten)]
    pub storyline: StorylineSummary,
    pub members: Vec<StorySummary>,
}

impl Store {
    /// A fingerprint of everything storylines are computed from: story
    /// membership (count, newest article, sum of story ids, which moves
    /// between stories change), the stories, entity mentions and the
    /// corrections log. Equal stamps: the stored storylines are current.
    pub fn storylines_stamp(&self) -> Result<String> {
        let one = |sql: &str| -> Result<i64> { Ok(self.db.query_row(sql, [], |r| r.get(0))?) };
        Ok(format!(
            "{}:{}:{}:{}:{}:{}:{}",
            one("SELECT COUNT(*) FROM story_articles")?,
            one("SELECT COALESCE(MAX(article_seq), 0) FROM story_articles")?,
            one("SELECT COALESCE(SUM(story_id), 0) FROM story_articles")?,
            one("SELECT COUNT(*) FROM stories")?,
            one("SELECT COALESCE(MAX(id), 0) FROM stories")?,
            one("SELECT COUNT(*) FROM entity_mentions")?,
            one("SELECT COALESCE(MAX(id), 0) FROM corrections")?,
        ))
    }

    /// The stamp the stored storylines were built from (None: never built).
    pub fn storylines_built_from(&self) -> Result<Option<String>> {
        Ok(self
            .db
            .query_row("SELECT value FROM meta WHERE key = ?1", [STAMP_KEY], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Every story with its titles and entity counts, by id.
    pub fn story_profile_inputs(&self) -> Result<Vec<StoryProfileInput>> {
        let mut stmt = self.db.prepare(
            "SELECT s.id, s.label, s.first_seen, s.last_seen,
                    (SELECT COUNT(*) FROM story_articles m WHERE m.story_id = s.id)
             FROM stories s ORDER BY s.id",
        )?;
        let mut stories: Vec<StoryProfileInput> = stmt
            .query_map([], |r| {
                Ok(StoryProfileInput {
                    id: r.get(0)?,
                    label: r.get(1)?,
                    first_seen: r.get(2)?,
                    last_seen: r.get(3)?,
                    articles: r.get::<_, i64>(4)?.max(0) as usize,
                    titles: Vec::new(),
                    entities: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        self.fill_titles(&mut stories)?;
        self.fill_entities(&mut stories)?;
        Ok(stories)
    }

    /// Position of a story in a list sorted by id.
    fn story_slot(stories: &[StoryProfileInput], id: i64) -> Option<usize> {
        stories.binary_search_by_key(&id, |s| s.id).ok()
    }

    fn fill_titles(&self, stories: &mut [StoryProfileInput]) -> Result<()> {
        let mut stmt = self.db.prepare(
            "SELECT s.story_id, a.title FROM story_articles s JOIN articles a ON a.seq = s.article_seq
             ORDER BY s.story_id, a.published_ts IS NULL, a.published_ts, a.seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(i) = Store::story_slot(stories, r.get(0)?) else {
                continue;
            };
            if stories[i].titles.len() < TITLES_PER_STORY {
                stories[i].titles.push(r.get(1)?);
            }
        }
        Ok(())
    }

    fn fill_entities(&self, stories: &mut [StoryProfileInput]) -> Result<()> {
        let mut stmt = self.db.prepare(
            "SELECT s.story_id, m.entity_id, e.canonical,
                    COUNT(DISTINCT m.article_seq), COUNT(*)
             FROM entity_mentions m
             JOIN story_articles s ON s.article_seq = m.article_seq
             JOIN entities e ON e.id = m.entity_id
             GROUP BY s.story_id, m.entity_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(i) = Store::story_slot(stories, r.get(0)?) else {
                continue;
            };
            let list = &mut stories[i].entities;
            list.push(StoryEntityCount {
                entity_id: r.get(1)?,
                name: r.get(2)?,
                articles: r.get::<_, i64>(3)?.max(0) as usize,
                mentions: r.get::<_, i64>(4)?.max(0) as usize,
            });
            // Bounded memory on big stories: keep the most named.
            if list.len() >= 2 * ENTITIES_PER_STORY {
                keep_most_named(list);
            }
        }
        for s in stories.iter_mut() {
            keep_most_named(&mut s.entities);
        }
        Ok(())
    }

    /// Replaces all storylines in one transaction and records the stamp
    /// they were built from. Stories that no longer exist are skipped.
    pub fn replace_storylines(&mut self, lines: &[NewStoryline], stamp: &str) -> Result<()> {
        let tx = self.db.transaction()?;
        tx.execute("DELETE FROM storyline_stories", [])?;
        tx.execute("DELETE FROM storylines", [])?;
        {
            let mut line = tx.prepare(
                "INSERT INTO storylines (id, label, first_seen, last_seen) VALUES (?1, ?2, NULL, NULL)",
            )?;
            let mut member = tx.prepare(
                "INSERT OR IGNORE INTO storyline_stories (storyline_id, story_id)
                 SELECT ?1, id FROM stories WHERE id = ?2",
            )?;
            for l in lines {
                line.execute(params![l.id, l.label])?;
                for s in &l.stories {
                    member.execute(params![l.id, s])?;
                }
            }
        }
        tx.execute(
            "UPDATE storylines SET
               first_seen = (SELECT MIN(s.first_seen) FROM storyline_stories m JOIN stories s ON s.id = m.story_id WHERE m.storyline_id = storylines.id),
               last_seen = (SELECT MAX(s.last_seen) FROM storyline_stories m JOIN stories s ON s.id = m.story_id WHERE m.storyline_id = storylines.id)",
            [],
        )?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![STAMP_KEY, stamp],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Storylines, most recently seen first.
    pub fn storylines(&self) -> Result<Vec<StorylineSummary>> {
        let mut stmt = self.db.prepare(&format!(
            "{SUMMARY_SELECT} ORDER BY l.last_seen IS NULL, l.last_seen DESC, l.id DESC"
        ))?;
        let rows = stmt.query_map([], summary_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One storyline with its stories, oldest first.
    pub fn storyline(&self, id: i64) -> Result<StorylineDetail> {
        let storyline = self
            .db
            .query_row(
                &format!("{SUMMARY_SELECT} WHERE l.id = ?1"),
                [id],
                summary_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuch(format!("storyline {id}")))?;
        let mut stmt = self.db.prepare(
            "SELECT s.id FROM storyline_stories m JOIN stories s ON s.id = m.story_id
             WHERE m.storyline_id = ?1
             ORDER BY s.first_seen IS NULL, s.first_seen, s.id",
        )?;
        let ids: Vec<i64> = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let members = ids
            .into_iter()
            .map(|s| self.story(s).map(|d| d.story))
            .collect::<Result<_>>()?;
        Ok(StorylineDetail { storyline, members })
    }

    /// Ids of a storyline's articles for its timeline: at most `limit`,
    /// shared evenly among its stories, each story's oldest first (they
    /// carry the news; later ones mostly repeat it).
    pub fn storyline_article_ids(&self, id: i64, limit: usize) -> Result<Vec<String>> {
        let members = self.storyline(id)?.members;
        let per_story = (limit / members.len().max(1)).max(1) as i64;
        let mut stmt = self.db.prepare_cached(
            "SELECT a.id FROM story_articles s JOIN articles a ON a.seq = s.article_seq
             WHERE s.story_id = ?1
             ORDER BY a.published_ts IS NULL, a.published_ts, a.seq LIMIT ?2",
        )?;
        let mut ids = Vec::new();
        for story in &members {
            let rows = stmt.query_map(params![story.id, per_story], |r| r.get(0))?;
            for row in rows {
                ids.push(row?);
            }
        }
        Ok(ids)
    }

    /// The storyline a story belongs to, if any.
    pub fn storyline_of_story(&self, story: i64) -> Result<Option<StorylineSummary>> {
        Ok(self
            .db
            .query_row(
                &format!(
                    "{SUMMARY_SELECT} WHERE l.id = (SELECT storyline_id FROM storyline_stories WHERE story_id = ?1)"
                ),
                [story],
                summary_row,
            )
            .optional()?)
    }
}

const SUMMARY_SELECT: &str = "SELECT l.id, l.label, l.first_seen, l.last_seen,
        (SELECT COUNT(*) FROM storyline_stories m WHERE m.storyline_id = l.id),
        (SELECT COUNT(*) FROM storyline_stories m JOIN story_articles a ON a.story_id = m.story_id
         WHERE m.storyline_id = l.id)
     FROM storylines l";

fn summary_row(r: &rusqlite::Row) -> rusqlite::Result<StorylineSummary> {
    Ok(StorylineSummary {
        id: r.get(0)?,
        label: r.get(1)?,
        first_seen: r.get(2)?,
        last_seen: r.get(3)?,
        stories: r.get::<_, i64>(4)?.max(0) as usize,
        articles: r.get::<_, i64>(5)?.max(0) as usize,
    })
}

/// Keeps the [`ENTITIES_PER_STORY`] most widely named entities (ties: more
/// mentions, then smaller id).
fn keep_most_named(list: &mut Vec<StoryEntityCount>) {
    list.sort_by(|a, b| {
        (b.articles, b.mentions)
            .cmp(&(a.articles, a.mentions))
            .then(a.entity_id.cmp(&b.entity_id))
    });
    list.truncate(ENTITIES_PER_STORY);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use dossier_core::{
        Article, ArticleId, Component, Content, DateMethod, DateValue, Hints, InputFormat, Origin,
    };

    use super::*;
    use crate::NewRecord;

    fn record(raw: &str, title: &str, day: &str) -> NewRecord {
        NewRecord {
            article: Article {
                id: ArticleId::of_bytes(raw.as_bytes()),
                url: None,
                source: Some("Wire".into()),
                title: title.into(),
                published: Some(DateValue::new(day, DateMethod::Declared, 0.9)),
                language: Some("en".into()),
                authors: vec![],
                text: format!("{title}."),
                format: InputFormat::Text,
                extractor: Component::new("test", "1"),
                layers: BTreeMap::new(),
            },
            origin: Origin::file("a.txt"),
            raw: raw.as_bytes().to_vec(),
            content: Content::Text(title.into()),
            hints: Hints::default(),
        }
    }

    /// Three one-article stories (ids 1, 2, 3) on three days.
    fn store_with_stories() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_write(&dir.path().join("data")).unwrap();
        let run = store.begin_run("k", "test", true).unwrap();
        let records = [
            record("a", "Talks open", "2023-01-10"),
            record("b", "Talks resume", "2023-05-02"),
            record("c", "Storm hits coast", "2023-03-01"),
        ];
        store.write_batch(&run, &records).unwrap();
        store.finish_run(&run, true).unwrap();
        let seqs: Vec<i64> = (1..=3).collect();
        let rows: Vec<(i64, i64, Option<String>)> = seqs
            .iter()
            .map(|&s| (s, s, Some(format!("story {s}"))))
            .collect();
        store.assign_stories(&rows).unwrap();
        (dir, store)
    }

    #[test]
    fn storylines_are_replaced_whole_and_read_back_oldest_first() {
        let (_dir, mut store) = store_with_stories();
        assert!(store.storylines().unwrap().is_empty());
        assert_eq!(store.storylines_built_from().unwrap(), None);
        let inputs = store.story_profile_inputs().unwrap();
        assert_eq!(inputs.len(), 3);
        assert_eq!(inputs[1].titles, vec!["Talks resume".to_owned()]);
        assert!(inputs[0].entities.is_empty());

        let stamp = store.storylines_stamp().unwrap();
        let line = NewStoryline {
            id: 1,
            label: "talks".into(),
            // Given newest first and with a story that does not exist.
            stories: vec![2, 1, 99],
        };
        store.replace_storylines(&[line], &stamp).unwrap();
        assert_eq!(store.storylines_built_from().unwrap(), Some(stamp.clone()));
        let list = store.storylines().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].stories, list[0].articles), (2, 2));
        assert_eq!(list[0].first_seen.as_deref(), Some("2023-01-10"));
        assert_eq!(list[0].last_seen.as_deref(), Some("2023-05-02"));
        let d = store.storyline(1).unwrap();
        let ids: Vec<i64> = d.members.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![1, 2]);
        assert_eq!(store.storyline_of_story(2).unwrap().map(|s| s.id), Some(1));
        assert_eq!(store.storyline_of_story(3).unwrap(), None);
        assert!(matches!(store.storyline(7), Err(StoreError::NoSuch(_))));
        assert_eq!(store.storyline_article_ids(1, 10).unwrap().len(), 2);
        assert_eq!(store.storyline_article_ids(1, 0).unwrap().len(), 2);

        // Moving an article between stories changes the stamp.
        store.assign_stories(&[(3, 1, None)]).unwrap();
        assert_ne!(store.storylines_stamp().unwrap(), stamp);
        store.replace_storylines(&[], "x").unwrap();
        assert!(store.storylines().unwrap().is_empty());
    }
}
