//! End-to-end tests of following outlets: `dossier fetch`, `sources` and
//! `watch --once` against HTTP servers on loopback started by the tests.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use assert_cmd::cargo::CommandCargoExt;
use dossier_fetch::testing;
use serde_json::Value;

struct Canned {
    status: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

type Log = testing::RequestLog;
type Handler = dyn Fn(&str, &[(String, String)], &str) -> Canned + Send + Sync;

/// Serves canned responses on 127.0.0.1; `handler(path, headers, base)`.
fn serve(handler: Arc<Handler>) -> (String, Log) {
    testing::serve(move |r| {
        let c = handler(r.path, r.headers, r.base);
        testing::Canned {
            status: c.status,
            headers: c
                .headers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            body: c.body,
        }
    })
}

fn html(title: &str, para: &str) -> Vec<u8> {
    let body: String = (0..6)
        .map(|i| format!("<p>{para} This is sentence number {i} of the report, with enough words to be an article paragraph.</p>"))
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"2024-03-01T10:00:00Z\"></head>\
         <body><article><h1>{title}</h1>{body}</article></body></html>"
    )
    .into_bytes()
}

fn feed(base: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title>
        <link>{base}/</link>
        <item><title>Harbour reopens</title><link>{base}/news/harbour?utm_source=rss</link>
          <description>Short summary only.</description></item>
        <item><title>Council votes</title><link>{base}/news/council</link></item>
        <item><title>Secret</title><link>{base}/private/leak</link></item>
        </channel></rss>"#
    )
    .into_bytes()
}

fn site(path: &str, headers: &[(String, String)], base: &str) -> Canned {
    let header = |k: &str| {
        headers
            .iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.as_str())
    };
    let ok = |body: Vec<u8>, ctype: &str| Canned {
        status: "200 OK",
        headers: vec![("Content-Type", ctype.to_owned())],
        body,
    };
    let path = path.split('?').next().unwrap_or(path);
    match path {
        "/robots.txt" => ok(
            b"User-agent: *\nDisallow: /private\n".to_vec(),
            "text/plain",
        ),
        "/feed.xml" if header("if-none-match") == Some("\"feed-1\"") => Canned {
            status: "304 Not Modified",
            headers: vec![],
            body: vec![],
        },
        "/feed.xml" => {
            let mut c = ok(feed(base), "application/rss+xml");
            c.headers.push(("ETag", "\"feed-1\"".into()));
            c
        }
        "/news/harbour" => ok(
            html(
                "Harbour reopens after storm",
                "The harbour of Port Example reopened on Friday after the storm, officials said.",
            ),
            "text/html; charset=utf-8",
        ),
        "/news/council" => ok(
            html(
                "Council votes on new budget",
                "The city council approved a new budget on Thursday after a long debate.",
            ),
            "text/html; charset=utf-8",
        ),
        "/old" => Canned {
            status: "301 Moved Permanently",
            headers: vec![("Location", "/news/council".into())],
            body: vec![],
        },
        _ => Canned {
            status: "404 Not Found",
            headers: vec![],
            body: b"not found".to_vec(),
        },
    }
}

fn dossier(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dossier").unwrap();
    cmd.arg("--data").arg(data).env_remove("DOSSIER_DATA");
    cmd
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

const FAST: [&str; 2] = ["--host-delay-ms", "0"];

#[test]
fn fetch_follows_a_redirect_and_stores_the_final_url() {
    let (base, _) = serve(Arc::new(site));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let s = json(
        dossier(&data)
            .args(["fetch", &format!("{base}/old")])
            .args(FAST),
    );
    assert_eq!(s["fetched"], 1);
    assert_eq!(s["new"], 1, "{s}");
    let list = json(dossier(&data).arg("list"));
    let url = list[0]["url"].as_str().unwrap_or_default().to_owned();
    assert_eq!(url, format!("{base}/news/council"), "{list}");

    // robots.txt forbids /private: nothing fetched, exit 1, reason given.
    let out = dossier(&data)
        .args(["fetch", &format!("{base}/private/leak")])
        .args(FAST)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("robots.txt"));
}

#[test]
fn watch_once_ingests_item_pages_then_gets_a_304() {
    let (base, log) = serve(Arc::new(site));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let opml = dir.path().join("follow.opml");
    std::fs::write(
        &opml,
        format!(
            r#"<opml version="2.0"><body><outline text="Loopback News" xmlUrl="{base}/feed.xml" htmlUrl="{base}/"/></body></opml>"#
        ),
    )
    .unwrap();
    let out = dossier(&data)
        .arg("sources")
        .arg("import")
        .arg(&opml)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Adding the same feed again (a tracking parameter differs) updates it.
    let out = dossier(&data)
        .args([
            "sources",
            "add",
            &format!("{base}/feed.xml?utm_source=x"),
            "--kind",
            "independent",
            "--lang",
            "en",
            "--name",
            "Loopback News",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let sources = json(dossier(&data).args(["sources", "list"]));
    assert_eq!(sources.as_array().unwrap().len(), 1, "{sources}");
    assert_eq!(sources[0]["kind"], "independent");
    assert_eq!(sources[0]["feed_url"], format!("{base}/feed.xml"));

    let w = json(dossier(&data).args(["watch", "--once"]).args(FAST));
    assert_eq!(w["feeds_fetched"], 1, "{w}");
    assert_eq!(w["items"], 3);
    assert_eq!(w["articles_new"], 2, "{w}");
    assert_eq!(w["page_errors"], 1, "robots.txt forbids /private: {w}");
    {
        let log = log.lock().unwrap();
        assert!(log.iter().any(|(p, _)| p == "/news/harbour?utm_source=rss"));
        assert!(!log.iter().any(|(p, _)| p.starts_with("/private")));
    }
    let list = json(dossier(&data).arg("list"));
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"Harbour reopens after storm"),
        "{titles:?}"
    );
    assert_eq!(list[0]["source"], "Loopback News");

    // Second poll: the feed answers 304 to the ETag; nothing refetched.
    let before = log.lock().unwrap().len();
    let w = json(dossier(&data).args(["watch", "--once"]).args(FAST));
    assert_eq!(w["feeds_not_modified"], 1, "{w}");
    assert_eq!(w["pages_fetched"], 0);
    let log = log.lock().unwrap();
    let feed_req = log[before..]
        .iter()
        .find(|(p, _)| p == "/feed.xml")
        .expect("feed polled");
    assert!(feed_req
        .1
        .iter()
        .any(|(k, v)| k == "if-none-match" && v == "\"feed-1\""));

    let health = json(dossier(&data).args(["sources", "health"]));
    assert_eq!(health[0]["articles"], 2, "{health}");
    assert_eq!(health[0]["errors"]["robots"], 1, "{health}");
    assert!(health[0]["last_success"].is_string());
    assert_eq!(health[0]["feed_failures"], 0);
}

#[test]
fn watch_without_sources_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let out = dossier(&data).args(["watch", "--once"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no sources"));
}
