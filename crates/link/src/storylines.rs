//! Storylines: stories that continue one another over weeks, months or
//! years (one dispute's rounds of talks, the same leaders' meetings, a
//! sanctions regime's steps), linked into one thread with its own timeline.
//!
//! Each story becomes a [`Profile`]: its [`TOP_ENTITIES`] most mentioned
//! entities (weight: the share of its articles naming the entity), its
//! [`TOP_WORDS`] salient title words (weight: the share of its titles using
//! the word; stop words, words with digits and the words of the story's own
//! entity names left out, so that the word signal is independent of the
//! entity signal), and its span of days.
//!
//! Two stories agree when **both** signals do ([`Params`], defaults below):
//! - at least [`MIN_SHARED_ENTITIES`] top entities in common, and an
//!   IDF-weighted cosine of the entity vectors of at least
//!   [`MIN_ENTITY_SIMILARITY`]: one shared country name is never enough, as
//!   it is the most common way for unrelated stories to meet;
//! - at least one salient word in common and an IDF-weighted cosine of the
//!   word vectors of at least [`MIN_WORD_SIMILARITY`]: the same parties
//!   doing something else (a summit, then an earthquake) stay apart.
//!
//! IDF is over the stories linked (`ln((1 + n) / (1 + df)) + 1`), so an
//! entity or word that many stories share counts for less.
//!
//! A storyline is a continuation, not a split event: the later story must
//! not overlap the earlier one's span by more than [`MAX_TIME_OVERLAP`] of
//! the shorter span, and undated stories are never linked (they have no
//! place on a timeline). Each story keeps only its **best predecessor**
//! (the agreeing earlier story with the highest score, the geometric mean of
//! the two similarities), as story threading in TDT did: chains stay chains
//! instead of every story on one region collapsing into one blob.
//!
//! Cost: candidate predecessors come from an inverted index over top
//! entities, taking at most [`POSTING_WINDOW`] of the nearest earlier
//! stories per entity, so each story checks at most
//! `TOP_ENTITIES × POSTING_WINDOW` candidates whatever the number of
//! stories. The links are joined by union-find; components of two or more
//! stories are storylines, identified by their smallest story id (stable
//! across rebuilds while that story lives) and labelled by the entities and
//! words their stories share.
//!
//! Pure: no I/O; deterministic (inputs are sorted, ties broken by id).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

/// Bump when the rule changes, so stored storylines are recomputed.
pub const VERSION: &str = "1";
/// Entities kept per profile.
pub const TOP_ENTITIES: usize = 10;
/// Title words kept per profile.
pub const TOP_WORDS: usize = 15;
/// Top entities two stories must share.
pub const MIN_SHARED_ENTITIES: usize = 2;
/// IDF-weighted cosine of the entity vectors, at least.
pub const MIN_ENTITY_SIMILARITY: f64 = 0.4;
/// IDF-weighted cosine of the title-word vectors, at least.
pub const MIN_WORD_SIMILARITY: f64 = 0.2;
/// Share of the shorter span the two spans may have in common, at most.
pub const MAX_TIME_OVERLAP: f64 = 0.5;
/// Earlier stories looked at per shared entity when finding predecessors.
pub const POSTING_WINDOW: usize = 64;
/// Titles read per story (a story of thousands of articles says what it is
/// about in its first few dozen titles).
pub const MAX_TITLES: usize = 64;

/// Words of news headlines themselves that say nothing about a topic;
/// function words are `similarity`'s stop words.
const HEADLINE_WORDS: &[&str] = &[
    "say", "three", "amid", "against", "between", "during", "ahead", "again", "still", "yet",
    "now", "today", "day", "days", "week", "weeks", "month", "months", "year", "years", "first",
    "last", "next", "live", "update", "updates", "latest", "news", "report", "reports", "breaking",
    "video", "photos", "watch", "opinion", "analysis", "get", "gets", "make", "makes", "take",
    "takes", "set", "sets", "back", "down", "via",
];

/// One entity of a story, with how often the story names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityCount {
    pub id: i64,
    pub name: String,
    /// Articles of the story that mention it.
    pub articles: usize,
    /// Mentions in the story's articles.
    pub mentions: usize,
}

