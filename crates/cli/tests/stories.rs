//! End to end: ingest three articles, two about one event, and read the
//! stories back; `dossier similarity` on two files.

use assert_cmd::Command;
use serde_json::Value;

const QUAKE_A: &str = "Earthquake of magnitude 6.4 hits Hatay in southern Turkey\n\nAn earthquake of magnitude 6.4 struck Hatay province in southern Turkey on Monday, killing at least 3 people and injuring 213, the disaster agency AFAD said. Buildings collapsed in Antakya and rescuers searched the rubble through the night.\n";
const QUAKE_B: &str = "Hatay earthquake kills 3, injures 213 in Turkey\n\nA 6.4 magnitude earthquake shook Hatay in southern Turkey on Monday evening. AFAD said 3 people were killed and 213 injured as buildings collapsed in Antakya, and rescuers searched the rubble.\n";
const BANK: &str = "European Central Bank raises interest rates again\n\nThe European Central Bank raised its key interest rate by a quarter point on Thursday, citing persistent inflation in the euro area. Frankfurt officials signalled further increases.\n";

#[test]
fn two_of_three_articles_form_one_story() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    for (name, text) in [("a.txt", QUAKE_A), ("b.txt", QUAKE_B), ("c.txt", BANK)] {
        std::fs::write(inputs.join(name), text).unwrap();
    }
    let data = dir.path().join("data");
    Command::cargo_bin("dossier")
        .unwrap()
        .args([
            "--data",
            data.to_str().unwrap(),
            "ingest",
            "--source",
            "test",
        ])
        .arg(&inputs)
        .assert()
        .success();
    let out = Command::cargo_bin("dossier")
        .unwrap()
        .args(["--data", data.to_str().unwrap(), "stories", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stories: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = stories.as_array().unwrap();
    let mut sizes: Vec<u64> = list
        .iter()
        .map(|s| s["articles"].as_u64().unwrap())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, vec![1, 2], "{stories:#}");
    let big = list.iter().find(|s| s["articles"] == 2).unwrap();
    let id = big["id"].as_i64().unwrap().to_string();
    let out = Command::cargo_bin("dossier")
        .unwrap()
        .args(["--data", data.to_str().unwrap(), "story", &id, "--json"])
        .output()
        .unwrap();
    let story: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(story["members"].as_array().unwrap().len(), 2);
    assert!(story["members"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["title"].as_str().unwrap().contains("Hatay")));

    // Similarity of two files: same story above unrelated.
    let sim = |a: &str, b: &str| -> f64 {
        let out = Command::cargo_bin("dossier")
            .unwrap()
            .args(["similarity", "--json"])
            .arg(inputs.join(a))
            .arg(inputs.join(b))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["similarity"].as_f64().unwrap()
    };
    let same = sim("a.txt", "b.txt");
    let other = sim("a.txt", "c.txt");
    assert!(same > 0.5 && other < same, "{same} {other}");
}
