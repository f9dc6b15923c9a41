//! Entity identity across articles: which recognised mentions denote the
//! same real-world entity.
//!
//! A mention's name is normalised ([`normalise`]: case, diacritics, hyphen
//! and space variants, honorifics and titles, possessives) and turned into a
//! transliteration-invariant matching key ([`name_key`]): Cyrillic is
//! romanised, then the spellings that the common romanisation systems and the
//! English-language press use for one sound are folded together (kh/h,
//! zh/j/dzh, x/ks, "ye"/"e", y/i and the "-iy/-ii/-yy/-y" endings, double
//! letters, soft signs). The [`Resolver`] then links each article's mentions
//! to known entities, by these rules in order:
//!
//! 1. within the article, a surname-only person mention attaches to the full
//!    name it ends, and an acronym to an expansion whose initials it spells;
//! 2. across articles, the same label and the same key is the same entity;
//! 3. an acronym and an expansion match by initials;
//! 4. a full name matches a known name with the same surname and the first
//!    name abbreviated to its initial, or a surname-only entity;
//! 5. a surname-only mention attaches to the one known full name with that
//!    surname; when there are several, only to the one whose context agrees;
//! 6. a one-letter typo (Damerau-Levenshtein 1 on a token of 6 or more
//!    letters) matches only when the label and the context agree (a shared
//!    co-occurring entity or shared topic words).
//!
//! Two people who share a surname but whose first names differ (beyond the
//! typo rule) never match. Every decision carries an explanation.
//!
//! Pure: no I/O, deterministic.

use std::collections::{BTreeSet, HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

/// Words that precede a name without being part of it.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "pm",
    "chancellor",
    "premier",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "mayor",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "lieutenant",
    "capt",
    "captain",
    "sgt",
    "sergeant",
    "adm",
    "admiral",
    "maj",
    "major",
    "cmdr",
    "commander",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "pope",
    "sheikh",
    "shaikh",
    "emir",
    "ayatollah",
    "rev",
    "reverend",
    "fr",
    "father",
    "judge",
    "justice",
    "secretary",
    "ambassador",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "foreign",
    "defence",
    "defense",
    "finance",
    "deputy",
    "former",
    "ex",
    "acting",
    "the",
    "st",
    "saint",
    "hon",
    "honourable",
    "honorable",
    "mme",
    "mlle",
    "herr",
    "frau",
    "gospodin",
];

/// Words left out of an expansion's initials ("Bank of England" → BE).
const STOP: &[&str] = &[
    "of", "the", "and", "for", "de", "del", "la", "le", "des", "du", "on", "in", "&", "und", "fur",
    "a", "an",
];

/// Common words that say nothing about an article's topic.
const TOPIC_STOP: &[&str] = &[
    "about",
    "after",
    "again",
    "against",
    "also",
    "among",
    "because",
    "before",
    "being",
    "between",
    "could",
    "during",
    "every",
    "first",
    "from",
    "have",
    "their",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "under",
    "until",
    "where",
    "which",
    "while",
    "would",
    "other",
    "said",
    "says",
    "saying",
    "told",
    "according",
    "people",
    "years",
    "year",
    "since",
    "still",
    "should",
    "without",
    "within",
    "what",
    "when",
    "with",
    "will",
    "were",
    "than",
    "that",
    "them",
    "then",
    "into",
    "over",
    "only",
    "more",
    "most",
    "some",
    "such",
    "many",
    "been",
    "last",
    "next",
    "week",
    "month",
    "today",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "statement",
    "added",
    "reported",
    "called",
];

/// Folds one character: Cyrillic romanised (a scholarly-ish scheme; the key
/// folding below erases the differences between schemes), Latin diacritics
/// removed, a few ligatures spelled out. Returns `None` for characters that
/// are dropped (soft and hard signs, apostrophes, marks).
fn fold_char(c: char, out: &mut String) {
    let s = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' | 'є' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' | 'ұ' | 'ў' => "u",
        'ф' => "f",
        'х' | 'һ' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ә' => "a",
        'ғ' => "gh",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        '\'' | '’' | 'ʹ' | 'ʼ' | '`' | '´' | '‘' => "",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(s);
}

/// The readable normal form of a name: lower case, diacritics folded,
/// Cyrillic romanised, hyphens and punctuation as spaces, a trailing
/// possessive and leading titles removed. "Sen. Jean-Luc Mélenchon's" →
/// "jean luc melenchon".
pub fn normalise(name: &str) -> String {
    tokens(name).join(" ")
}

