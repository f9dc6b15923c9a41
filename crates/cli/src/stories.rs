//! Stories: online story assignment during ingest, `dossier stories`,
//! `dossier story ID` and `dossier similarity A B`.
//!
//! At the start of an ingest the clusterer is rebuilt from the most recent
//! assigned articles (bounded, see [`REBUILD_ARTICLES`]); after each
//! committed batch every article in no story is assigned, in order.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dossier_core::Article;
use dossier_ingest::IngestOptions;
use dossier_link::similarity::{similarity, DocFreq, Features};
use dossier_link::stories::StoryClusterer;
use dossier_pipeline::Pipeline;
use dossier_store::{Store, StoryInput};

use crate::print_json;

/// Articles read back to rebuild the clusterer's state at the start of a run.
const REBUILD_ARTICLES: usize = 5000;
/// Unassigned articles read per page.
const PAGE: usize = 1024;

/// Days since 1970-01-01 of a stored date (`YYYY-MM-DD...`).
fn day_of(published: Option<&str>) -> Option<i64> {
    let date: jiff::civil::Date = published?.get(..10)?.parse().ok()?;
    let epoch = jiff::civil::date(1970, 1, 1);
    Some(i64::from((date - epoch).get_days()))
}

fn features_of(input: &StoryInput) -> Features {
    let entities = (!input.entities.is_empty()).then_some(input.entities.as_slice());
    Features::new(
        &input.title,
        &input.text,
        entities,
        day_of(input.published.as_deref()),
    )
}

fn features_of_article(a: &Article) -> Features {
    let entities: Vec<String> = a
        .layers
        .get("entities")
        .map(|l| {
            let chars: Vec<char> = a.text.chars().collect();
            l.spans
                .iter()
                .filter(|s| s.start < s.end && s.end <= chars.len())
                .map(|s| chars[s.start..s.end].iter().collect())
                .collect()
        })
        .unwrap_or_default();
    let published = a.published.as_ref().map(|d| d.value.as_str());
    let e = (!entities.is_empty()).then_some(entities.as_slice());
    Features::new(&a.title, &a.text, e, day_of(published))
}

pub struct Stories {
    clusterer: StoryClusterer,
    after: i64,
}

impl Stories {
    pub fn open(store: &Store) -> anyhow::Result<Stories> {
        let mut clusterer = StoryClusterer::default();
        for input in store.recent_story_inputs(REBUILD_ARTICLES)? {
            let f = features_of(&input);
            clusterer.count_df(&f);
            if let Some(id) = input.story_id {
                clusterer.add_to(id as u64, &f);
            }
        }
        clusterer.reserve_ids_above(store.max_story_id()? as u64);
        Ok(Stories {
            clusterer,
            after: 0,
        })
    }

    /// Assigns every stored article that is in no story yet. Returns how many.
    pub fn catch_up(&mut self, store: &mut Store) -> anyhow::Result<usize> {
        let mut done = 0;
        loop {
            let page = store.unassigned_story_inputs(self.after, PAGE)?;
            let Some(last) = page.last() else { break };
            self.after = last.seq;
            let mut rows = Vec::with_capacity(page.len());
            for input in &page {
                let a = self.clusterer.assign(&features_of(input));
                let label = a.new_story.then(|| input.title.clone());
                rows.push((input.seq, a.story as i64, label));
            }
            store.assign_stories(&rows)?;
            done += rows.len();
        }
        Ok(done)
    }
}

#[derive(Args)]
pub struct StoriesArgs {
    /// Only stories seen on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only stories seen on or before this day (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct StoryArgs {
    /// Story id (from `dossier stories`).
    #[arg(required = true)]
    id: Option<i64>,
    #[arg(long)]
    json: bool,
    /// Corrections: merge, split, move.
    #[command(subcommand)]
    fix: Option<crate::correct::StoryFix>,
}

#[derive(Args)]
pub struct SimilarityArgs {
    /// Two article files (page, text, feed, WARC or e-mail; the first document of each).
    a: PathBuf,
    b: PathBuf,
    #[arg(long)]
    json: bool,
}

