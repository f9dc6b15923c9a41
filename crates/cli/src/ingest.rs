//! `dossier ingest`: read inputs, process documents in parallel, store them.
//!
//! Resumability: a run is keyed by its inputs and options. Each input is
//! marked done only after its documents are committed; a run that stops
//! early (Ctrl-C, kill -9, power loss) is resumed by the next run with the
//! same key, skipping finished inputs. Re-reading a half-finished input
//! creates no duplicates because articles are keyed by content hash and a
//! sighting is unique per (article, origin, run).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use dossier_core::{InputFormat, RawDocument};
use dossier_ingest::{FeedLink, IngestOptions, Input, Item, Problem};
use dossier_pipeline::Pipeline;
use dossier_store::{LinkRecord, NewRecord, Run, Store, WriteOutcome};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::copies::Copies;
use crate::entities::Identity;
use crate::progress;
use crate::stories::Stories;

#[derive(Args)]
pub struct IngestArgs {
    /// Files or directories (read recursively); `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Outlet name for inputs that do not say who published them.
    #[arg(long)]
    source: Option<String>,
    /// Skip format detection: html, text, jsonl, feed, warc or email.
    #[arg(long, value_parser = parse_format)]
    format: Option<InputFormat>,
    /// Largest single document to read, in MiB (containers are streamed).
    #[arg(long, default_value_t = 32)]
    max_doc_mb: usize,
    /// Start a new run even if an earlier run with the same inputs stopped early.
    #[arg(long)]
    no_resume: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

fn parse_format(s: &str) -> Result<InputFormat, String> {
    InputFormat::parse(s).ok_or_else(|| {
        let names: Vec<_> = InputFormat::ALL.iter().map(|f| f.as_str()).collect();
        format!(
            "unknown format {s:?} (expected one of: {})",
            names.join(", ")
        )
    })
}

/// Documents are processed in parallel in batches this large...
const BATCH_DOCUMENTS: usize = 256;
/// ...or holding this many bytes of content, whichever comes first.
const BATCH_BYTES: usize = 64 * 1024 * 1024;

#[derive(Default, serde::Serialize)]
pub(crate) struct Summary {
    pub(crate) inputs: usize,
    pub(crate) inputs_skipped_as_done: usize,
    pub(crate) inputs_failed: usize,
    pub(crate) documents: usize,
    pub(crate) new: usize,
    pub(crate) seen_before: usize,
    pub(crate) duplicates: usize,
    /// Copy pairs (near-duplicates) recorded in this run.
    pub(crate) near_duplicates: usize,
    /// Articles stored before this run that were given a signature now.
    pub(crate) signed_existing: usize,
    /// Entity mentions resolved to entity ids in this run.
    pub(crate) entity_mentions: usize,
    /// Articles assigned to a story in this run.
    pub(crate) stories_assigned: usize,
    pub(crate) links: usize,
    pub(crate) problems: usize,
    pub(crate) bytes: u64,
    pub(crate) seconds: f64,
    pub(crate) interrupted: bool,
    pub(crate) resumed_run: bool,
}

/// What became of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DocOutcome {
    Stored(WriteOutcome),
    /// The pipeline refused it (not an article, no text...), with why.
    Rejected(String),
}

pub(crate) struct Ingest<'a> {
    pub(crate) store: Store,
    run: Run,
    pipeline: Pipeline,
    copies: Copies,
    identity: Identity,
    stories: Stories,
    bar: ProgressBar,
    batch: Vec<RawDocument>,
    batch_bytes: usize,
    /// Inputs fully read whose documents are not yet committed.
    pending_done: Vec<String>,
    pub(crate) summary: Summary,
    /// Set while reading fetched bytes: the page's final URL, given to
    /// single-document formats as `hints.url`.
    url_hint: Option<String>,
    /// What became of each document, in reading order, while tracking is
    /// on (see [`Ingest::track_outcomes`]).
    outcomes: Option<Vec<DocOutcome>>,
    stop: &'a AtomicBool,
    started: Instant,
}

