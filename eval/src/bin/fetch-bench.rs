//! Fetching speed and memory against HTTP servers on loopback.
//!
//! ```sh
//! cargo build --release -p dossier-cli
//! cargo run --release -p dossier-eval --bin fetch-bench -- [--hosts 8] [--pages 500] [--concurrency 4]
//! ```
//! Starts `--hosts` loopback servers (each its own host:port, so per-host
//! politeness applies to each), every one serving an RSS feed of `--pages`
//! generated articles (about 450 words each, distinct texts). Then:
//!
//! 1. the fetcher alone (`dossier_fetch::Fetcher` clones on `--concurrency`
//!    threads, no delay) GETs every page: pages/s of the HTTP layer;
//! 2. the real binary, `dossier watch --once`, follows every feed into a
//!    fresh store with `--host-delay-ms 0`: pages/s end to end (fetch,
//!    extraction, every analysis layer, store, index), with its resident
//!    memory sampled from `/proc/PID/status` through the run;
//! 3. the same store is polled again: every feed answers from its ETag and
//!    no page is fetched, which shows the steady-state cost of a poll.
//!
//! Absolute times on shared machines are noise; the ratios between the
//! three runs and the memory profile are what to read.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use dossier_core::SplitMix64;
use dossier_fetch::testing::{self, Canned};
use dossier_fetch::{Conditional, FetchConfig, Fetcher};

struct Args {
    hosts: usize,
    pages: usize,
    concurrency: usize,
    dossier: PathBuf,
}

fn parse_args() -> anyhow::Result<Args> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut args = Args {
        hosts: 8,
        pages: 500,
        concurrency: 4,
        dossier: root.join("target/release/dossier"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--hosts" => args.hosts = value()?.parse()?,
            "--pages" => args.pages = value()?.parse()?,
            "--concurrency" => args.concurrency = value()?.parse()?,
            "--dossier" => args.dossier = value()?.into(),
            other => bail!("unknown argument {other:?}"),
        }
    }
    Ok(args)
}

const WORDS: &[&str] = &[
    "minister",
    "council",
    "harbour",
    "budget",
    "election",
    "river",
    "bridge",
    "court",
    "company",
    "workers",
    "strike",
    "prices",
    "energy",
    "talks",
    "border",
    "police",
    "report",
    "officials",
    "said",
    "on",
    "Monday",
    "after",
    "the",
    "a",
    "of",
    "in",
    "to",
    "new",
    "plan",
    "city",
    "region",
    "government",
    "parliament",
    "vote",
    "agreement",
    "exports",
    "grain",
    "rail",
    "port",
    "storm",
    "floods",
    "school",
    "hospital",
    "doctors",
    "farmers",
    "bank",
    "rates",
    "inflation",
    "percent",
    "million",
    "week",
    "year",
];

/// A generated article page: six paragraphs of ~75 words, distinct per seed.
fn article(host: usize, page: usize) -> Vec<u8> {
    let mut rng = SplitMix64::new((host as u64) << 32 | page as u64);
    let mut paragraphs = String::new();
    for _ in 0..6 {
        let words: Vec<&str> = (0..75)
            .map(|_| WORDS[rng.next_u64() as usize % WORDS.len()])
            .collect();
        paragraphs.push_str(&format!("<p>{}.</p>", words.join(" ")));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><title>Report {host}-{page}</title>\
         <meta property=\"article:published_time\" content=\"2024-03-01T10:00:00Z\"></head>\
         <body><nav><a href=\"/\">Home</a></nav><article><h1>Report {host}-{page}</h1>\
         {paragraphs}</article><footer>Loopback Times</footer></body></html>"
    )
    .into_bytes()
}

