//! `dossier serve` end to end: the real binary on an ephemeral loopback
//! port, over a store made by the real `dossier ingest`.

mod common;
use common::dossier;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const WIRE: &str = "Kazakhstan's central bank raised its base rate by 50 basis points to 16.75 per cent on Friday, citing persistent inflation and a weaker tenge.\n\nThe regulator said annual inflation reached 9.1 per cent in November, above its target range, driven by food prices.\n\n\"We will keep policy tight until price growth slows,\" Governor Timur Suleimenov told reporters in Almaty on January 24.\n\nAnalysts polled before the meeting had expected the rate to stay unchanged.";

const XSS_TITLE: &str = "<script>alert(1)</script> and <b>bold</b> claims";
const XSS_TEXT: &str = "The page said <script>alert(1)</script> in Almaty and printed <b>bold</b> words about the central bank.\n\nNothing else happened in Almaty that day.";

fn record(title: &str, text: &str, source: &str, published: &str, lang: &str) -> String {
    serde_json::json!({
        "url": format!("https://{}.example/{}", source.to_lowercase(), title.len()),
        "title": title, "text": text, "source": source, "published": published,
        "language": lang,
    })
    .to_string()
}

fn ingest(data: &Path, file: &Path, lines: &[String]) {
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
    let out = dossier(data).arg("ingest").arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `dossier serve`, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &Path) -> Server {
    serve_with(data, &[])
}

fn serve_with(data: &Path, extra: &[(&str, &str)]) -> Server {
    let mut cmd = dossier(data);
    cmd.args(["serve", "--port", "0"]);
    for (k, v) in extra {
        if let Some(flag) = k.strip_prefix("--") {
            cmd.arg(format!("--{flag}")).arg(v);
        } else {
            cmd.env(k, v);
        }
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    Server { child, base }
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

fn get(server: &Server, path: &str) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent.get(format!("{}{path}", server.base)).call().unwrap();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    Reply {
        status: resp.status().as_u16(),
        content_type,
        body: resp.body_mut().read_to_string().unwrap(),
    }
}

fn get_json(server: &Server, path: &str) -> (u16, Value) {
    let r = get(server, path);
    assert!(
        r.content_type.starts_with("application/json"),
        "{path}: {} {}",
        r.content_type,
        r.body
    );
    (r.status, serde_json::from_str(&r.body).unwrap())
}

fn fixture(dir: &Path) -> PathBuf {
    let data = dir.join("store");
    ingest(
        &data,
        &dir.join("a.jsonl"),
        &[
            record("Central bank raises rate", WIRE, "Wire", "2020-05-01", "en"),
            record(
                "Kazakh central bank lifts rate",
                &WIRE.replace("Analysts polled", "Economists surveyed"),
                "Paper",
                "2020-05-02",
                "en",
            ),
            record(XSS_TITLE, XSS_TEXT, "Evil<i>Outlet", "2020-05-03", "en"),
        ],
    );
    data
}

/// The keys the OpenAPI file promises for the 200 answer of `template`.
fn documented_keys(spec: &Value, template: &str) -> (bool, Vec<String>) {
    let schema = &spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let resolve = |s: &Value| -> Value {
        match s["$ref"].as_str() {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap();
                spec["components"]["schemas"][name].clone()
            }
            None => s.clone(),
        }
    };
    let is_array = schema["type"] == "array";
    let object = if is_array {
        resolve(&schema["items"])
    } else {
        resolve(schema)
    };
    let keys = object["required"]
        .as_array()
        .unwrap_or_else(|| panic!("{template}: no required keys documented"))
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    (is_array, keys)
}

fn check_documented(spec: &Value, template: &str, value: &Value) {
    let (is_array, keys) = documented_keys(spec, template);
    let objects: Vec<&Value> = if is_array {
        let list = value
            .as_array()
            .unwrap_or_else(|| panic!("{template}: not an array"));
        assert!(!list.is_empty(), "{template}: empty, nothing checked");
        list.iter().collect()
    } else {
        vec![value]
    };
    for object in objects {
        for key in &keys {
            assert!(
                object.get(key).is_some(),
                "{template}: documented key {key:?} missing in {object}"
            );
        }
    }
}