pub fn run(data: &Path, args: IngestArgs) -> anyhow::Result<ExitCode> {
    let opts = IngestOptions {
        format: args.format,
        source: args.source.clone(),
        max_document_bytes: args.max_doc_mb.max(1) * 1024 * 1024,
    };
    let listed = without_store(dossier_ingest::list_inputs(&args.paths), data);
    let key = run_key(&args.paths, &opts);
    let command = format!("ingest {}", display_paths(&args.paths));
    let stop = progress::interrupt_flag();
    let bar = progress::bar(listed.len() as u64, "inputs");
    let mut ingest = Ingest::start(data, &key, &command, !args.no_resume, &stop, bar)?;
    if ingest.run.resumed {
        progress::warn(
            &ingest.bar,
            &format!(
                "resuming an interrupted run: {} input(s) already done are skipped (--no-resume to start over)",
                ingest.run.done_inputs.len()
            ),
        );
    }
    for entry in listed {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match entry {
            Ok(input) => ingest.input(&input, &opts)?,
            Err(problem) => ingest.failed_input(&problem)?,
        }
        ingest.bar.inc(1);
    }
    let summary = ingest.finish()?;
    report(&summary, args.json)?;
    Ok(exit_code(&summary))
}

impl<'a> Ingest<'a> {
    /// Opens the store for writing and begins (or resumes) the run `key`,
    /// with copies, entities and stories ready to catch up after each batch.
    pub(crate) fn start(
        data: &Path,
        key: &str,
        command: &str,
        resume: bool,
        stop: &'a AtomicBool,
        bar: ProgressBar,
    ) -> anyhow::Result<Ingest<'a>> {
        let started = Instant::now();
        let mut store = Store::open_write(data)
            .with_context(|| format!("cannot open store {}", data.display()))?;
        let run = store.begin_run(key, command, resume)?;
        let pipeline = crate::boilerplate::pipeline_for(&store)?;
        let (copies, backfill) = Copies::open(&mut store, &bar, stop)?;
        let stories = Stories::open(&store)?;
        let identity = Identity::open(&store)?;
        let mut ingest = Ingest {
            bar,
            store,
            run,
            pipeline,
            copies,
            identity,
            stories,
            batch: Vec::new(),
            batch_bytes: 0,
            pending_done: Vec::new(),
            summary: Summary::default(),
            url_hint: None,
            outcomes: None,
            stop,
            started,
        };
        ingest.summary.resumed_run = ingest.run.resumed;
        ingest.summary.signed_existing = backfill.signed;
        ingest.summary.near_duplicates = backfill.pairs;
        Ok(ingest)
    }

    /// Commits what is pending and closes the run.
    pub(crate) fn finish(mut self) -> anyhow::Result<Summary> {
        self.flush()?;
        crate::storylines::refresh_open(&mut self.store)?;
        let interrupted = self.stop.load(Ordering::SeqCst);
        self.store.finish_run(&self.run, !interrupted)?;
        self.bar.finish_and_clear();
        let mut summary = self.summary;
        summary.interrupted = interrupted;
        summary.seconds = self.started.elapsed().as_secs_f64();
        Ok(summary)
    }

    pub(crate) fn bar(&self) -> &ProgressBar {
        &self.bar
    }

    /// Starts recording what each document became (for callers that need
    /// the ids: `fetch`, `watch`, uploads through `serve`). Documents are
    /// numbered in reading order from here; see [`Ingest::documents_read`].
    pub(crate) fn track_outcomes(&mut self) {
        self.outcomes = Some(Vec::new());
    }

    /// Documents read since tracking started, flushed or not: the number
    /// the next document will have.
    pub(crate) fn documents_read(&self) -> usize {
        self.outcomes.as_ref().map_or(0, Vec::len) + self.batch.len()
    }

    /// Every outcome recorded since tracking started (flush first).
    pub(crate) fn outcomes(&self) -> &[DocOutcome] {
        self.outcomes.as_deref().unwrap_or_default()
    }

    /// Runs bytes from elsewhere (a fetched page, an upload) through the
    /// same path as a file: `name` is the origin, and single documents get
    /// `url` (a fetched page's final URL) as `hints.url`. The input is marked
    /// done at the next flush. `Err(problem)` when nothing could be read
    /// (the problem is recorded).
    pub(crate) fn bytes(
        &mut self,
        name: &str,
        url: Option<&str>,
        bytes: &[u8],
        opts: &IngestOptions,
    ) -> anyhow::Result<Result<(), Problem>> {
        self.summary.inputs += 1;
        self.url_hint = url.map(str::to_owned);
        let mut failure: Option<anyhow::Error> = None;
        let result =
            dossier_ingest::read_bytes(name, bytes, opts, &mut |item| match self.item(item) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            });
        self.url_hint = None;
        if let Some(e) = failure {
            return Err(e);
        }
        match result {
            Ok(read) => {
                self.summary.bytes += read.bytes;
                self.pending_done.push(name.to_owned());
                Ok(Ok(()))
            }
            Err(problem) => {
                self.failed_input(&problem)?;
                Ok(Err(problem))
            }
        }
    }

    fn input(&mut self, input: &Input, opts: &IngestOptions) -> anyhow::Result<()> {
        let name = input.to_string();
        self.summary.inputs += 1;
        if *input != Input::Stdin && self.run.done_inputs.contains(&name) {
            self.summary.inputs_skipped_as_done += 1;
            return Ok(());
        }
        let mut failure: Option<anyhow::Error> = None;
        let result = dossier_ingest::read_input(input, opts, &mut |item| match self.item(item) {
            Ok(()) if self.stop.load(Ordering::SeqCst) => ControlFlow::Break(()),
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        match result {
            Ok(read) => {
                self.summary.bytes += read.bytes;
                if !self.stop.load(Ordering::SeqCst) {
                    self.pending_done.push(name);
                }
            }
            Err(problem) => self.failed_input(&problem)?,
        }
        Ok(())
    }

    pub(crate) fn failed_input(&mut self, problem: &Problem) -> anyhow::Result<()> {
        self.summary.inputs_failed += 1;
        self.problem(problem)
    }

    pub(crate) fn problem(&mut self, problem: &Problem) -> anyhow::Result<()> {
        self.summary.problems += 1;
        progress::warn(&self.bar, &problem.to_string());
        self.store
            .record_problem(&self.run, &problem.origin.to_string(), &problem.reason)?;
        Ok(())
    }

    fn item(&mut self, item: Item) -> anyhow::Result<()> {
        match item {
            Item::Document(mut doc) => {
                if let Some(url) = &self.url_hint {
                    if matches!(doc.format, InputFormat::Html | InputFormat::Text) {
                        doc.hints.url = Some(url.clone());
                    }
                }
                self.batch_bytes += doc.raw.len() + doc.content.as_str().len();
                self.batch.push(doc);
                if self.batch.len() >= BATCH_DOCUMENTS || self.batch_bytes >= BATCH_BYTES {
                    self.flush()?;
                }
            }
            Item::Link(link) => {
                self.summary.links += 1;
                self.store.add_links(&[link_record(&link)])?;
            }
            Item::Problem(problem) => self.problem(&problem)?,
        }
        Ok(())
    }

    /// Processes the batch in parallel and commits it, then marks the inputs
    /// it completed as done.
    pub(crate) fn flush(&mut self) -> anyhow::Result<()> {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        let processed: Vec<_> = batch
            .par_iter()
            .map(|doc| self.pipeline.process(doc).map_err(|e| e.to_string()))
            .collect();
        let mut records = Vec::with_capacity(batch.len());
        // Per document: its record's index, or why it was rejected.
        let mut slots: Vec<Result<usize, String>> = Vec::with_capacity(batch.len());
        for (doc, result) in batch.into_iter().zip(processed) {
            self.summary.documents += 1;
            match result {
                Ok(article) => {
                    slots.push(Ok(records.len()));
                    records.push(NewRecord {
                        article,
                        origin: doc.origin,
                        raw: doc.raw,
                        content: doc.content,
                        hints: doc.hints,
                    });
                }
                Err(reason) => {
                    slots.push(Err(reason.clone()));
                    self.problem(&Problem::new(doc.origin, reason))?;
                }
            }
        }
        let outcomes = self.store.write_batch(&self.run, &records)?;
        if let Some(tracked) = &mut self.outcomes {
            tracked.extend(slots.into_iter().map(|slot| match slot {
                Ok(i) => DocOutcome::Stored(outcomes[i]),
                Err(reason) => DocOutcome::Rejected(reason),
            }));
        }
        let mut fresh = Vec::new();
        for (record, outcome) in records.into_iter().zip(outcomes) {
            match outcome {
                WriteOutcome::New(id) => {
                    self.summary.new += 1;
                    if let Some(seq) = self.store.seq_of(&id)? {
                        fresh.push((seq, record.article.text));
                    }
                }
                WriteOutcome::Seen(_) => self.summary.seen_before += 1,
                WriteOutcome::Duplicate(_) => self.summary.duplicates += 1,
            }
        }
        // The batch is committed; if the process dies before its signatures
        // are, the next ingest signs them (see copies.rs).
        self.summary.near_duplicates += self.copies.add(&mut self.store, &fresh)?;
        // Entity identity: resolves every article after the store's mark.
        self.summary.entity_mentions += self.identity.catch_up(&mut self.store)?;
        self.summary.stories_assigned += self.stories.catch_up(&mut self.store)?;
        for input in std::mem::take(&mut self.pending_done) {
            self.store.input_done(&self.run, &input)?;
        }
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "({:.1} files/s) {} articles ({:.0}/s), {} new",
            self.bar.position() as f64 / secs,
            self.summary.documents,
            self.summary.documents as f64 / secs,
            self.summary.new
        ));
        Ok(())
    }
}

