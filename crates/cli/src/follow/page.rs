//! A fetched page becomes an article, a new revision of one, a sighting of
//! one already stored, or a rejection, with the fetch state, the link
//! status, the page row and the fetch log kept in step.

use dossier_core::ArticleId;
use dossier_fetch::{normalize_url, Page};
use dossier_ingest::IngestOptions;
use dossier_store::{NewRevision, WriteOutcome};

use crate::ingest::{DocOutcome, Ingest};

/// What storing one fetched page did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A new article (the page's first text).
    New,
    /// The page's text changed since it was last stored.
    Revised {
        revision: i64,
        words_added: usize,
        words_removed: usize,
    },
    /// The text was stored before (this page, or a copy elsewhere).
    Seen,
    /// Read, but not an article: `kind` is `paywall`, `not-article` or `parse`.
    Rejected { kind: &'static str },
}

impl Stored {
    /// The fetch log outcome.
    pub fn outcome(&self) -> &'static str {
        match self {
            Stored::New => "article",
            Stored::Revised { .. } => "revised",
            Stored::Seen => "seen",
            Stored::Rejected { kind } => kind,
        }
    }
}

/// A fetched page read into the ingest batch, waiting for the flush that
/// stores it; [`settle`] then records what it became.
pub struct Staged {
    source: Option<i64>,
    norm: String,
    /// The page's documents, numbered as in [`Ingest::outcomes`].
    first_doc: usize,
    docs: usize,
    /// Why nothing could be read, when so.
    unreadable: Option<String>,
}

/// Runs a fetched page through ingest and records what it was: [`stage`],
/// a flush, [`settle`]. Batching callers stage several pages per flush.
pub fn store_page(
    ingest: &mut Ingest,
    source: Option<i64>,
    norm: &str,
    page: &Page,
    opts: &IngestOptions,
) -> anyhow::Result<Stored> {
    ingest.track_outcomes();
    let staged = stage(ingest, source, norm, page, opts)?;
    ingest.flush()?;
    settle(ingest, staged)
}

/// Records the fetch and reads the page into the ingest batch (ingest
/// must be tracking outcomes).
pub fn stage(
    ingest: &mut Ingest,
    source: Option<i64>,
    norm: &str,
    page: &Page,
    opts: &IngestOptions,
) -> anyhow::Result<Staged> {
    ingest.store.fetch_succeeded(
        norm,
        page.status,
        page.validators.etag.as_deref(),
        page.validators.last_modified.as_deref(),
    )?;
    let first_doc = ingest.documents_read();
    let url = Some(page.final_url.as_str());
    let read = ingest.bytes(&page.final_url, url, &page.body, opts)?;
    Ok(Staged {
        source,
        norm: norm.to_owned(),
        first_doc,
        docs: ingest.documents_read() - first_doc,
        unreadable: read.err().map(|p| p.reason),
    })
}

/// After the flush: what a staged page became, recorded in `links`,
/// `pages`, `revisions` and the fetch log.
pub fn settle(ingest: &mut Ingest, staged: Staged) -> anyhow::Result<Stored> {
    let norm = staged.norm.as_str();
    let outcome = (staged.docs > 0)
        .then(|| ingest.outcomes().get(staged.first_doc).cloned())
        .flatten();
    let (stored, reason) = match outcome {
        Some(DocOutcome::Stored(WriteOutcome::New(id))) => (new_text(ingest, norm, &id)?, None),
        Some(DocOutcome::Stored(WriteOutcome::Seen(id) | WriteOutcome::Duplicate(id))) => {
            for key in page_keys(ingest, norm, &id)? {
                ingest.store.record_page(&key, &id)?;
            }
            (Stored::Seen, None)
        }
        Some(DocOutcome::Rejected(reason)) => {
            let kind = rejection_kind(false, Some(&reason));
            (Stored::Rejected { kind }, Some(reason))
        }
        None => (
            Stored::Rejected {
                kind: rejection_kind(true, None),
            },
            staged.unreadable.clone(),
        ),
    };
    let status = if matches!(stored, Stored::Rejected { .. }) {
        "rejected"
    } else {
        "done"
    };
    ingest.store.set_link_status(norm, status)?;
    let detail = match &stored {
        Stored::Revised {
            revision,
            words_added,
            words_removed,
        } => Some(format!(
            "revision {revision}: +{words_added} -{words_removed} words"
        )),
        _ => reason,
    };
    ingest
        .store
        .log_fetch(staged.source, norm, stored.outcome(), detail.as_deref())?;
    Ok(stored)
}

/// A 304 for a page: still the same text.
pub fn not_modified(ingest: &mut Ingest, source: Option<i64>, norm: &str) -> anyhow::Result<()> {
    ingest.store.fetch_succeeded(norm, 304, None, None)?;
    ingest.store.touch_page(norm)?;
    ingest.store.log_fetch(source, norm, "not-modified", None)?;
    Ok(())
}

/// A new text for this page: its first, or a revision of the stored one.
fn new_text(ingest: &mut Ingest, norm: &str, id: &ArticleId) -> anyhow::Result<Stored> {
    let keys = page_keys(ingest, norm, id)?;
    let previous = keys
        .iter()
        .map(|k| ingest.store.page(k))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .find_map(|p| p.article_id.filter(|a| *a != id.to_hex()));
    let Some(previous) = previous else {
        for key in &keys {
            ingest.store.record_page(key, id)?;
        }
        return Ok(Stored::New);
    };
    let old_text = ingest.store.article(&previous)?.text;
    let new_text = ingest.store.article(&id.to_hex())?.text;
    let diff = dossier_link::revision::diff(&old_text, &new_text);
    let diff_json = serde_json::to_string(&diff)?;
    let mut revision = 0;
    for key in &keys {
        revision = ingest.store.record_revision(&NewRevision {
            url: key,
            article: id,
            words_added: diff.words_added,
            words_removed: diff.words_removed,
            diff: &diff_json,
        })?;
    }
    Ok(Stored::Revised {
        revision,
        words_added: diff.words_added,
        words_removed: diff.words_removed,
    })
}

/// The keys a page is known by: the URL it was fetched at and, when the
/// article names a different canonical address, that one too (so a feed
/// that later links the canonical URL finds the page known).
fn page_keys(ingest: &Ingest, norm: &str, id: &ArticleId) -> anyhow::Result<Vec<String>> {
    let mut keys = vec![norm.to_owned()];
    let url = ingest.store.article(&id.to_hex())?.url;
    if let Some(canonical) = url.as_deref().and_then(normalize_url) {
        if canonical != norm {
            keys.push(canonical);
        }
    }
    Ok(keys)
}

/// Why a page gave no article, as a health error kind.
fn rejection_kind(unreadable: bool, problem: Option<&str>) -> &'static str {
    if unreadable {
        "parse"
    } else if problem.is_some_and(|p| p.starts_with("not an article: paywall")) {
        "paywall"
    } else {
        "not-article"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_are_told_apart_for_health() {
        assert_eq!(rejection_kind(true, None), "parse");
        assert_eq!(
            rejection_kind(false, Some("not an article: paywall stub (40 words)")),
            "paywall"
        );
        assert_eq!(
            rejection_kind(false, Some("error page (404)")),
            "not-article"
        );
    }
}
