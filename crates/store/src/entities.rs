//! Storage for entity identity: entities, the spellings seen for each, and
//! every resolved mention with its explanation. The matching itself lives in
//! `dossier-link` (`identity`); the store only keeps what it decided.

use dossier_core::Span;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{Result, Store};

/// Entities of one article that pair up when counting co-occurrence.
const COOCCURRENCE_ENTITIES: usize = 40;

/// Meta key: the highest article sequence number whose entities have been
/// resolved (articles after it are resolved on the next ingest).
const RESOLVED_UPTO: &str = "entities_resolved_upto";

/// A stored entity, for loading the resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRow {
    pub id: i64,
    pub canonical: String,
    pub label: String,
    pub key: String,
}

/// One resolved mention to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRecord {
    pub entity_id: i64,
    pub article_seq: i64,
    /// Character offsets into the article's text.
    pub start: usize,
    pub end: usize,
    /// The surface form, counted in `entity_variants`.
    pub variant: String,
    pub explanation: String,
}

/// What resolving a batch of articles decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityBatch {
    pub new_entities: Vec<EntityRow>,
    /// Entities whose canonical name changed.
    pub renamed: Vec<(i64, String)>,
    pub mentions: Vec<MentionRecord>,
    /// The highest article seq covered by this batch.
    pub upto: i64,
}

/// One line of `dossier entities`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntitySummary {
    pub id: i64,
    pub canonical: String,
    #[serde(rename = "type")]
    pub label: String,
    pub variants: usize,
    pub mentions: usize,
    pub articles: usize,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// A spelling of an entity and how often it was seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantCount {
    pub variant: String,
    pub count: usize,
}

/// An article an entity is mentioned in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityArticle {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub mentions: usize,
}

/// An entity seen in the same articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoEntity {
    pub id: i64,
    pub canonical: String,
    #[serde(rename = "type")]
    pub label: String,
    /// Articles mentioning both.
    pub articles: usize,
}

/// A distinct explanation and how many mentions it accounts for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub explanation: String,
    pub mentions: usize,
}

/// `dossier entity NAME --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityDetail {
    pub id: i64,
    pub canonical: String,
    #[serde(rename = "type")]
    pub label: String,
    pub key: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub mentions: usize,
    pub variants: Vec<VariantCount>,
    pub articles: Vec<EntityArticle>,
    pub co_occurring: Vec<CoEntity>,
    pub explanations: Vec<Explanation>,
}

