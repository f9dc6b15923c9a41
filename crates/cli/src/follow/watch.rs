//! `dossier watch [--once]`: polls every source on its own schedule and
//! ingests new items, until stopped (Ctrl-C or SIGTERM).
//!
//! One watcher per store: a lease row (pid, host, expiry) is taken at the
//! start and renewed while working; a second `watch` is refused with the
//! holder named. A lease whose process is gone (same host, no such pid) or
//! that expired is taken over, so a watcher killed with `kill -9` does not
//! block its restart. Between rounds the store's write lock is free, so
//! `dossier ingest` and friends can run while a watcher sleeps; a round that
//! finds the store busy waits for the next minute.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use dossier_store::{LeaseHolder, SourceRow, Store, StoreError};

use super::poll::{self, RoundConfig, RoundSummary};
use super::NetArgs;

const LEASE_NAME: &str = "watch";
/// A lease lasts this long unless renewed...
const LEASE_TTL_SECS: i64 = 120;
/// ...and is renewed this often while the watcher works or sleeps.
pub const RENEW_EVERY: Duration = Duration::from_secs(30);
/// The longest sleep between two looks at the schedule.
const MAX_NAP: Duration = Duration::from_secs(60);

#[derive(Args)]
pub struct WatchArgs {
    /// Poll every source once and exit (for cron and tests).
    #[arg(long)]
    once: bool,
    /// Sources polled at once (the fetcher still keeps each host's delay
    /// and --per-host cap).
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Poll interval in minutes for a source with none of its own whose
    /// publishing rate is not known yet.
    #[arg(long, value_name = "MINUTES", default_value_t = 30)]
    every: i64,
    /// Items fetched per source per poll; the rest wait for the next poll.
    #[arg(long, default_value_t = 200)]
    max_new: usize,
    /// Fetch pages again for this many days after their first fetch, to
    /// catch silent edits (0: never).
    #[arg(long, value_name = "DAYS", default_value_t = 2)]
    recheck_days: i64,
    /// ...at most once per this many minutes.
    #[arg(long, value_name = "MINUTES", default_value_t = 180)]
    recheck_minutes: i64,
    #[command(flatten)]
    net: NetArgs,
    /// Print each round's summary as a JSON line.
    #[arg(long)]
    json: bool,
}

/// This process, as a lease holder.
pub struct LeaseId {
    pid: u32,
    host: String,
}

impl LeaseId {
    fn this_process() -> LeaseId {
        LeaseId {
            pid: std::process::id(),
            host: hostname(),
        }
    }

    /// Takes or renews the lease; fails naming the other holder.
    pub fn renew(&self, store: &mut Store) -> anyhow::Result<()> {
        let holder =
            store.acquire_lease(LEASE_NAME, self.pid, &self.host, LEASE_TTL_SECS, |h| {
                holder_alive(h, &self.host)
            })?;
        match holder {
            None => Ok(()),
            Some(h) => anyhow::bail!(
                "another `dossier watch` (pid {} on {}, since {}) is polling the store {}; stop it first, or wait for its lease to lapse at {}",
                h.pid,
                h.host,
                h.acquired_at,
                store.dir().display(),
                h.expires_at
            ),
        }
    }
}

/// One line on who is watching the store, for `sources health`.
pub fn describe_watcher(store: &Store) -> anyhow::Result<String> {
    let now = dossier_store::time_after(jiff::Timestamp::now(), 0);
    let host = hostname();
    Ok(match store.lease(LEASE_NAME)? {
        Some(h) if h.expires_at > now && holder_alive(&h, &host) => format!(
            "watcher: `dossier watch` pid {} on {} since {} (lease until {})",
            h.pid, h.host, h.acquired_at, h.expires_at
        ),
        _ => "watcher: none running (start one with `dossier watch`)".to_owned(),
    })
}

