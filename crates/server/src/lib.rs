//! `dossier serve`: a JSON API and a server-rendered web UI over one store.
//!
//! Every read opens the store read-only on a blocking thread
//! ([`Store::open_read`]): SQLite in WAL mode lets an ingest write at the
//! same time, and a freshly opened tantivy reader sees the index's latest
//! commit. Writes (corrections, uploads; see [`write`]) exist only when the
//! user configured a token, and open the store for writing per request (a
//! busy store answers 503).
//!
//! Errors are JSON `{"error": "..."}` (or a small HTML page for the UI)
//! with a fitting status code; messages never carry store paths, SQL or
//! other internals, which go to standard error instead.

mod api;
mod html;
pub mod write;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use dossier_store::{Store, StoreError};

pub use html::{escape, render_text};

pub use write::{IngestHook, Upload, Writes};

/// What every handler shares: where the store lives, and write access.
#[derive(Clone)]
pub struct AppState {
    data: Arc<PathBuf>,
    writes: Option<Writes>,
}

/// The whole application: API under `/api`, pages elsewhere. `writes`
/// enables the write endpoints and forms.
pub fn router(data: PathBuf, writes: Option<Writes>) -> Router {
    let upload_limit = writes.as_ref().map_or(0, |w| w.max_upload_bytes);
    let state = AppState {
        data: Arc::new(data),
        writes,
    };
    Router::new()
        .route("/api/entities/merge", post(write::api_merge_entities))
        .route("/api/entities/split", post(write::api_split_entity))
        .route("/api/stories/move", post(write::api_move_article))
        .route("/api/stories/merge", post(write::api_merge_stories))
        .route("/api/corrections", get(write::api_corrections))
        .route(
            "/api/ingest",
            post(write::api_ingest).layer(DefaultBodyLimit::disable()),
        )
        .route("/entities/{name}/merge", post(write::form_merge_entity))
        .route("/entities/{name}/split", post(write::form_split_entity))
        .route("/stories/{id}/move", post(write::form_move_article))
        .route("/stories/{id}/merge", post(write::form_merge_story))
        .route(
            "/ingest",
            get(html::paste)
                .post(write::form_paste)
                .layer(DefaultBodyLimit::max(upload_limit.max(1 << 20))),
        )
        .route("/api/articles", get(api::articles))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/search", get(api::search))
        .route("/api/entities", get(api::entities))
        .route("/api/entities/{name}", get(api::entity))
        .route("/api/stories", get(api::stories))
        .route("/api/stories/{id}", get(api::story))
        .route("/api/stats", get(api::stats))
        .route("/api/sources", get(api::sources))
        .route("/api/briefs", get(api::briefs))
        .route("/api/briefs/{id}", get(api::brief))
        .route("/api/storylines", get(api::storylines))
        .route("/api/storylines/{id}", get(api::storyline))
        .route("/api/timeline", get(api::timeline))
        .route("/api/{*rest}", get(api::not_found))
        .route("/", get(html::front))
        .route("/search", get(html::search))
        .route("/articles/{id}", get(html::article))
        .route("/entities/{name}", get(html::entity))
        .route("/stories/{id}", get(html::story))
        .route("/sources", get(html::sources))
        .route("/storylines", get(html::storylines))
        .route("/storylines/{id}", get(html::storyline))
        .route("/timeline", get(html::timeline))
        .fallback(html::not_found)
        .with_state(state)
}

/// Binds `addr`, calls `on_ready` with the bound address (port 0 picks a
/// free one) and serves until the process ends.
pub fn serve(
    data: PathBuf,
    addr: SocketAddr,
    writes: Option<Writes>,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        on_ready(listener.local_addr()?);
        axum::serve(listener, router(data, writes)).await
    })
}

/// An error answer: a status and a message safe to show to anyone.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub(crate) fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match &err {
            StoreError::Missing(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no store yet: run `dossier ingest` first",
            ),
            StoreError::TooNew { .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the store is newer than this server; upgrade dossier",
            ),
            StoreError::Locked(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the store is busy; retry")
            }
            StoreError::NotFound(_) => ApiError::not_found("not found"),
            StoreError::NoSuch(what) => ApiError::not_found(format!("no {what}")),
            StoreError::Refused(reason) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, reason.clone())
            }
            StoreError::Ambiguous { count, .. } => ApiError::bad_request(format!(
                "id prefix is ambiguous ({count} articles match); give more digits"
            )),
            StoreError::BadId(_) => {
                ApiError::bad_request("invalid article id (expected at least 4 hexadecimal digits)")
            }
            StoreError::Query(_) => ApiError::bad_request("invalid search query"),
            _ => {
                eprintln!("dossier serve: {err}");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

/// Runs `f` on a blocking thread with the store opened read-only.
async fn with_store<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
{
    let data = state.data.clone();
    tokio::task::spawn_blocking(move || {
        let store = Store::open_read(&data)?;
        f(&store)
    })
    .await
    .map_err(|e| {
        eprintln!("dossier serve: request task failed: {e}");
        ApiError::internal()
    })?
}

/// A `YYYY-MM-DD` day as inclusive unix seconds: its start, or its last
/// second when `end_of_day`.
fn day_bound(value: &str, end_of_day: bool) -> Result<i64, ApiError> {
    let bad = || ApiError::bad_request("invalid date (expected YYYY-MM-DD)");
    let date: jiff::civil::Date = value.parse().map_err(|_| bad())?;
    let start = date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|_| bad())?
        .timestamp()
        .as_second();
    Ok(if end_of_day { start + 86_399 } else { start })
}

/// Checks a `YYYY-MM-DD` day (for the story filters, which take days).
fn check_day(value: &str) -> Result<(), ApiError> {
    day_bound(value, false).map(|_| ())
}

/// Empty query parameters (`?source=`) count as absent.
fn present(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}
