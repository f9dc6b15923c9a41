//! Writing: ingest runs, article batches, sightings, links, reprocessing.

use std::collections::HashSet;

use dossier_core::{Article, ArticleId, Content, Hints, Layer, Origin};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::{now, Result, Store, StoreError};

/// One document ready to store: the processed article plus what it was
/// made from, so `dossier reprocess` can redo it.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub article: Article,
    pub origin: Origin,
    pub raw: Vec<u8>,
    pub content: Content,
    pub hints: Hints,
}

/// What storing one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// A new article.
    New(ArticleId),
    /// The same raw bytes were stored before; recorded as seen again.
    Seen(ArticleId),
    /// Different bytes with the same title and text as a stored article
    /// (an exact duplicate); recorded as a sighting of that article.
    Duplicate(ArticleId),
}

/// An ingest run. A run interrupted before it finished is resumed by the
/// next run with the same key: inputs it completed are skipped.
#[derive(Debug, Clone)]
pub struct Run {
    pub id: i64,
    pub resumed: bool,
    pub done_inputs: HashSet<String>,
}

impl Store {
    /// Starts a run for `key` (a digest of the inputs and options), resuming
    /// the latest unfinished run with the same key when `resume` is set.
    pub fn begin_run(&mut self, key: &str, command: &str, resume: bool) -> Result<Run> {
        let unfinished: Option<i64> = self
            .db
            .query_row(
                "SELECT id FROM runs WHERE key = ?1 ORDER BY id DESC LIMIT 1",
                [key],
                |r| r.get(0),
            )
            .optional()?
            .filter(|_| resume);
        let unfinished = match unfinished {
            Some(id) => {
                let status: String =
                    self.db
                        .query_row("SELECT status FROM runs WHERE id = ?1", [id], |r| r.get(0))?;
                (status != "done").then_some(id)
            }
            None => None,
        };
        if let Some(id) = unfinished {
            let mut stmt = self
                .db
                .prepare("SELECT input FROM run_inputs WHERE run_id = ?1")?;
            let done_inputs = stmt
                .query_map([id], |r| r.get::<_, String>(0))?
                .collect::<Result<HashSet<_>, _>>()?;
            self.db
                .execute("UPDATE runs SET status = 'running' WHERE id = ?1", [id])?;
            return Ok(Run {
                id,
                resumed: true,
                done_inputs,
            });
        }
        self.db.execute(
            "INSERT INTO runs (key, command, started_at, status) VALUES (?1, ?2, ?3, 'running')",
            params![key, command, now()],
        )?;
        Ok(Run {
            id: self.db.last_insert_rowid(),
            resumed: false,
            done_inputs: HashSet::new(),
        })
    }

    /// Records that `input` was read completely in `run`.
    pub fn input_done(&mut self, run: &Run, input: &str) -> Result<()> {
        self.db.execute(
            "INSERT OR REPLACE INTO run_inputs (run_id, input, finished_at) VALUES (?1, ?2, ?3)",
            params![run.id, input, now()],
        )?;
        Ok(())
    }

    /// Ends a run: `done` when every input was read, else `interrupted`.
    pub fn finish_run(&mut self, run: &Run, done: bool) -> Result<()> {
        self.commit_index()?;
        let status = if done { "done" } else { "interrupted" };
        self.db.execute(
            "UPDATE runs SET status = ?2, finished_at = ?3 WHERE id = ?1",
            params![run.id, status, now()],
        )?;
        Ok(())
    }

    pub fn record_problem(&mut self, run: &Run, origin: &str, reason: &str) -> Result<()> {
        self.db.execute(
            "INSERT INTO problems (run_id, origin, reason, at) VALUES (?1, ?2, ?3, ?4)",
            params![run.id, origin, reason, now()],
        )?;
        Ok(())
    }

