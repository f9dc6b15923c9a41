//! The Markdown form of a brief. Citation markers `[n]` point into each
//! item's numbered source list (originals, their copies indented under them).

use std::collections::HashMap;
use std::fmt::Write;

use crate::{Brief, Citation, Item, Source};

pub fn to_markdown(brief: &Brief) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Briefing {} to {}\n", brief.since, brief.until);
    if brief.items.is_empty() {
        let _ = writeln!(out, "No stories were published in this window.");
        return out;
    }
    for item in &brief.items {
        write_item(&mut out, item);
    }
    out
}

fn numbering(item: &Item) -> HashMap<&str, usize> {
    let mut n = HashMap::new();
    for s in &item.sources {
        let next = n.len() + 1;
        n.insert(s.id.as_str(), next);
        for c in &s.copies {
            let next = n.len() + 1;
            n.insert(c.id.as_str(), next);
        }
    }
    n
}

fn marks(n: &HashMap<&str, usize>, citations: &[&Citation]) -> String {
    let mut nums: Vec<usize> = citations
        .iter()
        .filter_map(|c| n.get(c.article.as_str()).copied())
        .collect();
    nums.sort_unstable();
    nums.dedup();
    nums.iter().map(|k| format!("[{k}]")).collect()
}

fn write_item(out: &mut String, item: &Item) {
    let n = numbering(item);
    let _ = writeln!(out, "## {}. {}\n", item.rank, item.headline);
    let paragraph: Vec<String> = item
        .sentences
        .iter()
        .map(|s| {
            let cites: Vec<&Citation> = s.citations.iter().collect();
            format!("{} {}", s.text, marks(&n, &cites))
        })
        .collect();
    let _ = writeln!(out, "{}\n", paragraph.join(" "));
    if !item.numbers.is_empty() {
        let list: Vec<String> = item
            .numbers
            .iter()
            .map(|x| format!("{} {}", x.text, marks(&n, &[&x.citation])))
            .collect();
        let _ = writeln!(out, "**Numbers:** {}\n", list.join("; "));
    }
    for q in &item.quotes {
        let _ = writeln!(
            out,
            "> \"{}\" ({}) {}\n",
            q.text,
            q.speaker,
            marks(&n, &[&q.citation])
        );
    }
    let _ = writeln!(out, "Sources:\n");
    for s in &item.sources {
        write_source(out, &n, s, "");
        for c in &s.copies {
            write_source(out, &n, c, "  copy: ");
        }
    }
    out.push('\n');
}

fn write_source(out: &mut String, n: &HashMap<&str, usize>, s: &Source, prefix: &str) {
    let indent = if prefix.is_empty() { "" } else { "  " };
    let _ = writeln!(
        out,
        "{indent}- [{}] {}{}, {}: {} (id {}){}",
        n.get(s.id.as_str()).copied().unwrap_or(0),
        prefix.trim_start(),
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
