//! End to end: ingest a few articles whose text dates the events ("on
//! Monday evening", "the February 6 earthquake"), then read
//! `dossier timeline` as JSON, SVG and HTML, and its errors.

use assert_cmd::Command;
use serde_json::{json, Value};

fn lines() -> String {
    let a = json!({"url": "https://wire.example/quake", "title": "Earthquake of magnitude 7.8 hits southern Turkey",
        "published": "2023-02-06", "source": "Wire",
        "text": "A magnitude 7.8 earthquake struck southern Turkey and northern Syria early on Monday, the disaster agency AFAD said. Thousands of buildings collapsed in Antakya and Kahramanmaras.\n\nRescue teams from 20 countries were on their way, officials said."});
    let b = json!({"url": "https://daily.example/aftershock", "title": "Second strong quake hits Turkey",
        "published": "2023-02-07", "source": "Daily",
        "text": "Rescue teams pulled survivors from the rubble in Antakya on Tuesday, a day after the earthquake of February 6 killed more than 5,000 people. AFAD said a second quake of magnitude 7.5 struck hours later.\n\nPresident Recep Tayyip Erdogan declared a state of emergency in ten provinces."});
    let c = json!({"url": "https://paper.example/hatay", "title": "New earthquake hits <b>Hatay</b> two weeks after disaster",
        "published": "2023-02-21", "source": "Paper & Co",
        "text": "A magnitude 6.4 earthquake hit Hatay province on Monday evening, two weeks after the February 6 earthquake that killed more than 40,000 people in Turkey & Syria. Buildings already damaged collapsed in Antakya, AFAD said.\n\nThe death toll from the February 6 earthquake rose again, officials said on Tuesday."});
    let d = json!({"url": "https://bank.example/ecb", "title": "European Central Bank raises interest rates",
        "published": "2023-02-02", "source": "Bank Paper",
        "text": "The European Central Bank raised its key interest rate by half a point on Thursday, citing persistent inflation in the euro area. Frankfurt officials signalled a further increase in March."});
    format!("{a}\n{b}\n{c}\n{d}\n")
}

fn dossier(data: &str, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("dossier")
        .unwrap()
        .args(["--data", data])
        .args(args)
        .output()
        .unwrap()
}

