//! Read commands: search, show, list, stats, links, copies, index.
//! Every one takes `--json`; the JSON shapes are documented in docs/JSON.md.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dossier_store::{ListFilter, SearchFilter, Store, StoredArticle};

use crate::{day_bound, print_json};

/// Filters shared by `search` and `list`.
#[derive(Args)]
pub struct Filters {
    /// Only articles from this source (outlet), exactly as stored.
    #[arg(long)]
    source: Option<String>,
    /// Only articles in this language (ISO 639-1, e.g. en, ru).
    #[arg(long)]
    lang: Option<String>,
    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// How many results to print.
    #[arg(long, short = 'n', default_value_t = 20)]
    limit: usize,
}

impl Filters {
    fn bounds(&self) -> anyhow::Result<(Option<i64>, Option<i64>)> {
        let since = self
            .since
            .as_deref()
            .map(|d| day_bound(d, false))
            .transpose()?;
        let until = self
            .until
            .as_deref()
            .map(|d| day_bound(d, true))
            .transpose()?;
        Ok((since, until))
    }
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words to find; "quoted phrases", AND/OR/-word and title:word work.
    query: String,
    #[command(flatten)]
    filters: Filters,
    /// Only articles that mention this entity (any spelling, or its id).
    #[arg(long)]
    entity: Option<String>,
    /// Only articles in this story (id).
    #[arg(long)]
    story: Option<i64>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ShowArgs {
    /// Article id, or a unique prefix of at least 4 hex digits.
    id: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    filters: Filters,
    /// Skip this many articles (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct StatsArgs {
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct LinksArgs {
    #[arg(long, short = 'n', default_value_t = 100)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CopiesArgs {
    /// Article id, or a unique prefix of at least 4 hex digits.
    id: String,
    /// Align with this (earlier) article, sentence by sentence: what ID
    /// reused verbatim or edited, what it added, what it dropped.
    #[arg(long, value_name = "OTHER")]
    with: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct IndexArgs {
    /// Drop the search index and rebuild it from the database.
    #[arg(long)]
    rebuild: bool,
}

fn open(data: &Path) -> anyhow::Result<Store> {
    Store::open_read(data).with_context(|| format!("cannot open store {}", data.display()))
}

pub fn search(data: &Path, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let (since, until) = args.filters.bounds()?;
    let entity = match &args.entity {
        Some(name) => Some(crate::correct::entity_id(&store, name)?),
        None => None,
    };
    let filter = SearchFilter {
        source: args.filters.source,
        language: args.filters.lang,
        since,
        until,
        limit: args.filters.limit,
        entity,
        story: args.story,
    };
    let hits = store.search(&args.query, &filter)?;
    if args.json {
        print_json(&hits)?;
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        eprintln!("no articles match {:?}", args.query);
    }
    let bold = std::io::stdout().is_terminal();
    for hit in &hits {
        println!(
            "{}  {}  {}  {}",
            &hit.id[..12],
            hit.published
                .as_deref()
                .map_or("          ", |d| d.get(..10).unwrap_or(d)),
            hit.source.as_deref().unwrap_or("-"),
            hit.title
        );
        println!("    {}", emphasize(&hit.snippet, &hit.highlights, bold));
    }
    Ok(ExitCode::SUCCESS)
}

/// Marks highlighted character ranges: bold on a terminal, `*word*` otherwise.
fn emphasize(snippet: &str, ranges: &[(usize, usize)], bold: bool) -> String {
    let (open, close) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("*", "*")
    };
    let mut out = String::with_capacity(snippet.len() + ranges.len() * 8);
    let mut ranges = ranges.iter().peekable();
    for (i, c) in snippet.chars().enumerate() {
        if ranges.peek().is_some_and(|r| r.0 == i) {
            out.push_str(open);
        }
        out.push(if c == '\n' { ' ' } else { c });
        if ranges.peek().is_some_and(|r| r.1 == i + 1) {
            out.push_str(close);
            ranges.next();
        }
    }
    out
}

pub fn show(data: &Path, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let article = store.article(&args.id)?;
    if args.json {
        print_json(&article)?;
    } else {
        print_article(&article);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_article(a: &StoredArticle) {
    println!("{}", a.title);
    println!("id:        {}", a.id);
    println!("source:    {}", a.source.as_deref().unwrap_or("-"));
    println!("url:       {}", a.url.as_deref().unwrap_or("-"));
    match &a.published {
        Some(d) => println!(
            "published: {} ({}, confidence {:.2})",
            d.value, d.method, d.confidence
        ),
        None => println!("published: unknown"),
    }
    println!("language:  {}", a.language.as_deref().unwrap_or("unknown"));
    if !a.authors.is_empty() {
        println!("authors:   {}", a.authors.join(", "));
    }
    println!(
        "seen:      {} time(s), first as {}",
        a.seen,
        a.sightings.first().map_or("-", |s| s.origin.as_str())
    );
    for (name, spans) in &a.layers {
        let c = &a.layer_components[name];
        println!(
            "layer:     {name} ({} spans, {} {})",
            spans.len(),
            c.name,
            c.version
        );
    }
    println!("\n{}", a.text);
}

pub fn list(data: &Path, args: ListArgs) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let (since, until) = args.filters.bounds()?;
    let rows = store.list(&ListFilter {
        source: args.filters.source,
        language: args.filters.lang,
        since,
        until,
        limit: args.filters.limit,
        offset: args.offset,
    })?;
    if args.json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        println!(
            "{}  {:10}  {:2}  {}  {}",
            &r.id[..12],
            r.published
                .as_deref()
                .map_or("", |d| d.get(..10).unwrap_or(d)),
            r.language.as_deref().unwrap_or("?"),
            r.source.as_deref().unwrap_or("-"),
            r.title
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stats(data: &Path, args: StatsArgs) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let s = store.stats()?;
    if args.json {
        print_json(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("store:     {} (schema {})", s.store, s.schema_version);
    println!(
        "articles:  {} ({} indexed, {} undated)",
        s.articles, s.indexed, s.undated
    );
    println!("sightings: {}", s.sightings);
    println!("text:      {} characters", s.text_chars);
    println!(
        "dates:     {} .. {}",
        s.earliest.as_deref().unwrap_or("-"),
        s.latest.as_deref().unwrap_or("-")
    );
    println!("links:     {} pending", s.links_pending);
    println!("runs:      {} ({} problems recorded)", s.runs, s.problems);
    let line = |name: &str, rows: &[(String, i64)]| {
        let parts: Vec<String> = rows
            .iter()
            .take(12)
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        println!("{name:10} {}", parts.join(", "));
    };
    line("formats:", &s.by_format);
    line("languages:", &s.by_language);
    line("sources:", &s.by_source);
    line("layers:", &s.layers);
    Ok(ExitCode::SUCCESS)
}

pub fn links(data: &Path, args: LinksArgs) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let links = store.links(args.limit)?;
    if args.json {
        print_json(&links)?;
        return Ok(ExitCode::SUCCESS);
    }
    for l in &links {
        println!("{}  {}", l.url, l.title.as_deref().unwrap_or(""));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn copies(data: &Path, args: CopiesArgs) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    if let Some(other) = &args.with {
        return aligned(&store, &args.id, other, args.json);
    }
    let copies = store.copies_of(&args.id)?;
    if args.json {
        print_json(&copies)?;
        return Ok(ExitCode::SUCCESS);
    }
    let this = store.article(&args.id)?;
    println!(
        "{}  {}  {}",
        &this.id[..12],
        this.source.as_deref().unwrap_or("-"),
        this.title
    );
    if copies.is_empty() {
        println!("no near-duplicates recorded");
    }
    for c in &copies {
        let when = match c.first {
            Some("this") => "later",
            Some("other") => "earlier",
            Some(_) => "same day",
            None => "undated",
        };
        println!(
            "  {}  {:10}  {:8}  jaccard {:.2}  {:3.0}% of this in it, {:3.0}% of it in this  {}  {}",
            &c.id[..12],
            c.published
                .as_deref()
                .map_or("", |d| d.get(..10).unwrap_or(d)),
            when,
            c.jaccard,
            c.this_in_other * 100.0,
            c.other_in_this * 100.0,
            c.source.as_deref().unwrap_or("-"),
            c.title
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn index(data: &Path, args: IndexArgs) -> anyhow::Result<ExitCode> {
    let mut store =
        Store::open_write(data).with_context(|| format!("cannot open store {}", data.display()))?;
    if args.rebuild {
        let n = store.rebuild_index()?;
        eprintln!("rebuilt the search index: {n} article(s)");
    } else {
        let n = store.sync_index()?;
        eprintln!("search index up to date ({n} article(s) added)");
    }
    Ok(ExitCode::SUCCESS)
}

/// `dossier copies ID --with OTHER`: ID's sentences against OTHER's.
fn aligned(store: &Store, id: &str, other: &str, json: bool) -> anyhow::Result<ExitCode> {
    let later = store.article(id)?;
    let earlier = store.article(other)?;
    let (l, e) = (
        later.span_texts("sentences"),
        earlier.span_texts("sentences"),
    );
    let l_texts: Vec<&str> = l.iter().map(|(_, t)| t.as_str()).collect();
    let e_texts: Vec<&str> = e.iter().map(|(_, t)| t.as_str()).collect();
    let alignment = dossier_link::align::align(&e_texts, &l_texts);
    if json {
        let matches: Vec<serde_json::Value> = alignment
            .matches
            .iter()
            .map(|m| {
                let (span, text) = &l[m.sentence];
                serde_json::json!({
                    "start": span.start, "end": span.end, "text": text, "reuse": m.reuse,
                    "score": (m.score * 1000.0).round() / 1000.0,
                    "source": m.source.map(|j| serde_json::json!({
                        "start": e[j].0.start, "end": e[j].0.end, "text": e[j].1,
                    })),
                })
            })
            .collect();
        let dropped: Vec<serde_json::Value> = alignment
            .dropped
            .iter()
            .map(|j| serde_json::json!({"start": e[*j].0.start, "end": e[*j].0.end, "text": e[*j].1}))
            .collect();
        print_json(&serde_json::json!({
            "id": later.id, "with": earlier.id,
            "reused_share": (alignment.reused_share * 1000.0).round() / 1000.0,
            "sentences": matches, "dropped": dropped,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} ({}) against {} ({}): {:.0}% of its words are in reused sentences",
        &later.id[..12],
        later.source.as_deref().unwrap_or("-"),
        &earlier.id[..12],
        earlier.source.as_deref().unwrap_or("-"),
        alignment.reused_share * 100.0
    );
    for m in &alignment.matches {
        let mark = match m.reuse {
            dossier_link::align::Reuse::Verbatim => "=",
            dossier_link::align::Reuse::Edited => "~",
            dossier_link::align::Reuse::Added => "+",
        };
        println!("{mark} {}", l[m.sentence].1);
        if m.reuse == dossier_link::align::Reuse::Edited {
            if let Some(j) = m.source {
                println!("    was: {}", e[j].1);
            }
        }
    }
    for j in &alignment.dropped {
        println!("- {}", e[*j].1);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::emphasize;

    #[test]
    fn highlights_are_marked_by_character_range() {
        assert_eq!(
            emphasize("Токаев met Putin", &[(0, 6), (11, 16)], false),
            "*Токаев* met *Putin*"
        );
    }
}
