//! `dossier`: the command-line front of the news-intelligence engine.
//!
//! The binary owns user interaction only: argument parsing, progress, output
//! formats and error context. All the work lives in the library crates.

mod analyze;
mod boilerplate;
mod brief;
mod copies;
mod correct;
mod entities;
mod extract;
mod follow;
mod ingest;
mod ner;
mod progress;
mod read;
mod reprocess;
mod serve;
mod single;
mod stories;
mod storylines;
mod timeline;
mod train;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Collect news from files, feeds, newsletters and web archives into a
/// searchable store of clean, annotated articles.
#[derive(Parser)]
#[command(name = "dossier", version)]
struct Cli {
    /// The store directory (SQLite + search index).
    #[arg(
        long,
        global = true,
        env = "DOSSIER_DATA",
        default_value = "dossier-data"
    )]
    data: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read files, directory trees or standard input (-) into the store.
    Ingest(ingest::IngestArgs),
    /// Fetch web pages (politely: robots.txt, rate limits) and ingest them.
    Fetch(follow::FetchArgs),
    /// Followed outlets: add, import OPML, list, health, poll interval.
    Sources(follow::SourcesArgs),
    /// Poll every source on its schedule and ingest new items' pages, until stopped (`--once`: one pass).
    Watch(follow::WatchArgs),
    /// Silent edits: pages whose text changed when fetched again, with the diff.
    Revisions(follow::RevisionsArgs),
    /// Print the extraction of one page or text without storing it.
    Extract(extract::ExtractArgs),
    /// Run extraction and every analysis layer on one input, nothing stored.
    Analyze(analyze::AnalyzeArgs),
    /// A stored article's facts: dates, numbers, quotes, commentary.
    Facts(analyze::FactsArgs),
    /// Full-text search (BM25 over titles and text).
    Search(read::SearchArgs),
    /// Show one article (id or unique id prefix) with its layers.
    Show(read::ShowArgs),
    /// List stored articles, newest first.
    List(read::ListArgs),
    /// Counts: articles, sources, languages, layers, runs.
    Stats(read::StatsArgs),
    /// Links recorded from feed items that carried no text, to fetch later.
    Links(read::LinksArgs),
    /// Near-duplicates of one article: other outlets' copies and rewrites.
    Copies(read::CopiesArgs),
    /// Stories: articles about one event, grouped at ingest.
    Stories(stories::StoriesArgs),
    /// One story with its articles.
    Story(stories::StoryArgs),
    /// Storylines: stories that continue one another over weeks, months or years (recomputed when stories changed).
    Storylines(storylines::StorylinesArgs),
    /// One storyline: its stories in time order and the timeline of their articles.
    Storyline(storylines::StorylineArgs),
    /// The briefing memo of a time window: ranked stories, cited sentences, numbers, quotes, sources.
    Brief(brief::BriefArgs),
    /// Saved briefs, newest first; `dossier briefs ID` prints one again.
    Briefs(brief::BriefsArgs),
    /// Dated events of an entity, topic or story (by when they happened), cited, with a coverage chart.
    Timeline(timeline::TimelineArgs),
    /// Similarity (0..1) of two article files as story clustering sees it.
    Similarity(stories::SimilarityArgs),
    /// Entities (people, organisations, places...) across articles, most mentioned first.
    Entities(entities::EntitiesArgs),
    /// One entity: its spellings, dates, articles, companions, and why mentions were merged.
    Entity(entities::EntityArgs),
    /// Tag a CoNLL file with the NER model (`dossier ner --conll FILE`).
    Ner(ner::NerArgs),
    /// Corrections by hand that persist: merge/split entities, move articles between stories, merge stories.
    Correct(correct::CorrectArgs),
    /// Recompute extraction and layers made by older components.
    Reprocess(reprocess::ReprocessArgs),
    /// Maintain the full-text index.
    Index(read::IndexArgs),
    /// Learn, list and overrule each outlet's recurring boilerplate paragraphs.
    Boilerplate(boilerplate::BoilerplateArgs),
    /// Rebuild a trained model (`dossier train ner`).
    Train(train::TrainArgs),
    /// Serve the read-only JSON API and web UI (`--port 8080 --bind 127.0.0.1`).
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(&cli.data, args),
        Command::Fetch(args) => follow::fetch(&cli.data, args),
        Command::Sources(args) => follow::sources(&cli.data, args),
        Command::Watch(args) => follow::watch(&cli.data, args),
        Command::Revisions(args) => follow::revisions(&cli.data, args),
        Command::Extract(args) => extract::run(args),
        Command::Analyze(args) => analyze::analyze(args),
        Command::Facts(args) => analyze::facts(&cli.data, args),
        Command::Search(args) => read::search(&cli.data, args),
        Command::Show(args) => read::show(&cli.data, args),
        Command::List(args) => read::list(&cli.data, args),
        Command::Stats(args) => read::stats(&cli.data, args),
        Command::Links(args) => read::links(&cli.data, args),
        Command::Copies(args) => read::copies(&cli.data, args),
        Command::Stories(args) => stories::stories(&cli.data, args),
        Command::Story(args) => stories::story(&cli.data, args),
        Command::Storylines(args) => storylines::list(&cli.data, args),
        Command::Storyline(args) => storylines::show(&cli.data, args),
        Command::Brief(args) => brief::run(&cli.data, args),
        Command::Briefs(args) => brief::list(&cli.data, args),
        Command::Timeline(args) => timeline::run(&cli.data, args),
        Command::Similarity(args) => stories::similarity_cmd(args),
        Command::Entities(args) => entities::list(&cli.data, args),
        Command::Entity(args) => entities::show(&cli.data, args),
        Command::Ner(args) => ner::run(args),
        Command::Correct(args) => correct::run(&cli.data, args),
        Command::Reprocess(args) => reprocess::run(&cli.data, args),
        Command::Index(args) => read::index(&cli.data, args),
        Command::Boilerplate(args) => boilerplate::run(&cli.data, args),
        Command::Train(args) => train::run(args),
        Command::Serve(args) => serve::run(&cli.data, args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dossier: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a value as pretty JSON on stdout.
fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    use std::io::Write;
    writeln!(out)?;
    Ok(())
}

/// Parses a `--since`/`--until` day into inclusive unix seconds: the start of
/// the day for `since`, its last second for `until`.
fn day_bound(value: &str, end_of_day: bool) -> anyhow::Result<i64> {
    let date: jiff::civil::Date = value
        .parse()
        .map_err(|e| anyhow::anyhow!("invalid date {value:?} (expected YYYY-MM-DD): {e}"))?;
    let start = date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| anyhow::anyhow!("invalid date {value:?}: {e}"))?
        .timestamp()
        .as_second();
    Ok(if end_of_day { start + 86_399 } else { start })
}
