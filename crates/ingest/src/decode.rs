//! Character sets: turning bytes into UTF-8 without ever failing.
//!
//! HTML follows the order of the HTML standard's encoding sniffing: a BOM is
//! definitive, then the transport's declaration (the HTTP `Content-Type` of a
//! WARC record), then a `<meta>` prescan of the first kilobytes (or an XML
//! declaration for XHTML), and only then statistics (`chardetng`). Labels are
//! mapped by the WHATWG table (`encoding_rs`), so `iso-8859-1` means
//! windows-1252 and `gb2312` means GBK, as browsers read them. Bytes that are
//! invalid in the chosen encoding become U+FFFD.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// Text decoded to UTF-8, with the encoding used and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    pub text: String,
    /// The WHATWG name of the encoding, e.g. `windows-1251`.
    pub encoding: &'static str,
    pub how: DecodeMethod,
}

/// How an encoding was chosen, from most to least authoritative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeMethod {
    /// A byte-order mark.
    Bom,
    /// The `charset` of an HTTP `Content-Type` header.
    HttpHeader,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">`.
    MetaCharset,
    /// `<?xml ... encoding="..."?>`.
    XmlDeclaration,
    /// Statistical detection (`chardetng`).
    Detected,
    /// The bytes were valid UTF-8.
    Utf8,
}

/// How far the `<meta>` and XML declaration prescan looks.
const PRESCAN_BYTES: usize = 4096;

/// Decodes an HTML document; `http_content_type` is the transport's
/// `Content-Type` header value when there was one.
pub fn decode_html(bytes: &[u8], http_content_type: Option<&str>) -> DecodedText {
    if let Some(d) = decode_bom(bytes) {
        return d;
    }
    if let Some(enc) = http_content_type.and_then(charset_param).and_then(label) {
        return decode_as(bytes, enc, DecodeMethod::HttpHeader);
    }
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    if let Some(enc) = meta_prescan(head) {
        return decode_as(bytes, html_declared(enc), DecodeMethod::MetaCharset);
    }
    if let Some(enc) = xml_declaration(head) {
        return decode_as(bytes, html_declared(enc), DecodeMethod::XmlDeclaration);
    }
    decode_unlabelled(bytes)
}

/// Decodes plain text: a BOM, else UTF-8 when valid, else detection.
pub fn decode_text(bytes: &[u8]) -> DecodedText {
    decode_bom(bytes).unwrap_or_else(|| decode_unlabelled(bytes))
}

fn decode_bom(bytes: &[u8]) -> Option<DecodedText> {
    let (enc, bom) = Encoding::for_bom(bytes)?;
    let text = enc
        .decode_without_bom_handling(&bytes[bom..])
        .0
        .into_owned();
    Some(DecodedText {
        text,
        encoding: enc.name(),
        how: DecodeMethod::Bom,
    })
}

/// Valid UTF-8 is taken as UTF-8: non-ASCII legacy text is practically never
/// valid UTF-8 by accident, and detection on it is slower and less sure.
fn decode_unlabelled(bytes: &[u8]) -> DecodedText {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return DecodedText {
            text: s.to_owned(),
            encoding: UTF_8.name(),
            how: DecodeMethod::Utf8,
        };
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let enc = detector.guess(None, true);
    decode_as(bytes, enc, DecodeMethod::Detected)
}

fn decode_as(bytes: &[u8], enc: &'static Encoding, how: DecodeMethod) -> DecodedText {
    DecodedText {
        text: enc.decode_without_bom_handling(bytes).0.into_owned(),
        encoding: enc.name(),
        how,
    }
}

fn label(name: &str) -> Option<&'static Encoding> {
    Encoding::for_label(name.trim().trim_matches(['"', '\'']).as_bytes())
}

/// A document cannot declare UTF-16 in ASCII-compatible bytes it has just
/// been read in, so the standard says such a declaration means UTF-8.
fn html_declared(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16BE || enc == UTF_16LE {
        UTF_8
    } else if enc == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        enc
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub(crate) fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// A simplified version of the HTML standard's prescan: walks `<meta` tags
/// (skipping comments) and returns the first encoding one declares.
fn meta_prescan(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut i = 0;
    while i < lower.len() {
        let rest = &lower[i..];
        if rest.starts_with(b"<!--") {
            i += find(rest, b"-->").map_or(rest.len(), |e| e + 3);
        } else if rest.starts_with(b"<meta")
            && rest
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
            if let Some(enc) = meta_encoding(&head[i + 5..i + end]) {
                return Some(enc);
            }
            i += end.max(1);
        } else {
            i += 1;
        }
    }
    None
}

