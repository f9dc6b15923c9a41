//! The own content backend, "blocks": one linear pass over html5ever's
//! *tokenizer* (no tree, like [`scan`](crate::scan)) turns a page into a flat
//! list of text blocks (paragraphs, headings, list items, quotes, table cells,
//! `pre`, text directly in a `div`), each with its features: length, link-text
//! length, punctuation, kind, and the element it sits in. The elements
//! themselves are kept as a flat pre-order array (parent index, subtree end,
//! class/id/role hints), so every later step is a forward or backward sweep
//! over arrays: no recursion and linear time whatever the nesting.
//!
//! Selection: each block scores as content (long, few links, not under a
//! boilerplate hint) or as noise (link lists, hinted boilerplate, short
//! fragments); every element's score is the sum over its subtree, and the
//! element with the best score (a maximum-subtree-sum, nudged by
//! article/main/`itemprop=articleBody`/"article-body"-style hints) is the
//! article container. Its blocks, minus boilerplate subtrees, link-heavy
//! blocks and known widget phrases, are the body; headings, lists, quotes and
//! tables inside it are kept, tables as one line per row.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{local_name, LocalName};

use std::panic::{catch_unwind, AssertUnwindSafe};

use dossier_core::Component;

use crate::scan::{implies_end, is_void, raw_mode, Scan, Scanner, END_TAG_SEARCH};
use crate::{metadata, text, ContentBackend, Extraction, Extractor};

/// Hint bits of an element (own) and, accumulated, of its ancestors.
const NEG: u8 = 1;
const POS: u8 = 2;
const STRONG: u8 = 4;
const ARTICLE: u8 = 8;
const SKIP: u8 = 16;
const LINK: u8 = 32;
const PRE: u8 = 64;

const NONE: u32 = u32::MAX;

/// What kind of block a run of text is, from its innermost block element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<p>`, or text directly in a `div`, `section`, the body, ...
    Para,
    Heading(u8),
    /// `<li>`, `<dt>`, `<dd>`
    Item,
    Quote,
    Cell,
    Pre,
    Caption,
}

/// Tuning knobs of the selection (defaults are the values tuned on the
/// development half of the Scrapinghub benchmark).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Blocks shorter than this (in characters) are not evidence of content.
    pub min_chars: f64,
    /// Blocks with a larger share of link text are navigation.
    pub max_link_density: f64,
    /// Penalty per character of text under a boilerplate hint.
    pub neg_weight: f64,
    /// Penalty per character of link-heavy text.
    pub link_weight: f64,
    /// Penalty per character of short (below `min_chars`) non-heading text.
    pub short_weight: f64,
    /// A hinted element holding at least this share of the page's content
    /// text is not boilerplate (a "page-with-sidebar" wrapper).
    pub neg_keep_share: f64,
    /// Score multiplier bonus for an element with an article-body class/id.
    pub pos_bonus: f64,
    /// Score multiplier bonus for `itemprop=articleBody` / "article-body".
    pub strong_bonus: f64,
    /// Score multiplier bonus for `<article>` / `<main>` / role=main.
    pub article_bonus: f64,
    /// Kept blocks must have at least this many characters (headings and
    /// list items excepted).
    pub out_min_chars: usize,
    /// Keep `<h1>` headings inside the container.
    pub keep_h1: bool,
    /// A hinted element is only spared as a wrapper when it also holds at
    /// least this many content blocks.
    pub neg_keep_blocks: usize,
    /// Penalty per link character of a heading (teaser lists are runs of
    /// linked headings).
    pub heading_link_weight: f64,
    /// Blocks at least this long with sentence punctuation are prose even
    /// when link-dense (inline links), up to `prose_max_density`.
    pub prose_chars: u32,
    pub prose_max_density: f64,
    /// List items that start with a link at least this long are teasers
    /// (headline + summary), not article text.
    pub teaser_lead: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            min_chars: 40.0,
            max_link_density: 0.5,
            neg_weight: 1.0,
            link_weight: 0.3,
            short_weight: 0.3,
            neg_keep_share: 0.5,
            pos_bonus: 0.3,
            strong_bonus: 0.3,
            article_bonus: 0.1,
            out_min_chars: 1,
            keep_h1: false,
            neg_keep_blocks: 3,
            heading_link_weight: 0.0,
            prose_chars: 80,
            prose_max_density: 0.8,
            teaser_lead: u32::MAX,
        }
    }
}

