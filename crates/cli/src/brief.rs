//! `dossier brief`: the briefing memo of a time window (ranking and
//! sentence choice live in `dossier-brief`; this module reads the store and
//! prints).

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use dossier_brief::{BriefArticle, Options, StoryInput};
use dossier_store::{SearchFilter, Store};

use crate::print_json;

#[derive(Clone, Copy, ValueEnum)]
pub enum BriefFormat {
    Md,
    Json,
}

#[derive(Args)]
pub struct BriefArgs {
    /// First day of the window (YYYY-MM-DD); default: 6 days before --until.
    #[arg(long)]
    since: Option<String>,
    /// Last day of the window (YYYY-MM-DD); default: the newest publication day in the store.
    #[arg(long)]
    until: Option<String>,
    /// Only stories with an article matching this full-text query.
    #[arg(long)]
    topic: Option<String>,
    /// Only stories with an article mentioning this entity (any spelling).
    #[arg(long)]
    entity: Option<String>,
    /// Items at most.
    #[arg(short = 'n', long, default_value_t = 10)]
    items: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Md)]
    format: BriefFormat,
    /// The same as --format json.
    #[arg(long)]
    json: bool,
}

fn shift_day(day: &str, days: i64) -> anyhow::Result<String> {
    let date: jiff::civil::Date = day
        .parse()
        .map_err(|e| anyhow::anyhow!("invalid date {day:?} (expected YYYY-MM-DD): {e}"))?;
    Ok(date
        .checked_add(jiff::Span::new().days(days))
        .map_err(|e| anyhow::anyhow!("date {day:?}: {e}"))?
        .to_string())
}

pub fn run(data: &Path, args: BriefArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read(data)?;
    let until = match args.until {
        Some(d) => shift_day(&d, 0)?,
        None => match store.latest_published_day()? {
            Some(d) => d,
            None => anyhow::bail!("no dated articles in the store; pass --since and --until"),
        },
    };
    let since = match args.since {
        Some(d) => shift_day(&d, 0)?,
        None => shift_day(&until, -6)?,
    };
    let mut wanted: Option<HashSet<String>> = None;
    if let Some(query) = &args.topic {
        let filter = SearchFilter {
            since: Some(crate::day_bound(&since, false)?),
            until: Some(crate::day_bound(&until, true)?),
            limit: 1000,
            ..SearchFilter::default()
        };
        let hits = store.search(query, &filter).context("--topic search")?;
        wanted = Some(hits.into_iter().map(|h| h.id).collect());
    }
    if let Some(name) = &args.entity {
        let key = dossier_link::identity::name_key(name);
        let id = store
            .find_entity(name.trim(), &key)?
            .with_context(|| format!("no entity named {name:?}"))?;
        let ids: HashSet<String> = store.entity_article_ids(id)?.into_iter().collect();
        wanted = Some(match wanted {
            Some(w) => w.intersection(&ids).cloned().collect(),
            None => ids,
        });
    }
    let mut stories = Vec::new();
    for group in store.brief_stories(&since, &until)? {
        if let Some(w) = &wanted {
            if !group.articles.iter().any(|a| w.contains(&a.id)) {
                continue;
            }
        }
        let ids: Vec<String> = group.articles.iter().map(|a| a.id.clone()).collect();
        let copies = store.copy_pairs_among(&ids)?;
        stories.push(StoryInput {
            story: group.story,
            copies,
            articles: group
                .articles
                .into_iter()
                .map(|a| BriefArticle {
                    id: a.id,
                    title: a.title,
                    source: a.source,
                    url: a.url,
                    published: a.published.map(|p| p.value),
                    text: a.text,
                    layers: a.layers,
                })
                .collect(),
        });
    }
    let brief = dossier_brief::build(
        &stories,
        &Options {
            since,
            until,
            max_items: args.items,
            ..Options::default()
        },
    );
    match (args.json, args.format) {
        (true, _) | (_, BriefFormat::Json) => print_json(&brief)?,
        (false, BriefFormat::Md) => print!("{}", dossier_brief::to_markdown(&brief)),
    }
    Ok(ExitCode::SUCCESS)
}
