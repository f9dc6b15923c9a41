//! What changed between two revisions of one article: a word-level diff,
//! kept as a few readable changes (each with the words just before it) so
//! a reader sees "casualties 12 → 14" rather than two whole texts.

use similar::{ChangeTag, TextDiff};

/// Words of unchanged text kept before each change.
const CONTEXT_WORDS: usize = 8;
/// Changes kept; the counts still cover all of them.
const MAX_CHANGES: usize = 50;
/// Characters kept of one side of one change.
const MAX_CHANGE_CHARS: usize = 600;

/// One change: `removed` became `added` after the words `before`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub before: String,
    pub removed: String,
    pub added: String,
}

/// The diff of an edited article.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RevisionDiff {
    pub words_added: usize,
    pub words_removed: usize,
    /// The first [`MAX_CHANGES`] changes, in text order.
    pub changes: Vec<Change>,
}

impl RevisionDiff {
    /// Whether the texts differ in words (not only in spacing).
    pub fn is_edit(&self) -> bool {
        self.words_added + self.words_removed > 0
    }
}

/// Word-level diff of `old` and `new`; whitespace differences alone are
/// not changes.
pub fn diff(old: &str, new: &str) -> RevisionDiff {
    let old_words: Vec<&str> = old.split_whitespace().collect();
    let new_words: Vec<&str> = new.split_whitespace().collect();
    let text_diff = TextDiff::configure()
        .timeout(std::time::Duration::from_secs(2))
        .diff_slices(&old_words, &new_words);
    let mut out = RevisionDiff::default();
    let mut context: Vec<&str> = Vec::new();
    let mut current: Option<(Vec<&str>, Vec<&str>, String)> = None;
    for change in text_diff.iter_all_changes() {
        let word = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                if let Some((removed, added, before)) = current.take() {
                    push_change(&mut out, before, &removed, &added);
                }
                context.push(word);
                if context.len() > CONTEXT_WORDS {
                    context.remove(0);
                }
            }
            tag => {
                let entry =
                    current.get_or_insert_with(|| (Vec::new(), Vec::new(), context.join(" ")));
                if tag == ChangeTag::Delete {
                    out.words_removed += 1;
                    entry.0.push(word);
                } else {
                    out.words_added += 1;
                    entry.1.push(word);
                }
                context.clear();
            }
        }
    }
    if let Some((removed, added, before)) = current {
        push_change(&mut out, before, &removed, &added);
    }
    out
}

fn push_change(out: &mut RevisionDiff, before: String, removed: &[&str], added: &[&str]) {
    if out.changes.len() < MAX_CHANGES {
        out.changes.push(Change {
            before,
            removed: clip(&removed.join(" ")),
            added: clip(&added.join(" ")),
        });
    }
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(MAX_CHANGE_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_number_is_one_change_with_context() {
        let d = diff(
            "Officials said 12 people died in the fire on Monday.",
            "Officials said 14 people died in the fire on Monday.",
        );
        assert_eq!((d.words_added, d.words_removed), (1, 1));
        assert_eq!(
            d.changes,
            vec![Change {
                before: "Officials said".into(),
                removed: "12".into(),
                added: "14".into()
            }]
        );
    }

    #[test]
    fn spacing_alone_is_not_an_edit() {
        let d = diff("One two\n\nthree.", "One  two three.");
        assert!(!d.is_edit());
        assert!(d.changes.is_empty());
    }

    #[test]
    fn added_paragraph_counts_its_words() {
        let d = diff("A b c.", "A b c. The minister resigned.");
        assert_eq!(d.words_added, 3);
        assert_eq!(d.words_removed, 0);
        assert_eq!(d.changes[0].added, "The minister resigned.");
        assert_eq!(d.changes[0].before, "A b c.");
    }
}
