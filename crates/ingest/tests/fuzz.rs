//! A deterministic fuzz-ish pass: truncated, corrupted and random inputs of
//! every format must never panic.

mod common;

use std::ops::ControlFlow;
use std::path::Path;

use dossier_core::SplitMix64;
use dossier_ingest::{decode_html, detect_format, read_bytes, IngestOptions, Item};

fn fixtures(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            fixtures(&path, out);
        } else if path.extension().is_none_or(|e| e != "py") {
            out.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            ));
        }
    }
}

fn mutate(rng: &mut SplitMix64, data: &[u8]) -> Vec<u8> {
    let mut d = data.to_vec();
    match rng.below(4) {
        0 => d.truncate(rng.below(d.len() + 1)),
        1 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(d.len());
                if let Some(b) = d.get_mut(i) {
                    *b = rng.next_u64() as u8;
                }
            }
        }
        2 => {
            let at = rng.below(d.len() + 1);
            let junk: Vec<u8> = (0..rng.below(64)).map(|_| rng.next_u64() as u8).collect();
            d.splice(at..at, junk);
        }
        _ => {
            let a = rng.below(d.len() + 1);
            let b = rng.below(d.len() + 1);
            d.drain(a.min(b)..a.max(b));
        }
    }
    d
}

fn run(name: &str, data: &[u8], opts: &IngestOptions) {
    let _ = detect_format(name, data);
    let _ = decode_html(data, Some("text/html; charset=x"));
    let mut n = 0;
    let _ = read_bytes(name, data, opts, &mut |item| {
        if let Item::Problem(p) = &item {
            assert!(!p.to_string().contains('\n'));
        }
        n += 1;
        ControlFlow::Continue(())
    });
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut all = Vec::new();
    fixtures(&common::fixture_path(""), &mut all);
    assert!(all.len() > 20);
    let mut rng = SplitMix64::new(0x9e37_79b9_7f4a_7c15);
    let small = IngestOptions {
        max_document_bytes: 700,
        ..IngestOptions::default()
    };
    for (name, data) in &all {
        let gz = common::gzip(data);
        for round in 0..100 {
            let opts = if round % 5 == 0 {
                &small
            } else {
                &IngestOptions::default()
            };
            run(name, &mutate(&mut rng, data), opts);
            if round % 4 == 0 {
                run(name, &mutate(&mut rng, &gz), opts);
            }
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = SplitMix64::new(42);
    let names = ["x", "a.html", "a.jsonl", "a.warc", "a.eml", "a.xml", "a.gz"];
    let prefixes: [&[u8]; 7] = [
        b"",
        b"WARC/1.0\r\n",
        b"{",
        b"<rss version=\"2.0\">",
        b"From: a\r\nSubject: b\r\n",
        b"\x1f\x8b",
        b"<html>",
    ];
    for i in 0..600 {
        let mut data = prefixes[i % prefixes.len()].to_vec();
        let len = rng.below(400);
        // Mostly printable, so the text paths are reached, not only "binary".
        data.extend((0..len).map(|_| {
            let r = rng.next_u64();
            let alphabet = b" <>/:\r\n{}\"abcWARC-Length0123456789";
            if r % 10 < 9 {
                alphabet[(r >> 8) as usize % alphabet.len()]
            } else {
                r as u8
            }
        }));
        run(names[i % names.len()], &data, &IngestOptions::default());
    }
}
