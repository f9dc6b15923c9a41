//! Near-duplicate detection: throughput per core and precision/recall of
//! planted copies, with Python datasketch's MinHashLSH on the same input in
//! the same run.
//!
//! ```sh
//! pip install -r eval/requirements.txt   # datasketch; installed on demand otherwise
//! cargo run --release -p dossier-eval --bin dedup -- [DIR...] [--repeat N] [--limit N] [--no-python]
//! ```
//! DIR defaults to `../shared/data/corpora/telegram-dcc-2019-11` where it
//! exists, else `../shared/data/corpora/wikinews` plus the `InputDocs` of
//! `../shared/data/timeline17`. Files: `.jsonl` (one article per line:
//! title and text), `.txt` (a text), `.html`/`.htm` (extracted with the
//! default extractor; not timed).
//!
//! One article in four (with at least three paragraphs and 50 words) gets
//! a planted copy, the kinds in turn: a paragraph dropped, a paragraph of
//! another article added, a new headline, 5% of the words replaced. The
//! copies follow the originals. The timed loop is what ingest does per
//! article on one core: signature (words, shingles, MinHash), LSH query,
//! verification of the candidates by signatures, LSH insert. Recall is over
//! the planted pairs; precision counts a reported pair as right when it is
//! planted or when the exact shingle sets pass the copy rule (the corpus has
//! real copies too; those are listed as "natural").

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_link::{compare, LshIndex, Signature, BANDS, NUM_PERM, ROWS};

const KINDS: [&str; 4] = [
    "drop-paragraph",
    "add-paragraph",
    "new-headline",
    "words-5pct",
];

struct Args {
    dirs: Vec<PathBuf>,
    repeat: usize,
    limit: usize,
    python: bool,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        dirs: Vec::new(),
        repeat: 5,
        limit: usize::MAX,
        python: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--repeat" => args.repeat = it.next().context("--repeat N")?.parse()?,
            "--limit" => args.limit = it.next().context("--limit N")?.parse()?,
            "--no-python" => args.python = false,
            "-h" | "--help" => {
                println!("dedup [DIR...] [--repeat N] [--limit N] [--no-python]");
                std::process::exit(0);
            }
            _ => args.dirs.push(a.into()),
        }
    }
    if args.dirs.is_empty() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
        let telegram = data.join("corpora/telegram-dcc-2019-11");
        if telegram.is_dir() {
            args.dirs.push(telegram);
        } else {
            args.dirs.push(data.join("corpora/wikinews"));
            args.dirs.push(data.join("timeline17"));
        }
    }
    args.repeat = args.repeat.max(1);
    Ok(args)
}

/// Files under `dir`, sorted, without recursion on the call stack.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn load(dirs: &[PathBuf], limit: usize) -> Result<Vec<String>> {
    let extractor = dossier_extract::default_extractor();
    let mut texts = Vec::new();
    for dir in dirs {
        for path in files(dir) {
            if texts.len() >= limit {
                return Ok(texts);
            }
            let name = path.to_string_lossy().to_lowercase();
            if name.ends_with(".jsonl") {
                for line in fs::read_to_string(&path)?.lines() {
                    let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                        continue;
                    };
                    let title = v["title"].as_str().unwrap_or("");
                    let text = v["text"].as_str().unwrap_or("");
                    if !text.trim().is_empty() {
                        texts.push(format!("{title}\n\n{text}"));
                    }
                }
            } else if name.ends_with(".txt") && !name.contains("/timelines/") {
                let text = String::from_utf8_lossy(&fs::read(&path)?).into_owned();
                if !text.trim().is_empty() {
                    texts.push(text);
                }
            } else if name.ends_with(".html") || name.ends_with(".htm") {
                let html = String::from_utf8_lossy(&fs::read(&path)?).into_owned();
                let e = extractor.extract_html(&html, None);
                if !e.text.trim().is_empty() {
                    texts.push(format!("{}\n\n{}", e.title.unwrap_or_default(), e.text));
                }
            }
        }
    }
    texts.truncate(limit);
    Ok(texts)
}

