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
///
/// The time, quote and entity taggers are built for English: on an article
/// known to be in another language their layers stay empty (with the same
/// component, so `reprocess` does not see them as stale) rather than guess.
pub fn analyze(text: &str, context: &Context) -> Vec<Layer> {
    // Run on "" these taggers return their (empty) layer and component.
    let english = if context.language.is_none_or(|l| l == "en") {
        text
    } else {
        ""
    };
    vec![
        paragraph_layer(text),
        sentence_layer(text),
        language_layer(text),
        timex_layer(english, context),
        quantities_layer(text),
        quotes_layer(english),
        commentary_layer(text),
        dossier_ner::entity_layer(english),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_taggers_stay_quiet_on_other_languages_but_keep_their_layers() {
        let text = "On Wednesday, \"we will sign,\" said Ivan Petrov in Moscow.";
        let names = |layers: &[Layer]| layers.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
        let en = analyze(
            text,
            &Context {
                language: Some("en"),
                ..Context::default()
            },
        );
        let ru = analyze(
            text,
            &Context {
                language: Some("ru"),
                ..Context::default()
            },
        );
        assert_eq!(names(&en), names(&ru));
        let spans = |layers: &[Layer], name: &str| {
            layers
                .iter()
                .find(|l| l.name == name)
                .map_or(0, |l| l.spans.len())
        };
        assert!(spans(&en, "quotes") > 0);
        assert_eq!(spans(&ru, "quotes"), 0);
        assert_eq!(spans(&ru, "timexes"), 0);
    }
}
