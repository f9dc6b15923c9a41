//! Quotations and reported speech: who said what, with which cue.
//!
//! Three linear passes, no backtracking and no recursion:
//!
//! 1. **Quotation marks.** Each paragraph is scanned once for balanced pairs
//!    of `“ ”`, `„ “`, `« »`, `» «`, `‹ ›`, `‘ ’`, `「 」`, `『 』` and straight
//!    `"` / `'` (an apostrophe inside a word, "don’t", never opens or closes).
//!    A quote left open at the end of a paragraph continues when the next
//!    paragraph reopens with the same mark (the news convention for quotes
//!    running over several paragraphs); otherwise the opener is dropped and the
//!    rest of the paragraph is rescanned (at most three times a paragraph).
//! 2. **Items and units.** A tokenizer turns the text into words, single
//!    punctuation characters and whole quotations (one item each), and cuts
//!    them into sentence-like units at `.` `!` `?` outside quotations and at
//!    paragraph ends.
//! 3. **Attribution rules** per unit, around cue words ("said", "told",
//!    "according to", "warned", ...): `“…,” said X` / `“…,” X said`,
//!    `X said: “…”`, `X said (that) …`, `…, X said.`, `According to X, …`,
//!    `…, according to X.`, and a paragraph that is only a quotation after one
//!    ending in `X continued:`. Speakers are name sequences ("Florida Sen.
//!    Marco Rubio"), pronouns, "who" after a name, or short noun phrases ("the
//!    spokesman", "officials"). Pronouns, "who" and singular role descriptions
//!    resolve to the most recent named speaker (else the most recent
//!    two-word name) when there is one.
//!
//! Quotations of one or two words with no cue next to them are scare quotes
//! or titles (`so-called “reforms”`), not quotes. Content spans exclude the
//! quotation marks; indirect content starts after the cue (including a
//! complementizer "that") and ends before the sentence's final punctuation.

use dossier_core::{ByteToChar, Component, Layer, Span};

use crate::segment::paragraph_ranges;

pub const QUOTES_COMPONENT: (&str, &str) = ("nlp-quotes", "1");

/// How the content is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    /// Entirely inside quotation marks.
    Direct,
    /// Paraphrase, no quotation marks.
    Indirect,
    /// Paraphrase that contains a quotation.
    Mixed,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }
}

/// One quote, with byte offsets into the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Byte range of the content (quotation marks excluded).
    pub start: usize,
    pub end: usize,
    pub kind: QuoteKind,
    /// Byte range of the speaker mention as written.
    pub speaker: Option<(usize, usize)>,
    /// The name the mention refers to, when the mention is a pronoun or a
    /// description resolved to an earlier name.
    pub resolved: Option<String>,
    /// Byte range of the cue ("said", "according to", "told reporters").
    pub cue: Option<(usize, usize)>,
}

/// The `quotes` layer: one span per quote over its content, with `kind`,
/// `speaker` (resolved name or mention), `speaker_mention` (when resolved),
/// `speaker_start`/`speaker_end`, `cue`, `cue_start`/`cue_end`.
pub fn quotes_layer(text: &str) -> Layer {
    let quotes = find_quotes(text);
    // Convert all offsets in increasing order so ByteToChar stays linear.
    let mut offsets: Vec<usize> = Vec::with_capacity(quotes.len() * 6);
    for q in &quotes {
        offsets.extend([q.start, q.end]);
        if let Some((s, e)) = q.speaker {
            offsets.extend([s, e]);
        }
        if let Some((s, e)) = q.cue {
            offsets.extend([s, e]);
        }
    }
    offsets.sort_unstable();
    offsets.dedup();
    let mut conv = ByteToChar::new(text);
    let chars: Vec<usize> = offsets.iter().map(|&b| conv.to_char(b)).collect();
    let at = |b: usize| -> usize {
        offsets
            .binary_search(&b)
            .ok()
            .and_then(|i| chars.get(i).copied())
            .unwrap_or(0)
    };
    let slice = |(s, e): (usize, usize)| text.get(s..e).unwrap_or("");
    let spans = quotes
        .iter()
        .map(|q| {
            let mut span = Span::new(at(q.start), at(q.end)).with("kind", q.kind.as_str());
            if let Some(sp) = q.speaker {
                let mention = slice(sp);
                match &q.resolved {
                    Some(name) => {
                        span = span
                            .with("speaker", name.as_str())
                            .with("speaker_mention", mention)
                    }
                    None => span = span.with("speaker", mention),
                }
                span = span
                    .with("speaker_start", at(sp.0))
                    .with("speaker_end", at(sp.1));
            }
            if let Some(cue) = q.cue {
                span = span
                    .with("cue", slice(cue))
                    .with("cue_start", at(cue.0))
                    .with("cue_end", at(cue.1));
            }
            span
        })
        .collect();
    Layer {
        name: "quotes".into(),
        component: Component::new(QUOTES_COMPONENT.0, QUOTES_COMPONENT.1),
        spans,
    }
}

/// All quotes of `text`, in order of content start.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let paras = paragraph_ranges(text);
    let marks = find_marks(text, &paras);
    let items = tokenize(text, &paras, &marks);
    let mut analyzer = Analyzer {
        text,
        items: &items,
        marks: &marks,
        out: Vec::new(),
        last_speaker: None,
        last_name: None,
        pending: None,
        prev_unit_quote: None,
    };
    let mut start = 0;
    for i in 0..items.len() {
        let last = i + 1 == items.len();
        if last || items[i + 1].para != items[i].para || ends_unit(text, &items, &marks, i) {
            analyzer.unit(start, i + 1, last || items[i + 1].para != items[i].para);
            start = i + 1;
        }
    }
    let mut out = analyzer.out;
    out.sort_by_key(|q| (q.start, q.end));
    out.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    out
}

// ---------------------------------------------------------------------------
// Pass 1: quotation marks.

/// A balanced quotation: `open` is the opening mark's byte offset, content is
/// `cstart..cend`, the closing mark ends at `close_end`.
#[derive(Debug, Clone)]
struct Mark {
    open: usize,
    cstart: usize,
    cend: usize,
    close_end: usize,
    words: usize,
    /// The content's last non-space character (".", ",", "?"...).
    last: char,
}

fn is_opening_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '„' | '«' | '»' | '‹' | '‘' | '「' | '『' | '"' | '\''
    )
}