/// The tokens of [`normalise`].
pub fn tokens(name: &str) -> Vec<String> {
    let trimmed = name
        .trim()
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_end_matches("s'");
    // "U.N." is the acronym "UN".
    let undotted;
    let trimmed = if trimmed.contains('.') && is_acronym(trimmed) {
        undotted = trimmed.replace('.', "");
        undotted.as_str()
    } else {
        trimmed
    };
    let mut folded = String::with_capacity(trimmed.len());
    for c in trimmed.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        for lc in c.to_lowercase() {
            fold_char(lc, &mut folded);
        }
    }
    let mut toks: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    // Titles: only leading ones, and never the whole name ("Queen" the band
    // keeps its name).
    let mut lead = 0;
    while lead + 1 < toks.len() && TITLES.contains(&toks[lead].as_str()) {
        lead += 1;
    }
    toks.drain(..lead);
    // Generational suffixes.
    while toks.len() > 1 && matches!(toks.last().map(String::as_str), Some("jr" | "sr" | "iii")) {
        toks.pop();
    }
    toks
}

/// The matching key of one normalised token: spellings of one sound in the
/// common romanisation systems and in English press usage folded together.
pub fn token_key(token: &str) -> String {
    let mut s = token.to_owned();
    // Longest sequences first.
    for (from, to) in [
        ("shch", "sh"),
        ("tsch", "ch"),
        ("sch", "sh"),
        ("dzh", "j"),
        ("dj", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("ph", "f"),
        ("ck", "k"),
        ("x", "ks"),
        ("w", "v"),
        ("q", "k"),
        ("tz", "ts"),
        ("ye", "e"),
        ("yo", "e"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // c not in "ch" sounds like k or s; k is the common romanisation.
    let chars: Vec<char> = s.chars().collect();
    let mut t = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == 'c' && chars.get(i + 1) != Some(&'h') {
            t.push('k');
        } else if c == 'y' || c == 'j' && i + 1 < chars.len() && is_vowel(chars[i + 1]) && i > 0 {
            // y is i; j between a letter and a vowel is the German/Polish y.
            t.push('i');
        } else {
            t.push(c);
        }
    }
    // Double letters collapse ("Kassym"/"Kasym", "-ii"/"-iy"/"-yy").
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The key of a whole name: its tokens' keys, space-separated. Middle
/// initials are dropped ("George W. Bush" ~ "George Bush").
pub fn name_key(name: &str) -> String {
    keys_of(&tokens(name)).join(" ")
}

fn keys_of(toks: &[String]) -> Vec<String> {
    without_middle_initials(toks)
        .iter()
        .map(|t| token_key(t))
        .collect()
}

fn without_middle_initials(toks: &[String]) -> Vec<String> {
    let n = toks.len();
    toks.iter()
        .enumerate()
        .filter(|&(i, t)| !(n >= 3 && i > 0 && i + 1 < n && t.chars().count() == 1))
        .map(|(_, t)| t.clone())
        .collect()
}

/// Whether a mention's surface text is an acronym: 2 to 6 capital letters,
/// optionally with dots ("IMF", "U.N.").
pub fn is_acronym(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| *c != '.').collect();
    (2..=6).contains(&letters.len()) && letters.iter().all(|c| c.is_uppercase())
}

/// The initials of an expansion, lower case, stop words left out
/// ("International Monetary Fund" → "imf"); `None` for one-word names.
pub fn initials(name: &str) -> Option<String> {
    let toks: Vec<String> = tokens(name)
        .into_iter()
        .filter(|t| !STOP.contains(&t.as_str()))
        .collect();
    (toks.len() >= 2).then(|| toks.iter().filter_map(|t| t.chars().next()).collect())
}

/// Damerau-Levenshtein (optimal string alignment) distance, bounded: returns
/// `max + 1` as soon as the distance must exceed `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
    }
    d[a.len() * w + b.len()]
}

/// Shortest token (in letters) on which a one-letter typo is tolerated.
pub const TYPO_MIN_LEN: usize = 6;

/// Topic words of an article: its most frequent longer content words.
pub fn topic_words(text: &str, n: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.chars().count() < 5 || w.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let w = w.to_lowercase();
        if TOPIC_STOP.contains(&w.as_str()) || w.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        *counts.entry(w).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().take(n).map(|(w, _)| w).collect()
}

/// How many topic words an article keeps for context.
pub const TOPIC_WORDS: usize = 12;
/// Shared topic words that count as "the context agrees".
pub const TOPIC_AGREE: usize = 2;
/// Context kept per entity (co-occurring keys, topic words), at most.
const CONTEXT_CAP: usize = 256;

/// A known entity, as loaded from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEntity {
    pub id: i64,
    pub canonical: String,
    pub label: String,
}

/// One entity mention in an article, as the `entities` layer gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub text: String,
    pub label: String,
}

/// What a mention resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub entity: i64,
    /// "new entity ..." or "matched because: ...".
    pub explanation: String,
}

/// An entity the resolver created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntity {
    pub id: i64,
    pub canonical: String,
    pub label: String,
    pub key: String,
}

