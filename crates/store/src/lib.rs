//! The store: a directory holding SQLite (WAL mode) as the system of record
//! and a tantivy full-text index that can always be rebuilt from it.
//!
//! Invariants:
//! - Every write to articles happens in one SQLite transaction per batch, so
//!   a killed process leaves whole batches or nothing.
//! - The index is derived data. Each article row carries a `rev` from a
//!   store-wide counter; the index's commit payload is the highest rev it
//!   holds, and any writer first catches the index up to the database.
//! - Only one process writes at a time: the tantivy writer lock, taken when a
//!   store is opened for writing, is the store's write lock.

mod boilerplate;
mod brief;
mod copies;
mod corrections;
mod entities;
mod index;
mod read;
mod schema;
mod sources;
mod stories;
mod storylines;
mod watch;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use boilerplate::LearnedParagraph;
pub use brief::BriefStoryArticles;
pub use copies::{CopyRecord, CopyRelation};
pub use corrections::Correction;
pub use entities::{
    CoEntity, EntityArticle, EntityBatch, EntityDetail, EntityRow, EntitySummary, Explanation,
    MentionRecord, VariantCount,
};
pub use index::{SearchFilter, SearchHit};
pub use read::{
    ArticleSummary, LinkRecord, ListFilter, ReprocessInput, Sighting, Stats, StoredArticle,
    StoredDate,
};
pub use schema::SCHEMA_VERSION;
pub use sources::{
    usual_gap_hours, went_silent, FetchState, NewSource, SourceHealth, SourceRow, OK_OUTCOMES,
};
pub use stories::{StoryArticle, StoryDetail, StoryInput, StorySummary};
pub use storylines::{
    NewStoryline, StoryEntityCount, StoryProfileInput, StorylineDetail, StorylineSummary,
};
pub use watch::{time_after, LeaseHolder, NewRevision, PageRow, RevisionRow};
pub use write::{Derived, NewRecord, Run, WriteOutcome};

/// Errors from the store. Messages name the store path and the reason.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no store at {0} (run `dossier ingest` first, or pass --data DIR)")]
    Missing(String),
    #[error(
        "store at {path} has schema version {found}, newer than this dossier supports ({supported}); \
         upgrade dossier to read it"
    )]
    TooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("store at {0} is being written by another dossier process; wait for it to finish")]
    Locked(String),
    #[error("no article with id {0}")]
    NotFound(String),
    /// A thing other than an article that does not exist ("entity 5").
    #[error("no {0}")]
    NoSuch(String),
    /// A correction that cannot be made (the reason says why).
    #[error("{0}")]
    Refused(String),
    #[error("id prefix {prefix} is ambiguous ({count} articles match); give more digits")]
    Ambiguous { prefix: String, count: usize },
    #[error("invalid article id {0:?} (expected hexadecimal digits)")]
    BadId(String),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search query: {0}")]
    Query(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("corrupt record in store: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open store. Read commands open it with [`Store::open_read`]; ingest
/// and reprocess with [`Store::open_write`].
pub struct Store {
    dir: PathBuf,
    db: Connection,
    index: index::SearchIndex,
}

const DB_FILE: &str = "dossier.sqlite";
const INDEX_DIR: &str = "index";

impl Store {
    /// Opens (creating if needed) the store at `dir` for writing, migrating
    /// an older schema and catching the index up with the database.
    pub fn open_write(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let mut store = Store::open(dir, true)?;
        store.sync_index()?;
        Ok(store)
    }

    /// Opens an existing store for reading. Fails with [`StoreError::Missing`]
    /// when there is none.
    pub fn open_read(dir: &Path) -> Result<Store> {
        if !dir.join(DB_FILE).is_file() {
            return Err(StoreError::Missing(dir.display().to_string()));
        }
        Store::open(dir, false)
    }

    fn open(dir: &Path, write: bool) -> Result<Store> {
        let db_path = dir.join(DB_FILE);
        let mut db = Connection::open(&db_path)?;
        db.busy_timeout(std::time::Duration::from_secs(10))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        db.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut db, &dir.display().to_string())?;
        let index = index::SearchIndex::open(&dir.join(INDEX_DIR), write)?;
        Ok(Store {
            dir: dir.to_owned(),
            db,
            index,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .to_string()
}

#[cfg(test)]
mod tests;