/// What linking needs of a story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryInput {
    pub id: i64,
    pub articles: usize,
    pub titles: Vec<String>,
    pub entities: Vec<EntityCount>,
    /// First and last publication day (days since 1970-01-01).
    pub first_day: Option<i64>,
    pub last_day: Option<i64>,
}

/// The thresholds (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub min_shared_entities: usize,
    pub min_entity_similarity: f64,
    pub min_word_similarity: f64,
    pub max_time_overlap: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            min_shared_entities: MIN_SHARED_ENTITIES,
            min_entity_similarity: MIN_ENTITY_SIMILARITY,
            min_word_similarity: MIN_WORD_SIMILARITY,
            max_time_overlap: MAX_TIME_OVERLAP,
        }
    }
}

/// A story's profile. Lists are sorted by key.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub id: i64,
    /// (entity id, share of articles naming it).
    pub entities: Vec<(i64, f64)>,
    /// (word key, share of titles using it).
    pub words: Vec<(String, f64)>,
    /// How each word key was first written in the titles ("talks" for
    /// `talk`), for labels.
    pub forms: BTreeMap<String, String>,
    pub first_day: i64,
    pub last_day: i64,
}

/// How two stories agree.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Agreement {
    pub shared_entities: usize,
    pub entity_similarity: f64,
    pub shared_words: usize,
    pub word_similarity: f64,
    /// Share of the shorter span both spans cover (0: no overlap).
    pub time_overlap: f64,
}

impl Agreement {
    /// Both signals strong enough and the spans apart enough.
    pub fn links(&self, p: &Params) -> bool {
        self.shared_entities >= p.min_shared_entities.max(1)
            && self.entity_similarity >= p.min_entity_similarity
            && self.shared_words >= 1
            && self.word_similarity >= p.min_word_similarity
            && self.time_overlap <= p.max_time_overlap
    }

    /// Ranks predecessors: the geometric mean of the two similarities.
    pub fn score(&self) -> f64 {
        (self.entity_similarity * self.word_similarity).sqrt()
    }
}

/// A link from a story to its best predecessor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub earlier: i64,
    pub later: i64,
    pub agreement: Agreement,
}

/// A storyline: two or more stories, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Storyline {
    /// The smallest story id among its stories.
    pub id: i64,
    pub label: String,
    /// Story ids by first day (then id).
    pub stories: Vec<i64>,
    /// Entity names and title words shared by two or more of its stories,
    /// most shared first.
    pub entities: Vec<String>,
    pub words: Vec<String>,
    pub first_day: i64,
    pub last_day: i64,
}

/// The result of [`link`]: storylines by id, and the links that made them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Linking {
    pub storylines: Vec<Storyline>,
    pub links: Vec<Link>,
}

// ------------------------------------------------------------ profiles

/// Lower-cased runs of letters and digits.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    crate::similarity::words(text).map(str::to_lowercase)
}

/// The comparison key of a title word, or `None` for a word that carries
/// no topic. A plural `s` is dropped so "talks" meets "talk".
fn word_key(word: &str) -> Option<String> {
    if word.chars().count() < 3
        || word.chars().any(|c| c.is_numeric())
        || crate::similarity::is_stopword(word)
        || HEADLINE_WORDS.contains(&word)
    {
        return None;
    }
    let key = match word.strip_suffix('s') {
        Some(stem) if stem.chars().count() >= 4 && !stem.ends_with('s') => stem,
        _ => word,
    };
    Some(key.to_owned())
}

/// Keeps the `n` heaviest entries (ties: smaller key), sorted by key.
fn top<K: Ord + Clone>(mut items: Vec<(K, f64)>, n: usize) -> Vec<(K, f64)> {
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items.truncate(n);
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items
}

fn top_entities(s: &StoryInput) -> Vec<(i64, f64)> {
    let mut list: Vec<&EntityCount> = s.entities.iter().filter(|e| e.articles > 0).collect();
    // The most widely named first; mentions break ties within a story.
    list.sort_by(|a, b| {
        (b.articles, b.mentions)
            .cmp(&(a.articles, a.mentions))
            .then(a.id.cmp(&b.id))
    });
    list.dedup_by_key(|e| e.id);
    let n = s
        .articles
        .max(list.iter().map(|e| e.articles).max().unwrap_or(1));
    let items = list
        .into_iter()
        .take(TOP_ENTITIES)
        .map(|e| (e.id, e.articles as f64 / n as f64))
        .collect();
    top(items, TOP_ENTITIES)
}

