//! Commentary detection against the project's own small gold set.
//!
//! ```sh
//! cargo run --release -p dossier-eval --bin commentary
//! ```
//! `eval/data/commentary-gold.jsonl` (written for this project, 30 short
//! news passages: explicit markers, analysis sections, the writer's own
//! voice, and reported opinion that is *not* commentary) lists each passage's
//! commentary spans as exact substrings. A predicted span matches a gold span
//! when they overlap by at least half of the shorter one; each gold span
//! matches at most once. Printed: span precision, recall and F1.

use std::path::Path;

use anyhow::Context;

#[derive(serde::Deserialize)]
struct Gold {
    text: String,
    commentary: Vec<String>,
}

/// Character ranges of each gold substring within the text.
fn gold_ranges(g: &Gold) -> anyhow::Result<Vec<(usize, usize)>> {
    g.commentary
        .iter()
        .map(|c| {
            let at = g
                .text
                .find(c.as_str())
                .with_context(|| format!("{c:?} not in its text"))?;
            let start = g.text[..at].chars().count();
            Ok((start, start + c.chars().count()))
        })
        .collect()
}

fn matches(a: (usize, usize), b: (usize, usize)) -> bool {
    let overlap = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let shorter = (a.1 - a.0).min(b.1 - b.0).max(1);
    overlap * 2 >= shorter
}

fn main() -> anyhow::Result<()> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/commentary-gold.jsonl");
    let data =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let (mut tp, mut predicted, mut gold_total) = (0usize, 0usize, 0usize);
    for (i, line) in data.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let g: Gold = serde_json::from_str(line).with_context(|| format!("line {}", i + 1))?;
        let gold = gold_ranges(&g)?;
        let found: Vec<(usize, usize)> = dossier_nlp::commentary_layer(&g.text)
            .spans
            .iter()
            .map(|s| (s.start, s.end))
            .collect();
        let mut used = vec![false; gold.len()];
        for p in &found {
            if let Some(j) = (0..gold.len()).find(|&j| !used[j] && matches(*p, gold[j])) {
                used[j] = true;
                tp += 1;
            }
        }
        predicted += found.len();
        gold_total += gold.len();
    }
    let p = tp as f64 / predicted.max(1) as f64;
    let r = tp as f64 / gold_total.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!("commentary spans: gold {gold_total}, predicted {predicted}, matched {tp}");
    println!("precision {p:.3}  recall {r:.3}  F1 {f:.3}");
    Ok(())
}
