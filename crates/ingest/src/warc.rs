//! WARC 1.0/1.1 archives (plain or multi-member gzip), streamed record by
//! record.
//!
//! Only `response` records holding a successful HTML page become documents.
//! A record is read into memory only when it is such a candidate and within
//! the document limit; everything else is read past and discarded, so an
//! archive of any size costs one record of memory. Record offsets are byte
//! offsets in the (decompressed) WARC stream.

use std::io::{self, BufRead, Read};

use dossier_core::{Content, Hints, InputFormat, RawDocument};
use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use crate::decode::decode_html;
use crate::detect::detect_head;
use crate::input::Ctx;
use crate::jsonl::{read_line_bounded, Line};
use crate::{too_large, Item, Out, Problem};

/// Longest header line accepted, in WARC and HTTP headers alike.
const MAX_HEADER_LINE: usize = 64 * 1024;
/// Most header lines in one WARC record header.
const MAX_HEADER_LINES: usize = 1000;
/// How much of an oversized response is read to see whether it was a page.
const HTTP_HEAD_BYTES: u64 = 16 * 1024;

/// A `BufRead` that knows how far into the stream it is.
struct Tracked<'a> {
    inner: &'a mut dyn BufRead,
    pos: u64,
}

impl Read for Tracked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl BufRead for Tracked<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

/// A WARC record's header, as far as ingest cares.
#[derive(Debug, Default)]
struct RecordHeader {
    warc_type: String,
    target_uri: Option<String>,
    content_length: Option<u64>,
}

/// Why reading records stopped early.
enum Stop {
    /// A problem with the record at this locator; later records are lost.
    Record(String, String),
    /// An I/O error from the stream (a truncated gzip member, say).
    Io(Option<String>, io::Error),
}

pub(crate) fn read(ctx: &Ctx, reader: &mut dyn BufRead, out: &mut Out) -> Result<(), Problem> {
    let mut r = Tracked {
        inner: reader,
        pos: 0,
    };
    let stop = match records(ctx, &mut r, out) {
        Ok(()) => return Ok(()),
        Err(stop) => stop,
    };
    let problem = match stop {
        Stop::Record(record, reason) => ctx.problem(Some(record), reason),
        Stop::Io(record, e) => ctx.problem(record, ctx.read_reason(&e)),
    };
    // Damage at the very start of the file means nothing in it was readable.
    if out.delivered()
        || problem
            .origin
            .record
            .as_deref()
            .is_some_and(|r| r != "record at byte 0")
    {
        let _ = out.emit(Item::Problem(problem));
        Ok(())
    } else {
        Err(problem)
    }
}

fn records(ctx: &Ctx, r: &mut Tracked, out: &mut Out) -> Result<(), Stop> {
    let max = ctx.opts.max_document_bytes;
    let mut line = Vec::new();
    loop {
        let start = r.pos;
        let record = format!("record at byte {start}");
        let io = |e| Stop::Io(Some(format!("record at byte {start}")), e);
        match read_line_bounded(r, &mut line, MAX_HEADER_LINE).map_err(io)? {
            Line::Eof => return Ok(()),
            Line::Complete if line.trim_ascii().is_empty() => continue,
            Line::Complete if line.starts_with(b"WARC/") => {}
            _ => {
                return Err(Stop::Record(
                    record,
                    "not a WARC record (no WARC/1.x version line)".into(),
                ))
            }
        }
        let header = read_header(r, &mut line).map_err(|e| match e {
            HeaderError::Io(e) => io(e),
            HeaderError::Bad(reason) => Stop::Record(record.clone(), reason),
        })?;
        let Some(len) = header.content_length else {
            return Err(Stop::Record(record, "no valid Content-Length".into()));
        };
        let response = header.warc_type.eq_ignore_ascii_case("response");
        if !response {
            let got = io::copy(&mut (&mut *r).take(len), &mut io::sink()).map_err(io)?;
            check_length(&record, len, got)?;
            continue;
        }
        if len > max as u64 {
            // Look at the HTTP head only: an oversized image is no loss worth
            // a message, an oversized page is.
            let mut head = Vec::new();
            (&mut *r)
                .take(len.min(HTTP_HEAD_BYTES))
                .read_to_end(&mut head)
                .map_err(io)?;
            let got = head.len() as u64
                + io::copy(
                    &mut (&mut *r).take(len - head.len() as u64),
                    &mut io::sink(),
                )
                .map_err(io)?;
            check_length(&record, len, got)?;
            let page = parse_http(&head)
                .is_some_and(|h| is_success(&h) && is_html_type(mime(&h).as_deref()));
            if page
                && out
                    .emit(Item::Problem(
                        ctx.problem(Some(record), too_large(len, max)),
                    ))
                    .is_break()
            {
                return Ok(());
            }
            continue;
        }
        let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
        (&mut *r).take(len).read_to_end(&mut block).map_err(io)?;
        check_length(&record, len, block.len() as u64)?;
        if let Some(item) = http_document(ctx, record, header.target_uri, block) {
            if out.emit(item).is_break() {
                return Ok(());
            }
        }
    }
}

