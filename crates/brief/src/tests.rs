use dossier_core::Span;

use super::*;

/// An article whose sentences are the given strings joined by spaces, with
/// a sentences layer pointing at each.
fn article(id: &str, source: &str, day: &str, title: &str, sentences: &[&str]) -> BriefArticle {
    let mut text = String::new();
    let mut spans = Vec::new();
    for s in sentences {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.chars().count();
        text.push_str(s);
        spans.push(Span::new(start, text.chars().count()));
    }
    let mut layers = BTreeMap::new();
    layers.insert("sentences".to_owned(), spans);
    BriefArticle {
        id: id.to_owned(),
        title: title.to_owned(),
        source: Some(source.to_owned()),
        url: Some(format!("https://{source}.example/{id}")),
        published: Some(day.to_owned()),
        text,
        layers,
    }
}

const QUAKE: &[&str] = &[
    "An earthquake of magnitude 6.4 struck Hatay province in southern Turkey on Monday.",
    "At least 3 people were killed and 213 injured, the disaster agency AFAD said.",
    "Rescuers searched the rubble in Antakya through the night.",
];
const QUAKE_OTHER: &[&str] = &[
    "A strong earthquake shook the Turkish province of Hatay late on Monday evening.",
    "Buildings collapsed in Antakya and Defne, according to the regional governor.",
    "An earthquake of magnitude 6.4 struck Hatay province in southern Turkey on Monday.",
];
const BANK: &[&str] = &[
    "The European Central Bank raised its key interest rate by a quarter point on Thursday.",
    "Officials in Frankfurt signalled that further increases were likely this year.",
];

fn opts() -> Options {
    Options {
        since: "2023-02-14".into(),
        until: "2023-02-20".into(),
        ..Options::default()
    }
}

fn windows() -> Vec<StoryInput> {
    vec![
        StoryInput {
            story: 1,
            articles: vec![article(
                "b1",
                "Bank Paper",
                "2023-02-20",
                "ECB raises rates",
                BANK,
            )],
            copies: vec![],
        },
        StoryInput {
            story: 2,
            articles: vec![
                article("q1", "Wire", "2023-02-18", "Earthquake hits Hatay", QUAKE),
                article("q2", "Daily", "2023-02-19", "Hatay quake", QUAKE_OTHER),
                article(
                    "q3",
                    "Reprint",
                    "2023-02-19",
                    "Earthquake hits Hatay (copy)",
                    QUAKE,
                ),
            ],
            copies: vec![("q3".into(), "q1".into())],
        },
    ]
}

#[test]
fn ranking_prefers_independent_multi_outlet_stories() {
    let brief = build(&windows(), &opts());
    assert_eq!(brief.items.len(), 2);
    assert_eq!(brief.items[0].story, 2, "{:#?}", brief.items);
    assert_eq!(brief.items[0].signals.independent, 2);
    assert_eq!(brief.items[0].signals.outlets, 3);
    assert_eq!(brief.items[0].rank, 1);
    assert_eq!(brief.items[1].story, 1);
    // The headline is the earliest original's title.
    assert_eq!(brief.items[0].headline, "Earthquake hits Hatay");
}

#[test]
fn copies_fold_under_their_original() {
    let s = &windows()[1];
    let parents = originals(s);
    assert_eq!(parents.get("q3").map(String::as_str), Some("q1"));
    assert!(!parents.contains_key("q1") && !parents.contains_key("q2"));
    let brief = build(&windows(), &opts());
    let sources = &brief.items[0].sources;
    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["q1", "q2"]);
    assert_eq!(sources[0].copies.len(), 1);
    assert_eq!(sources[0].copies[0].id, "q3");
    let md = to_markdown(&brief);
    assert!(md.contains("  - [2] copy: Reprint"), "{md}");
}

