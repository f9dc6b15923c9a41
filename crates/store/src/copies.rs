//! Storage for near-duplicates: each article's MinHash signature (opaque
//! bytes, made and read by `dossier-link`; the store runs no hashing) and
//! the verified copy relations between articles.

use dossier_core::ArticleId;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{now, Result, Store, StoreError};

/// A verified copy pair to record. The order of `a` and `b` does not
/// matter: the store keeps each pair once, lower sequence number first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CopyRecord {
    pub a_seq: i64,
    pub b_seq: i64,
    pub jaccard: f64,
    /// Share of A's shingles found in B.
    pub a_in_b: f64,
    /// Share of B's shingles found in A.
    pub b_in_a: f64,
}

/// One copy of an article, seen from that article ("this"): the
/// `dossier copies ID --json` shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyRelation {
    /// The other article.
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// Jaccard index of the two texts' 5-word shingle sets.
    pub jaccard: f64,
    /// Share of this article's text (shingles) found in the other.
    pub this_in_other: f64,
    /// Share of the other's text found in this article.
    pub other_in_this: f64,
    /// Which was published first: `this`, `other`, `same` (the same day, or
    /// the same instant), or null when either is undated.
    pub first: Option<&'static str>,
}

impl Store {
    /// The sequence number of a stored article.
    pub fn seq_of(&self, id: &ArticleId) -> Result<Option<i64>> {
        Ok(self
            .db
            .prepare_cached("SELECT seq FROM articles WHERE id = ?1")?
            .query_row([id.to_hex()], |r| r.get(0))
            .optional()?)
    }

    /// Stores signatures (`seq`, bytes), replacing older ones, in one
    /// transaction.
    pub fn put_signatures(&mut self, signatures: &[(i64, Vec<u8>)]) -> Result<()> {
        let tx = self.db.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO signatures (article_seq, minhash) VALUES (?1, ?2)",
            )?;
            for (seq, bytes) in signatures {
                stmt.execute(params![seq, bytes])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Calls `f` with every stored signature, in article order, streaming
    /// (the store holds one row at a time).
    pub fn for_each_signature(&self, mut f: impl FnMut(i64, &[u8])) -> Result<()> {
        let mut stmt = self
            .db
            .prepare("SELECT article_seq, minhash FROM signatures ORDER BY article_seq")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let bytes = row
                .get_ref(1)?
                .as_blob()
                .map_err(|e| StoreError::Corrupt(format!("signature of article {seq}: {e}")))?;
            f(seq, bytes);
        }
        Ok(())
    }

    /// How many articles have no signature yet.
    pub fn unsigned_count(&self) -> Result<usize> {
        let n: i64 = self.db.query_row(
            "SELECT COUNT(*) FROM articles a
             WHERE NOT EXISTS (SELECT 1 FROM signatures s WHERE s.article_seq = a.seq)",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Articles with `seq > after` that have no signature, with their texts,
    /// in order, at most `limit` of them.
    pub fn unsigned_articles(&self, after: i64, limit: usize) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT a.seq, a.text FROM articles a
             WHERE a.seq > ?1
               AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.article_seq = a.seq)
             ORDER BY a.seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The texts of the given articles (those that exist), in the order asked.
    pub fn texts_of(&self, seqs: &[i64]) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT text FROM articles WHERE seq = ?1")?;
        let mut out = Vec::with_capacity(seqs.len());
        for &seq in seqs {
            if let Some(text) = stmt.query_row([seq], |r| r.get(0)).optional()? {
                out.push((seq, text));
            }
        }
        Ok(out)
    }

