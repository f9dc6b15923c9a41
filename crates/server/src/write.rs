//! Writing through the server: corrections (entity merge and split, an
//! article moved to another story, story merges) and ingesting an uploaded
//! file or pasted text.
//!
//! Nothing writes unless the user configured a token ([`Writes`]); the API
//! takes it as `Authorization: Bearer TOKEN`, the UI's forms as a `token`
//! field. Uploads are kept in memory within [`Writes::max_upload_bytes`]
//! and handed to the binary's ingest ([`IngestHook`]); their names are
//! labels only, never paths, so nothing is written outside the store.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use dossier_store::Store;
use serde_json::Value;

use crate::api::story_id;
use crate::html::PageError;
use crate::{ApiError, AppState};

/// An upload to ingest: a label for its origin, its bytes, an outlet name.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub source: Option<String>,
}

/// Runs the normal ingest on an upload; returns its summary, or a message.
pub type IngestHook = Arc<dyn Fn(Upload) -> Result<Value, String> + Send + Sync>;

/// Write access, when the user configured it.
#[derive(Clone)]
pub struct Writes {
    pub token: String,
    pub ingest: IngestHook,
    pub max_upload_bytes: usize,
}

/// Compares without stopping at the first difference.
fn same_token(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn authorise<'a>(state: &'a AppState, given: Option<&str>) -> Result<&'a Writes, ApiError> {
    let writes = state.writes.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "writing is disabled: start `dossier serve` with DOSSIER_TOKEN set",
        )
    })?;
    match given {
        Some(t) if same_token(t.trim(), &writes.token) => Ok(writes),
        Some(_) => Err(ApiError::new(StatusCode::FORBIDDEN, "wrong token")),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "a token is needed: send Authorization: Bearer TOKEN",
        )),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// Runs `f` on a blocking thread with the store opened for writing.
async fn with_store_write<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
{
    let data = state.data.clone();
    tokio::task::spawn_blocking(move || {
        let mut store = Store::open_write(&data)?;
        f(&mut store)
    })
    .await
    .map_err(|e| {
        eprintln!("dossier serve: write task failed: {e}");
        ApiError::internal()
    })?
}

/// An entity by id or name.
fn entity(store: &Store, name: &str) -> Result<i64, ApiError> {
    crate::api::find_entity(store, name)
}

/// The corrections the API and the forms share.
enum Fix {
    MergeEntities { from: String, into: String },
    SplitEntity { entity: String, variant: String },
    MoveArticle { article: String, story: Option<i64> },
    MergeStories { from: i64, into: i64 },
}

/// Applies a correction; returns where its result can be seen (a UI path).
async fn apply(state: &AppState, fix: Fix) -> Result<String, ApiError> {
    with_store_write(state, move |store| match fix {
        Fix::MergeEntities { from, into } => {
            let (a, b) = (entity(store, &from)?, entity(store, &into)?);
            store.merge_entities(a, b)?;
            Ok(format!("/entities/{b}"))
        }
        Fix::SplitEntity { entity: e, variant } => {
            let id = entity(store, &e)?;
            let key = dossier_link::identity::name_key(&variant);
            let new = store.split_entity(id, variant.trim(), &key)?;
            Ok(format!("/entities/{new}"))
        }
        Fix::MoveArticle { article, story } => {
            let target = store.move_article(&article, story)?;
            Ok(format!("/stories/{target}"))
        }
        Fix::MergeStories { from, into } => {
            store.merge_stories(from, into)?;
            Ok(format!("/stories/{into}"))
        }
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct MergeBody {
    from: String,
    into: String,
}

#[derive(serde::Deserialize)]
pub struct SplitBody {
    entity: String,
    variant: String,
}

#[derive(serde::Deserialize)]
pub struct MoveBody {
    article: String,
    story: Option<i64>,
}

#[derive(serde::Deserialize)]
pub struct MergeStoriesBody {
    from: i64,
    into: i64,
}

fn done(at: String) -> Json<Value> {
    Json(serde_json::json!({ "ok": true, "see": at }))
}

pub async fn api_merge_entities(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(b): Json<MergeBody>,
) -> Result<Json<Value>, ApiError> {
    authorise(&state, bearer(&headers))?;
    let fix = Fix::MergeEntities {
        from: b.from,
        into: b.into,
    };
    apply(&state, fix).await.map(done)
}

pub async fn api_split_entity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(b): Json<SplitBody>,
) -> Result<Json<Value>, ApiError> {
    authorise(&state, bearer(&headers))?;
    let fix = Fix::SplitEntity {
        entity: b.entity,
        variant: b.variant,
    };
    apply(&state, fix).await.map(done)
}

pub async fn api_move_article(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(b): Json<MoveBody>,
) -> Result<Json<Value>, ApiError> {
    authorise(&state, bearer(&headers))?;
    let fix = Fix::MoveArticle {
        article: b.article,
        story: b.story,
    };
    apply(&state, fix).await.map(done)
}

pub async fn api_merge_stories(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(b): Json<MergeStoriesBody>,
) -> Result<Json<Value>, ApiError> {
    authorise(&state, bearer(&headers))?;
    let fix = Fix::MergeStories {
        from: b.from,
        into: b.into,
    };
    apply(&state, fix).await.map(done)
}

pub async fn api_corrections(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    crate::with_store(&state, |store| {
        serde_json::to_value(store.corrections(200)?).map_err(|_| ApiError::internal())
    })
    .await
    .map(Json)
}

#[derive(serde::Deserialize)]
pub struct UploadParams {
    name: Option<String>,
    source: Option<String>,
}

/// `POST /api/ingest?name=FILE&source=OUTLET` with the file as the body.
/// A body declared or found larger than the limit is refused (413) without
/// reading more of it.
pub async fn api_ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<UploadParams>,
    body: axum::body::Body,
) -> Result<Json<Value>, ApiError> {
    let writes = authorise(&state, bearer(&headers))?.clone();
    let limit = writes.max_upload_bytes;
    let too_big = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("upload larger than {} MiB", limit / (1024 * 1024)),
        )
    };
    let declared = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_big());
    }
    let body = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_big())?;
    if body.is_empty() {
        return Err(ApiError::bad_request("empty upload"));
    }
    let upload = Upload {
        name: upload_label(p.name.as_deref()),
        bytes: body.to_vec(),
        source: p.source.filter(|s| !s.trim().is_empty()),
    };
    run_ingest(&writes, upload).await.map(Json)
}

