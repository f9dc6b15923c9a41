//! Opening inputs: path expansion, gzip, size limits and dispatch by format.
//!
//! Every input, whether a file, stdin or bytes in memory, goes through
//! [`read_source`] as a `Read` stream: the first few kilobytes are read to
//! sniff gzip and the format, then chained back in front of the rest, so
//! nothing needs to seek and stdin works like a file.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use dossier_core::{InputFormat, Origin};
use flate2::read::MultiGzDecoder;

use crate::{detect, email, feed, html, jsonl, text, too_large, warc};
use crate::{IngestOptions, Input, InputSummary, Item, Out, Problem};

/// How much of an input is read up front to sniff its format.
pub(crate) const HEAD_BYTES: usize = 8 * 1024;

/// Expands paths: files as they are, directories recursively in sorted order
/// (skipping hidden entries such as `.git`, and symlink loops), `-` as stdin.
pub fn list_inputs(paths: &[PathBuf]) -> Vec<Result<Input, Problem>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => list_dir(path, &mut out),
            Ok(_) => out.push(Ok(Input::File(path.clone()))),
            Err(e) => out.push(Err(Problem::file(
                &path.display().to_string(),
                io_reason(&e),
            ))),
        }
    }
    out
}

fn list_dir(root: &Path, out: &mut Vec<Result<Input, Problem>>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => out.push(Ok(Input::File(e.into_path()))),
            Ok(_) => {}
            // A symlink loop is a tree's shape, not a problem with a file.
            Err(e) if e.loop_ancestor().is_some() => {}
            Err(e) => {
                let path = e.path().unwrap_or(root).display().to_string();
                let reason = match e.io_error() {
                    Some(io) => io_reason(io),
                    None => e.to_string(),
                };
                out.push(Err(Problem::file(&path, reason)));
            }
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// A short lowercase reason for an I/O error, without the "(os error 2)".
pub(crate) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

pub(crate) fn read_input(
    input: &Input,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> Result<InputSummary, Problem> {
    match input {
        Input::Stdin => read_source("-", Box::new(io::stdin().lock()), None, opts, sink),
        Input::File(path) => {
            let name = path.display().to_string();
            let file = File::open(path).map_err(|e| Problem::file(&name, io_reason(&e)))?;
            let meta = file
                .metadata()
                .map_err(|e| Problem::file(&name, io_reason(&e)))?;
            if meta.is_dir() {
                return Err(Problem::file(&name, "is a directory"));
            }
            read_source(&name, Box::new(file), Some(meta.len()), opts, sink)
        }
    }
}

/// What the format readers need to know about the input.
pub(crate) struct Ctx<'a> {
    pub name: &'a str,
    pub opts: &'a IngestOptions,
    pub gzip: bool,
}

impl Ctx<'_> {
    pub(crate) fn origin(&self, record: Option<String>) -> Origin {
        Origin {
            path: self.name.to_owned(),
            record,
        }
    }

    pub(crate) fn problem(&self, record: Option<String>, reason: impl Into<String>) -> Problem {
        Problem::new(self.origin(record), reason)
    }

    /// Read errors inside a gzip stream are almost always truncation or
    /// corruption of the compressed data; say so rather than "unexpected EOF".
    pub(crate) fn read_reason(&self, e: &io::Error) -> String {
        gzip_reason(self.gzip, e)
    }
}

fn gzip_reason(gzip: bool, e: &io::Error) -> String {
    match (gzip, e.kind()) {
        (true, io::ErrorKind::UnexpectedEof) => "truncated gzip stream".into(),
        (true, io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData) => {
            format!("corrupt gzip stream ({e})")
        }
        _ => format!("read error ({})", io_reason(e)),
    }
}

/// Counts the bytes read from the stored input, for [`InputSummary::bytes`].
struct Counting<'a, R> {
    inner: R,
    count: &'a Cell<u64>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Reads up to `limit` bytes, retrying short reads (pipes give them).