    /// Records verified copy pairs in one transaction, replacing earlier
    /// figures for the same pair. Pairs of an article with itself are
    /// ignored. Returns the number of pairs written.
    pub fn record_copies(&mut self, copies: &[CopyRecord]) -> Result<usize> {
        let tx = self.db.transaction()?;
        let at = now();
        let mut written = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO copies (a_seq, b_seq, jaccard, a_in_b, b_in_a, found_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for c in copies {
                let (a, b, a_in_b, b_in_a) = match c.a_seq.cmp(&c.b_seq) {
                    std::cmp::Ordering::Less => (c.a_seq, c.b_seq, c.a_in_b, c.b_in_a),
                    std::cmp::Ordering::Greater => (c.b_seq, c.a_seq, c.b_in_a, c.a_in_b),
                    std::cmp::Ordering::Equal => continue,
                };
                written += stmt.execute(params![a, b, c.jaccard, a_in_b, b_in_a, at])?;
            }
        }
        tx.commit()?;
        Ok(written)
    }

    /// The copies of an article (full id or unique prefix), most similar first.
    pub fn copies_of(&self, id_prefix: &str) -> Result<Vec<CopyRelation>> {
        let seq = self.resolve_id(id_prefix)?;
        let this: Option<String> = self.db.query_row(
            "SELECT published FROM articles WHERE seq = ?1",
            [seq],
            |r| r.get(0),
        )?;
        // Seen from `seq`: `mine` is the share of seq's text found in the other.
        let mut stmt = self.db.prepare_cached(
            "SELECT o.id, o.title, o.source, o.url, o.published, c.jaccard, c.mine, c.theirs
             FROM (SELECT b_seq AS other, jaccard, a_in_b AS mine, b_in_a AS theirs
                     FROM copies WHERE a_seq = ?1
                   UNION ALL
                   SELECT a_seq AS other, jaccard, b_in_a AS mine, a_in_b AS theirs
                     FROM copies WHERE b_seq = ?1) c
             JOIN articles o ON o.seq = c.other
             ORDER BY c.jaccard DESC, o.published_ts IS NULL, o.published_ts, o.seq",
        )?;
        let rows = stmt.query_map([seq], |r| {
            let published: Option<String> = r.get(4)?;
            Ok(CopyRelation {
                id: r.get(0)?,
                title: r.get(1)?,
                source: r.get(2)?,
                url: r.get(3)?,
                first: first_published(this.as_deref(), published.as_deref()),
                published,
                jaccard: r.get(5)?,
                this_in_other: r.get(6)?,
                other_in_this: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many copies an article has.
    pub(crate) fn copy_count(&self, seq: i64) -> Result<usize> {
        let n: i64 = self.db.prepare_cached(
            "SELECT (SELECT COUNT(*) FROM copies WHERE a_seq = ?1) + (SELECT COUNT(*) FROM copies WHERE b_seq = ?1)",
        )?
        .query_row([seq], |r| r.get(0))?;
        Ok(n as usize)
    }
}

/// Which of two publication dates is earlier. A day-only date and an
/// instant compare by day; two instants by instant.
fn first_published(this: Option<&str>, other: Option<&str>) -> Option<&'static str> {
    let (this, other) = (this?, other?);
    let both_instants = this.len() > 10 && other.len() > 10;
    let (a, b) = match both_instants {
        true => (
            crate::read::date_to_ts(this)?,
            crate::read::date_to_ts(other)?,
        ),
        false => (
            crate::read::date_to_ts(this.get(..10)?)?,
            crate::read::date_to_ts(other.get(..10)?)?,
        ),
    };
    Some(match a.cmp(&b) {
        std::cmp::Ordering::Less => "this",
        std::cmp::Ordering::Greater => "other",
        std::cmp::Ordering::Equal => "same",
    })
}

#[cfg(test)]
mod tests {
    use super::first_published;

    #[test]
    fn first_published_compares_days_unless_both_are_instants() {
        assert_eq!(
            first_published(Some("2020-05-01"), Some("2020-05-02")),
            Some("this")
        );
        assert_eq!(
            first_published(Some("2020-05-01T10:00:00Z"), Some("2020-05-01")),
            Some("same")
        );
        assert_eq!(
            first_published(Some("2020-05-01T10:00:00Z"), Some("2020-05-01T09:00:00Z")),
            Some("other")
        );
        assert_eq!(first_published(None, Some("2020-05-01")), None);
    }
}
