//! `dossier serve`: the JSON API and web UI (crate `dossier-server`). With
//! `DOSSIER_TOKEN` set, corrections and uploads are enabled; uploads run
//! through the same ingest as files.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use dossier_ingest::IngestOptions;
use dossier_server::{Upload, Writes};
use dossier_store::WriteOutcome;

use crate::ingest::{DocOutcome, Ingest};

#[derive(Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The token that enables writes (corrections, uploads). Without one,
    /// the server is read-only. Prefer the environment to the command line,
    /// which other users of the machine can see.
    #[arg(long, env = "DOSSIER_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Largest upload accepted, in MiB.
    #[arg(long, default_value_t = 32)]
    max_upload_mb: usize,
}

pub fn run(data: &Path, args: ServeArgs) -> anyhow::Result<ExitCode> {
    if !data.join("dossier.sqlite").is_file() {
        eprintln!(
            "dossier: no store at {} yet; pages will say so until `dossier ingest` makes one",
            data.display()
        );
    }
    let writes = match args.token.filter(|t| !t.trim().is_empty()) {
        Some(token) if token.trim().len() < 8 => {
            anyhow::bail!("DOSSIER_TOKEN is too short: use at least 8 characters")
        }
        Some(token) => Some(Writes {
            token: token.trim().to_owned(),
            ingest: upload_hook(data.to_owned(), args.max_upload_mb),
            max_upload_bytes: args.max_upload_mb.max(1) * 1024 * 1024,
        }),
        None => None,
    };
    let mode = if writes.is_some() {
        "corrections and uploads need the token"
    } else {
        "read-only: set DOSSIER_TOKEN to enable corrections and uploads"
    };
    let addr = SocketAddr::new(args.bind, args.port);
    dossier_server::serve(data.to_owned(), addr, writes, |bound| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "dossier: serving http://{bound}/ (API under /api; {mode})"
        );
        let _ = out.flush();
    })
    .with_context(|| format!("cannot serve on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}

fn upload_hook(data: PathBuf, max_mb: usize) -> dossier_server::IngestHook {
    Arc::new(move |upload: Upload| {
        ingest_upload(&data, upload, max_mb).map_err(|e| format!("{e:#}"))
    })
}

/// Ingests one upload; answers the summary and the ids of what it stored.
fn ingest_upload(data: &Path, upload: Upload, max_mb: usize) -> anyhow::Result<serde_json::Value> {
    let stop = AtomicBool::new(false);
    let mut key_bytes = upload.name.clone().into_bytes();
    key_bytes.extend_from_slice(&upload.bytes);
    let key = dossier_core::ArticleId::of_bytes(&key_bytes).to_hex();
    let command = format!("serve upload {}", upload.name);
    let bar = crate::progress::bar(1, "uploads");
    let mut ingest = Ingest::start(data, &key, &command, false, &stop, bar)?;
    ingest.track_outcomes();
    let opts = IngestOptions {
        format: None,
        source: upload.source,
        max_document_bytes: max_mb.max(1) * 1024 * 1024,
    };
    let read = ingest.bytes(&upload.name, None, &upload.bytes, &opts)?;
    ingest.flush()?;
    let ids: Vec<String> = ingest
        .outcomes()
        .iter()
        .filter_map(|o| match o {
            DocOutcome::Stored(
                WriteOutcome::New(id) | WriteOutcome::Seen(id) | WriteOutcome::Duplicate(id),
            ) => Some(id.to_hex()),
            DocOutcome::Rejected(_) => None,
        })
        .collect();
    let problem = ingest.outcomes().iter().find_map(|o| match o {
        DocOutcome::Rejected(reason) => Some(reason.clone()),
        DocOutcome::Stored(_) => None,
    });
    let summary = ingest.finish()?;
    if let Err(problem) = read {
        anyhow::bail!("{problem}");
    }
    if ids.is_empty() {
        anyhow::bail!(
            "{}: no article stored ({})",
            upload.name,
            problem.as_deref().unwrap_or("nothing readable")
        );
    }
    Ok(serde_json::json!({ "articles": ids, "summary": summary }))
}
