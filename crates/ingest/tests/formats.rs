//! One test group per input format, over the fixtures.

mod common;

use std::ops::ControlFlow;

use dossier_core::{Content, DateMethod, InputFormat, Origin};
use dossier_ingest::{read_bytes, IngestOptions, Item};

fn opts_with_source(source: &str) -> IngestOptions {
    IngestOptions {
        source: Some(source.into()),
        ..IngestOptions::default()
    }
}

// ------------------------------------------------------------------ HTML / text

#[test]
fn html_page_is_one_document_with_only_the_source_hint() {
    let page = b"<!doctype html><html><head><link rel=canonical href=http://x/></head><body><p>Hi</p></body></html>";
    let read = common::bytes_with("saved/page.html", page, &opts_with_source("Desk"));
    assert_eq!(read.summary().format, Some(InputFormat::Html));
    let docs = read.docs();
    assert_eq!(docs.len(), 1);
    let d = docs[0];
    assert_eq!(d.origin, Origin::file("saved/page.html"));
    assert_eq!(d.format, InputFormat::Html);
    assert_eq!(d.raw, page);
    assert_eq!(d.hints.source.as_deref(), Some("Desk"));
    assert_eq!(d.hints.url, None, "canonical URLs are extraction's job");
    assert!(!d.hints.title_in_text);
}

#[test]
fn plain_text_has_its_title_on_the_first_line() {
    let text = "\nMarkets rally\n\nStocks rose on Thursday.\n";
    let read = common::bytes("note.txt", text.as_bytes());
    let d = read.docs()[0].clone();
    assert_eq!(d.format, InputFormat::Text);
    assert_eq!(d.content, Content::Text(text.into()));
    assert!(d.hints.title_in_text);
}

#[test]
fn gzipped_html_is_decompressed() {
    let page = common::fixture("charsets/ru-koi8-r-meta.html");
    let read = common::bytes("page.html.gz", &common::gzip(&page));
    let docs = read.docs();
    assert_eq!(docs[0].raw, page, "raw is the decompressed file");
    assert!(docs[0].content.as_str().contains("Токаев"));
}

// ------------------------------------------------------------------ JSON Lines

#[test]
fn jsonl_articles_links_and_bad_lines() {
    let read = common::bytes("export.jsonl", &common::fixture("jsonl/articles.jsonl"));
    let s = read.summary().clone();
    assert_eq!(
        (s.format, s.documents, s.links, s.problems),
        (Some(InputFormat::Jsonl), 4, 1, 3)
    );

    let docs = read.docs();
    let first = docs[0];
    assert_eq!(first.origin, Origin::record("export.jsonl", "line 1"));
    assert_eq!(first.content, Content::Text("First article text.".into()));
    assert_eq!(first.hints.title.as_deref(), Some("First"));
    assert_eq!(first.hints.source.as_deref(), Some("A Daily"));
    assert_eq!(first.hints.language.as_deref(), Some("en"));
    assert_eq!(first.hints.authors, vec!["Ann Lee", "Bo Chen"]);
    assert!(!first.hints.title_in_text);
    let date = first.hints.published.clone().unwrap();
    assert_eq!(
        (date.value.as_str(), date.method, date.confidence),
        ("2019-11-21", DateMethod::Declared, 0.9)
    );
    let line1 = common::fixture("jsonl/articles.jsonl");
    let line1 = line1.split(|&b| b == b'\n').next().unwrap();
    assert_eq!(first.raw, line1, "raw is the line");

    assert_eq!(
        docs[1].content,
        Content::Html("<p>Second article.</p>".into())
    );
    assert_eq!(
        docs[1].hints.published.as_ref().unwrap().value,
        "2019-11-21T10:00:00Z"
    );
    assert_eq!(
        docs[2].hints.published, None,
        "an unparseable date is dropped, not fatal"
    );
    assert_eq!(
        docs[3].hints.published.as_ref().unwrap().value,
        "2019-11-21",
        "a time without an offset keeps only the day: no zone is invented"
    );

    let links = read.links();
    assert_eq!(links[0].url, "https://a.example/3");
    assert_eq!(links[0].origin, Origin::record("export.jsonl", "line 5"));
    assert_eq!(
        links[0].published.as_ref().unwrap().value,
        "2019-11-21T10:00:00Z"
    );

    assert_eq!(
        read.problems(),
        vec![
            "export.jsonl (line 4): not a JSON object (expected value at column 1)",
            "export.jsonl (line 6): not a JSON object (found an array)",
            "export.jsonl (line 8): no text, html or url",
        ]
    );
}