/// The salient title words (see [`Profile::words`]) and their first forms.
fn top_words(s: &StoryInput) -> (Vec<(String, f64)>, BTreeMap<String, String>) {
    let names: HashSet<String> = s.entities.iter().flat_map(|e| tokens(&e.name)).collect();
    let titles = &s.titles[..s.titles.len().min(MAX_TITLES)];
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut forms: BTreeMap<String, String> = BTreeMap::new();
    for title in titles {
        let mut distinct: HashSet<String> = HashSet::new();
        for word in tokens(title).filter(|w| !names.contains(w)) {
            if let Some(key) = word_key(&word) {
                forms.entry(key.clone()).or_insert(word);
                distinct.insert(key);
            }
        }
        for w in distinct {
            *counts.entry(w).or_default() += 1;
        }
    }
    let n = titles.len().max(1) as f64;
    let items = counts.into_iter().map(|(w, c)| (w, c as f64 / n)).collect();
    let words = top(items, TOP_WORDS);
    forms.retain(|k, _| words.iter().any(|(w, _)| w == k));
    (words, forms)
}

/// The profile of a story, or `None` when it is undated.
pub fn profile(s: &StoryInput) -> Option<Profile> {
    let (first, last) = (s.first_day?, s.last_day?);
    let (words, forms) = top_words(s);
    Some(Profile {
        id: s.id,
        entities: top_entities(s),
        words,
        forms,
        first_day: first.min(last),
        last_day: first.max(last),
    })
}

// ----------------------------------------------------------- agreement

/// Inverse story frequencies of entities and words.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    n: usize,
    entities: HashMap<i64, usize>,
    words: HashMap<String, usize>,
}

impl Idf {
    pub fn new(profiles: &[Profile]) -> Idf {
        let mut idf = Idf {
            n: profiles.len(),
            ..Idf::default()
        };
        for p in profiles {
            for (e, _) in &p.entities {
                *idf.entities.entry(*e).or_default() += 1;
            }
            for (w, _) in &p.words {
                *idf.words.entry(w.clone()).or_default() += 1;
            }
        }
        idf
    }

    fn weight(&self, df: Option<&usize>) -> f64 {
        let df = df.copied().unwrap_or(0) as f64;
        ((1.0 + self.n as f64) / (1.0 + df)).ln() + 1.0
    }
}

/// Shared keys and IDF-weighted cosine of two key-sorted weight lists.
fn weighted_cosine<K: Ord>(
    a: &[(K, f64)],
    b: &[(K, f64)],
    idf: impl Fn(&K) -> f64,
) -> (usize, f64) {
    let norm = |v: &[(K, f64)]| {
        v.iter()
            .map(|(k, w)| (w * idf(k)).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let (mut i, mut j, mut shared, mut dot) = (0, 0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let w = idf(&a[i].0);
                shared += 1;
                dot += a[i].1 * w * b[j].1 * w;
                i += 1;
                j += 1;
            }
        }
    }
    let n = norm(a) * norm(b);
    (shared, if n > 0.0 { (dot / n).min(1.0) } else { 0.0 })
}

/// Share of the shorter span (in days, inclusive) that both spans cover.
fn time_overlap(a: &Profile, b: &Profile) -> f64 {
    let common = a.last_day.min(b.last_day) - a.first_day.max(b.first_day) + 1;
    if common <= 0 {
        return 0.0;
    }
    let shorter = (a.last_day - a.first_day + 1).min(b.last_day - b.first_day + 1);
    common as f64 / shorter.max(1) as f64
}

/// How two profiles agree.
pub fn agreement(a: &Profile, b: &Profile, idf: &Idf) -> Agreement {
    let (shared_entities, entity_similarity) = weighted_cosine(&a.entities, &b.entities, |e| {
        idf.weight(idf.entities.get(e))
    });
    let (shared_words, word_similarity) =
        weighted_cosine(&a.words, &b.words, |w| idf.weight(idf.words.get(w)));
    Agreement {
        shared_entities,
        entity_similarity,
        shared_words,
        word_similarity,
        time_overlap: time_overlap(a, b),
    }
}

// -------------------------------------------------------------- linking

