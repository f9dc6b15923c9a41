//! Plain-text extraction never panics, and the whole pipeline (junk cuts,
//! layers with character offsets) holds its invariants on any text.
#![no_main]

use dossier_core::{Content, Hints, InputFormat, Origin, RawDocument};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let doc = RawDocument {
        origin: Origin::file("fuzz.txt"),
        format: InputFormat::Text,
        raw: data.to_vec(),
        content: Content::Text(text),
        hints: Hints { title_in_text: true, ..Hints::default() },
    };
    if let Ok(article) = dossier_pipeline::Pipeline::default().process(&doc) {
        let chars = article.text.chars().count();
        for layer in article.layers.values() {
            assert!(layer.spans_fit(chars), "layer {} out of bounds", layer.name);
        }
    }
});
