//! Named-entity recognition for English news: PER, ORG, LOC, MISC.
//!
//! A two-pass averaged structured perceptron over hashed lexical, shape,
//! context, gazetteer and document-consistency features, decoded with
//! constrained Viterbi over BILOU tags (see `models/ner-en.md`). The model is
//! trained by `dossier train ner` and embedded in the binary at build time
//! (`models/ner-en.bin`, parsed once on first use); a build without the file
//! finds no entities.

pub mod conll;
pub mod features;
mod gazetteer;
pub mod model;
pub mod tags;
pub mod tokenize;
pub mod train;

use std::sync::OnceLock;

use dossier_core::{ByteToChar, Component, Layer, Span};

pub use model::Model;
pub use tags::EntityType;

/// The layer component name; the version is the model's content hash.
pub const NER_COMPONENT: &str = "ner-perceptron";

static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ner-en.bin"));

/// The embedded model, parsed on first use; `None` when the build carries
/// none (or it does not parse).
pub fn model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            if EMBEDDED.is_empty() {
                None
            } else {
                Model::from_bytes(EMBEDDED).ok()
            }
        })
        .as_ref()
}

/// The version recorded with the `entities` layer.
pub fn version() -> String {
    model().map_or_else(|| "none".to_owned(), |m| m.header.version.clone())
}

/// One recognised entity: byte range `[start, end)` of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub start: usize,
    pub end: usize,
    pub label: EntityType,
}

/// Entities of `text` (treated as one document) found by `model`.
pub fn find_entities_with(model: &Model, text: &str) -> Vec<Entity> {
    let tokens = tokenize::tokenize(text);
    let sents = tokenize::sentences(text, &tokens);
    let words: Vec<Vec<&str>> = sents
        .iter()
        .map(|&(s, e)| tokens[s..e].iter().map(|t| &text[t.start..t.end]).collect())
        .collect();
    let tagged = model.tag_document(&words);
    let mut out = Vec::new();
    for (&(s, _), tags) in sents.iter().zip(&tagged) {
        for c in tags::bilou_chunks(tags) {
            out.push(Entity {
                start: tokens[s + c.start].start,
                end: tokens[s + c.end - 1].end,
                label: c.ty,
            });
        }
    }
    out
}

/// Entities of `text` found by the embedded model (none without a model).
pub fn find_entities(text: &str) -> Vec<Entity> {
    model().map_or_else(Vec::new, |m| find_entities_with(m, text))
}

/// The `entities` layer: spans with `label` (`PER`, `ORG`, `LOC`, `MISC`)
/// and the covered `text`, in character offsets.
pub fn entity_layer(text: &str) -> Layer {
    let mut conv = ByteToChar::new(text);
    let spans = find_entities(text)
        .into_iter()
        .map(|e| {
            Span::new(conv.to_char(e.start), conv.to_char(e.end))
                .with("label", e.label.as_str())
                .with("text", &text[e.start..e.end])
        })
        .collect();
    Layer {
        name: "entities".into(),
        component: Component::new(NER_COMPONENT, &version()),
        spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_when_present() {
        if EMBEDDED.is_empty() {
            assert!(model().is_none());
            assert_eq!(version(), "none");
        } else {
            let m = model().expect("embedded model parses");
            assert_eq!(m.passes.len() as u32, m.header.passes);
            assert_eq!(version().len(), 16);
        }
    }

    #[test]
    fn tags_obvious_entities() {
        if model().is_none() {
            return;
        }
        let text = "Russian President Vladimir Putin met German Chancellor Angela Merkel in Moscow on Tuesday, the Kremlin said.";
        let layer = entity_layer(text);
        let found: Vec<(String, String)> = layer
            .spans
            .iter()
            .map(|s| {
                (
                    s.fields["text"].as_str().unwrap().to_owned(),
                    s.fields["label"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for want in [
            ("Vladimir Putin", "PER"),
            ("Angela Merkel", "PER"),
            ("Moscow", "LOC"),
            ("Russian", "MISC"),
            ("German", "MISC"),
        ] {
            assert!(
                found.iter().any(|(t, l)| t == want.0 && l == want.1),
                "{want:?} not in {found:?}"
            );
        }
    }

    #[test]
    fn spans_are_character_offsets() {
        if model().is_none() {
            return;
        }
        let text = "«Привет» — said Владимир. Then Barack Obama visited Paris, France.";
        let layer = entity_layer(text);
        let chars: Vec<char> = text.chars().collect();
        assert!(layer.spans_fit(chars.len()));
        for s in &layer.spans {
            let covered: String = chars[s.start..s.end].iter().collect();
            assert_eq!(covered, s.fields["text"].as_str().unwrap());
        }
        assert!(layer
            .spans
            .iter()
            .any(|s| s.fields["text"] == "Paris" && s.fields["label"] == "LOC"));
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in [
            "",
            " ",
            "\n\n\n",
            "....",
            "'",
            "\"\"\"",
            "A",
            "—–-",
            "🙂 🙂🙂 Ω",
            "U.S.",
            "'s n't",
            &"x".repeat(100_000),
            &"A. ".repeat(5_000),
            "\u{0}\u{1}\u{202e}abc",
        ] {
            let layer = entity_layer(text);
            assert!(layer.spans_fit(text.chars().count()));
        }
    }
}
