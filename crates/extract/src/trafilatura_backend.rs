//! The measured base: the `trafilatura` crate (a Rust port of go-trafilatura)
//! with its readability/jusText fallback enabled, as Python trafilatura runs
//! by default. On the Scrapinghub benchmark it scored the best F1 of the
//! crates measured (see `eval/candidates`). It recurses over its own
//! html5ever tree, so it is only ever called behind the depth gate.

use crate::ContentBackend;

/// Main content through `trafilatura::extract`.
#[derive(Debug, Clone)]
pub struct TrafilaturaBackend {
    options: trafilatura::Options,
}

impl Default for TrafilaturaBackend {
    fn default() -> Self {
        TrafilaturaBackend {
            options: trafilatura::Options::default().with_fallback(true),
        }
    }
}

impl ContentBackend for TrafilaturaBackend {
    fn name(&self) -> &'static str {
        "trafilatura-0.6"
    }

    fn body(&self, html: &str, _url: Option<&str>) -> Option<String> {
        trafilatura::extract(html, &self.options)
            .ok()
            .map(|r| r.content_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_the_article_paragraphs() {
        let para = "This sentence is part of the article body and is long enough to keep. ";
        let html = format!(
            "<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav>\
             <article><p>{}</p><p>{}</p></article><footer>Copyright</footer></body></html>",
            para.repeat(4),
            para.repeat(3)
        );
        let body = TrafilaturaBackend::default()
            .body(&html, None)
            .expect("body");
        assert!(body.contains("part of the article body"));
        assert!(!body.contains("Copyright"));
    }
}
