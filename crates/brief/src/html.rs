//! The HTML form of a brief: one standalone page (inline CSS, no script, no
//! external resource) to read, print or mail. Every interpolated string is
//! escaped; only `http(s)` URLs become links. A citation marker `[n]` links
//! to the cited article's URL (or its entry in the item's source list when
//! it has none) and names the article id and character span in its title.
//! Commentary is boxed and labelled with who comments; copies fold under
//! their original in a `<details>`.

use std::collections::HashMap;
use std::fmt::Write;

use crate::markdown::{empty_line, numbering, quiet_line};
use crate::{Brief, Citation, Item, Number, Source, Status};

const STYLE: &str = "\
body{font:16px/1.55 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2129;background:#fafafa;margin:0}\
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem;background:#fff}\
h1{font-size:1.6rem;margin:.2rem 0 .3rem}h2{font-size:1.2rem;margin:0 0 .5rem;line-height:1.3}\
h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#5b6270;margin:1rem 0 .3rem}\
.meta,.quiet,footer{color:#5b6270;font-size:.9rem}\
article.item{border-top:1px solid #dde1e6;padding:1.2rem 0}\
.rank{color:#8a919c}.badge{font-size:.7rem;font-weight:600;vertical-align:middle;padding:.1rem .4rem;border-radius:.6rem;margin-left:.4rem}\
.badge.new{background:#dff3e4;color:#1a6b33}.badge.continuing{background:#e3ecfb;color:#1f4f9c}\
a.cite{font-size:.75em;vertical-align:super;text-decoration:none;margin-left:.1em}\
.facts{padding-left:1.1rem}.facts li{margin:.15rem 0}\
blockquote{margin:.6rem 0;padding:.1rem .9rem;border-left:3px solid #c6ccd4;color:#333}\
aside.commentary{margin:.7rem 0;padding:.5rem .8rem;background:#fff8e6;border:1px dashed #d9a400;border-radius:4px}\
aside.commentary .label{font-size:.8rem;font-weight:600;color:#7a5a00;margin:0 0 .2rem}aside.commentary p{margin:.2rem 0}\
.background li{margin:.2rem 0}.background time{font-weight:600}\
ol.sources{padding-left:1.4rem;font-size:.9rem}ol.sources li{margin:.2rem 0}\
code{font-size:.8rem;color:#5b6270}details{margin:.1rem 0 .2rem}summary{cursor:pointer;color:#5b6270}";

pub fn to_html(brief: &Brief) -> String {
    let title = format!("Briefing {} to {}", brief.since, brief.until);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&summary(brief)));
    out.push_str("</header>\n");
    if brief.items.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(empty_line(brief)));
    }
    for item in &brief.items {
        write_item(&mut out, item);
    }
    if let Some(line) = quiet_line(brief) {
        let _ = writeln!(out, "<p class=\"quiet\">{}</p>", escape(&line));
    }
    out.push_str(
        "<footer><p>Every line is quoted from its sources. [n] links to the source; \
         its tooltip gives the article id and the character span quoted.</p></footer>\n\
         </main>\n</body>\n</html>\n",
    );
    out
}

fn summary(brief: &Brief) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut s = format!(
        "{} from {} in the window.",
        plural(brief.items.len(), "item", "items"),
        plural(brief.stories, "story", "stories")
    );
    if let Some(p) = &brief.since_brief {
        let _ = write!(
            s,
            " What's new since brief {} ({} to {}, made {}).",
            p.id, p.since, p.until, p.created_at
        );
    }
    s
}

/// Escapes text for element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A URL safe to put in `href`: only http and https (no `javascript:`).
fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

/// Per item: the marker number and where a marker links, per article id.
struct Refs<'a> {
    rank: usize,
    numbers: HashMap<&'a str, usize>,
    urls: HashMap<&'a str, &'a str>,
}