fn feed(base: &str, pages: usize) -> Vec<u8> {
    let items: String = (0..pages)
        .map(|i| format!("<item><title>Report {i}</title><link>{base}/a/{i}</link></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loopback Times</title>{items}</channel></rss>"
    )
    .into_bytes()
}

/// Starts one loopback server per host; returns their base URLs.
fn servers(hosts: usize, pages: usize) -> Vec<String> {
    (0..hosts)
        .map(|h| {
            let (base, _) = testing::serve(move |r| {
                let ok = |body: Vec<u8>, ctype: &str| Canned {
                    status: "200 OK",
                    headers: vec![
                        ("Content-Type".into(), ctype.into()),
                        ("ETag".into(), "\"v1\"".into()),
                    ],
                    body,
                };
                let not_modified = r
                    .headers
                    .iter()
                    .any(|(k, v)| k == "if-none-match" && v == "\"v1\"");
                match r.path {
                    _ if not_modified => Canned {
                        status: "304 Not Modified",
                        headers: vec![],
                        body: vec![],
                    },
                    "/feed.xml" => ok(feed(r.base, pages), "application/rss+xml"),
                    p => match p.strip_prefix("/a/").and_then(|n| n.parse().ok()) {
                        Some(n) => ok(article(h, n), "text/html; charset=utf-8"),
                        None => Canned {
                            status: "404 Not Found",
                            headers: vec![],
                            body: vec![],
                        },
                    },
                }
            });
            base
        })
        .collect()
}

fn fetcher_only(bases: &[String], pages: usize, threads: usize) -> (usize, f64) {
    let fetcher = Fetcher::new(FetchConfig {
        host_delay: Duration::ZERO,
        ..FetchConfig::default()
    });
    let urls: Vec<String> = bases
        .iter()
        .flat_map(|b| (0..pages).map(move |i| format!("{b}/a/{i}")))
        .collect();
    let urls = Arc::new(urls);
    let start = Instant::now();
    let handles: Vec<_> = (0..threads.max(1))
        .map(|t| {
            let (fetcher, urls) = (fetcher.clone(), urls.clone());
            std::thread::spawn(move || {
                urls.iter()
                    .skip(t)
                    .step_by(threads.max(1))
                    .filter(|u| fetcher.get(u, &Conditional::default()).is_ok())
                    .count()
            })
        })
        .collect();
    let ok = handles.into_iter().map(|h| h.join().unwrap_or(0)).sum();
    (ok, start.elapsed().as_secs_f64())
}

/// Resident memory of a live process, in KiB.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Watched {
    summary: serde_json::Value,
    seconds: f64,
    samples: Vec<(f64, u64)>,
}

fn watch_once(args: &Args, data: &Path) -> anyhow::Result<Watched> {
    let mut child = Command::new(&args.dossier)
        .arg("--data")
        .arg(data)
        .args([
            "watch",
            "--once",
            "--json",
            "--host-delay-ms",
            "0",
            "--max-new",
            "1000000",
        ])
        .args(["--concurrency", &args.concurrency.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("starting dossier watch")?;
    let start = Instant::now();
    let mut samples = Vec::new();
    while child.try_wait()?.is_none() {
        if let Some(kb) = rss_kb(child.id()) {
            samples.push((start.elapsed().as_secs_f64(), kb));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let out = child.wait_with_output()?;
    let seconds = start.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!("dossier watch failed: {:?}", out.status);
    }
    Ok(Watched {
        summary: serde_json::from_slice(&out.stdout)?,
        seconds,
        samples,
    })
}

fn print_memory(samples: &[(f64, u64)]) {
    if samples.is_empty() {
        println!("  memory: no samples (run too short)");
        return;
    }
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    let peak = samples.iter().map(|s| s.1).max().unwrap_or(0);
    let line: Vec<String> = [0.1, 0.25, 0.5, 0.75, 1.0]
        .iter()
        .map(|q| {
            let (t, kb) = at(*q);
            format!("{:.0}s {:.0} MB", t, kb as f64 / 1024.0)
        })
        .collect();
    println!(
        "  resident memory over the run: {} (peak {:.0} MB, {} samples)",
        line.join(" · "),
        peak as f64 / 1024.0,
        samples.len()
    );
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    if !args.dossier.is_file() {
        bail!(
            "{} not found: run `cargo build --release -p dossier-cli` first",
            args.dossier.display()
        );
    }
    let bases = servers(args.hosts, args.pages);
    let total = args.hosts * args.pages;
    println!(
        "fetch-bench: {} loopback host(s) × {} page(s) = {total} pages, concurrency {}",
        args.hosts, args.pages, args.concurrency
    );

    let (ok, secs) = fetcher_only(&bases, args.pages, args.concurrency);
    let fetch_rate = ok as f64 / secs;
    println!("fetcher only: {ok}/{total} pages in {secs:.1} s = {fetch_rate:.0} pages/s");

    let dir = tempfile::tempdir()?;
    let data = dir.path().join("store");
    for base in &bases {
        let status = Command::new(&args.dossier)
            .arg("--data")
            .arg(&data)
            .args(["sources", "add", &format!("{base}/feed.xml")])
            .stderr(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("dossier sources add {base}/feed.xml failed");
        }
    }
    let first = watch_once(&args, &data)?;
    let pages = first.summary["pages_fetched"].as_u64().unwrap_or(0);
    let watch_rate = pages as f64 / first.seconds;
    println!(
        "watch --once (fetch + pipeline + store): {pages} pages, {} new articles in {:.1} s = {watch_rate:.1} pages/s ({:.2}× the fetcher alone)",
        first.summary["articles_new"], first.seconds, watch_rate / fetch_rate
    );
    print_memory(&first.samples);

    let again = watch_once(&args, &data)?;
    println!(
        "second poll: {} feed(s) not modified, {} page(s) fetched, in {:.2} s",
        again.summary["feeds_not_modified"], again.summary["pages_fetched"], again.seconds
    );
    Ok(())
}
