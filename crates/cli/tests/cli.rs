//! End-to-end tests: they drive the real `dossier` binary on real files.

mod common;
use common::dossier;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("crates/ingest/tests/fixtures")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(cmd: &mut Command) -> Value {
    let r = run(cmd.arg("--json"));
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn stats(data: &Path) -> Value {
    json(dossier(data).arg("stats"))
}

#[test]
fn demo_corpus_becomes_a_searchable_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let r = run(dossier(&data).arg("ingest").arg(repo().join("demo/corpus")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("620 new"), "{}", r.stderr);
    let s = stats(&data);
    assert_eq!(s["articles"], 620);
    assert_eq!(s["indexed"], 620);

    let hits = json(dossier(&data).args(["search", "election", "--lang", "en", "-n", "5"]));
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 5);
    let id = hits[0]["id"].as_str().unwrap().to_owned();

    let article = json(dossier(&data).args(["show", &id[..10]]));
    for key in [
        "id",
        "url",
        "source",
        "title",
        "published",
        "language",
        "text",
        "layers",
    ] {
        assert!(article.get(key).is_some(), "missing {key}");
    }
    assert_eq!(article["id"], id.as_str());
    assert_eq!(article["published"]["method"], "declared");
    let chars = article["text"].as_str().unwrap().chars().count();
    let sentences = article["layers"]["sentences"].as_array().unwrap();
    assert!(!sentences.is_empty());
    for span in sentences {
        let (s, e) = (
            span["start"].as_u64().unwrap(),
            span["end"].as_u64().unwrap(),
        );
        assert!(s < e && e as usize <= chars);
    }

    let listed = json(dossier(&data).args(["list", "--lang", "ru", "-n", "500"]));
    assert_eq!(listed.as_array().unwrap().len(), 120);
    let dated = json(dossier(&data).args([
        "list",
        "--since",
        "2020-01-01",
        "--until",
        "2020-12-31",
        "-n",
        "1000",
    ]));
    for row in dated.as_array().unwrap() {
        assert!(row["published"].as_str().unwrap().starts_with("2020"));
    }
}

#[test]
fn ingest_is_idempotent_and_counts_sightings() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let page = fixtures().join("charsets/ru-koi8-r-meta.html");
    let copy = dir.path().join("elsewhere.html");
    std::fs::copy(&page, &copy).unwrap();
    assert_eq!(run(dossier(&data).arg("ingest").arg(&page)).code, 0);
    let r = run(dossier(&data).arg("ingest").arg(&copy));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("1 seen before"), "{}", r.stderr);
    let s = stats(&data);
    assert_eq!(s["articles"], 1);
    assert_eq!(s["sightings"], 2);
    let id = json(dossier(&data).arg("list"))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let article = json(dossier(&data).args(["show", &id]));
    assert_eq!(article["seen"], 2);
    assert!(article["text"]
        .as_str()
        .unwrap()
        .chars()
        .any(|c| ('а'..='я').contains(&c)));
}

