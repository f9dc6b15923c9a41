//! The web UI: plain server-rendered HTML, a little CSS, no scripts.
//!
//! Every string that comes from an article or the store goes through
//! [`escape`] (or [`url_part`] inside an address) before it reaches a page.

use std::collections::BTreeMap;
use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use dossier_brief::timeline::{self as tl, DatedBy, Timeline};
use dossier_core::Span;
use dossier_store::{ListFilter, RevisionRow, Store};

use crate::api::{build_timeline, find_entity, story_id, storyline_id, Params, TimelineQuery};
use crate::{present, with_store, ApiError, AppState};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a string for use as one path segment or query value.
fn url_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// An error shown as a page (same status and safe message as the API's).
pub struct PageError(pub(crate) ApiError);

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> PageError {
        PageError(err)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = page(
            "Error",
            &format!(
                "<h1>{} {}</h1><p class=\"error\">{}</p>",
                self.0.status.as_u16(),
                escape(self.0.status.canonical_reason().unwrap_or("")),
                escape(&self.0.message)
            ),
            "",
        );
        (self.0.status, body).into_response()
    }
}

type PageResult = Result<Html<String>, PageError>;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem;line-height:1.5;color:#222}\
header{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #ccc;padding:.5rem 0}\
header a.home{font-weight:bold;text-decoration:none;color:#222}\
header form{flex:1}header input[type=search]{width:70%}\
.meta{color:#666;font-size:.9em}ul.list{padding-left:1.2rem}\
.text{white-space:pre-wrap}\
.ent{background:#e3f0ff;border-bottom:1px solid #69c}.timex{background:#fff3c4}\
.qty{background:#e2f7e2}.quote{font-style:italic;background:#f3e8ff}\
.comment{text-decoration:underline dotted #c33}\
.facets{float:right;width:14rem;margin-left:1rem;font-size:.9em}.error{color:#a00}\
mark{background:#ffe066}.legend span{margin-right:.6rem;padding:0 .2rem}\
del{background:#fdd}ins{background:#dfd;text-decoration:none}.silent{color:#a00;font-weight:bold}\
form.fix{margin:.4rem 0}form.inline{display:inline;font-size:.85em}\
table{border-collapse:collapse}td,th{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:left}\
figure.chart{margin:0;overflow-x:auto}figure.chart svg{max-width:100%;height:auto}";

/// A whole page: `title` goes into `<title>` escaped; `body` is HTML.
fn page(title: &str, body: &str, q: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · dossier</title><style>{STYLE}</style></head><body>\
         <header><a class=\"home\" href=\"/\">dossier</a>\
         <form action=\"/search\" method=\"get\" role=\"search\">\
         <input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search articles\" aria-label=\"Search\">\
         <button>Search</button></form><a href=\"/storylines\">Storylines</a><a href=\"/sources\">Sources</a><a href=\"/ingest\">Add text</a></header><main>{body}</main></body></html>",
        escape(title),
        escape(q)
    ))
}

fn day(value: Option<&str>) -> String {
    value.map_or_else(
        || "undated".to_owned(),
        |d| escape(d.get(..10).unwrap_or(d)),
    )
}

fn article_link(id: &str, title: &str) -> String {
    format!(
        "<a href=\"/articles/{}\">{}</a>",
        url_part(id),
        escape(if title.trim().is_empty() {
            "(untitled)"
        } else {
            title
        })
    )
}

fn source(source: Option<&str>) -> String {
    escape(source.unwrap_or("unknown outlet"))
}

pub async fn front(State(state): State<AppState>) -> PageResult {
    let body = with_store(&state, |store| {
        let articles = store.list(&ListFilter {
            limit: 30,
            ..ListFilter::default()
        })?;
        let mut stories = store.stories(None, None)?;
        stories.truncate(15);
        let mut out = String::from("<h1>Latest</h1>");
        out.push_str(&latest_brief(store)?);
        out.push_str("<section><h2>Stories</h2><ul class=\"list\">");
        for s in &stories {
            let _ = write!(
                out,
                "<li><a href=\"/stories/{}\">{}</a> <span class=\"meta\">{} article(s), {} · {}</span></li>",
                s.id,
                escape(&s.label),
                s.articles,
                escape(&s.outlets.join(", ")),
                day(s.last_seen.as_deref())
            );
        }
        if stories.is_empty() {
            out.push_str("<li>No stories yet.</li>");
        }
        out.push_str("</ul></section><section><h2>Articles</h2><ul class=\"list\">");
        for a in &articles {
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">{} · {} · {}</span></li>",
                article_link(&a.id, &a.title),
                source(a.source.as_deref()),
                escape(a.language.as_deref().unwrap_or("?")),
                day(a.published.as_deref())
            );
        }
        if articles.is_empty() {
            out.push_str("<li>No articles yet: run <code>dossier ingest</code>.</li>");
        }
        out.push_str("</ul></section>");
        Ok(out)
    })
    .await?;
    Ok(page("Latest", &body, ""))
}

/// The newest saved brief (`dossier brief` saves each one), its items with
/// every sentence linked to the articles it cites.
fn latest_brief(store: &Store) -> Result<String, ApiError> {
    let Some(id) = store.latest_brief_id()? else {
        return Ok(
            "<section class=\"brief\"><h2>Brief</h2><p>No brief yet: \
                   <code>dossier brief</code> writes one and keeps it for this page.</p></section>"
                .to_owned(),
        );
    };
    let Some(record) = store.brief_record(id)? else {
        return Ok(String::new());
    };
    let Ok(brief) = serde_json::from_str::<dossier_brief::Brief>(&record.brief) else {
        eprintln!("dossier serve: saved brief {id} cannot be read");
        return Ok(String::new());
    };
    let mut out = format!(
        "<section class=\"brief\"><h2>Brief {id}: {} .. {}</h2>",
        escape(&brief.since),
        escape(&brief.until)
    );
    for item in &brief.items {
        let _ = write!(
            out,
            "<h3><a href=\"/stories/{}\">{}</a></h3><p>",
            item.story,
            escape(&item.headline)
        );
        for s in &item.sentences {
            let cites: Vec<String> = s
                .citations
                .iter()
                .map(|c| format!("<a href=\"/articles/{}\">↗</a>", url_part(&c.article)))
                .collect();
            let _ = write!(out, "{} {} ", escape(&s.text), cites.join(""));
        }
        out.push_str("</p>");
        for e in &item.edits {
            let _ = write!(
                out,
                "<p class=\"meta\">{} changed its article after publication ({}).</p>",
                source(e.source.as_deref()),
                escape(e.found.get(..10).unwrap_or(&e.found))
            );
        }
    }
    if brief.items.is_empty() {
        out.push_str("<p>Nothing in this brief's window.</p>");
    }
    out.push_str("</section>");
    Ok(out)
}

/// Marks `highlights` (character ranges) in a snippet, escaping the rest.
fn snippet_html(snippet: &str, highlights: &[(usize, usize)]) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for &(start, end) in highlights {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        if start < at || end < start {
            continue;
        }
        out.push_str(&escape(&chars[at..start].iter().collect::<String>()));
        out.push_str("<mark>");
        out.push_str(&escape(&chars[start..end].iter().collect::<String>()));
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&escape(&chars[at..].iter().collect::<String>()));
    out
}

pub async fn search(State(state): State<AppState>, Query(p): Query<Params>) -> PageResult {
    let Some(q) = present(&p.q) else {
        return Ok(page(
            "Search",
            "<h1>Search</h1><p>Type words above: \"quoted phrases\", AND/OR, -word and title:word work.</p>",
            "",
        ));
    };
    let mut p = p;
    if p.limit.is_none() {
        p.limit = Some("50".into());
    }
    let params = p.clone();
    let body = with_store(&state, move |store| {
        let (query, filter) = params.search_filter(store)?;
        let hits = store.search(&query, &filter)?;
        let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        let entities = store.entities_of(&ids, 10)?;
        let mut stories: BTreeMap<(i64, String), usize> = BTreeMap::new();
        for (_, id, label) in store.stories_of(&ids)? {
            *stories.entry((id, label)).or_default() += 1;
        }
        // Facets from the results: outlets from the hits, languages from the
        // stored articles.
        let mut outlets: BTreeMap<String, usize> = BTreeMap::new();
        let mut languages: BTreeMap<String, usize> = BTreeMap::new();
        for (hit, lang) in hits.iter().zip(store.languages_of(&ids)?) {
            *outlets
                .entry(hit.source.clone().unwrap_or_else(|| "unknown".into()))
                .or_default() += 1;
            *languages
                .entry(lang.unwrap_or_else(|| "unknown".into()))
                .or_default() += 1;
        }
        let link = |key: &str, value: &str| {
            let mut url = format!("/search?q={}", url_part(&query));
            for (k, v) in [
                ("source", present(&params.source)),
                ("lang", present(&params.lang)),
                ("since", present(&params.since)),
                ("until", present(&params.until)),
                ("entity", present(&params.entity)),
                ("story", present(&params.story)),
            ] {
                let v = if k == key { Some(value.to_owned()) } else { v };
                if let Some(v) = v {
                    let _ = write!(url, "&{k}={}", url_part(&v));
                }
            }
            escape(&url)
        };
        let mut out = format!(
            "<h1>Search: {}</h1><aside class=\"facets\"><h2>Outlets</h2><ul class=\"list\">",
            escape(&query)
        );
        for (name, n) in &outlets {
            let _ = write!(
                out,
                "<li><a href=\"{}\">{}</a> ({n})</li>",
                link("source", name),
                escape(name)
            );
        }
        out.push_str("</ul><h2>Languages</h2><ul class=\"list\">");
        for (name, n) in &languages {
            let _ = write!(
                out,
                "<li><a href=\"{}\">{}</a> ({n})</li>",
                link("lang", name),
                escape(name)
            );
        }
        out.push_str("</ul><h2>Entities</h2><ul class=\"list\">");
        for (id, name, n) in &entities {
            let _ = write!(
                out,
                "<li><a href=\"{}\">{}</a> ({n})</li>",
                link("entity", &id.to_string()),
                escape(name)
            );
        }
        out.push_str("</ul><h2>Stories</h2><ul class=\"list\">");
        let mut by_count: Vec<(&(i64, String), &usize)> = stories.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1));
        for ((id, label), n) in by_count.into_iter().take(10) {
            let _ = write!(
                out,
                "<li><a href=\"{}\">{}</a> ({n})</li>",
                link("story", &id.to_string()),
                escape(label)
            );
        }
        let _ = write!(
            out,
            "</ul><h2>Dates</h2><form method=\"get\" action=\"/search\" class=\"dates\">\
             <input type=\"hidden\" name=\"q\" value=\"{}\">\
             <input type=\"date\" name=\"since\" value=\"{}\" aria-label=\"from\"> \
             <input type=\"date\" name=\"until\" value=\"{}\" aria-label=\"to\"> <button>Filter</button></form>\
             </aside><p class=\"meta\">{} result(s){}</p><ol class=\"results\">",
            escape(&query),
            escape(&present(&params.since).unwrap_or_default()),
            escape(&present(&params.until).unwrap_or_default()),
            hits.len(),
            if filter.entity.is_some() || filter.story.is_some() {
                format!(" · <a href=\"/search?q={}\">clear filters</a>", escape(&url_part(&query)))
            } else {
                String::new()
            }
        );
        for hit in &hits {
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">{} · {}</span><br>{}</li>",
                article_link(&hit.id, &hit.title),
                source(hit.source.as_deref()),
                day(hit.published.as_deref()),
                snippet_html(&hit.snippet, &hit.highlights)
            );
        }
        out.push_str("</ol>");
        if hits.is_empty() {
            out.push_str("<p>No articles match.</p>");
        }
        Ok(out)
    })
    .await?;
    Ok(page(&format!("Search: {q}"), &body, &q))
}

/// One highlight over the text: character range, CSS class, tooltip, link.
struct Mark {
    start: usize,
    end: usize,
    class: &'static str,
    title: String,
    href: Option<String>,
}

fn field(span: &Span, key: &str) -> Option<String> {
    match span.fields.get(key)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn describe(parts: &[(&str, Option<String>)]) -> String {
    parts
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn marks(text_len: usize, layers: &BTreeMap<String, Vec<Span>>, chars: &[char]) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (name, spans) in layers {
        for s in spans {
            if s.start >= s.end || s.end > text_len {
                continue;
            }
            let surface = || chars[s.start..s.end].iter().collect::<String>();
            let (class, title, href) = match name.as_str() {
                "entities" => {
                    let label = field(s, "label").unwrap_or_else(|| "entity".into());
                    let kind = match label.as_str() {
                        "PER" => "person",
                        "ORG" => "organisation",
                        "LOC" => "place",
                        _ => "other name",
                    };
                    let name = field(s, "text").unwrap_or_else(surface);
                    (
                        "ent",
                        format!("Entity ({label}, {kind}): {name}. Click for everything about it."),
                        Some(format!("/entities/{}", url_part(&name))),
                    )
                }
                "timexes" => (
                    "timex",
                    format!(
                        "Date/time expression: {}",
                        describe(&[
                            ("type", field(s, "type")),
                            ("value", field(s, "value")),
                            ("modifier", field(s, "mod")),
                        ])
                    ),
                    None,
                ),
                "quantities" => (
                    "qty",
                    format!(
                        "Number: {}",
                        describe(&[
                            ("value", field(s, "value")),
                            ("up to", field(s, "value_max")),
                            ("unit", field(s, "unit")),
                            ("change", field(s, "change")),
                            ("per", field(s, "per")),
                            ("concept", field(s, "concept")),
                        ])
                    ),
                    None,
                ),
                "quotes" => (
                    "quote",
                    format!(
                        "Quote: {}",
                        describe(&[
                            ("kind", field(s, "kind")),
                            ("speaker", field(s, "speaker")),
                            ("cue", field(s, "cue")),
                        ])
                    ),
                    None,
                ),
                "commentary" => (
                    "comment",
                    format!(
                        "Commentary, the writer's own view rather than reported fact ({})",
                        field(s, "kind").unwrap_or_else(|| "opinion".into())
                    ),
                    None,
                ),
                _ => continue,
            };
            marks.push(Mark {
                start: s.start,
                end: s.end,
                class,
                title,
                href,
            });
        }
    }
    marks
}

/// The article text as HTML with its fact layers highlighted: every cut
/// between span boundaries becomes a run wrapped in the spans (outermost
/// first) that cover it, so overlapping layers still nest correctly. All
/// text and tooltips are escaped.
pub fn render_text(text: &str, layers: &BTreeMap<String, Vec<Span>>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut marks = marks(chars.len(), layers, &chars);
    marks.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    for m in &marks {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from >= to {
            continue;
        }
        let active: Vec<&Mark> = marks
            .iter()
            .take_while(|m| m.start <= from)
            .filter(|m| m.end >= to)
            .collect();
        for m in &active {
            match &m.href {
                Some(href) => {
                    let _ = write!(
                        out,
                        "<a class=\"{}\" href=\"{}\" title=\"{}\">",
                        m.class,
                        escape(href),
                        escape(&m.title)
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<span class=\"{}\" title=\"{}\">",
                        m.class,
                        escape(&m.title)
                    );
                }
            }
        }
        out.push_str(&escape(&chars[from..to].iter().collect::<String>()));
        for m in active.iter().rev() {
            out.push_str(if m.href.is_some() { "</a>" } else { "</span>" });
        }
    }
    out
}

pub async fn article(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let (title, body) = with_store(&state, move |store| {
        let a = store.article(&id)?;
        let copies = store.copies_of(&a.id)?;
        let mut out = format!("<article><h1>{}</h1><p class=\"meta\">", escape(&a.title));
        let _ = write!(
            out,
            "{} · {} · {}",
            source(a.source.as_deref()),
            escape(a.language.as_deref().unwrap_or("language unknown")),
            match &a.published {
                Some(d) => format!(
                    "published {} <span title=\"{}\">({})</span>",
                    escape(&d.value),
                    escape(&format!(
                        "date found by {}, confidence {:.2}",
                        d.method, d.confidence
                    )),
                    escape(&d.method)
                ),
                None => "publication date unknown".into(),
            }
        );
        if !a.authors.is_empty() {
            let _ = write!(out, " · by {}", escape(&a.authors.join(", ")));
        }
        if let Some(url) = &a.url {
            if url.starts_with("http://") || url.starts_with("https://") {
                let _ = write!(
                    out,
                    " · <a href=\"{}\" rel=\"noopener noreferrer nofollow\">original</a>",
                    escape(url)
                );
            }
        }
        let _ = write!(
            out,
            " · id <code>{}</code></p>\
             <p class=\"legend meta\">Highlights (hover for details): <span class=\"ent\">entity</span>\
             <span class=\"timex\">date</span><span class=\"qty\">number</span>\
             <span class=\"quote\">quote</span><span class=\"comment\">commentary</span></p>\
             <div class=\"text\">{}</div></article>",
            escape(&a.id),
            render_text(&a.text, &a.layers)
        );
        let removed = a.layers.get("boilerplate").map_or(&[][..], Vec::as_slice);
        let _ = write!(
            out,
            "<details><summary>Removed boilerplate ({})</summary><ul class=\"list\">",
            removed.len()
        );
        for s in removed {
            let _ = write!(
                out,
                "<li><span class=\"meta\">{}</span> {}</li>",
                escape(&field(s, "reason").unwrap_or_default()),
                escape(&field(s, "text").unwrap_or_default())
            );
        }
        let _ = write!(
            out,
            "</ul></details><section><h2>Copies and rewrites ({})</h2><ul class=\"list\">",
            copies.len()
        );
        for c in &copies {
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">{} · {} · overlap {:.2}, published first: {}</span></li>",
                article_link(&c.id, &c.title),
                source(c.source.as_deref()),
                day(c.published.as_deref()),
                c.jaccard,
                c.first.unwrap_or("unknown")
            );
        }
        out.push_str("</ul></section>");
        out.push_str(&revisions_section(&store.revisions_of_article(&a.id)?));
        Ok((a.title, out))
    })
    .await?;
    Ok(page(&title, &body, ""))
}

pub async fn entity(State(state): State<AppState>, Path(name): Path<String>) -> PageResult {
    let writable = state.writes.is_some();
    let (title, body) = with_store(&state, move |store: &Store| {
        let id = find_entity(store, &name)?;
        let d = store
            .entity_detail(id, 10, 50)?
            .ok_or_else(|| ApiError::not_found("no entity by that name"))?;
        let mut out = format!(
            "<h1>{}</h1><p class=\"meta\">{} · {} mention(s) · {} .. {}</p><h2>Names and variants</h2><ul class=\"list\">",
            escape(&d.canonical),
            escape(&d.label),
            d.mentions,
            day(d.first_seen.as_deref()),
            day(d.last_seen.as_deref())
        );
        for v in &d.variants {
            let _ = write!(out, "<li>{} ({})</li>", escape(&v.variant), v.count);
        }
        let _ = write!(
            out,
            "</ul><p><a href=\"/timeline?entity={}\">Timeline of {}</a>: dated events and coverage</p>",
            url_part(&d.canonical),
            escape(&d.canonical)
        );
        out.push_str("<h2>Appears with</h2><ul class=\"list\">");
        for c in &d.co_occurring {
            let _ = write!(
                out,
                "<li><a href=\"/entities/{}\">{}</a> <span class=\"meta\">{} · {} shared article(s)</span></li>",
                url_part(&c.canonical),
                escape(&c.canonical),
                escape(&c.label),
                c.articles
            );
        }
        out.push_str("</ul><h2>Mentioned in</h2><ul class=\"list\">");
        for a in &d.articles {
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">{} · {} · {} mention(s)</span></li>",
                article_link(&a.id, &a.title),
                source(a.source.as_deref()),
                day(a.published.as_deref()),
                a.mentions
            );
        }
        out.push_str("</ul><details><summary>Why these mentions were merged</summary><ul class=\"list\">");
        for e in &d.explanations {
            let _ = write!(out, "<li>{} ({})</li>", escape(&e.explanation), e.mentions);
        }
        out.push_str("</ul></details>");
        out.push_str(&coverage_chart(store, "entity", &d.id.to_string())?);
        if writable {
            out.push_str(&entity_forms(d.id, &d.variants));
        }
        Ok((d.canonical, out))
    })
    .await?;
    Ok(page(&title, &body, ""))
}

pub async fn story(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let id = story_id(&id)?;
    let writable = state.writes.is_some();
    let (title, body) = with_store(&state, move |store| {
        let d = store.story(id)?;
        let s = &d.story;
        let mut out = format!(
            "<h1>{}</h1><p class=\"meta\">{} article(s) · {} .. {}</p>\
             <p>Outlets: {}</p><p>Languages: {}</p>",
            escape(&s.label),
            s.articles,
            day(s.first_seen.as_deref()),
            day(s.last_seen.as_deref()),
            escape(&s.outlets.join(", ")),
            escape(&s.languages.join(", "))
        );
        if let Some(line) = store.storyline_of_story(id)? {
            let _ = write!(
                out,
                "<p class=\"storyline\">Part of the storyline <a href=\"/storylines/{}\">{}</a> \
                 <span class=\"meta\">({} stories, {} .. {})</span></p>",
                line.id,
                escape(&line.label),
                line.stories,
                day(line.first_seen.as_deref()),
                day(line.last_seen.as_deref())
            );
        }
        out.push_str(&coverage_chart(store, "story", &id.to_string())?);
        let ids: Vec<String> = d.members.iter().map(|m| m.id.clone()).collect();
        let pairs = store.copy_pairs_among(&ids)?;
        let copied_from = |i: usize| -> Option<&dossier_store::StoryArticle> {
            // Members are oldest first: a copy's original is the earliest
            // earlier member it is paired with.
            d.members[..i].iter().find(|e| {
                pairs
                    .iter()
                    .any(|(a, b)| (a == &d.members[i].id && b == &e.id) || (b == &d.members[i].id && a == &e.id))
            })
        };
        out.push_str("<h2>Articles</h2><p class=\"meta\">Oldest first; a copy or rewrite is shown under the report it reuses.</p><ol class=\"list\">");
        for (i, m) in d.members.iter().enumerate() {
            let origin = copied_from(i).map_or_else(String::new, |o| {
                format!(" <span class=\"copy\">copy or rewrite of {}</span>", article_link(&o.id, &o.title))
            });
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">{} · {} · {}</span>{origin}{}</li>",
                article_link(&m.id, &m.title),
                source(m.source.as_deref()),
                escape(m.language.as_deref().unwrap_or("?")),
                day(m.published.as_deref()),
                if writable { move_form(id, &m.id) } else { String::new() }
            );
        }
        out.push_str("</ol>");
        if writable {
            let _ = write!(
                out,
                "<form class=\"fix\" data-action=\"merge-story\" method=\"post\" action=\"/stories/{id}/merge\">\
                 Merge this story into story <input name=\"into\" size=\"6\" required aria-label=\"story to merge into\"> \
                 {TOKEN_FIELD}<button>Merge</button></form>"
            );
        }
        let edits = &d.edits;
        if !edits.is_empty() {
            out.push_str("<h2>Silent edits</h2><ul class=\"list\">");
            for r in edits {
                let _ = write!(
                    out,
                    "<li>{} changed its article {} on {}: +{} / −{} words</li>",
                    source(r.source.as_deref()),
                    article_link(&r.article_id, &r.url),
                    day(Some(&r.fetched_at)),
                    r.words_added,
                    r.words_removed
                );
            }
            out.push_str("</ul>");
        }
        Ok((s.label.clone(), out))
    })
    .await?;
    Ok(page(&title, &body, ""))
}

