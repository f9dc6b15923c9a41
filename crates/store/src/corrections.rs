//! Corrections a user makes by hand: merging and splitting entities,
//! moving articles between stories and merging stories. Each one is a single
//! transaction and is logged in `corrections`.
//!
//! They persist: identity resolution and story assignment only ever handle
//! articles not resolved or assigned yet, and a merged entity's names
//! become variants of the survivor, which is how later mentions of them are
//! matched to it.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::{now, Result, Store, StoreError};

/// One logged correction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Correction {
    pub id: i64,
    pub at: String,
    /// `merge-entities`, `split-entity`, `move-article`, `merge-stories`.
    pub kind: String,
    pub detail: serde_json::Value,
}

/// Why a correction was refused.
fn refused(reason: String) -> StoreError {
    StoreError::Refused(reason)
}

impl Store {
    /// Merges entity `from` into `into`: its names become variants of
    /// `into`, its mentions point at `into`, and `from` is gone.
    pub fn merge_entities(&mut self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Err(refused(format!(
                "entity {from} cannot be merged into itself"
            )));
        }
        let tx = self.db.transaction()?;
        let from_name = entity_name(&tx, from)?;
        let into_name = entity_name(&tx, into)?;
        tx.execute(
            "INSERT INTO entity_variants (entity_id, variant, count)
             SELECT ?2, variant, count FROM entity_variants WHERE entity_id = ?1 AND true
             ON CONFLICT (entity_id, variant) DO UPDATE SET count = count + excluded.count",
            params![from, into],
        )?;
        tx.execute(
            "INSERT INTO entity_variants (entity_id, variant, count) VALUES (?2, ?1, 0)
             ON CONFLICT (entity_id, variant) DO NOTHING",
            params![from_name, into],
        )?;
        let note = format!("merged by hand: {from_name} (entity {from}) into {into_name}");
        tx.execute(
            "UPDATE entity_mentions SET entity_id = ?2, explanation = ?3 WHERE entity_id = ?1",
            params![from, into, note],
        )?;
        tx.execute(
            "UPDATE entities SET
               first_seen = (SELECT MIN(x) FROM (SELECT first_seen AS x FROM entities WHERE id IN (?1, ?2))),
               last_seen = (SELECT MAX(x) FROM (SELECT last_seen AS x FROM entities WHERE id IN (?1, ?2)))
             WHERE id = ?2",
            params![from, into],
        )?;
        tx.execute("DELETE FROM entities WHERE id = ?1", [from])?;
        log(
            &tx,
            "merge-entities",
            serde_json::json!({"from": from, "from_name": from_name, "into": into, "into_name": into_name}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Splits the mentions of entity `id` spelled `variant` (any case) off
    /// into a new entity named `variant` with matching key `key` (computed
    /// by the caller: the store does no name analysis). Returns its id.
    pub fn split_entity(&mut self, id: i64, variant: &str, key: &str) -> Result<i64> {
        let tx = self.db.transaction()?;
        let name = entity_name(&tx, id)?;
        let label: String =
            tx.query_row("SELECT label FROM entities WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        let count: i64 = tx
            .query_row(
                "SELECT count FROM entity_variants WHERE entity_id = ?1 AND variant = ?2 COLLATE NOCASE",
                params![id, variant],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| refused(format!("{name} (entity {id}) has no variant {variant:?}")))?;
        let variants: i64 = tx.query_row(
            "SELECT COUNT(*) FROM entity_variants WHERE entity_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if variants < 2 {
            return Err(refused(format!(
                "{name} (entity {id}) has only one name; nothing to split off"
            )));
        }
        let new_id: i64 =
            tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM entities", [], |r| {
                r.get(0)
            })?;
        tx.execute(
            "INSERT INTO entities (id, canonical, label, key) VALUES (?1, ?2, ?3, ?4)",
            params![new_id, variant, label, key],
        )?;
        tx.execute(
            "UPDATE entity_variants SET entity_id = ?2 WHERE entity_id = ?1 AND variant = ?3 COLLATE NOCASE",
            params![id, new_id, variant],
        )?;
        let moved = move_mentions_spelled(&tx, id, new_id, variant)?;
        log(
            &tx,
            "split-entity",
            serde_json::json!({"from": id, "from_name": name, "variant": variant, "new": new_id, "count": count, "mentions": moved}),
        )?;
        tx.commit()?;
        Ok(new_id)
    }

    /// Moves an article to story `to`, or to a new story labelled with its
    /// title when `to` is `None`. Returns the story it is now in. A story
    /// left empty is removed.
    pub fn move_article(&mut self, article: &str, to: Option<i64>) -> Result<i64> {
        let seq = self.resolve_id(article)?;
        let tx = self.db.transaction()?;
        let from: Option<i64> = tx
            .query_row(
                "SELECT story_id FROM story_articles WHERE article_seq = ?1",
                [seq],
                |r| r.get(0),
            )
            .optional()?;
        let target = match to {
            Some(story) => {
                story_exists(&tx, story)?;
                story
            }
            None => {
                let (id, title): (i64, String) = tx.query_row(
                    "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM stories), title FROM articles WHERE seq = ?1",
                    [seq],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                tx.execute(
                    "INSERT INTO stories (id, label) VALUES (?1, ?2)",
                    params![id, title],
                )?;
                id
            }
        };
        tx.execute(
            "INSERT OR REPLACE INTO story_articles (story_id, article_seq) VALUES (?1, ?2)",
            params![target, seq],
        )?;
        for story in from.into_iter().chain([target]) {
            refresh_story(&tx, story)?;
        }
        log(
            &tx,
            "move-article",
            serde_json::json!({"article": article, "from": from, "to": target}),
        )?;
        tx.commit()?;
        Ok(target)
    }

    /// Moves every article of story `from` into `into` and removes `from`.
    pub fn merge_stories(&mut self, from: i64, into: i64) -> Result<()> {
        if from == into {
            return Err(refused(format!(
                "story {from} cannot be merged into itself"
            )));
        }
        let tx = self.db.transaction()?;
        story_exists(&tx, from)?;
        story_exists(&tx, into)?;
        tx.execute(
            "UPDATE story_articles SET story_id = ?2 WHERE story_id = ?1",
            params![from, into],
        )?;
        refresh_story(&tx, from)?;
        refresh_story(&tx, into)?;
        log(
            &tx,
            "merge-stories",
            serde_json::json!({"from": from, "into": into}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Corrections made so far, newest first.
    pub fn corrections(&self, limit: usize) -> Result<Vec<Correction>> {
        let mut stmt = self
            .db
            .prepare("SELECT id, at, kind, detail FROM corrections ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit as i64], |r| {
            let detail: String = r.get(3)?;
            Ok(Correction {
                id: r.get(0)?,
                at: r.get(1)?,
                kind: r.get(2)?,
                detail: serde_json::from_str(&detail).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn entity_name(tx: &Transaction, id: i64) -> Result<String> {
    tx.query_row("SELECT canonical FROM entities WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::NoSuch(format!("entity {id}")))
}

fn story_exists(tx: &Transaction, id: i64) -> Result<()> {
    let found: Option<i64> = tx
        .query_row("SELECT id FROM stories WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::NoSuch(format!("story {id}")))
}

/// Re-derives a story's time span, or removes it when it has no articles.
fn refresh_story(tx: &Transaction, story: i64) -> Result<()> {
    let members: i64 = tx.query_row(
        "SELECT COUNT(*) FROM story_articles WHERE story_id = ?1",
        [story],
        |r| r.get(0),
    )?;
    if members == 0 {
        tx.execute("DELETE FROM stories WHERE id = ?1", [story])?;
        return Ok(());
    }
    tx.execute(
        "UPDATE stories SET
           first_seen = (SELECT MIN(a.published) FROM story_articles s JOIN articles a ON a.seq = s.article_seq WHERE s.story_id = ?1),
           last_seen = (SELECT MAX(a.published) FROM story_articles s JOIN articles a ON a.seq = s.article_seq WHERE s.story_id = ?1)
         WHERE id = ?1",
        [story],
    )?;
    Ok(())
}

/// Moves the mentions of `from` whose text is `variant` (any case) to `to`;
/// the mention text is read from the article at the mention's offsets.
fn move_mentions_spelled(tx: &Transaction, from: i64, to: i64, variant: &str) -> Result<usize> {
    let mentions: Vec<(i64, i64, i64, String)> = {
        let mut stmt = tx.prepare(
            "SELECT m.article_seq, m.start, m.end, a.text FROM entity_mentions m
             JOIN articles a ON a.seq = m.article_seq WHERE m.entity_id = ?1",
        )?;
        let rows = stmt.query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let wanted = variant.to_lowercase();
    let mut moved = 0;
    for (seq, start, end, text) in mentions {
        let spelled: String = text
            .chars()
            .skip(start.max(0) as usize)
            .take((end - start).max(0) as usize)
            .collect();
        if spelled.to_lowercase() == wanted {
            moved += tx.execute(
                "UPDATE entity_mentions SET entity_id = ?1, explanation = 'split off by hand'
                 WHERE article_seq = ?2 AND start = ?3 AND end = ?4",
                params![to, seq, start, end],
            )?;
        }
    }
    Ok(moved)
}

fn log(tx: &Transaction, kind: &str, detail: serde_json::Value) -> Result<()> {
    tx.execute(
        "INSERT INTO corrections (at, kind, detail) VALUES (?1, ?2, ?3)",
        params![now(), kind, detail.to_string()],
    )?;
    Ok(())
}