fn closes(open: char, c: char) -> bool {
    match open {
        '“' => c == '”',
        '„' => c == '“' || c == '”',
        '«' => c == '»',
        '»' => c == '«',
        '‹' => c == '›',
        '‘' => c == '’',
        '「' => c == '」',
        '『' => c == '』',
        '"' => c == '"',
        '\'' => c == '\'',
        _ => false,
    }
}

fn opens_here(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let prev_open = prev.is_none_or(|p| p.is_whitespace() || "([{—–-:/".contains(p));
    match c {
        '“' | '„' | '«' | '「' | '『' => next.is_some(),
        '»' | '‹' => prev_open && next.is_some_and(|n| !n.is_whitespace()),
        '"' => prev_open && next.is_some_and(|n| !n.is_whitespace()),
        '‘' | '\'' => {
            prev.is_none_or(|p| !p.is_alphanumeric())
                && next.is_some_and(|n| n.is_alphanumeric() || "“\"".contains(n))
        }
        _ => false,
    }
}

fn closes_here(open: char, c: char, prev: Option<char>, next: Option<char>) -> bool {
    if !closes(open, c) {
        return false;
    }
    match c {
        // An apostrophe inside a word ("don’t") is not a closing mark.
        '’' | '\'' => {
            prev.is_some_and(|p| !p.is_whitespace()) && next.is_none_or(|n| !n.is_alphanumeric())
        }
        _ => true,
    }
}

/// Scan `text[from..pe]` with `open` (opening char, its offset, content start)
/// possibly carried in. Returns the quote still open at `pe`.
fn scan_para(
    text: &str,
    from: usize,
    pe: usize,
    mut open: Option<(char, usize, usize)>,
    out: &mut Vec<(usize, usize, usize, usize)>,
) -> Option<(char, usize, usize)> {
    let seg = text.get(from..pe).unwrap_or("");
    let mut prev = text.get(..from).and_then(|s| s.chars().next_back());
    let mut it = seg.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next = it.peek().map(|&(_, n)| n);
        let pos = from + i;
        match open {
            Some((oc, op, cs)) => {
                if closes_here(oc, c, prev, next) {
                    out.push((op, cs, pos, pos + c.len_utf8()));
                    open = None;
                }
            }
            None => {
                if is_opening_mark(c) && opens_here(c, prev, next) {
                    open = Some((c, pos, pos + c.len_utf8()));
                }
            }
        }
        prev = Some(c);
    }
    open
}

fn find_marks(text: &str, paras: &[(usize, usize)]) -> Vec<Mark> {
    let mut raw: Vec<(usize, usize, usize, usize)> = Vec::new();
    // A quote carried over from the previous paragraph: (char, open, cstart).
    let mut carry: Option<(char, usize, usize)> = None;
    for (pi, &(ps, pe)) in paras.iter().enumerate() {
        let mut from = ps;
        let mut open = None;
        if let Some((oc, op, cs)) = carry.take() {
            // The previous paragraph ended inside a quote and this one reopens.
            let first = text.get(ps..pe).and_then(|s| s.chars().next());
            if first == Some(oc) {
                open = Some((oc, op, cs));
                from = ps + oc.len_utf8();
            }
        }
        let mut retries = 0;
        loop {
            let left = scan_para(text, from, pe, open, &mut raw);
            match left {
                None => break,
                Some((oc, op, cs)) => {
                    let reopens = paras
                        .get(pi + 1)
                        .and_then(|&(ns, ne)| text.get(ns..ne))
                        .and_then(|s| s.chars().next())
                        == Some(oc);
                    if reopens {
                        carry = Some((oc, op, cs));
                        break;
                    }
                    if op < ps {
                        // A multi-paragraph quote whose last paragraph does
                        // not close: it ends with this paragraph.
                        raw.push((op, cs, pe, pe));
                        break;
                    }
                    if retries >= 3 {
                        break;
                    }
                    retries += 1;
                    from = cs;
                    open = None;
                }
            }
        }
    }
    raw.sort_unstable();
    let mut marks: Vec<Mark> = Vec::with_capacity(raw.len());
    for (open, cstart, cend, close_end) in raw {
        if marks.last().is_some_and(|m| open < m.close_end) {
            continue;
        }
        let content = text.get(cstart..cend).unwrap_or("");
        let trimmed_start = cstart + (content.len() - content.trim_start().len());
        let trimmed_end = cstart + content.trim_end().len();
        if trimmed_end <= trimmed_start {
            continue;
        }
        let inner = text.get(trimmed_start..trimmed_end).unwrap_or("");
        let words = count_words(inner);
        if words == 0 {
            continue;
        }
        marks.push(Mark {
            open,
            cstart: trimmed_start,
            cend: trimmed_end,
            close_end,
            words,
            last: inner.chars().next_back().unwrap_or(' '),
        });
    }
    marks
}

fn count_words(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            n += 1;
        }
        in_word = w || (in_word && matches!(c, '\'' | '’' | '-'));
    }
    n
}

// ---------------------------------------------------------------------------
// Pass 2: items.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Punct(char),
    /// Index into the marks.
    Quote(usize),
}

#[derive(Debug, Clone)]
struct Item {
    s: usize,
    e: usize,
    kind: Kind,
    para: usize,
    /// Lower-cased word (empty for other items).
    lower: String,
}

fn tokenize(text: &str, paras: &[(usize, usize)], marks: &[Mark]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut mi = 0;
    for (pi, &(ps, pe)) in paras.iter().enumerate() {
        let mut pos = ps;
        while pos < pe {
            let Some(c) = text.get(pos..).and_then(|s| s.chars().next()) else {
                break;
            };
            while marks.get(mi).is_some_and(|m| m.open < pos) {
                mi += 1;
            }
            if let Some(m) = marks.get(mi).filter(|m| m.open == pos) {
                items.push(Item {
                    s: m.open,
                    e: m.close_end,
                    kind: Kind::Quote(mi),
                    para: pi,
                    lower: String::new(),
                });
                pos = m.close_end.max(pos + c.len_utf8());
                mi += 1;
                continue;
            }
            if c.is_whitespace() {
                pos += c.len_utf8();
                continue;
            }
            if c.is_alphanumeric() {
                let start = pos;
                let mut end = pos + c.len_utf8();
                let rest = text.get(end..pe).unwrap_or("");
                let mut it = rest.chars().peekable();
                while let Some(ch) = it.next() {
                    let joins = matches!(ch, '\'' | '’' | '-' | '.' | '&')
                        && it.peek().is_some_and(|n| n.is_alphanumeric())
                        && marks.get(mi).is_none_or(|m| m.open != end);
                    if !(ch.is_alphanumeric() || joins) {
                        break;
                    }
                    end += ch.len_utf8();
                }
                let word = text.get(start..end).unwrap_or("");
                items.push(Item {
                    s: start,
                    e: end,
                    kind: Kind::Word,
                    para: pi,
                    lower: word.to_lowercase(),
                });
                pos = end;
                continue;
            }
            items.push(Item {
                s: pos,
                e: pos + c.len_utf8(),
                kind: Kind::Punct(c),
                para: pi,
                lower: String::new(),
            });
            pos += c.len_utf8();
        }
    }
    items
}