impl Params {
    /// Parses `key=value,key=value` over the defaults (for tuning runs);
    /// unknown keys and bad values are errors.
    pub fn parse(spec: &str) -> Result<Params, String> {
        let mut p = Params::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?}: expected key=value"))?;
            let f = || v.parse::<f64>().map_err(|e| format!("{k}: {e}"));
            match k {
                "min_chars" => p.min_chars = f()?,
                "max_link_density" => p.max_link_density = f()?,
                "neg_weight" => p.neg_weight = f()?,
                "link_weight" => p.link_weight = f()?,
                "short_weight" => p.short_weight = f()?,
                "neg_keep_share" => p.neg_keep_share = f()?,
                "pos_bonus" => p.pos_bonus = f()?,
                "strong_bonus" => p.strong_bonus = f()?,
                "article_bonus" => p.article_bonus = f()?,
                "out_min_chars" => p.out_min_chars = f()? as usize,
                "keep_h1" => p.keep_h1 = f()? != 0.0,
                "neg_keep_blocks" => p.neg_keep_blocks = f()? as usize,
                "heading_link_weight" => p.heading_link_weight = f()?,
                "prose_chars" => p.prose_chars = f()? as u32,
                "prose_max_density" => p.prose_max_density = f()?,
                "teaser_lead" => p.teaser_lead = f()? as u32,
                _ => return Err(format!("unknown parameter {k:?}")),
            }
        }
        Ok(p)
    }
}

/// The own single-pass backend.
#[derive(Debug, Clone, Default)]
pub struct BlocksBackend {
    params: Params,
}

impl BlocksBackend {
    pub fn with_params(params: Params) -> Self {
        BlocksBackend { params }
    }
}

impl ContentBackend for BlocksBackend {
    fn name(&self) -> &'static str {
        "blocks-1"
    }

    fn body(&self, html: &str, _url: Option<&str>) -> Option<String> {
        let page = collect(html);
        let body = select(&page, &self.params);
        (!body.is_empty()).then_some(body)
    }
}

/// One element of the page, in document (pre-)order.
#[derive(Debug, Clone)]
struct Node {
    parent: u32,
    /// One past the index of its last descendant.
    end: u32,
    own: u8,
    cum: u8,
    kind: Kind,
    /// The innermost enclosing `<tr>`, for rendering rows.
    row: u32,
}

/// One run of text between block boundaries.
#[derive(Debug, Clone)]
pub struct Block {
    pub text: String,
    node: u32,
    pub kind: Kind,
    pub chars: u32,
    pub link_chars: u32,
    pub punct: u32,
    /// Link characters before the first non-link character (a teaser
    /// starts with its linked headline).
    pub lead_link: u32,
    row: u32,
}

/// The tokenizer pass's result.
#[derive(Debug, Default)]
pub struct Page {
    nodes: Vec<Node>,
    pub blocks: Vec<Block>,
}

struct State {
    page: Page,
    stack: Vec<(LocalName, u32)>,
    current: Option<Block>,
    /// Reused buffer for lower-cased class/id values.
    buf: String,
}

/// The tokenizer pass as a token consumer (see [`collect`]).
pub(crate) struct Collector(State);

impl Default for Collector {
    fn default() -> Self {
        let root = Node {
            parent: NONE,
            end: 1,
            own: 0,
            cum: 0,
            kind: Kind::Para,
            row: NONE,
        };
        Collector(State {
            page: Page {
                nodes: vec![root],
                blocks: Vec::new(),
            },
            stack: Vec::new(),
            current: None,
            buf: String::new(),
        })
    }
}

impl Collector {
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

    pub(crate) fn finish(self) -> Page {
        let mut state = self.0;
        state.flush();
        while !state.stack.is_empty() {
            state.pop();
        }
        state.page.nodes[0].end = state.page.nodes.len() as u32;
        state.page
    }
}

struct Sink(RefCell<Collector>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.borrow_mut().token(&token)
    }
}

/// Tokenizes `html` once into blocks and a flat element array. Never panics;
/// time and memory linear in the input.
pub fn collect(html: &str) -> Page {
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(Collector::default())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner().finish()
}

/// Elements whose text is never shown as article text.
fn is_skipped(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("svg")
            | local_name!("math")
            | local_name!("iframe")
            | local_name!("select")
            | local_name!("button")
            | local_name!("textarea")
            | local_name!("object")
            | local_name!("canvas")
            | local_name!("head")
            | local_name!("title")
            | local_name!("option")
            | local_name!("label")
    )
}