    /// Stores a batch in one transaction and adds new articles to the index.
    pub fn write_batch(&mut self, run: &Run, batch: &[NewRecord]) -> Result<Vec<WriteOutcome>> {
        let tx = self.db.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut fresh = Vec::new();
        for record in batch {
            let outcome = store_record(&tx, run.id, record)?;
            if let WriteOutcome::New(_) = outcome {
                fresh.push(&record.article);
            }
            outcomes.push(outcome);
        }
        let rev = current_rev(&tx)?;
        tx.commit()?;
        for article in fresh {
            self.index.add(article)?;
        }
        self.index.note_rev(rev);
        self.index.maybe_commit()?;
        Ok(outcomes)
    }

    /// Records links to fetch (feed items that carried no text).
    pub fn add_links(&mut self, links: &[crate::LinkRecord]) -> Result<()> {
        let tx = self.db.transaction()?;
        let at = now();
        for link in links {
            tx.execute(
                "INSERT INTO links (url, title, source, published, origin, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                 ON CONFLICT (url) DO UPDATE SET last_seen = ?6, times_seen = times_seen + 1",
                params![
                    link.url,
                    link.title,
                    link.source,
                    link.published,
                    link.origin,
                    at
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces an article's derived data (text, metadata, layers) after
    /// reprocessing. Its id, raw input and sightings are kept.
    pub fn replace_derived(&mut self, article: &Article) -> Result<Derived> {
        let tx = self.db.transaction()?;
        let rev = next_rev(&tx)?;
        let forgot = crate::entities::forget_stale_mentions(&tx, article)?;
        let (published, method, confidence, ts) = date_columns(article);
        let text_hash = article.text_hash().0.to_hex();
        let old_text: Option<String> = tx
            .query_row(
                "SELECT text FROM articles WHERE id = ?1",
                [article.id.to_hex()],
                |r| r.get(0),
            )
            .optional()?;
        let changed = tx.execute(
            "UPDATE articles SET text_hash = ?2, url = ?3, source = ?4, title = ?5, published = ?6,
                 published_method = ?7, published_confidence = ?8, published_ts = ?9, language = ?10,
                 authors = ?11, text = ?12, extractor = ?13, extractor_version = ?14,
                 updated_at = ?15, rev = ?16
             WHERE id = ?1",
            params![
                article.id.to_hex(),
                text_hash,
                article.url,
                article.source,
                article.title,
                published,
                method,
                confidence,
                ts,
                article.language,
                serde_json::to_string(&article.authors).unwrap_or_else(|_| "[]".into()),
                article.text,
                article.extractor.name,
                article.extractor.version,
                now(),
                rev,
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(article.id.to_hex()));
        }
        let seq: i64 = tx.query_row(
            "SELECT seq FROM articles WHERE id = ?1",
            [article.id.to_hex()],
            |r| r.get(0),
        )?;
        tx.execute("DELETE FROM layers WHERE article_seq = ?1", [seq])?;
        insert_layers(&tx, seq, article.layers.values())?;
        if old_text.as_deref() != Some(article.text.as_str()) {
            // A new text: its signature and copies are stale. The next ingest
            // computes the signature again and finds the copies anew.
            tx.execute("DELETE FROM signatures WHERE article_seq = ?1", [seq])?;
            tx.execute("DELETE FROM copies WHERE a_seq = ?1 OR b_seq = ?1", [seq])?;
        }
        tx.commit()?;
        self.index.replace(article)?;
        self.index.note_rev(rev);
        self.index.maybe_commit()?;
        Ok(Derived {
            seq,
            mentions_forgotten: forgot,
        })
    }
}

/// What [`Store::replace_derived`] did beyond replacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derived {
    pub seq: i64,
    /// The article's text or entities layer changed, so its entity mentions
    /// were removed: resolve it again (`Store::entity_inputs_of`).
    pub mentions_forgotten: bool,
}

fn store_record(tx: &Transaction, run_id: i64, record: &NewRecord) -> Result<WriteOutcome> {
    let article = &record.article;
    let id = article.id.to_hex();
    let by_id: Option<i64> = tx
        .query_row("SELECT seq FROM articles WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(seq) = by_id {
        add_sighting(tx, seq, run_id, record)?;
        return Ok(WriteOutcome::Seen(article.id));
    }
    let text_hash = article.text_hash().0.to_hex();
    let by_text: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, id FROM articles WHERE text_hash = ?1 LIMIT 1",
            [&text_hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((seq, other)) = by_text {
        add_sighting(tx, seq, run_id, record)?;
        let other = dossier_core::ArticleId::parse_hex(&other)
            .ok_or_else(|| StoreError::Corrupt(format!("article id {other:?}")))?;
        return Ok(WriteOutcome::Duplicate(other));
    }
    let seq = insert_article(tx, record, &text_hash)?;
    insert_layers(tx, seq, article.layers.values())?;
    add_sighting(tx, seq, run_id, record)?;
    Ok(WriteOutcome::New(article.id))
}

fn date_columns(article: &Article) -> (Option<&str>, Option<&str>, Option<f32>, Option<i64>) {
    match &article.published {
        Some(d) => (
            Some(d.value.as_str()),
            Some(d.method.as_str()),
            Some(d.confidence),
            crate::read::date_to_ts(&d.value),
        ),
        None => (None, None, None, None),
    }
}

fn insert_article(tx: &Transaction, record: &NewRecord, text_hash: &str) -> Result<i64> {
    let a = &record.article;
    let (published, method, confidence, ts) = date_columns(a);
    let (kind, content) = match &record.content {
        Content::Html(s) => ("html", s),
        Content::Text(s) => ("text", s),
    };
    // Most pages are UTF-8 already: do not store the same bytes twice.
    let content = (content.as_bytes() != record.raw.as_slice()).then_some(content.as_str());
    let rev = next_rev(tx)?;
    let at = now();
    tx.execute(
        "INSERT INTO articles (id, text_hash, url, source, title, published, published_method,
             published_confidence, published_ts, language, authors, text, format, extractor,
             extractor_version, content_kind, content, hints, raw, ingested_at, updated_at, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?20, ?21)",
        params![
            a.id.to_hex(),
            text_hash,
            a.url,
            a.source,
            a.title,
            published,
            method,
            confidence,
            ts,
            a.language,
            serde_json::to_string(&a.authors).unwrap_or_else(|_| "[]".into()),
            a.text,
            a.format.as_str(),
            a.extractor.name,
            a.extractor.version,
            kind,
            content,
            serde_json::to_string(&record.hints).unwrap_or_else(|_| "{}".into()),
            record.raw,
            at,
            rev,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn insert_layers<'a>(
    tx: &Transaction,
    seq: i64,
    layers: impl Iterator<Item = &'a Layer>,
) -> Result<()> {
    let at = now();
    let mut stmt = tx.prepare_cached(
        "INSERT OR REPLACE INTO layers (article_seq, name, component, version, spans, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for layer in layers {
        let spans = serde_json::to_string(&layer.spans)
            .map_err(|e| StoreError::Corrupt(format!("layer {}: {e}", layer.name)))?;
        stmt.execute(params![
            seq,
            layer.name,
            layer.component.name,
            layer.component.version,
            spans,
            at
        ])?;
    }
    Ok(())
}

fn add_sighting(tx: &Transaction, seq: i64, run_id: i64, record: &NewRecord) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO sightings (article_seq, origin, url, run_id, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            seq,
            record.origin.to_string(),
            record
                .hints
                .url
                .as_deref()
                .or(record.article.url.as_deref()),
            run_id,
            now()
        ],
    )?;
    Ok(())
}

fn next_rev(tx: &Transaction) -> Result<i64> {
    tx.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'rev'",
        [],
    )?;
    current_rev(tx)
}

fn current_rev(tx: &Transaction) -> Result<i64> {
    let rev: String = tx.query_row("SELECT value FROM meta WHERE key = 'rev'", [], |r| r.get(0))?;
    rev.parse()
        .map_err(|_| StoreError::Corrupt(format!("rev counter {rev:?}")))
}