/// Drops inputs inside the store directory itself (`dossier ingest .` run
/// where the store lives would otherwise read its own database files).
fn without_store(inputs: Vec<Result<Input, Problem>>, data: &Path) -> Vec<Result<Input, Problem>> {
    let Ok(store) = std::fs::canonicalize(data) else {
        return inputs;
    };
    inputs
        .into_iter()
        .filter(|i| match i {
            Ok(Input::File(p)) => !std::fs::canonicalize(p).is_ok_and(|p| p.starts_with(&store)),
            _ => true,
        })
        .collect()
}

fn link_record(link: &FeedLink) -> LinkRecord {
    LinkRecord {
        url: link.url.clone(),
        title: link.title.clone(),
        source: link.source.clone(),
        published: link.published.as_ref().map(|d| d.value.clone()),
        origin: link.origin.to_string(),
    }
}

/// Identifies "the same ingest": the absolute inputs and the options that
/// change what is stored.
fn run_key(paths: &[PathBuf], opts: &IngestOptions) -> String {
    let mut key = String::new();
    for path in paths {
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        key.push_str(&abs.display().to_string());
        key.push('\n');
    }
    key.push_str(&format!("{:?}\n{:?}", opts.format, opts.source));
    dossier_core::ArticleId::of_bytes(key.as_bytes()).to_hex()
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn report(s: &Summary, json: bool) -> anyhow::Result<()> {
    if json {
        return crate::print_json(s);
    }
    let secs = s.seconds.max(1e-9);
    let mb = s.bytes as f64 / 1_048_576.0;
    eprintln!(
        "{} {} input(s): {} article(s) read, {} new, {} seen before, {} duplicate(s), {} near-duplicate pair(s), {} link(s), {} problem(s) in {:.1} s ({:.0} articles/s, {:.1} MB/s){}",
        if s.interrupted { "interrupted after" } else { "ingested" },
        s.inputs,
        s.documents,
        s.new,
        s.seen_before,
        s.duplicates,
        s.near_duplicates,
        s.links,
        s.problems,
        s.seconds,
        s.documents as f64 / secs,
        mb / secs,
        if s.interrupted { "; run the same command again to continue" } else { "" },
    );
    Ok(())
}

/// 130 when interrupted; 1 when there were problems and nothing at all
/// could be read (no article stored or seen, no link); else 0.
pub(crate) fn exit_code(s: &Summary) -> ExitCode {
    if s.interrupted {
        return ExitCode::from(130);
    }
    let stored = s.new + s.seen_before + s.duplicates;
    let read_anything = stored + s.links > 0 || s.inputs_skipped_as_done > 0;
    if !read_anything && s.problems > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
