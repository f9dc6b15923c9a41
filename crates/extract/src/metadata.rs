//! Article metadata from the tokenizer scan: title, dates with their method
//! and confidence, authors, site name, canonical URL, description, language.
//!
//! Sources are tried from the most to the least deliberate: JSON-LD written
//! for search engines, then Open Graph / article meta tags, then `<time>`
//! elements, then the URL path. Dates never come from file or crawl time.

use dossier_core::{DateMethod, DateValue};
use serde_json::{Map, Value};

use crate::dates;
use crate::scan::Scan;
use crate::Extraction;

/// JSON-LD objects deeper than this are ignored (bounds the walk).
const MAX_JSON_NODES: usize = 4096;
const MAX_AUTHORS: usize = 10;

/// Fills every metadata field of `out` (leaves `text` alone).
pub fn fill(out: &mut Extraction, scan: &Scan, url: Option<&str>) {
    let ld = JsonLd::parse(&scan.json_ld);
    let meta = |keys: &[&str]| first_meta(scan, keys);
    out.site_name = meta(&["og:site_name", "application-name"])
        .filter(|s| !s.starts_with("http"))
        .or_else(|| ld.publisher_name());
    out.title = title(scan, &ld, out.site_name.as_deref());
    out.description = meta(&["og:description", "description", "twitter:description"])
        .or_else(|| ld.string("description"));
    out.canonical_url = scan
        .canonical
        .as_deref()
        .or(meta(&["og:url"]).as_deref())
        .and_then(|c| absolute(c, url))
        .or_else(|| url.map(str::to_owned));
    out.language = [
        scan.html_lang.clone(),
        meta(&["og:locale"]),
        meta(&["content-language", "language", "dc.language"]),
    ]
    .into_iter()
    .flatten()
    .find_map(|l| primary_language(&l));
    out.authors = authors(scan, &ld);
    out.published = published(scan, &ld, url);
    out.modified = modified(scan, &ld);
}

fn first_meta(scan: &Scan, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        scan.metas
            .iter()
            .find(|(key, v)| key == k && !v.trim().is_empty())
            .map(|(_, v)| collapse(v))
    })
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `og:title`, JSON-LD `headline`, the first `<h1>`, then `<title>` without a
/// trailing " | Site name".
fn title(scan: &Scan, ld: &JsonLd, site: Option<&str>) -> Option<String> {
    first_meta(scan, &["og:title", "twitter:title"])
        .or_else(|| ld.string("headline"))
        .or_else(|| scan.first_h1.clone().filter(|h| !h.is_empty()))
        .or_else(|| scan.title.as_deref().map(|t| strip_site_suffix(t, site)))
        .filter(|t| !t.is_empty())
}

fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let is_site = site.is_some_and(|s| tail.trim().eq_ignore_ascii_case(s.trim()));
            if is_site || tail.split_whitespace().count() <= 3 && head.len() > tail.len() {
                return head.trim().to_owned();
            }
        }
    }
    title.trim().to_owned()
}

/// `en-GB`, `en_US`, `EN` → `en`; anything that is not a 2–3 letter primary
/// subtag is rejected.
pub fn primary_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_', ',', ';']).next()?.trim();
    let ok = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    ok.then(|| primary.to_ascii_lowercase())
}

/// Resolves a canonical link against the page URL (root-relative and
/// protocol-relative forms only; others are returned when absolute).
fn absolute(link: &str, base: Option<&str>) -> Option<String> {
    let link = link.trim();
    if link.starts_with("http://") || link.starts_with("https://") {
        return Some(link.to_owned());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    if let Some(stripped) = link.strip_prefix("//") {
        return Some(format!("{scheme}://{stripped}"));
    }
    let host = rest.split(['/', '?', '#']).next()?;
    link.starts_with('/')
        .then(|| format!("{scheme}://{host}{link}"))
}

fn authors(scan: &Scan, ld: &JsonLd) -> Vec<String> {
    let mut found = ld.authors();
    if found.is_empty() {
        found.extend(
            scan.metas
                .iter()
                .filter(|(k, _)| {
                    matches!(
                        k.as_str(),
                        "author" | "article:author" | "dc.creator" | "sailthru.author"
                    )
                })
                .map(|(_, v)| v.clone())
                .filter(|v| !v.starts_with("http")),
        );
    }
    if found.is_empty() {
        found.extend(scan.author_texts.iter().cloned());
    }
    let mut out: Vec<String> = Vec::new();
    for name in found.iter().map(|a| clean_author(a)) {
        if !name.is_empty()
            && !out.iter().any(|o| o.eq_ignore_ascii_case(&name))
            && out.len() < MAX_AUTHORS
        {
            out.push(name);
        }
    }
    out
}

/// A byline cut to the name: no "By ", nothing after a handle or bullet, and
/// nothing that still looks like a date line or a sentence.
fn clean_author(raw: &str) -> String {
    let s = collapse(raw);
    let s = match s.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("by ") => &s[3..],
        _ => &s[..],
    };
    let s = s.split(['@', '•', '|']).next().unwrap_or("");
    let s = s.trim_matches(|c: char| c == ',' || c.is_whitespace());
    let plausible = !s.chars().any(|c| c.is_ascii_digit()) && s.split_whitespace().count() <= 6;
    if plausible {
        s.to_owned()
    } else {
        String::new()
    }
}

