//! `dossier serve`: the read-only JSON API and web UI (crate `dossier-server`).

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

#[derive(Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
}

pub fn run(data: &Path, args: ServeArgs) -> anyhow::Result<ExitCode> {
    if !data.join("dossier.sqlite").is_file() {
        eprintln!(
            "dossier: no store at {} yet; pages will say so until `dossier ingest` makes one",
            data.display()
        );
    }
    let addr = SocketAddr::new(args.bind, args.port);
    dossier_server::serve(data.to_owned(), addr, |bound| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "dossier: serving http://{bound}/ (API under /api)");
        let _ = out.flush();
    })
    .with_context(|| format!("cannot serve on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}
