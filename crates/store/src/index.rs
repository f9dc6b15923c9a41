//! The tantivy full-text index: derived from the database, rebuildable.

use std::collections::HashSet;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier_core::{Article, ByteToChar};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::directory::error::LockError;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::{Result, Store, StoreError};

/// Bump when the index schema or tokenizer changes: an index with another
/// version is rebuilt from the database on the next write.
const INDEX_VERSION: u32 = 1;
const TOKENIZER: &str = "dossier";
const COMMIT_EVERY: Duration = Duration::from_secs(5);
const WRITER_MEMORY: usize = 96 * 1024 * 1024;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    text: Field,
    source: Field,
    language: Field,
    published_ts: Field,
    published: Field,
    url: Field,
}

pub(crate) struct SearchIndex {
    path: PathBuf,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    /// Highest database rev added to the writer, committed as the payload.
    pending_rev: Option<i64>,
    last_commit: Instant,
}

/// Filters applied to a search; dates are inclusive unix seconds.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub source: Option<String>,
    pub language: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub limit: usize,
    /// Only articles that mention this entity (id).
    pub entity: Option<i64>,
    /// Only articles in this story (id).
    pub story: Option<i64>,
}

/// One search result. `highlights` are character ranges within `snippet`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub score: f32,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text_opts = TextOptions::default()
        .set_indexing_options(indexing)
        .set_stored();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text_opts.clone()),
        text: b.add_text_field("text", text_opts),
        source: b.add_text_field("source", STRING | STORED),
        language: b.add_text_field("language", STRING),
        published_ts: b.add_i64_field("published_ts", INDEXED | FAST),
        published: b.add_text_field("published", STORED),
        url: b.add_text_field("url", STORED),
    };
    (b.build(), fields)
}

/// Lower-cased words with accents folded, so "Jose" finds "José".
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn payload(rev: i64) -> String {
    format!("v{INDEX_VERSION}:{rev}")
}

/// The rev an index holds, or `None` when it was made by another version.
fn parse_payload(payload: Option<&str>) -> Option<i64> {
    let rest = payload?.strip_prefix(&format!("v{INDEX_VERSION}:"))?;
    rest.parse().ok()
}

impl SearchIndex {
    pub(crate) fn open(path: &Path, write: bool) -> Result<SearchIndex> {
        let io = |source| StoreError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(path).map_err(io)?;
        let (schema, fields) = schema();
        let dir = tantivy::directory::MmapDirectory::open(path)
            .map_err(|e| StoreError::Index(e.into()))?;
        let mut index = Index::open_or_create(dir, schema.clone())?;
        if index.schema() != schema {
            // An index from another build: start again, the DB has it all.
            drop(index);
            std::fs::remove_dir_all(path).map_err(io)?;
            std::fs::create_dir_all(path).map_err(io)?;
            index = Index::create_in_dir(path, schema)?;
        }
        index.tokenizers().register(TOKENIZER, analyzer());
        let writer = if write {
            let writer = index
                .writer_with_num_threads(1, WRITER_MEMORY)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => {
                        StoreError::Locked(path.parent().unwrap_or(path).display().to_string())
                    }
                    e => StoreError::Index(e),
                })?;
            Some(writer)
        } else {
            None
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            path: path.to_owned(),
            index,
            fields,
            reader,
            writer,
            pending_rev: None,
            last_commit: Instant::now(),
        })
    }

    /// The database rev the committed index holds; `None` if it must be rebuilt.
    fn committed_rev(&self) -> Result<Option<i64>> {
        let metas = self.index.load_metas()?;
        if metas.payload.is_none() && self.reader.searcher().num_docs() == 0 {
            return Ok(Some(0));
        }
        Ok(parse_payload(metas.payload.as_deref()))
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        self.writer
            .as_mut()
            .ok_or_else(|| StoreError::Query("store opened read-only".into()))
    }

    fn document(&self, article: &Article) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, article.id.to_hex());
        doc.add_text(f.title, &article.title);
        doc.add_text(f.text, &article.text);
        if let Some(source) = &article.source {
            doc.add_text(f.source, source);
        }
        if let Some(language) = &article.language {
            doc.add_text(f.language, language);
        }
        if let Some(date) = &article.published {
            if let Some(ts) = crate::read::date_to_ts(&date.value) {
                doc.add_i64(f.published_ts, ts);
            }
            doc.add_text(f.published, &date.value);
        }
        if let Some(url) = &article.url {
            doc.add_text(f.url, url);
        }
        doc
    }

    pub(crate) fn add(&mut self, article: &Article) -> Result<()> {
        let doc = self.document(article);
        self.writer()?.add_document(doc)?;
        Ok(())
    }

    /// Removes any earlier version of the article, then adds this one.
    pub(crate) fn replace(&mut self, article: &Article) -> Result<()> {
        let term = Term::from_field_text(self.fields.id, &article.id.to_hex());
        self.writer()?.delete_term(term);
        self.add(article)
    }

    pub(crate) fn note_rev(&mut self, rev: i64) {
        self.pending_rev = Some(self.pending_rev.map_or(rev, |r| r.max(rev)));
    }

    pub(crate) fn maybe_commit(&mut self) -> Result<()> {
        if self.last_commit.elapsed() >= COMMIT_EVERY {
            self.commit()?;
        }
        Ok(())
    }

    pub(crate) fn commit(&mut self) -> Result<()> {
        let Some(rev) = self.pending_rev.take() else {
            return Ok(());
        };
        let mut prepared = self.writer()?.prepare_commit()?;
        prepared.set_payload(&payload(rev));
        prepared.commit()?;
        self.reader.reload()?;
        self.last_commit = Instant::now();
        Ok(())
    }

    fn clear(&mut self) -> Result<()> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    pub(crate) fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn search(&self, query: &str, filter: &SearchFilter) -> Result<Vec<SearchHit>> {
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.text]);
        parser.set_field_boost(f.title, 2.0);
        parser.set_conjunction_by_default();
        let (text_query, _errors) = parser.parse_query_lenient(query);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        let term = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(source) = &filter.source {
            clauses.push((Occur::Must, term(f.source, source)));
        }
        if let Some(language) = &filter.language {
            clauses.push((Occur::Must, term(f.language, language)));
        }
        if filter.since.is_some() || filter.until.is_some() {
            let bound = |v: Option<i64>| {
                v.map_or(Bound::Unbounded, |v| {
                    Bound::Included(Term::from_field_i64(f.published_ts, v))
                })
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(filter.since), bound(filter.until))),
            ));
        }
        let combined = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(&combined, &TopDocs::with_limit(filter.limit.max(1)))?;
        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, f.text)?;
        snippets.set_max_num_chars(240);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text_of = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let snippet = snippets.snippet_from_doc(&doc);
            let fragment = snippet.fragment();
            let mut conv = ByteToChar::new(fragment);
            let highlights = snippet
                .highlighted()
                .iter()
                .map(|r| (conv.to_char(r.start), conv.to_char(r.end)))
                .collect();
            hits.push(SearchHit {
                id: text_of(f.id).unwrap_or_default(),
                score,
                title: text_of(f.title).unwrap_or_default(),
                source: text_of(f.source),
                url: text_of(f.url),
                published: text_of(f.published),
                snippet: fragment.to_owned(),
                highlights,
            });
        }
        Ok(hits)
    }
}