#[test]
fn sentences_are_whole_distinct_and_cited_with_spans() {
    let stories = windows();
    let brief = build(&stories, &opts());
    let item = &brief.items[0];
    assert!(
        (2..=3).contains(&item.sentences.len()),
        "{:#?}",
        item.sentences
    );
    let all: Vec<&BriefArticle> = stories.iter().flat_map(|s| &s.articles).collect();
    for s in &item.sentences {
        assert!(s.text.ends_with('.'));
        assert!(!s.citations.is_empty());
        for c in &s.citations {
            let a = all.iter().find(|a| a.id == c.article).unwrap();
            let cited: String = a.text.chars().skip(c.start).take(c.end - c.start).collect();
            assert_eq!(word_set(&cited), word_set(&s.text), "{c:?}");
        }
        // The first citation is exactly the text.
        let c = &s.citations[0];
        let a = all.iter().find(|a| a.id == c.article).unwrap();
        let cited: String = a.text.chars().skip(c.start).take(c.end - c.start).collect();
        assert_eq!(cited, s.text);
    }
    // The magnitude sentence appears once though three articles carry it,
    // and cites all three.
    let magnitude: Vec<&Sentence> = item
        .sentences
        .iter()
        .filter(|s| s.text.contains("magnitude 6.4"))
        .collect();
    assert_eq!(magnitude.len(), 1);
    let cited: Vec<&str> = magnitude[0]
        .citations
        .iter()
        .map(|c| c.article.as_str())
        .collect();
    assert_eq!(cited, ["q1", "q2", "q3"]);
}

#[test]
fn fragments_and_commentary_are_left_out() {
    assert!(!is_whole(
        "and then the minister left the room without a word."
    ));
    assert!(!is_whole(
        "The minister said \"we will not give up and we will"
    ));
    assert!(!is_whole("Short."));
    assert!(is_whole(
        "The minister said \"we will not give up\" on Monday."
    ));
    let mut a = article("c1", "Opinion", "2023-02-20", "A view", BANK);
    let first_len = BANK[0].chars().count();
    a.layers
        .insert("commentary".into(), vec![Span::new(0, first_len)]);
    let brief = build(
        &[StoryInput {
            story: 9,
            articles: vec![a],
            copies: vec![],
        }],
        &opts(),
    );
    let texts: Vec<&str> = brief.items[0]
        .sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(texts, [BANK[1]]);
}

#[test]
fn numbers_and_quotes_come_with_citations() {
    let mut a = article("q1", "Wire", "2023-02-18", "Earthquake hits Hatay", QUAKE);
    let text = a.text.clone();
    let find = |needle: &str| {
        let b = text.find(needle).unwrap();
        let start = text[..b].chars().count();
        (start, start + needle.chars().count())
    };
    let (s, e) = find("213 injured");
    let (ts, te) = find("Monday");
    a.layers.insert(
        "quantities".into(),
        vec![
            Span::new(s, e).with("value", 213.0).with("unit", "person"),
            Span::new(ts, te).with("value", 1.0).with("unit", "day"),
        ],
    );
    let (es, ee) = find("AFAD");
    a.layers.insert(
        "entities".into(),
        vec![Span::new(es, ee).with("label", "ORG")],
    );
    let (qs, qe) = find("Rescuers searched the rubble in Antakya");
    a.layers.insert(
        "quotes".into(),
        vec![Span::new(qs, qe)
            .with("kind", "direct")
            .with("speaker", "AFAD")
            .with("speaker_start", es)
            .with("speaker_end", ee)
            .with("cue", "said")],
    );
    let brief = build(
        &[StoryInput {
            story: 3,
            articles: vec![a],
            copies: vec![],
        }],
        &opts(),
    );
    let item = &brief.items[0];
    assert_eq!(item.numbers.len(), 1, "time units are not key numbers");
    assert_eq!(item.numbers[0].text, "213 injured");
    assert_eq!(
        (item.numbers[0].citation.start, item.numbers[0].citation.end),
        (s, e)
    );
    assert_eq!(item.quotes.len(), 1);
    assert_eq!(item.quotes[0].speaker, "AFAD");
    let md = to_markdown(&brief);
    assert!(md.contains("**Numbers:** 213 injured [1]"), "{md}");
    assert!(md.contains("(AFAD) [1]"), "{md}");
}

#[test]
fn day_numbers() {
    assert_eq!(day_number("1970-01-01"), Some(0));
    assert_eq!(day_number("2020-11-30T10:00:00Z"), Some(18_596));
    assert_eq!(day_number("2020"), None);
}
