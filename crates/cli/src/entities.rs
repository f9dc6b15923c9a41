//! Entity identity during ingest, and `dossier entities` / `dossier entity`.
//!
//! At the start of a run the resolver (`dossier_link::identity`) is loaded
//! from the store: every entity, its variants, and the entities it appears
//! with most (its context). After each committed batch, every article
//! after the store's resolved-up-to mark (the new ones; on an older store,
//! all of them once) has its `entities` layer resolved and its mentions
//! recorded with their explanations.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dossier_link::identity::{KnownEntity, Mention, Resolver};
use dossier_store::{EntityBatch, EntityRow, MentionRecord, Store};

/// Articles resolved per transaction.
const PAGE: usize = 512;
/// Co-occurring entities loaded as each entity's context.
const CONTEXT_ENTITIES: usize = 32;

pub struct Identity {
    resolver: Resolver,
}

impl Identity {
    /// Loads the resolver from the store.
    pub fn open(store: &Store) -> anyhow::Result<Identity> {
        let mut resolver = Resolver::new(store.entity_next_id()?);
        let mut variants: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for (id, v) in store.all_entity_variants()? {
            variants.entry(id).or_default().push(v);
        }
        for e in store.all_entities()? {
            let known = KnownEntity {
                id: e.id,
                canonical: e.canonical,
                label: e.label,
            };
            resolver.add_known(&known, variants.get(&e.id).map_or(&[][..], |v| v));
        }
        let mut context: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for (id, name) in store.entity_cooccurrence(CONTEXT_ENTITIES)? {
            context.entry(id).or_default().push(name);
        }
        for (id, names) in context {
            resolver.add_context(id, &names, &[]);
        }
        Ok(Identity { resolver })
    }

    /// Resolves every article not resolved yet; returns how many mentions
    /// were recorded.
    pub fn catch_up(&mut self, store: &mut Store) -> anyhow::Result<usize> {
        let mut recorded = 0;
        loop {
            let after = store.entities_resolved_upto()?;
            let page = store.entity_inputs(after, PAGE)?;
            let Some(last) = page.last().map(|(seq, _, _)| *seq) else {
                return Ok(recorded);
            };
            recorded += self.resolve(store, &page, last)?;
        }
    }

    /// Resolves articles again whose mentions were forgotten because
    /// `reprocess` changed their text or entities layer.
    pub fn resolve_again(&mut self, store: &mut Store, seqs: &[i64]) -> anyhow::Result<usize> {
        let mut recorded = 0;
        for chunk in seqs.chunks(PAGE) {
            let page = store.entity_inputs_of(chunk)?;
            // The resolved-up-to mark only ever moves forward: 0 leaves it.
            recorded += self.resolve(store, &page, 0)?;
        }
        Ok(recorded)
    }

    /// Resolves a page of `(seq, text, entities spans)` and records it.
    fn resolve(
        &mut self,
        store: &mut Store,
        page: &[(i64, String, Vec<dossier_core::Span>)],
        upto: i64,
    ) -> anyhow::Result<usize> {
        let mut batch = EntityBatch {
            upto,
            ..EntityBatch::default()
        };
        for (seq, text, spans) in page {
            let mut places = Vec::new();
            let mut mentions = Vec::new();
            for s in spans {
                let (Some(label), Some(t)) = (
                    s.fields.get("label").and_then(|v| v.as_str()),
                    s.fields.get("text").and_then(|v| v.as_str()),
                ) else {
                    continue;
                };
                places.push((s.start, s.end));
                mentions.push(Mention {
                    text: t.to_owned(),
                    label: label.to_owned(),
                });
            }
            let out = self.resolver.resolve_article(&mentions, text);
            batch
                .new_entities
                .extend(out.new_entities.into_iter().map(|e| EntityRow {
                    id: e.id,
                    canonical: e.canonical,
                    label: e.label,
                    key: e.key,
                }));
            batch.renamed.extend(out.renamed);
            for ((res, m), (start, end)) in out.mentions.into_iter().zip(&mentions).zip(places) {
                if let Some(res) = res {
                    batch.mentions.push(MentionRecord {
                        entity_id: res.entity,
                        article_seq: *seq,
                        start,
                        end,
                        variant: m.text.clone(),
                        explanation: res.explanation,
                    });
                }
            }
        }
        store.record_entities(&batch)?;
        Ok(batch.mentions.len())
    }
}

#[derive(Args)]
pub struct EntitiesArgs {
    /// Only entities of this type: PER, ORG, LOC or MISC.
    #[arg(long = "type")]
    label: Option<String>,
    /// How many to list.
    #[arg(short = 'n', long, default_value_t = 50)]
    limit: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct EntityArgs {
    /// A name as written in any article (any spelling or script), or an id.
    #[arg(required = true)]
    name: Option<String>,
    /// Corrections: merge, split.
    #[command(subcommand)]
    fix: Option<crate::correct::EntityFix>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `dossier entities`.
pub fn list(data: &Path, args: EntitiesArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read(data)?;
    let label = args.label.map(|l| l.to_ascii_uppercase());
    let list = store.entities(label.as_deref(), args.limit)?;
    if args.json {
        crate::print_json(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &list {
        println!(
            "{:<40} {:<4} {:>3} variant(s) {:>5} mention(s) {:>5} article(s)  {}..{}",
            e.canonical,
            e.label,
            e.variants,
            e.mentions,
            e.articles,
            e.first_seen.as_deref().unwrap_or("?"),
            e.last_seen.as_deref().unwrap_or("?"),
        );
    }
    if list.is_empty() {
        eprintln!("no entities (ingest articles first)");
    }
    Ok(ExitCode::SUCCESS)
}

/// `dossier entity NAME`.
pub fn show(data: &Path, args: EntityArgs) -> anyhow::Result<ExitCode> {
    let Some(name) = args.name else {
        return match args.fix {
            Some(fix) => crate::correct::entity_fix(data, fix),
            None => anyhow::bail!("give an entity name (see `dossier entities`)"),
        };
    };
    let store = Store::open_read(data)?;
    let id = crate::correct::entity_id(&store, &name)?;
    let d = store
        .entity_detail(id, 10, 50)?
        .with_context(|| format!("entity {id} vanished"))?;
    if args.json {
        crate::print_json(&d)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} ({}, id {}, key '{}')",
        d.canonical, d.label, d.id, d.key
    );
    println!(
        "seen {} time(s), {} .. {}",
        d.mentions,
        d.first_seen.as_deref().unwrap_or("?"),
        d.last_seen.as_deref().unwrap_or("?")
    );
    println!("variants:");
    for v in &d.variants {
        println!("  {:>5}  {}", v.count, v.variant);
    }
    println!("appears with:");
    for c in &d.co_occurring {
        println!("  {:>5}  {} ({})", c.articles, c.canonical, c.label);
    }
    println!("articles:");
    for a in &d.articles {
        println!(
            "  {}  {}  {}",
            &a.id[..12.min(a.id.len())],
            a.published.as_deref().unwrap_or("----------"),
            a.title
        );
    }
    println!("why:");
    for e in &d.explanations {
        println!("  {:>5}  {}", e.mentions, e.explanation);
    }
    Ok(ExitCode::SUCCESS)
}
