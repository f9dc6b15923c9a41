//! End to end: ingest JSON Lines and read `dossier brief` (JSON, Markdown,
//! HTML); save a brief, ingest more, and read what is new since it.

use assert_cmd::Command;
use serde_json::{json, Value};

fn lines() -> String {
    let a = json!({"url": "https://wire.example/quake", "title": "Earthquake of magnitude 6.4 hits Hatay in southern Turkey",
        "published": "2023-02-20", "source": "Wire",
        "text": "An earthquake of magnitude 6.4 struck Hatay province in southern Turkey on Monday, killing at least 3 people and injuring 213, the disaster agency AFAD said. Buildings collapsed in Antakya and rescuers searched the rubble through the night.\n\nThe quake followed the devastating earthquakes of February 6 in the same region."});
    let b = json!({"url": "https://daily.example/hatay", "title": "Hatay earthquake kills 3, injures 213 in Turkey",
        "published": "2023-02-21", "source": "Daily",
        "text": "A 6.4 magnitude earthquake shook Hatay in southern Turkey on Monday evening. AFAD said 3 people were killed and 213 injured as buildings collapsed in Antakya, and rescuers searched the rubble.\n\nResidents spent the night outdoors in the cold, fearing aftershocks."});
    let c = json!({"url": "https://bank.example/ecb", "title": "European Central Bank raises interest rates again",
        "published": "2023-02-16", "source": "Bank Paper",
        "text": "The European Central Bank raised its key interest rate by a quarter point on Thursday, citing persistent inflation in the euro area. Frankfurt officials signalled further increases."});
    format!("{a}\n{b}\n{c}\n")
}

