//! Plain-text articles and paragraph normalisation shared by the HTML paths.

use crate::Extraction;

/// Builds paragraphs from a stream of text runs with whitespace collapsed:
/// the caller marks block boundaries, empty paragraphs are dropped.
#[derive(Debug, Default)]
pub struct ParagraphBuilder {
    paragraphs: Vec<String>,
    current: String,
}

impl ParagraphBuilder {
    /// Appends a text run, collapsing any whitespace to single spaces.
    pub fn push_text(&mut self, text: &str) {
        for (i, word) in text.split_whitespace().enumerate() {
            let glued = i == 0 && !text.starts_with(char::is_whitespace);
            if !self.current.is_empty() && !glued && !self.current.ends_with(' ') {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
        let open = !self.current.is_empty() && !self.current.ends_with(' ');
        if text.ends_with(char::is_whitespace) && open {
            self.current.push(' ');
        }
    }

    /// Ends the current paragraph, if it has any text.
    pub fn break_paragraph(&mut self) {
        let trimmed = self.current.trim();
        if !trimmed.is_empty() {
            self.paragraphs.push(trimmed.to_owned());
        }
        self.current.clear();
    }

    pub fn finish(mut self) -> Vec<String> {
        self.break_paragraph();
        self.paragraphs
    }
}

/// Normalises plain text into blank-line-separated paragraphs: CRLF/CR become
/// LF, trailing spaces go, runs of blank lines become one, and line breaks
/// inside a paragraph are kept (poems, addresses and lists rely on them).
pub fn normalise_paragraphs(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
    for line in unified.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(line);
        }
    }
    paragraphs
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Extracts a plain-text article: with `title_in_text`, the first non-empty
/// line is the title and the rest is the body.
pub fn extract_text(text: &str, title_in_text: bool) -> Extraction {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (title, body) = if title_in_text {
        split_title(text)
    } else {
        (None, text)
    };
    Extraction {
        title,
        text: normalise_paragraphs(body),
        ..Extraction::default()
    }
}

fn split_title(text: &str) -> (Option<String>, &str) {
    let mut rest = text;
    loop {
        let (line, tail) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let title = line.trim();
        if !title.is_empty() {
            return (Some(title.to_owned()), tail);
        }
        if tail.is_empty() {
            return (None, "");
        }
        rest = tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_collapses_whitespace_and_keeps_glued_runs() {
        let mut b = ParagraphBuilder::default();
        b.push_text("  Body ");
        b.push_text("text");
        b.push_text(".\n more");
        b.break_paragraph();
        b.break_paragraph();
        b.push_text("second");
        assert_eq!(b.finish(), vec!["Body text. more", "second"]);
    }

    #[test]
    fn plain_text_title_and_paragraphs() {
        let e = extract_text(
            "\r\n  Title line  \r\nFirst para  \r\nstill first\r\n\r\n\r\n\nSecond\n",
            true,
        );
        assert_eq!(e.title.as_deref(), Some("Title line"));
        assert_eq!(e.text, "First para\nstill first\n\nSecond");
        let e = extract_text("Only body\n\n\nmore", false);
        assert_eq!(e.title, None);
        assert_eq!(e.text, "Only body\n\nmore");
        assert_eq!(extract_text("", true), Extraction::default());
        assert_eq!(extract_text("\n \n", true).title, None);
    }
}