/// The outcome of resolving one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleResolution {
    /// One per input mention; `None` where the name normalises to nothing.
    pub mentions: Vec<Option<Resolution>>,
    pub new_entities: Vec<NewEntity>,
    /// Entities whose canonical name changed to a fuller form.
    pub renamed: Vec<(i64, String)>,
}

#[derive(Debug, Clone)]
struct Entry {
    id: i64,
    canonical: String,
    label: String,
    /// Token keys of the canonical name.
    toks: Vec<String>,
    /// Normalised tokens and token keys of the names indexed for it.
    names: Vec<(Vec<String>, Vec<String>)>,
    /// Keys of the other entities seen in its articles.
    cooc: HashSet<String>,
    topic: HashSet<String>,
}

/// Cross-article resolver: holds every known entity's keys and context.
#[derive(Debug, Default)]
pub struct Resolver {
    entries: Vec<Entry>,
    by_id: HashMap<i64, usize>,
    /// (label, full key) → entity.
    by_key: HashMap<(String, String), usize>,
    /// (label, last token key) → multi-token entities with that surname.
    by_surname: HashMap<(String, String), BTreeSet<usize>>,
    /// (label, initials) → multi-token entities.
    by_initials: HashMap<(String, String), BTreeSet<usize>>,
    /// One-deletion neighbourhood of long token keys → entities.
    fuzzy: HashMap<String, BTreeSet<usize>>,
    next_id: i64,
}

/// A mention group within one article (one local entity).
struct Local {
    /// The fullest name in the group (the representative).
    text: String,
    label: String,
    toks: Vec<String>,
    /// Normalised tokens (before key folding).
    norm: Vec<String>,
    key: String,
    acronym: bool,
    /// Member mention indices and their explanation when attached locally.
    members: Vec<(usize, Option<String>)>,
}

