//! Plain-text articles: the first non-empty line is the title.

use dossier_core::{Content, Hints, InputFormat, RawDocument};

use crate::decode::decode_text;
use crate::input::Ctx;
use crate::{Item, Out, Problem};

pub(crate) fn read(ctx: &Ctx, bytes: Vec<u8>, out: &mut Out) -> Result<(), Problem> {
    let decoded = decode_text(&bytes);
    if decoded.text.trim().is_empty() {
        return Err(ctx.problem(None, "empty file (only whitespace)"));
    }
    let doc = RawDocument {
        origin: ctx.origin(None),
        format: InputFormat::Text,
        raw: bytes,
        content: Content::Text(decoded.text),
        hints: Hints {
            source: ctx.opts.source.clone(),
            title_in_text: true,
            ..Hints::default()
        },
    };
    let _ = out.emit(Item::Document(doc));
    Ok(())
}
