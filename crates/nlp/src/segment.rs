//! Paragraph and sentence segmentation.
//!
//! Paragraphs are what extraction emits: blocks separated by blank lines.
//! Sentences use a rule-based splitter tuned for news prose: it breaks after
//! `.`, `!`, `?` (and CJK `。！？`) followed by space and an upper-case letter,
//! digit or opening quote, except after known abbreviations ("Mr.", "Jan.",
//! "U.S.") and single initials ("J. Smith").

use dossier_core::{ByteToChar, Component, Layer, Span};

pub const PARAGRAPHS_COMPONENT: (&str, &str) = ("nlp-paragraphs", "1");
pub const SENTENCES_COMPONENT: (&str, &str) = ("nlp-sentences", "1");

/// Byte ranges of the paragraphs of `text`: maximal runs of non-blank lines.
pub(crate) fn paragraph_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push((s, end));
            }
        } else {
            let lead = content.len() - content.trim_start().len();
            start.get_or_insert(offset + lead);
            end = offset + content.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push((s, end));
    }
    out
}

pub fn paragraph_layer(text: &str) -> Layer {
    let mut conv = ByteToChar::new(text);
    let spans = paragraph_ranges(text)
        .into_iter()
        .map(|(s, e)| Span::new(conv.to_char(s), conv.to_char(e)))
        .collect();
    Layer {
        name: "paragraphs".into(),
        component: Component::new(PARAGRAPHS_COMPONENT.0, PARAGRAPHS_COMPONENT.1),
        spans,
    }
}

pub fn sentence_layer(text: &str) -> Layer {
    let mut conv = ByteToChar::new(text);
    let mut spans = Vec::new();
    for (ps, pe) in paragraph_ranges(text) {
        for (s, e) in sentence_ranges(&text[ps..pe]) {
            spans.push(Span::new(conv.to_char(ps + s), conv.to_char(ps + e)));
        }
    }
    Layer {
        name: "sentences".into(),
        component: Component::new(SENTENCES_COMPONENT.0, SENTENCES_COMPONENT.1),
        spans,
    }
}

/// Words that end with a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "rev", "hon", "pres", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "vs", "etc",
    "inc", "ltd", "corp", "co", "approx", "dept", "est", "fig", "mt", "ft", "gov't",
];

/// Abbreviations that only precede numbers: "No. 5", "Art. 12", "Vol. 3".
const NUMBER_ABBREVIATIONS: &[&str] = &["no", "nos", "art", "vol", "pp"];

fn ends_with_abbreviation(before: &str, next: char) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    let bare = word.trim_end_matches('.');
    if bare.is_empty() {
        return false;
    }
    // Initials and dotted acronyms: "J.", "U.S.", "a.m."
    if bare.split('.').all(|p| p.chars().count() == 1) {
        return true;
    }
    let lower = bare.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
        || (next.is_ascii_digit() && NUMBER_ABBREVIATIONS.contains(&lower.as_str()))
}

fn opens_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '\'' | '“' | '‘' | '«' | '(' | '[')
}

/// Byte ranges of sentences within one paragraph.
pub(crate) fn sentence_ranges(par: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = par.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let cjk_stop = matches!(c, '。' | '！' | '？');
        if matches!(c, '.' | '!' | '?') || cjk_stop {
            // Swallow closing punctuation: `."`, `?)`, `...`
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '.' | '!' | '?' | '"' | '\'' | '”' | '’' | '»' | ')'
                )
            {
                j += 1;
            }
            let end = chars.get(j).map_or(par.len(), |&(p, _)| p);
            let breaks = if cjk_stop {
                true
            } else {
                let followed = chars[j..].iter().position(|&(_, c)| !c.is_whitespace());
                match followed {
                    Some(k) if k > 0 => {
                        opens_sentence(chars[j + k].1)
                            && !(c == '.'
                                && ends_with_abbreviation(&par[start..pos], chars[j + k].1))
                    }
                    _ => false,
                }
            };
            if breaks {
                push_trimmed(par, start, end, &mut out);
                start = end;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(par, start, par.len(), &mut out);
    out
}

fn push_trimmed(par: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &par[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push((start + lead, start + lead + trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, layer: &Layer) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        layer
            .spans
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn paragraphs_are_blank_line_blocks() {
        let text = "  First para\nstill first.\n\n\nSecond – тест.\n";
        let layer = paragraph_layer(text);
        assert_eq!(
            texts(text, &layer),
            ["First para\nstill first.", "Second – тест."]
        );
    }

    #[test]
    fn sentences_respect_abbreviations_and_initials() {
        let text = "Mr. Smith met U.S. officials on Jan. 5 in Washington. J. Doe said \"No.\" Then he left! Did he? It was item No. 5.";
        let layer = sentence_layer(text);
        assert_eq!(
            texts(text, &layer),
            [
                "Mr. Smith met U.S. officials on Jan. 5 in Washington.",
                "J. Doe said \"No.\"",
                "Then he left!",
                "Did he?",
                "It was item No. 5."
            ]
        );
    }

    #[test]
    fn cjk_sentences_split_on_full_stops() {
        let text = "东京今天下雨。明天晴天！";
        assert_eq!(
            texts(text, &sentence_layer(text)),
            ["东京今天下雨。", "明天晴天！"]
        );
    }

    #[test]
    fn decimals_and_lowercase_continuations_do_not_split() {
        let text = "Growth was 3.5 percent. prices rose.";
        assert_eq!(texts(text, &sentence_layer(text)).len(), 1);
    }

    #[test]
    fn spans_fit_any_text() {
        for text in ["", "\n\n", "...", "a. B", "é. Ü? ", "“Quote.” Next"] {
            let n = text.chars().count();
            assert!(sentence_layer(text).spans_fit(n), "{text:?}");
            assert!(paragraph_layer(text).spans_fit(n), "{text:?}");
        }
    }
}