impl Store {
    /// Full-text search (BM25 over title and text), with filters.
    pub fn search(&self, query: &str, filter: &SearchFilter) -> Result<Vec<SearchHit>> {
        if query.trim().is_empty() {
            return Err(StoreError::Query("empty query".into()));
        }
        let Some(allowed) = self.allowed_by(filter)? else {
            return self.index.search(query, filter);
        };
        // The index knows no entities or stories: search wider, keep the
        // allowed articles, best first.
        let wide = SearchFilter {
            limit: filter.limit.saturating_mul(20).max(1000),
            ..filter.clone()
        };
        let mut hits = self.index.search(query, &wide)?;
        hits.retain(|h| allowed.contains(&h.id));
        hits.truncate(filter.limit);
        Ok(hits)
    }

    /// The ids an entity or story filter allows (both: their intersection).
    fn allowed_by(&self, filter: &SearchFilter) -> Result<Option<HashSet<String>>> {
        let mut allowed: Option<HashSet<String>> = None;
        if let Some(entity) = filter.entity {
            allowed = Some(self.entity_article_ids(entity)?.into_iter().collect());
        }
        if let Some(story) = filter.story {
            let ids: HashSet<String> = self.story_article_ids(story)?.into_iter().collect();
            allowed = Some(match allowed {
                Some(a) => a.intersection(&ids).cloned().collect(),
                None => ids,
            });
        }
        Ok(allowed)
    }

    /// Adds to the index every article changed since its last commit.
    /// Returns how many articles were (re)indexed.
    pub fn sync_index(&mut self) -> Result<usize> {
        let from = match self.index.committed_rev()? {
            Some(rev) => rev,
            None => {
                self.index.clear()?;
                0
            }
        };
        let mut after = from;
        let mut done = 0;
        loop {
            let page = self.changed_since(after, 1000)?;
            let Some((last, _)) = page.last() else { break };
            after = *last;
            for (_, article) in &page {
                self.index.replace(article)?;
            }
            done += page.len();
            self.index.note_rev(after);
        }
        if done > 0 || from == 0 {
            self.index.note_rev(after);
            self.index.commit()?;
        }
        Ok(done)
    }

    /// Drops the index and rebuilds it from the database.
    pub fn rebuild_index(&mut self) -> Result<usize> {
        self.index.clear()?;
        self.index.pending_rev = Some(0);
        self.index.commit()?;
        self.sync_index()
    }

    /// Commits pending index changes (also done every few seconds while writing).
    pub fn commit_index(&mut self) -> Result<()> {
        if self.index.writer.is_some() {
            self.index.commit()?;
        }
        Ok(())
    }

    pub fn index_path(&self) -> &Path {
        &self.index.path
    }
}
