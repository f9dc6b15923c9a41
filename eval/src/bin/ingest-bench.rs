//! Ingest throughput, peak memory and search latency, measured on the real
//! `dossier` binary over a folder of articles.
//!
//! ```sh
//! cargo build --release -p dossier-cli
//! cargo run --release -p dossier-eval --bin ingest-bench -- [DIR...] [--queries N]
//! ```
//! DIR defaults to `../shared/data/corpora/telegram-dcc-2019-11`. Ingest runs
//! as a child process so its peak resident memory can be read from
//! `getrusage(RUSAGE_CHILDREN)`; search latency is measured in-process over
//! the resulting store with queries made of words from stored titles.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use dossier_store::{ListFilter, SearchFilter, Store};

struct Args {
    dirs: Vec<PathBuf>,
    queries: usize,
    dossier: PathBuf,
}

fn parse_args() -> anyhow::Result<Args> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut args = Args {
        dirs: Vec::new(),
        queries: 500,
        dossier: root.join("target/release/dossier"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--queries" => args.queries = it.next().context("--queries N")?.parse()?,
            "--dossier" => args.dossier = it.next().context("--dossier PATH")?.into(),
            _ => args.dirs.push(a.into()),
        }
    }
    if args.dirs.is_empty() {
        args.dirs
            .push(root.join("../shared/data/corpora/telegram-dcc-2019-11"));
    }
    Ok(args)
}

fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    for dir in &args.dirs {
        if !dir.exists() {
            eprintln!("skipping: {} is absent on this machine", dir.display());
            return Ok(());
        }
    }
    if !args.dossier.is_file() {
        bail!(
            "{} not found: run `cargo build --release -p dossier-cli` first",
            args.dossier.display()
        );
    }
    let store = tempfile::tempdir()?;
    let data = store.path().join("store");
    let summary = ingest(&args, &data)?;
    let peak_mb = peak_child_rss_kb() as f64 / 1024.0;
    let docs = summary["documents"].as_f64().unwrap_or(0.0);
    let bytes = summary["bytes"].as_f64().unwrap_or(0.0);
    let secs = summary["wall"].as_f64().unwrap_or(1.0);
    println!(
        "input:        {}",
        args.dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "ingest:       {} documents ({} new, {} problems), {:.1} MB in {:.2} s",
        docs,
        summary["new"],
        summary["problems"],
        bytes / 1_048_576.0,
        secs
    );
    println!(
        "throughput:   {:.1} articles/s, {:.2} MB/s",
        docs / secs,
        bytes / 1_048_576.0 / secs
    );
    println!("peak memory:  {peak_mb:.0} MB resident (ingest process)");
    search_latency(&data, args.queries)
}

/// Runs `dossier ingest --json` and returns its summary plus wall time.
fn ingest(args: &Args, data: &Path) -> anyhow::Result<serde_json::Value> {
    let started = Instant::now();
    let out = Command::new(&args.dossier)
        .arg("--data")
        .arg(data)
        .arg("ingest")
        .args(&args.dirs)
        .arg("--json")
        .output()
        .context("running dossier")?;
    let wall = started.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!(
            "dossier ingest failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut summary: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    summary["wall"] = wall.into();
    Ok(summary)
}

fn peak_child_rss_kb() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) == 0 {
            usage.ru_maxrss
        } else {
            0
        }
    }
}

/// Queries of one and two words taken from stored titles, so they hit.
fn queries(store: &Store, n: usize) -> anyhow::Result<Vec<String>> {
    let rows = store.list(&ListFilter {
        limit: n.max(1),
        ..Default::default()
    })?;
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let words: Vec<&str> = row
            .title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 3)
            .collect();
        match (words.first(), words.get(1)) {
            (Some(a), Some(b)) if i % 2 == 0 => out.push(format!("{a} {b}")),
            (Some(a), _) => out.push((*a).to_owned()),
            _ => {}
        }
    }
    Ok(out)
}

fn search_latency(data: &Path, n: usize) -> anyhow::Result<()> {
    let store = Store::open_read(data)?;
    let queries = queries(&store, n)?;
    let filter = SearchFilter {
        limit: 20,
        ..Default::default()
    };
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for q in &queries {
        let started = Instant::now();
        hits += store.search(q, &filter)?.len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    if times.is_empty() {
        println!("search:       no queries (empty store)");
        return Ok(());
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "search:       {} queries (top 20, with snippets), median {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.1} hits/query",
        times.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        hits as f64 / times.len() as f64
    );
    Ok(())
}
