//! Reading: one article with its layers, listings, statistics.
//!
//! The `Serialize` shapes here are the documented JSON of `dossier show`,
//! `list` and `stats` (see `docs/JSON.md`); change them only additively.

use std::collections::BTreeMap;

use dossier_core::{
    Article, ArticleId, Component, Content, DateMethod, DateValue, Hints, InputFormat, Layer, Span,
};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::{Result, Store, StoreError};

/// A publication date as shown in JSON: `{value, method, confidence}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDate {
    pub value: String,
    pub method: String,
    pub confidence: f32,
}

/// One place an article was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sighting {
    pub origin: String,
    pub url: Option<String>,
    pub run: i64,
    pub seen_at: String,
}

/// An article with everything derived from it: the `dossier show --json` shape.
#[derive(Debug, Clone, Serialize)]
pub struct StoredArticle {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: String,
    pub published: Option<StoredDate>,
    pub language: Option<String>,
    pub authors: Vec<String>,
    pub format: String,
    pub extractor: Component,
    pub ingested_at: String,
    pub updated_at: String,
    pub seen: usize,
    pub sightings: Vec<Sighting>,
    /// Number of near-duplicates recorded (`dossier copies ID` lists them).
    pub copies: usize,
    pub text: String,
    /// Layer name to spans. Each layer also names its producer in
    /// `layer_components`, keeping `layers` a plain name → spans map.
    pub layers: BTreeMap<String, Vec<Span>>,
    pub layer_components: BTreeMap<String, Component>,
}

impl StoredArticle {
    /// The text under each span of layer `name` (character offsets), in
    /// layer order; empty when the article has no such layer.
    pub fn span_texts(&self, name: &str) -> Vec<(&Span, String)> {
        let Some(spans) = self.layers.get(name) else {
            return Vec::new();
        };
        let chars: Vec<char> = self.text.chars().collect();
        spans
            .iter()
            .map(|s| {
                let end = s.end.min(chars.len());
                let start = s.start.min(end);
                (s, chars[start..end].iter().collect())
            })
            .collect()
    }
}

/// A line of `dossier list`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub chars: usize,
    pub seen: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub source: Option<String>,
    pub language: Option<String>,
    /// Inclusive bounds on the publication day, as unix seconds.
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub limit: usize,
    pub offset: usize,
}

/// A link recorded from a feed item that had no text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkRecord {
    pub url: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub origin: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub store: String,
    pub schema_version: u32,
    pub articles: i64,
    pub sightings: i64,
    pub links_pending: i64,
    pub runs: i64,
    pub problems: i64,
    pub text_chars: i64,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub undated: i64,
    pub by_source: Vec<(String, i64)>,
    pub by_language: Vec<(String, i64)>,
    pub by_format: Vec<(String, i64)>,
    pub layers: Vec<(String, i64)>,
    pub indexed: u64,
}

/// Everything needed to redo extraction and analysis of one article.
#[derive(Debug, Clone)]
pub struct ReprocessInput {
    pub id: ArticleId,
    pub format: InputFormat,
    pub content: Content,
    pub hints: Hints,
    pub extractor: Component,
    pub layer_components: BTreeMap<String, Component>,
}