/// `/storylines`: every storyline, most recently seen first.
pub async fn storylines(State(state): State<AppState>) -> PageResult {
    let body = with_store(&state, |store| {
        let lines = store.storylines()?;
        let mut out = String::from(
            "<h1>Storylines</h1><p class=\"meta\">Stories that continue one another: the same \
             parties, the same subject, weeks or months apart.</p><ul class=\"list\">",
        );
        for l in &lines {
            let _ = write!(
                out,
                "<li><a href=\"/storylines/{}\">{}</a> <span class=\"meta\">{} stories, {} article(s) · {} .. {}</span></li>",
                l.id,
                escape(&l.label),
                l.stories,
                l.articles,
                day(l.first_seen.as_deref()),
                day(l.last_seen.as_deref())
            );
        }
        if lines.is_empty() {
            out.push_str(
                "<li>No storylines yet: <code>dossier storylines</code> links stories that continue one another.</li>",
            );
        }
        out.push_str("</ul>");
        Ok(out)
    })
    .await?;
    Ok(page("Storylines", &body, ""))
}

/// `/storylines/{id}`: its stories in time order, the coverage chart and
/// the dated events of its articles.
pub async fn storyline(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let id = storyline_id(&id)?;
    let (title, body) = with_store(&state, move |store| {
        let d = store.storyline(id)?;
        let l = &d.storyline;
        let mut out = format!(
            "<h1>{}</h1><p class=\"meta\">storyline · {} stories · {} article(s) · {} .. {}</p>\
             <h2>Stories</h2><ol class=\"list\">",
            escape(&l.label),
            l.stories,
            l.articles,
            day(l.first_seen.as_deref()),
            day(l.last_seen.as_deref())
        );
        for s in &d.members {
            let _ = write!(
                out,
                "<li><a href=\"/stories/{}\">{}</a> <span class=\"meta\">{} .. {} · {} article(s) · {}</span></li>",
                s.id,
                escape(&s.label),
                day(s.first_seen.as_deref()),
                day(s.last_seen.as_deref()),
                s.articles,
                escape(&s.outlets.join(", "))
            );
        }
        out.push_str("</ol>");
        let q = TimelineQuery::from_params(&Params {
            storyline: Some(id.to_string()),
            ..Params::default()
        })?;
        out.push_str(&timeline_html(&build_timeline(store, &q)?));
        Ok((l.label.clone(), out))
    })
    .await?;
    Ok(page(&title, &body, ""))
}

