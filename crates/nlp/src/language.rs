//! Language identification with `whatlang`, per article and per paragraph.

use dossier_core::{ByteToChar, Component, Layer, Span};
use whatlang::Lang;

pub const LANGUAGE_COMPONENT: (&str, &str) = ("nlp-language-whatlang", "1");

/// Below this many letters whatlang's guesses are close to noise.
const MIN_LETTERS: usize = 20;

/// The language of `text` as an ISO 639-1 code where one exists (else the
/// ISO 639-3 code), or `None` when the text is too short or the guess unsure.
pub fn detect_language(text: &str) -> Option<String> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(text)?;
    // Cyrillic and CJK scripts make whatlang sure even when the trigram
    // score is modest; for Latin text require reliability.
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(iso639_1(info.lang()).map_or_else(|| info.lang().code().to_owned(), str::to_owned))
}

/// One span per paragraph with its detected language, so an English article
/// that quotes a Russian paragraph says so.
pub fn language_layer(text: &str) -> Layer {
    let mut conv = ByteToChar::new(text);
    let mut spans = Vec::new();
    for (bs, be) in crate::segment::paragraph_ranges(text) {
        if let Some(lang) = detect_language(&text[bs..be]) {
            spans.push(Span::new(conv.to_char(bs), conv.to_char(be)).with("language", lang));
        }
    }
    Layer {
        name: "language".into(),
        component: Component::new(LANGUAGE_COMPONENT.0, LANGUAGE_COMPONENT.1),
        spans,
    }
}

fn iso639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Deu => "de",
        Lang::Fra => "fr",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Ces => "cs",
        Lang::Tur => "tr",
        Lang::Ara => "ar",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Hin => "hi",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Kat => "ka",
        Lang::Hye => "hy",
        Lang::Heb => "he",
        Lang::Pes => "fa",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Hun => "hu",
        Lang::Ron => "ro",
        Lang::Srp => "sr",
        Lang::Hrv => "hr",
        Lang::Slk => "sk",
        Lang::Slv => "sl",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Uzb => "uz",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Vie => "vi",
        Lang::Tha => "th",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_news_languages() {
        assert_eq!(
            detect_language(
                "The president met the prime minister on Tuesday to discuss the budget."
            )
            .as_deref(),
            Some("en")
        );
        assert_eq!(
            detect_language("Президент Казахстана провёл встречу с премьер-министром во вторник.")
                .as_deref(),
            Some("ru")
        );
        assert_eq!(detect_language("ok"), None);
    }

    #[test]
    fn paragraph_languages_mark_a_quoted_foreign_paragraph() {
        let text = "The minister spoke to reporters after the meeting in the capital.\n\n\
                    Мы не допустим повышения цен на топливо в этом году, заявил министр.";
        let layer = language_layer(text);
        let langs: Vec<_> = layer
            .spans
            .iter()
            .map(|s| s.fields["language"].as_str().unwrap())
            .collect();
        assert_eq!(langs, ["en", "ru"]);
        assert!(layer.spans_fit(text.chars().count()));
        assert_eq!(
            layer.spans[1].start,
            text.chars().position(|c| c == 'М').unwrap()
        );
    }
}
