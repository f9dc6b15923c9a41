//! Following outlets: `dossier fetch URL...`, `dossier sources ...` and
//! `dossier watch --once`. Pages are fetched with `dossier-fetch` and run
//! through the same ingest path as files (`Ingest::bytes`).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use dossier_fetch::{normalize_url, Conditional, FetchConfig, FetchError, Fetched, Fetcher};
use dossier_ingest::{IngestOptions, Item};
use dossier_store::{LinkRecord, NewSource, Store};

use crate::ingest::{Ingest, Summary};
use crate::progress;

/// Network settings shared by `fetch` and `watch`.
#[derive(Args, Clone)]
pub struct NetArgs {
    /// Minimum milliseconds between two requests to one host.
    #[arg(long, default_value_t = 1000)]
    host_delay_ms: u64,
    /// Seconds before one request (body included) is abandoned.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Retries after 429/503 (honouring Retry-After).
    #[arg(long, default_value_t = 3)]
    retries: u32,
    /// Largest page to keep, in MiB (after decompression).
    #[arg(long, default_value_t = 32)]
    max_doc_mb: usize,
}

impl NetArgs {
    fn fetcher(&self) -> Fetcher {
        let mut config = FetchConfig {
            host_delay: Duration::from_millis(self.host_delay_ms),
            request_timeout: Duration::from_secs(self.timeout.max(1)),
            max_retries: self.retries,
            max_bytes: self.max_doc_mb.max(1) * 1024 * 1024,
            ..FetchConfig::default()
        };
        config.io_timeout = config.io_timeout.min(config.request_timeout);
        config.connect_timeout = config.connect_timeout.min(config.request_timeout);
        Fetcher::new(config)
    }

    fn ingest_options(&self, source: Option<String>) -> IngestOptions {
        IngestOptions {
            format: None,
            source,
            max_document_bytes: self.max_doc_mb.max(1) * 1024 * 1024,
        }
    }
}

