//! A brief relative to an earlier stored one ("what's new since brief 3").
//!
//! A story of the window *continues* an item of the earlier brief when it
//! has the same story id or shares an article with that item's sources
//! (stories are online clusters, so the id is stable; the article test
//! catches a story that was re-clustered). For a continuing story only the
//! articles the earlier brief did not cite are read, and of those only:
//! - sentences most of whose words the earlier articles did not say
//!   (new facts; they become the item's `sentences`);
//! - numbers whose kind (unit, concept, the words next to them) the earlier
//!   articles gave with another value (`revised_from`), or did not give;
//! - outlets, people and organisations the earlier item did not have.
//!
//! A continuing story with none of these is *quiet*: it drops out of the
//! items and is named once in [`Brief::quiet`]. A story the earlier brief
//! did not cover is marked [`Status::New`] and told in full.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{
    article_numbers, overlap, spans, whole_sentences, word_set, Brief, BriefArticle, Citation,
    Number, StoryInput,
};

/// The earlier brief, and the articles it cited as the store has them now
/// (an article deleted since is simply missing: its facts then count as new).
#[derive(Debug, Clone)]
pub struct Previous {
    pub id: i64,
    pub created_at: String,
    pub brief: Brief,
    pub articles: Vec<BriefArticle>,
}

impl Previous {
    pub fn reference(&self) -> PreviousRef {
        PreviousRef {
            id: self.id,
            created_at: self.created_at.clone(),
            since: self.brief.since.clone(),
            until: self.brief.until.clone(),
        }
    }
}

/// Which earlier brief a what's-new brief is relative to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PreviousRef {
    pub id: i64,
    pub created_at: String,
    pub since: String,
    pub until: String,
}

/// A story of the earlier brief with nothing new in this window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuietStory {
    pub story: i64,
    /// The earlier brief's headline, and its citation there.
    pub headline: String,
    pub citation: Citation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The earlier brief did not cover the story.
    New,
    /// The earlier brief covered it; the item holds only what changed.
    Continuing,
}

/// What changed in an item's story since the earlier brief. New facts are
/// the item's `sentences` and new or revised numbers its `numbers` (a
/// revised one carries `revised_from`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WhatsNew {
    pub status: Status,
    /// The earlier brief's headline of the story (continuing only).
    pub previously: Option<String>,
    /// Outlets that had not reported the story, each cited by its first
    /// article in the window.
    pub outlets: Vec<NewOutlet>,
    /// People and organisations the earlier articles did not name.
    pub entities: Vec<NewEntity>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewOutlet {
    pub outlet: String,
    pub citation: Citation,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewEntity {
    pub name: String,
    /// `PER` or `ORG`.
    pub label: String,
    pub citation: Citation,
}

/// How a story of the window stands to the earlier brief.
pub(crate) enum Relation<'a> {
    /// Not a what's-new brief.
    Plain,
    New,
    Continuing(Box<Known<'a>>),
}

impl<'a> Relation<'a> {
    pub(crate) fn known(&self) -> Option<&Known<'a>> {
        match self {
            Relation::Continuing(k) => Some(k),
            _ => None,
        }
    }

    /// Outlets and entities that are new; `None` outside a what's-new brief.
    pub(crate) fn changes(&self, s: &StoryInput, fresh: &[&BriefArticle]) -> Option<WhatsNew> {
        match self {
            Relation::Plain => None,
            Relation::New => Some(WhatsNew {
                status: Status::New,
                previously: None,
                outlets: Vec::new(),
                entities: Vec::new(),
            }),
            Relation::Continuing(k) => Some(WhatsNew {
                status: Status::Continuing,
                previously: Some(k.headline.clone()),
                outlets: k.new_outlets(s),
                entities: k.new_entities(fresh),
            }),
        }
    }
}

/// Follows which earlier items continue, to name the quiet ones at the end.
pub(crate) struct Tracker<'a> {
    previous: &'a Previous,
    /// Earlier items some story of the window continues.
    present: HashSet<usize>,
    /// Earlier items whose stories had something new.
    active: HashSet<usize>,
    /// Earlier items whose stories were read and had nothing new.
    silent: HashSet<usize>,
}

