//! One linear pass over an HTML page with html5ever's *tokenizer* (no tree).
//!
//! Why a separate pass: tree builders and most extractors recurse over the DOM,
//! and html5ever's tree builder walks the open-element stack on many start
//! tags, so a page nested 100,000 levels deep either overflows the stack
//! (aborting the process) or takes quadratic time. The tokenizer is iterative
//! and linear, so this pass can always run. It yields:
//! - an over-estimate of the tree depth, used to decide whether a tree-based
//!   extractor may see the page at all;
//! - the raw metadata (meta tags, JSON-LD, `<time>`, canonical link, ...);
//! - a flat paragraph text outside boilerplate elements, the fallback body.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{local_name, LocalName};

use crate::text::ParagraphBuilder;

/// Caps that keep one page's metadata memory-bounded whatever its size.
const MAX_METAS: usize = 512;
const MAX_JSON_LD_BYTES: usize = 1 << 20;
const MAX_TIMES: usize = 16;
const MAX_SHORT_TEXT: usize = 1024;
/// How far down the open-element stack an end tag may look for its start tag;
/// a bound keeps stray end tags from making the pass quadratic.
pub(crate) const END_TAG_SEARCH: usize = 64;

/// A `<time>` element or an element with a `datetime`/date `itemprop`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeTag {
    /// `datetime` (or `content`) attribute.
    pub datetime: String,
    /// `itemprop`, lower-cased, if any (`datepublished`, `datemodified`).
    pub itemprop: Option<String>,
    /// True when the element or its class says "publish"/`pubdate`.
    pub published_hint: bool,
}

/// What the tokenizer pass found.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Upper bound on the element depth a tree builder would produce.
    pub max_depth: usize,
    pub html_lang: Option<String>,
    pub title: Option<String>,
    pub first_h1: Option<String>,
    /// `(key, content)`: key is the lower-cased `property`, `name`,
    /// `itemprop` or `http-equiv` of a `<meta>`.
    pub metas: Vec<(String, String)>,
    pub canonical: Option<String>,
    pub json_ld: Vec<String>,
    pub times: Vec<TimeTag>,
    /// Texts of `rel=author` links and `itemprop=author` elements.
    pub author_texts: Vec<String>,
    /// Flat body text: paragraphs outside boilerplate elements.
    pub paragraphs: Vec<String>,
}

/// Which element's text is being captured into a short string.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Capture {
    Title,
    H1,
    Author,
    JsonLd,
}

#[derive(Default)]
struct State {
    scan: Scan,
    stack: Vec<LocalName>,
    foreign: usize,
    skip: usize,
    capture: Option<(Capture, LocalName)>,
    captured: String,
    json_ld_bytes: usize,
    body: ParagraphBuilder,
}

/// Scans `html` once. Never panics, linear time, memory linear in the input.
pub fn scan(html: &str) -> Scan {
    let sink = Sink(RefCell::new(Scanner::default()));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take().finish()
}

/// The scan as a token consumer, for passes that feed the same tokens to
/// other consumers too (one tokenizer run for metadata and content).
#[derive(Default)]
pub(crate) struct Scanner(State);

impl Scanner {
    /// Consumes one token; the result tells the tokenizer about raw-text
    /// elements.
    pub(crate) fn token(&mut self, token: &Token) -> TokenSinkResult<()> {
        let state = &mut self.0;
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return state.start_tag(tag),
                TagKind::EndTag => state.end_tag(&tag.name),
            },
            Token::CharacterTokens(text) => state.text(text),
            _ => {}
        }
        TokenSinkResult::Continue
    }

    pub(crate) fn finish(self) -> Scan {
        let mut state = self.0;
        state.scan.paragraphs = std::mem::take(&mut state.body).finish();
        state.scan
    }
}

struct Sink(RefCell<Scanner>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.borrow_mut().token(&token)
    }
}

pub(crate) fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("param")
            | local_name!("keygen")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("frame")
    )
}

/// Elements whose text is never article body.
fn is_skipped(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("svg")
            | local_name!("math")
            | local_name!("nav")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("aside")
            | local_name!("form")
            | local_name!("select")
            | local_name!("button")
            | local_name!("iframe")
            | local_name!("title")
            | local_name!("textarea")
            | local_name!("object")
            | local_name!("canvas")
            | local_name!("figure")
    )
}

/// Elements that start a new paragraph in the flat text.
fn is_block(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("br")
            | local_name!("li")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("section")
            | local_name!("article")
            | local_name!("main")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("table")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("hr")
            | local_name!("body")
    )
}

/// Start tags that close an open `<p>` at the top of the stack.
fn closes_p(name: &LocalName) -> bool {
    is_block(name)
        && !matches!(
            *name,
            local_name!("br") | local_name!("td") | local_name!("th")
        )
}

