//! Embeds `models/ner-en.bin` when it exists; otherwise embeds an empty file
//! (the crate then finds no entities) so the workspace builds before the first
//! model has been trained.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let model = manifest.join("../../models/ner-en.bin");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("ner-en.bin");
    println!("cargo:rerun-if-changed={}", model.display());
    println!("cargo:rerun-if-env-changed=DOSSIER_NER_NO_EMBED");
    let bytes = if std::env::var_os("DOSSIER_NER_NO_EMBED").is_some() {
        Vec::new()
    } else {
        std::fs::read(&model).unwrap_or_default()
    };
    // Write only when changed so the crate is not rebuilt needlessly.
    if std::fs::read(&out).ok().as_deref() != Some(bytes.as_slice()) {
        std::fs::write(&out, bytes).unwrap();
    }
}
