//! HTML pages and plain text → article text and metadata.
//!
//! The pipeline calls [`default_extractor`] and the [`Extractor`] trait only,
//! so the main-content algorithm behind it can be replaced (and versioned
//! through [`Extractor::component`]) without touching callers.
//!
//! Every HTML page first goes through one linear tokenizer pass
//! ([`scan`](crate::scan)) that measures the element depth and collects the
//! metadata. Only pages at most [`MAX_TREE_DEPTH`] deep are handed to a
//! tree-based content backend; deeper pages (which would overflow the stack in
//! recursive extractors, or take quadratic time in html5ever's tree builder)
//! get the flat tokenizer text. A backend that panics or finds nothing falls
//! back to the same flat text.

pub mod blocks;
mod dates;
pub use dates::parse_date_text;
pub mod density;
mod metadata;
mod scan;
mod text;
#[cfg(feature = "trafilatura-backend")]
pub mod trafilatura_backend;

use std::panic::{catch_unwind, AssertUnwindSafe};

use dossier_core::{Component, DateValue};

pub use metadata::primary_language;
pub use text::normalise_paragraphs;

/// Pages deeper than this never reach a tree builder. Real article pages stay
/// far below it (the Scrapinghub benchmark's deepest page is under 100).
pub const MAX_TREE_DEPTH: usize = 512;

/// What extraction found in one document.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Extraction {
    pub title: Option<String>,
    /// Paragraphs separated by "\n\n"; headings and list items are their own
    /// paragraphs.
    pub text: String,
    pub published: Option<DateValue>,
    pub modified: Option<DateValue>,
    /// BCP-47 primary subtag, e.g. "en".
    pub language: Option<String>,
    pub authors: Vec<String>,
    pub site_name: Option<String>,
    pub canonical_url: Option<String>,
    pub description: Option<String>,
    /// The place of a dateline that opens the body ("ASTANA", "MOSCOW"); the
    /// dateline itself stays in `text`.
    pub dateline: Option<String>,
    /// Credit lines taken out of the body ("Source: Reuters", "Photo: AFP").
    pub credits: Vec<String>,
    /// Photo captions taken out of the body (without a "Caption:" label).
    pub captions: Vec<String>,
    /// Every block taken out of the body, so that a reader can see and
    /// overrule it. Only plain-text extraction fills it.
    pub removed: Vec<Removed>,
}

/// A block of lines taken out of the body.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Removed {
    /// Character offset in the final `text` where the block used to be: the
    /// offset of the kept text that followed it (0 = before the first
    /// paragraph, `text.chars().count()` = after the last).
    pub at: usize,
    /// The removed lines, whitespace collapsed, joined by "\n".
    pub text: String,
    /// Why: "repeated-title", "reading-time", "related-links",
    /// "headline-list", "share-notice", "cookie-notice", "newsletter-signup",
    /// "author-bio", "credit-line", "caption", "byline", "date-line",
    /// "time-stamp".
    pub reason: &'static str,
}

/// Turns a document into an [`Extraction`]. Implementations never panic and
/// stay linear-ish in time and memory whatever the input.
pub trait Extractor: Send + Sync {
    /// Name and version, stored with every article it produced.
    fn component(&self) -> Component;
    fn extract_html(&self, html: &str, url: Option<&str>) -> Extraction;
    /// Plain text: the title is the first non-empty line when
    /// `title_in_text`; the body is the rest with paragraphs normalised.
    fn extract_text(&self, text: &str, title_in_text: bool) -> Extraction;
}

/// A main-content algorithm over a parsed tree. It is only called on pages
/// no deeper than [`MAX_TREE_DEPTH`]; `None` means "found nothing".
pub trait ContentBackend: Send + Sync {
    fn name(&self) -> &'static str;
    fn body(&self, html: &str, url: Option<&str>) -> Option<String>;
}

/// The HTML extractor: depth gate + metadata + a content backend, with the
/// tokenizer text as the fallback.
pub struct HtmlExtractor<B> {
    backend: B,
    version: &'static str,
}