pub(crate) fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| a.name.local.as_ref() == name)
        .map(|a| a.value.as_ref())
}

fn short(s: &str) -> String {
    let mut end = s.len().min(MAX_SHORT_TEXT);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].trim().to_owned()
}

impl State {
    fn start_tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        self.collect_metadata(tag);
        if is_block(&tag.name) {
            self.body.break_paragraph();
        }
        let opens = !is_void(&tag.name) && (!tag.self_closing || self.foreign == 0);
        if opens {
            self.push(&tag.name);
            if self.skip > 0 || is_skipped(&tag.name) {
                self.skip += 1;
            }
        }
        self.start_capture(tag, opens);
        raw_mode(&tag.name, tag.self_closing)
    }

    /// Pushes like a tree builder would, closing the implied end tags that
    /// matter for depth (`<p>`, `<li>`, table cells, options) so flat runs of
    /// unclosed siblings do not count as depth. Everything else stays open,
    /// so the depth is an over-estimate, which is the safe side.
    fn push(&mut self, name: &LocalName) {
        if self.stack.last().is_some_and(|top| implies_end(top, name)) {
            self.pop();
        }
        if matches!(*name, local_name!("svg") | local_name!("math")) {
            self.foreign += 1;
        }
        self.stack.push(name.clone());
        self.scan.max_depth = self.scan.max_depth.max(self.stack.len());
    }

    fn pop(&mut self) {
        if let Some(name) = self.stack.pop() {
            if matches!(name, local_name!("svg") | local_name!("math")) {
                self.foreign = self.foreign.saturating_sub(1);
            }
            if self.skip > 0 {
                self.skip -= 1;
            }
        }
    }

    fn end_tag(&mut self, name: &LocalName) {
        self.end_capture(name);
        if is_block(name) {
            self.body.break_paragraph();
        }
        let found = self
            .stack
            .iter()
            .rev()
            .take(END_TAG_SEARCH)
            .position(|n| n == name);
        if let Some(up) = found {
            for _ in 0..=up {
                self.pop();
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some((kind, _)) = &self.capture {
            let cap = if *kind == Capture::JsonLd {
                MAX_JSON_LD_BYTES
            } else {
                MAX_SHORT_TEXT
            };
            if self.captured.len() + text.len() <= cap {
                self.captured.push_str(text);
            }
        }
        if self.skip == 0 {
            self.body.push_text(text);
        }
    }

    fn start_capture(&mut self, tag: &Tag, opens: bool) {
        if self.capture.is_some() || !opens {
            return;
        }
        let kind = match tag.name {
            local_name!("title") if self.scan.title.is_none() => Some(Capture::Title),
            local_name!("h1") if self.scan.first_h1.is_none() => Some(Capture::H1),
            local_name!("script") => attr(tag, "type")
                .filter(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                .map(|_| Capture::JsonLd),
            _ => {
                let rel_author = attr(tag, "rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("author"))
                });
                let itemprop_author = attr(tag, "itemprop")
                    .is_some_and(|p| p.eq_ignore_ascii_case("author"))
                    && attr(tag, "content").is_none();
                (rel_author || itemprop_author).then_some(Capture::Author)
            }
        };
        if let Some(kind) = kind {
            self.capture = Some((kind, tag.name.clone()));
            self.captured.clear();
        }
    }

    fn end_capture(&mut self, name: &LocalName) {
        let Some((kind, open)) = &self.capture else {
            return;
        };
        if open != name {
            return;
        }
        let text = std::mem::take(&mut self.captured);
        let collapsed = || short(&text.split_whitespace().collect::<Vec<_>>().join(" "));
        match kind {
            Capture::Title => self.scan.title = Some(collapsed()),
            Capture::H1 => self.scan.first_h1 = Some(collapsed()),
            Capture::Author => {
                let t = collapsed();
                if !t.is_empty() && self.scan.author_texts.len() < 16 {
                    self.scan.author_texts.push(t);
                }
            }
            Capture::JsonLd => {
                if self.json_ld_bytes + text.len() <= MAX_JSON_LD_BYTES {
                    self.json_ld_bytes += text.len();
                    self.scan.json_ld.push(text);
                }
            }
        }
        self.capture = None;
    }

    fn collect_metadata(&mut self, tag: &Tag) {
        match tag.name {
            local_name!("html") if self.scan.html_lang.is_none() => {
                self.scan.html_lang = attr(tag, "lang")
                    .or_else(|| attr(tag, "xml:lang"))
                    .map(short);
            }
            local_name!("meta") => self.collect_meta(tag),
            local_name!("link") => {
                let canonical = attr(tag, "rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("canonical"))
                });
                if canonical && self.scan.canonical.is_none() {
                    self.scan.canonical = attr(tag, "href").map(short);
                }
            }
            _ => self.collect_time(tag),
        }
    }

    fn collect_meta(&mut self, tag: &Tag) {
        let key = ["property", "name", "itemprop", "http-equiv"]
            .iter()
            .find_map(|k| attr(tag, k));
        if let (Some(key), Some(content)) = (key, attr(tag, "content")) {
            if self.scan.metas.len() < MAX_METAS && !content.trim().is_empty() {
                self.scan
                    .metas
                    .push((key.trim().to_ascii_lowercase(), short(content)));
            }
        }
    }

    fn collect_time(&mut self, tag: &Tag) {
        if self.scan.times.len() >= MAX_TIMES {
            return;
        }
        let itemprop = attr(tag, "itemprop").map(|p| p.trim().to_ascii_lowercase());
        let dated_prop = itemprop.as_deref().is_some_and(|p| p.starts_with("date"));
        let is_time = tag.name == local_name!("time");
        if !is_time && !dated_prop {
            return;
        }
        let Some(datetime) = attr(tag, "datetime").or_else(|| attr(tag, "content")) else {
            return;
        };
        let class = attr(tag, "class").unwrap_or("").to_ascii_lowercase();
        let published_hint = attr(tag, "pubdate").is_some() || class.contains("publish");
        self.scan.times.push(TimeTag {
            datetime: short(datetime),
            itemprop,
            published_hint,
        });
    }
}

