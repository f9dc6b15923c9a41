//! The fetcher against a real HTTP server on loopback, started here.

use std::io::Write;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dossier_fetch::testing::{self, Canned, RequestLog};
use dossier_fetch::{Conditional, FetchConfig, FetchError, Fetched, Fetcher};

fn ok(body: &str) -> Canned {
    Canned {
        status: "200 OK",
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: body.as_bytes().to_vec(),
    }
}

type Handler = dyn Fn(&str, &[(String, String)], usize) -> Canned + Send + Sync;

/// Serves `handler(path, request headers, nth request for this path)`.
fn serve(handler: Arc<Handler>) -> (String, RequestLog) {
    testing::serve(move |r| handler(r.path, r.headers, r.nth))
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        host_delay: Duration::ZERO,
        backoff: Duration::from_millis(10),
        ..FetchConfig::default()
    })
}

fn page(f: Fetched) -> dossier_fetch::Page {
    match f {
        Fetched::Page(p) => p,
        Fetched::NotModified { .. } => panic!("unexpected 304"),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn handler(path: &str, headers: &[(String, String)], nth: usize) -> Canned {
    let header = |k: &str| {
        headers
            .iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.as_str())
    };
    match path {
        "/robots.txt" => Canned {
            status: "200 OK",
            headers: vec![],
            body: b"User-agent: *\nDisallow: /private\n".to_vec(),
        },
        "/page" => ok("<html>hello</html>"),
        "/etag" if header("if-none-match") == Some("\"v1\"") => Canned {
            status: "304 Not Modified",
            headers: vec![],
            body: vec![],
        },
        "/etag" => {
            let mut c = ok("<html>v1</html>");
            c.headers.push(("ETag".into(), "\"v1\"".into()));
            c.headers.push((
                "Last-Modified".into(),
                "Wed, 21 Oct 2015 07:28:00 GMT".into(),
            ));
            c
        }
        "/moved" => Canned {
            status: "301 Moved Permanently",
            headers: vec![("Location".into(), "/page".into())],
            body: vec![],
        },
        "/loop" => Canned {
            status: "302 Found",
            headers: vec![("Location".into(), "/loop".into())],
            body: vec![],
        },
        "/busy" if nth == 1 => Canned {
            status: "503 Service Unavailable",
            headers: vec![("Retry-After".into(), "1".into())],
            body: vec![],
        },
        "/busy" => ok("<html>ready</html>"),
        "/gz" => Canned {
            status: "200 OK",
            headers: vec![("Content-Encoding".into(), "gzip".into())],
            body: gzip(b"<html>zipped</html>"),
        },
        "/badgz" => {
            let mut body = gzip(b"<html>zipped and then some more text to compress</html>");
            body.truncate(body.len() / 2);
            Canned {
                status: "200 OK",
                headers: vec![("Content-Encoding".into(), "gzip".into())],
                body,
            }
        }
        _ => Canned {
            status: "404 Not Found",
            headers: vec![],
            body: b"no".to_vec(),
        },
    }
}

#[test]
fn fetches_with_user_agent_redirects_gzip_and_conditional_get() {
    let (base, log) = serve(Arc::new(handler));
    let f = fetcher();

    let p = page(
        f.get(&format!("{base}/page"), &Conditional::default())
            .unwrap(),
    );
    assert_eq!(p.body, b"<html>hello</html>");
    assert_eq!(p.final_url, format!("{base}/page"));
    {
        let log = log.lock().unwrap();
        let (path, headers) = log.last().unwrap();
        assert_eq!(path, "/page");
        let ua = headers.iter().find(|(k, _)| k == "user-agent").unwrap();
        assert_eq!(ua.1, dossier_fetch::USER_AGENT);
        assert_eq!(log[0].0, "/robots.txt", "robots.txt is read first");
    }

    let p = page(
        f.get(&format!("{base}/moved"), &Conditional::default())
            .unwrap(),
    );
    assert_eq!(p.final_url, format!("{base}/page"));
    let e = f
        .get(&format!("{base}/loop"), &Conditional::default())
        .unwrap_err();
    assert_eq!(e.kind(), "redirects", "{e}");

    let p = page(
        f.get(&format!("{base}/gz"), &Conditional::default())
            .unwrap(),
    );
    assert_eq!(p.body, b"<html>zipped</html>");
    let e = f
        .get(&format!("{base}/badgz"), &Conditional::default())
        .unwrap_err();
    assert_eq!(e.kind(), "gzip", "{e}");

    let first = page(
        f.get(&format!("{base}/etag"), &Conditional::default())
            .unwrap(),
    );
    assert_eq!(first.validators.etag.as_deref(), Some("\"v1\""));
    match f.get(&format!("{base}/etag"), &first.validators).unwrap() {
        Fetched::NotModified { .. } => {}
        Fetched::Page(_) => panic!("expected 304"),
    }
    let log = log.lock().unwrap();
    let (_, headers) = log.last().unwrap();
    assert!(headers
        .iter()
        .any(|(k, v)| k == "if-modified-since" && v == "Wed, 21 Oct 2015 07:28:00 GMT"));
}

#[test]
fn robots_txt_forbids_a_path() {
    let (base, log) = serve(Arc::new(handler));
    let f = fetcher();
    let e = f
        .get(&format!("{base}/private/x"), &Conditional::default())
        .unwrap_err();
    assert!(matches!(e, FetchError::Robots(_)), "{e}");
    assert!(!log.lock().unwrap().iter().any(|(p, _)| p == "/private/x"));
}

#[test]
fn retries_503_after_retry_after() {
    let (base, _) = serve(Arc::new(handler));
    let f = fetcher();
    let t = Instant::now();
    let p = page(
        f.get(&format!("{base}/busy"), &Conditional::default())
            .unwrap(),
    );
    assert_eq!(p.body, b"<html>ready</html>");
    assert_eq!(p.attempts, 2);
    assert!(t.elapsed() >= Duration::from_millis(900));
}

#[test]
fn errors_are_classified() {
    let (base, _) = serve(Arc::new(handler));
    let f = fetcher();
    let e = f
        .get(&format!("{base}/nothing"), &Conditional::default())
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), ("4xx", Some(404)));
    // A closed port on loopback: a network error, not a panic.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let e = f
        .get(&format!("http://{addr}/"), &Conditional::default())
        .unwrap_err();
    assert_eq!(e.kind(), "network", "{e}");
}