fn ok_stdout(data: &str, args: &[&str]) -> String {
    let out = dossier(data, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every `&` starts one of the entities the renderers write.
fn check_entities(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        rest = &rest[i + 1..];
        let ok = ["amp;", "lt;", "gt;", "quot;", "#39;"]
            .iter()
            .any(|e| rest.starts_with(e));
        if !ok {
            return Err(format!(
                "bare & before {:?}",
                rest.get(..10).unwrap_or(rest)
            ));
        }
    }
    Ok(())
}

/// A small well-formedness check for the SVG the renderer writes: balanced
/// tags, quoted attributes without `<`, valid entities, one root element.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    let mut roots = 0;
    while let Some(lt) = rest.find('<') {
        check_entities(&rest[..lt])?;
        let after = &rest[lt + 1..];
        let gt = after.find('>').ok_or("unclosed tag")?;
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
            .collect();
        if name.is_empty() {
            return Err(format!("bad tag <{tag}>"));
        }
        // Attributes: name="value" pairs.
        let mut attrs = body[name.len()..].trim();
        while !attrs.is_empty() {
            let eq = attrs
                .find("=\"")
                .ok_or(format!("bad attribute in <{tag}>"))?;
            let value_end = attrs[eq + 2..]
                .find('"')
                .ok_or(format!("unquoted attribute in <{tag}>"))?;
            let value = &attrs[eq + 2..eq + 2 + value_end];
            if value.contains('<') {
                return Err(format!("< in attribute of <{tag}>"));
            }
            check_entities(value)?;
            attrs = attrs[eq + 2 + value_end + 1..].trim_start();
        }
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    check_entities(rest)?;
    if !stack.is_empty() || roots != 1 || !rest.trim().is_empty() {
        return Err(format!("unbalanced: open {stack:?}, {roots} roots"));
    }
    Ok(())
}

#[test]
fn timeline_dates_events_by_the_text_cites_sources_and_draws_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("news.jsonl");
    std::fs::write(&input, lines()).unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    ok_stdout(data, &["ingest", input.to_str().unwrap()]);

    let tl: Value = serde_json::from_str(&ok_stdout(
        data,
        &["timeline", "--topic", "earthquake", "--json"],
    ))
    .unwrap();
    let events = tl["events"].as_array().unwrap();
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    // The day of the first quake, named by later reports, and "Monday
    // evening" in an article of Tuesday 2023-02-21: neither came from a
    // publication date of those reports.
    assert!(dates.contains(&"2023-02-06"), "{tl:#}");
    assert!(dates.contains(&"2023-02-20"), "{tl:#}");
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "events come in date order");
    let first = events.iter().find(|e| e["date"] == "2023-02-06").unwrap();
    assert_eq!(first["rank"], 1, "{tl:#}");
    assert!(first["signals"]["later_articles"].as_u64().unwrap() >= 2);
    let monday = events.iter().find(|e| e["date"] == "2023-02-20").unwrap();
    assert_eq!(monday["sentences"][0]["dated_by"], "timex");
    assert_eq!(monday["sentences"][0]["timex"], "Monday evening");
    // Every sentence cites article, outlet, URL and the span it came from.
    for e in events {
        for s in e["sentences"].as_array().unwrap() {
            let c = &s["citations"][0];
            let id = c["article"].as_str().unwrap();
            let article: Value =
                serde_json::from_str(&ok_stdout(data, &["show", id, "--json"])).unwrap();
            let text = article["text"].as_str().unwrap();
            let (start, end) = (
                c["start"].as_u64().unwrap() as usize,
                c["end"].as_u64().unwrap() as usize,
            );
            let cited: String = text.chars().skip(start).take(end - start).collect();
            assert_eq!(cited, s["text"].as_str().unwrap());
            assert_eq!(c["source"], article["source"]);
            assert_eq!(c["url"], article["url"]);
            assert!(tl["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == id));
        }
    }
    // The bank story is not about earthquakes.
    assert!(!tl.to_string().contains("European Central Bank"));
    assert!(!tl["coverage"]["bins"].as_array().unwrap().is_empty());
    assert_eq!(tl["coverage"]["bucket"], "day");

    // --dates keeps the most important ones.
    let one: Value = serde_json::from_str(&ok_stdout(
        data,
        &[
            "timeline",
            "--topic",
            "earthquake",
            "--dates",
            "1",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(one["events"].as_array().unwrap().len(), 1);
    assert_eq!(one["events"][0]["date"], "2023-02-06");
    let none: Value = serde_json::from_str(&ok_stdout(
        data,
        &[
            "timeline",
            "--topic",
            "earthquake",
            "--dates",
            "0",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert!(none["events"].as_array().unwrap().is_empty());

    // SVG: well-formed, events marked, text escaped.
    let svg = ok_stdout(
        data,
        &["timeline", "--topic", "earthquake", "--format", "svg"],
    );
    well_formed(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("2023-02-20"), "{svg}");
    assert!(svg.contains("Turkey &amp; Syria"), "{svg}");
    assert!(svg.contains("<rect"), "{svg}");

    // HTML: escaped titles and outlets, the chart inline.
    let html = ok_stdout(
        data,
        &["timeline", "--topic", "earthquake", "--format", "html"],
    );
    assert!(html.contains("&lt;b&gt;Hatay&lt;/b&gt;"), "{html}");
    assert!(!html.contains("<b>Hatay"), "{html}");
    assert!(html.contains("Paper &amp; Co"), "{html}");
    assert!(html.contains("<svg"), "{html}");

    // An entity's timeline; Markdown by default.
    let md = ok_stdout(data, &["timeline", "AFAD"]);
    assert!(md.starts_with("# Timeline: entity AFAD"), "{md}");
    assert!(md.contains("## 2023-02-06"), "{md}");
}

#[test]
fn unknown_subjects_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("news.jsonl");
    std::fs::write(&input, lines()).unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    ok_stdout(data, &["ingest", input.to_str().unwrap()]);

    let out = dossier(data, &["timeline", "Nobody Atall"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no entity named \"Nobody Atall\""), "{err}");
    assert!(out.stdout.is_empty());

    let out = dossier(data, &["timeline", "--story", "9999"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no story 9999"), "{err}");

    let out = dossier(data, &["timeline", "--topic", "x", "--since", "2023-13-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));

    // No subject at all: a usage error.
    let out = dossier(data, &["timeline"]);
    assert_eq!(out.status.code(), Some(2));

    // A topic nothing matches: an empty timeline, not an error.
    let tl: Value = serde_json::from_str(&ok_stdout(
        data,
        &["timeline", "--topic", "zeppelin", "--json"],
    ))
    .unwrap();
    assert!(tl["events"].as_array().unwrap().is_empty());
    assert_eq!(tl["articles"], 0);
    let svg = ok_stdout(
        data,
        &["timeline", "--topic", "zeppelin", "--format", "svg"],
    );
    well_formed(&svg).unwrap();
}

#[test]
fn an_empty_store_gives_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("none");
    let out = dossier(data.to_str().unwrap(), &["timeline", "--topic", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store"));
}