#[derive(Args)]
pub struct FetchArgs {
    /// Page (or feed) URLs.
    #[arg(required = true)]
    urls: Vec<String>,
    /// Outlet name for pages that do not say who published them.
    #[arg(long)]
    source: Option<String>,
    #[command(flatten)]
    net: NetArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct FetchFailure {
    url: String,
    kind: String,
    error: String,
}

#[derive(serde::Serialize)]
struct FetchSummary {
    fetched: usize,
    failed: usize,
    failures: Vec<FetchFailure>,
    #[serde(flatten)]
    ingest: Summary,
}

/// `dossier fetch URL...`
pub fn fetch(data: &Path, args: FetchArgs) -> anyhow::Result<ExitCode> {
    let mut fetcher = args.net.fetcher();
    let opts = args.net.ingest_options(args.source.clone());
    let stop = progress::interrupt_flag();
    let bar = progress::bar(args.urls.len() as u64, "pages");
    let key =
        dossier_core::ArticleId::of_bytes(format!("fetch\n{}", args.urls.join("\n")).as_bytes())
            .to_hex();
    let command = format!("fetch {}", args.urls.join(" "));
    let mut ingest = Ingest::start(data, &key, &command, false, &stop, bar)?;
    let mut failures = Vec::new();
    let mut fetched = 0;
    for url in &args.urls {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        ingest.bar().inc(1);
        let norm = normalize_url(url).unwrap_or_else(|| url.clone());
        match fetcher.get(url, &Conditional::default()) {
            Ok(Fetched::Page(page)) => {
                fetched += 1;
                ingest.store.fetch_succeeded(
                    &norm,
                    page.status,
                    page.validators.etag.as_deref(),
                    page.validators.last_modified.as_deref(),
                )?;
                ingest.store.log_fetch(None, &norm, "ok", None)?;
                let _ = ingest.bytes(&page.final_url, &page.body, &opts)?;
            }
            Ok(Fetched::NotModified { .. }) => fetched += 1,
            Err(e) => {
                record_failure(&mut ingest, None, &norm, &e)?;
                failures.push(FetchFailure {
                    url: url.clone(),
                    kind: e.kind().into(),
                    error: e.to_string(),
                });
            }
        }
    }
    let summary = ingest.finish()?;
    let failed = failures.len();
    let code = if failed > 0 && fetched == 0 {
        ExitCode::FAILURE
    } else {
        crate::ingest::exit_code(&summary)
    };
    if args.json {
        crate::print_json(&FetchSummary {
            fetched,
            failed,
            failures,
            ingest: summary,
        })?;
    } else {
        eprintln!("fetched {fetched} page(s), {failed} failed");
        crate::ingest::report(&summary, false)?;
    }
    Ok(code)
}

fn record_failure(
    ingest: &mut Ingest,
    source: Option<i64>,
    norm: &str,
    e: &FetchError,
) -> anyhow::Result<()> {
    progress::warn(ingest.bar(), &e.to_string());
    ingest.store.fetch_failed(norm, e.status())?;
    ingest
        .store
        .log_fetch(source, norm, e.kind(), Some(&e.to_string()))?;
    Ok(())
}

#[derive(Args)]
pub struct SourcesArgs {
    #[command(subcommand)]
    command: SourcesCommand,
}

#[derive(Subcommand)]
enum SourcesCommand {
    /// Follow an outlet by its feed URL (RSS, Atom or JSON Feed).
    Add {
        url: String,
        /// Display name (default: the host).
        #[arg(long)]
        name: Option<String>,
        /// Language label, e.g. en.
        #[arg(long)]
        lang: Option<String>,
        /// Kind label: state, independent, wire, newsletter, blog...
        #[arg(long)]
        kind: Option<String>,
    },
    /// Add every feed (`xmlUrl`) of an OPML file.
    Import { file: PathBuf },
    /// List followed sources.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Per source: last success, errors by kind, items per day.
    Health {
        #[arg(long)]
        json: bool,
    },
}

/// `dossier sources ...`
pub fn sources(data: &Path, args: SourcesArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        SourcesCommand::Add {
            url,
            name,
            lang,
            kind,
        } => {
            let source = new_source(&url, name, lang, kind)?;
            let mut store = open_write(data)?;
            let (id, created) = store.add_source(&source)?;
            eprintln!(
                "{} source {id}: {} <{}>",
                if created { "added" } else { "updated" },
                source.name,
                source.feed_url
            );
            Ok(ExitCode::SUCCESS)
        }
        SourcesCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let outlines = opml_outlines(&text);
            if outlines.is_empty() {
                anyhow::bail!("{}: no feeds (outline xmlUrl) found", file.display());
            }
            let mut store = open_write(data)?;
            let (mut added, mut updated) = (0, 0);
            for o in outlines {
                match new_source(&o.xml_url, o.name, o.lang, None) {
                    Ok(mut source) => {
                        if let Some(site) = o.html_url.as_deref().and_then(normalize_url) {
                            source.url = site;
                        }
                        match store.add_source(&source)? {
                            (_, true) => added += 1,
                            (_, false) => updated += 1,
                        }
                    }
                    Err(e) => eprintln!("warning: {}: {e:#}", file.display()),
                }
            }
            eprintln!("imported {added} new source(s), {updated} already followed");
            Ok(ExitCode::SUCCESS)
        }
        SourcesCommand::List { json } => {
            let store = Store::open_read(data)?;
            let sources = store.sources()?;
            if json {
                crate::print_json(&sources)?;
            } else if sources.is_empty() {
                eprintln!("no sources; add one with `dossier sources add FEED_URL`");
            } else {
                for s in sources {
                    println!(
                        "{:>4}  {}  {}  lang={} kind={}",
                        s.id,
                        s.name,
                        s.feed_url,
                        s.lang.as_deref().unwrap_or("-"),
                        s.kind.as_deref().unwrap_or("-")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        SourcesCommand::Health { json } => {
            let store = Store::open_read(data)?;
            let health = store.source_health()?;
            if json {
                crate::print_json(&health)?;
            } else {
                for h in health {
                    let errors: Vec<String> =
                        h.errors.iter().map(|(k, n)| format!("{k}={n}")).collect();
                    println!(
                        "{:>4}  {}  last success {}  failing {}x  {:.1} items/day  errors: {}",
                        h.id,
                        h.name,
                        h.last_success.as_deref().unwrap_or("never"),
                        h.feed_failures,
                        h.items_per_day,
                        if errors.is_empty() {
                            "none".to_owned()
                        } else {
                            errors.join(" ")
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn open_write(data: &Path) -> anyhow::Result<Store> {
    Store::open_write(data).with_context(|| format!("cannot open store {}", data.display()))
}

fn new_source(
    url: &str,
    name: Option<String>,
    lang: Option<String>,
    kind: Option<String>,
) -> anyhow::Result<NewSource> {
    let feed_url =
        normalize_url(url).ok_or_else(|| anyhow::anyhow!("not an http(s) URL: {url:?}"))?;
    let parsed = url::Url::parse(&feed_url)?;
    let host = parsed.host_str().unwrap_or_default().to_owned();
    let site = match parsed.port() {
        Some(port) => format!("{}://{host}:{port}/", parsed.scheme()),
        None => format!("{}://{host}/", parsed.scheme()),
    };
    Ok(NewSource {
        name: name.filter(|n| !n.trim().is_empty()).unwrap_or(host),
        url: site,
        feed_url,
        lang,
        kind,
    })
}

struct Outline {
    xml_url: String,
    html_url: Option<String>,
    name: Option<String>,
    lang: Option<String>,
}

/// The `<outline xmlUrl=...>` elements of an OPML file (a flat scan: nested
/// folders are outlines without `xmlUrl` and are skipped).
fn opml_outlines(text: &str) -> Vec<Outline> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<outline") {
        rest = &rest[at + "<outline".len()..];
        let end = rest.find('>').unwrap_or(rest.len());
        let attrs = attributes(&rest[..end]);
        rest = &rest[end..];
        let get = |name: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .filter(|v| !v.trim().is_empty())
        };
        if let Some(xml_url) = get("xmlUrl") {
            out.push(Outline {
                xml_url,
                html_url: get("htmlUrl"),
                name: get("title").or_else(|| get("text")),
                lang: get("language").or_else(|| get("lang")),
            });
        }
    }
    out
}

/// `name="value"` / `name='value'` pairs, entities decoded.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq]
            .trim()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("");
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let body = &after[1..];
        let Some(close) = body.find(quote) else {
            break;
        };
        out.push((name.to_owned(), unescape(&body[..close])));
        rest = &body[close + 1..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[derive(Args)]
pub struct WatchArgs {
    /// Poll every source once and exit (the only mode so far).
    #[arg(long)]
    once: bool,
    #[command(flatten)]
    net: NetArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Default, serde::Serialize)]
struct WatchSummary {
    sources: usize,
    feeds_fetched: usize,
    feeds_not_modified: usize,
    feed_errors: usize,
    items: usize,
    items_known: usize,
    pages_fetched: usize,
    page_errors: usize,
    articles_new: usize,
    articles_seen: usize,
    not_articles: usize,
    #[serde(flatten)]
    ingest: Summary,
}

/// `dossier watch --once`
pub fn watch(data: &Path, args: WatchArgs) -> anyhow::Result<ExitCode> {
    if !args.once {
        anyhow::bail!("only `dossier watch --once` is supported so far (run it from cron)");
    }
    let mut fetcher = args.net.fetcher();
    let stop = progress::interrupt_flag();
    let mut w = WatchSummary::default();
    let bar = progress::bar(0, "sources");
    let mut ingest = Ingest::start(data, "watch", "watch --once", false, &stop, bar)?;
    let sources = ingest.store.sources()?;
    w.sources = sources.len();
    ingest.bar().set_length(sources.len() as u64);
    if sources.is_empty() {
        eprintln!("no sources; add one with `dossier sources add FEED_URL`");
    }
    for source in &sources {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        ingest.bar().inc(1);
        let opts = args.net.ingest_options(Some(source.name.clone()));
        let feed = &source.feed_url;
        let cond = match ingest.store.fetch_state(feed)? {
            Some(st) => Conditional {
                etag: st.etag,
                last_modified: st.last_modified,
            },
            None => Conditional::default(),
        };
        let page = match fetcher.get(feed, &cond) {
            Ok(Fetched::Page(page)) => page,
            Ok(Fetched::NotModified { .. }) => {
                w.feeds_not_modified += 1;
                ingest.store.fetch_succeeded(feed, 304, None, None)?;
                ingest
                    .store
                    .log_fetch(Some(source.id), feed, "not-modified", None)?;
                continue;
            }
            Err(e) => {
                w.feed_errors += 1;
                record_failure(&mut ingest, Some(source.id), feed, &e)?;
                continue;
            }
        };
        w.feeds_fetched += 1;
        let items = match feed_items(&page.final_url, &page.body, &opts) {
            Ok(items) => items,
            Err(reason) => {
                // The validators are not kept, so the next poll gets the
                // feed again rather than a 304 for a feed never read.
                w.feed_errors += 1;
                progress::warn(ingest.bar(), &format!("{feed}: {reason}"));
                ingest.store.fetch_failed(feed, Some(page.status))?;
                ingest
                    .store
                    .log_fetch(Some(source.id), feed, "feed-parse", Some(&reason))?;
                continue;
            }
        };
        ingest.store.fetch_succeeded(
            feed,
            page.status,
            page.validators.etag.as_deref(),
            page.validators.last_modified.as_deref(),
        )?;
        let detail = format!("{} item(s)", items.len());
        ingest
            .store
            .log_fetch(Some(source.id), feed, "ok", Some(&detail))?;
        for item in items {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            w.items += 1;
            watch_item(&mut ingest, &mut fetcher, source, &opts, item, &mut w)?;
        }
    }
    let summary = ingest.finish()?;
    w.ingest = summary;
    let code = if w.ingest.interrupted {
        ExitCode::from(130)
    } else if w.sources > 0 && w.feed_errors == w.sources {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    };
    if args.json {
        crate::print_json(&w)?;
    } else {
        eprintln!(
            "polled {} source(s): {} feed(s) fetched, {} not modified, {} failed; {} item(s), {} already known; {} page(s) fetched, {} failed; {} new article(s), {} seen before, {} not articles",
            w.sources,
            w.feeds_fetched,
            w.feeds_not_modified,
            w.feed_errors,
            w.items,
            w.items_known,
            w.pages_fetched,
            w.page_errors,
            w.articles_new,
            w.articles_seen,
            w.not_articles
        );
    }
    Ok(code)
}

/// A feed item worth fetching: its link and what the feed said.
struct FeedItem {
    url: String,
    title: Option<String>,
    published: Option<String>,
    origin: String,
}

/// The items of a feed, each with a link. `Err` when it is not a feed.
fn feed_items(name: &str, bytes: &[u8], opts: &IngestOptions) -> Result<Vec<FeedItem>, String> {
    let mut items = Vec::new();
    let opts = IngestOptions {
        format: Some(dossier_core::InputFormat::Feed),
        ..opts.clone()
    };
    let read = dossier_ingest::read_bytes(name, bytes, &opts, &mut |item| {
        match item {
            Item::Link(link) => items.push(FeedItem {
                url: link.url,
                title: link.title,
                published: link.published.map(|d| d.value),
                origin: link.origin.to_string(),
            }),
            // A feed item with a summary is not the article: fetch its page.
            Item::Document(doc) => {
                if let Some(url) = doc.hints.url {
                    items.push(FeedItem {
                        url,
                        title: doc.hints.title,
                        published: doc.hints.published.map(|d| d.value),
                        origin: doc.origin.to_string(),
                    })
                }
            }
            Item::Problem(_) => {}
        }
        ControlFlow::Continue(())
    });
    match read {
        Ok(_) => Ok(items),
        Err(problem) => Err(problem.reason),
    }
}

/// Fetches one item's page (unless already ingested) and ingests it.
fn watch_item(
    ingest: &mut Ingest,
    fetcher: &mut Fetcher,
    source: &dossier_store::SourceRow,
    opts: &IngestOptions,
    item: FeedItem,
    w: &mut WatchSummary,
) -> anyhow::Result<()> {
    let Some(norm) = normalize_url(&item.url) else {
        return Ok(());
    };
    if matches!(
        ingest.store.link_status(&norm)?.as_deref(),
        Some("done" | "rejected")
    ) {
        w.items_known += 1;
        return Ok(());
    }
    ingest.store.add_links(&[LinkRecord {
        url: norm.clone(),
        title: item.title,
        source: Some(source.name.clone()),
        published: item.published,
        origin: item.origin,
    }])?;
    let page = match fetcher.get(&item.url, &Conditional::default()) {
        Ok(Fetched::Page(page)) => page,
        Ok(Fetched::NotModified { .. }) => return Ok(()),
        Err(e) => {
            w.page_errors += 1;
            record_failure(ingest, Some(source.id), &norm, &e)?;
            ingest.store.set_link_status(&norm, "failed")?;
            return Ok(());
        }
    };
    w.pages_fetched += 1;
    ingest.store.fetch_succeeded(
        &norm,
        page.status,
        page.validators.etag.as_deref(),
        page.validators.last_modified.as_deref(),
    )?;
    let before = (
        ingest.summary.new,
        ingest.summary.seen_before + ingest.summary.duplicates,
    );
    let read = ingest.bytes(&page.final_url, &page.body, opts)?;
    ingest.flush()?;
    let after = (
        ingest.summary.new,
        ingest.summary.seen_before + ingest.summary.duplicates,
    );
    let (outcome, status) = if after.0 > before.0 {
        w.articles_new += 1;
        ("article", "done")
    } else if after.1 > before.1 {
        w.articles_seen += 1;
        ("seen", "done")
    } else {
        w.not_articles += 1;
        (
            if read.is_err() {
                "parse"
            } else {
                "not-article"
            },
            "rejected",
        )
    };
    ingest.store.set_link_status(&norm, status)?;
    ingest
        .store
        .log_fetch(Some(source.id), &norm, outcome, None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_feeds_are_found() {
        let text = r#"<?xml version="1.0"?><opml version="2.0"><body>
            <outline text="News">
              <outline type="rss" text="A &amp; B" xmlUrl="https://a.example/feed?x=1&amp;utm_source=z" htmlUrl="https://a.example/"/>
              <outline text='Single' xmlUrl='http://b.example/rss' language="de" />
            </outline></body></opml>"#;
        let o = opml_outlines(text);
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].name.as_deref(), Some("A & B"));
        assert_eq!(o[0].xml_url, "https://a.example/feed?x=1&utm_source=z");
        assert_eq!(o[1].lang.as_deref(), Some("de"));
        let s = new_source(&o[0].xml_url, o[0].name.clone(), None, None).unwrap();
        assert_eq!(s.feed_url, "https://a.example/feed?x=1");
        assert_eq!(s.url, "https://a.example/");
    }
}