/// Words that end with a period without ending a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "gen", "col", "lt",
    "sgt", "capt", "st", "jr", "sr", "rev", "hon", "pres", "adm", "maj", "cmdr", "supt", "det",
    "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "u.s",
    "inc", "co", "corp", "ltd", "d.c", "u.k", "u.n", "a.m", "p.m",
];

fn is_title_word(item: &Item) -> bool {
    item.kind == Kind::Word
        && (TITLES.contains(&item.lower.as_str())
            || item.lower.chars().count() == 1
            || item.lower.contains('.'))
}

/// Whether a unit (sentence) ends after item `i`.
fn ends_unit(text: &str, items: &[Item], marks: &[Mark], i: usize) -> bool {
    let c = match items[i].kind {
        Kind::Punct(c) => c,
        // “… the end.” He then left. (but “… the end?” he asked.)
        Kind::Quote(m) => {
            let Some(last) = marks.get(m).map(|m| m.last) else {
                return false;
            };
            let Some(next) = items.get(i + 1) else {
                return false;
            };
            let capital = next.kind == Kind::Word
                && text
                    .get(next.s..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(|f| f.is_uppercase());
            let cue_follows = items[i + 1..]
                .iter()
                .take(5)
                .take_while(|it| it.kind == Kind::Word || it.kind == Kind::Punct('.'))
                .any(|it| CUES.contains(&it.lower.as_str()));
            return capital && (last == '.' || matches!(last, '!' | '?')) && !cue_follows;
        }
        Kind::Word => return false,
    };
    if !matches!(c, '.' | '!' | '?' | ';') {
        return false;
    }
    let Some(next) = items.get(i + 1) else {
        return true;
    };
    // Closing brackets stay with the sentence; the break comes after them.
    if matches!(next.kind, Kind::Punct('.' | '!' | '?' | ')')) {
        return false;
    }
    if c == '.'
        && items
            .get(i.wrapping_sub(1))
            .is_some_and(|p| p.e == items[i].s && is_title_word(p))
    {
        return false;
    }
    let first = text.get(next.s..).and_then(|s| s.chars().next());
    match next.kind {
        Kind::Quote(_) => true,
        _ => first.is_some_and(|f| f.is_uppercase() || f.is_numeric() || f == '('),
    }
}

// ---------------------------------------------------------------------------
// Pass 3: attribution.

/// Verbs that introduce speech or thought before or after their content.
const CUES: &[&str] = &[
    "say",
    "says",
    "said",
    "saying",
    "add",
    "adds",
    "added",
    "adding",
    "note",
    "notes",
    "noted",
    "noting",
    "warn",
    "warns",
    "warned",
    "claim",
    "claims",
    "claimed",
    "claiming",
    "deny",
    "denies",
    "denied",
    "denying",
    "announce",
    "announces",
    "announced",
    "announcing",
    "argue",
    "argues",
    "argued",
    "arguing",
    "explain",
    "explains",
    "explained",
    "explaining",
    "insist",
    "insists",
    "insisted",
    "insisting",
    "stress",
    "stresses",
    "stressed",
    "suggest",
    "suggests",
    "suggested",
    "suggesting",
    "acknowledge",
    "acknowledges",
    "acknowledged",
    "admit",
    "admits",
    "admitted",
    "write",
    "writes",
    "wrote",
    "tweet",
    "tweets",
    "tweeted",
    "tweeting",
    "report",
    "reports",
    "reported",
    "stated",
    "declare",
    "declares",
    "declared",
    "assert",
    "asserts",
    "asserted",
    "contend",
    "contends",
    "contended",
    "predict",
    "predicts",
    "predicted",
    "replied",
    "replies",
    "responded",
    "recall",
    "recalls",
    "recalled",
    "conclude",
    "concludes",
    "concluded",
    "confirm",
    "confirms",
    "confirmed",
    "concede",
    "concedes",
    "conceded",
    "emphasize",
    "emphasizes",
    "emphasized",
    "emphasised",
    "complain",
    "complains",
    "complained",
    "allege",
    "alleges",
    "alleged",
    "observed",
    "remarked",
    "testified",
    "vowed",
    "promised",
    "pledged",
    "boasted",
    "countered",
    "cautioned",
    "believe",
    "believes",
    "believed",
    "think",
    "thinks",
    "maintained",
    "maintains",
    "agreed",
    "agrees",
    "charged",
    "contended",
    "reiterated",
    "indicated",
    "hinted",
    "revealed",
    "disclosed",
    "estimated",
    "estimates",
    "predicts",
    "shows",
    "showed",
    "found",
    "finds",
    "suggest",
    "told",
    "tells",
    "tell",
    "telling",
    "informed",
    "assured",
    "reminded",
    "asked",
    "asks",
    "continued",
    "continues",
    "quipped",
    "joked",
    "shouted",
    "yelled",
    "exclaimed",
    "wondered",
    "mused",
    "recounted",
    "explains",
    "posted",
    "pointed",
    "retorted",
    "conceded",
    "acknowledged",
];

/// Participles that open a second attribution after a comma ("…, adding").
const PARTICIPLES: &[&str] = &[
    "saying",
    "adding",
    "noting",
    "telling",
    "arguing",
    "calling",
    "citing",
    "referring",
    "explaining",
    "insisting",
    "warning",
    "claiming",
    "suggesting",
    "stressing",
    "writing",
    "asking",
    "acknowledging",
    "denying",
    "declaring",
];

/// Cues that take an object before their content ("told reporters that").
const TELL: &[&str] = &[
    "told", "tells", "tell", "telling", "informed", "assured", "reminded", "asked", "asks",
];

/// Cues that only attribute an adjacent quotation, never a clause after them.
const AFTER_ONLY: &[&str] = &[
    "continued",
    "continues",
    "quipped",
    "joked",
    "shouted",
    "yelled",
    "exclaimed",
    "wondered",
    "mused",
    "asked",
    "asks",
    "retorted",
];

/// Words that may stand between a speaker and the cue ("he also said").
const AUX: &[&str] = &[
    "also",
    "has",
    "have",
    "had",
    "later",
    "previously",
    "then",
    "recently",
    "once",
    "repeatedly",
    "publicly",
    "privately",
    "again",
    "reportedly",
    "would",
    "will",
    "could",
    "might",
    "may",
    "often",
    "frequently",
    "earlier",
    "subsequently",
    "separately",
    "initially",
    "first",
    "further",
    "simply",
    "flatly",
    "already",
    "still",
    "even",
    "long",
    "famously",
    "told",
    "openly",
    "quickly",
    "since",
    "just",
    "ultimately",
    "finally",
    "yet",
    "now",
    "correctly",
    "falsely",
    "wrongly",
    "rightly",
    "explicitly",
    "specifically",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "i", "we", "you", "it", "who"];

/// Determiners that open a speaker noun phrase ("the spokesman").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "one", "another", "some",
    "many", "most", "several", "two", "three", "four", "five", "other", "both", "all", "these",
    "those", "this", "that", "no", "few", "more", "top", "senior",
];