impl<'a> Tracker<'a> {
    pub(crate) fn new(previous: &'a Previous, stories: &[StoryInput]) -> Tracker<'a> {
        let mut t = Tracker {
            previous,
            present: HashSet::new(),
            active: HashSet::new(),
            silent: HashSet::new(),
        };
        let present: HashSet<usize> = stories.iter().flat_map(|s| t.matches(s)).collect();
        t.present = present;
        t
    }

    /// Indices of the earlier items that `s` continues.
    fn matches(&self, s: &StoryInput) -> Vec<usize> {
        let ids: HashSet<&str> = s.articles.iter().map(|a| a.id.as_str()).collect();
        self.previous
            .brief
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| {
                item.story == s.story || item_article_ids(item).any(|id| ids.contains(id))
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub(crate) fn relation(&self, s: &StoryInput) -> Relation<'a> {
        let matched = self.matches(s);
        if matched.is_empty() {
            return Relation::New;
        }
        Relation::Continuing(Box::new(Known::new(self.previous, &matched)))
    }

    /// Notes whether a continuing story had anything new.
    pub(crate) fn record(&mut self, s: &StoryInput, had_news: bool) {
        for i in self.matches(s) {
            if had_news {
                self.active.insert(i);
            } else {
                self.silent.insert(i);
            }
        }
    }

    /// Earlier items with nothing new: their stories had no article in the
    /// window, or none that said anything new. Items left out only by the
    /// item limit are not called quiet.
    pub(crate) fn quiet(self) -> Vec<QuietStory> {
        let mut seen: HashSet<i64> = HashSet::new();
        self.previous
            .brief
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.active.contains(i))
            .filter(|(i, _)| !self.present.contains(i) || self.silent.contains(i))
            .filter(|(_, item)| seen.insert(item.story))
            .map(|(_, item)| QuietStory {
                story: item.story,
                headline: item.headline.clone(),
                citation: item.headline_citation.clone(),
            })
            .collect()
    }
}

/// Every article an earlier item lists (originals and copies).
fn item_article_ids(item: &crate::Item) -> impl Iterator<Item = &str> {
    item.sources
        .iter()
        .flat_map(|s| std::iter::once(s).chain(&s.copies))
        .map(|s| s.id.as_str())
}

/// What a reader of the earlier brief already had about one story.
pub(crate) struct Known<'a> {
    headline: String,
    ids: HashSet<&'a str>,
    articles: Vec<&'a BriefArticle>,
    sentences: Vec<HashSet<String>>,
    /// The words of each sentence and background line the earlier brief
    /// printed.
    printed: Vec<HashSet<String>>,
    outlets: HashSet<&'a str>,
    names: Vec<HashSet<String>>,
}

