//! Quote and reported-speech attribution on PolNeAR v1.0.0
//! (`../shared/data/quotes/polnear`, Newell, Margolin & Ruths, LREC 2018),
//! with documents/s.
//!
//! `cargo run --release -p dossier-eval --bin quotes [-- --split train|dev] [--errors N]
//! [--missed-cue CUE]` (`--errors` prints train false positives and missed
//! quoted attributions, or missed ones with that gold cue, and a tally of the
//! cues of missed attributions).
//!
//! Scoring (PolNeAR ships no scorer; this follows the role-wise strict/soft
//! evaluation used for PARC3 and PolNeAR agreement, as far as it can be
//! reconstructed from the data):
//!
//! - Gold: each `E` event of the document's first `.ann` file (sorted by
//!   annotator suffix; a few documents have several annotators) is one
//!   attribution with role spans `Source*`, `Cue*`, `Content*` (brat
//!   character offsets, discontinuous parts joined). Events with no content
//!   are skipped. `Discuss`/`Discard` spans are ignored.
//! - Prediction: each span of the `quotes` layer is one attribution: content
//!   `start..end`, source `speaker_start..speaker_end`, cue `cue_start..cue_end`.
//! - Spans are compared as sets of tokens (maximal runs of letters and
//!   digits), so whitespace, punctuation and quotation marks at the edges do
//!   not count (PolNeAR contents include the quotation marks; ours exclude
//!   them).
//! - Attributions are aligned one-to-one, greedily by largest content token
//!   overlap (only pairs that overlap). The aligned pairs define, per role:
//!   - strict: the pair's role token sets are identical;
//!   - soft: the pair's role token sets overlap;
//!   - token: proportional credit, |overlap tokens| over all predicted
//!     (precision) / gold (recall) tokens of that role.
//!
//!   Precision counts over predicted attributions that have that role,
//!   recall over gold attributions that have it. "Attribution F1" is content
//!   soft F1 (the attribution was found at all).
//! - Gold attributions are also split by whether their content holds a
//!   quotation mark (direct/mixed) or not (indirect), for recall by kind.
//!
//! Development was on train; dev is reported. The test split is not in the
//! shared copy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

/// Token-id sets of one attribution's roles.
#[derive(Debug, Default, Clone)]
struct Attr {
    content: Vec<u32>,
    source: Vec<u32>,
    cue: Vec<u32>,
    quoted: bool,
    /// The cue's text, lower-cased (gold only; for the error summary).
    cue_text: String,
    /// Content character range (first start, last end) for printing.
    span: (usize, usize),
}

struct Doc {
    name: String,
    text: String,
    gold: Vec<Attr>,
}

fn shared_root() -> Option<PathBuf> {
    [
        PathBuf::from("../shared/data/quotes/polnear"),
        PathBuf::from("../../shared/data/quotes/polnear"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/quotes/polnear"),
    ]
    .into_iter()
    .find(|p| p.join("train").is_dir())
}

/// Token id of each character (u32::MAX outside tokens).
fn char_tokens(text: &str) -> Vec<u32> {
    let mut out = Vec::with_capacity(text.len());
    let mut id = 0u32;
    let mut in_tok = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if !in_tok {
                in_tok = true;
                id += 1;
            }
            out.push(id);
        } else {
            in_tok = false;
            out.push(u32::MAX);
        }
    }
    out
}

fn tokens_of(map: &[u32], ranges: &[(usize, usize)]) -> Vec<u32> {
    let mut t: Vec<u32> = ranges
        .iter()
        .flat_map(|&(s, e)| map.get(s.min(map.len())..e.min(map.len())).unwrap_or(&[]))
        .copied()
        .filter(|&t| t != u32::MAX)
        .collect();
    t.sort_unstable();
    t.dedup();
    t
}