fn check_length(record: &str, expected: u64, got: u64) -> Result<(), Stop> {
    if got < expected {
        return Err(Stop::Record(
            record.to_owned(),
            format!("truncated (expected {expected} bytes, got {got})"),
        ));
    }
    Ok(())
}

enum HeaderError {
    Io(io::Error),
    Bad(String),
}

/// Reads `Name: value` lines up to the blank line that ends a WARC header.
fn read_header(r: &mut Tracked, line: &mut Vec<u8>) -> Result<RecordHeader, HeaderError> {
    let mut header = RecordHeader::default();
    for _ in 0..MAX_HEADER_LINES {
        match read_line_bounded(r, line, MAX_HEADER_LINE).map_err(HeaderError::Io)? {
            Line::Eof => {
                return Err(HeaderError::Bad(
                    "truncated (the file ends inside a record header)".into(),
                ))
            }
            Line::TooLong(_) => return Err(HeaderError::Bad("header line too long".into())),
            Line::Complete => {}
        }
        let text = String::from_utf8_lossy(line.trim_ascii());
        if text.is_empty() {
            return Ok(header);
        }
        let Some((name, value)) = text.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => header.warc_type = value.to_owned(),
            "warc-target-uri" => {
                // WARC 1.0 examples wrap the URI in angle brackets.
                let uri = value.trim_start_matches('<').trim_end_matches('>');
                header.target_uri = Some(uri.to_owned()).filter(|u| !u.is_empty());
            }
            "content-length" => header.content_length = value.parse().ok(),
            _ => {}
        }
    }
    Err(HeaderError::Bad("too many header lines".into()))
}

/// An HTTP response as stored in a `response` record.
struct HttpResponse<'a> {
    status: u16,
    content_type: Option<String>,
    transfer_encoding: Option<String>,
    content_encoding: Option<String>,
    body: &'a [u8],
}

fn parse_http(block: &[u8]) -> Option<HttpResponse<'_>> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let (head_len, sep) = match find(block, b"\r\n\r\n") {
        Some(i) => (i, 4),
        None => (find(block, b"\n\n")?, 2),
    };
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let mut resp = HttpResponse {
        status,
        content_type: None,
        transfer_encoding: None,
        content_encoding: None,
        body: &block[head_len + sep..],
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = Some(value.trim().to_owned());
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => resp.content_type = value,
            "transfer-encoding" => resp.transfer_encoding = value,
            "content-encoding" => resp.content_encoding = value,
            _ => {}
        }
    }
    Some(resp)
}

/// The document in a response record, a problem with it, or `None` when the
/// record is not a successful HTML page (those are skipped silently).
fn http_document(ctx: &Ctx, record: String, url: Option<String>, block: Vec<u8>) -> Option<Item> {
    let resp = parse_http(&block)?;
    let mime = mime(&resp);
    if !is_success(&resp) || !is_html_type(mime.as_deref()) {
        return None;
    }
    let body = match unwrap_body(&resp, ctx.opts.max_document_bytes) {
        Ok(body) => body,
        Err(reason) => return Some(Item::Problem(ctx.problem(Some(record), reason))),
    };
    if mime.is_none() && detect_head("", &body[..body.len().min(8192)]) != InputFormat::Html {
        return None;
    }
    let decoded = decode_html(&body, resp.content_type.as_deref());
    Some(Item::Document(RawDocument {
        origin: ctx.origin(Some(record)),
        format: InputFormat::Warc,
        raw: body,
        content: Content::Html(decoded.text),
        hints: Hints {
            url,
            source: ctx.opts.source.clone(),
            ..Hints::default()
        },
    }))
}

