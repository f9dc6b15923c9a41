//! `dossier timeline`: the dated events of an entity, a search topic or a
//! story, dated by when they happened (the articles' `timexes` layer), with
//! cited sentences and a coverage chart. The method lives in
//! `dossier_brief::timeline`; this module picks the articles from the store
//! and prints.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{ArgGroup, Args, ValueEnum};
use dossier_brief::timeline::{self, Options};
use dossier_store::{SearchFilter, Store, StoreError};

use crate::print_json;

#[derive(Clone, Copy, ValueEnum)]
pub enum TimelineFormat {
    Md,
    Html,
    Json,
    Svg,
}

#[derive(Args)]
#[command(group(ArgGroup::new("subject").required(true).args(["entity", "topic", "story"])))]
pub struct TimelineArgs {
    /// An entity, by any spelling the store knows (`dossier entities` lists them).
    entity: Option<String>,
    /// The articles matching this full-text query.
    #[arg(long)]
    topic: Option<String>,
    /// The articles of one story (`dossier stories` lists them).
    #[arg(long)]
    story: Option<i64>,
    /// Keep the N most important dates.
    #[arg(long = "dates", short = 'n', default_value_t = 10)]
    dates: usize,
    /// Sentences per date at most.
    #[arg(long, default_value_t = 2)]
    sentences: usize,
    /// First event day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Last event day (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Articles at most for --topic (best matches first).
    #[arg(long, default_value_t = 1000)]
    max_articles: usize,
    /// Output format: Markdown, a standalone HTML page, JSON, or the SVG chart alone.
    #[arg(long, value_enum, default_value_t = TimelineFormat::Md)]
    format: TimelineFormat,
    /// The same as --format json.
    #[arg(long)]
    json: bool,
}

fn check_day(day: Option<String>, flag: &str) -> anyhow::Result<Option<String>> {
    match day {
        None => Ok(None),
        Some(d) => {
            let date: jiff::civil::Date = d
                .trim()
                .parse()
                .map_err(|e| anyhow::anyhow!("{flag} {d:?}: expected YYYY-MM-DD ({e})"))?;
            Ok(Some(date.to_string()))
        }
    }
}

/// Words of a search query worth requiring in a sentence.
fn query_words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(str::to_lowercase)
        .collect()
}

pub fn run(data: &Path, args: TimelineArgs) -> anyhow::Result<ExitCode> {
    let since = check_day(args.since, "--since")?;
    let until = check_day(args.until, "--until")?;
    if let (Some(s), Some(u)) = (&since, &until) {
        anyhow::ensure!(s <= u, "--since {s} is after --until {u}");
    }
    let store = Store::open_read(data)?;
    let (subject, ids, keywords): (String, Vec<String>, Vec<String>) = if let Some(name) =
        &args.entity
    {
        let key = dossier_link::identity::name_key(name);
        let id = store.find_entity(name.trim(), &key)?.with_context(|| {
            format!("no entity named {name:?} (`dossier entities` lists the known ones)")
        })?;
        let detail = store
            .entity_detail(id, 0, 0)?
            .with_context(|| format!("no entity named {name:?}"))?;
        let mut keywords: Vec<String> = detail.variants.iter().map(|v| v.variant.clone()).collect();
        keywords.push(detail.canonical.clone());
        (
            format!("entity {}", detail.canonical),
            store.entity_article_ids(id)?,
            keywords,
        )
    } else if let Some(query) = &args.topic {
        let filter = SearchFilter {
            limit: args.max_articles.max(1),
            ..SearchFilter::default()
        };
        let hits = store.search(query, &filter).context("--topic search")?;
        (
            format!("topic \"{query}\""),
            hits.into_iter().map(|h| h.id).collect(),
            query_words(query),
        )
    } else if let Some(story) = args.story {
        let detail = match store.story(story) {
            Ok(d) => d,
            Err(StoreError::NotFound(_)) => {
                anyhow::bail!("no story {story} (`dossier stories` lists them)")
            }
            Err(e) => return Err(e.into()),
        };
        (
            format!("story {story}: {}", detail.story.label),
            detail.members.into_iter().map(|m| m.id).collect(),
            Vec::new(),
        )
    } else {
        anyhow::bail!("give an ENTITY, --topic QUERY or --story ID");
    };
    let mut articles = Vec::with_capacity(ids.len());
    for id in &ids {
        articles.push(crate::brief::brief_article(
            store.article(id).with_context(|| format!("reading {id}"))?,
        ));
    }
    let mut opts = Options {
        max_dates: args.dates,
        sentences_per_date: args.sentences,
        since,
        until,
        keywords,
        subject,
        ..Options::default()
    };
    let mut tl = timeline::build(&articles, &opts);
    if tl.events.is_empty() && !opts.keywords.is_empty() {
        // No dated sentence names the subject: take any dated sentence of
        // the subject's articles rather than nothing.
        opts.keywords.clear();
        tl = timeline::build(&articles, &opts);
    }
    match (args.json, args.format) {
        (true, _) | (_, TimelineFormat::Json) => print_json(&tl)?,
        (false, TimelineFormat::Md) => print!("{}", timeline::to_markdown(&tl)),
        (false, TimelineFormat::Html) => print!("{}", timeline::to_html(&tl)),
        (false, TimelineFormat::Svg) => print!("{}", timeline::to_svg(&tl)),
    }
    Ok(ExitCode::SUCCESS)
}
