//! The Markdown and HTML forms of a timeline. Citation markers `[n]` point
//! into the numbered source list. In HTML every piece of text and every
//! attribute is escaped, and only `http(s)` URLs become links.

use std::collections::HashMap;
use std::fmt::Write;

use super::{DatedBy, Timeline, TimelineCitation};

/// Escapes text for HTML and XML (text and attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn numbering(tl: &Timeline) -> HashMap<&str, usize> {
    tl.sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i + 1))
        .collect()
}

fn marks(n: &HashMap<&str, usize>, citations: &[TimelineCitation]) -> String {
    let mut nums: Vec<usize> = citations
        .iter()
        .filter_map(|c| n.get(c.article.as_str()).copied())
        .collect();
    nums.dedup();
    nums.iter().map(|k| format!("[{k}]")).collect()
}

fn heading(tl: &Timeline) -> String {
    if tl.subject.is_empty() {
        "Timeline".to_owned()
    } else {
        format!("Timeline: {}", tl.subject)
    }
}

fn summary_line(tl: &Timeline) -> String {
    match (&tl.first, &tl.last) {
        (Some(first), Some(last)) => format!(
            "{} dated events from {first} to {last}, from {} articles ({} candidate dates).",
            tl.events.len(),
            tl.articles,
            tl.candidate_dates
        ),
        _ => format!(
            "No dated events found in {} articles: no sentence names a day.",
            tl.articles
        ),
    }
}

pub fn to_markdown(tl: &Timeline) -> String {
    let n = numbering(tl);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", heading(tl));
    let _ = writeln!(out, "{}\n", summary_line(tl));
    for e in &tl.events {
        let _ = writeln!(out, "## {} (rank {})\n", e.date, e.rank);
        for s in &e.sentences {
            let how = match (&s.dated_by, &s.timex) {
                (DatedBy::Timex, Some(t)) => format!(" _(\"{t}\")_"),
                _ => " _(publication day)_".to_owned(),
            };
            let _ = writeln!(out, "- {} {}{how}", s.text, marks(&n, &s.citations));
        }
        out.push('\n');
    }
    if !tl.sources.is_empty() {
        let _ = writeln!(out, "## Sources\n");
        for (i, s) in tl.sources.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. {}, {}: {} (id {}){}",
                i + 1,
                s.source.as_deref().unwrap_or("unknown outlet"),
                s.published.as_deref().unwrap_or("undated"),
                s.title,
                s.id.get(..8).unwrap_or(&s.id),
                s.url
                    .as_deref()
                    .map(|u| format!(" <{u}>"))
                    .unwrap_or_default()
            );
        }
    }
    out
}

fn safe_url(url: Option<&str>) -> Option<&str> {
    url.filter(|u| {
        let l = u.trim_start().to_ascii_lowercase();
        l.starts_with("http://") || l.starts_with("https://")
    })
}

/// A standalone HTML page: the coverage chart (inline SVG), the events and
/// the numbered sources.
pub fn to_html(tl: &Timeline) -> String {
    let n = numbering(tl);
    let mut out = String::new();
    let title = escape(&heading(tl));
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}}\
         h2{{font-size:1.1rem;margin-top:1.5rem}} .how{{color:#666;font-size:.85em}} sup a{{text-decoration:none}}</style>\n\
         </head>\n<body>\n<h1>{title}</h1>\n<p>{}</p>",
        escape(&summary_line(tl))
    );
    out.push_str(&super::to_svg(tl));
    out.push('\n');
    for e in &tl.events {
        let _ = writeln!(
            out,
            "<section id=\"d{}\">\n<h2>{} <span class=\"how\">rank {}</span></h2>\n<ul>",
            escape(&e.date),
            escape(&e.date),
            e.rank
        );
        for s in &e.sentences {
            let mut cites = String::new();
            let mut done: Vec<usize> = Vec::new();
            for c in &s.citations {
                let Some(&k) = n.get(c.article.as_str()) else {
                    continue;
                };
                if done.contains(&k) {
                    continue;
                }
                done.push(k);
                let _ = write!(cites, "<a href=\"#s{k}\">[{k}]</a>");
            }
            let how = match (&s.dated_by, &s.timex) {
                (DatedBy::Timex, Some(t)) => format!("dated by \u{201c}{}\u{201d}", escape(t)),
                _ => "dated by publication day".to_owned(),
            };
            let _ = writeln!(
                out,
                "<li>{} <sup>{cites}</sup> <span class=\"how\">{how}</span></li>",
                escape(&s.text)
            );
        }
        out.push_str("</ul>\n</section>\n");
    }
    if !tl.sources.is_empty() {
        out.push_str("<h2>Sources</h2>\n<ol>\n");
        for (i, s) in tl.sources.iter().enumerate() {
            let title = match safe_url(s.url.as_deref()) {
                Some(u) => format!(
                    "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                    escape(u.trim()),
                    escape(&s.title)
                ),
                None => escape(&s.title),
            };
            let _ = writeln!(
                out,
                "<li id=\"s{}\">{}, {}: {title} <code>{}</code></li>",
                i + 1,
                escape(s.source.as_deref().unwrap_or("unknown outlet")),
                escape(s.published.as_deref().unwrap_or("undated")),
                escape(s.id.get(..8).unwrap_or(&s.id))
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