fn is_success(resp: &HttpResponse) -> bool {
    (200..300).contains(&resp.status)
}

/// The media type, lowercased, without parameters.
fn mime(resp: &HttpResponse) -> Option<String> {
    resp.content_type
        .as_deref()
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty())
}

/// HTML by its media type; a missing type is decided by sniffing the body.
fn is_html_type(mime: Option<&str>) -> bool {
    mime.is_none_or(|m| m == "text/html" || m == "application/xhtml+xml")
}

/// Undoes chunked transfer coding and gzip/deflate content coding, within
/// the document limit. Crawlers often store bodies already decoded but keep
/// the headers, so a body that does not look encoded is taken as it is.
fn unwrap_body(resp: &HttpResponse, max: usize) -> Result<Vec<u8>, String> {
    let chunked = resp
        .transfer_encoding
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let body = if chunked && looks_chunked(resp.body) {
        dechunk(resp.body, max)?
    } else {
        resp.body.to_vec()
    };
    let coding = resp
        .content_encoding
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match coding.as_str() {
        "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
            inflate(MultiGzDecoder::new(&body[..]), max, "gzip")
        }
        "deflate" if body.first().is_some_and(|b| b & 0x0f == 8) => {
            // "deflate" is zlib by the RFC and raw deflate by some servers.
            inflate(ZlibDecoder::new(&body[..]), max, "deflate")
                .or_else(|_| inflate(DeflateDecoder::new(&body[..]), max, "deflate"))
        }
        _ => Ok(body),
    }
}

fn inflate(decoder: impl Read, max: usize, name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .take(max as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("corrupt {name} body ({e})"))?;
    if out.len() > max {
        return Err(format!(
            "too large after {name} decompression (limit {} per document)",
            crate::megabytes(max as u64)
        ));
    }
    Ok(out)
}

/// A chunked body starts with a hexadecimal size line.
fn looks_chunked(body: &[u8]) -> bool {
    let line_end = body
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(body.len())
        .min(64);
    let line = String::from_utf8_lossy(&body[..line_end]);
    let size = line.trim().split(';').next().unwrap_or("").trim();
    !size.is_empty() && size.chars().all(|c| c.is_ascii_hexdigit())
}

/// Decodes `Transfer-Encoding: chunked` iteratively, within `max` bytes.
fn dechunk(mut body: &[u8], max: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = body.iter().position(|&b| b == b'\n') else {
            // A missing final chunk: keep what arrived, as browsers do.
            return Ok(out);
        };
        let line = String::from_utf8_lossy(&body[..nl]);
        let hex = line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(hex, 16)
            .map_err(|_| "bad chunked encoding (invalid chunk size)".to_string())?;
        body = &body[nl + 1..];
        if size == 0 {
            return Ok(out);
        }
        if out.len().saturating_add(size) > max {
            return Err(format!(
                "too large after de-chunking (limit {} per document)",
                crate::megabytes(max as u64)
            ));
        }
        let take = size.min(body.len());
        out.extend_from_slice(&body[..take]);
        body = &body[take..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunks() {
        let body = b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n";
        assert_eq!(dechunk(body, 100).unwrap(), b"Wikipedia");
        assert!(dechunk(b"zz\r\nx", 100).is_err());
        assert!(dechunk(b"ff\r\nx", 10).is_err());
        assert_eq!(dechunk(b"3\r\nab", 100).unwrap(), b"ab");
        assert!(looks_chunked(b"1a\r\n"));
        assert!(!looks_chunked(b"<html>"));
    }

    #[test]
    fn http_head_parses() {
        let r = parse_http(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nx").unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.body, b"x");
        assert!(parse_http(b"GET / HTTP/1.1\r\n\r\n").is_none());
    }
}
