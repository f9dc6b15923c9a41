//! XML sitemaps (`<urlset>`) with the Google News extension, and sitemap
//! indexes (`<sitemapindex>`). Every `<url>` is a [`FeedLink`] to an article
//! page, dated by `news:publication_date` (what the outlet says) or
//! `lastmod` (a later edit may have moved it, so less confidence); every
//! child `<sitemap>` is a link of kind [`LinkKind::Sitemap`] for a follower
//! to read in turn.

use dossier_core::{DateMethod, DateValue};
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::input::Ctx;
use crate::{FeedLink, Item, LinkKind, Out, Problem};

const NEWS_DATE_CONFIDENCE: f32 = 0.9;
const LASTMOD_CONFIDENCE: f32 = 0.5;
/// Entries read at most (the protocol allows 50,000 per file).
const MAX_ENTRIES: usize = 50_000;

/// Whether the XML root element is a sitemap or a sitemap index.
pub(crate) fn is_sitemap_root(local_name: &str) -> bool {
    matches!(local_name, "urlset" | "sitemapindex")
}

#[derive(Default)]
struct Entry {
    loc: String,
    lastmod: Option<String>,
    news_date: Option<String>,
    news_title: Option<String>,
    source: Option<String>,
}

/// Which field the text being read belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Loc,
    Lastmod,
    NewsDate,
    NewsTitle,
    NewsName,
}

pub(crate) fn read(ctx: &Ctx, bytes: &[u8], out: &mut Out) -> Result<(), Problem> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut entry: Option<(Entry, LinkKind)> = None;
    let mut field = Field::None;
    let mut seen_root = false;
    let mut count = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            ctx.problem(
                None,
                format!(
                    "not a valid sitemap (at byte {}: {e})",
                    reader.buffer_position()
                ),
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = local(e.local_name().as_ref());
                if !seen_root {
                    seen_root = true;
                    if !is_sitemap_root(&name) {
                        return Err(ctx.problem(None, format!("not a sitemap (root <{name}>)")));
                    }
                }
                match name.as_str() {
                    "url" => entry = Some((Entry::default(), LinkKind::Page)),
                    "sitemap" => entry = Some((Entry::default(), LinkKind::Sitemap)),
                    _ => field = field_of(&name, e.name().as_ref()),
                }
            }
            Event::Text(t) => {
                let text = t.decode().map(|c| c.into_owned()).unwrap_or_default();
                append(&mut entry, field, &text);
            }
            Event::CData(t) => {
                let text = t.decode().map(|c| c.into_owned()).unwrap_or_default();
                append(&mut entry, field, &text);
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => predefined(r.decode().map(|c| c.into_owned()).unwrap_or_default()),
                };
                append(&mut entry, field, &text);
            }
            Event::End(e) => {
                let name = local(e.local_name().as_ref());
                if matches!(name.as_str(), "url" | "sitemap") {
                    if let Some((done, kind)) = entry.take() {
                        count += 1;
                        if let Some(item) = link(ctx, done, kind, count) {
                            if out.emit(item).is_break() || count >= MAX_ENTRIES {
                                return Ok(());
                            }
                        }
                    }
                }
                field = Field::None;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return Err(ctx.problem(None, "not a sitemap (no XML element)"));
    }
    Ok(())
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).to_ascii_lowercase()
}

/// The field an element holds; News elements are told by their prefix-free
/// names under `<news:news>` (`publication_date`, `title`, `name`).
fn field_of(local: &str, qualified: &[u8]) -> Field {
    let news = qualified.starts_with(b"news:") || !qualified.contains(&b':');
    match local {
        "loc" => Field::Loc,
        "lastmod" => Field::Lastmod,
        "publication_date" if news => Field::NewsDate,
        "title" if news => Field::NewsTitle,
        "name" if news => Field::NewsName,
        _ => Field::None,
    }
}

fn predefined(name: String) -> String {
    match name.as_str() {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => format!("&{name};"),
    }
}

fn append(entry: &mut Option<(Entry, LinkKind)>, field: Field, text: &str) {
    let Some((e, _)) = entry.as_mut() else {
        return;
    };
    let slot = match field {
        Field::Loc => {
            e.loc.push_str(text);
            return;
        }
        Field::Lastmod => &mut e.lastmod,
        Field::NewsDate => &mut e.news_date,
        Field::NewsTitle => &mut e.news_title,
        Field::NewsName => &mut e.source,
        Field::None => return,
    };
    slot.get_or_insert_with(String::new).push_str(text);
}

