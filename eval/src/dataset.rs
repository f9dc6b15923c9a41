//! Loader for the Scrapinghub article-extraction benchmark.
//!
//! Layout: `ground-truth.json` (`{id: {articleBody, url}}`), `html/<id>.html.gz`
//! (or already gunzipped `html/<id>.html`), and `reference-outputs/*.json`
//! holding published predictions, either a plain `{id: {articleBody}}` map or
//! wrapped as `{"version": ..., "output": {...}}`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Why the benchmark data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("parsing {path}: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: expected a JSON object of pages")]
    Shape { path: PathBuf },
    #[error("no HTML file for page {id} in {dir}")]
    MissingHtml { id: String, dir: PathBuf },
}

/// One benchmark page: its id, URL, gold text and HTML.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub url: Option<String>,
    pub gold: String,
    pub html: String,
}

/// The default location of the data set, relative to the workspace root or
/// to `eval/` (where `cargo test -p dossier-eval` runs).
pub fn default_dir() -> Option<PathBuf> {
    [
        "../shared/data/extraction/scrapinghub",
        "../../shared/data/extraction/scrapinghub",
    ]
    .iter()
    .map(PathBuf::from)
    .chain(std::iter::once(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/extraction/scrapinghub"),
    ))
    .find(|p| p.join("ground-truth.json").is_file())
}

fn read_json(path: &Path) -> Result<Value, DataError> {
    let bytes = fs::read(path).map_err(|source| DataError::Io {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|source| DataError::Json {
        path: path.to_owned(),
        source,
    })
}

/// Reads a `{id: {articleBody, ...}}` file (plain or wrapped in `output`)
/// into `id -> (articleBody, url)`. Missing or null bodies read as "".
pub fn read_predictions(
    path: &Path,
) -> Result<BTreeMap<String, (String, Option<String>)>, DataError> {
    let value = read_json(path)?;
    let map = match value.get("output") {
        Some(Value::Object(m)) => m.clone(),
        _ => match value {
            Value::Object(m) => m,
            _ => {
                return Err(DataError::Shape {
                    path: path.to_owned(),
                })
            }
        },
    };
    Ok(map
        .into_iter()
        .map(|(id, v)| {
            let body = v.get("articleBody").and_then(Value::as_str).unwrap_or("");
            let url = v.get("url").and_then(Value::as_str).map(str::to_owned);
            (id, (body.to_owned(), url))
        })
        .collect())
}

fn read_html(dir: &Path, id: &str) -> Result<String, DataError> {
    let io = |path: &Path| {
        let p = path.to_owned();
        move |source| DataError::Io { path: p, source }
    };
    let gz = dir.join(format!("{id}.html.gz"));
    if gz.is_file() {
        let file = fs::File::open(&gz).map_err(io(&gz))?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .map_err(io(&gz))?;
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    let plain = dir.join(format!("{id}.html"));
    if plain.is_file() {
        let bytes = fs::read(&plain).map_err(io(&plain))?;
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    Err(DataError::MissingHtml {
        id: id.to_owned(),
        dir: dir.to_owned(),
    })
}

/// Reads every page of the benchmark, sorted by id.
pub fn load_pages(dir: &Path) -> Result<Vec<Page>, DataError> {
    let gold = read_predictions(&dir.join("ground-truth.json"))?;
    let html_dir = dir.join("html");
    gold.into_iter()
        .map(|(id, (gold, url))| {
            let html = read_html(&html_dir, &id)?;
            Ok(Page {
                id,
                url,
                gold,
                html,
            })
        })
        .collect()
}

/// The gold texts only, `id -> articleBody` (no HTML is read).
pub fn load_gold(dir: &Path) -> Result<BTreeMap<String, String>, DataError> {
    Ok(read_predictions(&dir.join("ground-truth.json"))?
        .into_iter()
        .map(|(id, (body, _))| (id, body))
        .collect())
}