/// Unix seconds of the start (UTC) of the day or instant `value`.
pub(crate) fn date_to_ts(value: &str) -> Option<i64> {
    if let Ok(ts) = value.parse::<jiff::Timestamp>() {
        return Some(ts.as_second());
    }
    let date: jiff::civil::Date = value.get(..10)?.parse().ok()?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

impl Store {
    /// Resolves a full id or a unique prefix of at least 4 hex digits.
    pub fn resolve_id(&self, prefix: &str) -> Result<i64> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.len() < 4 || prefix.len() > 32 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::BadId(prefix));
        }
        let mut stmt = self
            .db
            .prepare_cached("SELECT seq FROM articles WHERE id >= ?1 AND id < ?2 LIMIT 2")?;
        let upper = format!("{prefix}g");
        let seqs: Vec<i64> = stmt
            .query_map(params![prefix, upper], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        match seqs.as_slice() {
            [seq] => Ok(*seq),
            [] => Err(StoreError::NotFound(prefix)),
            _ => {
                let count: usize = self.db.query_row(
                    "SELECT COUNT(*) FROM articles WHERE id >= ?1 AND id < ?2",
                    params![prefix, upper],
                    |r| r.get(0),
                )?;
                Err(StoreError::Ambiguous { prefix, count })
            }
        }
    }

    /// One article with its layers and sightings.
    pub fn article(&self, id_or_prefix: &str) -> Result<StoredArticle> {
        let seq = self.resolve_id(id_or_prefix)?;
        let mut article = self.db.query_row(
            "SELECT id, url, source, title, published, published_method, published_confidence,
                    language, authors, format, extractor, extractor_version, ingested_at,
                    updated_at, text
             FROM articles WHERE seq = ?1",
            [seq],
            article_from_row,
        )?;
        let mut stmt = self.db.prepare_cached(
            "SELECT name, component, version, spans FROM layers WHERE article_seq = ?1 ORDER BY name",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (name, component, version, spans) = row?;
            let spans: Vec<Span> = serde_json::from_str(&spans)
                .map_err(|e| StoreError::Corrupt(format!("layer {name}: {e}")))?;
            article.layers.insert(name.clone(), spans);
            article.layer_components.insert(
                name,
                Component {
                    name: component,
                    version,
                },
            );
        }
        article.sightings = self.sightings(seq)?;
        article.seen = article.sightings.len();
        article.copies = self.copy_count(seq)?;
        Ok(article)
    }

    fn sightings(&self, seq: i64) -> Result<Vec<Sighting>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT origin, url, run_id, seen_at FROM sightings WHERE article_seq = ?1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok(Sighting {
                origin: r.get(0)?,
                url: r.get(1)?,
                run: r.get(2)?,
                seen_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Articles, newest publication first (undated last), filtered.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<ArticleSummary>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT a.id, a.title, a.source, a.url, a.published, a.language, length(a.text),
                    (SELECT COUNT(*) FROM sightings s WHERE s.article_seq = a.seq)
             FROM articles a
             WHERE (?1 IS NULL OR a.source = ?1) AND (?2 IS NULL OR a.language = ?2)
               AND (?3 IS NULL OR a.published_ts >= ?3) AND (?4 IS NULL OR a.published_ts <= ?4)
             ORDER BY a.published_ts IS NULL, a.published_ts DESC, a.seq DESC
             LIMIT ?5 OFFSET ?6",
        )?;
        let rows = stmt.query_map(
            params![
                filter.source,
                filter.language,
                filter.since,
                filter.until,
                filter.limit as i64,
                filter.offset as i64
            ],
            |r| {
                Ok(ArticleSummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    source: r.get(2)?,
                    url: r.get(3)?,
                    published: r.get(4)?,
                    language: r.get(5)?,
                    chars: r.get::<_, i64>(6)? as usize,
                    seen: r.get::<_, i64>(7)? as usize,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Links recorded from feeds, most recently seen first.
    pub fn links(&self, limit: usize) -> Result<Vec<LinkRecord>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT url, title, source, published, origin FROM links ORDER BY last_seen DESC, url LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(LinkRecord {
                url: r.get(0)?,
                title: r.get(1)?,
                source: r.get(2)?,
                published: r.get(3)?,
                origin: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<i64> { Ok(self.db.query_row(sql, [], |r| r.get(0))?) };
        let (earliest, latest): (Option<String>, Option<String>) = self.db.query_row(
            "SELECT MIN(substr(published, 1, 10)), MAX(substr(published, 1, 10)) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Stats {
            store: self.dir.display().to_string(),
            schema_version: crate::SCHEMA_VERSION,
            articles: count("SELECT COUNT(*) FROM articles")?,
            sightings: count("SELECT COUNT(*) FROM sightings")?,
            links_pending: count("SELECT COUNT(*) FROM links WHERE status = 'pending'")?,
            runs: count("SELECT COUNT(*) FROM runs")?,
            problems: count("SELECT COUNT(*) FROM problems")?,
            text_chars: count("SELECT COALESCE(SUM(length(text)), 0) FROM articles")?,
            earliest,
            latest,
            undated: count("SELECT COUNT(*) FROM articles WHERE published IS NULL")?,
            by_source: self.grouped("SELECT COALESCE(source, '(none)'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50")?,
            by_language: self.grouped("SELECT COALESCE(language, '(unknown)'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1")?,
            by_format: self.grouped("SELECT format, COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1")?,
            layers: self.grouped("SELECT name, COUNT(*) FROM layers GROUP BY 1 ORDER BY 1")?,
            indexed: self.index.num_docs(),
        })
    }

    fn grouped(&self, sql: &str) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.db.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Reprocessing inputs for articles with `seq > after` (of one source, if
    /// given), in order, at most `limit` of them. Paging by seq keeps memory
    /// bounded on large stores.
    pub fn reprocess_page(
        &self,
        after: i64,
        limit: usize,
        source: Option<&str>,
    ) -> Result<Vec<(i64, ReprocessInput)>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT seq, id, format, content_kind, content, raw, hints, extractor, extractor_version
             FROM articles WHERE seq > ?1 AND (?3 IS NULL OR source = ?3) ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64, source], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Vec<u8>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, format, kind, content, raw, hints, ex_name, ex_version) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("article {id}: {what}"));
            let content = match content {
                Some(c) => c,
                None => String::from_utf8(raw).map_err(|_| corrupt("content is not UTF-8"))?,
            };
            let content = match kind.as_str() {
                "html" => Content::Html(content),
                "text" => Content::Text(content),
                _ => return Err(corrupt("content kind")),
            };
            let input = ReprocessInput {
                id: ArticleId::parse_hex(&id).ok_or_else(|| corrupt("id"))?,
                format: InputFormat::parse(&format).ok_or_else(|| corrupt("format"))?,
                content,
                hints: serde_json::from_str(&hints).map_err(|_| corrupt("hints"))?,
                extractor: Component {
                    name: ex_name,
                    version: ex_version,
                },
                layer_components: self.layer_components(seq)?,
            };
            out.push((seq, input));
        }
        Ok(out)
    }

    fn layer_components(&self, seq: i64) -> Result<BTreeMap<String, Component>> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT name, component, version FROM layers WHERE article_seq = ?1")?;
        let rows = stmt.query_map([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Component {
                    name: r.get(1)?,
                    version: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Articles with `rev > after` for the index to catch up, as core articles
    /// (text and metadata only; layers are not indexed).
    pub(crate) fn changed_since(&self, after: i64, limit: usize) -> Result<Vec<(i64, Article)>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT rev, id, url, source, title, published, published_method, published_confidence,
                    language, text, format, extractor, extractor_version
             FROM articles WHERE rev > ?1 ORDER BY rev LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit as i64], |r| {
            let published = published_from(r, 5)?.map(|d| DateValue {
                value: d.value,
                method: DateMethod::parse(&d.method).unwrap_or(DateMethod::Declared),
                confidence: d.confidence,
            });
            let id: String = r.get(1)?;
            Ok((
                r.get::<_, i64>(0)?,
                Article {
                    id: ArticleId::parse_hex(&id).unwrap_or(ArticleId::of_bytes(id.as_bytes())),
                    url: r.get(2)?,
                    source: r.get(3)?,
                    title: r.get(4)?,
                    published,
                    language: r.get(8)?,
                    authors: Vec::new(),
                    text: r.get(9)?,
                    format: InputFormat::parse(&r.get::<_, String>(10)?)
                        .unwrap_or(InputFormat::Text),
                    extractor: Component {
                        name: r.get(11)?,
                        version: r.get(12)?,
                    },
                    layers: BTreeMap::<String, Layer>::new(),
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn published_from(r: &Row, at: usize) -> rusqlite::Result<Option<StoredDate>> {
    let value: Option<String> = r.get(at)?;
    Ok(match value {
        Some(value) => Some(StoredDate {
            value,
            method: r.get::<_, Option<String>>(at + 1)?.unwrap_or_default(),
            confidence: r.get::<_, Option<f64>>(at + 2)?.unwrap_or(0.0) as f32,
        }),
        None => None,
    })
}

fn article_from_row(r: &Row) -> rusqlite::Result<StoredArticle> {
    let authors: String = r.get(8)?;
    Ok(StoredArticle {
        id: r.get(0)?,
        url: r.get(1)?,
        source: r.get(2)?,
        title: r.get(3)?,
        published: published_from(r, 4)?,
        language: r.get(7)?,
        authors: serde_json::from_str(&authors).unwrap_or_default(),
        format: r.get(9)?,
        extractor: Component {
            name: r.get(10)?,
            version: r.get(11)?,
        },
        ingested_at: r.get(12)?,
        updated_at: r.get(13)?,
        text: r.get(14)?,
        seen: 0,
        sightings: Vec::new(),
        copies: 0,
        layers: BTreeMap::new(),
        layer_components: BTreeMap::new(),
    })
}

impl Store {
    /// The language of each given article (full ids), in order; `None` for
    /// an unknown id or an undetected language. A row lookup each, not a
    /// whole article (search facets need only this).
    pub fn languages_of(&self, ids: &[String]) -> Result<Vec<Option<String>>> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT language FROM articles WHERE id = ?1")?;
        ids.iter()
            .map(|id| {
                Ok(stmt
                    .query_row([id], |r| r.get::<_, Option<String>>(0))
                    .optional()?
                    .flatten())
            })
            .collect()
    }
}