/// Whether a start tag `name` implicitly closes the open element `top`, for
/// the implied end tags that matter for depth (`<p>`, `<li>`, table cells,
/// options): flat runs of unclosed siblings must not count as nesting.
pub(crate) fn implies_end(top: &LocalName, name: &LocalName) -> bool {
    match name {
        n if *top == local_name!("p") && closes_p(n) => true,
        &local_name!("li") => *top == local_name!("li"),
        &local_name!("dt") | &local_name!("dd") => {
            matches!(*top, local_name!("dt") | local_name!("dd"))
        }
        &local_name!("option") | &local_name!("optgroup") => *top == local_name!("option"),
        &local_name!("td") | &local_name!("th") | &local_name!("tr") => {
            matches!(*top, local_name!("td") | local_name!("th"))
        }
        _ => false,
    }
}

/// Tells the tokenizer which elements hold raw text, as a tree builder would.
pub(crate) fn raw_mode(name: &LocalName, self_closing: bool) -> TokenSinkResult<()> {
    if self_closing {
        return TokenSinkResult::Continue;
    }
    match *name {
        local_name!("script") => TokenSinkResult::RawData(RawKind::ScriptData),
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes")
        | local_name!("noscript") => TokenSinkResult::RawData(RawKind::Rawtext),
        local_name!("title") | local_name!("textarea") => TokenSinkResult::RawData(RawKind::Rcdata),
        local_name!("plaintext") => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nesting_but_not_unclosed_siblings() {
        assert_eq!(scan("<html><body><div><div><p>x</div></div>").max_depth, 5);
        let flat = format!("<ul>{}</ul>", "<li>item".repeat(1000));
        assert!(scan(&flat).max_depth <= 3);
        let paras = "<p>a".repeat(1000);
        assert!(scan(&paras).max_depth <= 2);
    }

    #[test]
    fn self_closed_divs_still_count_as_depth() {
        // `<div/>` opens a div in HTML: the safe answer is "deep".
        assert!(scan(&"<div/>".repeat(2000)).max_depth >= 2000);
    }

    #[test]
    fn collects_metadata_and_skips_scripts_in_body() {
        let s = scan(
            r#"<html lang="en-GB"><head><title> A  title </title>
            <meta property="og:site_name" content="Site">
            <link rel="canonical" href="https://x.test/a">
            <script type="application/ld+json">{"@type":"NewsArticle"}</script>
            <script>var x = "<p>not text</p>";</script></head>
            <body><nav>Menu</nav><h1>Head</h1><time datetime="2019-11-21">Nov 21</time>
            <p>Body <b>text</b>.</p><a rel="author" href="/a">Jane Roe</a></body></html>"#,
        );
        assert_eq!(s.html_lang.as_deref(), Some("en-GB"));
        assert_eq!(s.title.as_deref(), Some("A title"));
        assert_eq!(s.first_h1.as_deref(), Some("Head"));
        assert_eq!(s.metas, vec![("og:site_name".into(), "Site".into())]);
        assert_eq!(s.canonical.as_deref(), Some("https://x.test/a"));
        assert_eq!(s.json_ld, vec![r#"{"@type":"NewsArticle"}"#.to_owned()]);
        assert_eq!(s.times[0].datetime, "2019-11-21");
        assert_eq!(s.author_texts, vec!["Jane Roe".to_owned()]);
        assert_eq!(
            s.paragraphs,
            vec!["Head", "Nov 21", "Body text.", "Jane Roe"]
        );
    }
}
