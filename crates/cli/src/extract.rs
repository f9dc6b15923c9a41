//! `dossier extract`: show what extraction makes of a page or text, without
//! touching the store. Uses exactly the ingest and extraction code that
//! `dossier ingest` uses.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dossier_core::{Content, InputFormat};
use dossier_ingest::{IngestOptions, Item};
use dossier_pipeline::Pipeline;
use serde::Serialize;

#[derive(Args)]
pub struct ExtractArgs {
    /// A page, text, feed, WARC or e-mail file; `-` reads standard input.
    file: PathBuf,
    /// The page's URL, when the file does not say (helps dates and source).
    #[arg(long)]
    url: Option<String>,
    /// Skip format detection: html, text, jsonl, feed, warc or email.
    #[arg(long)]
    format: Option<String>,
    /// Print JSON, one object per document (JSON Lines).
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Shown<'a> {
    origin: String,
    format: InputFormat,
    url: Option<&'a str>,
    extractor: dossier_core::Component,
    #[serde(flatten)]
    extraction: dossier_extract::Extraction,
}

/// Largest input `extract` reads; the same limit ingest uses per document.
const MAX_BYTES: u64 = dossier_ingest::DEFAULT_MAX_DOCUMENT_BYTES as u64;

pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let mut bytes = Vec::new();
    if name == "-" {
        std::io::stdin()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(&args.file)
            .with_context(|| format!("cannot read {name}"))?
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {name}"))?;
    }
    if bytes.len() as u64 > MAX_BYTES {
        anyhow::bail!("{name}: too large (over {} MiB)", MAX_BYTES >> 20);
    }
    let format = match args.format.as_deref() {
        Some(f) => Some(InputFormat::parse(f).with_context(|| format!("unknown format {f:?}"))?),
        None => None,
    };
    let opts = IngestOptions {
        format,
        ..IngestOptions::default()
    };
    let pipeline = Pipeline::default();
    let extractor = pipeline.extractor();
    let mut shown = 0;
    let mut failure: Option<anyhow::Error> = None;
    let read = dossier_ingest::read_bytes(&name, &bytes, &opts, &mut |item| {
        match item {
            Item::Document(doc) => {
                let url = args.url.as_deref().or(doc.hints.url.as_deref());
                let extraction = match &doc.content {
                    Content::Html(html) => extractor.extract_html(html, url),
                    Content::Text(text) => extractor.extract_text(text, doc.hints.title_in_text),
                };
                let out = Shown {
                    origin: doc.origin.to_string(),
                    format: doc.format,
                    url,
                    extractor: extractor.component(),
                    extraction,
                };
                if let Err(e) = print_one(&out, args.json) {
                    failure = Some(e);
                    return ControlFlow::Break(());
                }
                shown += 1;
            }
            Item::Link(link) => eprintln!("{}: link only: {}", link.origin, link.url),
            Item::Problem(p) => eprintln!("warning: {p}"),
        }
        ControlFlow::Continue(())
    });
    if let Some(e) = failure {
        return Err(e);
    }
    read.map_err(|p| anyhow::anyhow!("{p}"))?;
    Ok(if shown == 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_one(shown: &Shown, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(shown)?);
        return Ok(());
    }
    let e = &shown.extraction;
    println!("origin:      {} ({})", shown.origin, shown.format);
    println!("title:       {}", e.title.as_deref().unwrap_or("-"));
    if let Some(d) = &e.published {
        println!(
            "published:   {} ({}, confidence {:.2})",
            d.value,
            d.method.as_str(),
            d.confidence
        );
    }
    if let Some(d) = &e.modified {
        println!(
            "modified:    {} ({}, confidence {:.2})",
            d.value,
            d.method.as_str(),
            d.confidence
        );
    }
    if !e.authors.is_empty() {
        println!("authors:     {}", e.authors.join(", "));
    }
    for (label, value) in [
        ("site:", &e.site_name),
        ("canonical:", &e.canonical_url),
        ("language:", &e.language),
        ("description:", &e.description),
    ] {
        if let Some(v) = value {
            println!("{label:12} {v}");
        }
    }
    println!("\n{}\n", e.text);
    Ok(())
}