#[test]
fn api_answers_match_the_openapi_file_and_errors_are_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture(dir.path());
    let added = dossier(&data)
        .args([
            "sources",
            "add",
            "http://127.0.0.1:9/feed.xml",
            "--name",
            "<i>Wire</i>",
        ])
        .output()
        .unwrap();
    assert!(added.status.success());
    let server = serve(&data);
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("docs/openapi.json")).unwrap())
            .unwrap();

    let (status, articles) = get_json(&server, "/api/articles?limit=10");
    assert_eq!(status, 200);
    assert_eq!(articles.as_array().unwrap().len(), 3, "{articles}");
    check_documented(&spec, "/api/articles", &articles);
    let id = articles[0]["id"].as_str().unwrap().to_owned();

    let (status, filtered) = get_json(&server, "/api/articles?source=Paper&lang=en");
    assert_eq!(status, 200);
    assert_eq!(filtered.as_array().unwrap().len(), 1, "{filtered}");
    let (_, dated) = get_json(&server, "/api/articles?since=2020-05-02&until=2020-05-02");
    assert_eq!(dated.as_array().unwrap().len(), 1, "{dated}");

    let (status, article) = get_json(&server, &format!("/api/articles/{}", &id[..8]));
    assert_eq!(status, 200);
    check_documented(&spec, "/api/articles/{id}", &article);
    assert!(article["layers"]["sentences"].is_array(), "{article}");

    let (status, hits) = get_json(&server, "/api/search?q=inflation&source=Wire");
    assert_eq!(status, 200);
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    check_documented(&spec, "/api/search", &hits);

    let (status, entities) = get_json(&server, "/api/entities");
    assert_eq!(status, 200);
    check_documented(&spec, "/api/entities", &entities);
    let name = entities[0]["canonical"].as_str().unwrap().to_owned();
    let (status, entity) = get_json(&server, &format!("/api/entities/{}", encode(&name)));
    assert_eq!(status, 200, "{entity}");
    check_documented(&spec, "/api/entities/{name}", &entity);

    let (status, stories) = get_json(&server, "/api/stories");
    assert_eq!(status, 200);
    check_documented(&spec, "/api/stories", &stories);
    let story = stories[0]["id"].as_i64().unwrap();
    let (status, detail) = get_json(&server, &format!("/api/stories/{story}"));
    assert_eq!(status, 200);
    check_documented(&spec, "/api/stories/{id}", &detail);

    let (status, timeline) = get_json(&server, "/api/timeline?entity=Almaty&dates=3");
    assert_eq!(status, 200, "{timeline}");
    check_documented(&spec, "/api/timeline", &timeline);
    assert_eq!(timeline["subject"], "entity Almaty", "{timeline}");
    let (status, timeline) = get_json(&server, &format!("/api/timeline?story={story}"));
    assert_eq!(status, 200, "{timeline}");
    check_documented(&spec, "/api/timeline", &timeline);

    let (status, stats) = get_json(&server, "/api/stats");
    assert_eq!(status, 200);
    check_documented(&spec, "/api/stats", &stats);
    assert_eq!(stats["articles"], 3);

    let (status, sources) = get_json(&server, "/api/sources");
    assert_eq!(status, 200);
    check_documented(&spec, "/api/sources", &sources);
    assert_eq!(sources[0]["silent"], false);
    let page = get(&server, "/sources");
    assert!(
        page.body.contains("&lt;i&gt;Wire&lt;/i&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<i>Wire"));

    // Errors: JSON, fitting codes, nothing internal.
    let store_path = data.display().to_string();
    for (path, code) in [
        ("/api/articles/zzzz", 400),
        ("/api/articles/ffffffffffffffffffffffffffffffff", 404),
        ("/api/articles?limit=many", 400),
        ("/api/articles?since=yesterday", 400),
        ("/api/search", 400),
        ("/api/search?q=%22unclosed+AND+(", 400),
        ("/api/entities/Nobody%20Atall", 404),
        ("/api/stories/abc", 400),
        ("/api/stories/99999", 404),
        ("/api/storylines/abc", 400),
        ("/api/storylines/99999", 404),
        ("/api/storylines?limit=-1", 400),
        ("/api/timeline", 400),
        ("/api/timeline?entity=Almaty&topic=bank", 400),
        ("/api/timeline?story=abc", 400),
        ("/api/timeline?story=99999", 404),
        ("/api/timeline?storyline=99999", 404),
        ("/api/timeline?entity=Nobody%20Atall", 404),
        ("/api/timeline?topic=bank&dates=many", 400),
        ("/api/timeline?topic=bank&since=yesterday", 400),
        ("/api/nothing/here", 404),
    ] {
        let (status, body) = get_json(&server, path);
        // Some query syntax is forgiven by the parser; then it is a result.
        if path.starts_with("/api/search?q=") && status == 200 {
            continue;
        }
        assert_eq!(status, code, "{path}: {body}");
        let message = body["error"].as_str().unwrap_or_else(|| panic!("{body}"));
        assert!(!message.contains(&store_path), "{path}: {message}");
        for internal in ["sqlite", "SELECT", "tantivy", "/tmp"] {
            assert!(!message.contains(internal), "{path}: {message}");
        }
    }

    // Ingestion while the server runs: the new article shows up.
    ingest(
        &data,
        &dir.path().join("b.jsonl"),
        &[record(
            "Snow closes mountain passes",
            "Heavy snow closed mountain passes in northern Georgia on Tuesday.",
            "Wire",
            "2020-05-04",
            "en",
        )],
    );
    let (_, after) = get_json(&server, "/api/search?q=snow");
    assert_eq!(after.as_array().unwrap().len(), 1, "{after}");
    let (_, stats) = get_json(&server, "/api/stats");
    assert_eq!(stats["articles"], 4);
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn pages_render_and_escape_article_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture(dir.path());
    // A saved brief: the front page shows the newest one.
    let out = dossier(&data)
        .args(["brief", "--since", "2020-05-01", "--until", "2020-05-03"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = serve(&data);
    let (_, articles) = get_json(&server, "/api/articles");
    let find = |title: &str| {
        articles
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let evil = find(XSS_TITLE);
    let wire = find("Central bank raises rate");

    let assert_safe = |page: &Reply, what: &str| {
        assert_eq!(page.status, 200, "{what}: {}", page.body);
        assert!(page.content_type.starts_with("text/html"), "{what}");
        assert!(!page.body.contains("<script"), "{what}: {}", page.body);
        assert!(!page.body.contains("<b>"), "{what}: {}", page.body);
        assert!(!page.body.contains("<i>"), "{what}: {}", page.body);
    };

    let front = get(&server, "/");
    assert_safe(&front, "front page");
    assert!(front.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(front.body.contains("action=\"/search\""));
    assert!(front.body.contains("href=\"/stories/"));
    assert!(front.body.contains(&format!("href=\"/articles/{wire}\"")));
    assert!(
        front
            .body
            .contains("<h2>Brief 1: 2020-05-01 .. 2020-05-03</h2>"),
        "{}",
        front.body
    );
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("docs/openapi.json")).unwrap())
            .unwrap();
    let (status, briefs) = get_json(&server, "/api/briefs");
    assert_eq!(status, 200);
    check_documented(&spec, "/api/briefs", &briefs);
    let (status, latest) = get_json(&server, "/api/briefs/latest");
    assert_eq!(status, 200);
    check_documented(&spec, "/api/briefs/{id}", &latest);
    assert_eq!(latest["since"], "2020-05-01");
    assert_eq!(get_json(&server, "/api/briefs/7").0, 404);
    assert_eq!(get_json(&server, "/api/briefs/x").0, 400);

    let reader = get(&server, &format!("/articles/{evil}"));
    assert_safe(&reader, "evil article");
    assert!(
        reader
            .body
            .contains("\">&lt;script&gt;alert(1)&lt;/script&gt; in "),
        "{}",
        reader.body
    );
    assert!(reader.body.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(reader.body.contains("Evil&lt;i&gt;Outlet"));

    let reader = get(&server, &format!("/articles/{wire}"));
    assert_safe(&reader, "wire article");
    for class in ["timex", "qty", "quote"] {
        assert!(
            reader.body.contains(&format!("class=\"{class}\" title=\"")),
            "{class} not highlighted: {}",
            reader.body
        );
    }
    assert!(reader
        .body
        .contains("<details><summary>Removed boilerplate"));
    assert!(
        reader.body.contains("Copies and rewrites (1)"),
        "{}",
        reader.body
    );

    let search = get(&server, "/search?q=alert");
    assert_safe(&search, "search");
    assert!(search.body.contains("<mark>"), "{}", search.body);
    assert!(search.body.contains("Outlets"));
    assert!(
        search.body.contains("source=Evil%3Ci%3EOutlet"),
        "{}",
        search.body
    );
    let search = get(&server, "/search?q=bank&lang=en");
    assert_safe(&search, "search with facet");
    assert!(search.body.contains("3 result(s)"), "{}", search.body);
    assert!(search
        .body
        .contains("Languages</h2><ul class=\"list\"><li><a"));
    // Entity and story facets narrow the results, in the API and the page.
    assert!(search.body.contains("Entities</h2>"), "{}", search.body);
    let (status, all) = get_json(&server, "/api/search?q=said");
    assert_eq!(status, 200);
    let (status, narrowed) = get_json(&server, "/api/search?q=said&entity=Timur+Suleimenov");
    assert_eq!(status, 200, "{narrowed}");
    let n = narrowed.as_array().unwrap().len();
    assert!(
        n >= 1 && n < all.as_array().unwrap().len(),
        "{narrowed} vs {all}"
    );
    let (status, _) = get_json(&server, "/api/search?q=said&entity=Nobody+Known+Here");
    assert_eq!(status, 404);
    let story = narrowed[0]["id"].as_str().unwrap().to_owned();
    let (_, detail) = get_json(&server, &format!("/api/articles/{story}"));
    assert!(detail["title"].is_string());
    let page = get(&server, "/search?q=said&entity=Timur+Suleimenov");
    assert_safe(&page, "entity facet");
    assert!(page.body.contains("clear filters"), "{}", page.body);

    let (_, stories) = get_json(&server, "/api/stories");
    for story in stories.as_array().unwrap() {
        let page = get(&server, &format!("/stories/{}", story["id"]));
        assert_safe(&page, "story");
        assert!(page.body.contains("Outlets:"));
        assert!(
            page.body
                .contains("Coverage over time</h2><figure class=\"chart\"><svg"),
            "{}",
            page.body
        );
    }
    let (_, entities) = get_json(&server, "/api/entities");
    let name = entities[0]["canonical"].as_str().unwrap();
    let page = get(&server, &format!("/entities/{}", encode(name)));
    assert_safe(&page, "entity");
    assert!(page.body.contains("Names and variants"));
    assert!(page.body.contains("Appears with"));
    assert!(
        page.body
            .contains(&format!("href=\"/timeline?entity={}\"", encode(name))),
        "{}",
        page.body
    );

    // The timeline of the entity the hostile article names: chart inline,
    // article text escaped.
    let page = get(&server, "/timeline?entity=Almaty");
    assert_safe(&page, "timeline");
    assert!(page.body.contains("<svg"), "{}", page.body);
    assert!(
        page.body.contains("Timeline: entity Almaty"),
        "{}",
        page.body
    );
    let page = get(&server, "/timeline?topic=alert");
    assert_safe(&page, "topic timeline");
    assert_safe(&get(&server, "/timeline"), "timeline form");
    assert_eq!(get(&server, "/timeline?entity=Nobody%20Atall").status, 404);
    let page = get(&server, "/storylines");
    assert_safe(&page, "no storylines");
    assert!(page.body.contains("No storylines yet"), "{}", page.body);
    assert_eq!(get(&server, "/storylines/99999").status, 404);

    let missing = get(&server, "/articles/ffffffffffffffffffffffffffffffff");
    assert_eq!(missing.status, 404);
    assert!(missing.content_type.starts_with("text/html"));
    assert!(!missing.body.contains(&data.display().to_string()));
    assert_eq!(get(&server, "/no/such/page").status, 404);
}

#[test]
fn serving_before_any_ingest_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("none"));
    let (status, body) = get_json(&server, "/api/stats");
    assert_eq!(status, 503);
    assert!(body["error"].as_str().unwrap().contains("dossier ingest"));
    assert!(!body.to_string().contains(&dir.path().display().to_string()));
    assert_eq!(get(&server, "/").status, 503);
}

