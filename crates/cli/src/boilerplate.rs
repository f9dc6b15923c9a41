//! `dossier boilerplate`: learn each outlet's recurring paragraphs from the
//! store, list them, and overrule a wrong one. Learning and overruling
//! reprocess the affected outlet's articles at once, so the store always
//! reflects what is learned.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use clap::{Args, Subcommand};
use dossier_pipeline::{learn, CorpusBoilerplate, LearnOptions, Pipeline, CORPUS_REASON};
use dossier_store::{LearnedParagraph, Store};

use crate::{print_json, progress, reprocess};

#[derive(Args)]
pub struct BoilerplateArgs {
    #[command(subcommand)]
    command: BoilerplateCommand,
}

#[derive(Subcommand)]
enum BoilerplateCommand {
    /// Learn every outlet's boilerplate from the store and cut it from its articles.
    Learn {
        /// Only this source (outlet).
        #[arg(long)]
        source: Option<String>,
        /// Outlets with fewer articles are left alone.
        #[arg(long, default_value_t = LearnOptions::default().min_articles)]
        min_articles: usize,
    },
    /// List what is learned, with hashes to overrule it by.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Overrule: this paragraph (hash or prefix) is not boilerplate; put it back.
    Keep { hash: String },
    /// Undo `keep`: cut this paragraph again.
    Cut { hash: String },
}

/// The pipeline with the store's learned boilerplate (minus what users kept).
pub fn pipeline_for(store: &Store) -> anyhow::Result<Pipeline> {
    let learned = store
        .learned_boilerplate()?
        .into_iter()
        .filter(|l| !l.kept)
        .map(|l| (l.source, l.hash));
    Ok(Pipeline::default().with_corpus_boilerplate(CorpusBoilerplate::new(learned)))
}

pub fn run(data: &Path, args: BoilerplateArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        BoilerplateCommand::List { json } => list(data, json),
        BoilerplateCommand::Learn {
            source,
            min_articles,
        } => learn_all(data, source, min_articles),
        BoilerplateCommand::Keep { hash } => overrule(data, &hash, true),
        BoilerplateCommand::Cut { hash } => overrule(data, &hash, false),
    }
}

fn open_write(data: &Path) -> anyhow::Result<Store> {
    Store::open_write(data).with_context(|| format!("cannot open store {}", data.display()))
}

fn list(data: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let store =
        Store::open_read(data).with_context(|| format!("cannot open store {}", data.display()))?;
    let learned = store.learned_boilerplate()?;
    if json {
        print_json(&learned)?;
        return Ok(ExitCode::SUCCESS);
    }
    if learned.is_empty() {
        eprintln!("nothing learned yet (run `dossier boilerplate learn`)");
    }
    for l in &learned {
        println!(
            "{}  {}  {} articles ({:.0}%){}  {}",
            l.hash,
            l.source,
            l.articles,
            l.share * 100.0,
            if l.kept { "  KEPT" } else { "" },
            l.text.chars().take(100).collect::<String>()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn learn_all(data: &Path, only: Option<String>, min_articles: usize) -> anyhow::Result<ExitCode> {
    let mut store = open_write(data)?;
    let opts = LearnOptions {
        min_articles,
        ..LearnOptions::default()
    };
    let sources: Vec<(String, usize)> = store
        .sources_with_articles(opts.min_articles)?
        .into_iter()
        .filter(|(s, _)| only.as_deref().is_none_or(|o| o == s))
        .collect();
    let mut changed = Vec::new();
    let mut total = 0;
    for (source, n) in &sources {
        let paragraphs = store.source_paragraphs(source, CORPUS_REASON)?;
        let learned: Vec<LearnedParagraph> = learn(&paragraphs, &opts)
            .into_iter()
            .map(|l| LearnedParagraph {
                source: source.clone(),
                hash: l.hash,
                text: l.text,
                articles: l.articles as i64,
                share: l.share,
                kept: false,
            })
            .collect();
        total += learned.len();
        eprintln!(
            "{source}: {} boilerplate paragraph(s) in {n} articles",
            learned.len()
        );
        if store.replace_learned(source, &learned)? {
            changed.push(source.clone());
        }
    }
    eprintln!(
        "learned {total} paragraph(s) for {} outlet(s) with at least {} articles",
        sources.len(),
        opts.min_articles
    );
    reprocess_sources(&mut store, &changed)?;
    Ok(ExitCode::SUCCESS)
}

fn overrule(data: &Path, hash: &str, keep: bool) -> anyhow::Result<ExitCode> {
    let mut store = open_write(data)?;
    let l = store.keep_boilerplate(hash, keep)?;
    eprintln!(
        "{} {} for {}: {}",
        if keep { "keeping" } else { "cutting again" },
        l.hash,
        l.source,
        l.text.chars().take(100).collect::<String>()
    );
    reprocess_sources(&mut store, std::slice::from_ref(&l.source))?;
    Ok(ExitCode::SUCCESS)
}

/// Redoes every article of the given sources with the current learned set.
fn reprocess_sources(store: &mut Store, sources: &[String]) -> anyhow::Result<()> {
    if sources.is_empty() {
        return Ok(());
    }
    let pipeline = pipeline_for(store)?;
    let stop = AtomicBool::new(false);
    for source in sources {
        let bar = progress::bar(store.source_size(source)? as u64, "articles");
        let counts = reprocess::reprocess(store, &pipeline, Some(source), true, &bar, &stop)?;
        bar.finish_and_clear();
        eprintln!("{source}: reprocessed {} article(s)", counts.redone);
    }
    Ok(())
}
