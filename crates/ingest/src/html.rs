//! Single HTML pages: decoded to UTF-8 and passed on whole.
//!
//! Ingest does not parse the page (titles, canonical URLs and dates are
//! extraction's job), so a pathological page, however deeply nested, costs
//! only its decoding here.

use dossier_core::{Content, Hints, InputFormat, RawDocument};

use crate::decode::decode_html;
use crate::input::Ctx;
use crate::{Item, Out, Problem};

pub(crate) fn read(ctx: &Ctx, bytes: Vec<u8>, out: &mut Out) -> Result<(), Problem> {
    let decoded = decode_html(&bytes, None);
    if decoded.text.trim().is_empty() {
        return Err(ctx.problem(None, "empty file (only whitespace)"));
    }
    let doc = RawDocument {
        origin: ctx.origin(None),
        format: InputFormat::Html,
        raw: bytes,
        content: Content::Html(decoded.text),
        hints: Hints {
            source: ctx.opts.source.clone(),
            ..Hints::default()
        },
    };
    let _ = out.emit(Item::Document(doc));
    Ok(())
}
