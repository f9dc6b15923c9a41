//! Polite blocking HTTP fetching for following outlets.
//!
//! [`Fetcher`] wraps a `ureq` agent with: timeouts at every step (connect,
//! read, write and the whole request), redirects followed by hand within
//! [`FetchConfig::max_redirects`] (each hop checked against robots.txt), a
//! stable User-Agent, a minimum delay between requests to one host, retries
//! with exponential backoff on 429/503 honouring `Retry-After`, a cap on
//! requests in flight per host shared by all clones, robots.txt,
//! gzip responses decoded within a size cap, and conditional GET
//! ([`Conditional`]). [`normalize_url`] makes URLs comparable for
//! de-duplication. Nothing here prints or touches the store.

mod normalize;
mod robots;
#[cfg(feature = "test-server")]
pub mod testing;

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

pub use normalize::normalize_url;
pub use robots::Robots;

/// The User-Agent every request carries.
pub const USER_AGENT: &str = concat!(
    "dossier/",
    env!("CARGO_PKG_VERSION"),
    " (+https://example.invalid/dossier)"
);
/// The token matched against robots.txt `User-agent` lines.
pub const ROBOTS_TOKEN: &str = "dossier";

/// How to fetch. The defaults suit following news outlets.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub connect_timeout: Duration,
    /// Per read/write on the socket.
    pub io_timeout: Duration,
    /// The whole request, body included.
    pub request_timeout: Duration,
    pub max_redirects: u32,
    /// Largest body kept (after decompression).
    pub max_bytes: usize,
    /// Minimum time between two requests to one host.
    pub host_delay: Duration,
    /// Requests to one host in flight at once, across all clones of a
    /// [`Fetcher`].
    pub max_per_host: usize,
    /// Retries after a 429 or 503 (so `max_retries + 1` attempts).
    pub max_retries: u32,
    /// First backoff when the server gives no `Retry-After`; doubles each time.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured; longer ones fail the fetch.
    pub max_retry_after: Duration,
    pub respect_robots: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(10),
            io_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(60),
            max_redirects: 5,
            max_bytes: 32 * 1024 * 1024,
            host_delay: Duration::from_secs(1),
            max_per_host: 1,
            max_retries: 3,
            backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(120),
            respect_robots: true,
        }
    }
}

/// Validators from an earlier fetch of the same URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditional {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful response.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL after redirects.
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// Validators to send next time.
    pub validators: Conditional,
    /// Attempts made (1 unless the server asked us to come back later).
    pub attempts: u32,
}

/// What a fetch gave.
#[derive(Debug, Clone)]
pub enum Fetched {
    Page(Page),
    /// 304: the validators still hold; nothing changed.
    NotModified {
        final_url: String,
    },
}

/// Why a fetch failed. [`FetchError::kind`] names the class for health counts.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("invalid URL {0:?}")]
    InvalidUrl(String),
    #[error("{0}: forbidden by robots.txt")]
    Robots(String),
    #[error("{url}: cannot resolve host ({detail})")]
    Dns { url: String, detail: String },
    #[error("{url}: timed out ({detail})")]
    Timeout { url: String, detail: String },
    #[error("{url}: {detail}")]
    Network { url: String, detail: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: u32 },
    #[error("{url}: redirect without a usable Location")]
    BadRedirect { url: String },
    #[error("{url}: broken gzip body ({detail})")]
    Gzip { url: String, detail: String },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
}

impl FetchError {
    /// A short class: invalid-url, robots, dns, timeout, network, 4xx, 5xx,
    /// redirects, gzip, too-large.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl(_) => "invalid-url",
            FetchError::Robots(_) => "robots",
            FetchError::Dns { .. } => "dns",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Network { .. } => "network",
            FetchError::Status { status, .. } if *status < 500 => "4xx",
            FetchError::Status { .. } => "5xx",
            FetchError::TooManyRedirects { .. } | FetchError::BadRedirect { .. } => "redirects",
            FetchError::Gzip { .. } => "gzip",
            FetchError::TooLarge { .. } => "too-large",
        }
    }

    /// The HTTP status, when the server answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A polite HTTP client. Keeps per-host timing and robots.txt rules in
/// memory for its lifetime. Clones share them (and the connection pool), so
/// several threads fetching with clones still keep each host's delay and
/// concurrency cap.
#[derive(Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    config: FetchConfig,
    hosts: Arc<Hosts>,
    robots: Arc<Mutex<HashMap<String, Robots>>>,
}