impl Resolver {
    /// An empty resolver that numbers new entities from `next_id`.
    pub fn new(next_id: i64) -> Resolver {
        Resolver {
            next_id: next_id.max(1),
            ..Resolver::default()
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a known entity with the variants seen for it.
    pub fn add_known(&mut self, entity: &KnownEntity, variants: &[String]) {
        let idx = self.entries.len();
        let toks = keys_of(&tokens(&entity.canonical));
        self.entries.push(Entry {
            id: entity.id,
            canonical: entity.canonical.clone(),
            label: entity.label.clone(),
            toks,
            names: Vec::new(),
            cooc: HashSet::new(),
            topic: HashSet::new(),
        });
        self.by_id.insert(entity.id, idx);
        self.next_id = self.next_id.max(entity.id + 1);
        self.index_name(idx, &entity.canonical.clone());
        for v in variants {
            self.index_variant(idx, v);
        }
    }

    /// Adds context to a known entity: the keys of entities seen with it
    /// and topic words of its articles.
    pub fn add_context(&mut self, id: i64, cooccurring: &[String], topic: &[String]) {
        if let Some(&idx) = self.by_id.get(&id) {
            let e = &mut self.entries[idx];
            for k in cooccurring {
                if e.cooc.len() < CONTEXT_CAP {
                    e.cooc.insert(name_key(k));
                }
            }
            for w in topic {
                if e.topic.len() < CONTEXT_CAP {
                    e.topic.insert(w.clone());
                }
            }
        }
    }

    /// The canonical name of a known entity.
    pub fn canonical(&self, id: i64) -> Option<&str> {
        self.by_id
            .get(&id)
            .map(|&i| self.entries[i].canonical.as_str())
    }

    fn index_name(&mut self, idx: usize, name: &str) {
        let label = self.entries[idx].label.clone();
        let norm = without_middle_initials(&tokens(name));
        let toks = keys_of(&tokens(name));
        if toks.is_empty() {
            return;
        }
        let names = &mut self.entries[idx].names;
        if names.len() < 32 && !names.iter().any(|(n, _)| *n == norm) {
            names.push((norm.clone(), toks.clone()));
        }
        self.by_key
            .entry((label.clone(), toks.join(" ")))
            .or_insert(idx);
        if toks.len() >= 2 {
            self.by_surname
                .entry((label.clone(), toks[toks.len() - 1].clone()))
                .or_default()
                .insert(idx);
            if let Some(ini) = initials(name) {
                self.by_initials
                    .entry((label.clone(), ini))
                    .or_default()
                    .insert(idx);
            }
        }
        for t in toks.iter().chain(&norm) {
            if t.chars().count() >= TYPO_MIN_LEN {
                for d in deletions(t) {
                    self.fuzzy.entry(d).or_default().insert(idx);
                }
            }
        }
    }

    /// Indexes a variant spelling. Surname-only variants of a full name
    /// are not indexed as keys (another person may share the surname).
    fn index_variant(&mut self, idx: usize, variant: &str) {
        let vt = keys_of(&tokens(variant));
        let own = &self.entries[idx].toks;
        if vt.len() == 1 && own.len() >= 2 && !is_acronym(variant) {
            return;
        }
        if vt.len() >= 2 || is_acronym(variant) || own.len() == 1 {
            self.index_name(idx, variant);
        }
    }

    /// Resolves one article's mentions (with the article's text for topic
    /// words), creating entities for names not seen before, and learns from
    /// it.
    pub fn resolve_article(&mut self, mentions: &[Mention], text: &str) -> ArticleResolution {
        let topic = topic_words(text, TOPIC_WORDS);
        let locals = local_groups(mentions);
        let mut out = ArticleResolution {
            mentions: vec![None; mentions.len()],
            ..ArticleResolution::default()
        };
        let local_keys: Vec<String> = locals.iter().map(|l| l.key.clone()).collect();
        let mut resolved: Vec<(usize, i64)> = Vec::new();
        for (li, local) in locals.iter().enumerate() {
            let others: HashSet<&str> = local_keys
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != li)
                .map(|(_, k)| k.as_str())
                .collect();
            let (idx, why) = match self.find(local, &others, &topic) {
                Some(found) => found,
                None => {
                    let id = self.next_id;
                    self.next_id += 1;
                    let idx = self.entries.len();
                    self.entries.push(Entry {
                        id,
                        canonical: local.text.clone(),
                        label: local.label.clone(),
                        toks: local.toks.clone(),
                        names: Vec::new(),
                        cooc: HashSet::new(),
                        topic: HashSet::new(),
                    });
                    self.by_id.insert(id, idx);
                    self.index_name(idx, &local.text);
                    out.new_entities.push(NewEntity {
                        id,
                        canonical: local.text.clone(),
                        label: local.label.clone(),
                        key: local.key.clone(),
                    });
                    (idx, format!("new entity (key '{}')", local.key))
                }
            };
            // A fuller name becomes the canonical one.
            let rename = {
                let e = &self.entries[idx];
                local.toks.len() > e.toks.len() && !local.acronym
            };
            if rename {
                let e = &mut self.entries[idx];
                e.canonical = local.text.clone();
                e.toks = local.toks.clone();
                out.renamed.push((e.id, local.text.clone()));
            }
            // A spelling accepted as a typo is not learned as a key: it
            // matched only because the context agreed.
            let typo = why.contains("one-letter difference");
            if !typo {
                self.index_variant(idx, &local.text);
            }
            let id = self.entries[idx].id;
            for (m, local_why) in &local.members {
                if !typo {
                    self.index_variant(idx, &mentions[*m].text);
                }
                let explanation = match local_why {
                    Some(lw) if why.starts_with("new entity") => format!("matched because: {lw}"),
                    Some(lw) => format!("{why}; and {lw}"),
                    None => why.clone(),
                };
                out.mentions[*m] = Some(Resolution {
                    entity: id,
                    explanation,
                });
            }
            resolved.push((li, id));
        }
        // Learn context: co-occurring keys and topic words.
        for &(li, id) in &resolved {
            let idx = self.by_id[&id];
            let e = &mut self.entries[idx];
            for (j, k) in local_keys.iter().enumerate() {
                if j != li && e.cooc.len() < CONTEXT_CAP {
                    e.cooc.insert(k.clone());
                }
            }
            for w in &topic {
                if e.topic.len() < CONTEXT_CAP {
                    e.topic.insert(w.clone());
                }
            }
        }
        out
    }

    /// Finds the known entity a local group denotes, with the reason.
    fn find<'a>(
        &'a self,
        local: &Local,
        others: &HashSet<&str>,
        topic: &[String],
    ) -> Option<(usize, String)> {
        let label = local.label.clone();
        // 1. Same key.
        if let Some(&idx) = self.by_key.get(&(label.clone(), local.key.clone())) {
            let e = &self.entries[idx];
            return Some((
                idx,
                format!(
                    "matched because: same transliteration key '{}' ({} ~ {})",
                    local.key, local.text, e.canonical
                ),
            ));
        }
        // 2. Acronyms and expansions.
        if local.acronym {
            let ini = normalise(&local.text).replace(' ', "");
            if let Some(set) = self.by_initials.get(&(label.clone(), ini.clone())) {
                if let Some(idx) = self.pick(set, others, topic) {
                    return Some((
                        idx,
                        format!(
                            "matched because: acronym '{}' spells the initials of '{}'",
                            local.text, self.entries[idx].canonical
                        ),
                    ));
                }
            }
        } else if local.toks.len() >= 2 {
            if let Some(ini) = initials(&local.text) {
                if let Some(&idx) = self.by_key.get(&(label.clone(), token_key(&ini))) {
                    return Some((
                        idx,
                        format!(
                            "matched because: '{}' has the initials of the acronym '{}'",
                            local.text, self.entries[idx].canonical
                        ),
                    ));
                }
            }
        }
        let n = local.toks.len();
        // 3. Full name against an initial-abbreviated or surname-only entity.
        if n >= 2 && label == "PER" {
            let surname = local.toks[n - 1].clone();
            if let Some(set) = self.by_surname.get(&(label.clone(), surname.clone())) {
                let fits: BTreeSet<usize> = set
                    .iter()
                    .copied()
                    .filter(|&i| first_names_compatible(&local.toks, &self.entries[i].toks))
                    .collect();
                if let Some(idx) = self.pick(&fits, others, topic) {
                    return Some((
                        idx,
                        format!(
                            "matched because: same surname '{surname}' and compatible first names ({} ~ {})",
                            local.text, self.entries[idx].canonical
                        ),
                    ));
                }
            }
            let full_names = self
                .by_surname
                .get(&(label.clone(), surname.clone()))
                .is_some_and(|s| !s.is_empty());
            if !full_names {
                if let Some(&idx) = self.by_key.get(&(label.clone(), surname.clone())) {
                    if self.entries[idx].toks.len() == 1 {
                        return Some((
                            idx,
                            format!(
                                "matched because: full name '{}' completes the surname-only entity '{}'",
                                local.text, self.entries[idx].canonical
                            ),
                        ));
                    }
                }
            }
        }
        // 4. Surname only.
        if n == 1 && label == "PER" {
            if let Some(set) = self.by_surname.get(&(label.clone(), local.key.clone())) {
                if let Some(idx) = self.pick(set, others, topic) {
                    let why = if set.len() == 1 {
                        "the only known person with that surname"
                    } else {
                        "the person with that surname whose context agrees"
                    };
                    return Some((
                        idx,
                        format!(
                            "matched because: surname-only mention '{}' attaches to '{}', {why}",
                            local.text, self.entries[idx].canonical
                        ),
                    ));
                }
            }
        }
        // 5. One-letter typo, when the context agrees.
        let mut cands: BTreeSet<usize> = BTreeSet::new();
        for t in local.toks.iter().chain(&local.norm) {
            if t.chars().count() >= TYPO_MIN_LEN {
                for d in deletions(t) {
                    if let Some(set) = self.fuzzy.get(&d) {
                        cands.extend(set.iter().copied());
                    }
                }
            }
        }
        let mut best: Option<(usize, usize, String)> = None;
        for idx in cands {
            let e = &self.entries[idx];
            if e.label != label {
                continue;
            }
            // A surname alone is compared with the surnames of full names.
            let last = |v: &'a [String]| -> &'a [String] {
                if n == 1 && label == "PER" && v.len() >= 2 {
                    &v[v.len() - 1..]
                } else {
                    v
                }
            };
            let Some((a, b)) = e.names.iter().find_map(|(norm, keys)| {
                one_typo(&local.norm, last(norm)).or_else(|| one_typo(&local.toks, last(keys)))
            }) else {
                continue;
            };
            let (score, ctx) = self.context_agreement(idx, others, topic);
            if score == 0 {
                continue;
            }
            if best.as_ref().is_none_or(|b| score > b.1) {
                best = Some((
                    idx,
                    score,
                    format!(
                        "matched because: one-letter difference '{a}'/'{b}' ({} ~ {}) and the context agrees ({ctx})",
                        local.text, e.canonical
                    ),
                ));
            }
        }
        best.map(|(idx, _, why)| (idx, why))
    }

