//! Online, incremental story clustering.
//!
//! Each new article is compared with candidate stories and joins the most
//! similar one at or above [`StoryClusterer::threshold`], or starts a story.
//! A story keeps a bounded profile: summed word counts (pruned to the
//! [`PROFILE_TERMS`] heaviest), title words, entities and numbers with
//! counts, and its time span. Candidates come from an inverted index of
//! each story's top terms whose posting lists keep only the
//! [`POSTING_CAP`] most recent stories, and only stories active within
//! [`ACTIVE_DAYS`] of the article are scored, so the cost per article stays
//! flat as the number of stories grows.
//!
//! Pure: no I/O; the caller persists assignments.

use std::collections::HashMap;

use crate::similarity::{time_proximity, ArticleSimilarity, DocFreq, Features, DEFAULT_WEIGHTS};

/// Word counts kept per story profile.
pub const PROFILE_TERMS: usize = 200;
/// Terms of an article used to look up candidate stories.
pub const QUERY_TERMS: usize = 12;
/// Terms of a story indexed in the inverted index.
pub const INDEXED_TERMS: usize = 24;
/// Stories kept per posting list (most recent first out).
pub const POSTING_CAP: usize = 64;
/// Stories last seen more than this many days from the article are skipped.
pub const ACTIVE_DAYS: i64 = 7;
/// Default join threshold on the similarity score.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// A story's bounded profile.
#[derive(Debug, Clone, Default)]
pub struct StoryProfile {
    pub id: u64,
    pub articles: usize,
    pub terms: HashMap<u64, f32>,
    pub title: HashMap<u64, u32>,
    pub entities: HashMap<u64, u32>,
    pub numbers: HashMap<u64, u32>,
    pub first_day: Option<i64>,
    pub last_day: Option<i64>,
    /// Terms this story is indexed under.
    indexed: Vec<u64>,
    /// Sequence of the last update (recency for posting lists).
    touched: u64,
}

impl StoryProfile {
    fn add(&mut self, f: &Features) {
        self.articles += 1;
        for &(t, c) in &f.terms {
            *self.terms.entry(t).or_default() += c;
        }
        if self.terms.len() > 2 * PROFILE_TERMS {
            let mut v: Vec<(u64, f32)> = self.terms.drain().collect();
            v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(PROFILE_TERMS);
            self.terms = v.into_iter().collect();
        }
        for (map, keys) in [
            (&mut self.title, &f.title),
            (&mut self.entities, &f.entities),
            (&mut self.numbers, &f.numbers),
        ] {
            for k in keys {
                *map.entry(*k).or_default() += 1;
            }
            if map.len() > 4 * PROFILE_TERMS {
                map.retain(|_, c| *c > 1);
            }
        }
        if let Some(d) = f.day {
            self.first_day = Some(self.first_day.map_or(d, |x| x.min(d)));
            self.last_day = Some(self.last_day.map_or(d, |x| x.max(d)));
        }
    }

    fn sorted_terms(&self) -> Vec<(u64, f32)> {
        let mut v: Vec<(u64, f32)> = self.terms.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_unstable_by_key(|t| t.0);
        v
    }

    /// The day of the span nearest to `day`.
    fn nearest_day(&self, day: i64) -> Option<i64> {
        Some(day.clamp(self.first_day?, self.last_day?))
    }
}

/// Share of `keys` found in `map` (None when either side is empty).
fn share_in(keys: &[u64], map: &HashMap<u64, u32>) -> Option<f64> {
    if keys.is_empty() || map.is_empty() {
        return None;
    }
    let found = keys.iter().filter(|k| map.contains_key(k)).count();
    Some(found as f64 / keys.len().min(map.len()) as f64)
}

/// Where an article went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    pub story: u64,
    /// True when the article started the story.
    pub new_story: bool,
    /// Similarity to the story joined (0 for a new story).
    pub score: f64,
}

/// The online clusterer.
#[derive(Debug, Clone)]
pub struct StoryClusterer {
    pub threshold: f64,
    df: DocFreq,
    stories: HashMap<u64, StoryProfile>,
    postings: HashMap<u64, Vec<u64>>,
    next_id: u64,
    clock: u64,
}

impl Default for StoryClusterer {
    fn default() -> Self {
        StoryClusterer::new(DEFAULT_THRESHOLD)
    }
}

impl StoryClusterer {
    pub fn new(threshold: f64) -> Self {
        StoryClusterer {
            threshold,
            df: DocFreq::new(),
            stories: HashMap::new(),
            postings: HashMap::new(),
            next_id: 1,
            clock: 0,
        }
    }

