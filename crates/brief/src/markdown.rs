//! The Markdown form of a brief. Citation markers `[n]` point into each
//! item's numbered source list (originals, their copies indented under
//! them, then the earlier coverage that background lines and revised
//! numbers cite).

use std::collections::HashMap;
use std::fmt::Write;

use crate::{Brief, Citation, Item, Number, Source, Status};

pub fn to_markdown(brief: &Brief) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Briefing {} to {}\n", brief.since, brief.until);
    if let Some(p) = &brief.since_brief {
        let _ = writeln!(
            out,
            "What's new since brief {} ({} to {}).\n",
            p.id, p.since, p.until
        );
    }
    if brief.items.is_empty() {
        let _ = writeln!(out, "{}\n", empty_line(brief));
    }
    for item in &brief.items {
        write_item(&mut out, item);
    }
    if let Some(line) = quiet_line(brief) {
        let _ = writeln!(out, "{line}\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

pub(crate) fn empty_line(brief: &Brief) -> &'static str {
    if brief.since_brief.is_some() {
        "Nothing new was published in this window."
    } else {
        "No stories were published in this window."
    }
}

/// "Quiet since brief 3 (to 2023-02-21): A; B." for the earlier brief's
/// stories with nothing new, or `None`.
pub(crate) fn quiet_line(brief: &Brief) -> Option<String> {
    let p = brief.since_brief.as_ref()?;
    if brief.quiet.is_empty() {
        return None;
    }
    let names: Vec<&str> = brief.quiet.iter().map(|q| q.headline.as_str()).collect();
    Some(format!(
        "Quiet since brief {} (to {}): {}.",
        p.id,
        p.until,
        names.join("; ")
    ))
}

/// Marker numbers: the window's sources, copies after their original, then
/// earlier coverage.
pub(crate) fn numbering(item: &Item) -> HashMap<&str, usize> {
    let mut n = HashMap::new();
    let all = item
        .sources
        .iter()
        .flat_map(|s| std::iter::once(s).chain(&s.copies))
        .chain(&item.earlier_sources);
    for s in all {
        let next = n.len() + 1;
        n.entry(s.id.as_str()).or_insert(next);
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

fn heading_tag(item: &Item) -> &'static str {
    match item.whats_new.as_ref().map(|w| w.status) {
        Some(Status::New) => " (new)",
        Some(Status::Continuing) => " (continuing)",
        None => "",
    }
}

fn write_item(out: &mut String, item: &Item) {
    let n = numbering(item);
    let _ = writeln!(
        out,
        "## {}. {}{}\n",
        item.rank,
        item.headline,
        heading_tag(item)
    );
    let continuing = item
        .whats_new
        .as_ref()
        .filter(|w| w.status == Status::Continuing);
    if let Some(before) = continuing.and_then(|w| w.previously.as_deref()) {
        let _ = writeln!(out, "Previously: {before}\n");
    }
    if !item.sentences.is_empty() {
        let paragraph: Vec<String> = item
            .sentences
            .iter()
            .map(|s| {
                let cites: Vec<&Citation> = s.citations.iter().collect();
                format!("{} {}", s.text, marks(&n, &cites))
            })
            .collect();
        let lead = if continuing.is_some() { "New: " } else { "" };
        let _ = writeln!(out, "{lead}{}\n", paragraph.join(" "));
    }
    write_facts(out, &n, item);
    for q in &item.quotes {
        let _ = writeln!(
            out,
            "> \"{}\" ({}) {}\n",
            q.text,
            q.speaker,
            marks(&n, &[&q.citation])
        );
    }
    for c in &item.commentary {
        let _ = writeln!(
            out,
            "*Commentary by {}, not reporting:* {} {}\n",
            c.attribution,
            c.text,
            marks(&n, &[&c.citation])
        );
    }
    if !item.background.is_empty() {
        let lines: Vec<String> = item
            .background
            .iter()
            .map(|b| {
                let cites: Vec<&Citation> = b.citations.iter().collect();
                format!("{}: {} {}", b.label, b.text, marks(&n, &cites))
            })
            .collect();
        let _ = writeln!(out, "**Background:** {}\n", lines.join(" "));
    }
    write_sources(out, &n, item);
}

/// Numbers, new outlets and new people/organisations, one line each.
fn write_facts(out: &mut String, n: &HashMap<&str, usize>, item: &Item) {
    if !item.numbers.is_empty() {
        let list: Vec<String> = item.numbers.iter().map(|x| number(n, x)).collect();
        let _ = writeln!(out, "**Numbers:** {}\n", list.join("; "));
    }
    let Some(w) = &item.whats_new else {
        return;
    };
    if !w.outlets.is_empty() {
        let list: Vec<String> = w
            .outlets
            .iter()
            .map(|o| format!("{} {}", o.outlet, marks(n, &[&o.citation])))
            .collect();
        let _ = writeln!(out, "**New outlets:** {}\n", list.join(", "));
    }
    if !w.entities.is_empty() {
        let list: Vec<String> = w
            .entities
            .iter()
            .map(|e| format!("{} {}", e.name, marks(n, &[&e.citation])))
            .collect();
        let _ = writeln!(
            out,
            "**New people and organisations:** {}\n",
            list.join(", ")
        );
    }
}

fn number(n: &HashMap<&str, usize>, x: &Number) -> String {
    let mut s = format!("{} {}", x.text, marks(n, &[&x.citation]));
    if let Some(r) = &x.revised_from {
        let _ = write!(s, " (revised from {} {})", r.text, marks(n, &[&r.citation]));
    }
    s
}

fn write_sources(out: &mut String, n: &HashMap<&str, usize>, item: &Item) {
    for e in &item.edits {
        let _ = writeln!(
            out,
            "**Edited after publication:** {} changed its article (revision {}, found {}: +{} / -{} words) [{}]\n",
            e.source.as_deref().unwrap_or("an outlet"),
            e.revision,
            e.found.get(..10).unwrap_or(&e.found),
            e.words_added,
            e.words_removed,
            n.get(e.article.as_str()).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(out, "Sources:\n");
    for s in &item.sources {
        write_source(out, n, s, "");
        for c in &s.copies {
            write_source(out, n, c, "  copy: ");
        }
    }
    if !item.earlier_sources.is_empty() {
        let _ = writeln!(out, "\nEarlier coverage:\n");
        for s in &item.earlier_sources {
            write_source(out, n, s, "");
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