#[test]
fn every_format_is_read_from_a_tree_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let r = run(dossier(&data)
        .arg("ingest")
        .arg(fixtures().join("feeds"))
        .arg(fixtures().join("warc/sample.warc.gz"))
        .arg(fixtures().join("email"))
        .arg(fixtures().join("jsonl")));
    // not-a-feed.xml is reported, the rest is read.
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("not-a-feed.xml"), "{}", r.stderr);
    let s = stats(&data);
    let formats: Vec<&str> = s["by_format"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    for f in ["feed", "email", "jsonl"] {
        assert!(formats.contains(&f), "{f} missing from {formats:?}");
    }
    // The WARC's article is the feed's Russian article again: stored once,
    // with the WARC record as a second sighting.
    let hits = json(dossier(&data).args(["search", "Токаев"]));
    let id = hits[0]["id"].as_str().unwrap().to_owned();
    let article = json(dossier(&data).args(["show", &id]));
    let origins: Vec<&str> = article["sightings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["origin"].as_str().unwrap())
        .collect();
    assert!(
        origins.iter().any(|o| o.contains("sample.warc.gz")),
        "{origins:?}"
    );
    assert!(origins.len() >= 2, "{origins:?}");
    assert!(
        s["links_pending"].as_i64().unwrap() > 0,
        "link-only feed items become links"
    );

    let mut cmd = dossier(&data);
    cmd.args(["ingest", "-", "--source", "Pasted"])
        .stdin(std::fs::File::open(fixtures().join("charsets/ja-shift_jis-detect.html")).unwrap());
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pasted = json(dossier(&data).args(["list", "--source", "Pasted"]));
    assert_eq!(pasted.as_array().unwrap().len(), 1);
}

#[test]
fn bad_inputs_are_reported_and_the_store_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    assert_eq!(
        run(dossier(&data).arg("ingest").arg(fixtures().join("jsonl"))).code,
        0
    );
    let before = stats(&data);
    let listed_before = json(dossier(&data).args(["list", "-n", "1000"]));

    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("empty.html"), b"").unwrap();
    std::fs::write(
        bad.join("binary.bin"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0],
    )
    .unwrap();
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(
            "<html><body><p>text</p></body></html>"
                .repeat(200)
                .as_bytes(),
        )
        .unwrap();
        e.finish().unwrap()
    };
    std::fs::write(bad.join("truncated.html.gz"), &gz[..gz.len() / 2]).unwrap();
    std::fs::write(
        bad.join("feed.xml"),
        b"<rss version=\"2.0\"><channel><item><title>x",
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("warc/truncated.warc"),
        bad.join("truncated.warc"),
    )
    .unwrap();
    let r = run(dossier(&data).arg("ingest").arg(&bad));
    for name in [
        "empty.html",
        "binary.bin",
        "truncated.html.gz",
        "feed.xml",
        "truncated.warc",
    ] {
        let line = r.stderr.lines().find(|l| l.contains(name));
        assert!(line.is_some(), "no message for {name}: {}", r.stderr);
    }
    // The truncated WARC still yields the complete records before the cut,
    // so the run succeeds; what was stored before is unchanged.
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed_after = json(dossier(&data).args(["list", "-n", "1000"]));
    for row in listed_before.as_array().unwrap() {
        let same = listed_after
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == row["id"]);
        assert_eq!(same, Some(row));
    }
    let after = stats(&data);

    let only_bad = dir.path().join("only-bad");
    std::fs::create_dir(&only_bad).unwrap();
    std::fs::write(only_bad.join("empty.txt"), b"").unwrap();
    std::fs::write(only_bad.join("zeros.bin"), [0u8; 64]).unwrap();
    let r = run(dossier(&data).arg("ingest").arg(&only_bad));
    assert_ne!(r.code, 0, "nothing readable must fail: {}", r.stderr);
    assert_eq!(stats(&data)["articles"], after["articles"]);
    assert!(before["articles"].as_i64() <= after["articles"].as_i64());

    let mut cmd = dossier(&data);
    cmd.args(["ingest", "-"])
        .stdin(std::process::Stdio::piped());
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"Only a title line\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_ne!(
        out.status.code(),
        Some(0),
        "a title without text stores nothing and must fail"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article text"));

    let r = run(dossier(&data).args(["ingest", "/no/such/path"]));
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("/no/such/path"), "{}", r.stderr);
}

#[test]
fn ingesting_the_folder_that_holds_the_store_skips_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    std::fs::write(
        dir.path().join("note.txt"),
        "A note\n\nThe committee met on Friday and agreed on the plan.",
    )
    .unwrap();
    assert_eq!(run(dossier(&data).arg("ingest").arg(dir.path())).code, 0);
    let r = run(dossier(&data).arg("ingest").arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("dossier.sqlite"), "{}", r.stderr);
    assert_eq!(stats(&data)["articles"], 1);
}

