//! E-mail newsletters (`.eml`), through `mail-parser`, which undoes
//! quoted-printable, base64, encoded words and charsets.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dossier_core::{Content, DateMethod, DateValue, Hints, InputFormat, RawDocument};
use mail_parser::{Message, MessageParser};

use crate::input::Ctx;
use crate::{Item, Out, Problem};
use dossier_core::normalize_date as parse_declared;

/// A `Date:` header is when the message was sent, usually the date,
/// but senders' clocks and schedulers make it less sure than a declared date.
const DATE_HEADER_CONFIDENCE: f32 = 0.7;

pub(crate) fn read(ctx: &Ctx, bytes: Vec<u8>, out: &mut Out) -> Result<(), Problem> {
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        let msg = MessageParser::default().parse(&bytes)?;
        Some((body(&msg), hints(ctx, &msg)))
    }));
    let (content, hints) = match parsed {
        Ok(Some(parts)) => parts,
        Ok(None) | Err(_) => return Err(ctx.problem(None, "not a valid e-mail message")),
    };
    let content = content.ok_or_else(|| ctx.problem(None, "e-mail has no text or HTML body"))?;
    let doc = RawDocument {
        origin: ctx.origin(None),
        format: InputFormat::Email,
        raw: bytes,
        content,
        hints,
    };
    let _ = out.emit(Item::Document(doc));
    Ok(())
}

/// The HTML body when there is one (newsletters are written in it), else the
/// plain-text body. mail-parser would convert one into the other; we don't.
fn body(msg: &Message) -> Option<Content> {
    if msg.html_part(0).is_some_and(|p| p.is_text_html()) {
        let html = msg.body_html(0)?;
        return Some(Content::Html(html.into_owned())).filter(|c| !c.as_str().trim().is_empty());
    }
    match msg.text_part(0) {
        Some(p) if p.is_text() && !p.is_text_html() => {
            let text = msg.body_text(0)?;
            Some(Content::Text(text.into_owned())).filter(|c| !c.as_str().trim().is_empty())
        }
        _ => None,
    }
}

fn hints(ctx: &Ctx, msg: &Message) -> Hints {
    let from = msg.from().and_then(|a| a.first());
    let sender = from.and_then(|a| {
        a.name()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .or_else(|| a.address())
            .map(str::to_owned)
    });
    let published = msg
        .date()
        .and_then(|d| parse_declared(&d.to_rfc3339()))
        .map(|v| DateValue::new(v, DateMethod::EmailHeader, DATE_HEADER_CONFIDENCE));
    Hints {
        url: msg.header_raw("List-Post").and_then(list_post_url),
        title: msg
            .subject()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        source: ctx.opts.source.clone().or(sender),
        published,
        language: None,
        authors: Vec::new(),
        title_in_text: false,
    }
}

/// The web URL in a `List-Post: <https://...>` header (not a `mailto:`).
fn list_post_url(raw: &str) -> Option<String> {
    raw.split(['<', '>', ',', ' ', '\t', '\r', '\n'])
        .map(str::trim)
        .find(|s| s.starts_with("http://") || s.starts_with("https://"))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_post_prefers_web_urls() {
        assert_eq!(
            list_post_url(" <mailto:l@x.org>, <https://x.org/p/1>").as_deref(),
            Some("https://x.org/p/1")
        );
        assert_eq!(list_post_url("NO"), None);
    }
}