fn dated(raw: &str, method: DateMethod, confidence: f32) -> Option<DateValue> {
    dates::normalise(raw)
        .or_else(|| dates::parse_date_text(raw))
        .map(|v| DateValue::new(v, method, confidence))
}

fn published(scan: &Scan, ld: &JsonLd, url: Option<&str>) -> Option<DateValue> {
    const META: &[&str] = &[
        "article:published_time",
        "datepublished",
        "og:published_time",
        "pubdate",
        "publishdate",
        "publish-date",
        "sailthru.date",
        "dc.date.issued",
        "dc.date",
        "date",
        "parsely-pub-date",
    ];
    ld.string("datePublished")
        .and_then(|d| dated(&d, DateMethod::JsonLd, 0.95))
        .or_else(|| {
            META.iter().find_map(|k| {
                first_meta(scan, &[k]).and_then(|d| dated(&d, DateMethod::MetaTag, 0.9))
            })
        })
        .or_else(|| time_tag(scan, "datepublished"))
        .or_else(|| {
            url.and_then(dates::from_url)
                .map(|d| DateValue::new(d, DateMethod::Url, 0.7))
        })
}

/// A `<time>`-like element: an explicit `itemprop` wins, then one marked as
/// the publication time, then the first `<time>` not marked as modified.
fn time_tag(scan: &Scan, prop: &str) -> Option<DateValue> {
    let exact = scan
        .times
        .iter()
        .find(|t| t.itemprop.as_deref() == Some(prop));
    let hinted = || scan.times.iter().find(|t| t.published_hint);
    let first = || {
        scan.times
            .iter()
            .find(|t| t.itemprop.as_deref().is_none_or(|p| p == "datepublished"))
    };
    let (tag, confidence) = match exact {
        Some(t) => (t, 0.85),
        None => hinted()
            .map(|t| (t, 0.8))
            .or_else(|| first().map(|t| (t, 0.6)))?,
    };
    dated(&tag.datetime, DateMethod::TimeElement, confidence)
}

fn modified(scan: &Scan, ld: &JsonLd) -> Option<DateValue> {
    ld.string("dateModified")
        .and_then(|d| dated(&d, DateMethod::JsonLd, 0.9))
        .or_else(|| {
            first_meta(
                scan,
                &[
                    "article:modified_time",
                    "og:updated_time",
                    "datemodified",
                    "last-modified",
                ],
            )
            .and_then(|d| dated(&d, DateMethod::MetaTag, 0.85))
        })
        .or_else(|| {
            scan.times
                .iter()
                .find(|t| t.itemprop.as_deref() == Some("datemodified"))
                .and_then(|t| dated(&t.datetime, DateMethod::TimeElement, 0.8))
        })
}

/// The article-like JSON-LD objects of a page, most article-like first.
struct JsonLd {
    objects: Vec<Map<String, Value>>,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
];

impl JsonLd {
    /// Parses every block (invalid ones are skipped; serde_json's recursion
    /// limit turns pathological nesting into an error, not a stack overflow)
    /// and keeps objects whose `@type` is an article type, then web pages.
    fn parse(blocks: &[String]) -> JsonLd {
        let mut articles = Vec::new();
        let mut pages = Vec::new();
        let mut visited = 0;
        for block in blocks {
            let cleaned = block
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->");
            let Ok(value) = serde_json::from_str::<Value>(cleaned.trim()) else {
                continue;
            };
            let mut todo = vec![value];
            while let Some(v) = todo.pop() {
                visited += 1;
                if visited > MAX_JSON_NODES {
                    break;
                }
                match v {
                    Value::Array(items) => todo.extend(items.into_iter().rev()),
                    Value::Object(mut obj) => {
                        if let Some(graph) = obj.remove("@graph") {
                            todo.push(graph);
                        }
                        if has_type(&obj, ARTICLE_TYPES) {
                            articles.push(obj);
                        } else if has_type(&obj, &["WebPage"]) {
                            pages.push(obj);
                        }
                    }
                    _ => {}
                }
            }
        }
        articles.extend(pages);
        JsonLd { objects: articles }
    }