/// Elements that start and end a block (besides the kinds below).
fn is_block_tag(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("section")
            | local_name!("article")
            | local_name!("main")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("nav")
            | local_name!("aside")
            | local_name!("body")
            | local_name!("form")
            | local_name!("fieldset")
            | local_name!("address")
            | local_name!("center")
            | local_name!("details")
            | local_name!("summary")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("caption")
            | local_name!("table")
            | local_name!("tbody")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("li")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("hr")
            | local_name!("hgroup")
            | local_name!("menu")
            | local_name!("dialog")
            | local_name!("picture")
            | local_name!("video")
            | local_name!("audio")
    )
}

fn own_kind(name: &LocalName) -> Option<Kind> {
    Some(match *name {
        local_name!("h1") => Kind::Heading(1),
        local_name!("h2") => Kind::Heading(2),
        local_name!("h3") => Kind::Heading(3),
        local_name!("h4") => Kind::Heading(4),
        local_name!("h5") => Kind::Heading(5),
        local_name!("h6") => Kind::Heading(6),
        local_name!("li") | local_name!("dt") | local_name!("dd") => Kind::Item,
        local_name!("blockquote") => Kind::Quote,
        local_name!("td") | local_name!("th") => Kind::Cell,
        local_name!("pre") => Kind::Pre,
        local_name!("figcaption") | local_name!("caption") => Kind::Caption,
        local_name!("p")
        | local_name!("div")
        | local_name!("section")
        | local_name!("article")
        | local_name!("main")
        | local_name!("body")
        | local_name!("table")
        | local_name!("ul")
        | local_name!("ol")
        | local_name!("dl")
        | local_name!("tr") => Kind::Para,
        _ => return None,
    })
}

/// Class/id words that mark boilerplate wherever they appear in the value.
const NEG_PARTS: &[&str] = &[
    "comment",
    "footer",
    "sidebar",
    "related",
    "share",
    "sharing",
    "social",
    "promo",
    "newsletter",
    "subscri",
    "cookie",
    "breadcrumb",
    "caption",
    "byline",
    "masthead",
    "navbar",
    "navigation",
    "menu",
    "widget",
    "sponsor",
    "recommend",
    "trending",
    "popular",
    "outbrain",
    "taboola",
    "signup",
    "advert",
    "banner",
    "toolbar",
    "modal",
    "popup",
    "disqus",
    "most-read",
    "mostread",
    "more-stories",
    "read-more",
    "readmore",
    "author-bio",
    "tags",
    "keywords",
    "pagination",
    "skip-link",
    "right-rail",
    "left-rail",
];

/// Class/id tokens (split at non-alphanumerics) that mark boilerplate.
const NEG_WORDS: &[&str] = &[
    "rightrail",
    "leftrail",
    "ad",
    "ads",
    "nav",
    "aside",
    "hidden",
    "hide",
    "skip",
    "bio",
    "credit",
    "credits",
    "tools",
    "meta",
    "print",
    "login",
    "footnote",
    "shop",
    "rail",
];

const POS_PARTS: &[&str] = &[
    "article", "content", "story", "entry", "post", "body", "main", "text", "blog",
];

fn hints(tag: &Tag, buf: &mut String) -> u8 {
    let mut h = 0;
    match tag.name {
        local_name!("nav")
        | local_name!("aside")
        | local_name!("footer")
        | local_name!("header")
        | local_name!("figure")
        | local_name!("figcaption")
        | local_name!("menu")
        | local_name!("dialog") => h |= NEG,
        local_name!("article") | local_name!("main") => h |= ARTICLE,
        local_name!("a") => h |= LINK,
        local_name!("pre") => h |= PRE,
        ref n if is_skipped(n) => h |= SKIP,
        _ => {}
    }
    buf.clear();
    for a in &tag.attrs {
        let value: &str = &a.value;
        match a.name.local {
            local_name!("class") | local_name!("id") => {
                buf.push(' ');
                buf.extend(value.chars().map(|c| c.to_ascii_lowercase()));
            }
            local_name!("itemprop") => {
                if value.eq_ignore_ascii_case("articlebody") {
                    h |= STRONG | POS;
                }
            }
            local_name!("role") => match value.trim().to_ascii_lowercase().as_str() {
                "navigation" | "banner" | "contentinfo" | "complementary" | "menu" | "menubar"
                | "dialog" | "alert" | "search" => h |= NEG,
                "main" | "article" => h |= ARTICLE,
                _ => {}
            },
            local_name!("hidden") => h |= SKIP,
            local_name!("aria-hidden") => {
                if value.trim().eq_ignore_ascii_case("true") {
                    h |= SKIP;
                }
            }
            local_name!("style") => {
                let compact: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                if compact.contains("display:none") || compact.contains("visibility:hidden") {
                    h |= SKIP;
                }
            }
            _ => {}
        }
    }
    if !buf.is_empty() {
        h |= class_hints(buf);
    }
    h
}