/// Two rounds of talks between the same leaders, months apart, and a
/// story that shares only a country with them.
fn talks_fixture(dir: &Path) -> PathBuf {
    let data = dir.join("store");
    let talks = |place: &str, host: &str| {
        format!(
            "Armenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev held peace talks \
             in {place} on Monday, hosted by {host}. Armenia and Azerbaijan discussed a peace treaty and \
             border delimitation.\n\n{host} said the <b>talks</b> were frank."
        )
    };
    ingest(
        &data,
        &dir.join("talks.jsonl"),
        &[
            record(
                "Pashinyan and Aliyev hold peace talks in Brussels",
                &talks("Brussels", "Charles Michel"),
                "Wire",
                "2023-01-09",
                "en",
            ),
            record(
                "Earthquake damages villages in northern Armenia",
                "A magnitude 5.6 earthquake struck northern Armenia on Wednesday, damaging houses near Gyumri.",
                "Wire",
                "2023-03-01",
                "en",
            ),
            record(
                "Pashinyan and Aliyev resume peace talks in Washington",
                &talks("Washington", "Antony Blinken"),
                "Paper",
                "2023-05-01",
                "en",
            ),
        ],
    );
    let out = dossier(&data).args(["storylines"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    data
}

#[test]
fn storylines_and_their_timelines_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let data = talks_fixture(dir.path());
    let server = serve(&data);
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("docs/openapi.json")).unwrap())
            .unwrap();

    let (status, lines) = get_json(&server, "/api/storylines");
    assert_eq!(status, 200);
    check_documented(&spec, "/api/storylines", &lines);
    assert_eq!(lines.as_array().unwrap().len(), 1, "{lines}");
    let id = lines[0]["id"].as_i64().unwrap();
    let (status, line) = get_json(&server, &format!("/api/storylines/{id}"));
    assert_eq!(status, 200, "{line}");
    check_documented(&spec, "/api/storylines/{id}", &line);
    let members = line["members"].as_array().unwrap();
    assert_eq!(members.len(), 2, "{line}");
    assert!(members[0]["label"].as_str().unwrap().contains("Brussels"));
    assert!(members[1]["label"].as_str().unwrap().contains("Washington"));
    let (status, timeline) = get_json(&server, &format!("/api/timeline?storyline={id}&dates=5"));
    assert_eq!(status, 200, "{timeline}");
    check_documented(&spec, "/api/timeline", &timeline);
    assert_eq!(timeline["articles"], 2, "{timeline}");
    assert!(!timeline["events"].as_array().unwrap().is_empty());

    let assert_page = |path: &str| -> String {
        let page = get(&server, path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(page.content_type.starts_with("text/html"), "{path}");
        assert!(!page.body.contains("<b>"), "{path}: {}", page.body);
        page.body
    };
    let page = assert_page(&format!("/storylines/{id}"));
    assert!(page.contains("<svg"), "{page}");
    assert!(page.contains("&lt;b&gt;talks&lt;/b&gt;"), "{page}");
    let first = members[0]["id"].as_i64().unwrap();
    let second = members[1]["id"].as_i64().unwrap();
    let (a, b) = (
        page.find(&format!("href=\"/stories/{first}\"")).unwrap(),
        page.find(&format!("href=\"/stories/{second}\"")).unwrap(),
    );
    assert!(a < b, "stories out of order: {page}");
    let list = assert_page("/storylines");
    assert!(
        list.contains(&format!("href=\"/storylines/{id}\"")),
        "{list}"
    );
    let story = assert_page(&format!("/stories/{second}"));
    assert!(
        story.contains(&format!("href=\"/storylines/{id}\"")),
        "{story}"
    );
    let (_, stories) = get_json(&server, "/api/stories");
    let quake = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["label"].as_str().unwrap().contains("Earthquake"))
        .unwrap()["id"]
        .clone();
    let story = assert_page(&format!("/stories/{quake}"));
    assert!(!story.contains("href=\"/storylines/"), "{story}");
}