    /// Stories held.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    pub fn story(&self, id: u64) -> Option<&StoryProfile> {
        self.stories.get(&id)
    }

    /// Story ids at or above this one are free for new stories.
    pub fn reserve_ids_above(&mut self, id: u64) {
        self.next_id = self.next_id.max(id + 1);
    }

    /// Similarity of an article to a story profile, with components.
    pub fn score(&self, f: &Features, story: &StoryProfile) -> ArticleSimilarity {
        let a = self.df.weigh(&f.terms);
        let b = self.df.weigh(&story.sorted_terms());
        let cosine = crate::similarity::dot(&a, &b).clamp(0.0, 1.0) as f64;
        let time = f
            .day
            .and_then(|d| time_proximity(Some(d), story.nearest_day(d)));
        ArticleSimilarity::combine(
            &DEFAULT_WEIGHTS,
            cosine,
            share_in(&f.title, &story.title),
            share_in(&f.entities, &story.entities),
            share_in(&f.numbers, &story.numbers),
            time,
        )
    }

    fn query_terms(&self, f: &Features, n: usize) -> Vec<u64> {
        let mut w = self.df.weigh(&f.terms);
        w.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        w.into_iter().take(n).map(|t| t.0).collect()
    }

    /// Candidate stories for an article: those sharing a top term, active
    /// near its day.
    pub fn candidates(&self, f: &Features) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::new();
        for t in self.query_terms(f, QUERY_TERMS) {
            if let Some(list) = self.postings.get(&t) {
                out.extend(list.iter().copied());
            }
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|id| {
            let Some(s) = self.stories.get(id) else {
                return false;
            };
            match (f.day, s.first_day, s.last_day) {
                (Some(d), Some(a), Some(b)) => d >= a - ACTIVE_DAYS && d <= b + ACTIVE_DAYS,
                _ => true,
            }
        });
        out
    }

    /// Assigns an article: joins the best candidate at or above the
    /// threshold, or starts a story.
    pub fn assign(&mut self, f: &Features) -> Assignment {
        self.df.add(f);
        let mut best: Option<(u64, f64)> = None;
        for id in self.candidates(f) {
            let s = self.score(f, &self.stories[&id]).score;
            if best.is_none_or(|(bid, b)| s > b || (s == b && id < bid)) {
                best = Some((id, s));
            }
        }
        match best {
            Some((id, score)) if score >= self.threshold => {
                self.add_to(id, f);
                Assignment {
                    story: id,
                    new_story: false,
                    score,
                }
            }
            _ => {
                let id = self.next_id;
                self.next_id += 1;
                self.add_to(id, f);
                Assignment {
                    story: id,
                    new_story: true,
                    score: 0.0,
                }
            }
        }
    }

    /// Adds an article to a known story (also used to rebuild state from a
    /// store: call with each stored article in order). Updates the document
    /// frequencies only through [`StoryClusterer::assign`] or `count_df`.
    pub fn add_to(&mut self, id: u64, f: &Features) {
        self.clock += 1;
        self.next_id = self.next_id.max(id + 1);
        let story = self.stories.entry(id).or_insert_with(|| StoryProfile {
            id,
            ..StoryProfile::default()
        });
        story.add(f);
        story.touched = self.clock;
        // Re-index the story under its current top terms.
        let mut top: Vec<(u64, f32)> = story
            .terms
            .iter()
            .map(|(k, c)| (*k, c * self.df.idf(*k)))
            .collect();
        top.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let new_terms: Vec<u64> = top.into_iter().take(INDEXED_TERMS).map(|t| t.0).collect();
        let old = std::mem::replace(&mut story.indexed, new_terms.clone());
        for t in old {
            if let Some(list) = self.postings.get_mut(&t) {
                list.retain(|x| *x != id);
            }
        }
        for t in new_terms {
            let list = self.postings.entry(t).or_default();
            list.push(id);
            if list.len() > POSTING_CAP {
                list.remove(0);
            }
        }
    }

    /// Counts an article in the document frequencies without assigning it.
    pub fn count_df(&mut self, f: &Features) {
        self.df.add(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_stories_are_grouped() {
        let docs = [
            (
                "quake",
                "Earthquake hits Hatay in southern Turkey, 3 dead",
                100,
            ),
            (
                "fed",
                "Federal Reserve raises interest rates by quarter point",
                100,
            ),
            (
                "quake",
                "Turkey earthquake: Hatay death toll rises to 3",
                100,
            ),
            ("apple", "Apple unveils new iPhone with larger screen", 101),
            (
                "fed",
                "Fed hikes interest rates a quarter point, signals more",
                101,
            ),
            (
                "quake",
                "Rescuers search rubble after Hatay earthquake in Turkey",
                101,
            ),
            ("apple", "New iPhone from Apple gets a larger screen", 102),
            (
                "fed",
                "Interest rates: Federal Reserve hike of a quarter point",
                102,
            ),
        ];
        let mut c = StoryClusterer::default();
        let mut by_label: HashMap<&str, Vec<u64>> = HashMap::new();
        for (label, title, day) in docs {
            let a = c.assign(&Features::new(title, "", None, Some(day)));
            by_label.entry(label).or_default().push(a.story);
        }
        let mut seen = Vec::new();
        for (label, ids) in &by_label {
            assert!(ids.iter().all(|x| *x == ids[0]), "{label}: {ids:?}");
            seen.push(ids[0]);
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn distant_days_do_not_join() {
        let mut c = StoryClusterer::default();
        let a = c.assign(&Features::new(
            "Budget vote in parliament",
            "",
            None,
            Some(10),
        ));
        let b = c.assign(&Features::new(
            "Budget vote in parliament",
            "",
            None,
            Some(400),
        ));
        assert_ne!(a.story, b.story);
    }
}
