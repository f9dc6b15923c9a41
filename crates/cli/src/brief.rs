//! `dossier brief`: the briefing memo of a time window (ranking, sentence
//! choice and what's new live in `dossier-brief`; this module reads the
//! store, saves each brief in its history and prints), and `dossier
//! briefs`: that history.

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use dossier_brief::{Brief, BriefArticle, Options, Previous, StoryInput};
use dossier_store::{SearchFilter, Store, StoredArticle};
use serde_json::json;

use crate::print_json;

#[derive(Clone, Copy, ValueEnum)]
pub enum BriefFormat {
    Md,
    Json,
    /// A standalone HTML page (inline CSS).
    Html,
}

#[derive(Args)]
pub struct BriefArgs {
    /// First day of the window (YYYY-MM-DD); default: 6 days before --until, or with
    /// --since-brief the earlier brief's last day.
    #[arg(long)]
    since: Option<String>,
    /// Last day of the window (YYYY-MM-DD); default: the newest publication day in the store.
    #[arg(long)]
    until: Option<String>,
    /// Only stories with an article matching this full-text query (with --since-brief:
    /// default the earlier brief's).
    #[arg(long)]
    topic: Option<String>,
    /// Only stories with an article mentioning this entity, any spelling (with
    /// --since-brief: default the earlier brief's).
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
    /// What is new since saved brief ID: per story it covered, only new facts, new or revised
    /// numbers, new outlets, new people and organisations; its stories with nothing new are
    /// listed as quiet.
    #[arg(long, value_name = "ID")]
    since_brief: Option<i64>,
    /// --since-brief with the newest saved brief.
    #[arg(long, conflicts_with = "since_brief")]
    whats_new: bool,
    /// Do not save this brief in the history (`dossier briefs`).
    #[arg(long)]
    no_save: bool,
}