#[test]
fn brief_ranks_the_two_outlet_story_first_with_cited_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("news.jsonl");
    std::fs::write(&input, lines()).unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    Command::cargo_bin("dossier")
        .unwrap()
        .args(["--data", data, "ingest"])
        .arg(&input)
        .assert()
        .success();
    let out = Command::cargo_bin("dossier")
        .unwrap()
        .args(["--data", data, "brief", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let brief: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Default window: the 7 days ending on the newest publication day.
    assert_eq!(brief["until"], "2023-02-21");
    assert_eq!(brief["since"], "2023-02-15");
    let items = brief["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{brief:#}");
    let top = &items[0];
    assert_eq!(top["signals"]["outlets"], 2, "{brief:#}");
    assert_eq!(
        top["headline"],
        "Earthquake of magnitude 6.4 hits Hatay in southern Turkey"
    );
    let sources: Vec<&str> = top["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["Wire", "Daily"]);
    // Every sentence is cited, and the span points at the sentence.
    let sentences = top["sentences"].as_array().unwrap();
    assert!(!sentences.is_empty());
    for s in sentences {
        let c = &s["citations"][0];
        let id = c["article"].as_str().unwrap();
        let show = Command::cargo_bin("dossier")
            .unwrap()
            .args(["--data", data, "show", id, "--json"])
            .output()
            .unwrap();
        let article: Value = serde_json::from_slice(&show.stdout).unwrap();
        let text = article["text"].as_str().unwrap();
        let (start, end) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        let cited: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(cited, s["text"].as_str().unwrap());
    }
    // --topic narrows to the bank story.
    let out = Command::cargo_bin("dossier")
        .unwrap()
        .args([
            "--data",
            data,
            "brief",
            "--json",
            "--topic",
            "interest rate",
        ])
        .output()
        .unwrap();
    let brief: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = brief["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{brief:#}");
    assert_eq!(items[0]["sources"][0]["source"], "Bank Paper");
    // Markdown carries markers and the source list.
    let out = Command::cargo_bin("dossier")
        .unwrap()
        .args(["--data", data, "brief"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("## 1. Earthquake of magnitude 6.4"), "{md}");
    assert!(
        md.contains("[1]") && md.contains("<https://wire.example/quake>"),
        "{md}"
    );
}

fn dossier(data: &str) -> Command {
    let mut cmd = Command::cargo_bin("dossier").unwrap();
    cmd.args(["--data", data]).env_remove("DOSSIER_DATA");
    cmd
}

fn ingest(data: &str, dir: &std::path::Path, name: &str, records: &[Value]) {
    let path = dir.join(name);
    let body: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&path, body).unwrap();
    dossier(data).arg("ingest").arg(&path).assert().success();
}

/// Runs a command that must succeed and print JSON.
fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The text a citation points at, read back with `dossier show`.
fn cited_text(data: &str, c: &Value) -> String {
    let id = c["article"].as_str().unwrap();
    let article = json_of(dossier(data).args(["show", id, "--json"]));
    let (start, end) = (
        c["start"].as_u64().unwrap() as usize,
        c["end"].as_u64().unwrap() as usize,
    );
    article["text"]
        .as_str()
        .unwrap()
        .chars()
        .skip(start)
        .take(end - start)
        .collect()
}

/// The first brief's window: a flood story from two outlets and an
/// unrelated bank story.
fn first_batch() -> Vec<Value> {
    vec![
        json!({"url": "https://wire.example/valencia-floods", "title": "Floods in Valencia kill 95 people",
            "published": "2024-11-04", "source": "Wire", "author": "Ana Ruiz",
            "text": "Floods in the Spanish region of Valencia have killed 95 people, the regional government said on Monday. Rescue teams searched for missing residents in the town of Paiporta, where the Poyo ravine burst its banks.\n\nThe storm dropped a year's worth of rain on parts of the region in eight hours, the state weather agency AEMET said."}),
        json!({"url": "https://daily.example/valencia-missing", "title": "Valencia floods: rescuers search for the missing",
            "published": "2024-11-05", "source": "Daily",
            "text": "Rescuers in Valencia searched for dozens of missing people on Tuesday after floods swept through towns south of the city. Soldiers from the military emergency unit UME cleared mud from streets in Paiporta and Catarroja.\n\nMany residents said the alerts on their phones came too late."}),
        json!({"url": "https://bank.example/ecb", "title": "European Central Bank cuts interest rates again",
            "published": "2024-11-01", "source": "Bank Paper",
            "text": "The European Central Bank cut its key interest rate by a quarter point on Friday, citing slowing inflation in the euro area. Frankfurt officials signalled further cuts."}),
    ]
}

/// Two days later: the toll revised, a new person, a new outlet (a copy),
/// a sentence about 1957 and an analyst's comment.
fn second_batch() -> Vec<Value> {
    let text = "Floods in the Spanish region of Valencia have killed 211 people, the regional government said on Thursday. Prime Minister Pedro Sanchez announced an aid package of 10.6 billion euros for households and businesses in Paiporta and other towns.\n\nIn October 1957, the Turia river burst its banks and flooded the city of Valencia, after which the river was diverted south of the city.";
    vec![
        json!({"url": "https://wire.example/valencia-toll", "title": "Valencia floods death toll rises to 211",
            "published": "2024-11-07", "source": "Wire", "author": "Ana Ruiz",
            "text": format!("{text}\n\nComment: The slow alerts will test the regional government's standing for months.")}),
        json!({"url": "https://gazette.example/valencia-toll", "title": "Valencia floods death toll rises to 211",
            "published": "2024-11-07", "source": "Gazette", "text": text}),
    ]
}

#[test]
fn whats_new_since_a_saved_brief_reports_revisions_outlets_people_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    ingest(data, dir.path(), "one.jsonl", &first_batch());
    let out = dossier(data).args(["brief", "--json"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("saved as brief 1"));
    let first: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2, "{first:#}");

    ingest(data, dir.path(), "two.jsonl", &second_batch());
    let brief = json_of(dossier(data).args(["brief", "--since-brief", "1", "--json"]));
    // The window starts on the earlier brief's last day.
    assert_eq!(brief["since"], "2024-11-05");
    assert_eq!(brief["since_brief"]["id"], 1);
    let items = brief["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{brief:#}");
    let item = &items[0];
    let new = &item["whats_new"];
    assert_eq!(new["status"], "continuing");
    assert_eq!(new["previously"], "Floods in Valencia kill 95 people");
    // New facts only: the restated toll sentence is not one, the aid is.
    let facts: Vec<&str> = item["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(
        facts.iter().any(|f| f.contains("10.6 billion euros")),
        "{facts:?}"
    );
    assert!(!facts
        .iter()
        .any(|f| f.contains("211 people") || f.contains("1957")));
    // The toll is revised from 95 to 211, both cited.
    let toll = item["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["value"] == 211.0)
        .unwrap_or_else(|| panic!("{item:#}"));
    assert_eq!(toll["revised_from"]["value"], 95.0);
    assert_eq!(cited_text(data, &toll["citation"]), "211 people");
    assert_eq!(
        cited_text(data, &toll["revised_from"]["citation"]),
        "95 people"
    );
    let outlets: Vec<&str> = new["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outlet"].as_str().unwrap())
        .collect();
    assert_eq!(outlets, ["Gazette"]);
    let people: Vec<&str> = new["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(people.contains(&"Pedro Sanchez"), "{people:?}");
    assert!(!people.iter().any(|p| p.contains("Paiporta")));
    // Background: the 1957 flood, dated and cited (the story's first
    // report is not repeated: the earlier brief printed it).
    let background = item["background"].as_array().unwrap();
    let dates: Vec<&str> = background
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["October 1957"], "{background:#?}");
    for b in background {
        assert_eq!(
            cited_text(data, &b["citations"][0]),
            b["text"].as_str().unwrap()
        );
    }
    // The comment is kept apart, attributed, without its marker.
    assert_eq!(item["commentary"][0]["attribution"], "Ana Ruiz (Wire)");
    assert_eq!(
        cited_text(data, &item["commentary"][0]["citation"]),
        "The slow alerts will test the regional government's standing for months."
    );
    // The bank story had nothing new.
    assert_eq!(
        brief["quiet"][0]["headline"],
        "European Central Bank cuts interest rates again"
    );

    // Markdown says the same for a reader.
    let out = dossier(data)
        .args(["brief", "--whats-new", "--no-save"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("What's new since brief 2"), "{md}");
    let md = String::from_utf8(
        dossier(data)
            .args(["brief", "--since-brief", "1", "--no-save"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for needle in [
        "(continuing)",
        "211 people [2] (revised from 95 people [4])",
        "**New outlets:** Gazette [3]",
        "Pedro Sanchez [2]",
        "**Background:** October 1957: In October 1957,",
        "*Commentary by Ana Ruiz (Wire), not reporting:* The slow alerts",
        "Quiet since brief 1 (to 2024-11-05): European Central Bank cuts interest rates again.",
        "Earlier coverage:",
    ] {
        assert!(md.contains(needle), "{needle:?} missing from\n{md}");
    }

    // The history: two saved briefs (the --no-save ones are not), newest
    // first, and each can be printed again as it was.
    let list = json_of(dossier(data).args(["briefs", "--json"]));
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 1]);
    assert_eq!(list[0]["since_brief"], 1);
    assert_eq!(list[1]["items"], 2);
    let again = json_of(dossier(data).args(["briefs", "1", "--json"]));
    assert_eq!(again, first);
}

#[test]
fn an_unknown_brief_id_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    ingest(data, dir.path(), "one.jsonl", &first_batch());
    for args in [
        &["brief", "--since-brief", "42"][..],
        &["briefs", "42"][..],
        &["brief", "--whats-new"][..],
    ] {
        let out = dossier(data).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no saved brief with id 42") || err.contains("no saved brief yet"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
    // Nothing was saved by the failures.
    let list = json_of(dossier(data).args(["briefs", "--json"]));
    assert_eq!(list, json!([]));
}

#[test]
fn html_brief_is_a_standalone_escaped_page() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let hostile = json!({"url": "javascript:alert(1)",
        "title": "Mayor <script>alert(\"x\")</script> & \"friends\" resign",
        "published": "2024-11-07", "source": "Tom & Jerry <News>", "author": "O'Brien <b>",
        "text": "The mayor of Springfield, <script>alert(1)</script> Joe Quimby, resigned on Thursday after a \"tax & spend\" row with the city council.\n\nComment: The council's <i>vote</i> & the mayor's \"exit\" leave Springfield without a budget."});
    ingest(data, dir.path(), "h.jsonl", &[hostile]);
    let out = dossier(data)
        .args(["brief", "--format", "html", "--no-save"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<style>"));
    assert!(!html.contains("<script") && !html.contains("<i>") && !html.contains("<b>"));
    assert!(!html.contains("javascript:"), "{html}");
    assert!(html.contains(
        "Mayor &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;friends&quot; resign"
    ));
    assert!(html.contains("Tom &amp; Jerry &lt;News&gt;"));
    assert!(
        html.contains("Commentary by O&#39;Brien &lt;b&gt; (Tom &amp; Jerry &lt;News&gt;)"),
        "{html}"
    );
    assert!(html.contains("class=\"cite\""));
}
