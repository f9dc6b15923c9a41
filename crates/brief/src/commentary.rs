//! Commentary in a brief: what an analyst or the outlet added, as opposed
//! to what it reported. Reported sentences never come from the
//! `commentary` layer; an item may instead carry one comment, as whole
//! sentences, attributed to its byline and outlet so no reader takes it
//! for a fact.

use crate::{is_whole, spans, whole_sentences, BriefArticle, Citation, Commentary};

/// The longest comment quoted, in characters.
const MAX_CHARS: usize = 400;

/// Up to `max` comments from `originals`, one per article at most.
pub(crate) fn passages(originals: &[&BriefArticle], max: usize) -> Vec<Commentary> {
    originals
        .iter()
        .filter_map(|a| first_passage(a))
        .take(max)
        .collect()
}

fn first_passage(a: &BriefArticle) -> Option<Commentary> {
    let sentences = whole_sentences(a);
    // Only passages the text marks as comment ("Comment:", an "Analysis"
    // heading): an evaluative sentence found by its voice alone may be an
    // interviewee's, and must not be attributed to the outlet.
    let marked = spans(a, "commentary").iter().filter(|c| {
        matches!(
            c.fields.get("kind").and_then(|v| v.as_str()),
            Some("marker" | "section")
        )
    });
    marked.into_iter().find_map(|c| {
        // The whole sentences inside the passage, from its first, while
        // they stay within one paragraph and the length limit.
        let mut inside = sentences
            .iter()
            .filter(|(s, e, _)| *s >= c.start && *e <= c.end + 1);
        let first = inside.next()?;
        if !is_whole(&first.2) {
            return None;
        }
        let mut end = first.1;
        for (s, e, text) in inside {
            let gap: String = a
                .text
                .chars()
                .skip(end)
                .take(s.saturating_sub(end))
                .collect();
            if gap.contains('\n') || e - first.0 > MAX_CHARS || !is_whole(text) {
                break;
            }
            end = *e;
        }
        // The label says it is commentary; the marker need not repeat it.
        let start = first.0 + marker_len(&first.2);
        if end - first.0 > MAX_CHARS || start >= end {
            return None;
        }
        Some(Commentary {
            text: a.text.chars().skip(start).take(end - start).collect(),
            attribution: attribution(a),
            kind: c
                .fields
                .get("kind")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            citation: Citation {
                article: a.id.clone(),
                start,
                end,
            },
        })
    })
}

/// Characters of a leading marker ("Comment: ", "Editor's note: ",
/// "COMMENT>> "): up to three words of letters before `:` or `>>` near the
/// start, and the spaces after it; 0 when there is none.
fn marker_len(text: &str) -> usize {
    let head: String = text.chars().take(24).collect();
    let Some((label, cut)) = head
        .find(">>")
        .map(|i| (&head[..i], i + 2))
        .or_else(|| head.find(':').map(|i| (&head[..i], i + 1)))
    else {
        return 0;
    };
    let words = label.split_whitespace().count();
    let letters = label
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '’' || c == '[');
    if !(1..=3).contains(&words) || !letters {
        return 0;
    }
    let rest = &head[cut..];
    let spaces = rest.chars().take_while(|c| c.is_whitespace()).count();
    head[..cut].chars().count() + spaces
}

/// "Jane Roe (Outlet)", "Outlet" or "unknown outlet".
fn attribution(a: &BriefArticle) -> String {
    let outlet = a.source.as_deref().unwrap_or("unknown outlet");
    let authors: Vec<&str> = a
        .authors
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if authors.is_empty() {
        outlet.to_owned()
    } else {
        format!("{} ({outlet})", authors.join(", "))
    }
}