#[test]
fn jsonl_source_option_wins_and_gzip_streams() {
    let data = common::gzip(&common::fixture("jsonl/articles.jsonl"));
    let read = common::bytes_with("export.jsonl.gz", &data, &opts_with_source("Mine"));
    assert_eq!(read.summary().documents, 4);
    assert_eq!(read.docs()[0].hints.source.as_deref(), Some("Mine"));
}

#[test]
fn json_array_and_pretty_object_files() {
    let array = br#"[{"url": "u1", "text": "one"}, {"url": "u2"}, 5]"#;
    let read = common::bytes("dump.json", array);
    assert_eq!(read.docs()[0].origin.record.as_deref(), Some("item 1"));
    assert_eq!(
        (
            read.summary().documents,
            read.summary().links,
            read.summary().problems
        ),
        (1, 1, 1)
    );

    let pretty = b"{\n  \"title\": \"T\",\n  \"text\": \"Body\"\n}\n";
    let read = common::bytes("one.json", pretty);
    assert_eq!(read.docs()[0].content, Content::Text("Body".into()));
}

#[test]
fn jsonl_long_line_is_skipped_without_stopping() {
    let opts = IngestOptions {
        max_document_bytes: 100,
        ..IngestOptions::default()
    };
    let mut data = format!("{{\"text\": \"{}\"}}\n", "x".repeat(500)).into_bytes();
    data.extend_from_slice(b"{\"text\": \"short\"}\n");
    let read = common::bytes_with("a.jsonl", &data, &opts);
    assert_eq!(read.summary().documents, 1);
    assert_eq!(
        read.problems(),
        vec!["a.jsonl (line 1): too large (0.0 MB; limit 0.0 MB per document)"]
    );
}

#[test]
fn sink_can_stop_early() {
    let mut seen = 0;
    let result = read_bytes(
        "export.jsonl",
        &common::fixture("jsonl/articles.jsonl"),
        &IngestOptions::default(),
        &mut |_| {
            seen += 1;
            ControlFlow::Break(())
        },
    );
    assert!(result.is_ok());
    assert_eq!(seen, 1);
}

// ------------------------------------------------------------------ feeds

#[test]
fn rss2_items_become_documents_or_links() {
    let read = common::bytes("feeds/rss2.xml", &common::fixture("feeds/rss2.xml"));
    assert_eq!(read.summary().format, Some(InputFormat::Feed));
    let docs = read.docs();
    assert_eq!(docs.len(), 2);
    let d = docs[0];
    assert_eq!(d.origin, Origin::record("feeds/rss2.xml", "item 1"));
    assert!(
        matches!(&d.content, Content::Html(h) if h.contains("Tokayev met foreign investors")),
        "content:encoded wins over description"
    );
    assert_eq!(
        d.hints.title.as_deref(),
        Some("Tokayev meets investors in the capital")
    );
    assert_eq!(
        d.hints.url.as_deref(),
        Some("https://steppewire.example/2019/11/21/tokayev-investors")
    );
    assert_eq!(d.hints.source.as_deref(), Some("Steppe Wire"));
    assert_eq!(d.hints.authors, vec!["Aigerim Nurlanova"]);
    let date = d.hints.published.clone().unwrap();
    assert_eq!(
        (date.value.as_str(), date.method, date.confidence),
        ("2019-11-21T07:04:00Z", DateMethod::Declared, 0.9)
    );
    // An RSS description is HTML by the RSS 2.0 spec.
    assert_eq!(
        docs[1].content,
        Content::Html("Grain exports to China rose 12% in October, the ministry said.".into())
    );

    let links = read.links();
    let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://steppewire.example/2019/11/19/photo",
            "https://steppewire.example/2019/11/18/link-only"
        ]
    );
    assert_eq!(links[0].origin.record.as_deref(), Some("item 3"));
}

#[test]
fn feed_raw_is_deterministic_json() {
    let bytes = common::fixture("feeds/rss2.xml");
    let a = common::bytes("f.xml", &bytes);
    let b = common::bytes("f.xml", &bytes);
    assert_eq!(a.docs()[0].raw, b.docs()[0].raw);
    let v: serde_json::Value = serde_json::from_slice(&a.docs()[0].raw).unwrap();
    assert_eq!(v["id"], "sw-1001");
    assert_eq!(v["feed_title"], "Steppe Wire");
    assert_eq!(
        v["link"],
        "https://steppewire.example/2019/11/21/tokayev-investors"
    );
    // Items without ids are still deterministic (no invented UUIDs).
    let json = common::fixture("feeds/rss1.rdf");
    assert_eq!(
        common::bytes("r", &json).docs()[0].raw,
        common::bytes("r", &json).docs()[0].raw
    );
}