fn inter(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn parse_ann(ann: &str, text: &str, map: &[u32]) -> Vec<Attr> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for line in ann.lines() {
        let mut parts = line.split('\t');
        let (Some(id), Some(head)) = (parts.next(), parts.next()) else {
            continue;
        };
        if !id.starts_with('T') {
            continue;
        }
        let Some((_, ranges)) = head.split_once(' ') else {
            continue;
        };
        let rs = ranges
            .split(';')
            .filter_map(|r| {
                let mut it = r.split_whitespace();
                Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
            })
            .collect();
        spans.insert(id, rs);
    }
    let mut out = Vec::new();
    for line in ann.lines() {
        let mut parts = line.split('\t');
        let (Some(id), Some(args)) = (parts.next(), parts.next()) else {
            continue;
        };
        if !id.starts_with('E') {
            continue;
        }
        let mut content = Vec::new();
        let mut source = Vec::new();
        let mut cue = Vec::new();
        for arg in args.split_whitespace() {
            let Some((role, t)) = arg.split_once(':') else {
                continue;
            };
            let rs = spans.get(t).cloned().unwrap_or_default();
            if role.starts_with("Content") {
                content.extend(rs);
            } else if role.starts_with("Source") {
                source.extend(rs);
            } else if role.starts_with("Cue") {
                cue.extend(rs);
            }
        }
        if content.is_empty() {
            continue;
        }
        let quoted = content.iter().any(|&(s, e)| {
            chars
                .get(s.min(chars.len())..e.min(chars.len()))
                .unwrap_or(&[])
                .iter()
                .any(|c| matches!(c, '“' | '”' | '"' | '«' | '»' | '„'))
        });
        let span = (
            content.iter().map(|r| r.0).min().unwrap_or(0),
            content.iter().map(|r| r.1).max().unwrap_or(0),
        );
        let cue_text = cue
            .iter()
            .map(|&(s, e)| {
                chars
                    .get(s.min(chars.len())..e.min(chars.len()))
                    .unwrap_or(&[])
                    .iter()
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        out.push(Attr {
            cue_text,
            content: tokens_of(map, &content),
            source: tokens_of(map, &source),
            cue: tokens_of(map, &cue),
            quoted,
            span,
        });
    }
    out.retain(|a| !a.content.is_empty());
    out
}

fn load(root: &Path, split: &str) -> Result<Vec<Doc>> {
    let dir = root.join(split);
    let mut anns: Vec<String> = std::fs::read_dir(dir.join("attributions"))
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    anns.sort();
    let mut docs = Vec::new();
    let mut texts: Vec<String> = std::fs::read_dir(dir.join("text"))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    texts.sort();
    for t in texts {
        let stem = t.trim_end_matches(".txt");
        let prefix = format!("{stem}_");
        let Some(ann) = anns
            .iter()
            .find(|a| a.starts_with(&prefix) && !a[prefix.len()..].contains('_'))
        else {
            continue;
        };
        let text = std::fs::read_to_string(dir.join("text").join(&t))?;
        let ann = std::fs::read_to_string(dir.join("attributions").join(ann))?;
        let map = char_tokens(&text);
        let gold = parse_ann(&ann, &text, &map);
        docs.push(Doc {
            name: stem.to_owned(),
            text,
            gold,
        });
    }
    Ok(docs)
}

fn predict(text: &str, map: &[u32]) -> Vec<Attr> {
    let layer = dossier_nlp::quotes_layer(text);
    let get = |s: &dossier_core::Span, a: &str, b: &str| -> Vec<(usize, usize)> {
        match (
            s.fields.get(a).and_then(|v| v.as_u64()),
            s.fields.get(b).and_then(|v| v.as_u64()),
        ) {
            (Some(x), Some(y)) => vec![(x as usize, y as usize)],
            _ => vec![],
        }
    };
    layer
        .spans
        .iter()
        .map(|s| Attr {
            content: tokens_of(map, &[(s.start, s.end)]),
            source: tokens_of(map, &get(s, "speaker_start", "speaker_end")),
            cue: tokens_of(map, &get(s, "cue_start", "cue_end")),
            quoted: s.fields.get("kind").and_then(|k| k.as_str()) != Some("indirect"),
            span: (s.start, s.end),
            cue_text: String::new(),
        })
        .filter(|a| !a.content.is_empty())
        .collect()
}

/// Greedy one-to-one alignment by content token overlap.
fn align(pred: &[Attr], gold: &[Attr]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, p) in pred.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            // Cheap range pre-check before intersecting.
            if p.content.last() < g.content.first() || g.content.last() < p.content.first() {
                continue;
            }
            let n = inter(&p.content, &g.content);
            if n > 0 {
                pairs.push((n, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_p = vec![false; pred.len()];
    let mut used_g = vec![false; gold.len()];
    let mut out = Vec::new();
    for (_, i, j) in pairs {
        if !used_p[i] && !used_g[j] {
            used_p[i] = true;
            used_g[j] = true;
            out.push((i, j));
        }
    }
    out
}

#[derive(Default, Clone, Copy)]
struct Counts {
    pred: f64,
    gold: f64,
    strict: f64,
    soft: f64,
    tok_inter: f64,
    tok_pred: f64,
    tok_gold: f64,
}

fn prf(tp: f64, pred: f64, gold: f64) -> (f64, f64, f64) {
    let p = if pred > 0.0 { tp / pred } else { 0.0 };
    let r = if gold > 0.0 { tp / gold } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn role(a: &Attr, r: usize) -> &[u32] {
    match r {
        0 => &a.content,
        1 => &a.source,
        _ => &a.cue,
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut splits = vec!["train".to_owned(), "dev".to_owned()];
    let mut errors = 0usize;
    let mut fn_cue: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--split" => {
                splits = vec![args.get(i + 1).cloned().unwrap_or_default()];
                i += 1;
            }
            "--missed-cue" => {
                fn_cue = args.get(i + 1).cloned();
                i += 1;
            }
            "--errors" => {
                errors = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(20);
                i += 1;
            }
            other => anyhow::bail!("unknown argument {other}"),
        }
        i += 1;
    }
    let Some(root) = shared_root() else {
        println!("skipping: ../shared/data/quotes/polnear not found");
        return Ok(());
    };
    for split in &splits {
        let docs = load(&root, split)?;
        let maps: Vec<Vec<u32>> = docs.iter().map(|d| char_tokens(&d.text)).collect();
        // Speed: the tagger alone, whole split, best of three.
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let t = Instant::now();
            for d in &docs {
                std::hint::black_box(dossier_nlp::quotes_layer(&d.text));
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        let mut c = [Counts::default(); 3];
        let (mut gold_q, mut gold_q_found, mut gold_i, mut gold_i_found) = (0, 0, 0, 0);
        let mut shown = 0;
        let mut missed_cues: BTreeMap<String, usize> = BTreeMap::new();
        for (d, map) in docs.iter().zip(&maps) {
            let pred = predict(&d.text, map);
            let pairs = align(&pred, &d.gold);
            for (r, cr) in c.iter_mut().enumerate() {
                cr.pred += pred.iter().filter(|a| !role(a, r).is_empty()).count() as f64;
                cr.gold += d.gold.iter().filter(|a| !role(a, r).is_empty()).count() as f64;
                cr.tok_pred += pred.iter().map(|a| role(a, r).len()).sum::<usize>() as f64;
                cr.tok_gold += d.gold.iter().map(|a| role(a, r).len()).sum::<usize>() as f64;
                for &(pi, gi) in &pairs {
                    let (p, g) = (role(&pred[pi], r), role(&d.gold[gi], r));
                    if p.is_empty() || g.is_empty() {
                        continue;
                    }
                    let n = inter(p, g);
                    cr.tok_inter += n as f64;
                    if n > 0 {
                        cr.soft += 1.0;
                    }
                    if p == g {
                        cr.strict += 1.0;
                    }
                }
            }
            let found: Vec<bool> = {
                let mut f = vec![false; d.gold.len()];
                for &(_, gi) in &pairs {
                    f[gi] = true;
                }
                f
            };
            for (g, &ok) in d.gold.iter().zip(&found) {
                if !ok {
                    *missed_cues.entry(g.cue_text.clone()).or_default() += 1;
                }
                if g.quoted {
                    gold_q += 1;
                    gold_q_found += ok as usize;
                } else {
                    gold_i += 1;
                    gold_i_found += ok as usize;
                }
            }
            if split == "train" && shown < errors {
                let chars: Vec<char> = d.text.chars().collect();
                let s = |(a, b): (usize, usize)| -> String {
                    chars
                        .get(a.min(chars.len())..b.min(chars.len()))
                        .unwrap_or(&[])
                        .iter()
                        .collect::<String>()
                        .replace('\n', " ")
                };
                let matched: Vec<usize> = pairs.iter().map(|p| p.0).collect();
                for (pi, p) in pred.iter().enumerate() {
                    if !matched.contains(&pi) && shown < errors {
                        println!("FP {}: {}", d.name, s(p.span));
                        shown += 1;
                    }
                }
                for (g, &ok) in d.gold.iter().zip(&found) {
                    let wanted = match &fn_cue {
                        Some(cue) => g.cue_text == *cue,
                        None => g.quoted,
                    };
                    if !ok && wanted && shown < errors {
                        println!("FN({}) {}: {}", g.cue_text, d.name, s(g.span));
                        shown += 1;
                    }
                }
            }
        }
        if split == "train" && errors > 0 {
            let mut v: Vec<_> = missed_cues.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1));
            let top: Vec<String> = v.iter().take(60).map(|(k, n)| format!("{k}:{n}")).collect();
            println!("missed gold cues: {}", top.join(", "));
        }
        let ngold: usize = docs.iter().map(|d| d.gold.len()).sum();
        println!(
            "\nPolNeAR {split}: {} documents, {ngold} gold attributions ({gold_q} with quotation marks)",
            docs.len()
        );
        println!("role      match    P       R       F1");
        for (r, name) in ["content", "source", "cue"].iter().enumerate() {
            let cr = c[r];
            for (m, tp, pd, gd) in [
                ("strict", cr.strict, cr.pred, cr.gold),
                ("soft", cr.soft, cr.pred, cr.gold),
                ("token", cr.tok_inter, cr.tok_pred, cr.tok_gold),
            ] {
                let (p, rr, f) = prf(tp, pd, gd);
                println!("{name:<9} {m:<7} {p:.4}  {rr:.4}  {f:.4}");
            }
        }
        let (p, r, f) = prf(c[0].soft, c[0].pred, c[0].gold);
        println!("attribution F1 (content soft): {f:.4} (P {p:.4}, R {r:.4})");
        println!(
            "recall of attributions with quotation marks: {:.4}; without: {:.4}",
            gold_q_found as f64 / gold_q.max(1) as f64,
            gold_i_found as f64 / gold_i.max(1) as f64
        );
        println!(
            "speed: {:.0} documents/s ({} documents in {:.3} s, best of 3, one thread)",
            docs.len() as f64 / best,
            docs.len(),
            best
        );
    }
    Ok(())
}
