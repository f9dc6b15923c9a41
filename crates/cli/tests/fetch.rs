//! End-to-end tests of following outlets: `dossier fetch`, `sources` and
//! `watch --once` against HTTP servers on loopback started by the tests.

mod common;
use common::{dossier, json, succeed};

use std::process::Command;
use std::sync::Arc;

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

fn ok_html(body: Vec<u8>) -> testing::Canned {
    testing::Canned {
        status: "200 OK",
        headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body,
    }
}

fn not_found() -> testing::Canned {
    testing::Canned {
        status: "404 Not Found",
        headers: vec![],
        body: b"not found".to_vec(),
    }
}

fn rss(base: &str, items: &[(&str, &str)]) -> Vec<u8> {
    let items: String = items
        .iter()
        .map(|(path, date)| {
            format!("<item><title>{path}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>")
        })
        .collect();
    format!(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>"#)
        .into_bytes()
}

#[test]
fn a_silent_edit_is_stored_as_a_revision_with_its_diff() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let (base, _) = testing::serve(move |r| match r.path {
        "/feed.xml" => ok_html(rss(
            r.base,
            &[("/news/fire", "Fri, 01 Mar 2024 10:00:00 GMT")],
        )),
        "/news/fire" => {
            let dead = if v.load(Ordering::SeqCst) == 1 {
                12
            } else {
                14
            };
            ok_html(html(
                "Fire at the harbour warehouse",
                &format!("Officials said {dead} people died in the fire at the harbour warehouse on Friday."),
            ))
        }
        _ => not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    succeed(dossier(&data).args([
        "sources",
        "add",
        &format!("{base}/feed.xml"),
        "--name",
        "Harbour Daily",
    ]));
    let w = json(dossier(&data).args(["watch", "--once"]).args(FAST));
    assert_eq!(w["articles_new"], 1, "{w}");

    // Unchanged: re-checked, stored text seen again, no revision.
    let recheck = ["--recheck-minutes", "0"];
    let w = json(
        dossier(&data)
            .args(["watch", "--once"])
            .args(FAST)
            .args(recheck),
    );
    assert_eq!(
        (w["rechecked"].as_u64(), w["articles_seen"].as_u64()),
        (Some(1), Some(1)),
        "{w}"
    );
    assert_eq!(w["articles_revised"], 0);

    version.store(2, Ordering::SeqCst);
    let w = json(
        dossier(&data)
            .args(["watch", "--once"])
            .args(FAST)
            .args(recheck),
    );
    assert_eq!(w["articles_revised"], 1, "{w}");

    let revs = json(dossier(&data).args(["revisions", &format!("{base}/news/fire")]));
    let revs = revs.as_array().unwrap();
    assert_eq!(revs.len(), 1, "{revs:?}");
    assert_eq!(revs[0]["revision"], 2);
    assert_eq!(revs[0]["source"], "Harbour Daily");
    let change = &revs[0]["changes"]["changes"][0];
    assert_eq!(
        (change["removed"].as_str(), change["added"].as_str()),
        (Some("12"), Some("14")),
        "{change}"
    );
    // Both revisions are reachable from either article.
    let by_old = json(dossier(&data).args(["revisions", revs[0]["previous_id"].as_str().unwrap()]));
    assert_eq!(by_old.as_array().unwrap().len(), 1);
    let health = json(dossier(&data).args(["sources", "health"]));
    assert_eq!(
        health[0]["articles"], 1,
        "a revision is not a new article: {health}"
    );

    // The story and the brief say the outlet changed its article.
    let story = json(dossier(&data).args(["story", "1"]));
    assert_eq!(story["edits"][0]["revision"], 2, "{story}");
    let brief = json(dossier(&data).args(["brief", "--no-save"]));
    let edits = &brief["items"][0]["edits"];
    assert_eq!(edits[0]["source"], "Harbour Daily", "{brief}");
    let out = dossier(&data)
        .args(["brief", "--no-save"])
        .output()
        .unwrap();
    let memo = String::from_utf8_lossy(&out.stdout);
    assert!(
        memo.contains("Edited after publication:** Harbour Daily changed its article"),
        "{memo}"
    );

    // `dossier fetch` of the same page with no change: not a revision.
    let f = json(
        dossier(&data)
            .args(["fetch", &format!("{base}/news/fire")])
            .args(FAST),
    );
    assert_eq!(f["revised"], 0, "{f}");
}

#[test]
fn sitemaps_canonical_links_and_hostile_pages() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let busy = Arc::new(AtomicUsize::new(0));
    let b = busy.clone();
    let (base, _) = testing::serve(move |r| {
        let path = r.path.split('?').next().unwrap_or(r.path);
        match path {
            "/sitemap-index.xml" => ok_html(format!(
                r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <sitemap><loc>{0}/sitemap-old.xml</loc><lastmod>2020-01-01</lastmod></sitemap>
                <sitemap><loc>{0}/sitemap-news.xml</loc><lastmod>2024-03-02</lastmod></sitemap>
                </sitemapindex>"#, r.base).into_bytes()),
            "/sitemap-news.xml" => ok_html(format!(
                r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
                <url><loc>{0}/amp/story?utm_source=sm</loc><news:news><news:publication_date>2024-03-01</news:publication_date><news:title>Story</news:title></news:news></url>
                <url><loc>{0}/story</loc></url>
                <url><loc>{0}/busy</loc></url>
                <url><loc>{0}/badgz</loc></url>
                <url><loc>{0}/paywall</loc></url>
                </urlset>"#, r.base).into_bytes()),
            "/sitemap-old.xml" => not_found(),
            "/amp/story" => {
                let mut page = String::from_utf8(html("Bridge opens to traffic", "The new bridge over the river opened to traffic on Friday morning.")).unwrap();
                page = page.replace("<head>", &format!("<head><link rel=\"canonical\" href=\"{}/story\">", r.base));
                ok_html(page.into_bytes())
            }
            "/busy" if b.fetch_add(1, Ordering::SeqCst) == 0 => testing::Canned {
                status: "429 Too Many Requests",
                headers: vec![("Retry-After".into(), "1".into())],
                body: vec![],
            },
            "/busy" => ok_html(html("Port strike ends", "Dock workers ended their strike on Saturday after a pay deal.")),
            "/badgz" => testing::Canned {
                status: "200 OK",
                headers: vec![("Content-Encoding".into(), "gzip".into())],
                body: b"\x1f\x8b\x08\x00 not really gzip".to_vec(),
            },
            "/paywall" => ok_html(b"<html><head><title>Subscribe</title></head><body><article><h1>Budget talks</h1><p>The finance minister said on</p><p>Subscribe to continue reading. Already a subscriber? Log in.</p></article></body></html>".to_vec()),
            _ => not_found(),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    succeed(dossier(&data).args([
        "sources",
        "add",
        &format!("{base}/sitemap-index.xml"),
        "--name",
        "Sitemap Post",
        "--every",
        "15",
    ]));
    let w = json(dossier(&data).args(["watch", "--once"]).args(FAST));
    assert_eq!(w["feeds_fetched"], 1, "{w}");
    // The AMP URL's canonical is /story: the second entry is the same page.
    assert_eq!(w["articles_new"], 2, "{w}");
    let list = json(dossier(&data).arg("list"));
    let urls: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["url"].as_str())
        .collect();
    assert!(urls.contains(&format!("{base}/story").as_str()), "{urls:?}");
    let health = json(dossier(&data).args(["sources", "health"]));
    let errors = &health[0]["errors"];
    assert_eq!(errors["gzip"], 1, "{health}");
    assert_eq!(errors["paywall"], 1, "{health}");
    assert_eq!(health[0]["silent"], false);
    let sources = json(dossier(&data).args(["sources", "list"]));
    assert_eq!(sources[0]["poll_minutes"], 15);
    assert!(sources[0]["next_poll"].is_string(), "{sources}");
}

#[test]
fn a_busy_source_that_stops_publishing_went_silent() {
    let (base, _) = testing::serve(move |r| match r.path {
        "/quiet.xml" => {
            let now = jiff::Timestamp::now();
            let items: Vec<(String, String)> = (10..30)
                .map(|days| {
                    let t = now
                        .checked_sub(jiff::SignedDuration::from_hours(24 * days))
                        .unwrap();
                    (
                        format!("/q/{days}"),
                        t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string(),
                    )
                })
                .collect();
            let refs: Vec<(&str, &str)> = items
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            ok_html(rss(r.base, &refs))
        }
        _ => not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    succeed(dossier(&data).args(["sources", "add", &format!("{base}/quiet.xml")]));
    json(dossier(&data).args(["watch", "--once"]).args(FAST));
    let health = json(dossier(&data).args(["sources", "health"]));
    assert_eq!(health[0]["silent"], true, "{health}");
    assert!(health[0]["usual_gap_hours"].as_f64().unwrap() <= 24.5);
    let out = dossier(&data).args(["sources", "health"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("WENT SILENT"));
}

#[test]
fn one_watcher_per_store_and_a_killed_one_does_not_block_restart() {
    let (base, _) = serve(Arc::new(site));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    succeed(dossier(&data).args(["sources", "add", &format!("{base}/feed.xml")]));
    let log_path = dir.path().join("watch.log");
    let spawn = || {
        let log = std::fs::File::create(&log_path).unwrap();
        Daemon(
            dossier(&data)
                .args(["watch", "--every", "1"])
                .args(FAST)
                .stderr(log)
                .spawn()
                .unwrap(),
        )
    };
    // A watcher has the lease once its first round has scheduled the
    // source (next_poll moves); looking must not take the lease itself.
    let next_poll = || json(dossier(&data).args(["sources", "list"]))[0]["next_poll"].clone();
    let wait_for_round = |before: &Value| {
        for _ in 0..200 {
            if next_poll() != *before {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!(
            "the watcher never finished a round: {}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
    };
    let refused = || {
        let out = dossier(&data)
            .args(["watch", "--once"])
            .args(FAST)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "a second watcher ran: {stderr}");
        assert!(stderr.contains("another `dossier watch`"), "{stderr}");
        stderr
    };
    let mut daemon = spawn();
    wait_for_round(&Value::Null);
    let message = refused();
    assert!(
        message.contains(&format!("pid {}", daemon.id())),
        "{message}"
    );
    // Ctrl-C (SIGINT) stops it cleanly and gives the lease back.
    let status = Command::new("kill")
        .args(["-INT", &daemon.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = daemon.0.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    succeed(dossier(&data).args(["watch", "--once"]).args(FAST));
    let list = json(dossier(&data).arg("list"));
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "nothing lost or doubled: {list}"
    );

    // kill -9 leaves the lease behind; its process is gone, so a new
    // watcher takes over at once.
    let mut daemon = spawn();
    let watcher = format!("pid {} on", daemon.id());
    let mut seen = false;
    for _ in 0..200 {
        let out = dossier(&data).args(["sources", "health"]).output().unwrap();
        if String::from_utf8_lossy(&out.stdout).contains(&watcher) {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(seen, "`sources health` never named the running watcher");
    refused();
    daemon.0.kill().unwrap();
    daemon.0.wait().unwrap();
    succeed(dossier(&data).args(["watch", "--once"]).args(FAST));
}

/// A background `dossier watch`, killed if a test fails while it runs.
struct Daemon(std::process::Child);

impl Daemon {
    fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