#[derive(Args)]
pub struct BriefsArgs {
    /// Print saved brief ID again, exactly as it was made.
    id: Option<i64>,
    /// Briefs listed at most, newest first.
    #[arg(short = 'n', long, default_value_t = 50)]
    limit: usize,
    /// Format of a printed brief (md, json, html); the list is a table, or JSON with --json.
    #[arg(long, value_enum)]
    format: Option<BriefFormat>,
    /// JSON: the list, or the brief (the same as --format json).
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

/// A stored article as the memo and timeline builders take it (one
/// adapter for `brief`, `timeline` and `storyline`).
pub(crate) fn brief_article(a: StoredArticle) -> BriefArticle {
    BriefArticle {
        id: a.id,
        title: a.title,
        source: a.source,
        url: a.url,
        published: a.published.map(|p| p.value),
        authors: a.authors,
        text: a.text,
        layers: a.layers,
    }
}

/// Saved brief `id` with the articles it cited, as the store has them now.
fn load_previous(store: &Store, id: i64) -> anyhow::Result<(Previous, serde_json::Value)> {
    let record = store.brief_record(id)?.with_context(|| {
        format!("no saved brief with id {id} (`dossier briefs` lists the saved ones)")
    })?;
    let brief: Brief = serde_json::from_str(&record.brief)
        .with_context(|| format!("saved brief {id} cannot be read"))?;
    let options: serde_json::Value = serde_json::from_str(&record.options).unwrap_or(json!({}));
    let mut ids: Vec<String> = Vec::new();
    for s in brief.items.iter().flat_map(|i| &i.sources) {
        for a in std::iter::once(s).chain(&s.copies) {
            if !ids.contains(&a.id) {
                ids.push(a.id.clone());
            }
        }
    }
    let articles = store.articles_present(&ids)?;
    let previous = Previous {
        id,
        created_at: record.summary.created_at,
        brief,
        articles: articles.into_iter().map(brief_article).collect(),
    };
    Ok((previous, options))
}

/// The window and filters a brief is made with, after defaults.
struct Request {
    since: String,
    until: String,
    topic: Option<String>,
    entity: Option<String>,
}

fn request(
    store: &Store,
    args: &BriefArgs,
    previous: Option<&(Previous, serde_json::Value)>,
) -> anyhow::Result<Request> {
    let until = match &args.until {
        Some(d) => shift_day(d, 0)?,
        None => match store.latest_published_day()? {
            Some(d) => d,
            None => anyhow::bail!("no dated articles in the store; pass --since and --until"),
        },
    };
    let since = match (&args.since, previous) {
        (Some(d), _) => shift_day(d, 0)?,
        // The earlier brief's last day is read again: an article of that
        // day it did not cite (ingested later) is new.
        (None, Some((p, _))) => shift_day(&p.brief.until, 0)?.min(until.clone()),
        (None, None) => shift_day(&until, -6)?,
    };
    if since > until {
        anyhow::bail!("--since {since} is after --until {until}");
    }
    let earlier = |key: &str| {
        previous.and_then(|(_, o)| o.get(key).and_then(|v| v.as_str()).map(str::to_owned))
    };
    Ok(Request {
        since,
        until,
        topic: args.topic.clone().or_else(|| earlier("topic")),
        entity: args.entity.clone().or_else(|| earlier("entity")),
    })
}

/// Ids of the articles the filters allow, or `None` for all.
fn wanted(store: &Store, req: &Request) -> anyhow::Result<Option<HashSet<String>>> {
    let mut wanted: Option<HashSet<String>> = None;
    if let Some(query) = &req.topic {
        let filter = SearchFilter {
            since: Some(crate::day_bound(&req.since, false)?),
            until: Some(crate::day_bound(&req.until, true)?),
            limit: 1000,
            ..SearchFilter::default()
        };
        let hits = store.search(query, &filter).context("--topic search")?;
        wanted = Some(hits.into_iter().map(|h| h.id).collect());
    }
    if let Some(name) = &req.entity {
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
    Ok(wanted)
}

/// How many of a story's newest earlier articles background may draw on
/// (besides its first).
const HISTORY_LATEST: usize = 2;

fn stories(store: &Store, req: &Request) -> anyhow::Result<Vec<StoryInput>> {
    let wanted = wanted(store, req)?;
    let mut out = Vec::new();
    for group in store.brief_stories(&req.since, &req.until)? {
        if let Some(w) = &wanted {
            if !group.articles.iter().any(|a| w.contains(&a.id)) {
                continue;
            }
        }
        let ids: Vec<String> = group.articles.iter().map(|a| a.id.clone()).collect();
        let copies = store.copy_pairs_among(&ids)?;
        let earlier = store.story_history(group.story, &req.since, HISTORY_LATEST)?;
        out.push(StoryInput {
            story: group.story,
            copies,
            articles: group.articles.into_iter().map(brief_article).collect(),
            earlier: earlier.into_iter().map(brief_article).collect(),
        });
    }
    Ok(out)
}

fn print_brief(brief: &Brief, format: BriefFormat) -> anyhow::Result<()> {
    match format {
        BriefFormat::Json => print_json(brief)?,
        BriefFormat::Md => print!("{}", dossier_brief::to_markdown(brief)),
        BriefFormat::Html => print!("{}", dossier_brief::to_html(brief)),
    }
    Ok(())
}

pub fn run(data: &Path, args: BriefArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read(data)?;
    let previous_id = match (args.since_brief, args.whats_new) {
        (Some(id), _) => Some(id),
        (None, true) => Some(
            store
                .latest_brief_id()?
                .context("--whats-new: no saved brief yet (make one with `dossier brief`)")?,
        ),
        (None, false) => None,
    };
    let previous = previous_id
        .map(|id| load_previous(&store, id))
        .transpose()?;
    let req = request(&store, &args, previous.as_ref())?;
    let stories = stories(&store, &req)?;
    let opts = Options {
        since: req.since.clone(),
        until: req.until.clone(),
        max_items: args.items,
        ..Options::default()
    };
    let mut brief = dossier_brief::build_since(&stories, &opts, previous.as_ref().map(|(p, _)| p));
    add_edits(&store, &mut brief)?;
    if !args.no_save {
        save(&store, &req, &opts, previous_id, &brief);
    }
    let format = if args.json {
        BriefFormat::Json
    } else {
        args.format
    };
    print_brief(&brief, format)?;
    Ok(ExitCode::SUCCESS)
}

/// Notes on each item the sources their outlet edited after publication
/// (revisions found by `fetch` or `watch`).
fn add_edits(store: &Store, brief: &mut Brief) -> anyhow::Result<()> {
    for item in &mut brief.items {
        let ids: Vec<String> = item
            .sources
            .iter()
            .flat_map(|s| std::iter::once(s).chain(&s.copies))
            .map(|s| s.id.clone())
            .collect();
        for id in ids {
            for r in store.revisions_of_article(&id)? {
                if r.article_id == id {
                    item.edits.push(dossier_brief::Edit {
                        article: r.article_id,
                        source: r.source,
                        url: r.url,
                        revision: r.revision,
                        found: r.fetched_at,
                        words_added: r.words_added,
                        words_removed: r.words_removed,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Saves the brief in the history. A brief that cannot be saved (a store
/// on read-only media, a lock held too long) is still printed: the memo is
/// what the user asked for; stderr says the history missed it.
fn save(store: &Store, req: &Request, opts: &Options, since_brief: Option<i64>, brief: &Brief) {
    let options = json!({
        "since": req.since, "until": req.until, "topic": req.topic, "entity": req.entity,
        "since_brief": since_brief, "items": opts.max_items, "sentences": opts.max_sentences,
    });
    let saved = serde_json::to_value(brief)
        .map_err(anyhow::Error::from)
        .and_then(|body| Ok(store.save_brief(&options, &body)?));
    match saved {
        Ok(id) => eprintln!(
            "saved as brief {id}; `dossier brief --since-brief {id}` will say what is new since"
        ),
        Err(e) => eprintln!("warning: the brief was not saved in the history: {e:#}"),
    }
}

/// `dossier briefs [ID]`: the saved briefs, or one of them again.
pub fn list(data: &Path, args: BriefsArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read(data)?;
    if let Some(id) = args.id {
        let record = store.brief_record(id)?.with_context(|| {
            format!("no saved brief with id {id} (`dossier briefs` lists the saved ones)")
        })?;
        let brief: Brief = serde_json::from_str(&record.brief)
            .with_context(|| format!("saved brief {id} cannot be read"))?;
        let format = match (args.json, args.format) {
            (true, _) => BriefFormat::Json,
            (false, f) => f.unwrap_or(BriefFormat::Md),
        };
        print_brief(&brief, format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let briefs = store.list_briefs(args.limit)?;
    if args.json {
        print_json(&briefs)?;
        return Ok(ExitCode::SUCCESS);
    }
    if briefs.is_empty() {
        println!("no saved briefs (every `dossier brief` is saved unless --no-save)");
    }
    for b in &briefs {
        let mut line = format!(
            "{:>4}  {}  {} to {}  {} item(s)",
            b.id, b.created_at, b.since, b.until, b.items
        );
        if let Some(t) = &b.topic {
            line.push_str(&format!("  topic {t:?}"));
        }
        if let Some(e) = &b.entity {
            line.push_str(&format!("  entity {e:?}"));
        }
        if let Some(p) = b.since_brief {
            line.push_str(&format!("  since brief {p}"));
        }
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}
