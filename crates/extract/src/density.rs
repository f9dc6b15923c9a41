//! The own baseline: paragraph density over a `scraper` tree.
//!
//! Every `<p>`-like block with enough text scores its parent (fully) and
//! grandparent (half); the best-scoring container, discounted by its link
//! density, is the article, and its text blocks in document order are the
//! body. All walks are iterative (ego-tree iterators), so depth only costs
//! memory; the caller still gates depth because html5ever's tree builder is
//! quadratic on very deep input.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};

use crate::ContentBackend;

const MIN_BLOCK_CHARS: usize = 25;
const MAX_LINK_DENSITY: f64 = 0.5;

/// Paragraph-density extractor (the measured "own baseline").
#[derive(Debug, Clone, Copy, Default)]
pub struct DensityBackend;

impl ContentBackend for DensityBackend {
    fn name(&self) -> &'static str {
        "density"
    }

    fn body(&self, html: &str, _url: Option<&str>) -> Option<String> {
        let doc = Html::parse_document(html);
        let best = best_container(&doc)?;
        let element = ElementRef::wrap(doc.tree.get(best)?)?;
        let paragraphs = blocks(element);
        (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
    }
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "select"
            | "button"
            | "iframe"
            | "svg"
            | "template"
            | "figure"
            | "figcaption"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote" | "pre" | "dd" | "dt"
    )
}

/// Whether any ancestor (or the element) is boilerplate.
fn in_skipped(el: ElementRef) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|a| is_skipped(a.value().name()))
}

fn collapsed_text(el: ElementRef) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn link_chars(el: ElementRef) -> usize {
    el.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "a")
        .map(|a| a.text().map(|t| t.trim().chars().count()).sum::<usize>())
        .sum()
}

fn best_container(doc: &Html) -> Option<NodeId> {
    let mut scores: HashMap<NodeId, f64> = HashMap::new();
    for node in doc.tree.nodes() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if !matches!(el.value().name(), "p" | "pre" | "blockquote") || in_skipped(el) {
            continue;
        }
        let text = collapsed_text(el);
        let len = text.chars().count();
        if len < MIN_BLOCK_CHARS {
            continue;
        }
        let score = 1.0 + text.matches(',').count() as f64 + (len as f64 / 100.0).min(3.0);
        let mut ancestors = el.ancestors();
        if let Some(parent) = ancestors.next() {
            *scores.entry(parent.id()).or_default() += score;
        }
        if let Some(grand) = ancestors.next() {
            *scores.entry(grand.id()).or_default() += score / 2.0;
        }
    }
    scores
        .into_iter()
        .filter_map(|(id, s)| {
            let el = ElementRef::wrap(doc.tree.get(id)?)?;
            let total = collapsed_text(el).chars().count().max(1);
            let density = link_chars(el) as f64 / total as f64;
            Some((id, s * (1.0 - density)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// Text blocks of `root` in document order, without boilerplate, link lists
/// or blocks nested in other blocks (their text is already in the outer one).
fn blocks(root: ElementRef) -> Vec<String> {
    let mut out = Vec::new();
    for node in root.descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if !is_block(el.value().name()) || in_skipped(el) || nested_in_block(el, root) {
            continue;
        }
        let text = collapsed_text(el);
        let len = text.chars().count();
        if len == 0 || link_chars(el) as f64 / len as f64 > MAX_LINK_DENSITY {
            continue;
        }
        out.push(text);
    }
    if out.is_empty() {
        let text = collapsed_text(root);
        if !text.is_empty() {
            out.push(text);
        }
    }
    out
}

fn nested_in_block(el: ElementRef, root: ElementRef) -> bool {
    el.ancestors()
        .take_while(|a| a.id() != root.id())
        .any(|a| matches!(a.value(), Node::Element(e) if is_block(e.name())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_paragraph_dense_container() {
        let html = r#"<html><body><nav><p>Home, News, Sport, Weather and more links here</p></nav>
            <div id="side"><a href="/1">One link that is long enough to count</a></div>
            <article><h1>Title</h1><p>First paragraph, with enough text to count as body.</p>
            <p>Second paragraph, also long enough, with commas, too.</p>
            <ul><li><a href="/x">Related story link</a></li></ul></article></body></html>"#;
        let body = DensityBackend.body(html, None).expect("body");
        assert_eq!(
            body,
            "Title\n\nFirst paragraph, with enough text to count as body.\n\n\
             Second paragraph, also long enough, with commas, too."
        );
    }

    #[test]
    fn no_paragraphs_gives_none() {
        assert_eq!(DensityBackend.body("<div>short</div>", None), None);
    }
}
