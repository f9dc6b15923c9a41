//! `dossier correct ...`: corrections by hand that persist: merge or split
//! entities, move an article to another story, merge stories; and the log
//! of corrections made.

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

pub fn run(data: &Path, args: CorrectArgs) -> anyhow::Result<ExitCode> {
    let open =
        || Store::open_write(data).with_context(|| format!("cannot open store {}", data.display()));
    match args.command {
        CorrectCommand::MergeEntities { from, into } => {
            let mut store = open()?;
            let (a, b) = (entity_id(&store, &from)?, entity_id(&store, &into)?);
            store.merge_entities(a, b)?;
            eprintln!("merged entity {a} ({from}) into {b} ({into})");
        }
        CorrectCommand::SplitEntity { entity, variant } => {
            let mut store = open()?;
            let id = entity_id(&store, &entity)?;
            let key = dossier_link::identity::name_key(&variant);
            let new = store.split_entity(id, variant.trim(), &key)?;
            eprintln!("split {variant:?} off entity {id} into new entity {new}");
        }
        CorrectCommand::MoveArticle { article, to, .. } => {
            let story = open()?.move_article(&article, to)?;
            eprintln!("article {article} is now in story {story}");
        }
        CorrectCommand::MergeStories { from, into } => {
            open()?.merge_stories(from, into)?;
            eprintln!("merged story {from} into story {into}");
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
        }
    }
    Ok(ExitCode::SUCCESS)
}
