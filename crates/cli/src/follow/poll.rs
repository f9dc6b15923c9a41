//! One poll round over some sources.
//!
//! Worker threads fetch (feeds, then the pages behind their items), each
//! source handled by one worker from start to end; the fetcher they share
//! keeps every host's delay and in-flight cap. This thread owns the store:
//! it decides which items to fetch (the workers ask it through a reply
//! channel), ingests each page as it arrives and records every outcome, so
//! the store sees one writer and the network is kept busy meanwhile.

use std::collections::{HashSet, VecDeque};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};

use dossier_fetch::{normalize_url, Conditional, FetchError, Fetched, Fetcher};
use dossier_ingest::{IngestOptions, Item, LinkKind};
use dossier_store::{time_after, LinkRecord, SourceRow};

use super::page::{self, Stored};
use super::record_failure;
use crate::ingest::{Ingest, Summary};
use crate::progress;

/// Child sitemaps of a sitemap index read per poll (the newest first).
const MAX_CHILD_SITEMAPS: usize = 3;
/// Fetched pages stored per flush at most: the pipeline runs them in
/// parallel and the per-flush work (copies, identity, stories) is shared.
/// A smaller batch is flushed whenever no fetched page is waiting.
const PAGES_PER_FLUSH: usize = 32;

/// How a round behaves.
pub struct RoundConfig<'a> {
    pub net: &'a super::NetArgs,
    /// Worker threads.
    pub concurrency: usize,
    /// Items fetched per source per round; later items wait for the next.
    pub max_new: usize,
    /// Re-fetch pages first fetched within this many days... (0: never)
    pub recheck_days: i64,
    /// ...when last fetched at least this many minutes ago.
    pub recheck_minutes: i64,
    /// Default poll interval when a source's rate is unknown.
    pub every_minutes: i64,
}

/// What a round did.
#[derive(Default, serde::Serialize)]
pub struct RoundSummary {
    pub sources: usize,
    pub feeds_fetched: usize,
    pub feeds_not_modified: usize,
    pub feed_errors: usize,
    pub items: usize,
    pub items_known: usize,
    /// Items left for a later round by `--max-new`.
    pub items_deferred: usize,
    pub pages_fetched: usize,
    pub pages_not_modified: usize,
    pub page_errors: usize,
    /// Known pages fetched again to look for silent edits.
    pub rechecked: usize,
    pub articles_new: usize,
    pub articles_seen: usize,
    /// Pages whose text changed since they were stored.
    pub articles_revised: usize,
    pub not_articles: usize,
    #[serde(flatten)]
    pub ingest: Summary,
}

/// A feed item worth fetching: its link and what the feed said.
struct FeedItem {
    url: String,
    title: Option<String>,
    published: Option<String>,
    origin: String,
}

/// One page to fetch for a source.
struct Job {
    url: String,
    norm: String,
    cond: Conditional,
    recheck: bool,
}

/// What fetching a source's feed gave.
enum FeedResult {
    NotModified,
    Failed(FetchError),
    Unreadable {
        status: u16,
        reason: String,
    },
    Items {
        status: u16,
        validators: Conditional,
        items: Vec<FeedItem>,
    },
}

enum Msg {
    Feed {
        source: usize,
        result: FeedResult,
        reply: Sender<Vec<Job>>,
    },
    Page {
        source: usize,
        job: Job,
        result: Result<Fetched, FetchError>,
    },
}

/// A source for a worker: its position in the round, feed and validators.
struct Task {
    source: usize,
    feed: String,
    cond: Conditional,
    opts: IngestOptions,
}

/// Polls `sources` once, then schedules each one's next poll.
pub fn round(
    data: &Path,
    sources: &[SourceRow],
    config: &RoundConfig,
    fetcher: &Fetcher,
    stop: &Arc<AtomicBool>,
    lease: &super::watch::LeaseId,
) -> anyhow::Result<RoundSummary> {
    let mut w = RoundSummary {
        sources: sources.len(),
        ..RoundSummary::default()
    };
    let bar = progress::bar(sources.len() as u64, "sources");
    let mut ingest = Ingest::start(data, "watch", "watch", false, stop, bar)?;
    ingest.track_outcomes();
    let tasks = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Ok(Task {
                source: i,
                feed: s.feed_url.clone(),
                cond: super::stored_validators(&ingest.store, &s.feed_url)?,
                opts: config.net.ingest_options(Some(s.name.clone())),
            })
        })
        .collect::<anyhow::Result<VecDeque<_>>>()?;
    let queue = Mutex::new(tasks);
    let workers = config.concurrency.clamp(1, sources.len().max(1));
    let (tx, rx) = mpsc::sync_channel::<Msg>(workers * 2);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..workers {
            let (tx, queue) = (tx.clone(), &queue);
            let (fetcher, stop) = (fetcher.clone(), stop.clone());
            scope.spawn(move || work(queue, &tx, &fetcher, &stop, config.max_new));
        }
        drop(tx);
        let mut coordinator = Coordinator {
            ingest: &mut ingest,
            sources,
            config,
            w: &mut w,
            lease,
            planned: HashSet::new(),
            last_renewal: std::time::Instant::now(),
            staged: Vec::new(),
        };
        coordinator.serve(rx)
    })?;
    for source in sources {
        schedule(&mut ingest, source, config)?;
    }
    w.ingest = ingest.finish()?;
    Ok(w)
}

