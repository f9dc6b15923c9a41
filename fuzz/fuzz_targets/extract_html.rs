//! HTML extraction never panics, whatever the page.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let _ = dossier_extract::default_extractor().extract_html(&html, Some("https://example.org/2019/11/21/x"));
});
