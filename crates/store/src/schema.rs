//! Versioned SQLite schema. `PRAGMA user_version` holds the version; each
//! migration runs in its own transaction, so a store is always at exactly one
//! version.

use rusqlite::Connection;

use crate::StoreError;

/// Migration `i` takes a store from version `i` to version `i + 1`.
/// Append only: never edit a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: articles, layers, sightings, links, runs.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('rev', '0');

    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        text_hash TEXT NOT NULL,
        url TEXT,
        source TEXT,
        title TEXT NOT NULL,
        published TEXT,
        published_method TEXT,
        published_confidence REAL,
        published_ts INTEGER,
        language TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL,
        format TEXT NOT NULL,
        extractor TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        content_kind TEXT NOT NULL,
        -- NULL when the content is the raw bytes read as UTF-8 (most pages).
        content TEXT,
        hints TEXT NOT NULL,
        raw BLOB NOT NULL,
        ingested_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        -- Change counter: the search index has seen every rev up to its
        -- commit payload, so it can catch up after a crash.
        rev INTEGER NOT NULL
    );
    CREATE INDEX articles_text_hash ON articles (text_hash);
    CREATE INDEX articles_rev ON articles (rev);
    CREATE INDEX articles_published ON articles (published_ts);
    CREATE INDEX articles_source ON articles (source);

    CREATE TABLE layers (
        article_seq INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
        name TEXT NOT NULL,
        component TEXT NOT NULL,
        version TEXT NOT NULL,
        spans TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (article_seq, name)
    );

    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL
    );
    CREATE INDEX runs_key ON runs (key);

    CREATE TABLE run_inputs (
        run_id INTEGER NOT NULL REFERENCES runs (id),
        input TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        PRIMARY KEY (run_id, input)
    );

    CREATE TABLE sightings (
        article_seq INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
        origin TEXT NOT NULL,
        url TEXT,
        run_id INTEGER NOT NULL REFERENCES runs (id),
        seen_at TEXT NOT NULL,
        UNIQUE (article_seq, origin, run_id)
    );

    CREATE TABLE links (
        url TEXT PRIMARY KEY,
        title TEXT,
        source TEXT,
        published TEXT,
        origin TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        times_seen INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'pending'
    );

    CREATE TABLE problems (
        run_id INTEGER NOT NULL REFERENCES runs (id),
        origin TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    "#,
    // 2: paragraphs learned as an outlet's boilerplate, and user overrides.
    r#"
    CREATE TABLE boilerplate (
        source TEXT NOT NULL,
        hash TEXT NOT NULL,
        text TEXT NOT NULL,
        articles INTEGER NOT NULL,
        share REAL NOT NULL,
        learned_at TEXT NOT NULL,
        PRIMARY KEY (source, hash)
    );
    CREATE TABLE boilerplate_keep (
        source TEXT NOT NULL,
        hash TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (source, hash)
    );
    "#,
    // 3: near-duplicates. `signatures` holds each article's MinHash as bytes
    // (made and read by dossier-link); `copies` the verified copy pairs,
    // each once, with a_seq < b_seq.
    r#"
    CREATE TABLE signatures (
        article_seq INTEGER PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE,
        minhash BLOB NOT NULL
    );
    CREATE TABLE copies (
        a_seq INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
        b_seq INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
        jaccard REAL NOT NULL,
        a_in_b REAL NOT NULL,
        b_in_a REAL NOT NULL,
        found_at TEXT NOT NULL,
        PRIMARY KEY (a_seq, b_seq),
        CHECK (a_seq < b_seq)
    );
    CREATE INDEX copies_b ON copies (b_seq);
    "#,
    // 4: entity identity across articles: `entities` (one row per real-world
    // entity, made by dossier-link's resolver), the spellings seen for each,
    // and every mention with the explanation of its resolution.
    r#"
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        canonical TEXT NOT NULL,
        label TEXT NOT NULL,
        key TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE INDEX entities_key ON entities (key);
    CREATE INDEX entities_canonical ON entities (canonical COLLATE NOCASE);
    CREATE TABLE entity_variants (
        entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        variant TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (entity_id, variant)
    );
    CREATE INDEX entity_variants_variant ON entity_variants (variant COLLATE NOCASE);
    CREATE TABLE entity_mentions (
        entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        article_seq INTEGER NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        explanation TEXT NOT NULL,
        PRIMARY KEY (article_seq, start, end)
    );
    CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
    "#,
    // 5: stories: online clusters of articles about one event. Each article is
    // in at most one story.
    r#"
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE TABLE story_articles (
        story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        article_seq INTEGER PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE
    );
    CREATE INDEX story_articles_story ON story_articles (story_id);
    "#,
    // 6: following outlets. `sources` (one feed each for now), the HTTP
    // validators and health of every fetched URL (`fetch_state`, keyed by the
    // normalised URL), and one `fetch_log` row per fetch with its outcome.
    r#"
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        feed_url TEXT NOT NULL UNIQUE,
        lang TEXT,
        kind TEXT,
        added_at TEXT NOT NULL
    );
    CREATE TABLE fetch_state (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,
        last_fetch TEXT,
        failures INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE fetch_log (
        source_id INTEGER REFERENCES sources (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT
    );
    CREATE INDEX fetch_log_source ON fetch_log (source_id, at);
    "#,
    // 7: watching. A per-source poll interval set by the user (NULL: adapt
    // to how often the source publishes) and when it is next due; the
    // `leases` that keep two `dossier watch` processes apart; `pages`, the
    // current article behind every fetched (normalised) URL; and
    // `revisions`, one row per silent edit found on re-fetching a page.
    r#"
    ALTER TABLE sources ADD COLUMN poll_minutes INTEGER;
    ALTER TABLE sources ADD COLUMN next_poll TEXT;
    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE pages (
        url TEXT PRIMARY KEY,
        article_seq INTEGER REFERENCES articles (seq) ON DELETE SET NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        first_fetched TEXT NOT NULL,
        last_fetched TEXT NOT NULL
    );
    CREATE TABLE revisions (
        article_seq INTEGER PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE,
        url TEXT NOT NULL,
        revision INTEGER NOT NULL,
        previous_seq INTEGER REFERENCES articles (seq) ON DELETE SET NULL,
        fetched_at TEXT NOT NULL,
        words_added INTEGER NOT NULL,
        words_removed INTEGER NOT NULL,
        diff TEXT NOT NULL
    );
    CREATE INDEX revisions_url ON revisions (url);
    "#,
    // 8: brief history. Every brief a user makes (unless --no-save): its
    // window, filters and options, the earlier brief it reports changes
    // against, and the whole brief as JSON, so it can be shown again
    // exactly and later briefs can say what is new since.
    r#"
    CREATE TABLE briefs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        since TEXT NOT NULL,
        until TEXT NOT NULL,
        topic TEXT,
        entity TEXT,
        since_brief INTEGER REFERENCES briefs (id) ON DELETE SET NULL,
        options TEXT NOT NULL,
        items INTEGER NOT NULL,
        brief TEXT NOT NULL
    );
    "#,
    // 9: corrections made by hand (entity merges and splits, articles moved
    // between stories, story merges), kept as a log.
    r#"
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    "#,
    // 10: storylines: stories that continue one another (linked by
    // dossier-link's `storylines`, rebuilt whole when the stories change).
    // A story is in at most one storyline.
    r#"
    CREATE TABLE storylines (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE TABLE storyline_stories (
        storyline_id INTEGER NOT NULL REFERENCES storylines (id) ON DELETE CASCADE,
        story_id INTEGER PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE
    );
    CREATE INDEX storyline_stories_storyline ON storyline_stories (storyline_id);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database to [`SCHEMA_VERSION`], or refuses a newer one.
pub fn migrate(db: &mut Connection, path: &str) -> Result<(), StoreError> {
    let found: u32 = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = db.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(())
}