impl<'a> Known<'a> {
    fn new(previous: &'a Previous, matched: &[usize]) -> Known<'a> {
        let items: Vec<&crate::Item> = matched
            .iter()
            .filter_map(|&i| previous.brief.items.get(i))
            .collect();
        let ids: HashSet<&str> = items.iter().flat_map(|i| item_article_ids(i)).collect();
        let articles: Vec<&BriefArticle> = previous
            .articles
            .iter()
            .filter(|a| ids.contains(a.id.as_str()))
            .collect();
        // The earlier brief's own sentences count even when their article
        // has since left the store.
        let sentences = articles
            .iter()
            .flat_map(|a| whole_sentences(a))
            .map(|(_, _, t)| word_set(&t))
            .chain(
                items
                    .iter()
                    .flat_map(|i| &i.sentences)
                    .map(|s| word_set(&s.text)),
            )
            .collect();
        let outlets = items
            .iter()
            .flat_map(|i| &i.sources)
            .flat_map(|s| std::iter::once(s).chain(&s.copies))
            .filter_map(|s| s.source.as_deref())
            .collect();
        let names = articles
            .iter()
            .flat_map(|a| person_or_org_names(a))
            .map(|(name, _, _)| word_set(&name))
            .chain(
                items
                    .iter()
                    .flat_map(|i| &i.quotes)
                    .map(|q| word_set(&q.speaker)),
            )
            .collect();
        let printed = items
            .iter()
            .flat_map(|i| {
                let sentences = i.sentences.iter().map(|s| s.text.as_str());
                sentences.chain(i.background.iter().map(|b| b.text.as_str()))
            })
            .map(word_set)
            .collect();
        Known {
            printed,
            headline: items
                .first()
                .map(|i| i.headline.clone())
                .unwrap_or_default(),
            ids,
            articles,
            sentences,
            outlets,
            names,
        }
    }

    /// The words of the sentences the earlier brief printed: a background
    /// line should not repeat them.
    pub(crate) fn printed(&self) -> &[HashSet<String>] {
        &self.printed
    }

    pub(crate) fn has_article(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    pub(crate) fn article(&self, id: &str) -> Option<&'a BriefArticle> {
        self.articles.iter().copied().find(|a| a.id == id)
    }

    /// Whether a sentence with these words was said before: at least 70%
    /// of its words were in one earlier sentence. (Measured on the new
    /// sentence, so an old fact with a new clause added stays new.)
    pub(crate) fn covers(&self, words: &HashSet<String>) -> bool {
        if words.is_empty() {
            return true;
        }
        self.sentences
            .iter()
            .any(|k| k.intersection(words).count() as f64 / words.len() as f64 >= 0.7)
    }

    /// The numbers of `fresh` that are new or revised (revised first), at
    /// most four; a value the earlier articles gave for the same unit is
    /// not news.
    pub(crate) fn numbers(&self, fresh: &[&BriefArticle]) -> Vec<Number> {
        let earlier: Vec<Counted> = self.articles.iter().flat_map(|a| counted(a)).collect();
        let mut out: Vec<Number> = Vec::new();
        for fresh in fresh.iter().flat_map(|a| counted(a)) {
            let mut n = fresh.number.clone();
            if earlier
                .iter()
                .any(|k| k.number.unit == n.unit && same_value(&k.number, &n))
                || out.iter().any(|o| o.unit == n.unit && same_value(o, &n))
            {
                continue;
            }
            n.revised_from = earlier
                .iter()
                .filter_map(|k| Some((fresh.kinship(k)?, k)))
                .max_by_key(|(shared, _)| *shared)
                .map(|(_, k)| Box::new(k.number.clone()));
            out.push(n);
        }
        out.sort_by_key(|n| n.revised_from.is_none());
        out.truncate(4);
        out
    }

    fn new_outlets(&self, s: &StoryInput) -> Vec<NewOutlet> {
        let mut seen: HashSet<&str> = HashSet::new();
        s.articles
            .iter()
            .filter(|a| !self.has_article(&a.id))
            .filter_map(|a| a.source.as_deref().map(|o| (o, a)))
            .filter(|(o, _)| !self.outlets.contains(o) && seen.insert(o))
            .map(|(o, a)| NewOutlet {
                outlet: o.to_owned(),
                citation: Citation {
                    article: a.id.clone(),
                    start: 0,
                    end: 0,
                },
            })
            .collect()
    }

    /// People and organisations of `fresh` whose names share no full name
    /// with an earlier one ("Erdogan" is known once "Recep Tayyip Erdogan"
    /// was named), most mentioned first, at most five.
    fn new_entities(&self, fresh: &[&BriefArticle]) -> Vec<NewEntity> {
        let mut found: Vec<(NewEntity, HashSet<String>, usize)> = Vec::new();
        for a in fresh {
            for (name, label, citation) in person_or_org_names(a) {
                let words = word_set(&name);
                if words.is_empty() || self.names.iter().any(|k| same_name(k, &words)) {
                    continue;
                }
                match found.iter_mut().find(|(_, w, _)| same_name(w, &words)) {
                    Some((_, _, count)) => *count += 1,
                    None => found.push((
                        NewEntity {
                            name,
                            label,
                            citation,
                        },
                        words,
                        1,
                    )),
                }
            }
        }
        // Stable: equal counts keep text order.
        found.sort_by_key(|(_, _, count)| std::cmp::Reverse(*count));
        found.into_iter().take(5).map(|(e, _, _)| e).collect()
    }
}

/// One name's words contain the other's.
fn same_name(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    a.is_subset(b) || b.is_subset(a)
}

fn same_value(a: &Number, b: &Number) -> bool {
    match (a.value, b.value) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a.text == b.text,
    }
}