impl Store {
    /// The next free entity id.
    pub fn entity_next_id(&self) -> Result<i64> {
        Ok(self
            .db
            .query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM entities", [], |r| {
                r.get(0)
            })?)
    }

    /// Every stored entity.
    pub fn all_entities(&self) -> Result<Vec<EntityRow>> {
        let mut stmt = self
            .db
            .prepare("SELECT id, canonical, label, key FROM entities ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(EntityRow {
                id: r.get(0)?,
                canonical: r.get(1)?,
                label: r.get(2)?,
                key: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every (entity id, variant) pair.
    pub fn all_entity_variants(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.db.prepare(
            "SELECT entity_id, variant FROM entity_variants ORDER BY entity_id, variant",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// For each entity, the canonical names of up to `per_entity` entities
    /// it shares most articles with: (entity id, other's canonical name),
    /// by entity id then most shared first.
    ///
    /// Counted here rather than by a self-join in SQL: the join multiplies
    /// every mention by every other mention of the article and took minutes
    /// on a store of 150,000 mentions. Per article only the
    /// [`COOCCURRENCE_ENTITIES`] most mentioned entities pair up, so the cost
    /// stays linear in the number of articles.
    pub fn entity_cooccurrence(&self, per_entity: usize) -> Result<Vec<(i64, String)>> {
        use std::collections::HashMap;
        let names: HashMap<i64, String> = {
            let mut stmt = self.db.prepare("SELECT id, canonical FROM entities")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut stmt = self.db.prepare(
            "SELECT article_seq, entity_id, COUNT(*) FROM entity_mentions
             GROUP BY article_seq, entity_id ORDER BY article_seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut pairs: HashMap<(i64, i64), u32> = HashMap::new();
        let mut article: Option<i64> = None;
        let mut in_article: Vec<(i64, i64)> = Vec::new();
        let mut count_article = |entities: &mut Vec<(i64, i64)>| {
            entities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            entities.truncate(COOCCURRENCE_ENTITIES);
            for (i, (a, _)) in entities.iter().enumerate() {
                for (b, _) in &entities[i + 1..] {
                    *pairs.entry((*a, *b)).or_default() += 1;
                    *pairs.entry((*b, *a)).or_default() += 1;
                }
            }
            entities.clear();
        };
        while let Some(row) = rows.next()? {
            let (seq, entity, mentions): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            if article != Some(seq) {
                count_article(&mut in_article);
                article = Some(seq);
            }
            in_article.push((entity, mentions));
        }
        count_article(&mut in_article);
        let mut by_entity: HashMap<i64, Vec<(u32, i64)>> = HashMap::new();
        for ((a, b), n) in pairs {
            by_entity.entry(a).or_default().push((n, b));
        }
        let mut ids: Vec<i64> = by_entity.keys().copied().collect();
        ids.sort_unstable();
        let mut out = Vec::new();
        for id in ids {
            let mut others = by_entity.remove(&id).unwrap_or_default();
            others.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            for (_, other) in others.into_iter().take(per_entity) {
                if let Some(name) = names.get(&other) {
                    out.push((id, name.clone()));
                }
            }
        }
        Ok(out)
    }

    /// The highest article seq whose entities were resolved.
    pub fn entities_resolved_upto(&self) -> Result<i64> {
        let v: Option<String> = self
            .db
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [RESOLVED_UPTO],
                |r| r.get(0),
            )
            .optional()?;
        Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    /// Articles with `seq > after`, in order, at most `limit`: seq, text and
    /// the spans of their `entities` layer (empty when they have none).
    pub fn entity_inputs(&self, after: i64, limit: usize) -> Result<Vec<(i64, String, Vec<Span>)>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT a.seq, a.text, l.spans FROM articles a
             LEFT JOIN layers l ON l.article_seq = a.seq AND l.name = 'entities'
             WHERE a.seq > ?1 ORDER BY a.seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, text, spans) = row?;
            let spans: Vec<Span> = match spans {
                Some(json) => serde_json::from_str(&json).map_err(|e| {
                    crate::StoreError::Corrupt(format!("entities layer of article {seq}: {e}"))
                })?,
                None => Vec::new(),
            };
            out.push((seq, text, spans));
        }
        Ok(out)
    }

    /// The entities mentioned in the given articles, with how many of them
    /// mention each, most first: `(entity id, canonical name, articles)`.
    pub fn entities_of(&self, ids: &[String], limit: usize) -> Result<Vec<(i64, String, usize)>> {
        let mut counts: std::collections::HashMap<i64, (String, usize)> = Default::default();
        let mut stmt = self.db.prepare_cached(
            "SELECT DISTINCT e.id, e.canonical FROM entity_mentions m
             JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.seq = m.article_seq
             WHERE a.id = ?1",
        )?;
        for id in ids {
            let rows =
                stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (entity, name) = row?;
                counts.entry(entity).or_insert((name, 0)).1 += 1;
            }
        }
        let mut out: Vec<(i64, String, usize)> = counts
            .into_iter()
            .map(|(id, (name, n))| (id, name, n))
            .collect();
        out.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
        out.truncate(limit);
        Ok(out)
    }

    /// The same inputs as [`Store::entity_inputs`] for the given articles.
    pub fn entity_inputs_of(&self, seqs: &[i64]) -> Result<Vec<(i64, String, Vec<Span>)>> {
        let mut out = Vec::new();
        for seq in seqs {
            out.extend(
                self.entity_inputs(seq - 1, 1)?
                    .into_iter()
                    .filter(|(s, _, _)| s == seq),
            );
        }
        Ok(out)
    }

    /// Records a resolved batch in one transaction: new entities, renames,
    /// mentions (a mention already recorded at the same place is replaced),
    /// variant counts and first/last-seen dates (the article's publication
    /// day, else its ingestion day), and the resolved-up-to mark.
    pub fn record_entities(&mut self, batch: &EntityBatch) -> Result<()> {
        let tx = self.db.transaction()?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO entities (id, canonical, label, key) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for e in &batch.new_entities {
                ins.execute(params![e.id, e.canonical, e.label, e.key])?;
            }
            let mut ren = tx.prepare_cached("UPDATE entities SET canonical = ?2 WHERE id = ?1")?;
            for (id, name) in &batch.renamed {
                ren.execute(params![id, name])?;
            }
            let mut men = tx.prepare_cached(
                "INSERT OR REPLACE INTO entity_mentions (entity_id, article_seq, start, end, explanation)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut var = tx.prepare_cached(
                "INSERT INTO entity_variants (entity_id, variant, count) VALUES (?1, ?2, 1)
                 ON CONFLICT (entity_id, variant) DO UPDATE SET count = count + 1",
            )?;
            let mut seen = tx.prepare_cached(
                "UPDATE entities SET
                   first_seen = CASE WHEN first_seen IS NULL OR d.day < first_seen THEN d.day ELSE first_seen END,
                   last_seen = CASE WHEN last_seen IS NULL OR d.day > last_seen THEN d.day ELSE last_seen END
                 FROM (SELECT COALESCE(substr(published, 1, 10), substr(ingested_at, 1, 10)) AS day
                       FROM articles WHERE seq = ?2) d
                 WHERE entities.id = ?1 AND d.day IS NOT NULL",
            )?;
            for m in &batch.mentions {
                men.execute(params![
                    m.entity_id,
                    m.article_seq,
                    m.start as i64,
                    m.end as i64,
                    m.explanation
                ])?;
                var.execute(params![m.entity_id, m.variant])?;
                seen.execute(params![m.entity_id, m.article_seq])?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value
                 WHERE CAST(excluded.value AS INTEGER) > CAST(meta.value AS INTEGER)",
                params![RESOLVED_UPTO, batch.upto.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Entities, most mentioned first, optionally of one type.
    pub fn entities(&self, label: Option<&str>, limit: usize) -> Result<Vec<EntitySummary>> {
        let mut stmt = self.db.prepare(
            "SELECT e.id, e.canonical, e.label, e.first_seen, e.last_seen,
                    (SELECT COUNT(*) FROM entity_variants v WHERE v.entity_id = e.id),
                    COUNT(m.article_seq), COUNT(DISTINCT m.article_seq)
             FROM entities e LEFT JOIN entity_mentions m ON m.entity_id = e.id
             WHERE ?1 IS NULL OR e.label = ?1
             GROUP BY e.id
             ORDER BY COUNT(m.article_seq) DESC, e.canonical
             LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![label, limit as i64], |r| {
            Ok(EntitySummary {
                id: r.get(0)?,
                canonical: r.get(1)?,
                label: r.get(2)?,
                first_seen: r.get(3)?,
                last_seen: r.get(4)?,
                variants: r.get::<_, i64>(5)? as usize,
                mentions: r.get::<_, i64>(6)? as usize,
                articles: r.get::<_, i64>(7)? as usize,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Finds an entity by numeric id, or by name: its canonical name or a variant (case
    /// insensitive), else its matching `key` (computed by the caller);
    /// the most mentioned wins.
    pub fn find_entity(&self, name: &str, key: &str) -> Result<Option<i64>> {
        if let Ok(id) = name.trim().parse::<i64>() {
            let known: Option<i64> = self
                .db
                .query_row("SELECT id FROM entities WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if known.is_some() {
                return Ok(known);
            }
        }
        Ok(self
            .db
            .query_row(
                "SELECT e.id FROM entities e
                 WHERE e.canonical = ?1 COLLATE NOCASE
                    OR e.id IN (SELECT entity_id FROM entity_variants WHERE variant = ?1 COLLATE NOCASE)
                    OR e.key = ?2
                 ORDER BY (e.canonical = ?1 COLLATE NOCASE) DESC,
                          (SELECT COUNT(*) FROM entity_mentions m WHERE m.entity_id = e.id) DESC,
                          e.id
                 LIMIT 1",
                params![name, key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Everything known about one entity; `co_limit` co-occurring entities
    /// and `article_limit` articles at most.
    pub fn entity_detail(
        &self,
        id: i64,
        co_limit: usize,
        article_limit: usize,
    ) -> Result<Option<EntityDetail>> {
        let head = self
            .db
            .query_row(
                "SELECT canonical, label, key, first_seen, last_seen,
                        (SELECT COUNT(*) FROM entity_mentions WHERE entity_id = ?1)
                 FROM entities WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((canonical, label, key, first_seen, last_seen, mentions)) = head else {
            return Ok(None);
        };
        let mut stmt = self.db.prepare(
            "SELECT variant, count FROM entity_variants WHERE entity_id = ?1
             ORDER BY count DESC, variant",
        )?;
        let variants = stmt
            .query_map([id], |r| {
                Ok(VariantCount {
                    variant: r.get(0)?,
                    count: r.get::<_, i64>(1)? as usize,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.db.prepare(
            "SELECT a.id, a.title, a.source, a.published, COUNT(*)
             FROM entity_mentions m JOIN articles a ON a.seq = m.article_seq
             WHERE m.entity_id = ?1
             GROUP BY a.seq
             ORDER BY a.published_ts IS NULL, a.published_ts DESC, a.seq DESC
             LIMIT ?2",
        )?;
        let articles = stmt
            .query_map(params![id, article_limit as i64], |r| {
                Ok(EntityArticle {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    source: r.get(2)?,
                    published: r.get(3)?,
                    mentions: r.get::<_, i64>(4)? as usize,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.db.prepare(
            "SELECT e.id, e.canonical, e.label, COUNT(DISTINCT b.article_seq) AS n
             FROM entity_mentions a
             JOIN entity_mentions b ON b.article_seq = a.article_seq AND b.entity_id <> a.entity_id
             JOIN entities e ON e.id = b.entity_id
             WHERE a.entity_id = ?1
             GROUP BY e.id
             ORDER BY n DESC, e.canonical
             LIMIT ?2",
        )?;
        let co_occurring = stmt
            .query_map(params![id, co_limit as i64], |r| {
                Ok(CoEntity {
                    id: r.get(0)?,
                    canonical: r.get(1)?,
                    label: r.get(2)?,
                    articles: r.get::<_, i64>(3)? as usize,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.db.prepare(
            "SELECT explanation, COUNT(*) FROM entity_mentions WHERE entity_id = ?1
             GROUP BY explanation ORDER BY COUNT(*) DESC, explanation",
        )?;
        let explanations = stmt
            .query_map([id], |r| {
                Ok(Explanation {
                    explanation: r.get(0)?,
                    mentions: r.get::<_, i64>(1)? as usize,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some(EntityDetail {
            id,
            canonical,
            label,
            key,
            first_seen,
            last_seen,
            mentions: mentions as usize,
            variants,
            articles,
            co_occurring,
            explanations,
        }))
    }
}

/// Before an article's derived data is replaced: when its text or its
/// `entities` layer changes, its recorded mentions no longer point at the
/// right places. They are removed (and the variant counts they added taken
/// back) so identity resolution can redo the article. Returns whether it did.
pub(crate) fn forget_stale_mentions(
    tx: &rusqlite::Transaction,
    article: &dossier_core::Article,
) -> Result<bool> {
    let old: Option<(i64, String, Option<String>)> = tx
        .query_row(
            "SELECT a.seq, a.text, l.spans FROM articles a
             LEFT JOIN layers l ON l.article_seq = a.seq AND l.name = 'entities'
             WHERE a.id = ?1",
            [article.id.to_hex()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((seq, old_text, old_spans)) = old else {
        return Ok(false);
    };
    let new_spans = article
        .layers
        .get("entities")
        .map(|l| serde_json::to_string(&l.spans).unwrap_or_default());
    if old_text == article.text && old_spans == new_spans {
        return Ok(false);
    }
    let mentions: Vec<(i64, i64, i64)> = {
        let mut stmt =
            tx.prepare("SELECT entity_id, start, end FROM entity_mentions WHERE article_seq = ?1")?;
        let rows = stmt.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let chars: Vec<char> = old_text.chars().collect();
    for (entity, start, end) in &mentions {
        let (s, e) = ((*start).max(0) as usize, (*end).max(0) as usize);
        let variant: String = chars
            .get(s..e.min(chars.len()))
            .unwrap_or(&[])
            .iter()
            .collect();
        tx.execute(
            "UPDATE entity_variants SET count = MAX(count - 1, 0) WHERE entity_id = ?1 AND variant = ?2",
            params![entity, variant],
        )?;
    }
    tx.execute("DELETE FROM entity_mentions WHERE article_seq = ?1", [seq])?;
    Ok(!mentions.is_empty() || new_spans.is_some())
}
