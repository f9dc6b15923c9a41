//! Stand-off annotation layers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The component that produced something, with its version. Stored with every
/// layer so `dossier reprocess` knows what is stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub name: String,
    pub version: String,
}

impl Component {
    pub fn new(name: &str, version: &str) -> Component {
        Component {
            name: name.to_owned(),
            version: version.to_owned(),
        }
    }
}

/// One annotation: a character range `[start, end)` of the article text and
/// the fields that describe it (a label, a normalised value, a link...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            fields: Map::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Span {
        self.fields.insert(key.to_owned(), value.into());
        self
    }
}

/// A named list of spans over one article's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    pub name: String,
    pub component: Component,
    pub spans: Vec<Span>,
}

impl Layer {
    /// Checks the invariant every consumer relies on: spans lie inside the
    /// text and are not inverted.
    pub fn spans_fit(&self, text_chars: usize) -> bool {
        self.spans
            .iter()
            .all(|s| s.start <= s.end && s.end <= text_chars)
    }
}

/// Converts byte offsets of one text into character offsets, in order.
///
/// Analysers work on byte offsets (that is what `str` slicing gives); layers
/// store character offsets. Queries must come in non-decreasing order, which
/// is how analysers produce them, so the whole conversion is linear.
pub struct ByteToChar<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> ByteToChar<'a> {
    pub fn new(text: &'a str) -> ByteToChar<'a> {
        ByteToChar {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The character offset of byte offset `byte`. A byte offset inside a
    /// character counts that character as not yet reached.
    pub fn to_char(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte < self.byte {
            // Out-of-order query: restart rather than return a wrong answer.
            self.byte = 0;
            self.chars = 0;
        }
        let piece = &self.text.as_bytes()[self.byte..byte];
        // Count bytes that start a character (not UTF-8 continuation bytes).
        self.chars += piece.iter().filter(|&&b| (b as i8) >= -0x40).count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_become_char_offsets() {
        let text = "Токаев said: 東京";
        let mut conv = ByteToChar::new(text);
        let said = text.find("said").unwrap();
        let tokyo = text.find("東京").unwrap();
        assert_eq!(conv.to_char(said), 7);
        assert_eq!(conv.to_char(tokyo), 13);
        assert_eq!(conv.to_char(text.len()), 15);
        // Out of order still answers correctly.
        assert_eq!(conv.to_char(said), 7);
    }

    #[test]
    fn span_fields_flatten_in_json() {
        let span = Span::new(0, 4).with("label", "PER");
        let json = serde_json::to_value(&span).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"start": 0, "end": 4, "label": "PER"})
        );
    }

    #[test]
    fn spans_outside_text_are_detected() {
        let layer = Layer {
            name: "x".into(),
            component: Component::new("t", "1"),
            spans: vec![Span::new(2, 9)],
        };
        assert!(!layer.spans_fit(5));
        assert!(layer.spans_fit(9));
    }
}
