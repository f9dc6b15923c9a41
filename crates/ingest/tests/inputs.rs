//! Expanding paths into inputs and reading files from disk.

mod common;

use std::path::PathBuf;

use dossier_core::InputFormat;
use dossier_ingest::{list_inputs, IngestOptions, Input};

#[test]
fn directories_expand_sorted_without_hidden_entries() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for rel in [
        "b.html",
        "a/z.txt",
        "a/y.jsonl",
        ".hidden.html",
        ".git/config",
        "a/.cache/x.html",
    ] {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("a/loop")).unwrap();

    let listed: Vec<String> = list_inputs(&[root.to_path_buf(), PathBuf::from("-")])
        .into_iter()
        .map(|r| match r.unwrap() {
            Input::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
            Input::Stdin => "-".into(),
        })
        .collect();
    assert_eq!(listed, ["a/y.jsonl", "a/z.txt", "b.html", "-"]);
}

#[test]
fn files_are_listed_as_given() {
    let path = common::fixture_path("feeds/rss2.xml");
    assert_eq!(
        list_inputs(std::slice::from_ref(&path)),
        vec![Ok(Input::File(path.clone()))]
    );
    assert_eq!(Input::Stdin.to_string(), "-");
    assert_eq!(
        Input::File(PathBuf::from("x/y.html")).to_string(),
        "x/y.html"
    );
}

#[test]
fn read_input_from_disk_names_the_path() {
    let path = common::fixture_path("warc/sample.warc.gz");
    let read = common::input(&Input::File(path.clone()), &IngestOptions::default());
    let s = read.summary();
    assert_eq!(s.format, Some(InputFormat::Warc));
    assert_eq!(s.bytes, std::fs::metadata(&path).unwrap().len());
    assert_eq!(s.documents, 3);
    assert_eq!(read.docs()[0].origin.path, path.display().to_string());
}

#[test]
fn forced_format_wins() {
    let opts = IngestOptions {
        format: Some(InputFormat::Text),
        ..IngestOptions::default()
    };
    let read = common::bytes_with("page.html", b"<html><body>x</body></html>", &opts);
    assert_eq!(read.docs()[0].format, InputFormat::Text);
}

#[test]
fn detect_format_on_fixtures() {
    let cases = [
        ("charsets/ru-koi8-r-detect.html", InputFormat::Html),
        ("jsonl/articles.jsonl", InputFormat::Jsonl),
        ("feeds/rss2.xml", InputFormat::Feed),
        ("feeds/atom.xml", InputFormat::Feed),
        ("feeds/rss1.rdf", InputFormat::Feed),
        ("feeds/feed.json", InputFormat::Feed),
        ("warc/sample.warc", InputFormat::Warc),
        ("warc/sample.warc.gz", InputFormat::Warc),
        ("email/newsletter-multipart.eml", InputFormat::Email),
        ("email/plain-koi8r.eml", InputFormat::Email),
    ];
    for (rel, format) in cases {
        // Content decides: the name gives no hint here.
        assert_eq!(
            dossier_ingest::detect_format("input", &common::fixture(rel)),
            Some(format),
            "{rel}"
        );
    }
}
