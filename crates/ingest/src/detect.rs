//! Recognising the format of an input from its first kilobytes.
//!
//! Content decides first, because saved files are often misnamed (`.html`
//! feeds, `.txt` pages, extensionless stdin); the extension only breaks ties
//! when the content gives no strong signal; weak signals (a text with many
//! tags) come last, and plain text is the fallback.

use std::io::Read;

use dossier_core::InputFormat;
use flate2::read::MultiGzDecoder;

use crate::input::HEAD_BYTES;

/// Detects the format of `bytes` (gzip-compressed or not), by content first
/// and by the extension of `name` as a tie-breaker. `None` for binary data.
pub fn detect_format(name: &str, bytes: &[u8]) -> Option<InputFormat> {
    let head: Vec<u8> = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        // A truncated stream still yields what was decompressed before the
        // error, which is all sniffing needs.
        let mut dec = MultiGzDecoder::new(bytes).take(HEAD_BYTES as u64);
        let mut buf = [0u8; 1024];
        while let Ok(n) = dec.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    } else {
        bytes[..bytes.len().min(HEAD_BYTES)].to_vec()
    };
    if head.is_empty() {
        return None;
    }
    let format = detect_head(name, &head);
    if format != InputFormat::Warc && looks_binary(&head) {
        return None;
    }
    Some(format)
}

/// The format of a (decompressed) head of an input.
pub(crate) fn detect_head(name: &str, head: &[u8]) -> InputFormat {
    let text = head_text(head);
    let text = text.trim_start();
    strong_signal(text)
        .or_else(|| by_extension(name))
        .unwrap_or_else(|| {
            if looks_like_html(text) {
                InputFormat::Html
            } else {
                InputFormat::Text
            }
        })
}

/// The head as text for sniffing: UTF-16 (with a BOM) is decoded, anything
/// else read as UTF-8 lossily, which keeps every ASCII marker intact.
fn head_text(head: &[u8]) -> String {
    match encoding_rs::Encoding::for_bom(head) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&head[bom..]).0.into_owned(),
        None => String::from_utf8_lossy(head).into_owned(),
    }
}

fn strong_signal(text: &str) -> Option<InputFormat> {
    if text.starts_with("WARC/1.") || text.starts_with("WARC/0.") {
        return Some(InputFormat::Warc);
    }
    if text.starts_with('{') {
        if text.contains("\"version\"") && text.contains("jsonfeed.org/version") {
            return Some(InputFormat::Feed);
        }
        return Some(InputFormat::Jsonl);
    }
    if text.starts_with('[') {
        return Some(InputFormat::Jsonl);
    }
    if text.starts_with('<') {
        return markup_root(text);
    }
    if looks_like_email(text) {
        return Some(InputFormat::Email);
    }
    None
}

/// Names the format of the root element, when it is telling.
fn markup_root(text: &str) -> Option<InputFormat> {
    let name = root_name(text)?;
    if name == "html!doctype" {
        return Some(InputFormat::Html);
    }
    match name.as_str() {
        "rss" | "feed" | "rdf" | "urlset" | "sitemapindex" => Some(InputFormat::Feed),
        "html" | "head" | "body" => Some(InputFormat::Html),
        _ => None,
    }
}

/// Skips the XML prolog (declaration, comments, processing instructions,
/// doctype) and gives the root element's local name, lowercased; an HTML
/// doctype gives `html!doctype`.
fn root_name(mut text: &str) -> Option<String> {
    loop {
        text = text.trim_start();
        let lower = text.get(..9).unwrap_or(text).to_ascii_lowercase();
        if text.starts_with("<?") {
            text = after(text, "?>")?;
        } else if text.starts_with("<!--") {
            text = after(text, "-->")?;
        } else if lower.starts_with("<!doctype") {
            let end = text.find('>')?;
            if text[..end].to_ascii_lowercase().contains("html") {
                return Some("html!doctype".into());
            }
            text = &text[end + 1..];
        } else {
            break;
        }
    }
    let name: String = text
        .strip_prefix('<')?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '.'))
        .collect::<String>()
        .to_ascii_lowercase();
    Some(name.rsplit(':').next().unwrap_or(&name).to_owned())
}

/// Whether a document whose format is `Feed` is an XML sitemap.
pub(crate) fn root_is_sitemap(bytes: &[u8]) -> bool {
    let head = head_text(&bytes[..bytes.len().min(4096)]);
    root_name(&head).is_some_and(|n| crate::sitemap::is_sitemap_root(&n))
}

fn after<'a>(text: &'a str, end: &str) -> Option<&'a str> {
    text.find(end).map(|i| &text[i + end.len()..])
}

