//! Storylines: `dossier storylines [--rebuild]` and `dossier storyline ID`.
//!
//! Storylines are derived from the stories (`dossier_link::storylines`
//! links them; the store keeps the result). Rebuilding reads every story's
//! entities and titles, which costs more than an ingest batch should pay,
//! so ingest does not do it: `dossier storylines` and `dossier storyline`
//! rebuild first whenever the stories changed since the last build (the
//! store's stamp differs from the one recorded with the storylines), and
//! `--rebuild` forces it. `dossier serve` shows the last build.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use dossier_brief::day_number;
use dossier_brief::timeline::{self, Options, Timeline};
use dossier_link::storylines::{self as link, EntityCount, Linking, StoryInput};
use dossier_store::{NewStoryline, Store, StoreError, StorylineDetail};

use crate::print_json;

/// Articles read for a storyline's timeline at most (shared evenly among
/// its stories; see `Store::storyline_article_ids`).
const TIMELINE_ARTICLES: usize = 1000;

#[derive(Args)]
pub struct StorylinesArgs {
    /// Recompute the storylines from the stories even if nothing changed.
    #[arg(long)]
    rebuild: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StorylineFormat {
    Md,
    Json,
    Svg,
}

#[derive(Args)]
pub struct StorylineArgs {
    /// Storyline id (from `dossier storylines`).
    id: i64,
    /// Output format: text with a Markdown timeline, JSON, or the coverage chart (SVG).
    #[arg(long, value_enum, default_value_t = StorylineFormat::Md)]
    format: StorylineFormat,
    /// The same as --format json.
    #[arg(long)]
    json: bool,
    /// Keep the N most important dates in the timeline.
    #[arg(long = "dates", short = 'n', default_value_t = 10)]
    dates: usize,
}

/// The stamp a build is current for: the linking rule's version and the
/// store's stories stamp.
fn current_stamp(store: &Store) -> anyhow::Result<String> {
    Ok(format!("v{}:{}", link::VERSION, store.storylines_stamp()?))
}

/// What linking needs of every story.
fn link_inputs(store: &Store) -> anyhow::Result<Vec<StoryInput>> {
    let stories = store.story_profile_inputs()?;
    Ok(stories
        .into_iter()
        .map(|s| StoryInput {
            id: s.id,
            articles: s.articles,
            titles: s.titles,
            entities: s
                .entities
                .into_iter()
                .map(|e| EntityCount {
                    id: e.entity_id,
                    name: e.name,
                    articles: e.articles,
                    mentions: e.mentions,
                })
                .collect(),
            first_day: s.first_seen.as_deref().and_then(day_number),
            last_day: s.last_seen.as_deref().and_then(day_number),
        })
        .collect())
}

/// Recomputes and stores all storylines (the caller holds the write lock,
/// so the stories cannot change in between).
fn rebuild(store: &mut Store) -> anyhow::Result<(usize, Linking)> {
    let stamp = current_stamp(store)?;
    let inputs = link_inputs(store)?;
    let linking = link::link(&inputs);
    let lines: Vec<NewStoryline> = linking
        .storylines
        .iter()
        .map(|s| NewStoryline {
            id: s.id,
            label: s.label.clone(),
            stories: s.stories.clone(),
        })
        .collect();
    store.replace_storylines(&lines, &stamp)?;
    Ok((inputs.len(), linking))
}

/// Rebuilds on a store open for writing when the stories changed since the
/// last build; `ingest`, `watch` and uploads call it as they finish, so the
/// web UI (which never writes on a read) shows current storylines.
pub(crate) fn refresh_open(store: &mut Store) -> anyhow::Result<()> {
    if store.storylines_built_from()? != Some(current_stamp(store)?) {
        rebuild(store)?;
    }
    Ok(())
}

/// Rebuilds when forced or when the stories changed since the last build.
/// A store that cannot be opened for writing (another writer holds it)
/// keeps its last build, with a warning, unless the rebuild was asked for.
fn refresh(data: &Path, force: bool) -> anyhow::Result<()> {
    let store = Store::open_read(data)?;
    let stale = store.storylines_built_from()? != Some(current_stamp(&store)?);
    drop(store);
    if !force && !stale {
        return Ok(());
    }
    let mut store = match Store::open_write(data) {
        Ok(s) => s,
        // Showing slightly old storylines beats failing a read.
        Err(e) if !force => {
            eprintln!(
                "dossier: the stories changed but the storylines could not be rebuilt ({e}); \
                 showing the last build (`dossier storylines --rebuild` retries)"
            );
            return Ok(());
        }
        Err(e) => return Err(e).context("rebuilding storylines"),
    };
    let (stories, linking) = rebuild(&mut store)?;
    eprintln!(
        "storylines: {} from {stories} stories ({} link(s))",
        linking.storylines.len(),
        linking.links.len()
    );
    Ok(())
}

pub fn list(data: &Path, args: StorylinesArgs) -> anyhow::Result<ExitCode> {
    refresh(data, args.rebuild)?;
    let store = Store::open_read(data)?;
    let lines = store.storylines()?;
    if args.json {
        print_json(&lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if lines.is_empty() {
        out.push_str("no storylines: no stories continue one another yet\n");
    }
    for l in &lines {
        let _ = writeln!(
            out,
            "{:>6}  {} .. {}  {:>3} stories  {:>4} article(s)  {}",
            l.id,
            short_day(l.first_seen.as_deref()),
            short_day(l.last_seen.as_deref()),
            l.stories,
            l.articles,
            l.label
        );
    }
    emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn short_day(d: Option<&str>) -> &str {
    d.map_or("?", |d| d.get(..10).unwrap_or(d))
}

/// The timeline of a storyline's articles (dossier_brief's method).
fn storyline_timeline(
    store: &Store,
    d: &StorylineDetail,
    dates: usize,
) -> anyhow::Result<Timeline> {
    let mut articles = Vec::new();
    for id in store.storyline_article_ids(d.storyline.id, TIMELINE_ARTICLES)? {
        let a = store
            .article(&id)
            .with_context(|| format!("reading {id}"))?;
        articles.push(crate::brief::brief_article(a));
    }
    let opts = Options {
        max_dates: dates,
        subject: format!("storyline {}: {}", d.storyline.id, d.storyline.label),
        ..Options::default()
    };
    Ok(timeline::build(&articles, &opts))
}

pub fn show(data: &Path, args: StorylineArgs) -> anyhow::Result<ExitCode> {
    refresh(data, false)?;
    let store = Store::open_read(data)?;
    let d = match store.storyline(args.id) {
        Ok(d) => d,
        Err(StoreError::NoSuch(_)) => {
            anyhow::bail!("no storyline {} (`dossier storylines` lists them)", args.id)
        }
        Err(e) => return Err(e.into()),
    };
    let tl = storyline_timeline(&store, &d, args.dates)?;
    let format = if args.json {
        StorylineFormat::Json
    } else {
        args.format
    };
    match format {
        StorylineFormat::Json => {
            let mut value = serde_json::to_value(&d)?;
            value["timeline"] = serde_json::to_value(&tl)?;
            print_json(&value)?;
        }
        StorylineFormat::Svg => emit(&timeline::to_svg(&tl))?,
        StorylineFormat::Md => emit(&text(&d, &tl))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The text form: the storyline, its stories in order, then the timeline.
fn text(d: &StorylineDetail, tl: &Timeline) -> String {
    let l = &d.storyline;
    let mut out = format!(
        "storyline {}: {}\n{} .. {}; {} stories, {} article(s)\n",
        l.id,
        l.label,
        short_day(l.first_seen.as_deref()),
        short_day(l.last_seen.as_deref()),
        l.stories,
        l.articles
    );
    for s in &d.members {
        let _ = writeln!(
            out,
            "  story {:>5}  {} .. {}  {:>3} article(s)  {}",
            s.id,
            short_day(s.first_seen.as_deref()),
            short_day(s.last_seen.as_deref()),
            s.articles,
            s.label
        );
    }
    out.push('\n');
    out.push_str(&timeline::to_markdown(tl));
    out
}