/// The encoding one `<meta ...>` tag's attributes declare.
fn meta_encoding(attrs: &[u8]) -> Option<&'static Encoding> {
    let attrs = String::from_utf8_lossy(attrs);
    let mut charset = None;
    let mut content = None;
    let mut http_equiv_content_type = false;
    for (name, value) in attributes(&attrs) {
        match name.as_str() {
            "charset" if charset.is_none() => charset = Some(value),
            "content" if content.is_none() => content = Some(value),
            "http-equiv" => http_equiv_content_type |= value.eq_ignore_ascii_case("content-type"),
            _ => {}
        }
    }
    if let Some(c) = charset {
        return label(&c);
    }
    if http_equiv_content_type {
        return content.as_deref().and_then(content_charset).and_then(label);
    }
    None
}

/// `charset=` inside a meta `content` value, which needs no `;` before it.
fn content_charset(content: &str) -> Option<&str> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")? + "charset".len();
    let rest = content[at..].trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

/// Attribute `(name, value)` pairs of a tag, names lowercased. Tolerates
/// quoted, unquoted and valueless attributes.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return out;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after_eq) = rest.strip_prefix('=') {
            let after_eq = after_eq.trim_start();
            let quote = after_eq.chars().next().filter(|c| *c == '"' || *c == '\'');
            if let Some(q) = quote {
                let body = &after_eq[1..];
                let end = body.find(q).unwrap_or(body.len());
                value = body[..end].to_owned();
                rest = body.get(end + 1..).unwrap_or("");
            } else {
                let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                value = after_eq[..end].to_owned();
                rest = &after_eq[end..];
            }
        }
        if name.is_empty() {
            // Unparseable leftovers: skip one character so the loop ends.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
            continue;
        }
        out.push((name, value));
    }
}

/// The `encoding` of an `<?xml ...?>` declaration at the start.
fn xml_declaration(head: &[u8]) -> Option<&'static Encoding> {
    let s = String::from_utf8_lossy(head);
    let decl = s.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    attributes(decl)
        .into_iter()
        .find(|(n, _)| n == "encoding")
        .and_then(|(_, v)| label(&v))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_beats_everything() {
        let mut b = vec![0xef, 0xbb, 0xbf];
        b.extend_from_slice("<meta charset=koi8-r>é".as_bytes());
        let d = decode_html(&b, Some("text/html; charset=windows-1251"));
        assert_eq!((d.encoding, d.how), ("UTF-8", DecodeMethod::Bom));
        assert!(d.text.ends_with('é'));
    }

    #[test]
    fn http_header_beats_meta() {
        let d = decode_html(
            b"<meta charset=koi8-r>\xc1",
            Some("text/html; charset=\"windows-1251\""),
        );
        assert_eq!(
            (d.encoding, d.how),
            ("windows-1251", DecodeMethod::HttpHeader)
        );
        assert!(d.text.ends_with('Б'));
    }

    #[test]
    fn meta_forms() {
        let d = decode_html(b"<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=koi8-r\"></head>\xc1", None);
        assert_eq!((d.encoding, d.how), ("KOI8-R", DecodeMethod::MetaCharset));
        assert!(d.text.ends_with('а'));
        let d = decode_html(b"<meta charset='gb2312'>", None);
        assert_eq!(d.encoding, "GBK");
        let d = decode_html(b"<meta charset=iso-8859-1>", None);
        assert_eq!(d.encoding, "windows-1252");
        let d = decode_html(b"<meta charset=utf-16>", None);
        assert_eq!(d.encoding, "UTF-8");
        // A commented-out declaration does not count.
        let d = decode_html(b"<!-- <meta charset=koi8-r> --><p>x", None);
        assert_eq!(d.how, DecodeMethod::Utf8);
    }

    #[test]
    fn xml_declaration_for_xhtml() {
        let d = decode_html(
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><html>\xb1",
            None,
        );
        assert_eq!(
            (d.encoding, d.how),
            ("ISO-8859-2", DecodeMethod::XmlDeclaration)
        );
        assert!(d.text.ends_with('ą'));
    }

    #[test]
    fn unknown_labels_fall_through() {
        let d = decode_html(
            b"<meta charset=nonsense><p>plain",
            Some("text/html; charset=bogus"),
        );
        assert_eq!(d.how, DecodeMethod::Utf8);
    }

    #[test]
    fn invalid_bytes_never_fail() {
        let d = decode_text(b"caf\xe9 \xff\xfe\xfd ok");
        assert!(d.text.contains("ok"));
        let d = decode_text(&[0xc3]);
        assert!(!d.text.is_empty());
    }

    #[test]
    fn charset_param_parses_quotes_and_case() {
        assert_eq!(charset_param("text/html; Charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(
            content_charset("text/html;charset = 'koi8-r'"),
            Some("koi8-r")
        );
    }
}
