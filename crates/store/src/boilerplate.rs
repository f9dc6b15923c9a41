//! Storage for corpus-level boilerplate: what was learned per outlet, and
//! the user's overrides ("keep this paragraph, it is not boilerplate").
//! The learning itself lives in `dossier-pipeline`; the store only keeps
//! the evidence and the results.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{now, Result, Store, StoreError};

/// A paragraph learned as an outlet's boilerplate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearnedParagraph {
    pub source: String,
    pub hash: String,
    pub text: String,
    /// How many of the outlet's articles carry it.
    pub articles: i64,
    /// `articles` over the outlet's article count.
    pub share: f64,
    /// True when a user said it is not boilerplate: it is then not cut.
    pub kept: bool,
}

impl Store {
    /// Sources with at least `min` articles, largest first.
    pub fn sources_with_articles(&self, min: usize) -> Result<Vec<(String, usize)>> {
        let mut stmt = self.db.prepare(
            "SELECT source, COUNT(*) FROM articles WHERE source IS NOT NULL
             GROUP BY source HAVING COUNT(*) >= ?1 ORDER BY 2 DESC, 1",
        )?;
        let rows = stmt.query_map([min as i64], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The paragraphs of every article of `source` as the extractor gave
    /// them: the stored text's paragraphs plus those cut earlier as corpus
    /// boilerplate (`cut_reason` in the boilerplate layer), so that learning
    /// again sees the same evidence.
    pub fn source_paragraphs(&self, source: &str, cut_reason: &str) -> Result<Vec<Vec<String>>> {
        let mut stmt = self.db.prepare(
            "SELECT a.text, l.spans FROM articles a
             LEFT JOIN layers l ON l.article_seq = a.seq AND l.name = 'boilerplate'
             WHERE a.source = ?1 ORDER BY a.seq",
        )?;
        let rows = stmt.query_map([source], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (text, spans) = row?;
            let mut paragraphs: Vec<String> = text
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
            if let Some(spans) = spans {
                let spans: Vec<dossier_core::Span> = serde_json::from_str(&spans)
                    .map_err(|e| StoreError::Corrupt(format!("boilerplate layer: {e}")))?;
                paragraphs.extend(
                    spans
                        .iter()
                        .filter(|s| {
                            s.fields.get("reason").and_then(|v| v.as_str()) == Some(cut_reason)
                        })
                        .filter_map(|s| s.fields.get("text").and_then(|v| v.as_str()))
                        .map(str::to_owned),
                );
            }
            out.push(paragraphs);
        }
        Ok(out)
    }

    /// Replaces what is learned for `source`. Returns true when the set of
    /// hashes changed (so the outlet's articles need reprocessing).
    pub fn replace_learned(&mut self, source: &str, learned: &[LearnedParagraph]) -> Result<bool> {
        let before = self.learned_hashes(source)?;
        let tx = self.db.transaction()?;
        tx.execute("DELETE FROM boilerplate WHERE source = ?1", [source])?;
        let at = now();
        for l in learned {
            tx.execute(
                "INSERT INTO boilerplate (source, hash, text, articles, share, learned_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![source, l.hash, l.text, l.articles, l.share, at],
            )?;
        }
        tx.commit()?;
        Ok(before != self.learned_hashes(source)?)
    }

    fn learned_hashes(&self, source: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .db
            .prepare("SELECT hash FROM boilerplate WHERE source = ?1 ORDER BY hash")?;
        let rows = stmt.query_map([source], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Everything learned, with the user's overrides applied as `kept`.
    pub fn learned_boilerplate(&self) -> Result<Vec<LearnedParagraph>> {
        let mut stmt = self.db.prepare(
            "SELECT b.source, b.hash, b.text, b.articles, b.share,
                    EXISTS (SELECT 1 FROM boilerplate_keep k WHERE k.source = b.source AND k.hash = b.hash)
             FROM boilerplate b ORDER BY b.source, b.articles DESC, b.hash",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(LearnedParagraph {
                source: r.get(0)?,
                hash: r.get(1)?,
                text: r.get(2)?,
                articles: r.get(3)?,
                share: r.get(4)?,
                kept: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks a learned paragraph (by hash or unique hash prefix) as not
    /// boilerplate, or as boilerplate again with `keep = false`. Returns it.
    pub fn keep_boilerplate(&mut self, hash_prefix: &str, keep: bool) -> Result<LearnedParagraph> {
        let prefix = hash_prefix.trim().to_ascii_lowercase();
        if prefix.len() < 4 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::BadId(prefix));
        }
        let matches: Vec<LearnedParagraph> = self
            .learned_boilerplate()?
            .into_iter()
            .filter(|l| l.hash.starts_with(&prefix))
            .collect();
        let mut found = match matches.len() {
            0 => return Err(StoreError::NotFound(prefix)),
            1 => matches
                .into_iter()
                .next()
                .ok_or_else(|| StoreError::NotFound(prefix.clone()))?,
            count => return Err(StoreError::Ambiguous { prefix, count }),
        };
        if keep {
            self.db.execute(
                "INSERT OR REPLACE INTO boilerplate_keep (source, hash, at) VALUES (?1, ?2, ?3)",
                params![found.source, found.hash, now()],
            )?;
        } else {
            self.db.execute(
                "DELETE FROM boilerplate_keep WHERE source = ?1 AND hash = ?2",
                params![found.source, found.hash],
            )?;
        }
        found.kept = keep;
        Ok(found)
    }

    /// The number of articles of a source (0 when unknown).
    pub fn source_size(&self, source: &str) -> Result<usize> {
        let n: Option<i64> = self
            .db
            .query_row(
                "SELECT COUNT(*) FROM articles WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
            .optional()?;
        Ok(n.unwrap_or(0) as usize)
    }
}