/// PER and ORG mentions of the `entities` layer: surface, label, citation.
fn person_or_org_names(a: &BriefArticle) -> Vec<(String, String, Citation)> {
    let chars: Vec<char> = a.text.chars().collect();
    spans(a, "entities")
        .iter()
        .filter(|e| e.start < e.end && e.end <= chars.len())
        .filter_map(|e| {
            let label = e.fields.get("label").and_then(|v| v.as_str())?;
            if !matches!(label, "PER" | "ORG") {
                return None;
            }
            let name: String = chars[e.start..e.end].iter().collect();
            Some((
                name.trim().to_owned(),
                label.to_owned(),
                Citation {
                    article: a.id.clone(),
                    start: e.start,
                    end: e.end,
                },
            ))
        })
        .collect()
}

/// Words that say nothing about what a number counts.
const STOP: &[&str] = &[
    "about",
    "according",
    "after",
    "also",
    "and",
    "are",
    "been",
    "before",
    "but",
    "for",
    "from",
    "had",
    "has",
    "have",
    "into",
    "its",
    "least",
    "more",
    "most",
    "nearly",
    "not",
    "over",
    "said",
    "says",
    "some",
    "than",
    "that",
    "the",
    "their",
    "them",
    "there",
    "they",
    "this",
    "those",
    "under",
    "was",
    "were",
    "which",
    "while",
    "who",
    "will",
    "with",
    "would",
    "almost",
    "around",
    "roughly",
    "some",
    "total",
    "another",
];

/// A key number with what it counts: the quantity's `concept`, the content
/// words up to four either side of it in its sentence (the number's own
/// words left out, so "3 people killed" and "213 people injured" share
/// nothing), and its sentence's words.
struct Counted {
    number: Number,
    concept: Option<String>,
    context: HashSet<String>,
    sentence: HashSet<String>,
}

impl Counted {
    /// How many context words two numbers share when they are the same
    /// quantity restated: one unit and concept, at least one
    /// shared neighbouring word, and sentences sharing 60% of their words
    /// (an updated report of one event, not the same kind of number about
    /// another event of a storyline: 54 delegates in South Carolina do not
    /// revise 40 in Nevada).
    fn kinship(&self, other: &Counted) -> Option<usize> {
        if self.number.unit != other.number.unit || self.concept != other.concept {
            return None;
        }
        let shared = self.context.intersection(&other.context).count();
        (shared > 0 && overlap(&self.sentence, &other.sentence) >= 0.6).then_some(shared)
    }
}

fn counted(a: &BriefArticle) -> Vec<Counted> {
    let chars: Vec<char> = a.text.chars().collect();
    let sentences = whole_sentences(a);
    let concepts: HashMap<(usize, usize), String> = spans(a, "quantities")
        .iter()
        .filter_map(|q| {
            let c = q.fields.get("concept").and_then(|v| v.as_str())?;
            Some(((q.start, q.end), c.to_lowercase()))
        })
        .collect();
    article_numbers(a)
        .into_iter()
        .map(|number| {
            let (s, e) = (number.citation.start, number.citation.end);
            let (ss, se, sentence) = sentences
                .iter()
                .find(|(ss, se, _)| *ss <= s && e <= *se)
                .map_or((s, e, HashSet::new()), |(ss, se, t)| {
                    (*ss, *se, content(t).into_iter().collect())
                });
            let before: String = chars[ss..s].iter().collect();
            let after: String = chars[e..se].iter().collect();
            let own = word_set(&number.text);
            let context = content(&before)
                .into_iter()
                .rev()
                .take(4)
                .chain(content(&after).into_iter().take(4))
                .filter(|w| !own.contains(w))
                .collect();
            Counted {
                concept: concepts.get(&(s, e)).cloned(),
                number,
                context,
                sentence,
            }
        })
        .collect()
}

/// Lower-cased words of three letters or more that are not stop words, in
/// text order.
fn content(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}