    /// One candidate: the only one, or the single one whose context agrees
    /// best (ties stay unresolved).
    fn pick(
        &self,
        set: &BTreeSet<usize>,
        others: &HashSet<&str>,
        topic: &[String],
    ) -> Option<usize> {
        match set.len() {
            0 => None,
            1 => set.iter().next().copied(),
            _ => {
                let mut scored: Vec<(usize, usize)> = set
                    .iter()
                    .map(|&i| (self.context_agreement(i, others, topic).0, i))
                    .collect();
                scored.sort_by(|a, b| b.cmp(a));
                (scored[0].0 > 0 && scored[0].0 > scored[1].0).then_some(scored[0].1)
            }
        }
    }

    /// How much an article's context agrees with an entity's: shared
    /// co-occurring entities count 2 each, shared topic words 1 each beyond
    /// `TOPIC_AGREE - 1`. Returns 0 when it does not agree.
    fn context_agreement(
        &self,
        idx: usize,
        others: &HashSet<&str>,
        topic: &[String],
    ) -> (usize, String) {
        let e = &self.entries[idx];
        let shared: Vec<&str> = others
            .iter()
            .copied()
            .filter(|k| e.cooc.contains(*k))
            .collect();
        let words: Vec<&str> = topic
            .iter()
            .filter(|w| e.topic.contains(*w))
            .map(String::as_str)
            .collect();
        let mut score = 2 * shared.len();
        if words.len() >= TOPIC_AGREE {
            score += words.len();
        }
        let mut parts = Vec::new();
        if !shared.is_empty() {
            let mut s = shared.clone();
            s.sort_unstable();
            parts.push(format!("seen with {}", s.join(", ")));
        }
        if words.len() >= TOPIC_AGREE {
            parts.push(format!("shared topic words {}", words.join(", ")));
        }
        (score, parts.join("; "))
    }
}