#[test]
fn host_delay_spaces_requests() {
    let (base, _) = serve(Arc::new(handler));
    let f = Fetcher::new(FetchConfig {
        host_delay: Duration::from_millis(300),
        ..FetchConfig::default()
    });
    let t = Instant::now();
    for _ in 0..3 {
        f.get(&format!("{base}/page"), &Conditional::default())
            .unwrap();
    }
    // robots.txt + 3 pages = 4 requests, 3 gaps.
    assert!(
        t.elapsed() >= Duration::from_millis(850),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn clones_share_the_per_host_concurrency_cap() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (n, m) = (now.clone(), most.clone());
    let (base, _) = testing::serve(move |r| {
        if r.path == "/slow" {
            let inside = n.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(inside, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(80));
            n.fetch_sub(1, Ordering::SeqCst);
        }
        ok("<html>slow</html>")
    });
    let f = fetcher();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (f, url) = (f.clone(), format!("{base}/slow"));
            std::thread::spawn(move || f.get(&url, &Conditional::default()).map(|_| ()))
        })
        .collect();
    for t in threads {
        t.join().unwrap().unwrap();
    }
    assert_eq!(
        most.load(Ordering::SeqCst),
        1,
        "one request in flight per host"
    );
}

#[test]
fn a_slow_server_times_out() {
    let (base, _) = testing::serve(|r| {
        if r.path == "/slow" {
            std::thread::sleep(Duration::from_millis(1500));
        }
        ok("<html>late</html>")
    });
    let f = Fetcher::new(FetchConfig {
        host_delay: Duration::ZERO,
        request_timeout: Duration::from_millis(300),
        io_timeout: Duration::from_millis(300),
        ..FetchConfig::default()
    });
    let e = f
        .get(&format!("{base}/slow"), &Conditional::default())
        .unwrap_err();
    assert_eq!(e.kind(), "timeout", "{e}");
}
