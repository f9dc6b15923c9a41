//! Reads files, directory trees, stdin, feeds, WARC archives and e-mails into
//! [`RawDocument`]s, decoding character sets on the way.
//!
//! Ingest is the only stage that touches bytes: everything after it sees
//! UTF-8 [`Content`](dossier_core::Content) plus the [`Hints`](dossier_core::Hints)
//! the container gave. The rules it keeps:
//!
//! - formats are recognised by content first, the file extension only breaks
//!   ties (`detect`), and gzip is recognised by its magic bytes anywhere;
//! - memory is bounded: single-document formats are refused above
//!   [`IngestOptions::max_document_bytes`] before they are read, and the
//!   container formats (JSON Lines, WARC) are streamed record by record;
//! - one bad record is an [`Item::Problem`] and reading goes on; an input from
//!   which nothing at all can be read is an `Err(Problem)`;
//! - nothing here recurses over input structure and nothing panics on input.

mod dates;
mod decode;
mod detect;
mod email;
mod feed;
mod html;
mod input;
mod jsonl;
mod sitemap;
mod text;
mod warc;

use std::fmt;
use std::ops::ControlFlow;
use std::path::PathBuf;

use dossier_core::{DateValue, InputFormat, Origin, RawDocument};

pub use decode::{decode_html, decode_text, DecodeMethod, DecodedText};
pub use detect::detect_format;
pub use input::list_inputs;

/// How to read inputs. The defaults suit the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// Forces a format (`--format`) instead of detecting it.
    pub format: Option<InputFormat>,
    /// Names the outlet (`--source`) when the input does not say.
    pub source: Option<String>,
    /// The largest single document read into memory; bigger ones are refused.
    pub max_document_bytes: usize,
}

/// 32 MiB: larger than any real article page, small enough for many threads.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            format: None,
            source: None,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// One thing to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::File(p) => write!(f, "{}", p.display()),
            Input::Stdin => f.write_str("-"),
        }
    }
}

/// A feed item or JSON line that only points at an article (a URL, no text).
/// The caller may fetch it; ingest does not touch the network.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedLink {
    pub url: String,
    pub title: Option<String>,
    pub published: Option<DateValue>,
    pub source: Option<String>,
    pub origin: Origin,
    pub kind: LinkKind,
}

/// What a [`FeedLink`] points at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// An article page (or what may be one).
    #[default]
    Page,
    /// Another sitemap, from a sitemap index.
    Sitemap,
}

/// Why an input or a record in it could not be read, in one line that names
/// the file (and record) and says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct Problem {
    pub origin: Origin,
    pub reason: String,
}

impl Problem {
    pub fn new(origin: Origin, reason: impl Into<String>) -> Problem {
        Problem {
            origin,
            reason: reason.into(),
        }
    }

    pub(crate) fn file(path: &str, reason: impl Into<String>) -> Problem {
        Problem::new(Origin::file(path), reason)
    }
}

/// What reading an input yields, in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Document(RawDocument),
    Link(FeedLink),
    /// A record that could not be read; the records around it still are.
    Problem(Problem),
}

/// What one input held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputSummary {
    pub format: Option<InputFormat>,
    /// Bytes read from the input as stored (compressed size for gzip).
    pub bytes: u64,
    pub documents: usize,
    pub links: usize,
    pub problems: usize,
}

/// Reads one input, streaming items to `sink` (which returns
/// `ControlFlow::Break(())` to stop early). Returns `Err` only when nothing at
/// all could be read from the input.
pub fn read_input(
    input: &Input,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> Result<InputSummary, Problem> {
    input::read_input(input, opts, sink)
}

/// Like [`read_input`], for bytes already in memory; `name` becomes
/// `Origin::path` and its extension breaks format ties.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> Result<InputSummary, Problem> {
    input::read_source(name, Box::new(bytes), Some(bytes.len() as u64), opts, sink)
}

/// Hands items to the sink and counts them for the summary.
pub(crate) struct Out<'a> {
    sink: &'a mut dyn FnMut(Item) -> ControlFlow<()>,
    pub(crate) summary: InputSummary,
}

impl<'a> Out<'a> {
    pub(crate) fn new(sink: &'a mut dyn FnMut(Item) -> ControlFlow<()>) -> Out<'a> {
        Out {
            sink,
            summary: InputSummary::default(),
        }
    }

    pub(crate) fn emit(&mut self, item: Item) -> ControlFlow<()> {
        match &item {
            Item::Document(_) => self.summary.documents += 1,
            Item::Link(_) => self.summary.links += 1,
            Item::Problem(_) => self.summary.problems += 1,
        }
        (self.sink)(item)
    }

    /// True once anything at all was delivered: after that, failures are
    /// per-record problems rather than a failed input.
    pub(crate) fn delivered(&self) -> bool {
        self.summary.documents + self.summary.links + self.summary.problems > 0
    }
}

/// Sizes in messages: binary megabytes, one decimal, as in "32.0 MB".
pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// The reason for a document over the size limit.
pub(crate) fn too_large(bytes: u64, max: usize) -> String {
    format!(
        "too large ({}; limit {} per document)",
        megabytes(bytes),
        megabytes(max as u64)
    )
}