/// Candidate predecessors of each profile (by index; profiles sorted by
/// first day, then id): the [`POSTING_WINDOW`] nearest earlier profiles
/// sharing each of its top entities.
fn candidates(profiles: &[Profile]) -> Vec<Vec<usize>> {
    let mut postings: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut out = Vec::with_capacity(profiles.len());
    for (i, p) in profiles.iter().enumerate() {
        let mut found: Vec<usize> = Vec::new();
        for (e, _) in &p.entities {
            let list = postings.entry(*e).or_default();
            found.extend(list.iter().rev().take(POSTING_WINDOW).copied());
            list.push(i);
        }
        found.sort_unstable();
        found.dedup();
        out.push(found);
    }
    out
}

/// The best agreeing predecessor of each profile.
fn best_links(profiles: &[Profile], idf: &Idf, p: &Params) -> Vec<Link> {
    let mut links = Vec::new();
    for (i, cands) in candidates(profiles).into_iter().enumerate() {
        let later = &profiles[i];
        let mut best: Option<(f64, usize, Agreement)> = None;
        for j in cands {
            let a = agreement(&profiles[j], later, idf);
            // Ties: the smaller story id, so the result is order-free.
            let better = best.as_ref().is_none_or(|(s, bj, _)| {
                a.score() > *s || (a.score() == *s && profiles[j].id < profiles[*bj].id)
            });
            if a.links(p) && better {
                best = Some((a.score(), j, a));
            }
        }
        if let Some((_, j, agreement)) = best {
            links.push(Link {
                earlier: profiles[j].id,
                later: later.id,
                agreement,
            });
        }
    }
    links
}

/// Union-find over indices, with path halving.
struct Components(Vec<usize>);