#[test]
fn a_deeply_nested_page_is_read_without_crashing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let depth = 100_000;
    let mut html = String::from("<html><head><title>Deep</title></head><body>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str(
        "<p>The deepest paragraph of the page holds the article text, which is long enough to be an \
         article: the council met on Monday and voted to extend the programme for another year, \
         officials said.</p>",
    );
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</body></html>");
    let page = dir.path().join("deep.html");
    std::fs::write(&page, html).unwrap();
    let r = run(dossier(&data).arg("ingest").arg(&page));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hits = json(dossier(&data).args(["search", "deepest"]));
    assert_eq!(hits.as_array().unwrap().len(), 1);
}

#[test]
fn killed_ingest_resumes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let input = dir.path().join("many");
    std::fs::create_dir(&input).unwrap();
    for i in 0..400 {
        std::fs::write(
            input.join(format!("{i:04}.txt")),
            format!("Report number {i}\n\nThe council met for session {i} and approved budget line {i}."),
        )
        .unwrap();
    }
    let mut child = dossier(&data)
        .arg("ingest")
        .arg(&input)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill(); // SIGKILL: no chance to clean up
    let _ = child.wait();

    let r = run(dossier(&data).arg("ingest").arg(&input));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = stats(&data);
    assert_eq!(s["articles"], 400);
    assert_eq!(s["indexed"], 400);
    let sightings = s["sightings"].as_i64().unwrap();
    assert_eq!(sightings, 400, "a resumed run must not count files twice");

    // A finished run, repeated, is a new run: everything is seen again.
    let r = run(dossier(&data).arg("ingest").arg(&input));
    assert!(r.stderr.contains("400 seen before"), "{}", r.stderr);
    assert_eq!(stats(&data)["articles"], 400);
}