#[test]
fn atom_entries_with_updated_only_dates() {
    let read = common::bytes_with(
        "atom.xml",
        &common::fixture("feeds/atom.xml"),
        &opts_with_source("BL"),
    );
    let docs = read.docs();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        docs[0].hints.title.as_deref(),
        Some("Port of Gdańsk expands")
    );
    assert!(docs[0].content.as_str().contains("new container terminal"));
    assert_eq!(docs[0].hints.source.as_deref(), Some("BL"));
    assert_eq!(docs[0].hints.authors, vec!["Jan Kowalski"]);
    let updated = docs[0].hints.published.clone().unwrap();
    assert_eq!(
        (updated.value.as_str(), updated.confidence),
        ("2019-11-21T11:00:00Z", 0.6)
    );
    let published = docs[1].hints.published.clone().unwrap();
    assert_eq!(
        (published.value.as_str(), published.confidence),
        ("2019-11-20T08:30:00Z", 0.9)
    );
    assert_eq!(
        docs[1].content,
        Content::Text("Tallinn and Helsinki agreed on a tunnel study.".into())
    );
    assert_eq!(
        docs[1].hints.url.as_deref(),
        Some("https://balticledger.example/plain")
    );
}

#[test]
fn rss1_and_json_feed() {
    let read = common::bytes("x", &common::fixture("feeds/rss1.rdf"));
    assert_eq!(read.summary().format, Some(InputFormat::Feed));
    assert_eq!(
        read.docs()[0].hints.title.as_deref(),
        Some("Parliament votes on budget")
    );

    let read = common::bytes("feed.json", &common::fixture("feeds/feed.json"));
    assert_eq!(read.summary().format, Some(InputFormat::Feed));
    let docs = read.docs();
    assert_eq!(docs.len(), 2);
    assert!(matches!(&docs[0].content, Content::Html(h) if h.contains("50 basis points")));
    assert_eq!(docs[0].hints.authors, vec!["Dana White"]);
    assert_eq!(docs[0].hints.source.as_deref(), Some("JSON Desk"));
    assert!(matches!(&docs[1].content, Content::Text(t) if t.contains("Inflation slowed")));
    assert_eq!(read.links()[0].url, "https://jsondesk.example/3");
}

#[test]
fn feed_in_a_legacy_charset() {
    let read = common::bytes("ru.xml", &common::fixture("feeds/rss-windows-1251.xml"));
    let d = read.docs()[0].clone();
    assert!(d.content.as_str().contains("Токаев"));
    assert_eq!(d.hints.source.as_deref(), Some("Новости"));
}

#[test]
fn not_a_feed() {
    let read = common::bytes("feed.xml", &common::fixture("feeds/not-a-feed.xml"));
    let err = read.error();
    assert!(err.starts_with("feed.xml: not a valid feed ("), "{err}");
    let opts = IngestOptions {
        format: Some(InputFormat::Feed),
        ..IngestOptions::default()
    };
    let read = common::bytes_with("page.html", b"<html><body>x</body></html>", &opts);
    assert!(read.error().starts_with("page.html: not a valid feed ("));
}

// ------------------------------------------------------------------ e-mail

#[test]
fn multipart_newsletter_prefers_html() {
    let raw = common::fixture("email/newsletter-multipart.eml");
    let read = common::bytes("issue.eml", &raw);
    assert_eq!(read.summary().format, Some(InputFormat::Email));
    let d = read.docs()[0].clone();
    assert_eq!(d.origin, Origin::file("issue.eml"));
    assert_eq!(d.raw, raw);
    let Content::Html(html) = &d.content else {
        panic!("expected the HTML part");
    };
    assert!(
        html.contains("Świnoujściu") && html.contains("Bałtyku"),
        "{html}"
    );
    assert_eq!(
        d.hints.title.as_deref(),
        Some("Poranny przegląd: Świnoujście")
    );
    assert_eq!(d.hints.source.as_deref(), Some("Przegląd Bałtycki"));
    assert_eq!(
        d.hints.url.as_deref(),
        Some("https://example.pl/newsletter/2019-11-21")
    );
    let date = d.hints.published.unwrap();
    assert_eq!(
        (date.value.as_str(), date.method, date.confidence),
        ("2019-11-21T06:00:00Z", DateMethod::EmailHeader, 0.7)
    );
}