pub(crate) fn read_up_to(r: &mut dyn Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(limit.min(HEAD_BYTES));
    r.take(limit as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Reads the first kilobytes, keeping what arrived before an error.
fn read_head(stream: &mut dyn Read) -> (Vec<u8>, Option<io::Error>) {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    let error = stream.take(HEAD_BYTES as u64).read_to_end(&mut head).err();
    (head, error)
}

/// A stream that already failed: gives its error once, then ends.
struct Failed(Option<io::Error>);

impl Read for Failed {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Reads one input of any kind. `size` is the stored size when known.
pub(crate) fn read_source<'s>(
    name: &str,
    source: Box<dyn Read + 's>,
    size: Option<u64>,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> Result<InputSummary, Problem> {
    let count = Cell::new(0u64);
    let mut raw = Counting {
        inner: source,
        count: &count,
    };
    let raw_head =
        read_up_to(&mut raw, HEAD_BYTES).map_err(|e| Problem::file(name, io_reason(&e)))?;
    if raw_head.is_empty() {
        return Err(Problem::file(name, "empty file"));
    }
    let gzip = raw_head.starts_with(&[0x1f, 0x8b]);
    let ctx = Ctx { name, opts, gzip };
    let raw = Cursor::new(raw_head).chain(raw);
    let mut stream: Box<dyn Read + '_> = if gzip {
        Box::new(MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let (head, error) = read_head(&mut stream);
    match (head.is_empty(), error) {
        (true, Some(e)) => return Err(ctx.problem(None, ctx.read_reason(&e))),
        (true, None) => return Err(ctx.problem(None, "empty file (after decompression)")),
        // The head decompressed but the stream broke after it: let the
        // format reader meet the error where it is, after the good records.
        (false, Some(e)) => stream = Box::new(Failed(Some(e))),
        (false, None) => {}
    }
    let format = opts
        .format
        .unwrap_or_else(|| detect::detect_head(name, &head));
    if !matches!(format, InputFormat::Jsonl | InputFormat::Warc) {
        if let Some(size) = size.filter(|&s| !gzip && s > opts.max_document_bytes as u64) {
            return Err(ctx.problem(None, too_large(size, opts.max_document_bytes)));
        }
    }
    // WARC records carry images and other binary payloads by design.
    if format != InputFormat::Warc && detect::looks_binary(&head) {
        return Err(ctx.problem(None, "binary file (not text, HTML, feed, WARC or e-mail)"));
    }
    let stream = Cursor::new(head).chain(stream);
    let mut out = Out::new(sink);
    out.summary.format = Some(format);
    dispatch(&ctx, format, Box::new(stream), &mut out)?;
    out.summary.bytes = count.get();
    Ok(out.summary)
}

/// Streams container formats; reads single documents whole, within the limit.
fn dispatch(
    ctx: &Ctx,
    format: InputFormat,
    stream: Box<dyn Read + '_>,
    out: &mut Out,
) -> Result<(), Problem> {
    match format {
        InputFormat::Jsonl => {
            let mut reader = BufReader::with_capacity(64 * 1024, stream);
            jsonl::read(ctx, &mut reader, out)
        }
        InputFormat::Warc => {
            let mut reader = BufReader::with_capacity(64 * 1024, stream);
            warc::read(ctx, &mut reader, out)
        }
        InputFormat::Html | InputFormat::Text | InputFormat::Feed | InputFormat::Email => {
            let bytes = read_document(ctx, stream)?;
            match format {
                InputFormat::Html => html::read(ctx, bytes, out),
                InputFormat::Text => text::read(ctx, bytes, out),
                InputFormat::Feed => feed::read(ctx, &bytes, out),
                _ => email::read(ctx, bytes, out),
            }
        }
    }
}

/// Reads a whole single document, refusing it past the size limit without
/// holding more than the limit plus one byte.
pub(crate) fn read_document(ctx: &Ctx, mut stream: Box<dyn Read + '_>) -> Result<Vec<u8>, Problem> {
    let max = ctx.opts.max_document_bytes;
    let bytes = read_up_to(&mut stream, max.saturating_add(1))
        .map_err(|e| ctx.problem(None, ctx.read_reason(&e)))?;
    if bytes.len() > max {
        let after = if ctx.gzip { " after decompression" } else { "" };
        let reason = format!(
            "too large (more than {}{after}; limit {} per document)",
            crate::megabytes(max as u64),
            crate::megabytes(max as u64)
        );
        return Err(ctx.problem(None, reason));
    }
    Ok(bytes)
}