impl Components {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Links stories into storylines with the default [`Params`].
pub fn link(stories: &[StoryInput]) -> Linking {
    link_with(stories, &Params::default())
}

/// Links stories into storylines (module docs).
pub fn link_with(stories: &[StoryInput], p: &Params) -> Linking {
    let mut profiles: Vec<Profile> = stories.iter().filter_map(profile).collect();
    // One profile per id (the first given), then in time order.
    profiles.sort_by_key(|s| s.id);
    profiles.dedup_by_key(|s| s.id);
    profiles.sort_by_key(|s| (s.first_day, s.id));
    let idf = Idf::new(&profiles);
    let links = best_links(&profiles, &idf, p);
    let index: HashMap<i64, usize> = profiles
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let mut uf = Components((0..profiles.len()).collect());
    for l in &links {
        uf.union(index[&l.earlier], index[&l.later]);
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..profiles.len() {
        let root = uf.find(i);
        groups.entry(root).or_default().push(i);
    }
    let names: HashMap<i64, &str> = stories
        .iter()
        .flat_map(|s| s.entities.iter().map(|e| (e.id, e.name.as_str())))
        .collect();
    let mut storylines: Vec<Storyline> = groups
        .into_values()
        .filter(|g| g.len() >= 2)
        .map(|g| storyline(&g, &profiles, &names))
        .collect();
    storylines.sort_by_key(|s| s.id);
    Linking { storylines, links }
}

/// Keys present in two or more of `lists`, most shared first (then by summed
/// weight, then key), at most `n`.
fn shared_keys<K: Ord + Clone>(lists: &[&[(K, f64)]], n: usize) -> Vec<K> {
    let mut tally: BTreeMap<K, (usize, f64)> = BTreeMap::new();
    for list in lists {
        for (k, w) in list.iter() {
            let t = tally.entry(k.clone()).or_default();
            t.0 += 1;
            t.1 += w;
        }
    }
    let mut v: Vec<(K, (usize, f64))> = tally.into_iter().filter(|(_, t)| t.0 >= 2).collect();
    v.sort_by(|a, b| {
        b.1 .0
            .cmp(&a.1 .0)
            .then(b.1 .1.total_cmp(&a.1 .1))
            .then_with(|| a.0.cmp(&b.0))
    });
    v.into_iter().take(n).map(|(k, _)| k).collect()
}

fn storyline(group: &[usize], profiles: &[Profile], names: &HashMap<i64, &str>) -> Storyline {
    // Indices follow (first day, id) order already.
    let members: Vec<&Profile> = group.iter().map(|&i| &profiles[i]).collect();
    let ents: Vec<&[(i64, f64)]> = members.iter().map(|p| p.entities.as_slice()).collect();
    let words: Vec<&[(String, f64)]> = members.iter().map(|p| p.words.as_slice()).collect();
    let entities: Vec<String> = shared_keys(&ents, 3)
        .into_iter()
        .filter_map(|e| names.get(&e).map(|n| (*n).to_owned()))
        .collect();
    // Each shared word as the earliest story wrote it.
    let words: Vec<String> = shared_keys(&words, 3)
        .into_iter()
        .map(|k| {
            let form = members.iter().find_map(|p| p.forms.get(&k));
            form.cloned().unwrap_or(k)
        })
        .collect();
    let label = match (entities.is_empty(), words.is_empty()) {
        (false, false) => format!("{}: {}", entities.join(", "), words.join(", ")),
        (false, true) => entities.join(", "),
        (true, false) => words.join(", "),
        (true, true) => format!("storyline of story {}", members[0].id),
    };
    Storyline {
        id: members.iter().map(|p| p.id).min().unwrap_or_default(),
        label,
        stories: members.iter().map(|p| p.id).collect(),
        entities,
        words,
        first_day: members
            .iter()
            .map(|p| p.first_day)
            .min()
            .unwrap_or_default(),
        last_day: members.iter().map(|p| p.last_day).max().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(id: i64, name: &str, articles: usize) -> EntityCount {
        EntityCount {
            id,
            name: name.to_owned(),
            articles,
            mentions: articles * 2,
        }
    }

    fn story(id: i64, day: i64, titles: &[&str], entities: Vec<EntityCount>) -> StoryInput {
        StoryInput {
            id,
            articles: titles.len(),
            titles: titles.iter().map(|t| (*t).to_owned()).collect(),
            entities,
            first_day: Some(day),
            last_day: Some(day + 2),
        }
    }

    /// Armenia–Azerbaijan peace talks: ids 1..=4 are the parties.
    fn talks(id: i64, day: i64, place: (i64, &str), title: &str) -> StoryInput {
        story(
            id,
            day,
            &[title, "Armenia and Azerbaijan leaders hold peace talks"],
            vec![
                ent(1, "Armenia", 2),
                ent(2, "Azerbaijan", 2),
                ent(3, "Nikol Pashinyan", 2),
                ent(4, "Ilham Aliyev", 2),
                ent(place.0, place.1, 1),
            ],
        )
    }

    fn quake(id: i64, day: i64) -> StoryInput {
        story(
            id,
            day,
            &[
                "Earthquake strikes northern Armenia, villages damaged",
                "Rescuers search rubble after Armenia earthquake",
            ],
            vec![
                ent(1, "Armenia", 2),
                ent(20, "Gyumri", 2),
                ent(21, "Red Cross", 1),
            ],
        )
    }

    fn ids(l: &Linking) -> Vec<Vec<i64>> {
        l.storylines.iter().map(|s| s.stories.clone()).collect()
    }

    #[test]
    fn rounds_of_talks_months_apart_form_one_storyline() {
        let stories = vec![
            talks(
                7,
                19_000,
                (10, "Brussels"),
                "Pashinyan and Aliyev resume peace talks in Brussels",
            ),
            quake(8, 19_050),
            talks(
                9,
                19_120,
                (11, "Washington"),
                "New round of peace talks opens in Washington",
            ),
        ];
        let l = link(&stories);
        assert_eq!(ids(&l), vec![vec![7, 9]], "{l:?}");
        let s = &l.storylines[0];
        assert_eq!(s.id, 7);
        assert_eq!((s.first_day, s.last_day), (19_000, 19_122));
        assert!(s.label.contains("Armenia"), "{}", s.label);
        assert!(s.words.iter().any(|w| w == "peace"), "{s:?}");
        assert_eq!(l.links.len(), 1);
        assert_eq!((l.links[0].earlier, l.links[0].later), (7, 9));
    }

    #[test]
    fn sharing_only_a_country_name_does_not_link() {
        // Same country, same headline words ("Armenia" is an entity, and
        // both titles speak of rescue work), nothing else in common.
        let a = story(
            1,
            100,
            &["Rescue work continues in Armenia after floods"],
            vec![ent(1, "Armenia", 1), ent(30, "Vanadzor", 1)],
        );
        let b = story(
            2,
            300,
            &["Rescue work continues in Armenia after fire"],
            vec![ent(1, "Armenia", 1), ent(31, "Yerevan Zoo", 1)],
        );
        let (pa, pb) = (profile(&a).unwrap(), profile(&b).unwrap());
        let agr = agreement(&pa, &pb, &Idf::new(&[pa.clone(), pb.clone()]));
        assert_eq!(agr.shared_entities, 1);
        assert!(agr.shared_words >= 2, "{agr:?}");
        assert!(!agr.links(&Params::default()));
        assert!(link(&[a, b]).storylines.is_empty());
    }

    #[test]
    fn same_parties_on_another_topic_do_not_link() {
        let a = talks(1, 100, (10, "Brussels"), "Peace talks resume in Brussels");
        let mut b = talks(2, 300, (10, "Brussels"), "Border clashes kill soldiers");
        b.titles = vec!["Border clashes kill soldiers".into()];
        assert!(link(&[a, b]).storylines.is_empty());
    }

    #[test]
    fn overlapping_stories_are_the_same_event_not_a_continuation() {
        let a = talks(1, 100, (10, "Brussels"), "Peace talks in Brussels");
        let mut b = talks(2, 101, (10, "Brussels"), "Peace talks in Brussels go on");
        b.last_day = Some(102);
        assert!(link(&[a.clone(), b]).storylines.is_empty());
        // Back to back is a continuation.
        let c = talks(3, 103, (10, "Brussels"), "Peace talks in Brussels go on");
        assert_eq!(ids(&link(&[a, c])), vec![vec![1, 3]]);
    }

    #[test]
    fn chains_join_and_order_of_input_does_not_matter() {
        let mut stories = vec![
            talks(5, 500, (10, "Brussels"), "Peace talks in Brussels"),
            talks(3, 100, (11, "Washington"), "Peace talks in Washington"),
            talks(4, 300, (12, "Moscow"), "Peace talks in Moscow"),
            quake(6, 200),
        ];
        let first = link(&stories);
        stories.reverse();
        assert_eq!(link(&stories), first);
        assert_eq!(ids(&first), vec![vec![3, 4, 5]]);
        assert_eq!(first.storylines[0].id, 3);
        assert_eq!(first.links.len(), 2);
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert_eq!(link(&[]), Linking::default());
        let bare = StoryInput {
            id: 1,
            ..StoryInput::default()
        };
        let dated_bare = StoryInput {
            id: 2,
            first_day: Some(1),
            last_day: Some(1),
            ..StoryInput::default()
        };
        let l = link(&[bare.clone(), dated_bare.clone(), bare, dated_bare]);
        assert!(l.storylines.is_empty() && l.links.is_empty());
    }

    #[test]
    fn undated_stories_are_not_linked() {
        let a = talks(1, 100, (10, "Brussels"), "Peace talks in Brussels");
        let mut b = talks(2, 300, (10, "Brussels"), "Peace talks in Brussels");
        b.first_day = None;
        assert!(profile(&b).is_none());
        assert!(link(&[a, b]).storylines.is_empty());
    }

    #[test]
    fn title_words_skip_names_stop_words_and_numbers() {
        let s = story(
            1,
            0,
            &["Pashinyan says 2024 talks will resume", "Talks: Pashinyan"],
            vec![ent(3, "Nikol Pashinyan", 2)],
        );
        let (words, forms) = top_words(&s);
        let keys: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(keys, vec!["resume", "talk"]);
        assert_eq!(forms["talk"], "Talks".to_lowercase());
    }

    #[test]
    fn candidates_are_bounded_per_entity() {
        // Many stories share one entity: each story looks at no more than
        // POSTING_WINDOW of them.
        let profiles: Vec<Profile> = (0..500)
            .map(|i| Profile {
                id: i,
                entities: vec![(1, 1.0)],
                words: Vec::new(),
                forms: BTreeMap::new(),
                first_day: i,
                last_day: i,
            })
            .collect();
        let c = candidates(&profiles);
        assert!(c.iter().all(|l| l.len() <= POSTING_WINDOW));
        assert_eq!(c[499].first(), Some(&(499 - POSTING_WINDOW)));
    }
}
