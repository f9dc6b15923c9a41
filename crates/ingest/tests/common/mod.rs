//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

use dossier_core::RawDocument;
use dossier_ingest::{read_bytes, read_input, IngestOptions, Input, InputSummary, Item, Problem};

pub fn fixture_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixture_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Everything one input yields.
pub struct Read {
    pub result: Result<InputSummary, Problem>,
    pub items: Vec<Item>,
}

impl Read {
    pub fn docs(&self) -> Vec<&RawDocument> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Document(d) => Some(d),
                _ => None,
            })
            .collect()
    }

    pub fn problems(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Problem(p) => Some(p.to_string()),
                _ => None,
            })
            .collect()
    }

    pub fn links(&self) -> Vec<&dossier_ingest::FeedLink> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Link(l) => Some(l),
                _ => None,
            })
            .collect()
    }

    pub fn summary(&self) -> &InputSummary {
        self.result.as_ref().expect("input should be readable")
    }

    pub fn error(&self) -> String {
        match &self.result {
            Err(p) => p.to_string(),
            Ok(s) => panic!("expected the input to fail, got {s:?}"),
        }
    }
}

pub fn bytes_with(name: &str, bytes: &[u8], opts: &IngestOptions) -> Read {
    let mut items = Vec::new();
    let result = read_bytes(name, bytes, opts, &mut |i| {
        items.push(i);
        ControlFlow::Continue(())
    });
    Read { result, items }
}

pub fn bytes(name: &str, bytes: &[u8]) -> Read {
    bytes_with(name, bytes, &IngestOptions::default())
}

pub fn input(input: &Input, opts: &IngestOptions) -> Read {
    let mut items = Vec::new();
    let result = read_input(input, opts, &mut |i| {
        items.push(i);
        ControlFlow::Continue(())
    });
    Read { result, items }
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}