/// Singular role nouns: "the spokesman said" resolves to the last named speaker.
const ROLES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "senator",
    "candidate",
    "nominee",
    "president",
    "governor",
    "congressman",
    "congresswoman",
    "lawmaker",
    "minister",
    "official",
    "aide",
    "adviser",
    "advisor",
    "chairman",
    "chairwoman",
    "director",
    "secretary",
    "leader",
    "mayor",
    "businessman",
    "billionaire",
    "democrat",
    "republican",
    "former",
    "ambassador",
    "speaker",
];

/// Capitalised words that start a sentence without being names.
const CAP_STOP: &[&str] = &[
    "the",
    "then",
    "but",
    "and",
    "however",
    "later",
    "also",
    "meanwhile",
    "still",
    "so",
    "now",
    "yet",
    "in",
    "on",
    "at",
    "when",
    "while",
    "after",
    "before",
    "as",
    "if",
    "this",
    "that",
    "it",
    "there",
    "for",
    "of",
    "to",
    "by",
    "with",
    "from",
    "during",
    "since",
    "though",
    "although",
    "because",
    "instead",
    "indeed",
    "yes",
    "no",
    "or",
    "nor",
    "asked",
    "speaking",
    "earlier",
    "last",
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "a",
    "an",
    "his",
    "her",
    "their",
    "our",
    "we",
    "i",
    "he",
    "she",
    "they",
    "you",
    "what",
    "who",
    "why",
    "how",
    "where",
    "said",
    "says",
    "according",
    "both",
    "all",
];

/// Words that may stand between a cue and its content without being content.
const ADJUNCT: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
    "recently",
    "earlier",
    "later",
    "previously",
    "again",
    "also",
    "repeatedly",
    "publicly",
    "privately",
    "then",
    "flatly",
    "once",
    "often",
];

/// Time nouns after "last" / "this" / "on" ("said last week").
const TIME_NOUNS: &[&str] = &[
    "week",
    "month",
    "year",
    "weekend",
    "night",
    "morning",
    "afternoon",
    "evening",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "fall",
    "spring",
    "summer",
    "winter",
];

/// Connectors allowed inside a name sequence ("Secretary of State John Kerry").
const NAME_JOIN: &[&str] = &[
    "of", "for", "de", "van", "von", "bin", "al", "la", "le", "du", "da", "del", "dos", "der",
    "’s", "'s",
];

const MAX_SPEAKER_WORDS: usize = 8;

struct Analyzer<'a> {
    text: &'a str,
    items: &'a [Item],
    marks: &'a [Mark],
    out: Vec<Quote>,
    /// The most recent named speaker: (name, paragraph).
    last_speaker: Option<(String, usize)>,
    /// The most recent two-or-more-word name in the text.
    last_name: Option<String>,
    /// A cue and speaker that ended a unit with ':' waiting for a quotation:
    /// (speaker, resolved, cue).
    pending: Option<Pending>,
    /// The speaker of the last direct quote in this paragraph (for a quote
    /// that follows with no cue of its own).
    prev_unit_quote: Option<(Pending, usize)>,
}

#[derive(Clone)]
struct Pending {
    speaker: Option<(usize, usize)>,
    resolved: Option<String>,
    cue: Option<(usize, usize)>,
}

/// A cue found in a unit: items `a..b`.
#[derive(Clone, Copy)]
struct Cue {
    a: usize,
    b: usize,
    according: bool,
}

impl<'a> Analyzer<'a> {
    fn word(&self, i: usize) -> Option<&str> {
        self.items
            .get(i)
            .filter(|it| it.kind == Kind::Word)
            .map(|it| it.lower.as_str())
    }

    fn is_punct(&self, i: usize, c: char) -> bool {
        self.items
            .get(i)
            .is_some_and(|it| it.kind == Kind::Punct(c))
    }

    fn cap(&self, i: usize) -> bool {
        self.items.get(i).is_some_and(|it| {
            it.kind == Kind::Word
                && self
                    .text
                    .get(it.s..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(|c| c.is_uppercase())
        })
    }

    fn quote_at(&self, i: usize) -> Option<&'a Mark> {
        match self.items.get(i)?.kind {
            Kind::Quote(m) => self.marks.get(m),
            _ => None,
        }
    }

    /// A quotation long enough to be a quote on its own (not a scare quote).
    fn real_quote(&self, i: usize) -> bool {
        self.quote_at(i).is_some_and(|m| m.words >= 3)
    }

