//! Per-article analysis: each function reads one article's text and returns a
//! [`Layer`] of character-offset spans over it. Analysis never changes the text.

mod language;
mod segment;

pub use language::{detect_language, language_layer, LANGUAGE_COMPONENT};
pub use segment::{paragraph_layer, sentence_layer, PARAGRAPHS_COMPONENT, SENTENCES_COMPONENT};

use dossier_core::Layer;

/// Every layer this crate produces for one text, in a stable order.
pub fn analyze(text: &str) -> Vec<Layer> {
    vec![
        paragraph_layer(text),
        sentence_layer(text),
        language_layer(text),
    ]
}