fn class_hints(v: &str) -> u8 {
    let neg = NEG_PARTS.iter().any(|p| v.contains(p))
        || v.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| NEG_WORDS.contains(&w));
    if neg {
        return NEG;
    }
    let mut h = 0;
    if POS_PARTS.iter().any(|p| v.contains(p)) {
        h |= POS;
        let subject = ["article", "story", "entry", "post", "news"]
            .iter()
            .any(|p| v.contains(p));
        let part = ["body", "content", "text"].iter().any(|p| v.contains(p));
        if subject && part {
            h |= STRONG;
        }
    }
    h
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '。' | '、' | '，' | '؟' | '،' | '।'
    )
}

impl State {
    fn top(&self) -> u32 {
        self.stack.last().map_or(0, |&(_, i)| i)
    }

    fn start_tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name = &tag.name;
        if *name == local_name!("br") {
            if let Some(b) = &mut self.current {
                if !b.text.ends_with('\n') {
                    let t = b.text.trim_end_matches(' ').len();
                    b.text.truncate(t);
                    b.text.push('\n');
                }
            }
            return TokenSinkResult::Continue;
        }
        if is_block_tag(name) {
            self.flush();
        }
        let opens = !is_void(name) && !tag.self_closing;
        if opens {
            if self
                .stack
                .last()
                .is_some_and(|(top, _)| implies_end(top, name))
            {
                self.pop();
            }
            let own = hints(tag, &mut self.buf);
            let parent = self.top();
            let p = &self.page.nodes[parent as usize];
            let idx = self.page.nodes.len() as u32;
            let node = Node {
                parent,
                end: NONE,
                own,
                cum: p.cum | own,
                kind: own_kind(name).unwrap_or(p.kind),
                row: if *name == local_name!("tr") {
                    idx
                } else if *name == local_name!("table") {
                    NONE
                } else {
                    p.row
                },
            };
            self.page.nodes.push(node);
            self.stack.push((name.clone(), idx));
        }
        raw_mode(name, tag.self_closing)
    }

    fn pop(&mut self) {
        if let Some((_, idx)) = self.stack.pop() {
            let end = self.page.nodes.len() as u32;
            if let Some(n) = self.page.nodes.get_mut(idx as usize) {
                n.end = end;
            }
        }
    }

    fn end_tag(&mut self, name: &LocalName) {
        if is_block_tag(name) || *name == local_name!("br") {
            self.flush();
        }
        let found = self
            .stack
            .iter()
            .rev()
            .take(END_TAG_SEARCH)
            .position(|(n, _)| n == name);
        if let Some(up) = found {
            // Text in an element closed here belongs to a new block when the
            // element was an inline one holding the block's start: keep going.
            for _ in 0..=up {
                self.pop();
            }
        }
    }

    fn text(&mut self, text: &str) {
        let top = self.top();
        let node = &self.page.nodes[top as usize];
        if node.cum & SKIP != 0 {
            return;
        }
        let in_link = node.cum & LINK != 0;
        let in_pre = node.cum & PRE != 0;
        if self.current.is_none() {
            if text.trim().is_empty() {
                return;
            }
            self.current = Some(Block {
                text: String::new(),
                node: top,
                kind: node.kind,
                chars: 0,
                link_chars: 0,
                punct: 0,
                lead_link: 0,
                row: node.row,
            });
        }
        let Some(b) = self.current.as_mut() else {
            return;
        };
        if in_pre {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 && !b.text.ends_with('\n') {
                    b.text.push('\n');
                }
                push_words(b, line, in_link);
            }
        } else {
            push_words(b, text, in_link);
        }
    }

    fn flush(&mut self) {
        if let Some(mut b) = self.current.take() {
            let t = b.text.trim_end().len();
            b.text.truncate(t);
            if b.chars > 0 {
                self.page.blocks.push(b);
            }
        }
    }
}