impl<B: ContentBackend> HtmlExtractor<B> {
    pub fn new(backend: B, version: &'static str) -> Self {
        HtmlExtractor { backend, version }
    }

    /// The body from the backend when the page is shallow enough and the
    /// backend neither panics nor comes back empty.
    fn backend_body(&self, html: &str, url: Option<&str>, depth: usize) -> Option<String> {
        if depth > MAX_TREE_DEPTH {
            return None;
        }
        catch_unwind(AssertUnwindSafe(|| self.backend.body(html, url)))
            .ok()
            .flatten()
            .filter(|b| !b.trim().is_empty())
    }
}

impl<B: ContentBackend> Extractor for HtmlExtractor<B> {
    fn component(&self) -> Component {
        let version = format!("{}+{}", self.version, self.backend.name());
        Component::new("extract-html", &version)
    }

    fn extract_html(&self, html: &str, url: Option<&str>) -> Extraction {
        let scanned = scan::scan(html);
        let mut out = Extraction::default();
        metadata::fill(&mut out, &scanned, url);
        out.text = match self.backend_body(html, url, scanned.max_depth) {
            Some(body) => tidy_body(&body),
            None => scanned.paragraphs.join("\n\n"),
        };
        out
    }

    fn extract_text(&self, text: &str, title_in_text: bool) -> Extraction {
        text::extract_text(text, title_in_text)
    }
}

/// Backend output in the crate's paragraph convention: whitespace collapsed
/// inside lines, one blank line between paragraphs.
fn tidy_body(body: &str) -> String {
    body.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The extractor the pipeline uses: the own single-pass "blocks" extractor
/// (Scrapinghub test half F1 0.963 vs 0.960 for trafilatura with fallback,
/// about 7x its speed; see `eval/README.md`). It builds no tree, so it needs
/// no depth gate; `HtmlExtractor` with `TrafilaturaBackend` stays available.
pub fn default_extractor() -> Box<dyn Extractor> {
    Box::new(blocks::BlocksExtractor::new("2"))
}

/// The estimated element depth of a page (an over-estimate of what a tree
/// builder would make), as the depth gate sees it.
pub fn estimated_depth(html: &str) -> usize {
    scan::scan(html).max_depth
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A backend that always panics, to prove the fallback.
    struct Panics;
    impl ContentBackend for Panics {
        fn name(&self) -> &'static str {
            "panics"
        }
        fn body(&self, _: &str, _: Option<&str>) -> Option<String> {
            panic!("backend bug")
        }
    }

    #[test]
    fn deep_nesting_is_handled_without_a_tree() {
        let depth = 100_000;
        let html = format!(
            "<html><body>{}<p>The inner text.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let e = default_extractor().extract_html(&html, None);
        assert_eq!(e.text, "The inner text.");
        // Unclosed, mixed and self-closed deep nesting must not hurt either.
        let messy = "<div><span><b/>".repeat(depth / 2) + "tail text";
        assert!(default_extractor()
            .extract_html(&messy, None)
            .text
            .ends_with("tail text"));
    }

    #[test]
    fn panicking_backend_falls_back_to_flat_text() {
        let e = HtmlExtractor::new(Panics, "0").extract_html("<p>Hello there.</p>", None);
        assert_eq!(e.text, "Hello there.");
    }

    #[test]
    fn garbage_input_does_not_panic() {
        let x = default_extractor();
        for s in [
            "",
            "<",
            "</",
            "<<>>",
            "<!--",
            "<script>",
            "\u{0}\u{feff}<p>",
            "<svg><p/>",
            "&#xffffffff;",
        ] {
            let _ = x.extract_html(s, Some("not a url"));
            let _ = x.extract_text(s, true);
        }
    }

    #[test]
    fn component_names_backend_and_version() {
        let c = default_extractor().component();
        assert_eq!(
            (c.name.as_str(), c.version.as_str()),
            ("extract-html", "2+blocks-1")
        );
    }

    #[test]
    fn body_paragraphs_use_blank_lines() {
        assert_eq!(tidy_body(" a  b \n\n\n c\n"), "a b\n\nc");
    }
}
