//! Bad inputs: each gives one clear line naming the file and the reason,
//! never a panic, and big inputs are refused without being read.

mod common;

use std::io::Write;

use dossier_core::{Content, InputFormat};
use dossier_ingest::{IngestOptions, Input};

fn small_limit(max: usize) -> IngestOptions {
    IngestOptions {
        max_document_bytes: max,
        ..IngestOptions::default()
    }
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.html");
    std::fs::write(&path, b"").unwrap();
    let read = common::input(&Input::File(path.clone()), &IngestOptions::default());
    assert_eq!(read.error(), format!("{}: empty file", path.display()));
    assert_eq!(common::bytes("e.txt", b"").error(), "e.txt: empty file");
    assert_eq!(
        common::bytes("e.txt", b" \n\t\n").error(),
        "e.txt: empty file (only whitespace)"
    );
    assert_eq!(
        common::bytes("e.gz", &common::gzip(b"")).error(),
        "e.gz: empty file (after decompression)"
    );
}

#[test]
fn binary_file() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
    assert_eq!(
        common::bytes("x.bin", &png).error(),
        "x.bin: binary file (not text, HTML, feed, WARC or e-mail)"
    );
    // Control characters without NULs, gzip-wrapped.
    let controls: Vec<u8> = (0..3000).map(|i| [1u8, 2, 3, b'a'][i % 4]).collect();
    assert!(common::bytes("y.html.gz", &common::gzip(&controls))
        .error()
        .starts_with("y.html.gz: binary file"));
}

#[test]
fn truncated_gzip() {
    let page = format!(
        "<html><body>{}</body></html>",
        "<p>Some news text here.</p>".repeat(2000)
    );
    let gz = common::gzip(page.as_bytes());
    for cut in [gz.len() / 3, gz.len() - 10] {
        let read = common::bytes("a.html.gz", &gz[..cut]);
        assert_eq!(
            read.error(),
            "a.html.gz: truncated gzip stream",
            "cut at {cut}"
        );
    }
    // Shorter than a gzip header.
    assert!(common::bytes("b.gz", &gz[..5])
        .error()
        .starts_with("b.gz: "));
}

#[test]
fn truncated_warc_gz_keeps_earlier_records() {
    let gz = common::fixture("warc/sample.warc.gz");
    let read = common::bytes("s.warc.gz", &gz[..gz.len() - 40]);
    let s = read.summary();
    assert_eq!(s.documents, 2, "{:?}", read.problems());
    assert_eq!(read.problems().len(), 1);
    assert!(
        read.problems()[0].ends_with(": truncated gzip stream"),
        "{:?}",
        read.problems()
    );
}

#[test]
fn huge_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.html");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap(); // sparse: no disk, no time
    let read = common::input(&Input::File(path.clone()), &IngestOptions::default());
    assert_eq!(
        read.error(),
        format!(
            "{}: too large (200.0 MB; limit 32.0 MB per document)",
            path.display()
        )
    );
}

#[test]
fn gzip_bomb_is_capped_after_decompression() {
    let gz = common::gzip(&vec![b'a'; 3 * 1024 * 1024]);
    let read = common::bytes_with("bomb.txt.gz", &gz, &small_limit(1024 * 1024));
    assert_eq!(
        read.error(),
        "bomb.txt.gz: too large (more than 1.0 MB after decompression; limit 1.0 MB per document)"
    );
}

#[test]
fn streaming_formats_may_exceed_the_document_limit() {
    let mut data = Vec::new();
    for i in 0..500 {
        writeln!(
            data,
            "{{\"url\": \"https://x.example/{i}\", \"text\": \"Article number {i}.\"}}"
        )
        .unwrap();
    }
    assert!(data.len() > 20_000);
    let read = common::bytes_with("many.jsonl", &data, &small_limit(1000));
    assert_eq!(read.summary().documents, 500);

    let warc = common::fixture("warc/sample.warc");
    let read = common::bytes_with("s.warc", &warc, &small_limit(900));
    assert_eq!(read.summary().documents, 3);
}

