//! End to end: two rounds of peace talks between the same leaders, months
//! apart, become two stories linked into one storyline; an earthquake in one
//! of the two countries (a story sharing only a country name) stays out.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const BRUSSELS_A: &str = "Armenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev met in Brussels on Tuesday for peace talks hosted by European Council President Charles Michel. The leaders discussed a peace treaty, border delimitation and the opening of transport links between Armenia and Azerbaijan.\n\nMichel said the talks were frank and that both sides agreed to meet again.";
const BRUSSELS_B: &str = "Nikol Pashinyan and Ilham Aliyev held peace talks in Brussels on Tuesday, with Charles Michel as host. Armenia and Azerbaijan agreed to keep working on a peace treaty and on border delimitation, Michel said after the meeting.\n\nThe two leaders last met in Prague.";
const WASHINGTON_A: &str = "Armenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev resumed peace talks in Washington on Monday, hosted by Secretary of State Antony Blinken. Armenia and Azerbaijan discussed the draft peace treaty and border delimitation.\n\nBlinken said a deal was within reach.";
const WASHINGTON_B: &str = "A new round of peace talks between Armenia and Azerbaijan opened in Washington on Monday. Nikol Pashinyan and Ilham Aliyev met Antony Blinken to discuss a peace treaty and border delimitation.\n\nOfficials said the talks would continue for three days.";
const QUAKE: &str = "A magnitude 5.6 earthquake struck northern Armenia on Wednesday, damaging houses in villages near Gyumri. Rescuers from the emergency ministry searched collapsed buildings and the Red Cross sent tents and blankets.\n\nNo deaths were reported.";

fn record(title: &str, text: &str, source: &str, published: &str) -> String {
    serde_json::json!({
        "url": format!("https://{}.example/{}", source.to_lowercase(), title.len()),
        "title": title, "text": text, "source": source, "published": published,
        "language": "en",
    })
    .to_string()
}

fn dossier(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dossier").unwrap();
    cmd.arg("--data").arg(data).env_remove("DOSSIER_DATA");
    cmd
}

fn json(data: &Path, args: &[&str]) -> Value {
    let out = dossier(data).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fixture(dir: &Path) -> std::path::PathBuf {
    let lines = [
        record(
            "Pashinyan and Aliyev hold peace talks in Brussels",
            BRUSSELS_A,
            "Wire",
            "2023-01-10",
        ),
        record(
            "Armenia, Azerbaijan leaders meet for peace talks",
            BRUSSELS_B,
            "Paper",
            "2023-01-11",
        ),
        record(
            "Earthquake damages villages in northern Armenia",
            QUAKE,
            "Wire",
            "2023-03-01",
        ),
        record(
            "Pashinyan and Aliyev resume peace talks in Washington",
            WASHINGTON_A,
            "Wire",
            "2023-05-01",
        ),
        record(
            "New round of Armenia-Azerbaijan peace talks opens",
            WASHINGTON_B,
            "Paper",
            "2023-05-02",
        ),
    ];
    let file = dir.join("in.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let data = dir.join("data");
    dossier(&data).arg("ingest").arg(&file).assert().success();
    data
}

/// The story id of the article with this title.
fn story_of(stories: &Value, title_part: &str, data: &Path) -> i64 {
    for s in stories.as_array().unwrap() {
        let id = s["id"].as_i64().unwrap();
        let detail = json(data, &["story", &id.to_string(), "--json"]);
        let members = detail["members"].as_array().unwrap();
        if members
            .iter()
            .any(|m| m["title"].as_str().unwrap().contains(title_part))
        {
            return id;
        }
    }
    panic!("no story with {title_part:?}: {stories:#}");
}

#[test]
fn rounds_of_talks_months_apart_form_a_storyline_and_the_quake_stays_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture(dir.path());
    let stories = json(&data, &["stories", "--json"]);
    let brussels = story_of(&stories, "Brussels", &data);
    let washington = story_of(&stories, "Washington", &data);
    let quake = story_of(&stories, "Earthquake", &data);
    assert!(brussels != washington && quake != brussels && quake != washington);

    let lines = json(&data, &["storylines", "--json"]);
    let list = lines.as_array().unwrap();
    assert_eq!(list.len(), 1, "{lines:#}");
    let line = &list[0];
    assert_eq!(line["stories"], 2, "{line}");
    assert_eq!(
        line["first_seen"].as_str().unwrap().get(..10),
        Some("2023-01-10")
    );
    assert!(line["last_seen"]
        .as_str()
        .unwrap()
        .starts_with("2023-05-02"));
    let id = line["id"].as_i64().unwrap();

    let detail = json(&data, &["storyline", &id.to_string(), "--json"]);
    let members: Vec<i64> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(members, vec![brussels, washington], "{detail:#}");
    assert!(!members.contains(&quake));
    let timeline = &detail["timeline"];
    assert_eq!(timeline["articles"], 4, "{timeline:#}");
    assert!(
        !timeline["events"].as_array().unwrap().is_empty(),
        "{timeline:#}"
    );

    // The story knows its storyline; the quake has none.
    let text = dossier(&data)
        .args(["story", &brussels.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains(&format!("storyline {id}: ")), "{text}");
    let text = dossier(&data)
        .args(["story", &quake.to_string()])
        .output()
        .unwrap();
    assert!(!String::from_utf8(text.stdout)
        .unwrap()
        .contains("storyline"));

    // Text and SVG forms.
    let out = dossier(&data)
        .args(["storyline", &id.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&format!("storyline {id}: ")), "{text}");
    assert!(text.contains(&format!("story {brussels:>5}")), "{text}");
    let out = dossier(&data)
        .args(["storyline", &id.to_string(), "--format", "svg"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("<svg"));

    // Rebuilding changes nothing.
    let again = json(&data, &["storylines", "--rebuild", "--json"]);
    assert_eq!(again, lines);
}

#[test]
fn unknown_storyline_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture(dir.path());
    let out = dossier(&data)
        .args(["storyline", "999999"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no storyline 999999"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_store_without_stories_has_no_storylines() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    // An empty input is a problem (exit 1) but makes the store.
    let _ = dossier(&data).arg("ingest").arg(&empty).output().unwrap();
    let lines = json(&data, &["storylines", "--json"]);
    assert_eq!(lines, serde_json::json!([]));
    // No store at all: an error naming the cause, not a panic.
    let out = dossier(&dir.path().join("none"))
        .args(["storylines"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store"));
}
