//! `dossier reprocess`: redo extraction and analysis for articles made by
//! older components (or all of them), from the content kept in the store.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use dossier_pipeline::Pipeline;
use dossier_store::{ReprocessInput, Store};
use rayon::prelude::*;

use crate::progress;

#[derive(Args)]
pub struct ReprocessArgs {
    /// Redo every article, not only those made by older components.
    #[arg(long)]
    all: bool,
}

const PAGE: usize = 256;

pub fn run(data: &Path, args: ReprocessArgs) -> anyhow::Result<ExitCode> {
    let mut store =
        Store::open_write(data).with_context(|| format!("cannot open store {}", data.display()))?;
    let total = store.stats()?.articles as u64;
    let pipeline = Pipeline::default();
    let (extractor, layers) = pipeline.components();
    let stop = progress::interrupt_flag();
    let bar = progress::bar(total, "articles");
    let started = Instant::now();
    let (mut checked, mut redone, mut failed) = (0usize, 0usize, 0usize);
    let mut after = 0;
    while !stop.load(Ordering::SeqCst) {
        let page = store.reprocess_page(after, PAGE)?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        checked += page.len();
        let stale: Vec<&ReprocessInput> = page
            .iter()
            .map(|(_, input)| input)
            .filter(|i| args.all || i.extractor != extractor || i.layer_components != layers)
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
        for (id, result) in results {
            match result {
                Ok(article) => {
                    store.replace_derived(&article)?;
                    redone += 1;
                }
                Err(reason) => {
                    // Keep the old derived data rather than lose the article.
                    failed += 1;
                    progress::warn(&bar, &format!("{id}: {reason}; kept the previous version"));
                }
            }
        }
        bar.inc(page.len() as u64);
    }
    store.commit_index()?;
    bar.finish_and_clear();
    let interrupted = stop.load(Ordering::SeqCst);
    eprintln!(
        "{} {checked} article(s): {redone} reprocessed, {} already current, {failed} kept as they were in {:.1} s{}",
        if interrupted { "interrupted after checking" } else { "checked" },
        checked - redone - failed,
        started.elapsed().as_secs_f64(),
        if interrupted { "; run again to continue" } else { "" }
    );
    Ok(if interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}
