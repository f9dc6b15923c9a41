//! Types shared by every dossier stage. No I/O lives here.
//!
//! The central idea (see `docs/ARCHITECTURE.md`): an article's cleaned `text`
//! is immutable, and everything derived from it is a [`Layer`] of stand-off
//! [`Span`]s over that text. Offsets in spans are *character* offsets
//! (Unicode scalar values), the same unit the JSON output documents, so a
//! span read from the store can be shown without conversion.

mod date;
mod document;
mod layer;
mod rng;

pub use date::{normalize_date, DateMethod, DateValue};
pub use document::{
    Article, ArticleId, Content, Hints, InputFormat, Origin, RawDocument, TextHash,
};
pub use layer::{ByteToChar, Component, Layer, Span};
pub use rng::SplitMix64;