const TOKEN: &str = "test-token-0123";

/// POSTs `body` (JSON when it parses as JSON, else raw bytes) with an
/// optional bearer token; answers status, Location and body.
fn post(server: &Server, path: &str, token: Option<&str>, body: &[u8]) -> (u16, String, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut req = agent.post(format!("{}{path}", server.base));
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let is_form = body.contains(&b'=') && !body.starts_with(b"{");
    let ctype = if body.starts_with(b"{") {
        "application/json"
    } else if is_form {
        "application/x-www-form-urlencoded"
    } else {
        "text/html"
    };
    let mut resp = req.header("Content-Type", ctype).send(body).unwrap();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    (resp.status().as_u16(), location, text)
}

#[test]
fn writes_need_a_token_and_corrections_and_uploads_persist() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture(dir.path());
    let merge = br#"{"from": "Kazakhstan", "into": "Almaty"}"#;

    // No token configured: nothing writes, and the answer says how to enable it.
    let server = serve(&data);
    let (status, _, body) = post(&server, "/api/entities/merge", Some(TOKEN), merge);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("DOSSIER_TOKEN"), "{body}");
    assert!(!get(&server, "/entities/Almaty")
        .body
        .contains("data-action=\"merge-entity\""));
    drop(server);

    let server = serve_with(&data, &[("DOSSIER_TOKEN", TOKEN), ("--max-upload-mb", "1")]);
    assert_eq!(post(&server, "/api/entities/merge", None, merge).0, 401);
    assert_eq!(
        post(
            &server,
            "/api/entities/merge",
            Some("wrong-token-000"),
            merge
        )
        .0,
        403
    );
    let (status, _, body) = post(&server, "/api/entities/merge", Some(TOKEN), merge);
    assert_eq!(status, 200, "{body}");
    let (_, almaty) = get_json(&server, "/api/entities/Almaty");
    assert!(
        almaty["variants"].to_string().contains("Kazakhstan"),
        "{almaty}"
    );
    let (_, log) = get_json(&server, "/api/corrections");
    assert_eq!(log[0]["kind"], "merge-entities");

    // The UI form: token as a field, 303 to the result.
    let page = get(&server, "/entities/Almaty").body;
    assert!(page.contains("data-action=\"merge-entity\""), "{page}");
    let (status, _, _) = post(
        &server,
        "/entities/Almaty/merge",
        None,
        b"into=Timur+Suleimenov",
    );
    assert_eq!(status, 401);

    // Upload: stored under its base name as a label; nothing written beside the store.
    let html = b"<html><head><title>Upload test page</title></head><body><article><h1>Upload test page</h1><p>The harbour of Port Example reopened on Friday after the storm, officials said, and ships queued to enter.</p><p>Dock workers cleared debris through the night while the coast guard checked the channel for wrecks and lost containers.</p></article></body></html>";
    let (status, _, body) = post(
        &server,
        "/api/ingest?name=../../evil.html&source=Uploads",
        Some(TOKEN),
        html,
    );
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    let id = answer["articles"][0].as_str().unwrap();
    let (_, article) = get_json(&server, &format!("/api/articles/{id}"));
    assert_eq!(article["title"], "Upload test page");
    assert_eq!(article["source"], "Uploads");
    assert!(!dir.path().join("evil.html").exists());
    assert!(!data.join("evil.html").exists());
    // Too big: refused from the declared length, before the body is read.
    let addr = server.base.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    use std::io::{Read, Write};
    write!(
        conn,
        "POST /api/ingest?name=big.txt HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: {}\r\n\r\n",
        2 * 1024 * 1024
    )
    .unwrap();
    let mut head = [0u8; 12];
    conn.read_exact(&mut head).unwrap();
    assert_eq!(&head[9..12], b"413", "{}", String::from_utf8_lossy(&head));
    let (status, _, body) = post(
        &server,
        "/api/ingest?name=x.bin",
        Some(TOKEN),
        b"\x00\x01\x02",
    );
    assert_eq!(status, 422, "{body}");
    assert!(!body.contains(&data.display().to_string()), "{body}");
    drop(server);

    // Restarted: the correction is still there.
    let server = serve(&data);
    let (_, almaty) = get_json(&server, "/api/entities/Almaty");
    assert!(almaty["variants"].to_string().contains("Kazakhstan"));
}