/// Appends a text run with whitespace collapsed, counting characters, link
/// characters and punctuation.
fn push_words(b: &mut Block, text: &str, in_link: bool) {
    let glued_start = !text.starts_with(char::is_whitespace);
    for (i, word) in text.split_whitespace().enumerate() {
        let glued = i == 0 && glued_start;
        if !b.text.is_empty() && !glued && !b.text.ends_with([' ', '\n']) {
            b.text.push(' ');
        }
        b.text.push_str(word);
        let mut n = 0u32;
        for c in word.chars() {
            n += 1;
            if is_punct(c) {
                b.punct += 1;
            }
        }
        if in_link {
            if b.lead_link == b.chars {
                b.lead_link += n;
            }
            b.link_chars += n;
        }
        b.chars += n;
    }
    if text.ends_with(char::is_whitespace) && !b.text.is_empty() && !b.text.ends_with([' ', '\n']) {
        b.text.push(' ');
    }
}

/// Short texts that are widgets, not article, whatever their container.
fn is_boilerplate_phrase(text: &str) -> bool {
    if text.len() > 80 {
        return false;
    }
    let t = text.trim().to_lowercase();
    const STARTS: &[&str] = &[
        "advertisement",
        "read more",
        "read next",
        "share this",
        "share on",
        "sign up",
        "subscribe",
        "follow us",
        "click here",
        "related:",
        "related articles",
        "related stories",
        "image:",
        "photo:",
        "photograph:",
        "getty images",
        "© ",
        "copyright",
        "all rights reserved",
        "skip to",
        "loading",
        "comments",
        "leave a comment",
        "we use cookies",
    ];
    STARTS.iter().any(|s| t.starts_with(s))
}

/// Chooses the article container and renders its blocks.
pub fn select(page: &Page, p: &Params) -> String {
    let nodes = &page.nodes;
    let blocks = &page.blocks;
    let n = nodes.len();
    if blocks.is_empty() || n == 0 {
        return String::new();
    }
    let density = |b: &Block| b.link_chars as f64 / b.chars.max(1) as f64;
    let is_prose =
        |b: &Block| b.chars >= p.prose_chars && b.punct >= 2 && density(b) < p.prose_max_density;
    let is_teaser = |b: &Block| b.kind == Kind::Item && b.lead_link >= p.teaser_lead;
    let is_dense = |b: &Block| is_teaser(b) || density(b) >= p.max_link_density && !is_prose(b);
    let is_content = |b: &Block| {
        !matches!(b.kind, Kind::Heading(_) | Kind::Caption)
            && b.chars as f64 >= p.min_chars
            && !is_dense(b)
    };

    // Content text and content blocks per subtree (backward sweep: children
    // follow their parents).
    let mut good = vec![0f64; n];
    let mut count = vec![0usize; n];
    for b in blocks.iter().filter(|b| is_content(b)) {
        good[b.node as usize] += b.chars as f64 * (1.0 - density(b));
        count[b.node as usize] += 1;
    }
    for i in (1..n).rev() {
        let parent = nodes[i].parent as usize;
        good[parent] += good[i];
        count[parent] += count[i];
    }
    let total = good[0];
    let keep =
        |i: usize, of: f64| good[i] >= of * p.neg_keep_share && count[i] >= p.neg_keep_blocks;

    // Effective boilerplate: a hint, unless the element holds the bulk of
    // the page's content (forward sweep: parents come first).
    let eff_neg = effective_neg(nodes, 0, |i| keep(i, total));

    // Subtree score: content minus noise.
    let mut value = vec![0f64; n];
    for b in blocks {
        let len = b.chars as f64;
        let links = b.link_chars as f64;
        let v = if eff_neg[b.node as usize] {
            -p.neg_weight * len
        } else if matches!(b.kind, Kind::Heading(_)) {
            -p.heading_link_weight * links
        } else if is_dense(b) {
            -p.link_weight * len
        } else if len < p.min_chars {
            -p.short_weight * len
        } else {
            len - links - p.link_weight * links
        };
        value[b.node as usize] += v;
    }
    for i in (1..n).rev() {
        let parent = nodes[i].parent as usize;
        value[parent] += value[i];
    }
    let mut best = 0usize;
    let mut best_score = f64::NEG_INFINITY;
    for (i, node) in nodes.iter().enumerate() {
        let mut bonus = 1.0;
        if node.own & STRONG != 0 {
            bonus += p.strong_bonus;
        } else if node.own & POS != 0 {
            bonus += p.pos_bonus;
        }
        if node.own & ARTICLE != 0 {
            bonus += p.article_bonus;
        }
        let v = value[i];
        let score = if v > 0.0 { v * bonus } else { v };
        if score > best_score {
            best_score = score;
            best = i;
        }
    }

    // Boilerplate below the container, relative to the container's content.
    let end = (nodes[best].end as usize).min(n);
    let rel_neg = effective_neg(nodes, best, |i| keep(i, good[best]));
    let kept: Vec<&Block> = blocks
        .iter()
        .filter(|b| {
            let i = b.node as usize;
            if i < best || i >= end || rel_neg[i] {
                return false;
            }
            if b.kind == Kind::Caption {
                return false;
            }
            if let Kind::Heading(level) = b.kind {
                return level > 1 || p.keep_h1;
            }
            if is_dense(b) {
                return false;
            }
            if (b.chars as usize) < p.out_min_chars && b.kind != Kind::Item {
                return false;
            }
            !is_boilerplate_phrase(&b.text)
        })
        .collect();
    // A heading introduces kept text, or it belonged to a removed section.
    let mut out: Vec<&Block> = Vec::with_capacity(kept.len());
    for (i, b) in kept.iter().enumerate() {
        let heading = matches!(b.kind, Kind::Heading(_));
        let next_is_text = kept
            .get(i + 1)
            .is_some_and(|n| !matches!(n.kind, Kind::Heading(_)));
        if !heading || next_is_text {
            out.push(b);
        }
    }
    render(&out)
}

