//! Story assignment cost as the store grows: the time to assign one new
//! article to a story at 10,000 and at 100,000 articles.
//!
//! ```sh
//! cargo run --release -p dossier-eval --bin story-cost -- [--articles 100000] [--source FILE.jsonl]
//! ```
//! The corpus is synthesised from real articles (default: the bundled
//! English Wikinews demo corpus, `demo/corpus/wikinews-en.jsonl`) by
//! perturbing them: each copy drops about a fifth of its sentences, swaps
//! about one word in twenty for another word of the corpus, and is moved
//! forward in time so the synthetic stream spans years the way a real
//! archive does (about 90 articles a day). Articles go through
//! `dossier_link::stories::StoryClusterer` in time order, exactly as ingest
//! feeds it (features from title, text and capitalised-word entities); the
//! harness prints the mean and 99th percentile microseconds per assignment
//! over the thousand articles before each checkpoint, the candidates
//! scored, the stories held and the process's resident memory.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use dossier_core::SplitMix64;
use dossier_link::similarity::Features;
use dossier_link::stories::StoryClusterer;

struct Source {
    title: String,
    sentences: Vec<String>,
    day: i64,
}

fn load(path: &Path) -> anyhow::Result<Vec<Source>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let (Some(title), Some(body)) = (v["title"].as_str(), v["text"].as_str()) else {
            continue;
        };
        let day = v["published"].as_str().and_then(day_number).unwrap_or(0);
        let sentences = body
            .split_inclusive(['.', '!', '?'])
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        out.push(Source {
            title: title.to_owned(),
            sentences,
            day,
        });
    }
    out.sort_by_key(|s| s.day);
    Ok(out)
}

fn day_number(value: &str) -> Option<i64> {
    let date: jiff::civil::Date = value.get(..10)?.parse().ok()?;
    Some(i64::from((date - jiff::civil::date(1970, 1, 1)).get_days()))
}

/// Capitalised words not at a sentence start: the stand-in for the entity
/// layer that ingest would pass.
fn entities(sentences: &[&String]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sentences {
        for w in s.split_whitespace().skip(1) {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.len() > 2 && w.chars().next().is_some_and(char::is_uppercase) {
                out.push(w.to_owned());
            }
        }
    }
    out
}

/// The `n`-th synthetic article: a perturbed copy of source `n % len`,
/// moved forward by whole passes over the corpus.
fn synthesise(sources: &[Source], vocab: &[&str], n: usize, per_day: usize) -> Features {
    let src = &sources[n % sources.len()];
    let mut rng = SplitMix64::new(n as u64 + 1);
    let kept: Vec<&String> = src
        .sentences
        .iter()
        .filter(|_| !rng.next_u64().is_multiple_of(5))
        .collect();
    let mut text = String::new();
    for s in &kept {
        for w in s.split_whitespace() {
            let word = if rng.next_u64().is_multiple_of(20) {
                vocab[rng.next_u64() as usize % vocab.len()]
            } else {
                w
            };
            text.push_str(word);
            text.push(' ');
        }
    }
    let day = 12_000 + (n / per_day) as i64 + (src.day % 7);
    let ents = entities(&kept);
    Features::new(&src.title, &text, Some(ents.as_slice()), Some(day))
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut source = root.join("demo/corpus/wikinews-en.jsonl");
    let mut total = 100_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--articles" => total = args.next().context("--articles N")?.parse()?,
            "--source" => source = PathBuf::from(args.next().context("--source FILE")?),
            other => anyhow::bail!("unknown argument {other:?}"),
        }
    }
    let sources = load(&source)?;
    anyhow::ensure!(!sources.is_empty(), "{}: no articles", source.display());
    let joined: String = sources
        .iter()
        .flat_map(|s| s.sentences.iter())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let vocab: Vec<&str> = joined.split_whitespace().collect();
    println!(
        "story-cost: {total} synthetic articles from {} real ones ({}), ~90 a day",
        sources.len(),
        source.display()
    );
    let mut clusterer = StoryClusterer::default();
    let checkpoints: Vec<usize> = [1_000, 10_000, 50_000, 100_000, 200_000]
        .into_iter()
        .filter(|c| *c <= total)
        .collect();
    let mut window: Vec<f64> = Vec::with_capacity(1000);
    let mut candidates = 0usize;
    for n in 0..total {
        let f = synthesise(&sources, &vocab, n, 90);
        let before = checkpoints.iter().any(|c| n + 1000 >= *c && n < *c);
        if before {
            candidates += clusterer.candidates(&f).len();
        }
        let t = Instant::now();
        clusterer.assign(&f);
        let micros = t.elapsed().as_secs_f64() * 1e6;
        if before {
            window.push(micros);
        }
        if checkpoints.contains(&(n + 1)) {
            window.sort_by(f64::total_cmp);
            let mean = window.iter().sum::<f64>() / window.len().max(1) as f64;
            let p99 = window[(window.len() * 99 / 100).min(window.len() - 1)];
            println!(
                "at {:>7} articles: {:7.1} µs mean, {:7.1} µs p99 per assignment (last 1,000); {:5.1} candidates scored; {:>6} stories held; RSS {:.0} MB",
                n + 1,
                mean,
                p99,
                candidates as f64 / window.len().max(1) as f64,
                clusterer.len(),
                rss_mb()
            );
            window.clear();
            candidates = 0;
        }
    }
    Ok(())
}