#[test]
fn data_dir_option_env_and_index_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let mut cmd = Command::cargo_bin("dossier").unwrap();
    cmd.args(["ingest"])
        .arg(fixtures().join("jsonl"))
        .arg("--data")
        .arg(&data);
    assert_eq!(run(&mut cmd).code, 0);
    let mut cmd = Command::cargo_bin("dossier").unwrap();
    cmd.env("DOSSIER_DATA", &data).args(["stats", "--json"]);
    let r = run(&mut cmd);
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    let n = s["articles"].as_i64().unwrap();
    assert!(n > 0);

    std::fs::remove_dir_all(data.join("index")).unwrap();
    let r = run(dossier(&data).args(["index", "--rebuild"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(stats(&data)["indexed"], n);

    let r = run(dossier(&data).arg("reprocess"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("0 reprocessed"), "{}", r.stderr);
    let r = run(dossier(&data).args(["reprocess", "--all"]));
    assert!(
        r.stderr.contains(&format!("{n} reprocessed")),
        "{}",
        r.stderr
    );
}

#[test]
fn read_commands_explain_a_missing_store_and_bad_ids() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nothing-here");
    let r = run(dossier(&data).arg("stats"));
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("no store at"), "{}", r.stderr);
    assert!(!data.exists(), "a read command must not create a store");

    let store = dir.path().join("store");
    assert_eq!(
        run(dossier(&store).arg("ingest").arg(fixtures().join("jsonl"))).code,
        0
    );
    let r = run(dossier(&store).args(["show", "zz"]));
    assert!(r.stderr.contains("invalid article id"), "{}", r.stderr);
    let r = run(dossier(&store).args(["list", "--since", "yesterday"]));
    assert!(r.stderr.contains("invalid date"), "{}", r.stderr);
}

#[test]
fn a_store_from_a_newer_dossier_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    assert_eq!(
        run(dossier(&data).arg("ingest").arg(fixtures().join("jsonl"))).code,
        0
    );
    let db = rusqlite::Connection::open(data.join("dossier.sqlite")).unwrap();
    db.pragma_update(None, "user_version", 999).unwrap();
    drop(db);
    let r = run(dossier(&data).arg("stats"));
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("newer than this dossier supports"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_outlets_footer_is_learned_cut_and_can_be_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let topics = [
        "The central bank raised interest rates by half a point citing inflation",
        "Farmers in the north reported a record wheat harvest after a wet spring",
        "The football club appointed a new coach after a string of defeats",
        "Engineers began repairing the bridge that was damaged by floods",
        "A new museum of modern art opened in the old port district",
        "Parliament debated a bill changing the rules for local elections",
        "The airline cancelled dozens of flights because of a pilots' strike",
        "Scientists published a study on air pollution in industrial cities",
        "The mining company plans a copper smelter near the border",
        "Teachers demanded higher wages at a rally outside the ministry",
        "Heavy snow closed mountain roads and cut power to villages",
        "The telecom regulator fined two operators for misleading advertising",
    ];
    let footer = "Sign up for the Example Times morning briefing. © 2019 Example Times. All rights reserved.";
    let mut lines = String::new();
    for (i, topic) in topics.iter().enumerate() {
        let text = format!("{topic}, officials said on Monday.\n\n{footer}");
        let record = serde_json::json!({"url": format!("https://times.example/{i}"), "title": format!("Story {i}"), "source": "Example Times", "text": text});
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    let input = dir.path().join("times.jsonl");
    std::fs::write(&input, lines).unwrap();
    assert_eq!(run(dossier(&data).arg("ingest").arg(&input)).code, 0);

    let r = run(dossier(&data).args(["boilerplate", "learn"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let learned = json(dossier(&data).args(["boilerplate", "list"]));
    let learned = learned.as_array().unwrap();
    assert_eq!(learned.len(), 1, "{learned:?}");
    assert_eq!(learned[0]["text"], footer);

    let id = json(dossier(&data).args(["list", "-n", "1"]))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let article = json(dossier(&data).args(["show", &id]));
    let text = article["text"].as_str().unwrap();
    assert!(!text.contains("morning briefing"), "{text}");
    let cuts = article["layers"]["boilerplate"].as_array().unwrap();
    assert_eq!(cuts.len(), 1);
    assert_eq!(cuts[0]["reason"], "corpus-boilerplate");
    assert_eq!(
        cuts[0]["start"].as_u64().unwrap() as usize,
        text.chars().count()
    );

    let hash = learned[0]["hash"].as_str().unwrap();
    let r = run(dossier(&data).args(["boilerplate", "keep", &hash[..8]]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let article = json(dossier(&data).args(["show", &id]));
    assert!(article["text"]
        .as_str()
        .unwrap()
        .contains("morning briefing"));
}

const WIRE_STORY: &str = "Kazakhstan's central bank raised its base rate by 50 basis points to 16.75 per cent on Friday, citing persistent inflation and a weaker tenge.\n\nThe regulator said annual inflation reached 9.1 per cent in November, above its target range, driven by food prices and higher utility tariffs that took effect in the autumn.\n\nGovernor Timur Suleimenov told reporters in Almaty that the bank would keep policy tight until price growth slowed in a sustained way, and did not rule out a further increase early next year.\n\nAnalysts polled before the meeting had expected the rate to stay unchanged. The tenge firmed slightly against the dollar after the announcement, trading at 472 per dollar by the close.\n\nThe bank's next scheduled rate decision is due on January 24, when it will also publish updated forecasts for growth and inflation.";

fn jsonl_record(title: &str, text: &str, source: &str, published: &str) -> String {
    serde_json::json!({
        "url": format!("https://{}.example/{}", source.to_lowercase(), title.len()),
        "title": title, "text": text, "source": source, "published": published,
    })
    .to_string()
}

#[test]
fn a_lightly_edited_copy_from_another_outlet_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let wire = dir.path().join("wire.jsonl");
    let unrelated = "Heavy snow closed mountain passes in northern Georgia on Tuesday, stranding hundreds of lorries at the Russian border crossing of Verkhny Lars.\n\nOfficials in Tbilisi said road crews were working through the night, but warned that avalanche risk would keep the Military Road shut for at least two more days.";
    std::fs::write(
        &wire,
        format!(
            "{}\n{}\n",
            jsonl_record("Central bank raises rate", WIRE_STORY, "Wire", "2020-05-01"),
            jsonl_record("Snow closes passes", unrelated, "Wire", "2020-05-01"),
        ),
    )
    .unwrap();
    let first = json(dossier(&data).arg("ingest").arg(&wire));
    assert_eq!(first["new"], 2);
    assert_eq!(first["near_duplicates"], 0);

    // Another outlet: new headline, a few words changed, a paragraph added.
    let edited = WIRE_STORY
        .replace("raised", "increased")
        .replace("told reporters", "said")
        + "\n\nLocal business owners in Shymkent said the higher rate would make it harder to refinance loans taken during the pandemic.";
    let paper = dir.path().join("paper.jsonl");
    std::fs::write(
        &paper,
        jsonl_record(
            "KAZAKHSTAN HIKES KEY RATE AGAIN",
            &edited,
            "Paper",
            "2020-05-02",
        ) + "\n",
    )
    .unwrap();
    let second = json(dossier(&data).arg("ingest").arg(&paper));
    assert_eq!(second["new"], 1);
    assert_eq!(second["near_duplicates"], 1);

    let papers = json(dossier(&data).args(["list", "--source", "Paper"]));
    let paper_id = papers[0]["id"].as_str().unwrap().to_owned();
    let copies = json(dossier(&data).args(["copies", &paper_id[..8]]));
    let copies = copies.as_array().unwrap();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let c = &copies[0];
    assert_eq!(c["source"], "Wire");
    assert_eq!(c["title"], "Central bank raises rate");
    assert_eq!(c["first"], "other");
    let jaccard = c["jaccard"].as_f64().unwrap();
    assert!(jaccard > 0.5 && jaccard < 1.0, "{c}");
    // Most of the wire story is in the paper's; less of the paper's is in it.
    let (this_in_other, other_in_this) = (
        c["this_in_other"].as_f64().unwrap(),
        c["other_in_this"].as_f64().unwrap(),
    );
    assert!(other_in_this > this_in_other, "{c}");
    assert_eq!(json(dossier(&data).args(["show", &paper_id]))["copies"], 1);
    let wire_id = c["id"].as_str().unwrap().to_owned();
    let back = json(dossier(&data).args(["copies", &wire_id]));
    assert_eq!(back[0]["id"], paper_id.as_str());
    assert_eq!(back[0]["first"], "this");
    let text = run(dossier(&data).args(["copies", &wire_id]));
    assert!(text.stdout.contains("Paper"), "{}", text.stdout);

    // Passage alignment: what the paper reused from the wire, and what it added.
    let a = json(dossier(&data).args(["copies", &paper_id, "--with", &wire_id]));
    let sentences = a["sentences"].as_array().unwrap();
    let added: Vec<&str> = sentences
        .iter()
        .filter(|s| s["reuse"] == "added")
        .filter_map(|s| s["text"].as_str())
        .collect();
    assert_eq!(added.len(), 1, "{a}");
    assert!(added[0].contains("Shymkent"), "{a}");
    let edited: Vec<&Value> = sentences
        .iter()
        .filter(|s| s["reuse"] == "edited")
        .collect();
    assert!(!edited.is_empty(), "raised/increased is an edit: {a}");
    assert!(edited[0]["source"]["text"].is_string());
    assert!(sentences.iter().any(|s| s["reuse"] == "verbatim"));
    let share = a["reused_share"].as_f64().unwrap();
    assert!(share > 0.6 && share < 1.0, "{a}");
    let text = run(dossier(&data).args(["copies", &paper_id, "--with", &wire_id]));
    assert!(
        text.stdout
            .lines()
            .any(|l| l.starts_with("+ ") && l.contains("Shymkent")),
        "{}",
        text.stdout
    );

    // A store whose articles have no signatures (as one made before schema 3)
    // gets them, and their copies, on the next ingest.
    let db = rusqlite::Connection::open(data.join("dossier.sqlite")).unwrap();
    db.execute_batch("DELETE FROM copies; DELETE FROM signatures;")
        .unwrap();
    drop(db);
    assert_eq!(
        json(dossier(&data).args(["copies", &wire_id])),
        Value::Array(vec![])
    );
    let again = json(dossier(&data).arg("ingest").arg(&wire));
    assert_eq!(again["signed_existing"], 3);
    assert_eq!(again["near_duplicates"], 1);
    assert_eq!(
        json(dossier(&data).args(["copies", &wire_id]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn analyze_anchors_dates_and_facts_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("talks.txt");
    std::fs::write(
        &page,
        "Talks end\n\nThe minister said on Wednesday that exports rose 12% to $4.9 billion last month.\n\n\
         \"We will not give up,\" said Anna Ivanova, the deputy minister.",
    )
    .unwrap();
    let r = run(dossier(&dir.path().join("unused"))
        .arg("analyze")
        .arg(&page)
        .args(["--published", "2019-11-21", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let article: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    let values: Vec<&str> = article["layers"]["timexes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["value"].as_str())
        .collect();
    assert!(values.contains(&"2019-11-20"), "{values:?}");
    assert!(values.contains(&"2019-10"), "{values:?}");
    let money = article["layers"]["quantities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["unit"] == "USD")
        .cloned()
        .unwrap();
    assert_eq!(money["value"].as_f64(), Some(4.9e9));
    let quote = &article["layers"]["quotes"].as_array().unwrap()[1];
    assert_eq!(quote["speaker"], "Anna Ivanova");
    assert!(
        !dir.path().join("unused").exists(),
        "analyze stores nothing"
    );

    let data = dir.path().join("store");
    assert_eq!(run(dossier(&data).arg("ingest").arg(&page)).code, 0);
    let id = json(dossier(&data).arg("list"))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = run(dossier(&data).args(["facts", &id]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Numbers:") && r.stdout.contains("unit=USD"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Quotes:"), "{}", r.stdout);
}

#[test]
fn entity_merges_two_spellings_of_one_person() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let inputs = tmp.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(
        inputs.join("a.jsonl"),
        concat!(
            r#"{"title":"Kazakh leader visits Moscow","source":"Wire","published":"2024-03-01","text":"Kazakhstan's President Kassym-Jomart Tokayev arrived in Moscow on Monday for talks with Vladimir Putin. Tokayev said the two countries would expand trade. Putin welcomed him at the Kremlin."}"#,
            "\n",
            r#"{"title":"Tokaev meets Putin","source":"Other","published":"2024-03-05","text":"Kazakh President Kassym-Jomart Tokaev held talks with Russian President Vladimir Putin in Moscow on Tuesday about trade and energy. Tokaev later flew home."}"#,
            "\n"
        ),
    )
    .unwrap();
    let r = run(dossier(&data).arg("ingest").arg(&inputs));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = json(dossier(&data).args(["entities", "--type", "PER"]));
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["canonical"].as_str().unwrap())
        .collect();
    if names.is_empty() {
        return; // a build without an NER model finds no entities
    }
    let d = json(dossier(&data).args(["entity", "Tokaev"]));
    let variants: Vec<&str> = d["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["variant"].as_str().unwrap())
        .collect();
    assert!(variants.contains(&"Kassym-Jomart Tokayev"), "{d:#}");
    assert!(variants.contains(&"Kassym-Jomart Tokaev"), "{d:#}");
    assert_eq!(d["articles"].as_array().unwrap().len(), 2, "{d:#}");
    assert_eq!(d["type"], "PER");
    assert_eq!(d["first_seen"], "2024-03-01");
    assert_eq!(d["last_seen"], "2024-03-05");
    assert!(d["explanations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["explanation"]
            .as_str()
            .unwrap()
            .contains("same transliteration key")));
    // The same entity answers to the other spelling.
    let d2 = json(dossier(&data).args(["entity", "Kassym-Jomart Tokayev"]));
    assert_eq!(d2["id"], d["id"]);
    // Not one id per spelling: the list has one Tokayev entity.
    assert_eq!(
        names.iter().filter(|n| n.contains("Toka")).count(),
        1,
        "{names:?}"
    );
}