fn link(ctx: &Ctx, e: Entry, kind: LinkKind, n: usize) -> Option<Item> {
    let origin = ctx.origin(Some(format!("entry {n}")));
    let url = e.loc.trim().to_owned();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Some(Item::Problem(Problem::new(
            origin,
            format!("sitemap entry without an http(s) <loc> ({url:?})"),
        )));
    }
    let published = date(e.news_date.as_deref(), NEWS_DATE_CONFIDENCE)
        .or_else(|| date(e.lastmod.as_deref(), LASTMOD_CONFIDENCE));
    Some(Item::Link(FeedLink {
        url,
        title: e
            .news_title
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty()),
        published,
        source: ctx.opts.source.clone().or(e.source),
        origin,
        kind,
    }))
}

/// W3C datetime (`2024-05-01`, `2024-05-01T10:00:00+02:00`) to the store's
/// date form; anything unparseable is dropped rather than guessed.
fn date(value: Option<&str>, confidence: f32) -> Option<DateValue> {
    let value = value?.trim();
    let normal = dossier_core::normalize_date(value)?;
    Some(DateValue::new(normal, DateMethod::Declared, confidence))
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;

    use crate::{read_bytes, IngestOptions, Item, LinkKind};

    fn items(xml: &str) -> Result<Vec<Item>, crate::Problem> {
        let mut out = Vec::new();
        read_bytes(
            "sitemap.xml",
            xml.as_bytes(),
            &IngestOptions::default(),
            &mut |i| {
                out.push(i);
                ControlFlow::Continue(())
            },
        )?;
        Ok(out)
    }

    fn link(item: &Item) -> &crate::FeedLink {
        match item {
            Item::Link(l) => l,
            other => panic!("expected a link, got {other:?}"),
        }
    }

    #[test]
    fn google_news_sitemap_gives_dated_titled_links() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example/a?id=1&amp;p=2</loc>
    <lastmod>2024-05-02</lastmod>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-01T10:00:00+02:00</news:publication_date>
      <news:title><![CDATA[Talks resume in Astana]]></news:title>
    </news:news>
  </url>
  <url><loc>https://news.example/b</loc><lastmod>2024-04-30</lastmod></url>
</urlset>"#;
        let items = items(xml).unwrap();
        assert_eq!(items.len(), 2);
        let a = link(&items[0]);
        assert_eq!(a.url, "https://news.example/a?id=1&p=2");
        assert_eq!(a.title.as_deref(), Some("Talks resume in Astana"));
        assert_eq!(a.source.as_deref(), Some("Example News"));
        assert_eq!(a.kind, LinkKind::Page);
        let date = a.published.as_ref().unwrap();
        assert!(
            date.value.starts_with("2024-05-01T08:00:00"),
            "{}",
            date.value
        );
        let b = link(&items[1]);
        assert_eq!(b.published.as_ref().unwrap().value, "2024-04-30");
        assert!(b.published.as_ref().unwrap().confidence < date.confidence);
    }

    #[test]
    fn sitemap_index_gives_child_sitemaps() {
        let xml = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-2024-05.xml</loc><lastmod>2024-05-03</lastmod></sitemap>
  <sitemap><loc>relative.xml</loc></sitemap>
</sitemapindex>"#;
        let items = items(xml).unwrap();
        let child = link(&items[0]);
        assert_eq!(child.kind, LinkKind::Sitemap);
        assert_eq!(child.url, "https://news.example/sitemap-2024-05.xml");
        assert!(matches!(&items[1], Item::Problem(p) if p.reason.contains("<loc>")));
    }

    #[test]
    fn broken_sitemap_is_a_clear_problem() {
        let err = items("<urlset><url><loc>https://a.example/</loc></url").unwrap_err();
        assert!(err.reason.contains("sitemap"), "{err}");
        let err = items("<urlset><url><loc>x</lo></url></urlset>").unwrap_err();
        assert!(err.reason.contains("not a valid sitemap"), "{err}");
    }
}
