//! Measures the third-party main-content crates against the own baseline on
//! the Scrapinghub benchmark, and checks each one on deeply nested HTML in a
//! child process (a stack overflow aborts the process, so it cannot be
//! caught in-process).
//!
//! `cargo run --release -- [--data PATH]` from `eval/candidates/`.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dossier_eval::{dataset, scorer};
use dossier_extract::{density::DensityBackend, ContentBackend};

/// A deep-nesting check that takes longer than this counts as a failure.
const DEEP_TIMEOUT: Duration = Duration::from_secs(60);

struct Trafilatura;
impl ContentBackend for Trafilatura {
    fn name(&self) -> &'static str {
        "trafilatura-0.6"
    }
    fn body(&self, html: &str, _url: Option<&str>) -> Option<String> {
        trafilatura::extract(html, &trafilatura::Options::default())
            .ok()
            .map(|r| r.content_text)
    }
}

/// trafilatura with its readability/jusText fallback on, as Python
/// trafilatura runs by default.
struct TrafilaturaFallback;
impl ContentBackend for TrafilaturaFallback {
    fn name(&self) -> &'static str {
        "trafilatura-0.6+fb"
    }
    fn body(&self, html: &str, _url: Option<&str>) -> Option<String> {
        let opts = trafilatura::Options::default().with_fallback(true);
        trafilatura::extract(html, &opts)
            .ok()
            .map(|r| r.content_text)
    }
}

struct RsTrafilatura;
impl ContentBackend for RsTrafilatura {
    fn name(&self) -> &'static str {
        "rs-trafilatura-0.2"
    }
    fn body(&self, html: &str, _url: Option<&str>) -> Option<String> {
        rs_trafilatura::extract(html).ok().map(|r| r.content_text)
    }
}

struct DomSmoothie;
impl ContentBackend for DomSmoothie {
    fn name(&self) -> &'static str {
        "dom_smoothie-0.19"
    }
    fn body(&self, html: &str, url: Option<&str>) -> Option<String> {
        let cfg = dom_smoothie::Config {
            text_mode: dom_smoothie::TextMode::Formatted,
            ..Default::default()
        };
        let mut r = dom_smoothie::Readability::new(html, url, Some(cfg)).ok()?;
        r.parse().ok().map(|a| a.text_content.to_string())
    }
}

fn backends() -> Vec<Box<dyn ContentBackend>> {
    vec![
        Box::new(DensityBackend),
        Box::new(Trafilatura),
        Box::new(TrafilaturaFallback),
        Box::new(RsTrafilatura),
        Box::new(DomSmoothie),
    ]
}

fn nested(depth: usize) -> String {
    format!(
        "<html><body>{}<p>The inner text.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

/// Child mode: run one backend on a nested page in a thread with `stack_mb`.
fn deep_child(name: &str, depth: usize, stack_mb: usize) -> Result<()> {
    let html = nested(depth);
    let backend = backends()
        .into_iter()
        .find(|b| b.name() == name)
        .context("no such backend")?;
    let t = Instant::now();
    let out = std::thread::Builder::new()
        .stack_size(stack_mb << 20)
        .spawn(move || backend.body(&html, None))?
        .join();
    match out {
        Ok(body) => println!(
            "ok {:.2}s {:?}",
            t.elapsed().as_secs_f64(),
            body.map(|b| b.chars().take(40).collect::<String>())
        ),
        Err(_) => println!("panicked"),
    }
    Ok(())
}

fn deep_check(name: &str, depth: usize, stack_mb: usize) -> String {
    let exe = std::env::current_exe().expect("exe");
    let child = Command::new(exe)
        .args(["--deep", name, &depth.to_string(), &stack_mb.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return format!("not run: {e}"),
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => {
                let mut out = String::new();
                if let Some(mut o) = child.stdout.take() {
                    let _ = o.read_to_string(&mut out);
                }
                return out.trim().to_owned();
            }
            Ok(Some(status)) => return format!("crashed ({status})"),
            Ok(None) if start.elapsed() > DEEP_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return format!("still running after {}s, killed", DEEP_TIMEOUT.as_secs());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return format!("wait failed: {e}"),
        }
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--deep") {
        let [_, name, depth, stack] = &args[..] else {
            bail!("--deep NAME DEPTH STACK_MB")
        };
        return deep_child(name, depth.parse()?, stack.parse()?);
    }
    let dir = match args.iter().position(|a| a == "--data") {
        Some(i) => PathBuf::from(args.get(i + 1).context("--data PATH")?),
        None => dataset::default_dir().context("no ../shared data; pass --data")?,
    };
    let pages = dataset::load_pages(&dir)?;
    println!("{} pages from {}", pages.len(), dir.display());
    println!(
        "{:<20} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "crate", "P", "R", "F1", "pages/s", "panics"
    );
    for b in backends() {
        let mut outputs = Vec::new();
        let mut panics = 0;
        let mut spent = Duration::ZERO;
        for p in &pages {
            let t = Instant::now();
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                b.body(&p.html, p.url.as_deref())
            }));
            spent += t.elapsed();
            outputs.push(
                out.unwrap_or_else(|_| {
                    panics += 1;
                    None
                })
                .unwrap_or_default(),
            );
        }
        let s = scorer::score(
            pages
                .iter()
                .zip(&outputs)
                .map(|(p, o)| (p.gold.as_str(), o.as_str())),
        );
        let speed = pages.len() as f64 / spent.as_secs_f64();
        println!(
            "{:<20} {:>8.4} {:>8.4} {:>8.4} {:>9.1} {:>7}",
            b.name(),
            s.precision,
            s.recall,
            s.f1,
            speed,
            panics
        );
    }
    println!("\ndeep nesting, raw backend in a child process (depth, stack MiB):");
    for b in backends() {
        for (depth, stack) in [(512, 2), (1000, 2), (100_000, 8)] {
            println!(
                "{:<20} {:>7} {:>2}MiB: {}",
                b.name(),
                depth,
                stack,
                deep_check(b.name(), depth, stack)
            );
        }
    }
    Ok(())
}
