//! End to end: ingest JSON Lines with two outlets on one story and one
//! unrelated article, and read `dossier brief --format json`.

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
