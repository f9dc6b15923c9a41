//! JSON Lines exports: one article object per line, streamed.
//!
//! Lines are read with a bound: a line longer than the document limit is
//! discarded as it streams past, so a corrupt multi-gigabyte "line" costs no
//! memory. A file that is one JSON array (or one pretty-printed object) is
//! read whole, within the document limit.

use std::io::{self, BufRead, Cursor, Read};
use std::ops::ControlFlow;

use dossier_core::{Content, DateMethod, DateValue, Hints, InputFormat, RawDocument};
use serde_json::{Map, Value};

use crate::input::{read_document, Ctx};
use crate::{too_large, FeedLink, Item, Out, Problem};
use dossier_core::normalize_date as parse_declared;

/// Confidence of a date an export declares for an article.
const DECLARED_CONFIDENCE: f32 = 0.9;

pub(crate) fn read(ctx: &Ctx, reader: &mut dyn BufRead, out: &mut Out) -> Result<(), Problem> {
    let max = ctx.opts.max_document_bytes;
    if first_byte(reader) == Some(b'[') {
        return read_whole(ctx, Box::new(reader), out);
    }
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        number += 1;
        let read = match read_line_bounded(reader, &mut line, max) {
            Ok(r) => r,
            Err(e) => return read_failed(ctx, number, &e, out),
        };
        let record = format!("line {number}");
        let flow = match read {
            Line::Eof => return Ok(()),
            Line::TooLong(len) => out.emit(Item::Problem(
                ctx.problem(Some(record), too_large(len, max)),
            )),
            Line::Complete => {
                let trimmed = line.trim_ascii();
                if trimmed.is_empty() {
                    continue;
                }
                match serde_json::from_slice::<Value>(trimmed) {
                    Err(_) if number == 1 && trimmed == b"{" => {
                        // A pretty-printed object: the first line is "{".
                        let rest = Cursor::new(std::mem::take(&mut line)).chain(reader);
                        return read_whole(ctx, Box::new(rest), out);
                    }
                    Err(e) => out.emit(Item::Problem(ctx.problem(
                        Some(record),
                        format!("not a JSON object ({})", json_error(&e)),
                    ))),
                    Ok(value) => emit_value(ctx, record, value, trimmed.to_vec(), out),
                }
            }
        };
        if flow.is_break() {
            return Ok(());
        }
    }
}

/// A read error mid-file (say, a truncated gzip) is the file's failure only
/// when nothing came out of it before.
fn read_failed(ctx: &Ctx, number: usize, e: &io::Error, out: &mut Out) -> Result<(), Problem> {
    let record = (number > 1).then(|| format!("line {number}"));
    let problem = ctx.problem(record, ctx.read_reason(e));
    if out.delivered() {
        let _ = out.emit(Item::Problem(problem));
        Ok(())
    } else {
        Err(problem)
    }
}

fn first_byte(reader: &mut dyn BufRead) -> Option<u8> {
    loop {
        let buf = reader.fill_buf().ok()?;
        if buf.is_empty() {
            return None;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => return Some(buf[i]),
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

/// A whole-file JSON document: an array of article objects, or one object.
fn read_whole(ctx: &Ctx, stream: Box<dyn Read + '_>, out: &mut Out) -> Result<(), Problem> {
    let bytes = read_document(ctx, stream)?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ctx.problem(None, format!("not valid JSON ({})", json_error(&e))))?;
    match value {
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let raw = serde_json::to_vec(&item).unwrap_or_default();
                let record = format!("item {}", i + 1);
                if emit_value(ctx, record, item, raw, out).is_break() {
                    break;
                }
            }
        }
        value => {
            let _ = emit_value(ctx, "item 1".into(), value, bytes, out);
        }
    }
    Ok(())
}

/// serde_json's message with the position said once: a line's errors are
/// always on "line 1", so only the column is kept.
fn json_error(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let msg = s.rfind(" at line ").map_or(s.as_str(), |i| &s[..i]);
    format!("{msg} at column {}", e.column())
}