/// Two full names with the same surname denote one person when every other
/// token agrees by key, or one is the other's initial; a name with more
/// given names matches one with fewer only when those agree.
fn first_names_compatible(a: &[String], b: &[String]) -> bool {
    if b.len() < 2 {
        return true; // a surname-only entity
    }
    let (fa, fb) = (&a[..a.len() - 1], &b[..b.len() - 1]);
    let n = fa.len().min(fb.len());
    let mut any_initial = false;
    for i in 0..n {
        let (x, y) = (&fa[i], &fb[i]);
        if x == y {
            continue;
        }
        let initial = (x.chars().count() == 1 || y.chars().count() == 1)
            && x.chars().next() == y.chars().next();
        if !initial {
            return false;
        }
        any_initial = true;
    }
    // Same given names are a key match already; here one side abbreviates
    // or has more given names.
    any_initial || fa.len() != fb.len()
}

/// Token-wise: all equal but one pair at Damerau-Levenshtein distance 1,
/// both at least [`TYPO_MIN_LEN`] long. Returns the differing pair.
fn one_typo<'a>(a: &'a [String], b: &'a [String]) -> Option<(&'a str, &'a str)> {
    if a.len() != b.len() {
        return None;
    }
    let mut diff = None;
    for (x, y) in a.iter().zip(b) {
        if x == y {
            continue;
        }
        if diff.is_some()
            || x.chars().count() < TYPO_MIN_LEN
            || y.chars().count() < TYPO_MIN_LEN
            || edit_distance(x, y, 1) != 1
        {
            return None;
        }
        diff = Some((x.as_str(), y.as_str()));
    }
    diff
}

/// The word and its one-letter deletions.
fn deletions(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = vec![word.to_owned()];
    for i in 0..chars.len() {
        let mut s = String::with_capacity(word.len());
        s.extend(chars[..i].iter());
        s.extend(chars[i + 1..].iter());
        out.push(s);
    }
    out
}