/// Takes sources off the queue until it is empty or the user stops.
fn work(
    queue: &Mutex<VecDeque<Task>>,
    tx: &SyncSender<Msg>,
    fetcher: &Fetcher,
    stop: &AtomicBool,
    max_new: usize,
) {
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let task = queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front();
        let Some(task) = task else { return };
        if poll_source(&task, tx, fetcher, stop, max_new).is_break() {
            return;
        }
    }
}

/// Fetches one source's feed, asks which items to fetch, fetches them.
/// `Break` when the coordinator is gone.
fn poll_source(
    task: &Task,
    tx: &SyncSender<Msg>,
    fetcher: &Fetcher,
    stop: &AtomicBool,
    max_new: usize,
) -> ControlFlow<()> {
    let result = fetch_feed(fetcher, task, max_new);
    let (reply, jobs) = mpsc::channel();
    let msg = Msg::Feed {
        source: task.source,
        result,
        reply,
    };
    if tx.send(msg).is_err() {
        return ControlFlow::Break(());
    }
    for job in jobs.recv().unwrap_or_default() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let result = fetcher.get(&job.url, &job.cond);
        let msg = Msg::Page {
            source: task.source,
            job,
            result,
        };
        if tx.send(msg).is_err() {
            return ControlFlow::Break(());
        }
    }
    ControlFlow::Continue(())
}

/// The feed's items; a sitemap index is followed one level down.
fn fetch_feed(fetcher: &Fetcher, task: &Task, max_new: usize) -> FeedResult {
    let page = match fetcher.get(&task.feed, &task.cond) {
        Ok(Fetched::Page(page)) => page,
        Ok(Fetched::NotModified { .. }) => return FeedResult::NotModified,
        Err(e) => return FeedResult::Failed(e),
    };
    let (mut items, mut children) = match feed_items(&page.final_url, &page.body, &task.opts) {
        Ok(parsed) => parsed,
        Err(reason) => {
            return FeedResult::Unreadable {
                status: page.status,
                reason,
            }
        }
    };
    children.sort_by(|a, b| b.published.cmp(&a.published));
    for child in children.iter().take(MAX_CHILD_SITEMAPS) {
        if items.len() >= max_new {
            break;
        }
        if let Ok(Fetched::Page(p)) = fetcher.get(&child.url, &Conditional::default()) {
            if let Ok((more, _)) = feed_items(&p.final_url, &p.body, &task.opts) {
                items.extend(more);
            }
        }
    }
    FeedResult::Items {
        status: page.status,
        validators: page.validators,
        items,
    }
}