fn emit_value(
    ctx: &Ctx,
    record: String,
    value: Value,
    raw: Vec<u8>,
    out: &mut Out,
) -> ControlFlow<()> {
    let item = match value {
        Value::Object(obj) => article(ctx, record, &obj, raw),
        other => Item::Problem(ctx.problem(
            Some(record),
            format!("not a JSON object (found {})", kind(&other)),
        )),
    };
    out.emit(item)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One article object: `text` (preferred: the exporter already cleaned it)
/// or `html` makes a document; a bare `url` makes a link.
fn article(ctx: &Ctx, record: String, obj: &Map<String, Value>, raw: Vec<u8>) -> Item {
    let url = string(obj, "url");
    let title = string(obj, "title");
    let source = ctx.opts.source.clone().or_else(|| string(obj, "source"));
    let published = string(obj, "published")
        .or_else(|| string(obj, "date"))
        .and_then(|s| parse_declared(&s))
        .map(|v| DateValue::new(v, DateMethod::Declared, DECLARED_CONFIDENCE));
    let content = match (string(obj, "text"), string(obj, "html")) {
        (Some(text), _) => Content::Text(text),
        (None, Some(html)) => Content::Html(html),
        (None, None) => {
            let origin = ctx.origin(Some(record));
            return match url {
                Some(url) => Item::Link(FeedLink {
                    url,
                    title,
                    published,
                    source,
                    origin,
                    kind: crate::LinkKind::Page,
                }),
                None => Item::Problem(Problem::new(origin, "no text, html or url")),
            };
        }
    };
    Item::Document(RawDocument {
        origin: ctx.origin(Some(record)),
        format: InputFormat::Jsonl,
        raw,
        content,
        hints: Hints {
            url,
            title,
            source,
            published,
            language: string(obj, "language"),
            authors: authors(obj.get("authors").or_else(|| obj.get("author"))),
            title_in_text: false,
        },
    })
}

/// A non-empty string field (numbers are not silently turned into text).
fn string(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// `authors` as a list of names, a single name, or objects with a `name`.
fn authors(v: Option<&Value>) -> Vec<String> {
    let name = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Object(o) => string(o, "name"),
        _ => None,
    };
    let names: Vec<String> = match v {
        Some(Value::Array(items)) => items.iter().filter_map(name).collect(),
        Some(v) => name(v).into_iter().collect(),
        None => Vec::new(),
    };
    names.into_iter().filter(|n| !n.is_empty()).collect()
}

/// What reading one line gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    Eof,
    /// `buf` holds the line, without its newline.
    Complete,
    /// The line was longer than the limit and was skipped; its length.
    TooLong(u64),
}

/// Reads one line into `buf` holding at most `max` bytes of it; a longer line
/// is consumed and dropped as it streams past.
pub(crate) fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut len: u64 = 0;
    let mut seen_any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(match (seen_any, len > max as u64) {
                (false, _) => Line::Eof,
                (true, true) => Line::TooLong(len),
                (true, false) => Line::Complete,
            });
        }
        seen_any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        len += take as u64;
        if len <= max as u64 {
            buf.extend_from_slice(&chunk[..take]);
        } else if !buf.is_empty() {
            buf.clear();
            buf.shrink_to(0);
        }
        reader.consume(take + usize::from(done));
        if done {
            return Ok(if len > max as u64 {
                Line::TooLong(len)
            } else {
                Line::Complete
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let mut r = io::BufReader::with_capacity(4, &b"ab\nlonger line\n\nlast"[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::Complete
        );
        assert_eq!(buf, b"ab");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::TooLong(11)
        );
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::Complete
        );
        assert_eq!(buf, b"");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::Complete
        );
        assert_eq!(buf, b"last");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), Line::Eof);
    }

    #[test]
    fn json_error_names_the_column() {
        let e = serde_json::from_slice::<Value>(b"nope").unwrap_err();
        assert_eq!(json_error(&e), "expected ident at column 2");
    }

    #[test]
    fn authors_in_several_shapes() {
        let v: Value = serde_json::json!(["A", {"name": "B"}, 3, " "]);
        assert_eq!(authors(Some(&v)), vec!["A", "B"]);
        assert_eq!(authors(Some(&Value::String("C".into()))), vec!["C"]);
    }
}
