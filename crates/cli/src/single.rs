//! The commands that look at one input without storing it (`extract`,
//! `analyze`, `similarity`) read it the same way: a file or standard input,
//! bounded like one ingested document, through the ingest readers.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::Context;
use dossier_core::RawDocument;
use dossier_ingest::{IngestOptions, Item};

/// Reads `path` (`-` is standard input), at most `opts.max_document_bytes`,
/// and hands each document in it to `each`, which returns `Ok(false)` to stop
/// early. Links and unreadable records are reported on stderr. An error from
/// `each` ends the reading and is returned.
pub fn for_each_document(
    path: &Path,
    opts: &IngestOptions,
    each: &mut dyn FnMut(RawDocument) -> anyhow::Result<bool>,
) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let bytes = read_limited(path, opts.max_document_bytes as u64)
        .with_context(|| format!("cannot read {name}"))?;
    let mut failure = None;
    let read = dossier_ingest::read_bytes(&name, &bytes, opts, &mut |item| {
        match item {
            Item::Document(doc) => match each(doc) {
                Ok(true) => {}
                Ok(false) => return ControlFlow::Break(()),
                Err(e) => {
                    failure = Some(e);
                    return ControlFlow::Break(());
                }
            },
            Item::Link(link) => eprintln!("{}: link only: {}", link.origin, link.url),
            Item::Problem(p) => eprintln!("warning: {p}"),
        }
        ControlFlow::Continue(())
    });
    if let Some(e) = failure {
        return Err(e);
    }
    read.map_err(|p| anyhow::anyhow!("{p}"))?;
    Ok(())
}

fn read_limited(path: &Path, max: u64) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().take(max + 1).read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(path)?
            .take(max + 1)
            .read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > max {
        anyhow::bail!("too large (over {} MiB)", max >> 20);
    }
    Ok(bytes)
}
