//! Extraction benchmark: dossier's content backends on the Scrapinghub pages,
//! scored with the published scorer on the development half, the test half
//! and all pages (see `dossier_eval::split`), side by side with the published
//! reference outputs and (when installed) Python trafilatura on the same input,
//! plus a per-language breakdown.
//!
//! `cargo run --release -p dossier-eval --bin extraction [-- OPTIONS]`
//!
//! Options:
//! - `--data PATH`: the benchmark folder (default `../shared/data/extraction/scrapinghub`)
//! - `--backend NAME` (repeatable): `trafilatura`, `blocks` (one tokenizer pass for metadata and
//!   content), `blocks-backend` (the same selection as a `ContentBackend` behind `HtmlExtractor`:
//!   a second pass), `density`; default: trafilatura and blocks
//! - `--params SPEC`: `key=value,...` for the blocks backend (tuning; see `blocks::Params`)
//! - `--repeat N`: timed runs per backend, the median is reported (default 3)
//! - `--worst N`: list the N worst *development* pages of the first backend
//! - `--dump ID`: print the blocks of one page (id prefix) as the blocks backend sees them
//! - `--per-page FILE`: write `split id F1 P R` of the first backend for every page
//! - `--no-python`: skip Python trafilatura
//! - `--candidates`: also run `eval/candidates` (a separate workspace holding
//!   the third-party crates that were measured as bases)

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_eval::dataset::{self, Page};
use dossier_eval::scorer::{self, PageCounts, Scores};
use dossier_eval::split::Split;
use dossier_extract::blocks::{self, BlocksBackend, BlocksExtractor, Params};
use dossier_extract::density::DensityBackend;
use dossier_extract::trafilatura_backend::TrafilaturaBackend;
use dossier_extract::{Extractor, HtmlExtractor};

struct Args {
    data: PathBuf,
    backends: Vec<String>,
    params: Params,
    repeat: usize,
    worst: usize,
    dump: Option<String>,
    per_page: Option<PathBuf>,
    python: bool,
    candidates: bool,
}

const USAGE: &str =
    "usage: extraction [--data PATH] [--backend trafilatura|blocks|blocks-backend|density]... \
    [--params SPEC] [--repeat N] [--worst N] [--dump ID] [--per-page FILE] [--no-python] [--candidates]";

