//! Extraction benchmark: dossier's default extractor on the Scrapinghub pages,
//! scored with the published scorer, side by side with the published
//! reference outputs and (when installed) Python trafilatura on the same input.
//!
//! `cargo run --release -p dossier-eval --bin extraction [-- --data PATH] [--candidates]`
//!
//! `--candidates` also runs `eval/candidates` (a separate workspace holding the
//! third-party crates that were measured as bases).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_eval::dataset::{self, Page};
use dossier_eval::scorer::{self, Scores};

struct Args {
    data: PathBuf,
    candidates: bool,
}

fn parse_args() -> Result<Args> {
    let mut data = None;
    let mut candidates = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data" => data = Some(PathBuf::from(it.next().context("--data needs a PATH")?)),
            "--candidates" => candidates = true,
            other => {
                bail!("unknown argument {other:?}; usage: extraction [--data PATH] [--candidates]")
            }
        }
    }
    let data = match data {
        Some(d) => d,
        None => dataset::default_dir()
            .context("../shared/data/extraction/scrapinghub not found; pass --data PATH")?,
    };
    Ok(Args { data, candidates })
}

fn score_outputs(pages: &[Page], outputs: &BTreeMap<String, String>) -> Scores {
    scorer::score(pages.iter().map(|p| {
        let out = outputs.get(&p.id).map(String::as_str).unwrap_or("");
        (p.gold.as_str(), out)
    }))
}

fn print_row(name: &str, s: &Scores, pages_per_s: Option<f64>) {
    let speed = pages_per_s.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
    println!(
        "{name:<40} {:>8.6} {:>8.6} {:>8.6} {speed:>9}",
        s.precision, s.recall, s.f1
    );
}

/// Runs dossier's default extractor; returns outputs and pages per second
/// (extraction only, decompression excluded).
fn run_dossier(pages: &[Page]) -> (BTreeMap<String, String>, f64) {
    let extractor = dossier_extract::default_extractor();
    let start = Instant::now();
    let outputs: BTreeMap<String, String> = pages
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                extractor.extract_html(&p.html, p.url.as_deref()).text,
            )
        })
        .collect();
    let speed = pages.len() as f64 / start.elapsed().as_secs_f64();
    (outputs, speed)
}

fn score_references(dir: &Path, pages: &[Page]) -> Result<()> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("reference-outputs"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let outputs = dataset::read_predictions(&f)?
            .into_iter()
            .map(|(id, (body, _))| (id, body))
            .collect();
        let name = format!(
            "ref:{}",
            f.file_stem().unwrap_or_default().to_string_lossy()
        );
        print_row(&name, &score_outputs(pages, &outputs), None);
    }
    Ok(())
}

/// Python trafilatura on the same pages, when it is installed. Returns its
/// scores and pages per second.
fn run_python_trafilatura(dir: &Path, pages: &[Page]) -> Result<Option<(Scores, f64, String)>> {
    let available = Command::new("python3")
        .args(["-c", "import trafilatura"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        println!("(python3 trafilatura not installed: pip install -r eval/requirements.txt)");
        return Ok(None);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/trafilatura_bench.py");
    let out_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("out");
    fs::create_dir_all(&out_dir)?;
    let out_file = out_dir.join("trafilatura-py.json");
    let status = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .arg(&out_file)
        .status()?;
    if !status.success() {
        bail!("{} failed: {status}", script.display());
    }
    let raw: serde_json::Value = serde_json::from_slice(&fs::read(&out_file)?)?;
    let seconds = raw["seconds"].as_f64().context("seconds")?;
    let version = raw["version"].as_str().unwrap_or("?").to_owned();
    let outputs = dataset::read_predictions(&out_file)?
        .into_iter()
        .map(|(id, (body, _))| (id, body))
        .collect();
    Ok(Some((
        score_outputs(pages, &outputs),
        pages.len() as f64 / seconds,
        version,
    )))
}

fn run_candidates(dir: &Path) -> Result<()> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("candidates/Cargo.toml");
    println!(
        "\n$ cargo run --release --manifest-path {} -- --data {}",
        manifest.display(),
        dir.display()
    );
    let status = Command::new("cargo")
        .args(["run", "--release", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--")
        .arg("--data")
        .arg(dir)
        .status()?;
    if !status.success() {
        bail!("candidates failed: {status}");
    }
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let pages = dataset::load_pages(&args.data)?;
    println!(
        "scrapinghub: {} pages from {}",
        pages.len(),
        args.data.display()
    );
    println!(
        "{:<40} {:>8} {:>8} {:>8} {:>9}",
        "system", "P", "R", "F1", "pages/s"
    );
    let component = dossier_extract::default_extractor().component();
    let (outputs, speed) = run_dossier(&pages);
    let ours = score_outputs(&pages, &outputs);
    print_row(
        &format!("dossier {}@{}", component.name, component.version),
        &ours,
        Some(speed),
    );
    let deepest = pages
        .iter()
        .map(|p| dossier_extract::estimated_depth(&p.html))
        .max()
        .unwrap_or(0);
    let gated = pages
        .iter()
        .filter(|p| dossier_extract::estimated_depth(&p.html) > dossier_extract::MAX_TREE_DEPTH)
        .count();
    println!(
        "  (deepest page: estimated depth {deepest}; {gated} pages over the gate of {})",
        dossier_extract::MAX_TREE_DEPTH
    );
    score_references(&args.data, &pages)?;
    if let Some((py, py_speed, version)) = run_python_trafilatura(&args.data, &pages)? {
        print_row(
            &format!("python trafilatura {version}"),
            &py,
            Some(py_speed),
        );
        println!(
            "\ndossier F1 {:.4} vs python trafilatura F1 {:.4}; speed ratio dossier/python {:.2}x (single thread)",
            ours.f1,
            py.f1,
            speed / py_speed
        );
    }
    if args.candidates {
        run_candidates(&args.data)?;
    }
    Ok(())
}