impl<'a> Refs<'a> {
    fn new(item: &'a Item) -> Refs<'a> {
        let urls = item
            .sources
            .iter()
            .flat_map(|s| std::iter::once(s).chain(&s.copies))
            .chain(&item.earlier_sources)
            .filter_map(|s| Some((s.id.as_str(), safe_url(s.url.as_deref()?)?)))
            .collect();
        Refs {
            rank: item.rank,
            numbers: numbering(item),
            urls,
        }
    }

    fn anchor(&self, n: usize) -> String {
        format!("i{}-s{n}", self.rank)
    }

    /// The markers of `citations`, one per cited article.
    fn marks(&self, citations: &[&Citation]) -> String {
        let mut seen: Vec<usize> = Vec::new();
        let mut out = String::new();
        for c in citations {
            let Some(&n) = self.numbers.get(c.article.as_str()) else {
                continue;
            };
            if seen.contains(&n) {
                continue;
            }
            seen.push(n);
            let href = match self.urls.get(c.article.as_str()) {
                Some(u) => (*u).to_owned(),
                None => format!("#{}", self.anchor(n)),
            };
            let span = if c.end > c.start {
                format!(", characters {}\u{2013}{}", c.start, c.end)
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "<a class=\"cite\" href=\"{}\" title=\"{}\" data-article=\"{}\">[{n}]</a>",
                escape(&href),
                escape(&format!("article {}{span}", c.article)),
                escape(&c.article)
            );
        }
        out
    }
}

fn write_item(out: &mut String, item: &Item) {
    let refs = Refs::new(item);
    let badge = match item.whats_new.as_ref().map(|w| w.status) {
        Some(Status::New) => "<span class=\"badge new\">new</span>",
        Some(Status::Continuing) => "<span class=\"badge continuing\">continuing</span>",
        None => "",
    };
    let _ = writeln!(
        out,
        "<article class=\"item\" id=\"item-{}\">\n<h2><span class=\"rank\">{}.</span> {}{badge}</h2>",
        item.rank,
        item.rank,
        escape(&item.headline)
    );
    let continuing = item
        .whats_new
        .as_ref()
        .filter(|w| w.status == Status::Continuing);
    if let Some(before) = continuing.and_then(|w| w.previously.as_deref()) {
        let _ = writeln!(out, "<p class=\"meta\">Previously: {}</p>", escape(before));
    }
    if !item.sentences.is_empty() {
        let lead = if continuing.is_some() {
            "<strong>New:</strong> "
        } else {
            ""
        };
        let text: Vec<String> = item
            .sentences
            .iter()
            .map(|s| {
                let cites: Vec<&Citation> = s.citations.iter().collect();
                format!("{}{}", escape(&s.text), refs.marks(&cites))
            })
            .collect();
        let _ = writeln!(out, "<p>{lead}{}</p>", text.join(" "));
    }
    write_facts(out, &refs, item);
    for q in &item.quotes {
        let _ = writeln!(
            out,
            "<blockquote><p>\u{201c}{}\u{201d}</p><p>\u{2014} {}{}</p></blockquote>",
            escape(&q.text),
            escape(&q.speaker),
            refs.marks(&[&q.citation])
        );
    }
    for c in &item.commentary {
        let _ = writeln!(
            out,
            "<aside class=\"commentary\"><p class=\"label\">Commentary by {}, not reporting</p>\
             <p>{}{}</p></aside>",
            escape(&c.attribution),
            escape(&c.text),
            refs.marks(&[&c.citation])
        );
    }
    write_background(out, &refs, item);
    write_sources(out, &refs, item);
    out.push_str("</article>\n");
}

fn write_facts(out: &mut String, refs: &Refs, item: &Item) {
    let mut lines: Vec<String> = Vec::new();
    if !item.numbers.is_empty() {
        let list: Vec<String> = item.numbers.iter().map(|x| number(refs, x)).collect();
        lines.push(format!("<strong>Numbers:</strong> {}", list.join("; ")));
    }
    if let Some(w) = &item.whats_new {
        if !w.outlets.is_empty() {
            let list: Vec<String> = w
                .outlets
                .iter()
                .map(|o| format!("{}{}", escape(&o.outlet), refs.marks(&[&o.citation])))
                .collect();
            lines.push(format!("<strong>New outlets:</strong> {}", list.join(", ")));
        }
        if !w.entities.is_empty() {
            let list: Vec<String> = w
                .entities
                .iter()
                .map(|e| format!("{}{}", escape(&e.name), refs.marks(&[&e.citation])))
                .collect();
            lines.push(format!(
                "<strong>New people and organisations:</strong> {}",
                list.join(", ")
            ));
        }
    }
    if lines.is_empty() {
        return;
    }
    out.push_str("<ul class=\"facts\">\n");
    for l in lines {
        let _ = writeln!(out, "<li>{l}</li>");
    }
    out.push_str("</ul>\n");
}

fn number(refs: &Refs, x: &Number) -> String {
    let mut s = format!("{}{}", escape(&x.text), refs.marks(&[&x.citation]));
    if let Some(r) = &x.revised_from {
        let _ = write!(
            s,
            " (revised from {}{})",
            escape(&r.text),
            refs.marks(&[&r.citation])
        );
    }
    s
}

fn write_background(out: &mut String, refs: &Refs, item: &Item) {
    if item.background.is_empty() {
        return;
    }
    out.push_str("<section class=\"background\"><h3>Background</h3>\n<ul>\n");
    for b in &item.background {
        let cites: Vec<&Citation> = b.citations.iter().collect();
        let _ = writeln!(
            out,
            "<li><time datetime=\"{}\">{}</time>: {}{}</li>",
            escape(&b.date),
            escape(&b.label),
            escape(&b.text),
            refs.marks(&cites)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn write_sources(out: &mut String, refs: &Refs, item: &Item) {
    for e in &item.edits {
        let _ = writeln!(
            out,
            "<p class=\"edited\"><strong>Edited after publication:</strong> {} changed its article \
             (revision {}, found {}: +{} / &minus;{} words)</p>",
            escape(e.source.as_deref().unwrap_or("an outlet")),
            e.revision,
            escape(e.found.get(..10).unwrap_or(&e.found)),
            e.words_added,
            e.words_removed
        );
    }
    out.push_str("<section><h3>Sources</h3>\n<ol class=\"sources\">\n");
    for s in &item.sources {
        let _ = write!(out, "<li{}>{}", entry_attrs(refs, s), source_line(s));
        if !s.copies.is_empty() {
            let noun = if s.copies.len() == 1 {
                "copy"
            } else {
                "copies"
            };
            let _ = write!(
                out,
                "\n<details><summary>{} {noun} of this article</summary>\n<ol class=\"sources\">\n",
                s.copies.len()
            );
            for c in &s.copies {
                let _ = writeln!(out, "<li{}>{}</li>", entry_attrs(refs, c), source_line(c));
            }
            out.push_str("</ol>\n</details>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    if !item.earlier_sources.is_empty() {
        out.push_str("<h3>Earlier coverage</h3>\n<ol class=\"sources\">\n");
        for s in &item.earlier_sources {
            let _ = writeln!(out, "<li{}>{}</li>", entry_attrs(refs, s), source_line(s));
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}

/// ` value="n" id="..."`: the list shows the marker number a citation uses.
fn entry_attrs(refs: &Refs, s: &Source) -> String {
    match refs.numbers.get(s.id.as_str()) {
        Some(&n) => format!(" value=\"{n}\" id=\"{}\"", refs.anchor(n)),
        None => String::new(),
    }
}

fn source_line(s: &Source) -> String {
    let title = match s.url.as_deref().and_then(safe_url) {
        Some(u) => format!("<a href=\"{}\">{}</a>", escape(u), escape(&s.title)),
        None => escape(&s.title),
    };
    format!(
        "{}, {}: {title} <code>id {}</code>",
        escape(s.source.as_deref().unwrap_or("unknown outlet")),
        escape(s.published.as_deref().unwrap_or("undated")),
        escape(s.id.get(..8).unwrap_or(&s.id))
    )
}