    fn slice(&self, s: usize, e: usize) -> &'a str {
        self.text.get(s..e).unwrap_or("")
    }

    /// Analyse the unit of items `lo..hi`.
    fn unit(&mut self, lo: usize, hi: usize, para_end: bool) {
        let para = self.items[lo].para;
        if self
            .prev_unit_quote
            .as_ref()
            .is_some_and(|(_, p)| *p + 1 < para)
        {
            self.prev_unit_quote = None;
        }
        // A unit that ends in "..., Cruz continued:" hands its speaker on.
        let pending = self.pending.take();
        let mut hi_eff = hi;
        while hi_eff > lo
            && matches!(
                self.items[hi_eff - 1].kind,
                Kind::Punct('.' | '!' | '?' | ';')
            )
        {
            hi_eff -= 1;
        }
        let cues = self.cues(lo, hi_eff);
        let mut claimed: Vec<(usize, usize)> = Vec::new(); // item ranges used
        let before = self.out.len();
        for cue in cues {
            if claimed.iter().any(|&(a, b)| cue.a >= a && cue.a < b) {
                continue;
            }
            // Content already attributed is no content (or speaker) for a
            // later cue.
            let floor = claimed
                .iter()
                .filter(|r| r.1 <= cue.a)
                .map(|r| r.1)
                .max()
                .unwrap_or(lo);
            if let Some(range) = self.attribute(floor, hi_eff, cue) {
                claimed.push(range);
            }
        }
        // Quotations no cue claimed.
        for i in lo..hi_eff {
            let Some(m) = self.quote_at(i) else { continue };
            if claimed.iter().any(|&(a, b)| i >= a && i < b) {
                continue;
            }
            let alone = i == lo && hi_eff <= i + 1;
            let from = if alone {
                pending.clone().or_else(|| {
                    self.prev_unit_quote.as_ref().map(|(p, _)| Pending {
                        cue: None,
                        ..p.clone()
                    })
                })
            } else if i == lo {
                self.prev_unit_quote
                    .as_ref()
                    .filter(|(_, p)| *p == para)
                    .map(|(p, _)| Pending {
                        cue: None,
                        ..p.clone()
                    })
            } else {
                None
            };
            if m.words < 4 && from.as_ref().is_none_or(|p| p.cue.is_none()) {
                continue;
            }
            let p = from.unwrap_or(Pending {
                speaker: None,
                resolved: None,
                cue: None,
            });
            self.out.push(Quote {
                start: m.cstart,
                end: m.cend,
                kind: QuoteKind::Direct,
                speaker: p.speaker,
                resolved: p.resolved,
                cue: p.cue,
            });
        }
        // Remember the unit's speaker for the next quotation-only unit.
        if let Some(q) = self.out[before..]
            .iter()
            .rev()
            .find(|q| q.kind == QuoteKind::Direct && q.speaker.is_some())
        {
            self.prev_unit_quote = Some((
                Pending {
                    speaker: q.speaker,
                    resolved: q.resolved.clone(),
                    cue: q.cue,
                },
                para,
            ));
        }
        self.note_names(lo, hi);
        // "X said:" at the end of a unit with nothing after it.
        if self.is_punct(hi - 1, ':') || (para_end && self.is_punct(hi - 1, ',')) {
            let cues = self.cues(lo, hi - 1);
            if let Some(cue) = cues.last().copied() {
                if cue.b + 3 >= hi {
                    if let Some((sp, resolved)) = self.speaker_before(lo, cue.a) {
                        self.pending = Some(Pending {
                            speaker: Some(sp),
                            resolved,
                            cue: Some(self.cue_bytes(cue, hi - 1)),
                        });
                    }
                }
            }
        }
    }

    /// Cue words in `lo..hi`, as item ranges.
    fn cues(&self, lo: usize, hi: usize) -> Vec<Cue> {
        let mut out = Vec::new();
        let mut i = lo;
        while i < hi {
            let Some(w) = self.word(i) else {
                i += 1;
                continue;
            };
            if w == "according" && self.word(i + 1) == Some("to") && i + 1 < hi {
                out.push(Cue {
                    a: i,
                    b: i + 2,
                    according: true,
                });
                i += 2;
                continue;
            }
            if CUES.contains(&w) && !self.cap_noun_use(i, lo) {
                let mut b = i + 1;
                if w == "pointed" {
                    if self.word(b) != Some("out") {
                        i += 1;
                        continue;
                    }
                    b += 1;
                }
                // "said in a statement", "wrote in an op-ed"
                if self.word(b) == Some("in")
                    && matches!(self.word(b + 1), Some("a" | "an" | "the" | "his" | "her"))
                    && b + 2 < hi
                    && self.items[b + 2].kind == Kind::Word
                {
                    b += 3;
                }
                out.push(Cue {
                    a: i,
                    b,
                    according: false,
                });
                i = b;
                continue;
            }
            i += 1;
        }
        out
    }

    /// "Says" in a title ("Trump Says ...") or a noun use ("the reports") is
    /// no cue.
    fn cap_noun_use(&self, i: usize, lo: usize) -> bool {
        let w = self.word(i).unwrap_or("");
        if matches!(
            w,
            "reports" | "report" | "tweets" | "tweet" | "claims" | "claim" | "finds"
        ) && i > lo
            && self
                .word(i - 1)
                .is_some_and(|p| DETERMINERS.contains(&p) || p.ends_with("’s") || p.ends_with("'s"))
        {
            return true;
        }
        // A verb directly after a preposition or determiner is a noun.
        i > lo && matches!(self.word(i - 1), Some("the" | "a" | "an" | "to" | "of"))
    }

    /// Byte range of a cue, with the object of "told reporters" when it is a
    /// single word directly before a content opener.
    fn cue_bytes(&self, cue: Cue, hi: usize) -> (usize, usize) {
        let s = self.items[cue.a].s;
        let mut e = self.items[cue.b - 1].e;
        if !cue.according
            && self.word(cue.a).is_some_and(|w| TELL.contains(&w))
            && cue.b < hi
            && self.items[cue.b].kind == Kind::Word
            && !DETERMINERS.contains(&self.items[cue.b].lower.as_str())
            && !PRONOUNS.contains(&self.items[cue.b].lower.as_str())
        {
            e = self.items[cue.b].e;
        }
        (s, e)
    }

    /// Tries each rule for one cue; on success records quotes and returns the
    /// item range they claim.
    fn attribute(&mut self, lo: usize, hi: usize, cue: Cue) -> Option<(usize, usize)> {
        if cue.according {
            return self.according(lo, hi, cue);
        }
        let w = self.word(cue.a).unwrap_or("").to_owned();
        let cue_b = self.cue_bytes(cue, hi);
        // Speaker after the cue: “…,” said Smith / …, said Smith.
        let inverted = cue.a > lo
            && (self.is_punct(cue.a - 1, ',') || self.quote_at(cue.a - 1).is_some())
            && !self
                .word(cue.b)
                .is_some_and(|w| PRONOUNS.contains(&w) && w != "he" && w != "she");
        let (speaker, resolved, sp_lo, after_end) = if inverted {
            let after = self.speaker_after(cue.b, hi).filter(|&(_, _, end)| {
                end >= hi
                    || matches!(
                        self.items[end].kind,
                        Kind::Punct(',' | '(' | '—' | '–' | ':') | Kind::Quote(_)
                    )
                    || self
                        .word(end)
                        .is_some_and(|w| w == "in" || ADJUNCT.contains(&w))
            });
            match after {
                Some((sp, res, end)) => (sp, res, cue.a, end),
                None => {
                    let (sp, res) = self.speaker_before(lo, cue.a)?;
                    let first = self.item_at(sp.0, lo, cue.a);
                    (sp, res, first, cue.b)
                }
            }
        } else {
            let (sp, res) = self.speaker_before(lo, cue.a)?;
            let first = self.item_at(sp.0, lo, cue.a);
            (sp, res, first, cue.b)
        };
        // Pattern 1: quotation directly before the attribution.
        let mut q = sp_lo;
        if q > lo && self.is_punct(q - 1, ',') {
            q -= 1;
        }
        if q > lo {
            if let Some(m) = self.quote_at(q - 1) {
                let attached = !matches!(m.last, '.') || q == sp_lo;
                if attached && (m.words >= 3 || q - 1 == lo) {
                    let qi = q - 1;
                    self.push(
                        m.cstart,
                        m.cend,
                        QuoteKind::Direct,
                        speaker,
                        &resolved,
                        cue_b,
                    );
                    let mut end = after_end;
                    // “…,” he said, “…”
                    let mut k = end;
                    while k < hi && matches!(self.items[k].kind, Kind::Punct(',' | ':' | '—' | '–'))
                    {
                        k += 1;
                    }
                    if let Some(m2) = self.quote_at(k) {
                        if k > end
                            || matches!(self.items.get(end).map(|i| i.kind), Some(Kind::Quote(_)))
                        {
                            self.push(
                                m2.cstart,
                                m2.cend,
                                QuoteKind::Direct,
                                speaker,
                                &resolved,
                                cue_b,
                            );
                            end = k + 1;
                        }
                    }
                    return Some((qi.min(sp_lo), end.max(cue.b)));
                }
            }
        }
        // Pattern 2: "…, X said." at the end of the unit.
        if q > lo
            && self.is_punct(q, ',')
            && self.only_adjuncts(after_end, hi)
            && !AFTER_ONLY.contains(&w.as_str())
        {
            let start = self.content_start(lo, q);
            if start < q && self.words_in(start, q) >= 3 {
                let kind = self.kind_of(start, q);
                let (s, e) = self.bytes(start, q);
                self.push(s, e, kind, speaker, &resolved, cue_b);
                return Some((start, hi));
            }
        }
        if AFTER_ONLY.contains(&w.as_str()) && !TELL.contains(&w.as_str()) {
            // Only "X yelled: “…”".
            let mut k = cue.b;
            while k < hi && matches!(self.items[k].kind, Kind::Punct(':' | ',')) {
                k += 1;
            }
            let m = self.quote_at(k)?;
            self.push(
                m.cstart,
                m.cend,
                QuoteKind::Direct,
                speaker,
                &resolved,
                cue_b,
            );
            return Some((sp_lo.min(cue.a), k + 1));
        }
        // Pattern 3: X said (that) … / X said: “…”
        let mut c = cue.b;
        if TELL.contains(&w.as_str()) {
            // Skip the object up to "that" or a colon.
            let mut k = c;
            let mut found = None;
            while k < hi && k < c + 8 {
                if self.word(k) == Some("that") || self.is_punct(k, ':') {
                    found = Some(k);
                    break;
                }
                if matches!(self.items[k].kind, Kind::Quote(_))
                    && k > c
                    && self.is_punct(k - 1, ',')
                {
                    found = Some(k - 1);
                    break;
                }
                k += 1;
            }
            c = found?;
            if self.word(c) != Some("that") {
                c += 1;
            }
        } else {
            // Adjuncts: "said on Tuesday", "said Tuesday".
            c = self.skip_adjuncts(c, hi);
        }
        while c < hi && matches!(self.items[c].kind, Kind::Punct(':' | ',' | '—' | '–')) {
            c += 1;
        }
        if c >= hi {
            return None;
        }
        // X said: “…” (the quotation with nothing but a mark between).
        if let Some(m) = self.quote_at(c) {
            let sep = c > cue.b && self.word(c - 1).is_none_or(|w| w != "that");
            if sep || c == cue.b {
                self.push(
                    m.cstart,
                    m.cend,
                    QuoteKind::Direct,
                    speaker,
                    &resolved,
                    cue_b,
                );
                return Some((sp_lo.min(cue.a), c + 1));
            }
        }
        // X said (that) …: the content is a clause of three words or more.
        let first = self.word(c);
        if first.is_some_and(|f| {
            matches!(
                f,
                "in" | "to"
                    | "of"
                    | "for"
                    | "about"
                    | "by"
                    | "with"
                    | "from"
                    | "at"
                    | "and"
                    | "or"
                    | "but"
                    | "so"
                    | "as"
                    | "during"
                    | "after"
                    | "before"
                    | "while"
                    | "when"
            )
        }) {
            return None;
        }
        let end = self.content_end(c, hi);
        if self.words_in(c, end) < 3 {
            return None;
        }
        let kind = self.kind_of(c, end);
        let (s, e) = self.bytes(c, end);
        self.push(s, e, kind, speaker, &resolved, cue_b);
        Some((sp_lo.min(cue.a), end))
    }

    /// Skips time adjuncts after a cue: "said Tuesday", "said on Monday",
    /// "said last week".
    fn skip_adjuncts(&self, mut c: usize, hi: usize) -> usize {
        for _ in 0..4 {
            if c >= hi {
                break;
            }
            match self.word(c) {
                Some(w) if ADJUNCT.contains(&w) => c += 1,
                Some("on" | "last" | "this" | "next")
                    if self.word(c + 1).is_some_and(|n| TIME_NOUNS.contains(&n)) =>
                {
                    c += 2
                }
                _ => break,
            }
        }
        c
    }

    /// "According to X, …" and "…, according to X."
    fn according(&mut self, lo: usize, hi: usize, cue: Cue) -> Option<(usize, usize)> {
        let (speaker, resolved, sp_end) = self.speaker_after(cue.b, hi)?;
        let cue_b = (self.items[cue.a].s, self.items[cue.b - 1].e);
        let head = self.content_start(lo, cue.a);
        if head == cue.a || (cue.a > lo && self.only_leading(lo, cue.a)) {
            // According to X, content.
            let mut c = sp_end;
            while c < hi && !self.is_punct(c, ',') && c < sp_end + 12 {
                c += 1;
            }
            c += 1;
            if c >= hi || self.words_in(c, hi) < 3 {
                return None;
            }
            let end = self.content_end(c, hi);
            let kind = self.kind_of(c, end);
            let (s, e) = self.bytes(c, end);
            self.push(s, e, kind, speaker, &resolved, cue_b);
            return Some((lo, hi));
        }
        // content, according to X.
        let mut q = cue.a;
        if self.is_punct(q - 1, ',') {
            q -= 1;
        }
        let start = head;
        if start < q && self.words_in(start, q) >= 3 {
            let kind = self.kind_of(start, q);
            let (s, e) = self.bytes(start, q);
            self.push(s, e, kind, speaker, &resolved, cue_b);
            return Some((start, hi));
        }
        None
    }

    /// Whether `lo..i` holds only a conjunction or adverb ("But according to").
    fn only_leading(&self, lo: usize, i: usize) -> bool {
        i - lo <= 2
            && (lo..i).all(|k| {
                self.word(k).is_some_and(|w| {
                    matches!(
                        w,
                        "but" | "and" | "yet" | "still" | "also" | "however" | "so"
                    )
                }) || self.is_punct(k, ',')
            })
    }

    fn push(
        &mut self,
        s: usize,
        e: usize,
        kind: QuoteKind,
        speaker: (usize, usize),
        resolved: &Option<String>,
        cue: (usize, usize),
    ) {
        if e <= s {
            return;
        }
        self.out.push(Quote {
            start: s,
            end: e,
            kind,
            speaker: Some(speaker),
            resolved: resolved.clone(),
            cue: Some(cue),
        });
    }

    /// The item index holding byte `b` within `lo..hi`.
    fn item_at(&self, b: usize, lo: usize, hi: usize) -> usize {
        (lo..hi).find(|&k| self.items[k].s >= b).unwrap_or(hi)
    }

    /// Where content that runs up to item `q` starts: after the last clause
    /// opener before it is not needed; the unit start, past leading commas.
    fn content_start(&self, lo: usize, q: usize) -> usize {
        let mut s = lo;
        while s < q && matches!(self.items[s].kind, Kind::Punct(_)) {
            s += 1;
        }
        s
    }

    /// The end of content starting at `c`: the unit's end, or an earlier
    /// ", he said" / ", according to" that attributes a later part.
    fn content_end(&self, c: usize, hi: usize) -> usize {
        let mut end = hi;
        // A subordinate clause: "While X said that …, he …".
        let subordinate = (c.saturating_sub(12)..c).any(|k| {
            k + 1 < self.items.len()
                && (k == 0
                    || self.items[k - 1].para != self.items[k].para
                    || self.is_punct(k - 1, '.'))
                && self.word(k).is_some_and(|w| {
                    matches!(
                        w,
                        "while"
                            | "although"
                            | "though"
                            | "when"
                            | "as"
                            | "if"
                            | "because"
                            | "since"
                            | "after"
                            | "before"
                            | "whereas"
                    )
                })
        });
        for k in c + 1..hi {
            let stop = match self.items[k].kind {
                Kind::Punct(';') => true,
                Kind::Punct(',') => {
                    subordinate
                        || self.word(k + 1).is_some_and(|w| {
                            PARTICIPLES.contains(&w)
                                || (w == "according" && self.word(k + 2) == Some("to"))
                        })
                        || (self.word(k + 1).is_some_and(|w| PRONOUNS.contains(&w))
                            && self.word(k + 2).is_some_and(|w| CUES.contains(&w)))
                }
                _ => false,
            };
            if stop {
                end = k;
                break;
            }
        }
        while end > c
            && matches!(
                self.items[end - 1].kind,
                Kind::Punct(',' | ':' | '—' | '–' | ')')
            )
        {
            end -= 1;
        }
        end
    }

    fn only_adjuncts(&self, from: usize, hi: usize) -> bool {
        if from >= hi {
            return true;
        }
        let n = hi - from;
        if n > 12 {
            return false;
        }
        // ", a spokesman for the campaign" or "in a statement on Tuesday".
        !(from..hi).any(|k| {
            self.quote_at(k).is_some()
                || self
                    .word(k)
                    .is_some_and(|w| w == "that" || CUES.contains(&w))
        })
    }

    fn words_in(&self, lo: usize, hi: usize) -> usize {
        (lo..hi)
            .map(|k| match self.items[k].kind {
                Kind::Word => 1,
                Kind::Quote(m) => self.marks.get(m).map_or(0, |m| m.words),
                Kind::Punct(_) => 0,
            })
            .sum()
    }

    fn kind_of(&self, lo: usize, hi: usize) -> QuoteKind {
        if hi == lo + 1 && self.quote_at(lo).is_some() {
            QuoteKind::Direct
        } else if (lo..hi).any(|k| self.real_quote(k)) {
            QuoteKind::Mixed
        } else {
            QuoteKind::Indirect
        }
    }

    /// Byte range of items `lo..hi`; a single quotation gives its content.
    fn bytes(&self, lo: usize, hi: usize) -> (usize, usize) {
        if hi == lo + 1 {
            if let Some(m) = self.quote_at(lo) {
                return (m.cstart, m.cend);
            }
        }
        (self.items[lo].s, self.items[hi - 1].e)
    }

    /// The speaker noun phrase ending just before the cue at item `cue`.
    fn speaker_before(&self, lo: usize, cue: usize) -> Option<((usize, usize), Option<String>)> {
        let mut j = cue;
        while j > lo && self.word(j - 1).is_some_and(|w| AUX.contains(&w)) && j + 3 > cue {
            j -= 1;
        }
        if j == lo {
            return None;
        }
        let end = j - 1;
        // Appositive: "Smith, a spokesman for X, said".
        if self.is_punct(end, ',') {
            let mut k = end;
            let stop = end.saturating_sub(14).max(lo);
            while k > stop {
                k -= 1;
                if self.is_punct(k, ',') && k > lo {
                    if let Some(sp) = self.name_before(lo, k) {
                        return Some((sp, None));
                    }
                    break;
                }
                if matches!(self.items[k].kind, Kind::Quote(_)) {
                    break;
                }
            }
            return None;
        }
        let w = self.word(end)?;
        let it = &self.items[end];
        if PRONOUNS.contains(&w) {
            let resolved = match w {
                "he" | "she" => self.antecedent(),
                "who" if end >= lo + 2 && self.is_punct(end - 1, ',') => self
                    .name_before(lo, end - 1)
                    .map(|(s, e)| self.slice(s, e).to_owned()),
                _ => None,
            };
            return Some(((it.s, it.e), resolved));
        }
        if self.cap(end) {
            return self.name_before(lo, end + 1).map(|sp| (sp, None));
        }
        // A lower-case noun phrase: "the spokesman", "officials".
        let mut k = end + 1;
        let mut det = None;
        while k > lo && end + 1 - k < 6 {
            k -= 1;
            let Some(w) = self.word(k) else {
                k += 1;
                break;
            };
            if DETERMINERS.contains(&w) {
                det = Some(k);
                break;
            }
            if CUES.contains(&w) && k != end {
                k += 1;
                break;
            }
        }
        let start = match det {
            Some(d) => d,
            None => {
                let bounded = k == lo || self.word(k.saturating_sub(1)).is_none();
                if !bounded || end + 1 - k > 3 {
                    // "the man who … officials said" is too far; take the last word
                    // only when it is a plural noun.
                    if w.ends_with('s') && !w.ends_with("ss") && k <= end {
                        end
                    } else {
                        return None;
                    }
                } else {
                    k
                }
            }
        };
        let sp = (self.items[start].s, it.e);
        let resolved = if det.is_some()
            && matches!(self.word(start), Some("the"))
            && end == start + 1
            && ROLES.contains(&w)
        {
            self.antecedent()
        } else {
            None
        };
        Some((sp, resolved))
    }

    /// A name sequence ending just before item `end`: capitalised words with
    /// titles, initials and connectors, plus a leading "the".
    fn name_before(&self, lo: usize, end: usize) -> Option<(usize, usize)> {
        let mut k = end;
        let mut first = None;
        let mut words = 0;
        while k > lo && words < MAX_SPEAKER_WORDS {
            let p = k - 1;
            if self.cap(p) {
                first = Some(p);
                words += 1;
                k = p;
                continue;
            }
            // "Sen." / "J." : a period after a title or an initial.
            if self.is_punct(p, '.')
                && p > lo
                && self.items[p - 1].e == self.items[p].s
                && is_title_word(&self.items[p - 1])
                && self.cap(p - 1)
            {
                k = p;
                continue;
            }
            if let Some(w) = self.word(p) {
                if first.is_some() && NAME_JOIN.contains(&w) && p > lo && self.cap(p - 1) {
                    k = p;
                    continue;
                }
                if first.is_some()
                    && ROLES.contains(&w)
                    && p > lo
                    && (self.cap(p - 1)
                        || self.word(p - 1).is_some_and(|w| DETERMINERS.contains(&w)))
                {
                    k = p;
                    continue;
                }
                if first.is_some() && w == "the" {
                    first = Some(p);
                }
            }
            break;
        }
        let mut first = first?;
        // Drop capitalised sentence openers ("Then Trump said").
        while first < end
            && self
                .word(first)
                .is_some_and(|w| CAP_STOP.contains(&w) && w != "the")
        {
            first += 1;
        }
        while first < end
            && self.word(first) == Some("the")
            && first + 1 < end
            && self.word(first + 1).is_some_and(|w| CAP_STOP.contains(&w))
        {
            first += 2;
        }
        if first >= end || matches!(self.items[first].kind, Kind::Punct(_)) {
            return None;
        }
        if self.items[first..end].iter().all(|it| it.lower == "the") {
            return None;
        }
        Some((self.items[first].s, self.items[end - 1].e))
    }

    /// The speaker after a cue: "said Smith, a spokesman" / "according to the
    /// poll". Returns the speaker, its resolution and the item after it.
    #[allow(clippy::type_complexity)]
    fn speaker_after(
        &self,
        from: usize,
        hi: usize,
    ) -> Option<((usize, usize), Option<String>, usize)> {
        let w = self.word(from)?;
        if PRONOUNS.contains(&w) {
            let resolved = if matches!(w, "he" | "she") {
                self.antecedent()
            } else {
                None
            };
            let it = &self.items[from];
            return Some(((it.s, it.e), resolved, from + 1));
        }
        let mut k = from;
        let mut last = None;
        while k < hi && k < from + MAX_SPEAKER_WORDS + 2 {
            match self.items[k].kind {
                Kind::Word => {
                    let w = self.items[k].lower.as_str();
                    if self.cap(k)
                        || (last.is_some() && (NAME_JOIN.contains(&w) || w == "the"))
                        || k == from
                        || (k > from
                            && k < from + 5
                            && !self.cap(from)
                            && !CUES.contains(&w)
                            && !matches!(w, "that" | "which" | "who" | "and" | "in" | "on" | "at"))
                    {
                        if self.cap(k) || !NAME_JOIN.contains(&w) {
                            last = Some(k);
                        }
                        k += 1;
                    } else {
                        break;
                    }
                }
                Kind::Punct('.') if k > from && is_title_word(&self.items[k - 1]) => k += 1,
                _ => break,
            }
        }
        let last = last?;
        let first = from;
        if self.word(first).is_some_and(|w| DETERMINERS.contains(&w)) && last == first {
            return None;
        }
        Some(((self.items[first].s, self.items[last].e), None, last + 1))
    }

    /// The name a pronoun or description most likely refers to.
    fn antecedent(&self) -> Option<String> {
        self.last_speaker
            .as_ref()
            .map(|(n, _)| n.clone())
            .or_else(|| self.last_name.clone())
    }

    /// Remembers names: speakers of this unit's quotes and two-word names.
    fn note_names(&mut self, lo: usize, hi: usize) {
        let para = self.items[lo].para;
        // Named speakers recorded in this unit.
        let mut best: Option<String> = None;
        for q in self.out.iter().rev() {
            let Some((s, e)) = q.speaker else { continue };
            if s < self.items[lo].s.min(q.start) {
                break;
            }
            let mention = self.slice(s, e);
            let first = mention.chars().next();
            let lower = mention.to_lowercase();
            if first.is_some_and(|c| c.is_uppercase())
                && !PRONOUNS.contains(&lower.as_str())
                && !lower.starts_with("the ")
            {
                best = Some(mention.to_owned());
                break;
            }
        }
        if let Some(name) = best {
            self.last_speaker = Some((name, para));
        } else if self
            .last_speaker
            .as_ref()
            .is_some_and(|(_, p)| para > p + 3)
        {
            self.last_speaker = None;
        }
        // Two-word capitalised sequences anywhere in the unit.
        let mut run = 0;
        let mut run_start = lo;
        for k in lo..=hi {
            let cap = k < hi && self.cap(k) && !self.word(k).is_some_and(|w| CAP_STOP.contains(&w));
            if cap {
                if run == 0 {
                    run_start = k;
                }
                run += 1;
            } else {
                if run >= 2 {
                    let s = self.items[run_start].s;
                    let e = self.items[k - 1].e;
                    self.last_name = Some(self.slice(s, e).to_owned());
                }
                run = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests;
