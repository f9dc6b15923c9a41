//! Online story clustering on the UCI News Aggregator headlines (grouped
//! into Google News stories): headlines are processed in timestamp order
//! through `dossier_link::stories::StoryClusterer`, and the result is scored
//! with BCubed and pairwise precision, recall and F1
//! (`dossier_eval::clustering`). Stories are split by id into fixed
//! dev/test halves; the threshold is tuned on dev and reported on test.
//!
//! Usage: cargo run --release -p dossier-eval --bin clustering -- [DIR] [MAX_ROWS]
//! (DIR holds `newsCorpora.csv`: ID, TITLE, URL, PUBLISHER, CATEGORY, STORY,
//! HOSTNAME, TIMESTAMP in ms, tab-separated.)

use std::time::Instant;

use dossier_eval::clustering::{bcubed, pair_counts};
use dossier_eval::split::Split;
use dossier_link::similarity::Features;
use dossier_link::stories::StoryClusterer;

struct Headline {
    title: String,
    story: String,
    day: i64,
    ts: i64,
}

fn load(dir: &std::path::Path, max: usize) -> anyhow::Result<Vec<Headline>> {
    let path = dir.join("newsCorpora.csv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 8 {
            continue;
        }
        let Ok(ts) = f[7].trim().parse::<i64>() else {
            continue;
        };
        out.push(Headline {
            title: f[1].to_owned(),
            story: f[5].to_owned(),
            day: ts / 86_400_000,
            ts,
        });
        if out.len() >= max {
            break;
        }
    }
    out.sort_by_key(|h| h.ts);
    Ok(out)
}

fn run(items: &[&Headline], threshold: f64) -> (Vec<(u64, String)>, f64) {
    let started = Instant::now();
    let mut c = StoryClusterer::new(threshold);
    let labels = items
        .iter()
        .map(|h| {
            let a = c.assign(&Features::new(&h.title, "", None, Some(h.day)));
            (a.story, h.story.clone())
        })
        .collect();
    (labels, started.elapsed().as_secs_f64())
}

fn report(name: &str, items: &[&Headline], threshold: f64) {
    let (labels, secs) = run(items, threshold);
    let b = bcubed(&labels);
    let c = pair_counts(&labels);
    let p = c.prf();
    println!(
        "{name:<5} n={:>7} t={threshold:.2} | BCubed P {:.4} R {:.4} F1 {:.4} | pairwise P {:.4} R {:.4} F1 {:.4} (pairs pred {} gold {} both {}) | {:.0} articles/s",
        items.len(), b.precision, b.recall, b.f1, p.precision, p.recall, p.f1,
        c.predicted, c.gold, c.both, items.len() as f64 / secs.max(1e-9)
    );
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/data/clustering/uci-news-aggregator".to_owned());
    let max: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let all = load(std::path::Path::new(&dir), max)?;
    let dev: Vec<&Headline> = all
        .iter()
        .filter(|h| Split::of(&h.story) == Split::Dev)
        .collect();
    let test: Vec<&Headline> = all
        .iter()
        .filter(|h| Split::of(&h.story) == Split::Test)
        .collect();
    let mut best = (f64::MIN, 0.5);
    for t in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8] {
        let (labels, _) = run(&dev, t);
        let f1 = bcubed(&labels).f1;
        println!("dev   t={t:.2} BCubed F1 {f1:.4}");
        if f1 > best.0 {
            best = (f1, t);
        }
    }
    report("dev", &dev, best.1);
    report("test", &test, best.1);
    Ok(())
}
