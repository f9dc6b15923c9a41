//! The JSON API: the shapes of docs/JSON.md, described by docs/openapi.json.

use axum::extract::{Path, Query, State};
use axum::Json;
use dossier_store::{ListFilter, SearchFilter, Store};
use serde::Deserialize;
use serde_json::Value;

use crate::{check_day, day_bound, present, with_store, ApiError, AppState};

/// Query parameters, all taken as text so that a bad value gets a JSON error.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct Params {
    pub q: Option<String>,
    pub source: Option<String>,
    pub lang: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl Params {
    pub(crate) fn number(
        value: &Option<String>,
        name: &str,
        default: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        match present(value) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .map(|n| n.min(max))
                .map_err(|_| ApiError::bad_request(format!("{name} must be a whole number"))),
        }
    }

    pub(crate) fn bounds(&self) -> Result<(Option<i64>, Option<i64>), ApiError> {
        let since = present(&self.since)
            .map(|d| day_bound(&d, false))
            .transpose()?;
        let until = present(&self.until)
            .map(|d| day_bound(&d, true))
            .transpose()?;
        Ok((since, until))
    }

    pub(crate) fn list_filter(&self) -> Result<ListFilter, ApiError> {
        let (since, until) = self.bounds()?;
        Ok(ListFilter {
            source: present(&self.source),
            language: present(&self.lang),
            since,
            until,
            limit: Params::number(&self.limit, "limit", 20, 500)?,
            offset: Params::number(&self.offset, "offset", 0, usize::MAX)?,
        })
    }

    pub(crate) fn search_filter(&self) -> Result<(String, SearchFilter), ApiError> {
        let q = present(&self.q).ok_or_else(|| ApiError::bad_request("q is required"))?;
        let (since, until) = self.bounds()?;
        Ok((
            q,
            SearchFilter {
                source: present(&self.source),
                language: present(&self.lang),
                since,
                until,
                limit: Params::number(&self.limit, "limit", 20, 500)?,
            },
        ))
    }
}

type Answer = Result<Json<Value>, ApiError>;

fn json<T: serde::Serialize>(value: &T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| {
        eprintln!("dossier serve: serialize: {e}");
        ApiError::internal()
    })
}

/// Resolves an entity by any spelling, as `dossier entity NAME` does.
pub(crate) fn find_entity(store: &Store, name: &str) -> Result<i64, ApiError> {
    let key = dossier_link::identity::name_key(name);
    store
        .find_entity(name.trim(), &key)?
        .ok_or_else(|| ApiError::not_found("no entity by that name"))
}

pub(crate) fn story_id(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::bad_request("invalid story id (expected a number)"))
}

pub async fn articles(State(state): State<AppState>, Query(p): Query<Params>) -> Answer {
    let filter = p.list_filter()?;
    with_store(&state, move |store| json(&store.list(&filter)?))
        .await
        .map(Json)
}

pub async fn article(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    with_store(&state, move |store| json(&store.article(&id)?))
        .await
        .map(Json)
}

pub async fn search(State(state): State<AppState>, Query(p): Query<Params>) -> Answer {
    let (q, filter) = p.search_filter()?;
    with_store(&state, move |store| json(&store.search(&q, &filter)?))
        .await
        .map(Json)
}

pub async fn entities(State(state): State<AppState>, Query(p): Query<Params>) -> Answer {
    let label = present(&p.kind).map(|l| l.to_ascii_uppercase());
    let limit = Params::number(&p.limit, "limit", 50, 1000)?;
    with_store(&state, move |store| {
        json(&store.entities(label.as_deref(), limit)?)
    })
    .await
    .map(Json)
}

pub async fn entity(State(state): State<AppState>, Path(name): Path<String>) -> Answer {
    with_store(&state, move |store| {
        let id = find_entity(store, &name)?;
        let detail = store
            .entity_detail(id, 10, 50)?
            .ok_or_else(|| ApiError::not_found("no entity by that name"))?;
        json(&detail)
    })
    .await
    .map(Json)
}

pub async fn stories(State(state): State<AppState>, Query(p): Query<Params>) -> Answer {
    let since = present(&p.since);
    let until = present(&p.until);
    for day in since.iter().chain(until.iter()) {
        check_day(day)?;
    }
    let limit = Params::number(&p.limit, "limit", 100, 1000)?;
    with_store(&state, move |store| {
        let mut list = store.stories(since.as_deref(), until.as_deref())?;
        list.truncate(limit);
        json(&list)
    })
    .await
    .map(Json)
}

pub async fn story(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let id = story_id(&id)?;
    with_store(&state, move |store| json(&store.story(id)?))
        .await
        .map(Json)
}

pub async fn stats(State(state): State<AppState>) -> Answer {
    with_store(&state, move |store| {
        let mut stats = store.stats()?;
        // The store's location is an internal: show its folder name only.
        stats.store = store
            .dir()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        json(&stats)
    })
    .await
    .map(Json)
}

pub async fn sources(State(state): State<AppState>) -> Answer {
    with_store(&state, move |store| json(&store.source_health()?))
        .await
        .map(Json)
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}
