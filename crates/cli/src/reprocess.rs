//! `dossier reprocess`: redo extraction and analysis for articles made by
//! older components (or all of them), from the content kept in the store.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use dossier_pipeline::Pipeline;
use dossier_store::{ReprocessInput, Store};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::progress;

#[derive(Args)]
pub struct ReprocessArgs {
    /// Redo every article, not only those made by older components.
    #[arg(long)]
    all: bool,
    /// Only articles of this source (outlet).
    #[arg(long)]
    source: Option<String>,
}

const PAGE: usize = 256;

/// What a reprocessing pass did.
#[derive(Default)]
pub struct Counts {
    pub checked: usize,
    pub redone: usize,
    pub failed: usize,
    /// Entity mentions resolved again for articles whose text or entities
    /// changed.
    pub mentions: usize,
}

pub fn run(data: &Path, args: ReprocessArgs) -> anyhow::Result<ExitCode> {
    let mut store =
        Store::open_write(data).with_context(|| format!("cannot open store {}", data.display()))?;
    let total = match &args.source {
        Some(s) => store.source_size(s)?,
        None => store.stats()?.articles as usize,
    };
    let pipeline = crate::boilerplate::pipeline_for(&store)?;
    let stop = progress::interrupt_flag();
    let bar = progress::bar(total as u64, "articles");
    let started = Instant::now();
    let counts = reprocess(
        &mut store,
        &pipeline,
        args.source.as_deref(),
        args.all,
        &bar,
        &stop,
    )?;
    bar.finish_and_clear();
    let interrupted = stop.load(Ordering::SeqCst);
    eprintln!(
        "{} {} article(s): {} reprocessed, {} already current, {} kept as they were, {} entity mention(s) resolved again in {:.1} s{}",
        if interrupted {
            "interrupted after checking"
        } else {
            "checked"
        },
        counts.checked,
        counts.redone,
        counts.checked - counts.redone - counts.failed,
        counts.failed,
        counts.mentions,
        started.elapsed().as_secs_f64(),
        if interrupted {
            "; run again to continue"
        } else {
            ""
        }
    );
    Ok(if interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reprocesses stale articles (every one with `all`), optionally of one
/// source, page by page; stops between pages when `stop` is set.
pub fn reprocess(
    store: &mut Store,
    pipeline: &Pipeline,
    source: Option<&str>,
    all: bool,
    bar: &ProgressBar,
    stop: &AtomicBool,
) -> anyhow::Result<Counts> {
    let (extractor, layers) = pipeline.components();
    let mut counts = Counts::default();
    let mut identity = crate::entities::Identity::open(store)?;
    let mut after = 0;
    while !stop.load(Ordering::SeqCst) {
        let page = store.reprocess_page(after, PAGE, source)?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        counts.checked += page.len();
        let stale: Vec<&ReprocessInput> = page
            .iter()
            .map(|(_, input)| input)
            .filter(|i| all || i.extractor != extractor || i.layer_components != layers)
            .collect();
        let results: Vec<_> = stale
            .par_iter()
            .map(|i| {
                (
                    i.id,
                    pipeline.reprocess(i.id, i.format, &i.content, &i.hints),
                )
            })
            .collect();
        let mut forgotten = Vec::new();
        for (id, result) in results {
            match result {
                Ok(article) => {
                    let derived = store.replace_derived(&article)?;
                    if derived.mentions_forgotten {
                        forgotten.push(derived.seq);
                    }
                    counts.redone += 1;
                }
                Err(reason) => {
                    // Keep the old derived data rather than lose the article.
                    counts.failed += 1;
                    progress::warn(bar, &format!("{id}: {reason}; kept the previous version"));
                }
            }
        }
        counts.mentions += identity.resolve_again(store, &forgotten)?;
        bar.inc(page.len() as u64);
    }
    store.commit_index()?;
    Ok(counts)
}
