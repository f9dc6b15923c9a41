//! Following outlets: `dossier fetch URL...`, `dossier sources ...`,
//! `dossier watch` and `dossier revisions`. Pages are fetched with
//! `dossier-fetch` and run through the same ingest path as files
//! (`Ingest::bytes`); [`page::store_page`] is the one place a fetched page
//! becomes an article, a revision of one, or a rejection.

mod page;
mod poll;
mod revisions;
mod sources;
mod watch;

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::Args;
use dossier_fetch::{normalize_url, Conditional, FetchConfig, FetchError, Fetched, Fetcher};
use dossier_ingest::IngestOptions;

use crate::ingest::{Ingest, Summary};
use crate::progress;

pub use revisions::{revisions, RevisionsArgs};
pub use sources::{sources, SourcesArgs};
pub use watch::{watch, WatchArgs};

/// Network settings shared by `fetch` and `watch`.
#[derive(Args, Clone)]
pub struct NetArgs {
    /// Minimum milliseconds between two requests to one host.
    #[arg(long, default_value_t = 1000)]
    host_delay_ms: u64,
    /// Requests to one host in flight at once.
    #[arg(long, default_value_t = 1)]
    per_host: usize,
    /// Seconds before one request (body included) is abandoned.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Retries after 429/503 (honouring Retry-After).
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// Largest page to keep, in MiB (after decompression).
    #[arg(long, default_value_t = 32)]
    max_doc_mb: usize,
}

impl NetArgs {
    fn fetcher(&self) -> Fetcher {
        let mut config = FetchConfig {
            host_delay: Duration::from_millis(self.host_delay_ms),
            max_per_host: self.per_host.max(1),
            request_timeout: Duration::from_secs(self.timeout.max(1)),
            max_retries: self.retries,
            max_bytes: self.max_doc_mb.max(1) * 1024 * 1024,
            ..FetchConfig::default()
        };
        config.io_timeout = config.io_timeout.min(config.request_timeout);
        config.connect_timeout = config.connect_timeout.min(config.request_timeout);
        Fetcher::new(config)
    }

    fn ingest_options(&self, source: Option<String>) -> IngestOptions {
        IngestOptions {
            format: None,
            source,
            max_document_bytes: self.max_doc_mb.max(1) * 1024 * 1024,
        }
    }
}

#[derive(Args)]
pub struct FetchArgs {
    /// Page (or feed) URLs. A page fetched before is asked for with its
    /// validators; a changed text is stored as a new revision.
    #[arg(required = true)]
    urls: Vec<String>,
    /// Outlet name for pages that do not say who published them.
    #[arg(long)]
    source: Option<String>,
    #[command(flatten)]
    net: NetArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct FetchFailure {
    url: String,
    kind: String,
    error: String,
}

#[derive(serde::Serialize)]
struct FetchSummary {
    fetched: usize,
    not_modified: usize,
    revised: usize,
    failed: usize,
    failures: Vec<FetchFailure>,
    #[serde(flatten)]
    ingest: Summary,
}

/// `dossier fetch URL...`
pub fn fetch(data: &Path, args: FetchArgs) -> anyhow::Result<ExitCode> {
    let fetcher = args.net.fetcher();
    let opts = args.net.ingest_options(args.source.clone());
    let stop = progress::interrupt_flag();
    let bar = progress::bar(args.urls.len() as u64, "pages");
    let key =
        dossier_core::ArticleId::of_bytes(format!("fetch\n{}", args.urls.join("\n")).as_bytes())
            .to_hex();
    let command = format!("fetch {}", args.urls.join(" "));
    let mut ingest = Ingest::start(data, &key, &command, false, &stop, bar)?;
    let mut failures = Vec::new();
    let (mut fetched, mut not_modified, mut revised) = (0, 0, 0);
    for url in &args.urls {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        ingest.bar().inc(1);
        let norm = normalize_url(url).unwrap_or_else(|| url.clone());
        let cond = stored_validators(&ingest.store, &norm)?;
        match fetcher.get(url, &cond) {
            Ok(Fetched::Page(p)) => {
                fetched += 1;
                let stored = page::store_page(&mut ingest, None, &norm, &p, &opts)?;
                if let page::Stored::Revised { revision, .. } = stored {
                    revised += 1;
                    progress::warn(
                        ingest.bar(),
                        &format!("{url}: the text changed; stored as revision {revision}"),
                    );
                }
            }
            Ok(Fetched::NotModified { .. }) => {
                not_modified += 1;
                page::not_modified(&mut ingest, None, &norm)?;
            }
            Err(e) => {
                record_failure(&mut ingest, None, &norm, &e)?;
                failures.push(FetchFailure {
                    url: url.clone(),
                    kind: e.kind().into(),
                    error: e.to_string(),
                });
            }
        }
    }
    let summary = ingest.finish()?;
    let failed = failures.len();
    let code = if failed > 0 && fetched + not_modified == 0 {
        ExitCode::FAILURE
    } else {
        crate::ingest::exit_code(&summary)
    };
    if args.json {
        crate::print_json(&FetchSummary {
            fetched,
            not_modified,
            revised,
            failed,
            failures,
            ingest: summary,
        })?;
    } else {
        eprintln!(
            "fetched {fetched} page(s), {not_modified} not modified, {revised} revised, {failed} failed"
        );
        crate::ingest::report(&summary, false)?;
    }
    Ok(code)
}

fn record_failure(
    ingest: &mut Ingest,
    source: Option<i64>,
    norm: &str,
    e: &FetchError,
) -> anyhow::Result<()> {
    progress::warn(ingest.bar(), &e.to_string());
    ingest.store.fetch_failed(norm, e.status())?;
    ingest
        .store
        .log_fetch(source, norm, e.kind(), Some(&e.to_string()))?;
    Ok(())
}

/// The conditional-GET validators stored for a URL.
fn stored_validators(store: &dossier_store::Store, url: &str) -> anyhow::Result<Conditional> {
    Ok(match store.fetch_state(url)? {
        Some(st) => Conditional {
            etag: st.etag,
            last_modified: st.last_modified,
        },
        None => Conditional::default(),
    })
}