/// A label for an upload's origin: its base name, printable, bounded.
fn upload_label(name: Option<&str>) -> String {
    let base = name
        .unwrap_or("upload")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("upload");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    format!(
        "upload:{}",
        if clean.is_empty() { "upload" } else { &clean }
    )
}

async fn run_ingest(writes: &Writes, upload: Upload) -> Result<Value, ApiError> {
    let hook = writes.ingest.clone();
    tokio::task::spawn_blocking(move || hook(upload))
        .await
        .map_err(|e| {
            eprintln!("dossier serve: ingest task failed: {e}");
            ApiError::internal()
        })?
        .map_err(|message| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message))
}

/// The UI's forms: fields plus the token.
#[derive(serde::Deserialize)]
pub struct FixForm {
    token: Option<String>,
    into: Option<String>,
    variant: Option<String>,
    article: Option<String>,
    story: Option<String>,
}

fn required(value: Option<String>, what: &str) -> Result<String, ApiError> {
    value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::bad_request(format!("{what} is required")))
}

async fn form_fix(state: &AppState, token: Option<&str>, fix: Fix) -> Result<Response, PageError> {
    authorise(state, token).map_err(PageError)?;
    let to = apply(state, fix).await.map_err(PageError)?;
    Ok(Redirect::to(&to).into_response())
}

pub async fn form_merge_entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<FixForm>,
) -> Result<Response, PageError> {
    let into = required(f.into, "the entity to merge into").map_err(PageError)?;
    let fix = Fix::MergeEntities { from: id, into };
    form_fix(&state, f.token.as_deref(), fix).await
}

pub async fn form_split_entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<FixForm>,
) -> Result<Response, PageError> {
    let variant = required(f.variant, "the name to split off").map_err(PageError)?;
    let fix = Fix::SplitEntity {
        entity: id,
        variant,
    };
    form_fix(&state, f.token.as_deref(), fix).await
}

pub async fn form_move_article(
    State(state): State<AppState>,
    Path(_story): Path<String>,
    Form(f): Form<FixForm>,
) -> Result<Response, PageError> {
    let article = required(f.article, "the article").map_err(PageError)?;
    let story = match f.story.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(story_id(s).map_err(PageError)?),
        None => None,
    };
    let fix = Fix::MoveArticle { article, story };
    form_fix(&state, f.token.as_deref(), fix).await
}

pub async fn form_merge_story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<FixForm>,
) -> Result<Response, PageError> {
    let from = story_id(&id).map_err(PageError)?;
    let into = story_id(&required(f.into, "the story to merge into").map_err(PageError)?)
        .map_err(PageError)?;
    let fix = Fix::MergeStories { from, into };
    form_fix(&state, f.token.as_deref(), fix).await
}

/// The paste form: a title, the text, an outlet.
#[derive(serde::Deserialize)]
pub struct PasteForm {
    token: Option<String>,
    title: Option<String>,
    text: Option<String>,
    source: Option<String>,
}

pub async fn form_paste(
    State(state): State<AppState>,
    Form(f): Form<PasteForm>,
) -> Result<Response, PageError> {
    let writes = authorise(&state, f.token.as_deref())
        .map_err(PageError)?
        .clone();
    let text = required(f.text, "the text").map_err(PageError)?;
    let title = f.title.unwrap_or_default();
    // A plain-text document: the title on the first line, the body after.
    let bytes = format!("{}\n\n{text}\n", title.trim()).into_bytes();
    let upload = Upload {
        name: upload_label(Some("pasted.txt")),
        bytes,
        source: f.source.filter(|s| !s.trim().is_empty()),
    };
    let summary = run_ingest(&writes, upload).await.map_err(PageError)?;
    let to = summary["articles"][0]
        .as_str()
        .map_or_else(|| "/".to_owned(), |id| format!("/articles/{id}"));
    Ok(Redirect::to(&to).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("s3cret", "s3cret"));
        assert!(!same_token("s3cre", "s3cret"));
        assert!(!same_token("s3cres", "s3cret"));
        assert!(!same_token("", "s3cret"));
    }

    #[test]
    fn upload_names_are_labels_not_paths() {
        assert_eq!(upload_label(Some("../../etc/passwd")), "upload:passwd");
        assert_eq!(upload_label(Some("C:\\x\\a.html")), "upload:a.html");
        assert_eq!(upload_label(None), "upload:upload");
        assert_eq!(upload_label(Some("a\u{0}b")), "upload:ab");
    }
}
