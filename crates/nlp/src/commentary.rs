//! Commentary: passages where an analyst or the outlet comments rather than
//! reports, so a briefing can say "reported" or "comment".
//!
//! Three kinds of evidence, strongest first:
//! - `marker`: an explicit marker opens the passage ("COMMENT>>", "Comment:",
//!   "[Comment: ...]", "Analysis:", "Editor's note:", "Our view:"); it runs to
//!   the closing `]` or `<<` when there is one, else to the paragraph's end;
//! - `section`: a short heading line such as "Analysis", "Comment", "Our
//!   view", "Why it matters", "What it means" makes the paragraphs after it
//!   commentary until the next heading-like line;
//! - `voice`: a sentence in the writer's own evaluative voice ("we believe",
//!   "in our view", "this suggests", "it remains to be seen") that attributes
//!   nothing to anyone (no quotation marks, no "said"/"according to").

use dossier_core::{ByteToChar, Component, Layer, Span};

pub const COMMENTARY_COMPONENT: (&str, &str) = ("nlp-commentary", "1");

/// Inline markers, matched case-insensitively at the start of a paragraph
/// or after `[`.
const MARKERS: &[&str] = &[
    "comment>>",
    "comment >>",
    "comment:",
    "comments:",
    "analysis:",
    "analyst comment:",
    "editor's note:",
    "editor’s note:",
    "editors' note:",
    "our view:",
    "our take:",
    "opinion:",
    "assessment:",
    "комментарий:",
    "мнение:",
    "анализ:",
    "kommentar:",
    "commentaire:",
    "comentario:",
];

/// Headings that open a commentary section.
const SECTION_HEADINGS: &[&str] = &[
    "comment",
    "commentary",
    "analysis",
    "our view",
    "our take",
    "opinion",
    "assessment",
    "outlook",
    "why it matters",
    "what it means",
    "what this means",
    "the bigger picture",
    "bottom line",
    "комментарий",
    "анализ",
];

/// Phrases of the writer's own evaluation.
const VOICE: &[&str] = &[
    "we believe",
    "we think",
    "we expect",
    "we suspect",
    "we doubt",
    "we see ",
    "in our view",
    "in our opinion",
    "our view is",
    "our reading",
    "this suggests",
    "this indicates",
    "this signals",
    "this shows that",
    "this means that",
    "it remains to be seen",
    "it seems likely",
    "it is likely that",
    "it is unlikely that",
    "arguably",
    "in our assessment",
    "we would argue",
    "we note that",
    "по нашему мнению",
    "на наш взгляд",
    "мы полагаем",
    "мы считаем",
];

/// Signs that a sentence reports someone else's words.
const ATTRIBUTION: &[&str] = &[
    "said",
    "says",
    "told",
    "according to",
    "stated",
    "announced",
    "заявил",
    "сообщил",
    "по словам",
];

pub fn commentary_layer(text: &str) -> Layer {
    let mut conv = ByteToChar::new(text);
    let mut spans = Vec::new();
    let mut in_section = false;
    for (start, end) in crate::segment::paragraph_ranges(text) {
        let para = &text[start..end];
        if let Some(heading) = section_heading(para) {
            in_section = heading;
            continue;
        }
        if in_section {
            spans.push(span(&mut conv, start, end, "section"));
            continue;
        }
        if let Some((s, e)) = marked(para) {
            spans.push(span(&mut conv, start + s, start + e, "marker"));
            continue;
        }
        for (s, e) in crate::segment::sentence_ranges(para) {
            if own_voice(&para[s..e]) {
                spans.push(span(&mut conv, start + s, start + e, "voice"));
            }
        }
    }
    Layer {
        name: "commentary".into(),
        component: Component::new(COMMENTARY_COMPONENT.0, COMMENTARY_COMPONENT.1),
        spans,
    }
}

fn span(conv: &mut ByteToChar, start: usize, end: usize, kind: &str) -> Span {
    Span::new(conv.to_char(start), conv.to_char(end)).with("kind", kind)
}

/// `Some(true)` for a commentary heading, `Some(false)` for another
/// heading-like line (which ends a section), `None` for prose.
fn section_heading(para: &str) -> Option<bool> {
    let line = para.trim().trim_end_matches([':', '.']).trim();
    let words = line.split_whitespace().count();
    if words == 0 || words > 6 || line.contains('\n') || line.ends_with(['?', '!']) {
        return None;
    }
    let lower = line.to_lowercase();
    if SECTION_HEADINGS.contains(&lower.as_str()) {
        return Some(true);
    }
    // A short capitalised line without a full stop reads as a heading.
    let headingish = !para.trim_end().ends_with('.')
        && line.chars().next().is_some_and(char::is_uppercase)
        && words <= 6;
    headingish.then_some(false)
}

