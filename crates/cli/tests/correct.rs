//! End-to-end tests of corrections by hand (`dossier correct ...`): they
//! change what the store says and they survive later ingests.

mod common;
use common::{dossier, json, succeed};

use std::path::Path;

const WIRE: &str = "Kazakhstan's central bank raised its base rate by 50 basis points to 16.75 per cent on Friday, citing persistent inflation and a weaker tenge.\n\nThe regulator said annual inflation reached 9.1 per cent in November, above its target range, driven by food prices.\n\n\"We will keep policy tight until price growth slows,\" Governor Timur Suleimenov told reporters in Almaty on January 24.";

const FLOOD: &str = "Floods in the north of Italy forced thousands of people from their homes on Sunday, officials in Milan said.\n\nRescue teams worked through the night as the river rose above its banks in several towns.\n\nThe regional government asked Rome for emergency funds to repair roads and bridges.";

fn ingest(data: &Path, dir: &Path, name: &str, records: &[(&str, &str, &str)]) {
    let lines: Vec<String> = records
        .iter()
        .map(|(title, text, day)| {
            serde_json::json!({"url": format!("https://wire.example/{}", title.len()), "title": title,
                "text": text, "source": "Wire", "published": day, "language": "en"})
            .to_string()
        })
        .collect();
    let file = dir.join(name);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    succeed(dossier(data).arg("ingest").arg(&file));
}

#[test]
fn entity_merges_and_splits_persist_across_ingests() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    ingest(
        &data,
        dir.path(),
        "a.jsonl",
        &[("Central bank raises rate", WIRE, "2020-05-01")],
    );

    succeed(dossier(&data).args(["entity", "merge", "Kazakhstan", "Almaty"]));
    let almaty = json(dossier(&data).args(["entity", "Almaty"]));
    let names: Vec<&str> = almaty["variants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["variant"].as_str())
        .collect();
    assert!(names.contains(&"Kazakhstan"), "{almaty}");
    assert_eq!(almaty["mentions"], 2, "{almaty}");

    // A later article naming Kazakhstan is resolved to the merged entity.
    let later = WIRE
        .replace("Friday", "Monday")
        .replace("50 basis points", "25 basis points");
    ingest(
        &data,
        dir.path(),
        "b.jsonl",
        &[("Central bank raises rate again", &later, "2020-06-01")],
    );
    let almaty = json(dossier(&data).args(["entity", "Almaty"]));
    assert_eq!(
        almaty["mentions"], 4,
        "the merge held for new mentions: {almaty}"
    );

    // Splitting takes every Kazakhstan mention back off.
    succeed(dossier(&data).args([
        "correct",
        "split-entity",
        "Almaty",
        "--variant",
        "Kazakhstan",
    ]));
    let kz = json(dossier(&data).args(["entity", "Kazakhstan"]));
    assert_eq!(kz["canonical"], "Kazakhstan");
    assert_eq!(kz["mentions"], 2, "{kz}");
    let almaty = json(dossier(&data).args(["entity", "Almaty"]));
    assert_eq!(almaty["mentions"], 2);

    let log = json(dossier(&data).args(["correct", "log"]));
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["split-entity", "merge-entities"]);

    // Bad corrections are refused with a reason, and change nothing.
    let out = dossier(&data)
        .args(["correct", "merge-entities", "Almaty", "Almaty"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("itself"));
    let out = dossier(&data)
        .args(["correct", "merge-entities", "Nobody Known", "Almaty"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no entity named"));
}

#[test]
fn articles_move_between_stories_and_stories_merge() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    ingest(
        &data,
        dir.path(),
        "a.jsonl",
        &[
            ("Central bank raises rate", WIRE, "2020-05-01"),
            ("Floods in northern Italy", FLOOD, "2020-05-02"),
        ],
    );
    let stories = json(dossier(&data).arg("stories"));
    let stories = stories.as_array().unwrap();
    assert_eq!(stories.len(), 2, "{stories:?}");
    let (a, b) = (
        stories[0]["id"].as_i64().unwrap(),
        stories[1]["id"].as_i64().unwrap(),
    );
    let member = json(dossier(&data).args(["story", &a.to_string()]))["members"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    succeed(dossier(&data).args(["story", "move", &member[..10], "--to", &b.to_string()]));
    let target = json(dossier(&data).args(["story", &b.to_string()]));
    assert_eq!(target["articles"], 2, "{target}");
    // Story `a` lost its only article and is gone.
    let out = dossier(&data)
        .args(["story", &a.to_string()])
        .output()
        .unwrap();
    assert!(!out.status.success());

    // Back to a story of its own, then merged again.
    succeed(dossier(&data).args(["story", "split", &member]));
    let stories = json(dossier(&data).arg("stories"));
    assert_eq!(stories.as_array().unwrap().len(), 2);
    let own = stories
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .find(|id| *id != b)
        .unwrap();
    succeed(dossier(&data).args(["story", "merge", &own.to_string(), &b.to_string()]));
    assert_eq!(
        json(dossier(&data).arg("stories"))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let out = dossier(&data)
        .args(["correct", "merge-stories", "999", &b.to_string()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no story 999"));
}