#[test]
fn plain_text_mail_in_koi8r() {
    let read = common::bytes_with(
        "m",
        &common::fixture("email/plain-koi8r.eml"),
        &opts_with_source("Desk"),
    );
    let d = read.docs()[0].clone();
    assert!(matches!(&d.content, Content::Text(t) if t.contains("Токаев")));
    assert!(!d.hints.title_in_text);
    assert_eq!(
        d.hints.title.as_deref(),
        Some("Токаев встретился с инвесторами")
    );
    assert_eq!(d.hints.source.as_deref(), Some("Desk"));
    assert_eq!(d.hints.published.unwrap().value, "2019-11-21T04:30:00Z");
}

// ------------------------------------------------------------------ WARC

fn check_sample_warc(name: &str, data: &[u8]) {
    let read = common::bytes(name, data);
    let s = read.summary().clone();
    assert_eq!(
        (s.format, s.documents, s.links, s.problems),
        (Some(InputFormat::Warc), 3, 0, 0),
        "{name}"
    );
    let docs = read.docs();
    let urls: Vec<_> = docs
        .iter()
        .map(|d| d.hints.url.as_deref().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "http://example.ru/news/1",
            "http://example.com/chunked",
            "http://example.com/gzipped"
        ]
    );
    assert!(
        docs[0].content.as_str().contains("Токаев"),
        "charset from the HTTP header"
    );
    assert!(
        docs[0].raw.starts_with(b"<!DOCTYPE html>"),
        "raw is the HTTP payload"
    );
    assert!(docs[1]
        .content
        .as_str()
        .contains("Chunked transfer coding is undone"));
    assert!(!docs[1].content.as_str().contains("\r\n0\r\n"));
    assert!(docs[2]
        .content
        .as_str()
        .contains("Content coding gzip is undone"));
    assert!(docs.iter().all(|d| d.format == InputFormat::Warc));
    assert!(docs[0]
        .origin
        .record
        .as_deref()
        .unwrap()
        .starts_with("record at byte "));
}

#[test]
fn warc_responses_become_documents() {
    check_sample_warc("sample.warc", &common::fixture("warc/sample.warc"));
}

#[test]
fn warc_gz_of_record_members() {
    check_sample_warc("sample.warc.gz", &common::fixture("warc/sample.warc.gz"));
    // A gzip of the whole file works too.
    check_sample_warc(
        "whole.warc.gz",
        &common::gzip(&common::fixture("warc/sample.warc")),
    );
}

#[test]
fn warc_record_offsets_point_at_records() {
    let data = common::fixture("warc/sample.warc");
    let read = common::bytes("s.warc", &data);
    for d in read.docs() {
        let at: usize = d
            .origin
            .record
            .as_deref()
            .unwrap()
            .trim_start_matches("record at byte ")
            .parse()
            .unwrap();
        assert!(data[at..].starts_with(b"WARC/1.0\r\nWARC-Type: response"));
    }
}

#[test]
fn warc_truncated_record_keeps_earlier_documents() {
    let read = common::bytes("t.warc", &common::fixture("warc/truncated.warc"));
    assert_eq!(read.summary().documents, 1);
    let problems = read.problems();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("t.warc (record at byte "),
        "{}",
        problems[0]
    );
    assert!(
        problems[0].contains("): truncated (expected "),
        "{}",
        problems[0]
    );
    assert!(matches!(read.items.last(), Some(Item::Problem(_))));
}

#[test]
fn warc_oversized_response_is_skipped_with_a_problem() {
    let opts = IngestOptions {
        max_document_bytes: 500,
        ..IngestOptions::default()
    };
    let read = common::bytes_with("s.warc", &common::fixture("warc/sample.warc"), &opts);
    let s = read.summary();
    // The windows-1251 page is over the limit; so is the PNG, silently.
    assert_eq!((s.documents, s.problems), (2, 1), "{:?}", read.problems());
    assert!(read.problems()[0].contains("too large (0.0 MB; limit 0.0 MB per document)"));
    assert!(read
        .docs()
        .iter()
        .any(|d| d.hints.url.as_deref() == Some("http://example.com/gzipped")));
}

/// Real-world archives from the resiliparse test suite, when present.
#[test]
fn resiliparse_fixtures_if_present() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/warc/resiliparse-warc-fixtures");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    for path in paths {
        let read = common::input(
            &dossier_ingest::Input::File(path.clone()),
            &IngestOptions::default(),
        );
        match &read.result {
            Ok(s) => eprintln!("{}: {s:?}", path.display()),
            Err(p) => eprintln!("{}: {p}", path.display()),
        }
        for d in read.docs() {
            assert!(!d.raw.is_empty());
        }
    }
}