/// A holder on this host whose process is gone is not alive; elsewhere (or
/// without /proc) only the expiry tells.
fn holder_alive(h: &LeaseHolder, host: &str) -> bool {
    if h.host != host || !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new(&format!("/proc/{}", h.pid)).exists()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// `dossier watch`
pub fn watch(data: &Path, args: WatchArgs) -> anyhow::Result<ExitCode> {
    let stop = crate::progress::interrupt_flag();
    if matches!(Store::open_read(data), Err(StoreError::Missing(_))) {
        // A watcher may start before the first source is added.
        drop(Store::open_write(data)?);
    }
    let mut store =
        Store::open_read(data).with_context(|| format!("cannot open store {}", data.display()))?;
    let me = LeaseId::this_process();
    me.renew(&mut store)?;
    let result = run(data, &args, &mut store, &me, &stop);
    let released = store.release_lease(LEASE_NAME, me.pid, &me.host);
    let code = result?;
    released?;
    Ok(code)
}

fn run(
    data: &Path,
    args: &WatchArgs,
    store: &mut Store,
    me: &LeaseId,
    stop: &std::sync::Arc<AtomicBool>,
) -> anyhow::Result<ExitCode> {
    let fetcher = args.net.fetcher();
    let config = RoundConfig {
        net: &args.net,
        concurrency: args.concurrency.max(1),
        max_new: args.max_new,
        recheck_days: args.recheck_days.max(0),
        recheck_minutes: args.recheck_minutes.max(0),
        every_minutes: args.every.max(1),
    };
    loop {
        me.renew(store)?;
        let sources = store.sources()?;
        if sources.is_empty() {
            eprintln!("no sources; add one with `dossier sources add FEED_URL`");
            if args.once {
                return Ok(ExitCode::SUCCESS);
            }
        }
        let due = if args.once { sources } else { due_now(sources) };
        if !due.is_empty() {
            match poll::round(data, &due, &config, &fetcher, stop, me) {
                Ok(w) if args.once => return finish_once(&w, args.json),
                Ok(w) => report(&w, args.json, true)?,
                Err(e) if is_store_busy(&e) => {
                    eprintln!("dossier watch: {e:#}; trying again in a minute");
                    nap(store, me, stop, MAX_NAP)?;
                }
                Err(e) => return Err(e),
            }
        }
        if stop.load(Ordering::SeqCst) {
            return Ok(ExitCode::SUCCESS);
        }
        let wait = until_next_due(&store.sources()?);
        nap(store, me, stop, wait)?;
        if stop.load(Ordering::SeqCst) {
            return Ok(ExitCode::SUCCESS);
        }
    }
}

fn due_now(sources: Vec<SourceRow>) -> Vec<SourceRow> {
    let now = dossier_store::time_after(jiff::Timestamp::now(), 0);
    sources
        .into_iter()
        .filter(|s| {
            s.next_poll
                .as_deref()
                .is_none_or(|next| next <= now.as_str())
        })
        .collect()
}

/// Time until the earliest source is due, at most [`MAX_NAP`].
fn until_next_due(sources: &[SourceRow]) -> Duration {
    let now = jiff::Timestamp::now();
    sources
        .iter()
        .map(
            |s| match s.next_poll.as_deref().map(str::parse::<jiff::Timestamp>) {
                Some(Ok(next)) => Duration::try_from(next.duration_since(now)).unwrap_or_default(),
                _ => Duration::ZERO,
            },
        )
        .min()
        .unwrap_or(MAX_NAP)
        .clamp(Duration::from_secs(1), MAX_NAP)
}

/// Sleeps up to `wait`, waking for Ctrl-C and renewing the lease.
fn nap(store: &mut Store, me: &LeaseId, stop: &AtomicBool, wait: Duration) -> anyhow::Result<()> {
    let start = Instant::now();
    let mut renewed = Instant::now();
    while start.elapsed() < wait && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(200).min(wait));
        if renewed.elapsed() >= RENEW_EVERY {
            me.renew(store)?;
            renewed = Instant::now();
        }
    }
    Ok(())
}

fn is_store_busy(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| matches!(c.downcast_ref::<StoreError>(), Some(StoreError::Locked(_))))
}

fn finish_once(w: &RoundSummary, json: bool) -> anyhow::Result<ExitCode> {
    report(w, json, false)?;
    Ok(if w.ingest.interrupted {
        ExitCode::from(130)
    } else if w.sources > 0 && w.feed_errors == w.sources {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn report(w: &RoundSummary, json: bool, stamped: bool) -> anyhow::Result<()> {
    if json {
        if stamped {
            println!("{}", serde_json::to_string(w)?);
            return Ok(());
        }
        return crate::print_json(w);
    }
    let stamp = if stamped {
        format!(
            "[{}] ",
            dossier_store::time_after(jiff::Timestamp::now(), 0)
        )
    } else {
        String::new()
    };
    eprintln!(
        "{stamp}polled {} source(s): {} feed(s) fetched, {} not modified, {} failed; {} item(s), {} already known, {} deferred; {} page(s) fetched, {} not modified, {} failed, {} re-checked; {} new article(s), {} seen before, {} revised, {} not articles",
        w.sources,
        w.feeds_fetched,
        w.feeds_not_modified,
        w.feed_errors,
        w.items,
        w.items_known,
        w.items_deferred,
        w.pages_fetched,
        w.pages_not_modified,
        w.page_errors,
        w.rechecked,
        w.articles_new,
        w.articles_seen,
        w.articles_revised,
        w.not_articles
    );
    Ok(())
}
