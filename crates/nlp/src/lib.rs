//! Per-article analysis: each function reads one article's text and returns a
//! [`Layer`] of character-offset spans over it. Analysis never changes the text.

mod commentary;
mod language;
mod quantities;
mod quotes;
mod segment;
mod timex;

pub use commentary::{commentary_layer, COMMENTARY_COMPONENT};
pub use language::{detect_language, language_layer, LANGUAGE_COMPONENT};
pub use quantities::{extract_quantities, quantities_layer, Quantity, QUANTITIES_COMPONENT};
pub use quotes::{find_quotes, quotes_layer, Quote, QuoteKind, QUOTES_COMPONENT};
pub use segment::{paragraph_layer, sentence_layer, PARAGRAPHS_COMPONENT, SENTENCES_COMPONENT};
pub use timex::{find_timexes, parse_anchor, timex_layer, Timex, TIMEX_COMPONENT};

use dossier_core::{DateValue, Layer};

/// What an analyser may know about the article beyond its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The publication date: the anchor for "on Wednesday", "last month".
    pub published: Option<&'a DateValue>,
    /// The article's language (ISO 639-1), when known.
    pub language: Option<&'a str>,
}

/// Every layer this crate produces for one text, in a stable order.
pub fn analyze(text: &str, context: &Context) -> Vec<Layer> {
    let _ = context;
    vec![
        paragraph_layer(text),
        sentence_layer(text),
        language_layer(text),
        timex_layer(text, context),
        quantities_layer(text),
        quotes_layer(text),
        commentary_layer(text),
        dossier_ner::entity_layer(text),
    ]
}