/// `/timeline?entity=NAME|topic=Q|story=ID|storyline=ID`: the coverage
/// chart and the dated events; a small form when no subject is given.
pub async fn timeline(State(state): State<AppState>, Query(p): Query<Params>) -> PageResult {
    let none = [&p.entity, &p.topic, &p.story, &p.storyline]
        .iter()
        .all(|v| present(v).is_none());
    if none {
        return Ok(page(
            "Timeline",
            "<h1>Timeline</h1><form method=\"get\" action=\"/timeline\">\
             <p><input name=\"entity\" placeholder=\"entity (any spelling)\" aria-label=\"entity\"> or \
             <input name=\"topic\" placeholder=\"search words\" aria-label=\"topic\"> \
             <button>Show</button></p></form>",
            "",
        ));
    }
    let q = TimelineQuery::from_params(&p)?;
    let title = format!("Timeline: {}", q.describe());
    let body = with_store(&state, move |store| {
        let t = build_timeline(store, &q)?;
        Ok(format!(
            "<h1>Timeline: {}</h1>{}",
            escape(&t.subject),
            timeline_html(&t)
        ))
    })
    .await?;
    Ok(page(&title, &body, ""))
}

/// The chart (inline SVG: `dossier_brief`'s renderer escapes every text in
/// it), then the events with their sentences and cited articles.
fn timeline_html(t: &Timeline) -> String {
    let mut out = format!(
        "<section class=\"timeline\"><h2>Timeline</h2><p class=\"meta\">{} dated event(s) from {} article(s)</p>\
         <figure class=\"chart\">{}</figure>",
        t.events.len(),
        t.articles,
        tl::to_svg(t)
    );
    for e in &t.events {
        let _ = write!(
            out,
            "<h3>{} <span class=\"meta\">rank {}</span></h3><ul class=\"list\">",
            escape(&e.date),
            e.rank
        );
        for s in &e.sentences {
            let how = match (&s.dated_by, &s.timex) {
                (DatedBy::Timex, Some(x)) => format!("dated by \u{201c}{}\u{201d}", escape(x)),
                _ => "dated by publication day".to_owned(),
            };
            let cites: Vec<String> = s
                .citations
                .iter()
                .map(|c| {
                    let title = t.sources.iter().find(|x| x.id == c.article);
                    article_link(
                        &c.article,
                        c.source
                            .as_deref()
                            .or(title.map(|x| x.title.as_str()))
                            .unwrap_or("source"),
                    )
                })
                .collect();
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">{how} · {}</span></li>",
                escape(&s.text),
                cites.join(", ")
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

/// The coverage-over-time chart of a story or an entity (inline SVG from
/// `dossier_brief::timeline`, which escapes its text), linking to the full
/// timeline page; nothing when there is nothing dated.
fn coverage_chart(store: &Store, kind: &str, subject: &str) -> Result<String, ApiError> {
    let mut p = Params::default();
    match kind {
        "story" => p.story = Some(subject.to_owned()),
        _ => p.entity = Some(subject.to_owned()),
    }
    let q = TimelineQuery::from_params(&p)?;
    let t = build_timeline(store, &q)?;
    if t.articles == 0 {
        return Ok(String::new());
    }
    Ok(format!(
        "<h2>Coverage over time</h2><figure class=\"chart\">{}</figure>\
         <p><a href=\"/timeline?{kind}={}\">Timeline of the events ({} dated)</a></p>",
        tl::to_svg(&t),
        url_part(subject),
        t.events.len()
    ))
}

/// The token field every correction form carries.
const TOKEN_FIELD: &str =
    "<input type=\"password\" name=\"token\" placeholder=\"token\" aria-label=\"token\" required> ";

/// Merge and split forms for an entity page.
fn entity_forms(id: i64, variants: &[dossier_store::VariantCount]) -> String {
    let mut out = format!(
        "<h2>Correct</h2><form class=\"fix\" data-action=\"merge-entity\" method=\"post\" action=\"/entities/{id}/merge\">\
         Same as <input name=\"into\" placeholder=\"entity name or id\" required aria-label=\"entity to merge into\"> \
         {TOKEN_FIELD}<button>Merge into it</button></form>"
    );
    if variants.len() > 1 {
        let _ = write!(
            out,
            "<form class=\"fix\" data-action=\"split-entity\" method=\"post\" action=\"/entities/{id}/split\">\
             Not the same: split off <select name=\"variant\" aria-label=\"name to split off\">"
        );
        for v in variants {
            let _ = write!(out, "<option>{}</option>", escape(&v.variant));
        }
        let _ = write!(out, "</select> {TOKEN_FIELD}<button>Split</button></form>");
    }
    out
}

/// The form that moves one article of a story to another (or a new) story.
fn move_form(story: i64, article: &str) -> String {
    format!(
        " <form class=\"fix inline\" data-action=\"move-article\" method=\"post\" action=\"/stories/{story}/move\">\
         <input type=\"hidden\" name=\"article\" value=\"{}\">\
         move to story <input name=\"story\" size=\"5\" placeholder=\"new\" aria-label=\"target story\"> \
         {TOKEN_FIELD}<button>Move</button></form>",
        escape(article)
    )
}

/// `GET /ingest`: paste a text to add it to the store.
pub async fn paste(State(state): State<AppState>) -> PageResult {
    if state.writes.is_none() {
        return Err(PageError(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "writing is disabled: start `dossier serve` with DOSSIER_TOKEN set",
        )));
    }
    let body = format!(
        "<h1>Add a text</h1><form method=\"post\" action=\"/ingest\" data-action=\"paste\">\
         <p><input name=\"title\" placeholder=\"Title\" size=\"60\" aria-label=\"title\"></p>\
         <p><input name=\"source\" placeholder=\"Outlet\" aria-label=\"outlet\"></p>\
         <p><textarea name=\"text\" rows=\"16\" cols=\"80\" required aria-label=\"text\"></textarea></p>\
         <p>{TOKEN_FIELD}<button>Add</button></p></form>\
         <p class=\"meta\">Files: <code>POST /api/ingest?name=FILE</code> with the file as the body and \
         <code>Authorization: Bearer TOKEN</code>.</p>"
    );
    Ok(page("Add a text", &body, ""))
}

/// The page's revisions with their changes, when it was edited.
fn revisions_section(revisions: &[RevisionRow]) -> String {
    if revisions.is_empty() {
        return String::new();
    }
    let mut out = String::from("<section><h2>Revisions</h2><ol class=\"list\">");
    for r in revisions {
        let _ = write!(
            out,
            "<li>{} found {}: +{} / −{} words<ul>",
            article_link(&r.article_id, &format!("revision {}", r.revision)),
            escape(&r.fetched_at),
            r.words_added,
            r.words_removed
        );
        let diff: serde_json::Value = serde_json::from_str(&r.diff).unwrap_or_default();
        for c in diff["changes"].as_array().map_or(&[][..], Vec::as_slice) {
            let text = |k: &str| escape(c[k].as_str().unwrap_or(""));
            let _ = write!(
                out,
                "<li>…{} <del>{}</del> <ins>{}</ins></li>",
                text("before"),
                text("removed"),
                text("added")
            );
        }
        out.push_str("</ul></li>");
    }
    out.push_str("</ol></section>");
    out
}

/// Source health: the `dossier sources health` table.
pub async fn sources(State(state): State<AppState>) -> PageResult {
    let body = with_store(&state, |store| {
        let health = store.source_health()?;
        let mut out = String::from("<h1>Sources</h1>");
        if health.is_empty() {
            out.push_str(
                "<p>No sources yet: add one with <code>dossier sources add FEED_URL</code>.</p>",
            );
            return Ok(out);
        }
        out.push_str(
            "<table><tr><th>Source</th><th>Last success</th><th>Failing</th>\
             <th>Items/day</th><th>Last item</th><th>Errors</th></tr>",
        );
        for h in &health {
            let errors: Vec<String> = h.errors.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let _ = write!(
                out,
                "<tr><td>{} <span class=\"meta\">{}</span>{}</td><td>{}</td><td>{}</td>\
                 <td>{:.1}</td><td>{}</td><td>{}</td></tr>",
                escape(&h.name),
                escape(&h.feed_url),
                if h.silent {
                    " <span class=\"silent\">went silent</span>"
                } else {
                    ""
                },
                escape(h.last_success.as_deref().unwrap_or("never")),
                h.feed_failures,
                h.items_per_day,
                day(h.last_item.as_deref()),
                escape(&if errors.is_empty() {
                    "none".to_owned()
                } else {
                    errors.join(", ")
                })
            );
        }
        out.push_str("</table>");
        Ok(out)
    })
    .await?;
    Ok(page("Sources", &body, ""))
}

pub async fn not_found() -> PageError {
    PageError(ApiError::not_found("no such page"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert(1)</script> & \"x\" 'y'"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;"
        );
    }

    #[test]
    fn renders_overlapping_layers_nested_and_escaped() {
        let text = "Анна said <b>5%</b> today";
        let mut layers = BTreeMap::new();
        layers.insert(
            "entities".to_owned(),
            vec![Span::new(0, 4)
                .with("label", "PER")
                .with("text", "Анна\"><x")],
        );
        layers.insert(
            "quotes".to_owned(),
            vec![Span::new(0, 18).with("kind", "indirect")],
        );
        layers.insert(
            "quantities".to_owned(),
            vec![Span::new(13, 15).with("value", 5).with("unit", "%")],
        );
        let html = render_text(text, &layers);
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("<x"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(html.contains("href=\"/entities/%D0"), "{html}");
        assert!(
            html.contains("title=\"Number: value: 5; unit: %\""),
            "{html}"
        );
        // Tags balance.
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        assert_eq!(html.matches("<a ").count(), html.matches("</a>").count());
    }

    #[test]
    fn snippet_marks_are_escaped() {
        assert_eq!(
            snippet_html("a <i> b", &[(2, 5)]),
            "a <mark>&lt;i&gt;</mark> b"
        );
    }
}
