//! The JSON API: the shapes of docs/JSON.md, described by docs/openapi.json.

use axum::extract::{Path, Query, State};
use axum::Json;
use dossier_brief::timeline::{self, Timeline};
use dossier_brief::BriefArticle;
use dossier_store::{ListFilter, SearchFilter, Store, StoreError};
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
    /// Timeline subjects (exactly one) and how many dates to keep.
    pub entity: Option<String>,
    pub topic: Option<String>,
    pub story: Option<String>,
    pub storyline: Option<String>,
    pub dates: Option<String>,
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

    /// The query and its filters; an `entity` (name or id) is resolved
    /// with the store, so callers run this inside `with_store`.
    pub(crate) fn search_filter(&self, store: &Store) -> Result<(String, SearchFilter), ApiError> {
        let q = present(&self.q).ok_or_else(|| ApiError::bad_request("q is required"))?;
        let (since, until) = self.bounds()?;
        let entity = present(&self.entity)
            .map(|name| find_entity(store, &name))
            .transpose()?;
        let story = present(&self.story).map(|s| story_id(&s)).transpose()?;
        Ok((
            q,
            SearchFilter {
                source: present(&self.source),
                language: present(&self.lang),
                since,
                until,
                limit: Params::number(&self.limit, "limit", 20, 500)?,
                entity,
                story,
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

pub(crate) fn storyline_id(id: &str) -> Result<i64, ApiError> {
    id.trim()
        .parse()
        .map_err(|_| ApiError::bad_request("invalid storyline id (expected a number)"))
}

/// Articles a timeline reads at most: a request must stay bounded however
/// many articles name an entity (the first ones in storage order are kept).
const TIMELINE_ARTICLES: usize = 1000;

/// What a timeline is about: its title, its articles and the words a
/// chosen sentence should contain (as `dossier timeline`).
struct Subject {
    title: String,
    ids: Vec<String>,
    keywords: Vec<String>,
}

/// A validated `/api/timeline` (or `/timeline`) query.
#[derive(Clone)]
pub(crate) struct TimelineQuery {
    subject: SubjectKind,
    dates: usize,
    since: Option<String>,
    until: Option<String>,
}

#[derive(Clone)]
enum SubjectKind {
    Entity(String),
    Topic(String),
    Story(i64),
    Storyline(i64),
}

impl TimelineQuery {
    /// Exactly one subject, `dates` (10, at most 100), `since`/`until` days.
    pub(crate) fn from_params(p: &Params) -> Result<TimelineQuery, ApiError> {
        let given: Vec<SubjectKind> = [
            present(&p.entity).map(SubjectKind::Entity),
            present(&p.topic).map(SubjectKind::Topic),
            present(&p.story)
                .map(|s| story_id(&s).map(SubjectKind::Story))
                .transpose()?,
            present(&p.storyline)
                .map(|s| storyline_id(&s).map(SubjectKind::Storyline))
                .transpose()?,
        ]
        .into_iter()
        .flatten()
        .collect();
        let [subject] = <[SubjectKind; 1]>::try_from(given).map_err(|_| {
            ApiError::bad_request("give exactly one of entity, topic, story or storyline")
        })?;
        let since = present(&p.since);
        let until = present(&p.until);
        for day in since.iter().chain(until.iter()) {
            check_day(day)?;
        }
        Ok(TimelineQuery {
            subject,
            dates: Params::number(&p.dates, "dates", 10, 100)?,
            since,
            until,
        })
    }

    /// The subject's name, for page titles before the timeline is built.
    pub(crate) fn describe(&self) -> String {
        match &self.subject {
            SubjectKind::Entity(name) => format!("entity {name}"),
            SubjectKind::Topic(q) => format!("topic \"{q}\""),
            SubjectKind::Story(id) => format!("story {id}"),
            SubjectKind::Storyline(id) => format!("storyline {id}"),
        }
    }
}

fn subject(store: &Store, kind: &SubjectKind) -> Result<Subject, ApiError> {
    Ok(match kind {
        SubjectKind::Entity(name) => {
            let id = find_entity(store, name)?;
            let d = store
                .entity_detail(id, 0, 0)?
                .ok_or_else(|| ApiError::not_found("no entity by that name"))?;
            let mut keywords: Vec<String> = d.variants.into_iter().map(|v| v.variant).collect();
            keywords.push(d.canonical.clone());
            Subject {
                title: format!("entity {}", d.canonical),
                ids: store.entity_article_ids(id)?,
                keywords,
            }
        }
        SubjectKind::Topic(q) => {
            let filter = SearchFilter {
                limit: TIMELINE_ARTICLES,
                ..SearchFilter::default()
            };
            Subject {
                title: format!("topic \"{q}\""),
                ids: store
                    .search(q, &filter)?
                    .into_iter()
                    .map(|h| h.id)
                    .collect(),
                keywords: q
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 3 && !matches!(*w, "AND" | "OR" | "NOT"))
                    .map(str::to_lowercase)
                    .collect(),
            }
        }
        SubjectKind::Story(id) => {
            let d = store.story(*id).map_err(|e| match e {
                StoreError::NotFound(_) => ApiError::not_found(format!("no story {id}")),
                e => e.into(),
            })?;
            Subject {
                title: format!("story {id}: {}", d.story.label),
                ids: d.members.into_iter().map(|m| m.id).collect(),
                keywords: Vec::new(),
            }
        }
        SubjectKind::Storyline(id) => {
            let d = store.storyline(*id)?;
            Subject {
                title: format!("storyline {id}: {}", d.storyline.label),
                ids: store.storyline_article_ids(*id, TIMELINE_ARTICLES)?,
                keywords: Vec::new(),
            }
        }
    })
}

/// The timeline of a query, built as `dossier timeline` builds it.
pub(crate) fn build_timeline(store: &Store, q: &TimelineQuery) -> Result<Timeline, ApiError> {
    let s = subject(store, &q.subject)?;
    let mut articles = Vec::with_capacity(s.ids.len().min(TIMELINE_ARTICLES));
    for id in s.ids.iter().take(TIMELINE_ARTICLES) {
        let a = store.article(id)?;
        articles.push(BriefArticle {
            id: a.id,
            title: a.title,
            source: a.source,
            url: a.url,
            published: a.published.map(|p| p.value),
            authors: a.authors,
            text: a.text,
            layers: a.layers,
        });
    }
    let mut opts = timeline::Options {
        max_dates: q.dates,
        since: q.since.clone(),
        until: q.until.clone(),
        keywords: s.keywords,
        subject: s.title,
        ..timeline::Options::default()
    };
    let mut tl = timeline::build(&articles, &opts);
    if tl.events.is_empty() && !opts.keywords.is_empty() {
        // As the CLI: no dated sentence names the subject, so any dated
        // sentence of its articles rather than nothing.
        opts.keywords.clear();
        tl = timeline::build(&articles, &opts);
    }
    Ok(tl)
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
    if present(&p.q).is_none() {
        return Err(ApiError::bad_request("q is required"));
    }
    with_store(&state, move |store| {
        let (q, filter) = p.search_filter(store)?;
        json(&store.search(&q, &filter)?)
    })
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

pub async fn storylines(State(state): State<AppState>, Query(p): Query<Params>) -> Answer {
    let limit = Params::number(&p.limit, "limit", 100, 1000)?;
    with_store(&state, move |store| {
        let mut list = store.storylines()?;
        list.truncate(limit);
        json(&list)
    })
    .await
    .map(Json)
}

pub async fn storyline(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    let id = storyline_id(&id)?;
    with_store(&state, move |store| json(&store.storyline(id)?))
        .await
        .map(Json)
}

pub async fn timeline(State(state): State<AppState>, Query(p): Query<Params>) -> Answer {
    let q = TimelineQuery::from_params(&p)?;
    with_store(&state, move |store| json(&build_timeline(store, &q)?))
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

pub async fn briefs(State(state): State<AppState>, Query(p): Query<Params>) -> Answer {
    let limit = Params::number(&p.limit, "limit", 50, 1000)?;
    with_store(&state, move |store| json(&store.list_briefs(limit)?))
        .await
        .map(Json)
}

/// A saved brief as `dossier briefs ID --json` prints it; `latest` is the
/// newest.
pub async fn brief(State(state): State<AppState>, Path(id): Path<String>) -> Answer {
    with_store(&state, move |store| {
        let id = match id.as_str() {
            "latest" => store
                .latest_brief_id()?
                .ok_or_else(|| ApiError::not_found("no saved brief yet: run `dossier brief`"))?,
            other => other
                .parse::<i64>()
                .map_err(|_| ApiError::bad_request("invalid brief id (a number, or latest)"))?,
        };
        let record = store
            .brief_record(id)?
            .ok_or_else(|| ApiError::not_found(format!("no saved brief {id}")))?;
        serde_json::from_str(&record.brief).map_err(|e| {
            eprintln!("dossier serve: saved brief {id}: {e}");
            ApiError::internal()
        })
    })
    .await
    .map(Json)
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}