/// Paragraphs: blank-line separated, or lines where there are no blank lines.
fn paragraphs(text: &str) -> Vec<&str> {
    let p: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if p.len() >= 3 {
        return p;
    }
    text.lines()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

struct Planted {
    original: usize,
    copy: usize,
    kind: usize,
}

fn plant(originals: &[String]) -> (Vec<String>, Vec<Planted>) {
    let mut rng = dossier_core::SplitMix64::new(20_191_101);
    let mut docs = originals.to_vec();
    let mut planted = Vec::new();
    let vocabulary: Vec<&str> = originals
        .iter()
        .take(200)
        .flat_map(|t| t.split_whitespace())
        .collect();
    let mut kind = 0;
    for (i, text) in originals.iter().enumerate() {
        let paras = paragraphs(text);
        if i % 4 != 1 || paras.len() < 3 || text.split_whitespace().count() < 50 {
            continue;
        }
        let copy = match kind % KINDS.len() {
            0 => {
                let drop = 1 + rng.below(paras.len() - 1);
                let kept: Vec<&str> = paras
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != drop)
                    .map(|(_, p)| *p)
                    .collect();
                kept.join("\n\n")
            }
            1 => {
                let donor = paragraphs(&originals[rng.below(originals.len())])
                    .into_iter()
                    .max_by_key(|p| p.len())
                    .unwrap_or("An added paragraph of the outlet's own.")
                    .to_owned();
                let mut out: Vec<&str> = paras.clone();
                out.insert(1 + rng.below(paras.len()), &donor);
                out.join("\n\n")
            }
            2 => {
                let other = paragraphs(&originals[rng.below(originals.len())])[0].to_owned();
                let mut out = vec![format!("UPDATED: {other}")];
                out.extend(paras[1..].iter().map(|p| p.to_string()));
                out.join("\n\n")
            }
            _ => paras
                .iter()
                .map(|p| {
                    p.split_whitespace()
                        .map(|w| {
                            if rng.below(100) < 5 {
                                vocabulary[rng.below(vocabulary.len())]
                            } else {
                                w
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        };
        planted.push(Planted {
            original: i,
            copy: docs.len(),
            kind: kind % KINDS.len(),
        });
        docs.push(copy);
        kind += 1;
    }
    (docs, planted)
}

/// Pairs of document numbers.
type Pairs = Vec<(usize, usize)>;

/// The timed loop: what ingest does per article, on one core. Returns the
/// pairs that passed verification, the seconds, and all candidate pairs.
fn detect(docs: &[String]) -> (Pairs, f64, Pairs) {
    let start = Instant::now();
    let mut index = LshIndex::with_capacity(docs.len());
    let mut sigs: Vec<Signature> = Vec::with_capacity(docs.len());
    let mut pairs = Vec::new();
    let mut candidates = Vec::new();
    for (i, text) in docs.iter().enumerate() {
        let sig = Signature::of(text);
        for c in index.candidates(&sig) {
            candidates.push((c as usize, i));
            if sig.estimate(&sigs[c as usize]).is_copy() {
                pairs.push((c as usize, i));
            }
        }
        index.insert(i as u64, &sig);
        sigs.push(sig);
    }
    (pairs, start.elapsed().as_secs_f64(), candidates)
}

struct Quality {
    recall_by_kind: Vec<(usize, usize)>,
    found: usize,
    right: usize,
    natural: usize,
}

fn score(docs: &[String], planted: &[Planted], pairs: &[(usize, usize)]) -> Quality {
    let found: HashSet<(usize, usize)> = pairs.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let truth: HashSet<(usize, usize)> = planted.iter().map(|p| (p.original, p.copy)).collect();
    let mut recall_by_kind = vec![(0, 0); KINDS.len()];
    for p in planted {
        recall_by_kind[p.kind].1 += 1;
        if found.contains(&(p.original, p.copy)) {
            recall_by_kind[p.kind].0 += 1;
        }
    }
    let mut right = 0;
    let mut natural = 0;
    for &(a, b) in &found {
        if truth.contains(&(a, b)) {
            right += 1;
        } else if compare(&docs[a], &docs[b]).is_copy() {
            right += 1;
            natural += 1;
        }
    }
    Quality {
        recall_by_kind,
        found: found.len(),
        right,
        natural,
    }
}

fn print_quality(name: &str, q: &Quality) {
    let (hit, all) = q
        .recall_by_kind
        .iter()
        .fold((0, 0), |(h, a), &(x, y)| (h + x, a + y));
    let by_kind: Vec<String> = q
        .recall_by_kind
        .iter()
        .zip(KINDS)
        .map(|(&(h, a), k)| format!("{k} {h}/{a}"))
        .collect();
    println!(
        "{name}: recall {:.4} ({hit}/{all}: {}), precision {:.4} ({}/{} pairs right, {} of them natural copies in the corpus)",
        hit as f64 / all.max(1) as f64,
        by_kind.join(", "),
        q.right as f64 / q.found.max(1) as f64,
        q.right,
        q.found,
        q.natural,
    );
}

/// Python datasketch on the same documents; returns pairs, seconds, banding, version.
fn run_datasketch(docs: &[String]) -> Result<Option<(Pairs, f64, String)>> {
    if !dossier_eval::peers::ensure("datasketch", &[]) {
        return Ok(None);
    }
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("docs.jsonl");
    let output = dir.path().join("out.json");
    let mut lines = String::new();
    for (i, text) in docs.iter().enumerate() {
        lines.push_str(&serde_json::json!({"id": i, "text": text}).to_string());
        lines.push('\n');
    }
    fs::write(&input, lines)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/datasketch_bench.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(&input)
        .arg(&output)
        .arg(dossier_link::COPY_JACCARD.to_string())
        .arg(NUM_PERM.to_string())
        .status()?;
    if !status.success() {
        bail!("{} failed: {status}", script.display());
    }
    let raw: serde_json::Value = serde_json::from_slice(&fs::read(&output)?)?;
    let seconds = raw["seconds"].as_f64().context("seconds")?;
    let pairs = raw["pairs"]
        .as_array()
        .context("pairs")?
        .iter()
        .filter_map(|p| Some((p[0].as_u64()? as usize, p[1].as_u64()? as usize)))
        .collect();
    let about = format!(
        "datasketch {} MinHashLSH(threshold={}, num_perm={NUM_PERM}) chose {} bands x {} rows",
        raw["version"].as_str().unwrap_or("?"),
        dossier_link::COPY_JACCARD,
        raw["bands"],
        raw["rows"]
    );
    Ok(Some((pairs, seconds, about)))
}

fn main() -> Result<()> {
    let args = parse_args()?;
    for dir in &args.dirs {
        if !dir.exists() {
            println!("skipping: {} is absent on this machine", dir.display());
            return Ok(());
        }
    }
    let originals = load(&args.dirs, args.limit)?;
    if originals.is_empty() {
        bail!("no texts found under {:?}", args.dirs);
    }
    let (docs, planted) = plant(&originals);
    let words: usize = docs
        .iter()
        .map(|d| dossier_link::shingle::word_count(d))
        .sum();
    println!(
        "corpus: {} ({} articles + {} planted copies = {} documents, {:.0} words each on average)",
        args.dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
        originals.len(),
        planted.len(),
        docs.len(),
        words as f64 / docs.len() as f64
    );
    println!(
        "dossier-link: {NUM_PERM} permutations, {BANDS} bands x {ROWS} rows, 5-word shingles, copy rule Jaccard >= {} or containment >= {}",
        dossier_link::COPY_JACCARD,
        dossier_link::COPY_CONTAINMENT
    );

    // Signatures alone, then the whole loop, best of `repeat` runs.
    let mut best_sig = f64::MAX;
    let mut best = f64::MAX;
    let mut result = None;
    for _ in 0..args.repeat {
        let t = Instant::now();
        let sigs: Vec<Signature> = docs.iter().map(|d| Signature::of(d)).collect();
        best_sig = best_sig.min(t.elapsed().as_secs_f64());
        std::hint::black_box(sigs);
        let (pairs, secs, candidates) = detect(&docs);
        best = best.min(secs);
        result = Some((pairs, candidates));
    }
    let (pairs, candidates) = result.context("no run")?;
    let rust_rate = docs.len() as f64 / best;
    println!(
        "dossier-link: {:.0} articles/s on one core (signature + LSH query + verify + insert; {:.0}/s for signatures alone; best of {}), {} candidates checked",
        rust_rate,
        docs.len() as f64 / best_sig,
        args.repeat,
        candidates.len()
    );
    let candidate_set: HashSet<(usize, usize)> = candidates.into_iter().collect();
    let lsh_hits = planted
        .iter()
        .filter(|p| candidate_set.contains(&(p.original, p.copy)))
        .count();
    println!(
        "dossier-link: LSH made {lsh_hits} of the {} planted pairs candidates ({:.4}); the rest of the misses are verification by signatures (ingest verifies on the texts)",
        planted.len(),
        lsh_hits as f64 / planted.len().max(1) as f64
    );
    print_quality("dossier-link", &score(&docs, &planted, &pairs));

    if args.python {
        if let Some((py_pairs, py_secs, about)) = run_datasketch(&docs)? {
            let py_rate = docs.len() as f64 / py_secs;
            println!("{about}");
            println!(
                "python datasketch: {py_rate:.0} articles/s on one core (same steps; verification by estimated Jaccard only)"
            );
            print_quality("python datasketch", &score(&docs, &planted, &py_pairs));
            println!(
                "speed ratio dossier-link / datasketch: {:.1}x",
                rust_rate / py_rate
            );
        }
    }
    println!(
        "target >= 20,000 articles/s per core: {}",
        if rust_rate >= 20_000.0 {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}