#[test]
fn deeply_nested_html_is_just_decoded() {
    let depth = 100_000;
    let mut page = String::from("<html><body>");
    page.push_str(&"<div>".repeat(depth));
    page.push_str("deep text");
    page.push_str(&"</div>".repeat(depth));
    let read = common::bytes("deep.html", page.as_bytes());
    let docs = read.docs();
    assert_eq!(docs.len(), 1);
    assert!(docs[0].content.as_str().contains("deep text"));
}

#[test]
fn invalid_utf8_never_fails() {
    let mut text = "Breaking news: ".as_bytes().to_vec();
    text.extend_from_slice(b"caf\xe9 \xc3\x28 \xf0\x9f end of story.\n");
    let read = common::bytes("bad.txt", &text);
    let d = read.docs()[0].clone();
    assert_eq!(d.format, InputFormat::Text);
    assert!(d.content.as_str().contains("end of story"));

    let html = b"<html><body><p>\xff\xfe\xfd broken \xe2\x82 bytes</p></body></html>";
    let read = common::bytes("bad.html", html);
    assert!(matches!(&read.docs()[0].content, Content::Html(h) if h.contains("broken")));
}

#[test]
fn truncated_warc_record() {
    let read = common::bytes("t.warc", &common::fixture("warc/truncated.warc"));
    let p = &read.problems()[0];
    assert!(
        p.starts_with("t.warc (record at byte ") && p.contains("truncated (expected"),
        "{p}"
    );
    // A file that is only a cut-off first record has nothing readable.
    let warc = common::fixture("warc/sample.warc");
    let err = common::bytes("u.warc", &warc[..40]).error();
    assert!(
        err.starts_with("u.warc (record at byte 0): truncated"),
        "{err}"
    );
}

#[test]
fn garbage_after_a_warc_record_is_reported() {
    let mut warc = common::fixture("warc/sample.warc");
    warc.extend_from_slice(b"garbage that is not a record\r\n");
    let read = common::bytes("g.warc", &warc);
    assert_eq!(read.summary().documents, 3);
    assert!(
        read.problems()[0].contains("not a WARC record"),
        "{:?}",
        read.problems()
    );
}

#[test]
fn feed_that_is_not_xml() {
    let err = common::bytes("feed.xml", b"this is plain words, not XML").error();
    assert!(err.starts_with("feed.xml: not a valid feed ("), "{err}");
    let err = common::bytes(
        "feed.rss",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item>",
    )
    .error();
    assert!(err.starts_with("feed.rss: not a valid feed ("), "{err}");
}

#[test]
fn nonexistent_and_unreadable_paths() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.html");
    let listed = dossier_ingest::list_inputs(std::slice::from_ref(&missing));
    let err = listed[0].as_ref().unwrap_err().to_string();
    assert_eq!(
        err,
        format!("{}: no such file or directory", missing.display())
    );
    let read = common::input(&Input::File(missing.clone()), &IngestOptions::default());
    assert_eq!(read.error(), err);
    let read = common::input(
        &Input::File(dir.path().to_path_buf()),
        &IngestOptions::default(),
    );
    assert!(read.error().ends_with(": is a directory") || read.error().contains("directory"));
}

#[test]
fn problems_are_one_line() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a.jsonl", b"{\"x\":\n{bad\n".to_vec()),
        (
            "b.xml",
            b"<rss version=\"2.0\"><channel>\n<item>\n".to_vec(),
        ),
        ("c.eml", b"From: a\r\nSubject: b\r\n\r\n".to_vec()),
    ];
    for (name, data) in cases {
        let read = common::bytes(name, &data);
        let mut lines = read.problems();
        if let Err(e) = &read.result {
            lines.push(e.to_string());
        }
        for line in lines {
            assert!(!line.contains('\n'), "{line:?}");
            assert!(line.starts_with(name), "{line:?}");
        }
    }
}