/// Groups one article's mentions into local entities: identical keys;
/// a surname-only person mention with the full name it ends; an acronym
/// with an expansion in the article whose initials it spells.
fn local_groups(mentions: &[Mention]) -> Vec<Local> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    let toks: Vec<Vec<String>> = mentions.iter().map(|m| keys_of(&tokens(&m.text))).collect();
    // Fuller names first, so short forms find them; then in text order.
    order.sort_by_key(|&i| (std::cmp::Reverse(toks[i].len()), i));
    let mut locals: Vec<Local> = Vec::new();
    for i in order {
        let m = &mentions[i];
        if toks[i].is_empty() {
            continue;
        }
        let key = toks[i].join(" ");
        let acronym = is_acronym(m.text.trim());
        if let Some(l) = locals
            .iter_mut()
            .find(|l| l.label == m.label && l.key == key)
        {
            l.members.push((i, None));
            continue;
        }
        if toks[i].len() == 1 && m.label == "PER" {
            let hits: Vec<usize> = locals
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    l.label == "PER" && l.toks.len() >= 2 && l.toks.last() == Some(&key)
                })
                .map(|(j, _)| j)
                .collect();
            if hits.len() == 1 {
                let l = &mut locals[hits[0]];
                let why = format!(
                    "surname-only mention '{}' attaches to '{}' in the same article",
                    m.text, l.text
                );
                l.members.push((i, Some(why)));
                continue;
            }
        }
        if acronym {
            let ini = normalise(&m.text).replace(' ', "");
            let hits: Vec<usize> = locals
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    l.label == m.label && !l.acronym && initials(&l.text).as_deref() == Some(&ini)
                })
                .map(|(j, _)| j)
                .collect();
            if hits.len() == 1 {
                let l = &mut locals[hits[0]];
                let why = format!(
                    "acronym '{}' spells the initials of '{}' in the same article",
                    m.text, l.text
                );
                l.members.push((i, Some(why)));
                continue;
            }
        }
        locals.push(Local {
            text: m.text.trim().to_owned(),
            label: m.label.clone(),
            toks: toks[i].clone(),
            norm: without_middle_initials(&tokens(&m.text)),
            key,
            acronym,
            members: vec![(i, None)],
        });
    }
    locals
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first mentions of `a` and `b` are one entity, and `b`'s merge
    /// explanation mentions `why`.
    fn assert_merged(a: &ArticleResolution, b: &ArticleResolution, why: &str) {
        let (ma, mb) = (
            a.mentions[0].as_ref().unwrap(),
            b.mentions[0].as_ref().unwrap(),
        );
        assert_eq!(ma.entity, mb.entity);
        assert!(mb.explanation.contains(why), "{}", mb.explanation);
    }

    fn m(text: &str, label: &str) -> Mention {
        Mention {
            text: text.into(),
            label: label.into(),
        }
    }

    #[test]
    fn normalises_case_diacritics_hyphens_titles() {
        assert_eq!(
            normalise("President Kassym-Jomart Tokayev"),
            "kassym jomart tokayev"
        );
        assert_eq!(normalise("Sen. Jean-Luc Mélenchon's"), "jean luc melenchon");
        assert_eq!(normalise("Dr. Angela Merkel"), "angela merkel");
        assert_eq!(normalise("Queen"), "queen");
        assert_eq!(
            name_key("Kassym-Jomart Tokayev"),
            name_key("Kassym Jomart Tokaev")
        );
    }

    #[test]
    fn cyrillic_and_latin_share_keys() {
        for (a, b) in [
            ("Токаев", "Tokayev"),
            ("Касым-Жомарт Токаев", "Kassym-Jomart Tokayev"),
            ("Зеленский", "Zelenskyy"),
            ("Зеленский", "Zelensky"),
            ("Zelenskiy", "Zelenskii"),
            ("Ходорковский", "Khodorkovsky"),
            ("Khodorkovsky", "Hodorkovsky"),
            ("Навальный", "Navalny"),
            ("Алексей Навальный", "Aleksei Navalnyy"),
            ("Alexei Navalny", "Aleksey Navalny"),
            ("Евгений Пригожин", "Yevgeny Prigozhin"),
            ("Yevgeny Prigozhin", "Evgeniy Prigozhin"),
            ("Дмитрий Песков", "Dmitry Peskov"),
            ("Сергей Шойгу", "Sergei Shoigu"),
            ("Ельцин", "Yeltsin"),
            ("Джохар", "Dzhokhar"),
            ("Хрущёв", "Khrushchev"),
            ("Юлия Тимошенко", "Yulia Tymoshenko"),
        ] {
            assert_eq!(name_key(a), name_key(b), "{a} / {b}");
        }
        assert_ne!(name_key("Volodymyr"), name_key("Vladimir"));
    }

    #[test]
    fn explains_transliteration_merge() {
        let mut r = Resolver::new(1);
        let a = r.resolve_article(&[m("Kassym-Jomart Tokayev", "PER")], "");
        let b = r.resolve_article(&[m("Касым-Жомарт Токаев", "PER")], "");
        let (ra, rb) = (
            a.mentions[0].clone().unwrap(),
            b.mentions[0].clone().unwrap(),
        );
        assert_eq!(ra.entity, rb.entity);
        assert!(
            rb.explanation.contains("same transliteration key"),
            "{}",
            rb.explanation
        );
        assert!(b.new_entities.is_empty());
    }

    #[test]
    fn typo_needs_context() {
        let text = "The government announced a reform of pensions and taxation in Astana.";
        // With context: a shared co-occurring entity.
        let mut r = Resolver::new(1);
        let a = r.resolve_article(&[m("Tokayev", "PER"), m("Astana", "LOC")], text);
        let b = r.resolve_article(&[m("Tokayav", "PER"), m("Astana", "LOC")], "");
        assert_merged(&a, &b, "one-letter");
        // Without context: kept apart.
        let mut r = Resolver::new(1);
        let a = r.resolve_article(&[m("Tokayev", "PER"), m("Astana", "LOC")], text);
        let b = r.resolve_article(
            &[m("Tokayav", "PER"), m("Lisbon", "LOC")],
            "Football results and weather.",
        );
        assert_ne!(
            a.mentions[0].as_ref().unwrap().entity,
            b.mentions[0].as_ref().unwrap().entity
        );
        // Topic words also count as context.
        let mut r = Resolver::new(1);
        let a = r.resolve_article(&[m("Tokayev", "PER")], text);
        let b = r.resolve_article(
            &[m("Tokayav", "PER")],
            "Pensions reform and taxation debated.",
        );
        assert_eq!(
            a.mentions[0].as_ref().unwrap().entity,
            b.mentions[0].as_ref().unwrap().entity
        );
    }

    #[test]
    fn surname_attaches_within_article() {
        let mut r = Resolver::new(1);
        let a = r.resolve_article(
            &[
                m("Vladimir Putin", "PER"),
                m("Putin", "PER"),
                m("Kremlin", "LOC"),
            ],
            "",
        );
        let ids: Vec<i64> = a
            .mentions
            .iter()
            .map(|x| x.as_ref().unwrap().entity)
            .collect();
        assert_eq!(ids[0], ids[1]);
        assert!(a.mentions[1]
            .as_ref()
            .unwrap()
            .explanation
            .contains("surname-only"));
        // Across articles, the only Putin.
        let b = r.resolve_article(&[m("Putin", "PER")], "");
        assert_eq!(b.mentions[0].as_ref().unwrap().entity, ids[0]);
    }

    #[test]
    fn same_surname_different_people_stay_apart() {
        let mut r = Resolver::new(1);
        let a = r.resolve_article(&[m("George Bush", "PER")], "");
        let b = r.resolve_article(&[m("Jeb Bush", "PER")], "");
        assert_ne!(
            a.mentions[0].as_ref().unwrap().entity,
            b.mentions[0].as_ref().unwrap().entity
        );
        // A surname alone with two candidates and no context: not merged.
        let c = r.resolve_article(&[m("Bush", "PER")], "");
        let cid = c.mentions[0].as_ref().unwrap().entity;
        assert_ne!(cid, a.mentions[0].as_ref().unwrap().entity);
        assert_ne!(cid, b.mentions[0].as_ref().unwrap().entity);
        // Initials are compatible.
        let d = r.resolve_article(&[m("G. Bush", "PER")], "");
        assert_eq!(
            d.mentions[0].as_ref().unwrap().entity,
            a.mentions[0].as_ref().unwrap().entity
        );
    }

    #[test]
    fn acronyms_and_expansions() {
        let mut r = Resolver::new(1);
        let a = r.resolve_article(&[m("International Monetary Fund", "ORG")], "");
        let b = r.resolve_article(&[m("IMF", "ORG")], "");
        assert_merged(&a, &b, "acronym");
        // The other way round, and within one article.
        let mut r = Resolver::new(1);
        let a = r.resolve_article(&[m("NATO", "ORG")], "");
        let b = r.resolve_article(&[m("North Atlantic Treaty Organization", "ORG")], "");
        assert_eq!(
            a.mentions[0].as_ref().unwrap().entity,
            b.mentions[0].as_ref().unwrap().entity
        );
        let c = r.resolve_article(
            &[m("World Health Organization", "ORG"), m("WHO", "ORG")],
            "",
        );
        assert_eq!(
            c.mentions[0].as_ref().unwrap().entity,
            c.mentions[1].as_ref().unwrap().entity
        );
        // Similar organisations stay apart.
        let d = r.resolve_article(&[m("Bank of England", "ORG")], "");
        let e = r.resolve_article(&[m("Bank of Canada", "ORG")], "");
        assert_ne!(
            d.mentions[0].as_ref().unwrap().entity,
            e.mentions[0].as_ref().unwrap().entity
        );
    }

    #[test]
    fn fuller_name_becomes_canonical() {
        let mut r = Resolver::new(7);
        let a = r.resolve_article(&[m("Tokayev", "PER")], "");
        assert_eq!(a.new_entities[0].id, 7);
        let b = r.resolve_article(&[m("Kassym-Jomart Tokayev", "PER")], "");
        assert_eq!(b.mentions[0].as_ref().unwrap().entity, 7);
        assert_eq!(b.renamed, vec![(7, "Kassym-Jomart Tokayev".to_owned())]);
        assert_eq!(r.canonical(7), Some("Kassym-Jomart Tokayev"));
    }

    #[test]
    fn loads_known_entities() {
        let mut r = Resolver::new(1);
        r.add_known(
            &KnownEntity {
                id: 42,
                canonical: "Sergei Lavrov".into(),
                label: "PER".into(),
            },
            &["Lavrov".into(), "Sergey Lavrov".into()],
        );
        let a = r.resolve_article(&[m("Сергей Лавров", "PER")], "");
        assert_eq!(a.mentions[0].as_ref().unwrap().entity, 42);
        let b = r.resolve_article(&[m("Someone New", "PER")], "");
        assert_eq!(b.new_entities[0].id, 43);
    }

    #[test]
    fn edit_distance_bounded() {
        assert_eq!(edit_distance("tokaev", "tokaav", 1), 1);
        assert_eq!(edit_distance("tokaev", "tokeav", 1), 1);
        assert_eq!(edit_distance("abc", "xyz", 1), 2);
        assert_eq!(edit_distance("", "", 1), 0);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let mut r = Resolver::new(1);
        let ms = vec![
            m("", "PER"),
            m("...", "ORG"),
            m("'s", "PER"),
            m("Ω", "MISC"),
            m("A", "PER"),
        ];
        let out = r.resolve_article(&ms, "");
        assert_eq!(out.mentions.len(), 5);
        assert!(out.mentions[0].is_none());
    }
}