/// Per-host politeness shared by the clones of one [`Fetcher`].
#[derive(Default)]
struct Hosts {
    state: Mutex<HashMap<String, HostState>>,
    freed: Condvar,
}

#[derive(Clone, Copy)]
struct HostState {
    /// The earliest start of the next request.
    next_slot: Instant,
    in_flight: usize,
}

/// A request slot on one host, given back on drop.
struct HostPermit<'a> {
    hosts: &'a Hosts,
    key: String,
}

impl Hosts {
    /// Waits until the host has fewer than `cap` requests in flight, then
    /// reserves the next start time `delay` after the previous one and
    /// sleeps until it.
    fn acquire(&self, key: &str, cap: usize, delay: Duration) -> HostPermit<'_> {
        let cap = cap.max(1);
        let mut map = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while map.get(key).is_some_and(|h| h.in_flight >= cap) {
            map = self.freed.wait(map).unwrap_or_else(PoisonError::into_inner);
        }
        let now = Instant::now();
        let entry = map.entry(key.to_owned()).or_insert(HostState {
            next_slot: now,
            in_flight: 0,
        });
        let start = entry.next_slot.max(now);
        entry.next_slot = start + delay;
        entry.in_flight += 1;
        drop(map);
        let now = Instant::now();
        if start > now {
            std::thread::sleep(start - now);
        }
        HostPermit {
            hosts: self,
            key: key.to_owned(),
        }
    }
}

impl Drop for HostPermit<'_> {
    fn drop(&mut self) {
        let mut map = self
            .hosts
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(h) = map.get_mut(&self.key) {
            h.in_flight = h.in_flight.saturating_sub(1);
        }
        drop(map);
        self.hosts.freed.notify_all();
    }
}