/// Which elements are boilerplate below `root` (only elements in `root`'s
/// subtree are marked): an element with a boilerplate hint, or one inside
/// such an element, unless `spared` says it holds the bulk of the content.
fn effective_neg(nodes: &[Node], root: usize, spared: impl Fn(usize) -> bool) -> Vec<bool> {
    let n = nodes.len();
    let mut neg = vec![false; n];
    let end = (nodes[root].end as usize).min(n);
    for i in root + 1..end {
        let parent = nodes[i].parent as usize;
        let inherited = parent > root && parent < n && neg[parent];
        neg[i] = inherited || (nodes[i].own & NEG != 0 && nodes[i].own & STRONG == 0 && !spared(i));
    }
    neg
}

/// Blocks as paragraphs separated by blank lines (a line break inside a
/// block starts a paragraph too, the crate's convention); the cells of one
/// table row on one line, separated by " | ".
fn render(blocks: &[&Block]) -> String {
    let mut out = String::new();
    let mut last_row = NONE;
    for b in blocks {
        let same_row = b.kind == Kind::Cell && b.row != NONE && b.row == last_row;
        last_row = if b.kind == Kind::Cell { b.row } else { NONE };
        if b.kind == Kind::Cell {
            if same_row {
                out.push_str(" | ");
            } else if !out.is_empty() {
                out.push_str("\n\n");
            }
            let mut first = true;
            for line in b.text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
                if !first {
                    out.push(' ');
                }
                out.push_str(line);
                first = false;
            }
            continue;
        }
        for line in b.text.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(line);
        }
    }
    out
}

/// The HTML extractor over a single tokenizer pass: the metadata scan and
/// the block collection consume the same tokens; when selection finds
/// nothing the page's flat text is the body, as in
/// [`HtmlExtractor`](crate::HtmlExtractor). No tree is built, so no depth
/// gate is needed.
#[derive(Debug, Clone)]
pub struct BlocksExtractor {
    params: Params,
    version: &'static str,
}

impl BlocksExtractor {
    /// `version` is the extractor's own version (metadata and text
    /// conventions), as for [`HtmlExtractor::new`](crate::HtmlExtractor::new).
    pub fn new(version: &'static str) -> Self {
        Self::with_params(Params::default(), version)
    }

    pub fn with_params(params: Params, version: &'static str) -> Self {
        BlocksExtractor { params, version }
    }
}

struct BothSink(RefCell<(Scanner, Collector)>);

impl TokenSink for BothSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut both = self.0.borrow_mut();
        let _ = both.1.token(&token);
        both.0.token(&token)
    }
}

