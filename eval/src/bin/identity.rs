//! Cross-document entity identity: pairwise merge precision and recall on a
//! hand-made gold set (`eval/data/identity-gold.jsonl`).
//!
//! ```sh
//! cargo run --release -p dossier-eval --bin identity [-- FILE] [--verbose]
//! ```
//! Each line is one article with one target mention: `entity` (the gold
//! id), `label`, `mention` (the name as written), `with` (other entities
//! named in the same article, the context) and `text` (words of the article,
//! for topic words). Lines are resolved in file order by
//! `dossier_link::identity::Resolver`, as ingest does. A pair of target
//! mentions is a predicted merge when both got the same entity id; it is
//! right when their gold ids agree. Gold-set variants that must merge:
//! transliterations (Cyrillic and Latin), hyphenation, titles, typos with
//! context, acronyms; look-alikes that must not: people sharing a surname,
//! similar organisation and place names, a typo without context.

use std::collections::HashMap;

use dossier_link::identity::{Mention, Resolver};
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    entity: String,
    label: String,
    mention: String,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    text: String,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/identity-gold.jsonl").to_owned()
        });
    let text = std::fs::read_to_string(&path)?;
    let lines: Vec<Line> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let mut resolver = Resolver::new(1);
    let mut got: Vec<(i64, String)> = Vec::new();
    for l in &lines {
        let mut mentions = vec![Mention {
            text: l.mention.clone(),
            label: l.label.clone(),
        }];
        // Context mentions: labelled as the harness cannot know; LOC/ORG
        // guesses do not matter for the target's resolution.
        for w in &l.with {
            mentions.push(Mention {
                text: w.clone(),
                label: "CTX".into(),
            });
        }
        let out = resolver.resolve_article(&mentions, &l.text);
        let r = out.mentions[0].clone().expect("target mention resolves");
        got.push((r.entity, r.explanation));
    }
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            let gold = lines[i].entity == lines[j].entity;
            let pred = got[i].0 == got[j].0;
            match (gold, pred) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    println!(
                        "WRONG MERGE  {:?} ~ {:?}: {}",
                        lines[i].mention, lines[j].mention, got[j].1
                    );
                }
                (true, false) => {
                    fn_ += 1;
                    if verbose {
                        println!(
                            "MISSED       {:?} ~ {:?}",
                            lines[i].mention, lines[j].mention
                        );
                    }
                }
                (false, false) => {}
            }
        }
    }
    if verbose {
        for (l, (id, why)) in lines.iter().zip(&got) {
            println!("{id:>4}  {:<36} {why}", l.mention);
        }
    }
    let entities: HashMap<&str, ()> = lines.iter().map(|l| (l.entity.as_str(), ())).collect();
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!(
        "identity gold: {} mentions, {} gold entities; pairwise merges: precision {p:.3} recall {r:.3} F1 {f:.3} (tp {tp}, fp {fp}, fn {fn_})",
        lines.len(),
        entities.len()
    );
    Ok(())
}