fn parse_args() -> Result<Args> {
    let mut data = None;
    let mut args = Args {
        data: PathBuf::new(),
        backends: Vec::new(),
        params: Params::default(),
        repeat: 3,
        worst: 0,
        dump: None,
        per_page: None,
        python: true,
        candidates: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |what: &str| it.next().with_context(|| format!("{a} needs {what}"));
        match a.as_str() {
            "--data" => data = Some(PathBuf::from(value("a PATH")?)),
            "--backend" => args.backends.push(value("a NAME")?),
            "--params" => {
                args.params = Params::parse(&value("a SPEC")?).map_err(anyhow::Error::msg)?
            }
            "--repeat" => args.repeat = value("N")?.parse::<usize>()?.max(1),
            "--worst" => args.worst = value("N")?.parse()?,
            "--dump" => args.dump = Some(value("an ID")?),
            "--per-page" => args.per_page = Some(PathBuf::from(value("a FILE")?)),
            "--no-python" => args.python = false,
            "--candidates" => args.candidates = true,
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    if args.backends.is_empty() {
        args.backends = vec!["trafilatura".into(), "blocks".into()];
    }
    args.data = match data {
        Some(d) => d,
        None => dataset::default_dir()
            .context("../shared/data/extraction/scrapinghub not found; pass --data PATH")?,
    };
    Ok(args)
}

fn extractor(name: &str, params: &Params) -> Result<Box<dyn Extractor>> {
    Ok(match name {
        "trafilatura" => Box::new(HtmlExtractor::new(TrafilaturaBackend::default(), "2")),
        "blocks" => Box::new(BlocksExtractor::with_params(params.clone(), "2")),
        "blocks-backend" => Box::new(HtmlExtractor::new(
            BlocksBackend::with_params(params.clone()),
            "2",
        )),
        "density" => Box::new(HtmlExtractor::new(DensityBackend, "2")),
        other => bail!("unknown backend {other:?}; {USAGE}"),
    })
}

type Outputs = BTreeMap<String, String>;

/// Scores of one system on the dev half, the test half and all pages.
struct SplitScores {
    dev: Scores,
    test: Scores,
    all: Scores,
}

fn score_subset(pages: &[Page], outputs: &Outputs, keep: impl Fn(&Page) -> bool) -> Scores {
    scorer::score(pages.iter().filter(|p| keep(p)).map(|p| {
        let out = outputs.get(&p.id).map(String::as_str).unwrap_or("");
        (p.gold.as_str(), out)
    }))
}

fn score_splits(pages: &[Page], outputs: &Outputs) -> SplitScores {
    SplitScores {
        dev: score_subset(pages, outputs, |p| Split::of(&p.id) == Split::Dev),
        test: score_subset(pages, outputs, |p| Split::of(&p.id) == Split::Test),
        all: score_subset(pages, outputs, |_| true),
    }
}

fn print_header() {
    println!(
        "{:<44} {:>5} {:>8} {:>8} {:>8} {:>9}",
        "system", "split", "P", "R", "F1", "pages/s"
    );
}

fn print_rows(name: &str, s: &SplitScores, pages_per_s: Option<f64>) {
    let speed = pages_per_s.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"));
    for (i, (split, sc)) in [("test", &s.test), ("dev", &s.dev), ("all", &s.all)]
        .into_iter()
        .enumerate()
    {
        let (name, speed) = if i == 0 {
            (name, speed.as_str())
        } else {
            ("", "")
        };
        println!(
            "{name:<44} {split:>5} {:>8.6} {:>8.6} {:>8.6} {speed:>9}",
            sc.precision, sc.recall, sc.f1
        );
    }
}

/// Runs one extractor `repeat` times over all pages on this thread; returns
/// the outputs and the median pages per second (extraction only,
/// decompression excluded).
fn run_extractor(x: &dyn Extractor, pages: &[Page], repeat: usize) -> (Outputs, f64) {
    let mut speeds = Vec::new();
    let mut outputs = Outputs::new();
    for _ in 0..repeat {
        let start = Instant::now();
        outputs = pages
            .iter()
            .map(|p| (p.id.clone(), x.extract_html(&p.html, p.url.as_deref()).text))
            .collect();
        speeds.push(pages.len() as f64 / start.elapsed().as_secs_f64());
    }
    speeds.sort_by(f64::total_cmp);
    (outputs, speeds[speeds.len() / 2])
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
        print_rows(&name, &score_splits(pages, &outputs), None);
    }
    Ok(())
}

/// Python trafilatura on the same pages, when it is installed. Returns its
/// outputs, pages per second and version.
fn run_python_trafilatura(dir: &Path, pages: &[Page]) -> Result<Option<(Outputs, f64, String)>> {
    if !dossier_eval::peers::ensure("trafilatura", &[]) {
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
    Ok(Some((outputs, pages.len() as f64 / seconds, version)))
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

/// The page's language: its declared language (`<html lang>`, `og:locale`,
/// ...) or else what whatlang detects in the gold text.
fn page_language(page: &Page, declared: Option<String>) -> String {
    declared
        .or_else(|| {
            whatlang::detect(&page.gold)
                .filter(|i| i.is_reliable())
                .map(|i| iso639_1(i.lang().code()).to_owned())
        })
        .unwrap_or_else(|| "?".to_owned())
}

/// whatlang's ISO 639-3 codes as the two-letter codes pages declare, for
/// the languages of this benchmark (others stay three-letter).
fn iso639_1(code: &str) -> &str {
    match code {
        "eng" => "en",
        "por" => "pt",
        "rus" => "ru",
        "deu" => "de",
        "ita" => "it",
        "ind" => "id",
        "jpn" => "ja",
        "kor" => "ko",
        "fra" => "fr",
        "spa" => "es",
        other => other,
    }
}

fn print_languages(pages: &[Page], systems: &[(String, Outputs)]) {
    let meta = HtmlExtractor::new(BlocksBackend::default(), "1");
    let langs: BTreeMap<&str, String> = pages
        .iter()
        .map(|p| {
            let declared = meta.extract_html(&p.html, p.url.as_deref()).language;
            (p.id.as_str(), page_language(p, declared))
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for p in pages {
        let lang = langs[p.id.as_str()].as_str();
        groups.entry(lang).or_default().push(p);
    }
    let mut order: Vec<(&str, Vec<&Page>)> = groups.into_iter().collect();
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    println!("\nF1 by page language (declared, else detected in the gold text; all 181 pages):");
    print!("{:<6} {:>5}", "lang", "pages");
    for (name, _) in systems {
        print!(" {name:>28}");
    }
    println!();
    for (lang, group) in &order {
        print!("{lang:<6} {:>5}", group.len());
        for (_, outputs) in systems {
            let s = scorer::score(group.iter().map(|p| {
                let o = outputs.get(&p.id).map(String::as_str).unwrap_or("");
                (p.gold.as_str(), o)
            }));
            print!(" {:>28.4}", s.f1);
        }
        println!();
    }
}

fn page_f1s<'a>(pages: &'a [Page], outputs: &Outputs) -> Vec<(f64, f64, f64, &'a Page)> {
    pages
        .iter()
        .map(|p| {
            let c = PageCounts::of(&p.gold, outputs.get(&p.id).map_or("", String::as_str));
            let (pr, r) = (c.precision().unwrap_or(0.0), c.recall());
            let f = if pr + r > 0.0 {
                2.0 * pr * r / (pr + r)
            } else {
                0.0
            };
            (f, pr, r, p)
        })
        .collect()
}

fn write_per_page(path: &Path, pages: &[Page], outputs: &Outputs) -> Result<()> {
    let mut text = String::new();
    for (f, pr, r, p) in page_f1s(pages, outputs) {
        let split = Split::of(&p.id).name();
        text.push_str(&format!("{split}\t{}\t{f:.4}\t{pr:.4}\t{r:.4}\n", p.id));
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn print_worst(pages: &[Page], outputs: &Outputs, n: usize) {
    let mut rows: Vec<_> = page_f1s(pages, outputs)
        .into_iter()
        .filter(|row| Split::of(&row.3.id) == Split::Dev)
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("\nworst development pages:");
    for (f, pr, r, p) in rows.into_iter().take(n) {
        println!(
            "F1 {f:.3} P {pr:.3} R {r:.3} {} {}",
            &p.id[..12],
            p.url.as_deref().unwrap_or("")
        );
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let pages = dataset::load_pages(&args.data)?;
    if let Some(id) = &args.dump {
        let page = pages
            .iter()
            .find(|p| p.id.starts_with(id.as_str()))
            .context("no page with that id")?;
        if Split::of(&page.id) == Split::Test {
            eprintln!("note: {} is a test page; do not tune on it", page.id);
        }
        println!("{}", blocks::debug_blocks(&page.html, &args.params));
        println!("---- gold ----\n{}", page.gold);
        return Ok(());
    }
    let dev = pages
        .iter()
        .filter(|p| Split::of(&p.id) == Split::Dev)
        .count();
    println!(
        "scrapinghub: {} pages from {} ({dev} dev, {} test; dev = SHA-256(id)[0] even)",
        pages.len(),
        args.data.display(),
        pages.len() - dev
    );
    print_header();
    let default = dossier_extract::default_extractor().component();
    let mut systems: Vec<(String, Outputs, f64)> = Vec::new();
    for name in &args.backends {
        let x = extractor(name, &args.params)?;
        let c = x.component();
        let (outputs, speed) = run_extractor(x.as_ref(), &pages, args.repeat);
        let mark = if c == default { " (default)" } else { "" };
        print_rows(
            &format!("dossier {}@{}{mark}", c.name, c.version),
            &score_splits(&pages, &outputs),
            Some(speed),
        );
        systems.push((name.clone(), outputs, speed));
    }
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
    let mut lang_systems: Vec<(String, Outputs)> = systems
        .iter()
        .map(|(n, o, _)| (n.clone(), o.clone()))
        .collect();
    if args.python {
        if let Some((py, py_speed, version)) = run_python_trafilatura(&args.data, &pages)? {
            let py_scores = score_splits(&pages, &py);
            print_rows(
                &format!("python trafilatura {version}"),
                &py_scores,
                Some(py_speed),
            );
            println!();
            for (name, outputs, speed) in &systems {
                let s = score_splits(&pages, outputs);
                println!(
                    "{name}: test F1 {:.4} vs python trafilatura {:.4}; speed ratio {name}/python {:.1}x (one thread)",
                    s.test.f1,
                    py_scores.test.f1,
                    speed / py_speed
                );
            }
            lang_systems.push(("python-trafilatura".to_owned(), py));
        }
    }
    print_languages(&pages, &lang_systems);
    if let Some((_, outputs, _)) = systems.first() {
        if args.worst > 0 {
            print_worst(&pages, outputs, args.worst);
        }
        if let Some(path) = &args.per_page {
            write_per_page(path, &pages, outputs)?;
        }
    }
    if args.candidates {
        run_candidates(&args.data)?;
    }
    Ok(())
}