/// One tokenizer pass feeding both the metadata scan and the blocks.
fn scan_and_collect(html: &str) -> (Scan, Page) {
    let sink = BothSink(RefCell::new((Scanner::default(), Collector::default())));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let (scanner, collector) = tokenizer.sink.0.into_inner();
    (scanner.finish(), collector.finish())
}

impl Extractor for BlocksExtractor {
    fn component(&self) -> Component {
        let backend = BlocksBackend::default();
        Component::new(
            "extract-html",
            &format!("{}+{}", self.version, backend.name()),
        )
    }

    fn extract_html(&self, html: &str, url: Option<&str>) -> Extraction {
        let (scanned, page) = scan_and_collect(html);
        let mut out = Extraction::default();
        metadata::fill(&mut out, &scanned, url);
        let body =
            catch_unwind(AssertUnwindSafe(|| select(&page, &self.params))).unwrap_or_default();
        out.text = if body.trim().is_empty() {
            scanned.paragraphs.join("\n\n")
        } else {
            body
        };
        out
    }

    fn extract_text(&self, text: &str, title_in_text: bool) -> Extraction {
        text::extract_text(text, title_in_text)
    }
}

/// A one-line-per-block description of a page's blocks with the chosen
/// ones marked, for tuning by eye.
pub fn debug_blocks(html: &str, params: &Params) -> String {
    let page = collect(html);
    let body = select(&page, params);
    let mut out = String::new();
    for b in &page.blocks {
        let n = &page.nodes[b.node as usize];
        let mark = if body.contains(b.text.as_str()) {
            '+'
        } else {
            ' '
        };
        let text: String = b.text.chars().take(90).collect();
        out.push_str(&format!(
            "{mark} n{:<5} {:?} c{} l{} p{} cum{:02x} | {}\n",
            b.node,
            b.kind,
            b.chars,
            b.link_chars,
            b.punct,
            n.cum,
            text.replace('\n', "⏎")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> String {
        BlocksBackend::default()
            .body(html, None)
            .unwrap_or_default()
    }

    const PARA: &str = "The council voted on Tuesday to approve the new budget, which \
        raises spending on schools and roads while cutting the administrative costs \
        that critics had called excessive.";

    #[test]
    fn realistic_page_comes_out_as_just_the_article() {
        let html = format!(
            r##"<!doctype html><html lang="en"><head><title>Budget passes | Daily</title>
            <style>p {{ color: red }}</style><script>var x = "<p>nope</p>";</script></head>
            <body class="single-post">
            <header class="site-header"><a href="/">Daily</a>
              <nav class="main-nav"><ul><li><a href="/news">News</a></li>
              <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
            </header>
            <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
            <div class="page">
              <div class="article-body">
                <h1>Council passes budget</h1>
                <p>{PARA}</p>
                <h2>What changes</h2>
                <p>Officials said the plan, debated for months, includes three parts:</p>
                <ul><li>More money for schools</li><li>Road repairs in every district</li></ul>
                <blockquote>"This is a budget for families," the mayor said, to applause.</blockquote>
                <div class="ad-slot">Advertisement</div>
                <p>{PARA} Opponents said they would keep fighting the measure next year.</p>
              </div>
              <aside class="sidebar"><h3>Most read</h3><ul>
                <li><a href="/1">A story about something else entirely, long title</a></li>
                <li><a href="/2">Another story about other things, with a long title</a></li></ul></aside>
              <div class="related-links"><h3>Related</h3>
                <p><a href="/3">Council election results are in for the whole region</a></p></div>
              <div id="comments"><h3>Comments</h3>
                <p>I think this budget is a disgrace, and I will vote them out next time, mark my words.</p></div>
            </div>
            <footer class="site-footer"><p>Copyright 2019 Daily News, all rights reserved, and more words here.</p></footer>
            </body></html>"##
        );
        let got = body(&html);
        let want = format!(
            "{PARA}\n\nWhat changes\n\nOfficials said the plan, debated for months, includes three parts:\n\n\
             More money for schools\n\nRoad repairs in every district\n\n\
             \"This is a budget for families,\" the mayor said, to applause.\n\n\
             {PARA} Opponents said they would keep fighting the measure next year."
        );
        assert_eq!(got, want);
    }

    #[test]
    fn article_element_is_found() {
        let html = format!(
            r#"<html><body><div id="top"><a href="/a">Home</a> | <a href="/b">World</a></div>
            <div class="teasers"><p><a href="/x">Teaser headline one that is fairly long</a></p>
            <p><a href="/y">Teaser headline two that is also quite long</a></p></div>
            <article><p>{PARA}</p><p>Second paragraph of the story, with a <a href="/z">link</a> inside it.</p></article>
            <div class="foot">About us. Contact. Jobs.</div></body></html>"#
        );
        assert_eq!(
            body(&html),
            format!("{PARA}\n\nSecond paragraph of the story, with a link inside it.")
        );
    }

    #[test]
    fn tables_render_one_line_per_row() {
        let html = format!(
            r#"<html><body><article><p>{PARA}</p>
            <table><tr><th>Item</th><th>2019</th></tr>
            <tr><td>Schools</td><td>$1.2m</td></tr><tr><td>Roads</td><td>$0.8m</td></tr></table>
            <p>{PARA}</p></article></body></html>"#
        );
        assert_eq!(
            body(&html),
            format!("{PARA}\n\nItem | 2019\n\nSchools | $1.2m\n\nRoads | $0.8m\n\n{PARA}")
        );
    }

    #[test]
    fn line_breaks_and_pre_keep_lines() {
        let html = format!(
            "<html><body><article><p>{PARA}<br>Second line<br/>third</p>\
             <pre>fn main() {{\n    x();\n}}</pre></article></body></html>"
        );
        let got = body(&html);
        assert!(
            got.contains(&format!("{PARA}\n\nSecond line\n\nthird")),
            "{got}"
        );
        assert!(got.contains("fn main() {\n\nx();\n\n}"), "{got}");
    }

    #[test]
    fn deep_nesting_is_linear_and_safe() {
        let depth = 100_000;
        let html = format!(
            "<html><body>{}<p>{PARA}</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert_eq!(body(&html), PARA);
        let messy = "<div><span><b/><td>".repeat(depth / 2) + PARA;
        assert!(body(&messy).ends_with("excessive."));
    }

    #[test]
    fn random_input_never_panics() {
        // A small deterministic generator (xorshift) over HTML-ish pieces.
        let pieces = [
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<a href=x>",
            "</a>",
            "<table>",
            "<tr>",
            "<td>",
            "</td>",
            "<li>",
            "<h2>",
            "</h2>",
            "<br>",
            "<pre>",
            "\n",
            "text ",
            "more words. ",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<",
            ">",
            "&amp;",
            "&#0;",
            "\u{0}",
            "é",
            "<div class='comment'>",
            "<article>",
            "</article>",
            "<svg><p/>",
            "</",
            "<x y='",
            "<style>",
            "<div hidden>",
            "<nav>",
            "日本語。",
            "<tr>",
            "</table>",
        ];
        let mut rng = dossier_core::SplitMix64::new(0x9e37_79b9_7f4a_7c15);
        let mut next = || rng.next_u64();
        for _ in 0..300 {
            let len = (next() % 200) as usize;
            let html: String = (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let _ = body(&html);
            let _ = debug_blocks(&html, &Params::default());
        }
        for s in [
            "",
            "<",
            "</",
            "<<>>",
            "<!--",
            "<script>",
            "\u{0}\u{feff}<p>",
            "&#xffffffff;",
        ] {
            let _ = body(s);
        }
    }

    #[test]
    fn extractor_fills_metadata_and_falls_back_to_flat_text() {
        let x = BlocksExtractor::new("0");
        let html = format!(
            "<html lang='en'><head><title>Budget passes</title></head>\
             <body><article><p>{PARA}</p></article></body></html>"
        );
        let e = x.extract_html(&html, None);
        assert_eq!(e.title.as_deref(), Some("Budget passes"));
        assert_eq!(e.language.as_deref(), Some("en"));
        assert_eq!(e.text, PARA);
        // Nothing long enough to be an article: the page's flat text.
        let e = x.extract_html("<div>Short note.</div>", None);
        assert_eq!(e.text, "Short note.");
        assert_eq!(x.component().version, "0+blocks-1");
    }

    #[test]
    fn params_parse() {
        let p = Params::parse("min_chars=10, keep_h1=1").expect("params");
        assert_eq!(p.min_chars, 10.0);
        assert!(p.keep_h1);
        assert!(Params::parse("nope=1").is_err());
        assert!(Params::parse("min_chars").is_err());
    }
}