pub fn stories(data: &Path, args: StoriesArgs) -> anyhow::Result<ExitCode> {
    for d in [&args.since, &args.until].into_iter().flatten() {
        crate::day_bound(d, false)?;
    }
    let store = Store::open_read(data)?;
    let list = store.stories(args.since.as_deref(), args.until.as_deref())?;
    if args.json {
        print_json(&list)?;
    } else {
        for s in &list {
            println!(
                "{:>6}  {} .. {}  {:>3} article(s)  {}",
                s.id,
                s.first_seen
                    .as_deref()
                    .map_or("?", |d| d.get(..10).unwrap_or(d)),
                s.last_seen
                    .as_deref()
                    .map_or("?", |d| d.get(..10).unwrap_or(d)),
                s.articles,
                s.label
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn story(data: &Path, args: StoryArgs) -> anyhow::Result<ExitCode> {
    let (id, fix) = (args.id, args.fix);
    let Some(id) = id else {
        return match fix {
            Some(fix) => crate::correct::story_fix(data, fix),
            None => anyhow::bail!("give a story id (see `dossier stories`)"),
        };
    };
    let store = Store::open_read(data)?;
    let d = store.story(id)?;
    if args.json {
        print_json(&d)?;
    } else {
        println!("story {}: {}", d.story.id, d.story.label);
        println!(
            "{} .. {}; outlets: {}; languages: {}",
            d.story.first_seen.as_deref().unwrap_or("?"),
            d.story.last_seen.as_deref().unwrap_or("?"),
            d.story.outlets.join(", "),
            d.story.languages.join(", ")
        );
        if let Some(line) = store.storyline_of_story(id)? {
            println!(
                "storyline {}: {} ({} stories; `dossier storyline {}`)",
                line.id, line.label, line.stories, line.id
            );
        }
        for m in &d.members {
            println!(
                "  {}  {}  {}  {}",
                &m.id[..12.min(m.id.len())],
                m.published.as_deref().unwrap_or("?"),
                m.source.as_deref().unwrap_or("-"),
                m.title
            );
        }
        for r in &d.edits {
            println!(
                "  edited: {} changed its article {} ({}, revision {}, +{} -{} words; see `dossier revisions {}`)",
                r.source.as_deref().unwrap_or("an outlet"),
                r.url,
                &r.fetched_at[..10.min(r.fetched_at.len())],
                r.revision,
                r.words_added,
                r.words_removed,
                &r.article_id[..12.min(r.article_id.len())]
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first article of a file, through the same ingest and pipeline code
/// as `dossier analyze`.
fn first_article(path: &Path, pipeline: &Pipeline) -> anyhow::Result<Article> {
    let name = path.display().to_string();
    let mut found: Option<Result<Article, String>> = None;
    crate::single::for_each_document(path, &IngestOptions::default(), &mut |doc| {
        found = Some(pipeline.process(&doc).map_err(|e| e.to_string()));
        Ok(false)
    })?;
    match found {
        Some(Ok(a)) => Ok(a),
        Some(Err(reason)) => anyhow::bail!("{name}: {reason}"),
        None => anyhow::bail!("{name}: no article found"),
    }
}

pub fn similarity_cmd(args: SimilarityArgs) -> anyhow::Result<ExitCode> {
    let pipeline = Pipeline::default();
    let a = features_of_article(&first_article(&args.a, &pipeline)?);
    let b = features_of_article(&first_article(&args.b, &pipeline)?);
    let mut df = DocFreq::new();
    df.add(&a);
    df.add(&b);
    let s = similarity(&a, &b, &df);
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let value = serde_json::json!({
        "similarity": round(s.score),
        "cosine": round(s.cosine),
        "title": s.title.map(round),
        "entities": s.entities.map(round),
        "numbers": s.numbers.map(round),
        "time": s.time.map(round),
    });
    if args.json {
        print_json(&value)?;
    } else {
        println!("similarity {:.4}", s.score);
        for key in ["cosine", "title", "entities", "numbers", "time"] {
            match value[key].as_f64() {
                Some(v) => println!("  {key:<9}{v:.4}"),
                None => println!("  {key:<9}-"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
