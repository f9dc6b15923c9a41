//! `dossier analyze` (every per-article layer on one input, nothing stored)
//! and `dossier facts` (a readable list of a stored article's facts).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dossier_core::{normalize_date, Article, DateMethod, DateValue, Span};
use dossier_ingest::IngestOptions;
use dossier_pipeline::Pipeline;
use dossier_store::Store;
use serde_json::{json, Value};

use crate::print_json;

#[derive(Args)]
pub struct AnalyzeArgs {
    /// A page, text, feed, WARC or e-mail file; `-` reads standard input.
    file: PathBuf,
    /// The publication date to anchor relative dates ("on Wednesday") when
    /// the input does not give one (YYYY-MM-DD or an RFC 3339 instant).
    #[arg(long)]
    published: Option<String>,
    /// Print JSON (the `dossier show --json` shape, one object per document).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct FactsArgs {
    /// Article id, or a unique prefix of at least 4 hex digits.
    id: String,
    #[arg(long)]
    json: bool,
}

pub fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let published = match args.published.as_deref() {
        Some(p) => {
            Some(normalize_date(p).with_context(|| format!("invalid --published date {p:?}"))?)
        }
        None => None,
    };
    let pipeline = Pipeline::default();
    let mut shown = 0;
    crate::single::for_each_document(&args.file, &IngestOptions::default(), &mut |mut doc| {
        if let Some(p) = &published {
            // The user's anchor is a declared date for this run only.
            doc.hints.published = Some(DateValue::new(p.clone(), DateMethod::Declared, 1.0));
        }
        match pipeline.process(&doc) {
            Ok(article) => {
                if args.json {
                    println!("{}", article_json(&article));
                } else {
                    print_facts(&article.title, &article.text, &layer_spans(&article))?;
                }
                shown += 1;
            }
            Err(reason) => eprintln!("warning: {}: {reason}", doc.origin),
        }
        Ok(true)
    })?;
    Ok(if shown == 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn layer_spans(article: &Article) -> BTreeMap<String, Vec<Span>> {
    article
        .layers
        .iter()
        .map(|(name, layer)| (name.clone(), layer.spans.clone()))
        .collect()
}

/// The `dossier show --json` shape for an article that is not stored
/// (no sightings, no ingest times).
fn article_json(a: &Article) -> Value {
    let components: BTreeMap<&String, _> =
        a.layers.iter().map(|(n, l)| (n, &l.component)).collect();
    json!({
        "id": a.id,
        "url": a.url,
        "source": a.source,
        "title": a.title,
        "published": a.published,
        "language": a.language,
        "authors": a.authors,
        "format": a.format,
        "extractor": a.extractor,
        "text": a.text,
        "layers": layer_spans(a),
        "layer_components": components,
    })
}

pub fn facts(data: &Path, args: FactsArgs) -> anyhow::Result<ExitCode> {
    let store =
        Store::open_read(data).with_context(|| format!("cannot open store {}", data.display()))?;
    let article = store.article(&args.id)?;
    if args.json {
        let facts: BTreeMap<&str, &Vec<Span>> = FACT_LAYERS
            .iter()
            .filter_map(|(name, _)| article.layers.get(*name).map(|s| (*name, s)))
            .collect();
        print_json(&facts)?;
    } else {
        print_facts(&article.title, &article.text, &article.layers)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The layers `facts` shows, with the heading for each.
const FACT_LAYERS: &[(&str, &str)] = &[
    ("timexes", "Dates and times"),
    ("quantities", "Numbers"),
    ("quotes", "Quotes"),
    ("commentary", "Commentary"),
];

/// A readable list: each fact layer's spans with their key fields.
fn print_facts(
    title: &str,
    text: &str,
    layers: &BTreeMap<String, Vec<Span>>,
) -> anyhow::Result<()> {
    let chars: Vec<char> = text.chars().collect();
    let quote = |s: &Span| -> String {
        let end = s.end.min(chars.len());
        let start = s.start.min(end);
        let piece: String = chars[start..end].iter().collect();
        let flat = piece.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() > 160 {
            format!("{}…", flat.chars().take(160).collect::<String>())
        } else {
            flat
        }
    };
    println!("{title}");
    for (name, heading) in FACT_LAYERS {
        let Some(spans) = layers.get(*name).filter(|s| !s.is_empty()) else {
            continue;
        };
        println!("\n{heading}:");
        for span in spans {
            println!("  {:<48} {}", quote(span), describe(name, span));
        }
    }
    Ok(())
}

/// The fields that matter for each kind of fact, as `key=value` pairs.
fn describe(layer: &str, span: &Span) -> String {
    let keys: &[&str] = match layer {
        "timexes" => &["type", "value", "mod"],
        "quantities" => &["value", "unit", "change", "per", "concept"],
        "quotes" => &["kind", "speaker", "cue"],
        _ => &["kind", "reason"],
    };
    keys.iter()
        .filter_map(|k| span.fields.get(*k).map(|v| (k, v)))
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}={s}"),
            other => format!("{k}={other}"),
        })
        .collect::<Vec<_>>()
        .join("  ")
}
