//! Reading any bytes as any format never panics and yields items or a problem.
#![no_main]

use std::ops::ControlFlow;

use dossier_ingest::{read_bytes, IngestOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = IngestOptions { max_document_bytes: 1 << 20, ..IngestOptions::default() };
    let _ = read_bytes("fuzz.input", data, &opts, &mut |_| ControlFlow::Continue(()));
});