    fn string(&self, key: &str) -> Option<String> {
        self.objects.iter().find_map(|o| match o.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(collapse(s)),
            Value::Array(items) => items.iter().find_map(|i| i.as_str().map(collapse)),
            _ => None,
        })
    }

    fn publisher_name(&self) -> Option<String> {
        self.objects
            .iter()
            .find_map(|o| name_of(o.get("publisher")?))
    }

    fn authors(&self) -> Vec<String> {
        let Some(author) = self
            .objects
            .iter()
            .find_map(|o| o.get("author").or_else(|| o.get("creator")))
        else {
            return Vec::new();
        };
        match author {
            Value::Array(items) => items.iter().filter_map(name_of).collect(),
            other => name_of(other).into_iter().collect(),
        }
    }
}

fn has_type(obj: &Map<String, Value>, types: &[&str]) -> bool {
    match obj.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts
            .iter()
            .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
        _ => false,
    }
}

fn name_of(v: &Value) -> Option<String> {
    let name = match v {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.get("name")?.as_str()?,
        Value::Array(items) => return items.iter().find_map(name_of),
        _ => return None,
    };
    let name = collapse(name);
    (!name.is_empty() && !name.starts_with("http")).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn meta_of(html: &str, url: Option<&str>) -> Extraction {
        let mut e = Extraction::default();
        fill(&mut e, &scan(html), url);
        e
    }

    #[test]
    fn json_ld_wins_and_says_so() {
        let e = meta_of(
            r#"<html lang="en-US"><head><title>T | Site</title>
            <meta property="article:published_time" content="2019-11-20T08:00:00Z">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"x"},
              {"@type":"NewsArticle","headline":"Head line","datePublished":"2019-11-21T12:04:00+02:00",
               "dateModified":"2019-11-22","author":[{"@type":"Person","name":"Jane Roe"},{"name":"John Doe"}],
               "publisher":{"@type":"Organization","name":"The Daily"}}]}</script>
            </head><body></body></html>"#,
            Some("https://daily.test/2019/11/19/x"),
        );
        assert_eq!(e.title.as_deref(), Some("Head line"));
        assert_eq!(
            e.published,
            Some(DateValue::new(
                "2019-11-21T10:04:00Z",
                DateMethod::JsonLd,
                0.95
            ))
        );
        assert_eq!(
            e.modified.as_ref().map(|d| d.value.as_str()),
            Some("2019-11-22")
        );
        assert_eq!(e.authors, vec!["Jane Roe", "John Doe"]);
        assert_eq!(e.site_name.as_deref(), Some("The Daily"));
        assert_eq!(e.language.as_deref(), Some("en"));
        assert_eq!(
            e.canonical_url.as_deref(),
            Some("https://daily.test/2019/11/19/x")
        );
    }

    #[test]
    fn falls_back_to_meta_time_and_url() {
        let e = meta_of(
            r#"<meta property="og:locale" content="de_DE"><meta name="author" content="By Erika Muster">
            <link rel="canonical" href="/a/b"><title>Ein Titel - Zeitung</title>
            <time datetime="2019-11-21">gestern</time>"#,
            Some("https://z.test/2018/01/02/x"),
        );
        assert_eq!(e.title.as_deref(), Some("Ein Titel"));
        assert_eq!(e.language.as_deref(), Some("de"));
        assert_eq!(e.authors, vec!["Erika Muster"]);
        assert_eq!(e.canonical_url.as_deref(), Some("https://z.test/a/b"));
        assert_eq!(
            e.published.as_ref().map(|d| (d.value.as_str(), d.method)),
            Some(("2019-11-21", DateMethod::TimeElement))
        );
        let e = meta_of("<p>x</p>", Some("https://z.test/2018/01/02/x"));
        assert_eq!(
            e.published,
            Some(DateValue::new("2018-01-02", DateMethod::Url, 0.7))
        );
        assert_eq!(meta_of("<p>x</p>", None).published, None);
    }

    #[test]
    fn bylines_are_cut_to_names() {
        assert_eq!(clean_author("By Jane Roe"), "Jane Roe");
        assert_eq!(
            clean_author("Bryan DeArdo @BryanDeArdo Nov 18, 2019 at 9:24 pm ET"),
            "Bryan DeArdo"
        );
        assert_eq!(clean_author("Posted on 21 November 2019"), "");
    }

    #[test]
    fn language_tags_normalise() {
        assert_eq!(primary_language("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_language("PT_br").as_deref(), Some("pt"));
        assert_eq!(primary_language("english"), None);
        assert_eq!(primary_language(""), None);
    }
}
