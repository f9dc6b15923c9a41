//! Publication-date accuracy of plain-text extraction on Timeline17.
//!
//! ```sh
//! cargo run --release -p dossier-eval --bin metadata [-- --data ../shared/data/timeline17]
//! ```
//! Timeline17 files its scraped articles under `InputDocs/<publication date>/`;
//! that folder date is the gold. The texts are scraped pages, one sentence per
//! line; where a date survives in the text ("Tuesday , September 16 , 2008 ;
//! 4:30 PM ...") extraction should find it, and it must never invent one.
//! Printed: coverage (share of documents given a date), accuracy of the
//! dates given (same calendar day as the gold), and wrong dates.

use std::path::{Path, PathBuf};

use anyhow::Context;
use dossier_extract::default_extractor;

fn parse_args() -> PathBuf {
    let mut args = std::env::args().skip(1);
    let mut data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/timeline17");
    while let Some(a) = args.next() {
        if a == "--data" {
            if let Some(d) = args.next() {
                data = d.into();
            }
        }
    }
    data
}

/// (gold day, file) for every `InputDocs/<YYYY-MM-DD>/*.txt` under `root`.
fn documents(root: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for topic in std::fs::read_dir(root)? {
        let docs = topic?.path().join("InputDocs");
        let Ok(days) = std::fs::read_dir(&docs) else {
            continue;
        };
        for day in days {
            let day = day?.path();
            let gold = day
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            for file in std::fs::read_dir(&day)? {
                let file = file?.path();
                if file.extension().is_some_and(|e| e == "txt") {
                    out.push((gold.clone(), file));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    let root = parse_args();
    if !root.is_dir() {
        eprintln!("skipping: {} is absent on this machine", root.display());
        return Ok(());
    }
    let docs = documents(&root).with_context(|| format!("reading {}", root.display()))?;
    let extractor = default_extractor();
    let (mut dated, mut right, mut near, mut by_method) =
        (0usize, 0usize, 0usize, std::collections::BTreeMap::new());
    let mut wrong_examples = Vec::new();
    let started = std::time::Instant::now();
    for (gold, path) in &docs {
        let bytes = std::fs::read(path)?;
        let text = String::from_utf8_lossy(&bytes);
        let e = extractor.extract_text(&text, true);
        let Some(date) = e.published else { continue };
        dated += 1;
        let ok = date.value.get(..10) == Some(gold.as_str());
        if days_apart(&date.value, gold).is_some_and(|d| d <= 1) {
            near += 1;
        }
        let entry = by_method
            .entry(date.method.as_str())
            .or_insert((0usize, 0usize));
        entry.0 += 1;
        if ok {
            right += 1;
            entry.1 += 1;
        } else if wrong_examples.len() < 5 {
            wrong_examples.push(format!(
                "{}: gold {gold}, got {}",
                path.display(),
                date.value
            ));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let n = docs.len().max(1) as f64;
    println!("documents:  {}", docs.len());
    println!(
        "coverage:   {dated} dated ({:.1}%)",
        100.0 * dated as f64 / n
    );
    println!(
        "accuracy:   {right}/{dated} dates on the gold day ({:.1}%)",
        100.0 * right as f64 / dated.max(1) as f64
    );
    println!(
        "within 1 day: {near}/{dated} ({:.1}%; a UTC instant can fall on the next local day)",
        100.0 * near as f64 / dated.max(1) as f64
    );
    for (method, (given, ok)) in &by_method {
        println!("  {method:12} {ok}/{given} right");
    }
    for w in &wrong_examples {
        println!("  wrong: {w}");
    }
    println!(
        "speed:      {:.0} documents/s",
        docs.len() as f64 / secs.max(1e-9)
    );
    Ok(())
}

fn days_apart(value: &str, gold: &str) -> Option<i64> {
    let a: jiff::civil::Date = value.get(..10)?.parse().ok()?;
    let b: jiff::civil::Date = gold.parse().ok()?;
    let span = a.until(b).ok()?;
    Some(i64::from(span.get_days()).abs())
}