/// The byte range of an explicitly marked comment within a paragraph.
fn marked(para: &str) -> Option<(usize, usize)> {
    let lower = para.to_lowercase();
    // Lower-casing can change byte lengths; only trust positions when it did not.
    if lower.len() != para.len() {
        return marked_prefix(para);
    }
    for marker in MARKERS {
        if let Some(at) = lower.find(marker) {
            let opened_by_bracket = at > 0 && lower[..at].trim_end().ends_with('[');
            let at_start = lower[..at].trim().is_empty();
            if !(at_start || opened_by_bracket) {
                continue;
            }
            let start = if opened_by_bracket {
                lower[..at].rfind('[').unwrap_or(at)
            } else {
                at
            };
            let end = if opened_by_bracket {
                lower[at..].find(']').map_or(para.len(), |i| at + i + 1)
            } else {
                lower[at..].find("<<").map_or(para.len(), |i| at + i + 2)
            };
            return Some((start, end));
        }
    }
    None
}

/// Markers at the very start of a paragraph, for text whose case mapping
/// changes byte lengths.
fn marked_prefix(para: &str) -> Option<(usize, usize)> {
    let trimmed = para.trim_start();
    let lead = para.len() - trimmed.len();
    MARKERS
        .iter()
        .any(|m| {
            trimmed
                .get(..m.len())
                .is_some_and(|p| p.to_lowercase() == *m)
        })
        .then_some((lead, para.len()))
}

fn own_voice(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    let quoted = sentence.contains(['"', '“', '”', '«', '»']);
    let attributed = ATTRIBUTION.iter().any(|a| contains_word(&lower, a));
    !quoted && !attributed && VOICE.iter().any(|v| lower.contains(v))
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, String)> {
        let chars: Vec<char> = text.chars().collect();
        commentary_layer(text)
            .spans
            .iter()
            .map(|s| {
                (
                    chars[s.start..s.end].iter().collect(),
                    s.fields["kind"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn explicit_markers_open_commentary() {
        let text = "The ministry raised the export duty to 10%.\n\n\
                    COMMENT>> The move will hurt small traders most. <<\n\n\
                    Prices rose in May [Comment: a seasonal effect, in our reading] across the region.";
        let found = kinds(text);
        assert_eq!(
            found[0],
            (
                "COMMENT>> The move will hurt small traders most. <<".into(),
                "marker".into()
            )
        );
        assert_eq!(found[1].0, "[Comment: a seasonal effect, in our reading]");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn an_analysis_section_runs_to_the_next_heading() {
        let text = "Tokayev met Putin in Moscow on Monday.\n\nAnalysis\n\n\
                    The meeting shows how far Astana still leans on Moscow.\n\n\
                    Both sides will test that balance.\n\nOther news\n\nOil output rose.";
        let found = kinds(text);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|(_, k)| k == "section"));
        assert!(!found.iter().any(|(t, _)| t.contains("Oil output")));
    }

    #[test]
    fn own_voice_counts_but_attributed_opinion_does_not() {
        let text = "We believe the tariff will be lifted by spring. \
                    The minister said he believed the tariff would stay. \
                    \"This suggests a deal,\" an aide told reporters.";
        let found = kinds(text);
        assert_eq!(
            found,
            vec![(
                "We believe the tariff will be lifted by spring.".into(),
                "voice".into()
            )]
        );
    }

    #[test]
    fn plain_reporting_is_not_commentary() {
        let text = "Parliament passed the budget on Friday by 72 votes to 20.\n\n\
                    The bill raises spending on schools by 8% and cuts fuel subsidies.";
        assert!(kinds(text).is_empty());
    }

    #[test]
    fn non_ascii_offsets_fit() {
        let text =
            "Президент подписал указ.\n\nКомментарий: это решение усилит контроль над ценами.";
        let layer = commentary_layer(text);
        assert!(layer.spans_fit(text.chars().count()));
        assert_eq!(
            kinds(text)[0].0,
            "Комментарий: это решение усилит контроль над ценами."
        );
    }
}
