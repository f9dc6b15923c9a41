//! RSS 0.9x/1.0/2.0, Atom and JSON Feed, through `feed-rs` (XML sitemaps,
//! also followed as feeds, go to `sitemap.rs`).
//!
//! An item with content (or a summary with text in it) is an article; an
//! item that only links somewhere is a [`FeedLink`], not an empty article.
//! An item's `raw` bytes are a JSON record built here with sorted keys, so
//! the same item read twice has the same id.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dossier_core::{Content, DateMethod, DateValue, Hints, InputFormat, RawDocument};
use feed_rs::model::{Entry, Feed, Text};

use crate::dates::from_unix_seconds;
use crate::input::Ctx;
use crate::{FeedLink, Item, Out, Problem};

/// A `published` date is what the feed says the article's date is.
const PUBLISHED_CONFIDENCE: f32 = 0.9;
/// An `updated` date may be a later edit than the article's first version.
const UPDATED_CONFIDENCE: f32 = 0.6;

pub(crate) fn read(ctx: &Ctx, bytes: &[u8], out: &mut Out) -> Result<(), Problem> {
    if crate::detect::root_is_sitemap(bytes) {
        return crate::sitemap::read(ctx, bytes, out);
    }
    let feed =
        parse(bytes).map_err(|reason| ctx.problem(None, format!("not a valid feed ({reason})")))?;
    let feed_title = feed.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    let feed_url = best_link(&feed.links);
    for (i, entry) in feed.entries.iter().enumerate() {
        let record = format!("item {}", i + 1);
        let item = item(
            ctx,
            record,
            entry,
            feed_title.as_deref(),
            feed_url.as_deref(),
        );
        if out.emit(item).is_break() {
            break;
        }
    }
    Ok(())
}

/// Parses with ids left empty when the feed gives none: feed-rs would
/// otherwise invent random UUIDs, and `raw` must be deterministic. A panic in
/// the parser is turned into an error: no input may crash ingest.
fn parse(bytes: &[u8]) -> Result<Feed, String> {
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .build();
    match catch_unwind(AssertUnwindSafe(|| parser.parse(bytes))) {
        Ok(Ok(feed)) => Ok(feed),
        Ok(Err(e)) => Err(first_line(&e.to_string())),
        Err(_) => Err("the feed parser failed on this input".into()),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_owned()
}

fn item(
    ctx: &Ctx,
    record: String,
    entry: &Entry,
    feed_title: Option<&str>,
    feed_url: Option<&str>,
) -> Item {
    let title = entry.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    let url = best_link(&entry.links);
    let published = match (entry.published, entry.updated) {
        (Some(p), _) => date(p.timestamp(), PUBLISHED_CONFIDENCE),
        (None, Some(u)) => date(u.timestamp(), UPDATED_CONFIDENCE),
        (None, None) => None,
    };
    let source = ctx
        .opts
        .source
        .clone()
        .or_else(|| feed_title.map(str::to_owned));
    let origin = ctx.origin(Some(record));
    let Some(content) = content(entry) else {
        return match url {
            Some(url) => Item::Link(FeedLink {
                url,
                title,
                published,
                source,
                origin,
                kind: crate::LinkKind::Page,
            }),
            None => Item::Problem(Problem::new(origin, "item has no content and no link")),
        };
    };
    let raw = serde_json::json!({
        "feed_url": feed_url,
        "feed_title": feed_title,
        "id": Some(entry.id.as_str()).filter(|s| !s.is_empty()),
        "link": url,
        "title": title,
        "published": published.as_ref().map(|d| d.value.as_str()),
        "content": content.as_str(),
    });
    let authors = entry
        .authors
        .iter()
        .map(|p| p.name.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    Item::Document(RawDocument {
        origin,
        format: InputFormat::Feed,
        raw: serde_json::to_vec(&raw).unwrap_or_default(),
        content,
        hints: Hints {
            url,
            title,
            source,
            published,
            language: None,
            authors,
            title_in_text: false,
        },
    })
}

fn date(seconds: i64, confidence: f32) -> Option<DateValue> {
    from_unix_seconds(seconds).map(|v| DateValue::new(v, DateMethod::Declared, confidence))
}

/// The item's full content, else its summary when that has any text.
fn content(entry: &Entry) -> Option<Content> {
    if let Some(c) = &entry.content {
        if let Some(body) = c.body.as_deref().filter(|b| has_text(b)) {
            let html = is_html_type(c.content_type.as_ref()) || has_tags(body);
            return Some(typed(body.trim(), html));
        }
    }
    let summary = entry.summary.as_ref()?;
    if !has_text(&summary.content) {
        return None;
    }
    let html = is_html_type(summary.content_type.as_ref()) || has_tags(&summary.content);
    Some(typed(summary.content.trim(), html))
}

fn typed(s: &str, html: bool) -> Content {
    if html {
        Content::Html(s.to_owned())
    } else {
        Content::Text(s.to_owned())
    }
}

fn is_html_type(media_type: &str) -> bool {
    media_type.contains("html")
}

/// Text is markup only when it has a tag-like `<x` or `</x`.
fn has_tags(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

/// Whether anything but tags and whitespace is left (an `<img>` is no text).
fn has_text(s: &str) -> bool {
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
    }
    false
}

/// A title as text: HTML titles lose their tags.
fn text_of(t: &Text) -> String {
    if is_html_type(t.content_type.as_ref()) && has_tags(&t.content) {
        strip_tags(&t.content)
    } else {
        t.content.trim().to_owned()
    }
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The article link: an `alternate` (or unqualified) link, else the first.
fn best_link(links: &[feed_rs::model::Link]) -> Option<String> {
    links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .or_else(|| links.first())
        .map(|l| l.href.trim().to_owned())
        .filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks() {
        assert!(!has_text("  <img src=x> <br/> "));
        assert!(has_text("<p>a</p>"));
        assert!(has_tags("a <b>c</b>"));
        assert!(!has_tags("1 < 2"));
        assert_eq!(strip_tags("<b>Big</b>  news"), "Big news");
    }
}