/// The items of a feed or sitemap that have a link, and the child
/// sitemaps of a sitemap index. `Err` when it is neither.
fn feed_items(
    name: &str,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<(Vec<FeedItem>, Vec<FeedItem>), String> {
    let (mut items, mut children) = (Vec::new(), Vec::new());
    let opts = IngestOptions {
        format: Some(dossier_core::InputFormat::Feed),
        ..opts.clone()
    };
    let read = dossier_ingest::read_bytes(name, bytes, &opts, &mut |item| {
        match item {
            Item::Link(link) => {
                let entry = FeedItem {
                    url: link.url,
                    title: link.title,
                    published: link.published.map(|d| d.value),
                    origin: link.origin.to_string(),
                };
                match link.kind {
                    LinkKind::Page => items.push(entry),
                    LinkKind::Sitemap => children.push(entry),
                }
            }
            // A feed item with a summary is not the article: fetch its page.
            Item::Document(doc) => {
                if let Some(url) = doc.hints.url {
                    items.push(FeedItem {
                        url,
                        title: doc.hints.title,
                        published: doc.hints.published.map(|d| d.value),
                        origin: doc.origin.to_string(),
                    })
                }
            }
            Item::Problem(_) => {}
        }
        ControlFlow::Continue(())
    });
    match read {
        Ok(_) => Ok((items, children)),
        Err(problem) => Err(problem.reason),
    }
}

/// The store side of a round.
struct Coordinator<'i, 'a> {
    ingest: &'i mut Ingest<'a>,
    sources: &'i [SourceRow],
    config: &'i RoundConfig<'i>,
    w: &'i mut RoundSummary,
    lease: &'i super::watch::LeaseId,
    /// Pages already given to a worker this round (feeds repeat items).
    planned: HashSet<String>,
    last_renewal: std::time::Instant,
    /// Pages read into the ingest batch, waiting for its flush.
    staged: Vec<(usize, String, page::Staged)>,
}

impl Coordinator<'_, '_> {
    fn serve(&mut self, rx: Receiver<Msg>) -> anyhow::Result<()> {
        loop {
            // Wait for work only when nothing is staged; otherwise store
            // what is staged as soon as no page is waiting.
            let msg = if self.staged.is_empty() {
                match rx.recv() {
                    Ok(msg) => msg,
                    Err(_) => break,
                }
            } else {
                match rx.try_recv() {
                    Ok(msg) => msg,
                    Err(TryRecvError::Empty) => {
                        self.settle_staged()?;
                        continue;
                    }
                    Err(TryRecvError::Disconnected) => break,
                }
            };
            if self.last_renewal.elapsed() >= super::watch::RENEW_EVERY {
                self.lease.renew(&mut self.ingest.store)?;
                self.last_renewal = std::time::Instant::now();
            }
            match msg {
                Msg::Feed {
                    source,
                    result,
                    reply,
                } => {
                    self.ingest.bar().inc(1);
                    let jobs = self.feed(&self.sources[source], result)?;
                    // A worker gone (interrupted) needs no answer.
                    let _ = reply.send(jobs);
                }
                Msg::Page {
                    source,
                    job,
                    result,
                } => self.page(source, job, result)?,
            }
            if self.staged.len() >= PAGES_PER_FLUSH {
                self.settle_staged()?;
            }
        }
        self.settle_staged()
    }

    /// Flushes the ingest batch and records what each staged page became.
    fn settle_staged(&mut self) -> anyhow::Result<()> {
        if self.staged.is_empty() {
            return Ok(());
        }
        self.ingest.flush()?;
        for (source, url, staged) in std::mem::take(&mut self.staged) {
            let name = &self.sources[source].name;
            match page::settle(self.ingest, staged)? {
                Stored::New => self.w.articles_new += 1,
                Stored::Seen => self.w.articles_seen += 1,
                Stored::Revised { revision, .. } => {
                    self.w.articles_revised += 1;
                    progress::warn(
                        self.ingest.bar(),
                        &format!(
                            "{url}: {name} changed its article; stored as revision {revision}"
                        ),
                    );
                }
                Stored::Rejected { .. } => self.w.not_articles += 1,
            }
        }
        Ok(())
    }

    fn feed(&mut self, source: &SourceRow, result: FeedResult) -> anyhow::Result<Vec<Job>> {
        let (store, feed) = (&mut self.ingest.store, &source.feed_url);
        match result {
            FeedResult::NotModified => {
                self.w.feeds_not_modified += 1;
                store.fetch_succeeded(feed, 304, None, None)?;
                store.log_fetch(Some(source.id), feed, "not-modified", None)?;
                Ok(Vec::new())
            }
            FeedResult::Failed(e) => {
                self.w.feed_errors += 1;
                record_failure(self.ingest, Some(source.id), feed, &e)?;
                Ok(Vec::new())
            }
            FeedResult::Unreadable { status, reason } => {
                // The validators are not kept, so the next poll gets the
                // feed again rather than a 304 for a feed never read.
                self.w.feed_errors += 1;
                store.fetch_failed(feed, Some(status))?;
                store.log_fetch(Some(source.id), feed, "feed-parse", Some(&reason))?;
                progress::warn(self.ingest.bar(), &format!("{feed}: {reason}"));
                Ok(Vec::new())
            }
            FeedResult::Items {
                status,
                validators,
                items,
            } => {
                self.w.feeds_fetched += 1;
                store.fetch_succeeded(
                    feed,
                    status,
                    validators.etag.as_deref(),
                    validators.last_modified.as_deref(),
                )?;
                let detail = format!("{} item(s)", items.len());
                store.log_fetch(Some(source.id), feed, "ok", Some(&detail))?;
                self.plan(source, items)
            }
        }
    }

    /// The pages to fetch: new items (recorded as links), and known pages
    /// due for a re-check.
    fn plan(&mut self, source: &SourceRow, items: Vec<FeedItem>) -> anyhow::Result<Vec<Job>> {
        let now = jiff::Timestamp::now();
        let recheck_from = time_after(now, -self.config.recheck_days * 86_400);
        let recheck_before = time_after(now, -self.config.recheck_minutes * 60);
        let mut jobs = Vec::new();
        let mut new = 0;
        for item in items {
            self.w.items += 1;
            let Some(norm) = normalize_url(&item.url) else {
                continue;
            };
            if !self.planned.insert(norm.clone()) {
                continue;
            }
            let store = &mut self.ingest.store;
            let status = store.link_status(&norm)?;
            let page = store.page(&norm)?;
            if matches!(status.as_deref(), Some("done" | "rejected")) || page.is_some() {
                let due = self.config.recheck_days > 0
                    && page.as_ref().is_some_and(|p| {
                        p.first_fetched >= recheck_from && p.last_fetched <= recheck_before
                    });
                if due {
                    self.w.rechecked += 1;
                    let cond = super::stored_validators(store, &norm)?;
                    jobs.push(Job {
                        url: item.url,
                        norm,
                        cond,
                        recheck: true,
                    });
                } else {
                    self.w.items_known += 1;
                }
                continue;
            }
            if new >= self.config.max_new {
                self.w.items_deferred += 1;
                continue;
            }
            new += 1;
            store.add_links(&[LinkRecord {
                url: norm.clone(),
                title: item.title,
                source: Some(source.name.clone()),
                published: item.published,
                origin: item.origin,
            }])?;
            jobs.push(Job {
                url: item.url,
                norm,
                cond: Conditional::default(),
                recheck: false,
            });
        }
        Ok(jobs)
    }

    fn page(
        &mut self,
        index: usize,
        job: Job,
        result: Result<Fetched, FetchError>,
    ) -> anyhow::Result<()> {
        let source = &self.sources[index];
        let ingest = &mut *self.ingest;
        let page = match result {
            Ok(Fetched::Page(page)) => page,
            Ok(Fetched::NotModified { .. }) => {
                self.w.pages_not_modified += 1;
                return page::not_modified(ingest, Some(source.id), &job.norm);
            }
            Err(e) => {
                self.w.page_errors += 1;
                record_failure(ingest, Some(source.id), &job.norm, &e)?;
                if !job.recheck {
                    ingest.store.set_link_status(&job.norm, "failed")?;
                }
                return Ok(());
            }
        };
        self.w.pages_fetched += 1;
        let opts = self.config.net.ingest_options(Some(source.name.clone()));
        let staged = page::stage(ingest, Some(source.id), &job.norm, &page, &opts)?;
        self.staged.push((index, job.url, staged));
        Ok(())
    }
}

/// Sets when a polled source is next due: its own interval, else half its
/// usual gap between items (10 minutes to 6 hours), else the default;
/// doubled per consecutive feed failure, up to a day.
fn schedule(ingest: &mut Ingest, source: &SourceRow, config: &RoundConfig) -> anyhow::Result<()> {
    let store = &mut ingest.store;
    let gap = store.source_usual_gap_hours(&source.name)?;
    let failures = store
        .fetch_state(&source.feed_url)?
        .map_or(0, |s| s.failures);
    let minutes = interval_minutes(source.poll_minutes, gap, failures, config.every_minutes);
    store.set_next_poll(source.id, &time_after(jiff::Timestamp::now(), minutes * 60))?;
    Ok(())
}

pub fn interval_minutes(
    own: Option<i64>,
    gap_hours: Option<f64>,
    failures: i64,
    default: i64,
) -> i64 {
    let base = own.unwrap_or_else(|| match gap_hours {
        Some(gap) => ((gap * 30.0) as i64).clamp(10, 360),
        None => default.max(1),
    });
    if failures > 0 {
        (base << failures.min(5)).min(1440).max(base)
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::interval_minutes;

    #[test]
    fn intervals_follow_the_source_and_back_off_on_failure() {
        assert_eq!(interval_minutes(Some(5), Some(1.0), 0, 30), 5);
        // Publishes every 2 hours: polled every hour.
        assert_eq!(interval_minutes(None, Some(2.0), 0, 30), 60);
        // Very busy or very slow sources stay within 10 minutes..6 hours.
        assert_eq!(interval_minutes(None, Some(0.05), 0, 30), 10);
        assert_eq!(interval_minutes(None, Some(72.0), 0, 30), 360);
        assert_eq!(interval_minutes(None, None, 0, 30), 30);
        assert_eq!(interval_minutes(None, None, 2, 30), 120);
        assert_eq!(interval_minutes(None, None, 9, 30), 960);
        assert_eq!(interval_minutes(Some(600), None, 3, 30), 1440);
    }
}