/// One raw exchange: status, headers we need, body.
struct Exchange {
    status: u16,
    location: Option<String>,
    retry_after: Option<String>,
    content_type: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    body: Vec<u8>,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Fetcher {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(config.connect_timeout)
            .timeout_read(config.io_timeout)
            .timeout_write(config.io_timeout)
            .timeout(config.request_timeout)
            .redirects(0)
            .user_agent(USER_AGENT)
            .build();
        Fetcher {
            agent,
            config,
            hosts: Arc::default(),
            robots: Arc::default(),
        }
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// GETs `url`, following redirects, sending `cond`'s validators to the
    /// first URL only (a redirect target is another resource).
    pub fn get(&self, url: &str, cond: &Conditional) -> Result<Fetched, FetchError> {
        let mut current =
            url::Url::parse(url).map_err(|_| FetchError::InvalidUrl(url.to_owned()))?;
        if !matches!(current.scheme(), "http" | "https") || current.host_str().is_none() {
            return Err(FetchError::InvalidUrl(url.to_owned()));
        }
        let mut redirects = 0;
        loop {
            if self.config.respect_robots && !self.robots_allow(&current) {
                return Err(FetchError::Robots(current.to_string()));
            }
            let cond_here = if redirects == 0 {
                cond.clone()
            } else {
                Conditional::default()
            };
            let (ex, attempts) = self.with_retries(&current, &cond_here)?;
            let here = current.to_string();
            match ex.status {
                200..=299 => {
                    return Ok(Fetched::Page(Page {
                        final_url: here,
                        status: ex.status,
                        content_type: ex.content_type,
                        body: ex.body,
                        validators: Conditional {
                            etag: ex.etag,
                            last_modified: ex.last_modified,
                        },
                        attempts,
                    }))
                }
                304 => return Ok(Fetched::NotModified { final_url: here }),
                301 | 302 | 303 | 307 | 308 => {
                    redirects += 1;
                    if redirects > self.config.max_redirects {
                        return Err(FetchError::TooManyRedirects {
                            url: url.to_owned(),
                            limit: self.config.max_redirects,
                        });
                    }
                    let next = ex
                        .location
                        .and_then(|l| current.join(&l).ok())
                        .filter(|u| matches!(u.scheme(), "http" | "https"))
                        .ok_or(FetchError::BadRedirect { url: here })?;
                    current = next;
                }
                status => return Err(FetchError::Status { url: here, status }),
            }
        }
    }

    /// One URL, retried on 429/503.
    fn with_retries(
        &self,
        url: &url::Url,
        cond: &Conditional,
    ) -> Result<(Exchange, u32), FetchError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let ex = self.exchange(url, cond)?;
            if !matches!(ex.status, 429 | 503) || attempt > self.config.max_retries {
                return Ok((ex, attempt));
            }
            let wait = match ex.retry_after.as_deref().and_then(parse_retry_after) {
                Some(wait) if wait > self.config.max_retry_after => return Ok((ex, attempt)),
                Some(wait) => wait,
                None => self.config.backoff * 2u32.saturating_pow(attempt - 1),
            };
            std::thread::sleep(wait);
        }
    }

    /// One request, after the host's delay and within its concurrency cap;
    /// reads and decodes the body.
    fn exchange(&self, url: &url::Url, cond: &Conditional) -> Result<Exchange, FetchError> {
        let _permit = self.hosts.acquire(
            &host_key(url),
            self.config.max_per_host,
            self.config.host_delay,
        );
        let mut req = self
            .agent
            .request_url("GET", url)
            .set("Accept-Encoding", "gzip");
        if let Some(etag) = &cond.etag {
            req = req.set("If-None-Match", etag);
        }
        if let Some(lm) = &cond.last_modified {
            req = req.set("If-Modified-Since", lm);
        }
        let resp = match req.call() {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(ureq::Error::Transport(t)) => return Err(transport_error(url.as_str(), &t)),
        };
        let header = |name: &str| resp.header(name).map(str::to_owned);
        let mut ex = Exchange {
            status: resp.status(),
            location: header("location"),
            retry_after: header("retry-after"),
            content_type: header("content-type"),
            etag: header("etag"),
            last_modified: header("last-modified"),
            body: Vec::new(),
        };
        let gzip = header("content-encoding")
            .is_some_and(|e| matches!(e.trim().to_ascii_lowercase().as_str(), "gzip" | "x-gzip"));
        let limit = self.config.max_bytes;
        let mut raw = Vec::new();
        resp.into_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut raw)
            .map_err(|e| io_error(url.as_str(), &e))?;
        if raw.len() > limit {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        ex.body = if gzip && !raw.is_empty() {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(raw.as_slice())
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| FetchError::Gzip {
                    url: url.to_string(),
                    detail: e.to_string(),
                })?;
            if out.len() > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
            out
        } else {
            raw
        };
        Ok(ex)
    }

    /// Reads (once per host) and applies robots.txt. A robots.txt that
    /// cannot be read allows everything. Two threads may both read a new
    /// host's robots.txt once; the rules are the same.
    fn robots_allow(&self, url: &url::Url) -> bool {
        let key = host_key(url);
        let mut path = url.path().to_owned();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        let known = self.robots_lock().get(&key).map(|r| r.allowed(&path));
        if let Some(allowed) = known {
            return allowed;
        }
        let robots = self.load_robots(url);
        let allowed = robots.allowed(&path);
        self.robots_lock().insert(key, robots);
        allowed
    }

    fn robots_lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Robots>> {
        self.robots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn load_robots(&self, url: &url::Url) -> Robots {
        let Ok(mut at) = url.join("/robots.txt") else {
            return Robots::allow_all();
        };
        for _ in 0..=self.config.max_redirects {
            let Ok(ex) = self.exchange(&at, &Conditional::default()) else {
                return Robots::allow_all();
            };
            match ex.status {
                200..=299 => {
                    return Robots::parse(&String::from_utf8_lossy(&ex.body), ROBOTS_TOKEN)
                }
                301 | 302 | 303 | 307 | 308 => match ex.location.and_then(|l| at.join(&l).ok()) {
                    Some(next) => at = next,
                    None => return Robots::allow_all(),
                },
                _ => return Robots::allow_all(),
            }
        }
        Robots::allow_all()
    }
}

/// scheme://host:port, the unit for politeness and robots.txt.
fn host_key(url: &url::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// `Retry-After`: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let secs = (when - jiff::Timestamp::now()).get_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

fn transport_error(url: &str, t: &ureq::Transport) -> FetchError {
    let detail = t.to_string();
    let url = url.to_owned();
    let lower = detail.to_ascii_lowercase();
    if lower.contains("timed out") || lower.contains("timeout") {
        return FetchError::Timeout { url, detail };
    }
    match t.kind() {
        ureq::ErrorKind::Dns => FetchError::Dns { url, detail },
        _ => FetchError::Network { url, detail },
    }
}

fn io_error(url: &str, e: &std::io::Error) -> FetchError {
    let detail = e.to_string();
    if matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    ) || detail.contains("timed out")
    {
        FetchError::Timeout {
            url: url.to_owned(),
            detail,
        }
    } else {
        FetchError::Network {
            url: url.to_owned(),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn user_agent_is_stable() {
        assert!(USER_AGENT.starts_with("dossier/"));
        assert!(USER_AGENT.ends_with("(+https://example.invalid/dossier)"));
    }
}
