//! `dossier revisions ID|URL|--since DAY`: the silent edits found when a
//! page was fetched again, with what changed.

use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use dossier_fetch::normalize_url;
use dossier_link::revision::RevisionDiff;
use dossier_store::{RevisionRow, Store};

#[derive(Args)]
pub struct RevisionsArgs {
    /// An article id (or prefix) or a page URL; leave out to list every
    /// revision found from --since on.
    target: Option<String>,
    /// With no target: the first day (YYYY-MM-DD) to list; default 7 days ago.
    #[arg(long)]
    since: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct RevisionOut {
    #[serde(flatten)]
    row: RevisionRow,
    changes: RevisionDiff,
}

/// `dossier revisions`
pub fn revisions(data: &Path, args: RevisionsArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read(data)?;
    let rows = match args.target.as_deref() {
        Some(t) if t.starts_with("http://") || t.starts_with("https://") => {
            let url = normalize_url(t).ok_or_else(|| anyhow::anyhow!("not a page URL: {t:?}"))?;
            store.revisions_of_page(&url)?
        }
        Some(id) => store.revisions_of_article(id)?,
        None => {
            let since = match args.since {
                Some(day) => day,
                None => {
                    dossier_store::time_after(jiff::Timestamp::now(), -7 * 86_400)[..10].to_owned()
                }
            };
            store.revisions_between(&since, "9999-12-31")?
        }
    };
    let out: Vec<RevisionOut> = rows
        .into_iter()
        .map(|row| {
            let changes = serde_json::from_str(&row.diff).unwrap_or_default();
            RevisionOut { row, changes }
        })
        .collect();
    if args.json {
        crate::print_json(&out)?;
    } else if out.is_empty() {
        eprintln!("no revisions: no re-fetched page changed its text");
    } else {
        for r in &out {
            print_revision(r);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_revision(r: &RevisionOut) {
    let row = &r.row;
    println!(
        "{}  revision {} of {} ({}), found {}: +{} -{} words; was {}",
        &row.article_id[..12.min(row.article_id.len())],
        row.revision,
        row.url,
        row.source.as_deref().unwrap_or("unknown outlet"),
        row.fetched_at,
        row.words_added,
        row.words_removed,
        row.previous_id
            .as_deref()
            .map_or("(deleted)", |p| &p[..12.min(p.len())])
    );
    for c in &r.changes.changes {
        let before = if c.before.is_empty() {
            String::new()
        } else {
            format!("…{} ", c.before)
        };
        match (c.removed.is_empty(), c.added.is_empty()) {
            (false, false) => println!("    {before}[-{}-] {{+{}+}}", c.removed, c.added),
            (false, true) => println!("    {before}[-{}-]", c.removed),
            _ => println!("    {before}{{+{}+}}", c.added),
        }
    }
}
