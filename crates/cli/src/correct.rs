//! Corrections by hand that persist: `dossier entity merge|split`,
//! `dossier story merge|split|move`, and `dossier correct ...` which offers
//! the same under one roof plus the log of corrections made.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use dossier_store::Store;

#[derive(Args)]
pub struct CorrectArgs {
    #[command(subcommand)]
    command: CorrectCommand,
}

#[derive(Subcommand)]
enum CorrectCommand {
    /// Merge entity FROM into INTO (names or ids): FROM's names become INTO's variants.
    MergeEntities { from: String, into: String },
    /// Split the mentions spelled VARIANT off ENTITY into a new entity.
    SplitEntity {
        entity: String,
        #[arg(long)]
        variant: String,
    },
    /// Move an article (id or prefix) to story --to ID, or to a new story with --new.
    MoveArticle {
        article: String,
        #[arg(long, conflicts_with = "new", required_unless_present = "new")]
        to: Option<i64>,
        #[arg(long)]
        new: bool,
    },
    /// Merge story FROM into story INTO.
    MergeStories { from: i64, into: i64 },
    /// The corrections made so far, newest first.
    Log {
        #[arg(short = 'n', long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

/// An entity by id or name, with a clear error.
pub fn entity_id(store: &Store, name: &str) -> anyhow::Result<i64> {
    let key = dossier_link::identity::name_key(name);
    store
        .find_entity(name.trim(), &key)?
        .with_context(|| format!("no entity named {name:?} (key '{key}')"))
}

/// `dossier entity merge|split`: the entity corrections.
#[derive(Subcommand)]
pub enum EntityFix {
    /// Merge entity FROM into INTO (names or ids): FROM's names become INTO's variants.
    Merge { from: String, into: String },
    /// Split the mentions spelled VARIANT off ENTITY into a new entity.
    Split {
        entity: String,
        #[arg(long)]
        variant: String,
    },
}

/// `dossier story merge|split|move`: the story corrections.
#[derive(Subcommand)]
pub enum StoryFix {
    /// Merge story FROM into story INTO.
    Merge { from: i64, into: i64 },
    /// Take an article (id or prefix) out of its story into a story of its own.
    Split { article: String },
    /// Move an article (id or prefix) to story --to.
    Move {
        article: String,
        #[arg(long)]
        to: i64,
    },
}

fn open_write(data: &Path) -> anyhow::Result<Store> {
    Store::open_write(data).with_context(|| format!("cannot open store {}", data.display()))
}

pub fn entity_fix(data: &Path, fix: EntityFix) -> anyhow::Result<ExitCode> {
    let mut store = open_write(data)?;
    match fix {
        EntityFix::Merge { from, into } => {
            let (a, b) = (entity_id(&store, &from)?, entity_id(&store, &into)?);
            store.merge_entities(a, b)?;
            eprintln!("merged entity {a} ({from}) into {b} ({into})");
        }
        EntityFix::Split { entity, variant } => {
            let id = entity_id(&store, &entity)?;
            let key = dossier_link::identity::name_key(&variant);
            let new = store.split_entity(id, variant.trim(), &key)?;
            eprintln!("split {variant:?} off entity {id} into new entity {new}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn story_fix(data: &Path, fix: StoryFix) -> anyhow::Result<ExitCode> {
    let mut store = open_write(data)?;
    match fix {
        StoryFix::Merge { from, into } => {
            store.merge_stories(from, into)?;
            eprintln!("merged story {from} into story {into}");
        }
        StoryFix::Split { article } => {
            let story = store.move_article(&article, None)?;
            eprintln!("article {article} is now in a story of its own: {story}");
        }
        StoryFix::Move { article, to } => {
            let story = store.move_article(&article, Some(to))?;
            eprintln!("article {article} is now in story {story}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(data: &Path, args: CorrectArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        CorrectCommand::MergeEntities { from, into } => {
            entity_fix(data, EntityFix::Merge { from, into })
        }
        CorrectCommand::SplitEntity { entity, variant } => {
            entity_fix(data, EntityFix::Split { entity, variant })
        }
        CorrectCommand::MoveArticle {
            article,
            to: Some(to),
            ..
        } => story_fix(data, StoryFix::Move { article, to }),
        CorrectCommand::MoveArticle {
            article, to: None, ..
        } => story_fix(data, StoryFix::Split { article }),
        CorrectCommand::MergeStories { from, into } => {
            story_fix(data, StoryFix::Merge { from, into })
        }
        CorrectCommand::Log { limit, json } => {
            let log = Store::open_read(data)?.corrections(limit)?;
            if json {
                crate::print_json(&log)?;
            } else if log.is_empty() {
                eprintln!("no corrections yet");
            }
            for c in log.iter().filter(|_| !json) {
                println!("{:>4}  {}  {}  {}", c.id, c.at, c.kind, c.detail);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
