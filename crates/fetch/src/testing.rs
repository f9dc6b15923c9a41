//! A canned-response HTTP server on loopback, for tests that exercise the
//! fetcher (here and in the `dossier` end-to-end tests). Enabled by the
//! `test-server` feature; never part of the product.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A canned response: status line (e.g. "200 OK"), headers, body.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the handler sees of a request.
pub struct Request<'a> {
    pub path: &'a str,
    /// Header names lower-cased.
    pub headers: &'a [(String, String)],
    /// The server's base URL, `http://127.0.0.1:PORT`.
    pub base: &'a str,
    /// 1 for the first request to this path, 2 for the second...
    pub nth: usize,
}

/// Every request served: (path, headers).
pub type RequestLog = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

/// Serves `handler` on an ephemeral loopback port in a background thread;
/// returns the base URL and the request log.
pub fn serve(handler: impl Fn(&Request) -> Canned + Send + Sync + 'static) -> (String, RequestLog) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let log: RequestLog = Arc::new(Mutex::new(Vec::new()));
    let (log2, base2) = (log.clone(), base.clone());
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            // One thread per connection, so a slow response does not hold
            // up the others and concurrency limits can be observed.
            let (log, base, handler) = (log2.clone(), base2.clone(), handler.clone());
            std::thread::spawn(move || answer(stream, &log, &base, &*handler));
        }
    });
    (base, log)
}

fn answer(
    mut stream: std::net::TcpStream,
    log: &RequestLog,
    base: &str,
    handler: &(impl Fn(&Request) -> Canned + ?Sized),
) {
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.trim().split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let nth = {
        let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
        log.push((path.clone(), headers.clone()));
        log.iter().filter(|(p, _)| *p == path).count()
    };
    let c = handler(&Request {
        path: &path,
        headers: &headers,
        base,
        nth,
    });
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        c.status,
        c.body.len()
    );
    for (k, v) in &c.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&c.body);
}
