//! `dossier extract`: show what extraction makes of a page or text, without
//! touching the store. Uses exactly the ingest and extraction code that
//! `dossier ingest` uses.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dossier_core::{Content, InputFormat};
use dossier_ingest::IngestOptions;
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

pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
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
    crate::single::for_each_document(&args.file, &opts, &mut |doc| {
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
        print_one(&out, args.json)?;
        shown += 1;
        Ok(true)
    })?;
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