fn by_extension(name: &str) -> Option<InputFormat> {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    if ext.contains('/') || ext.contains('\\') {
        return None;
    }
    match ext {
        "html" | "htm" | "xhtml" | "shtml" => Some(InputFormat::Html),
        "txt" | "text" => Some(InputFormat::Text),
        "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
        "rss" | "atom" | "rdf" | "xml" => Some(InputFormat::Feed),
        "warc" => Some(InputFormat::Warc),
        "eml" => Some(InputFormat::Email),
        _ => None,
    }
}

/// Header names that mark an e-mail message (as opposed to "Note: ..." in
/// a text).
const MAIL_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "mime-version",
    "received",
    "message-id",
    "return-path",
    "delivered-to",
    "reply-to",
    "content-type",
    "content-transfer-encoding",
    "list-id",
    "list-unsubscribe",
    "dkim-signature",
    "x-mailer",
    "sender",
];

/// An e-mail starts with a block of `Name: value` header lines (and folded
/// continuations) ending at a blank line; at least two must be mail headers.
fn looks_like_email(text: &str) -> bool {
    let mut known = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            return known >= 2;
        }
        if line.starts_with([' ', '\t']) && i > 0 {
            continue;
        }
        if i == 0 && line.starts_with("From ") {
            continue; // mbox separator
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        if MAIL_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            known += 1;
        }
    }
    // The head ended inside the header block: judge on what was seen.
    known >= 3
}

/// A weak signal: markup that reads like a page, without a telling root.
fn looks_like_html(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|m| lower.contains(m))
    {
        return true;
    }
    let tags = [
        "<p>", "<p ", "<div", "<br", "<a href", "<span", "<h1", "<h2", "<li>",
    ]
    .iter()
    .map(|t| lower.matches(t).count())
    .sum::<usize>();
    tags >= 5
}

/// Binary data: NUL bytes or many control characters in the first kilobytes.
/// UTF-16 with a BOM is text (and has NULs).
pub(crate) fn looks_binary(head: &[u8]) -> bool {
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return false;
    }
    let head = &head[..head.len().min(HEAD_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    control * 20 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, s: &str) -> Option<InputFormat> {
        detect_format(name, s.as_bytes())
    }

    #[test]
    fn content_beats_extension() {
        assert_eq!(
            d("a.html", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"),
            Some(InputFormat::Feed)
        );
        assert_eq!(d("a.txt", "<!DOCTYPE html><p>x"), Some(InputFormat::Html));
        assert_eq!(
            d("a.html", "WARC/1.0\r\nWARC-Type: warcinfo\r\n"),
            Some(InputFormat::Warc)
        );
        assert_eq!(
            d("x", "{\"url\": \"http://a\"}\n"),
            Some(InputFormat::Jsonl)
        );
        assert_eq!(
            d(
                "x.json",
                "{\n \"version\": \"https://jsonfeed.org/version/1.1\",\n \"items\": []}"
            ),
            Some(InputFormat::Feed)
        );
    }

    #[test]
    fn feed_roots_after_prolog() {
        let atom = "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<feed xmlns=\"http://www.w3.org/2005/Atom\">";
        assert_eq!(d("f", atom), Some(InputFormat::Feed));
        assert_eq!(d("f", "<rdf:RDF xmlns:rdf=\"x\">"), Some(InputFormat::Feed));
        assert_eq!(d("f", "<html><body>"), Some(InputFormat::Html));
    }

    #[test]
    fn extension_breaks_ties_and_text_is_fallback() {
        assert_eq!(d("a.html", "Just words."), Some(InputFormat::Html));
        assert_eq!(d("a.eml", "Just words."), Some(InputFormat::Email));
        assert_eq!(d("a", "Just words.\nMore words."), Some(InputFormat::Text));
        assert_eq!(d("dir.d/a", "Just words."), Some(InputFormat::Text));
        let tags = "intro <p>a</p><p>b</p><div>c</div><br><p>d</p>";
        assert_eq!(d("a", tags), Some(InputFormat::Html));
    }

    #[test]
    fn email_needs_a_header_block() {
        let mail = "From: A <a@b.c>\r\nSubject: Hi\r\n  folded\r\nDate: Thu, 21 Nov 2019 10:00:00 +0000\r\n\r\nBody";
        assert_eq!(d("m", mail), Some(InputFormat::Email));
        assert_eq!(
            d("m", "Note: this is text\n\nBody"),
            Some(InputFormat::Text)
        );
    }

    #[test]
    fn binary_is_none() {
        assert_eq!(
            detect_format("a.html", b"\x89PNG\r\n\x1a\n\0\0\0IHDR"),
            None
        );
        assert_eq!(detect_format("a", b""), None);
        assert!(!looks_binary(b"\xff\xfeh\0i\0"));
    }

    #[test]
    fn gzip_is_looked_into() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"<html><body>x</body></html>").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(detect_format("a.gz", &gz), Some(InputFormat::Html));
        assert_eq!(
            detect_format("a.gz", &gz[..gz.len() / 2]),
            Some(InputFormat::Html)
        );
    }
}
