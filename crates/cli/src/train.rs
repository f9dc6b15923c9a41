//! `dossier train ner`: rebuilds the entity recogniser from CoNLL-2003
//! (train for learning, dev for early stopping; test is scored once at the
//! end), deterministically, and writes the model file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use dossier_ner::conll;
use dossier_ner::features::{ALL_GROUPS, GROUP_NAMES, G_WORD};
use dossier_ner::tags::{EntityType, Score};
use dossier_ner::train::{evaluate, train, Config, Prepared};

#[derive(Args)]
pub struct TrainArgs {
    #[command(subcommand)]
    what: TrainWhat,
}

#[derive(Subcommand)]
enum TrainWhat {
    /// The named-entity recogniser (models/ner-en.bin).
    Ner(NerArgs),
}

#[derive(Args)]
struct NerArgs {
    /// Directory with CoNLL-2003 train.txt, dev.txt and test.txt.
    #[arg(long, default_value = "../shared/data/ner/conll2003")]
    data: PathBuf,
    /// Most epochs per pass (early stopping on dev may stop sooner).
    #[arg(long, default_value_t = 30)]
    epochs: usize,
    /// Where to write the model.
    #[arg(long, default_value = "models/ner-en.bin")]
    out: PathBuf,
    /// log2 of the number of hashed weight rows.
    #[arg(long, default_value_t = 20)]
    bits: u32,
    /// Feature groups to leave out (comma-separated: word, shape, affix,
    /// context, bigram, gazetteer, document).
    #[arg(long, value_delimiter = ',')]
    without: Vec<String>,
    /// Instead of writing a model, train once per feature group added in
    /// turn and print each group's dev F1 gain (slow).
    #[arg(long)]
    ablation: bool,
}

pub fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        TrainWhat::Ner(a) => ner(a),
    }
}

fn read(dir: &Path, name: &str) -> anyhow::Result<Vec<conll::Document>> {
    let path = dir.join(name);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(conll::parse(&text))
}

fn group_mask(names: &[String]) -> anyhow::Result<u32> {
    let mut mask = 0;
    for n in names {
        match GROUP_NAMES.iter().position(|g| g == n) {
            Some(i) => mask |= 1 << i,
            None => bail!(
                "unknown feature group {n:?} (known: {})",
                GROUP_NAMES.join(", ")
            ),
        }
    }
    Ok(mask)
}

fn line(name: &str, s: &Score) -> String {
    let (p, r, f) = s.prf();
    let per: Vec<String> = EntityType::ALL
        .iter()
        .map(|&t| format!("{} {:.4}", t.as_str(), s.prf_of(t).2))
        .collect();
    format!("{name}: P {p:.4} R {r:.4} F1 {f:.4} ({})", per.join(", "))
}

fn ner(a: NerArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let train_docs = read(&a.data, "train.txt")?;
    let dev_docs = read(&a.data, "dev.txt")?;
    let train_set = Prepared::new(&train_docs);
    let dev_set = Prepared::new(&dev_docs);
    eprintln!(
        "train: {} documents, {} tokens; dev: {} documents, {} tokens",
        train_docs.len(),
        train_set.tokens(),
        dev_docs.len(),
        dev_set.tokens()
    );
    let base = Config {
        epochs: a.epochs,
        bits: a.bits,
        groups: ALL_GROUPS & !group_mask(&a.without)?,
        ..Config::default()
    };
    if a.ablation {
        println!("| features | dev F1 | gain |");
        println!("|---|---|---|");
        let mut groups = 0;
        let mut last = 0.0;
        for (i, name) in GROUP_NAMES.iter().enumerate() {
            groups |= 1 << i;
            if groups == 0 || (1 << i) & base.groups == 0 {
                continue;
            }
            let cfg = Config {
                groups: groups & base.groups,
                ..base.clone()
            };
            let t = train(&train_set, &dev_set, &cfg, &mut |_| {});
            let f = t.dev.f1();
            let label = if groups == G_WORD {
                "word (+ bias, transitions)".to_owned()
            } else {
                format!("+ {name}")
            };
            println!("| {label} | {f:.4} | {:+.4} |", f - last);
            last = f;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let trained = train(&train_set, &dev_set, &base, &mut |m| eprintln!("{m}"));
    let mut model = trained.model;
    eprintln!("{}", line("dev", &trained.dev));
    // Test: scored once, after every choice was made on dev.
    let test_docs = read(&a.data, "test.txt")?;
    let test = evaluate(&model, &Prepared::new(&test_docs));
    eprintln!("{}", line("test", &test));
    if let serde_json::Value::Object(o) = &mut model.header.trained {
        o.insert(
            "data".into(),
            "CoNLL-2003 English (train; dev for early stopping)".into(),
        );
        o.insert("dev_f1".into(), format!("{:.4}", trained.dev.f1()).into());
        o.insert("test_f1".into(), format!("{:.4}", test.f1()).into());
    }
    let bytes = model.to_bytes();
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    println!(
        "wrote {} ({:.1} MB, version {}) in {:.0} s",
        a.out.display(),
        bytes.len() as f64 / 1e6,
        model.header.version,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
