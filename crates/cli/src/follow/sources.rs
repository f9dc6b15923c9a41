//! `dossier sources add|import|list|health|every`: the outlets `watch`
//! follows, with the labels the user sets and their poll interval.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use dossier_fetch::normalize_url;
use dossier_store::{NewSource, Store};

#[derive(Args)]
pub struct SourcesArgs {
    #[command(subcommand)]
    command: SourcesCommand,
}

#[derive(Subcommand)]
enum SourcesCommand {
    /// Follow an outlet by its feed URL (RSS, Atom, JSON Feed, or an XML
    /// sitemap / Google News sitemap / sitemap index).
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
        /// Poll every MINUTES (default: adapt to how often it publishes).
        #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(i64).range(1..=10080))]
        every: Option<i64>,
    },
    /// Add every feed (`xmlUrl`) of an OPML file.
    Import { file: PathBuf },
    /// List followed sources.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Per source: last success, errors by kind, items per day, and
    /// whether a normally busy source went silent.
    Health {
        #[arg(long)]
        json: bool,
    },
    /// Set (or with `auto`, clear) a source's poll interval in minutes.
    Every {
        /// Source id (see `sources list`).
        id: i64,
        /// Minutes, or `auto`.
        minutes: String,
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
            every,
        } => {
            let source = new_source(&url, name, lang, kind)?;
            let mut store = open_write(data)?;
            let (id, created) = store.add_source(&source)?;
            if every.is_some() {
                store.set_poll_minutes(id, every)?;
            }
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
                        "{:>4}  {}  {}  lang={} kind={} every={} next={}",
                        s.id,
                        s.name,
                        s.feed_url,
                        s.lang.as_deref().unwrap_or("-"),
                        s.kind.as_deref().unwrap_or("-"),
                        s.poll_minutes
                            .map_or_else(|| "auto".to_owned(), |m| format!("{m}m")),
                        s.next_poll.as_deref().unwrap_or("now"),
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
                println!("{}", super::watch::describe_watcher(&store)?);
                for h in health {
                    let errors: Vec<String> =
                        h.errors.iter().map(|(k, n)| format!("{k}={n}")).collect();
                    println!(
                        "{:>4}  {}{}  last success {}  failing {}x  {:.1} items/day  last item {}  errors: {}",
                        h.id,
                        h.name,
                        if h.silent { "  WENT SILENT" } else { "" },
                        h.last_success.as_deref().unwrap_or("never"),
                        h.feed_failures,
                        h.items_per_day,
                        h.last_item.as_deref().unwrap_or("-"),
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
        SourcesCommand::Every { id, minutes } => {
            let minutes = match minutes.as_str() {
                "auto" => None,
                m => Some(
                    m.parse::<i64>()
                        .ok()
                        .filter(|m| (1..=10080).contains(m))
                        .ok_or_else(|| {
                            anyhow::anyhow!("{m:?}: expected minutes from 1 to 10080, or `auto`")
                        })?,
                ),
            };
            let mut store = open_write(data)?;
            if !store.sources()?.iter().any(|s| s.id == id) {
                anyhow::bail!("no source with id {id} (see `dossier sources list`)");
            }
            store.set_poll_minutes(id, minutes)?;
            eprintln!(
                "source {id} is polled {}",
                minutes.map_or_else(
                    || "as often as it publishes".to_owned(),
                    |m| format!("every {m} minute(s)")
                )
            );
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
