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
        authors: Vec::new(),
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
            earlier: vec![],
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
            earlier: vec![],
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
            earlier: vec![],
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
            earlier: vec![],
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

/// The character span of `needle` in `a`'s text.
fn find(a: &BriefArticle, needle: &str) -> (usize, usize) {
    let b = a.text.find(needle).unwrap();
    let start = a.text[..b].chars().count();
    (start, start + needle.chars().count())
}

fn with_layer(mut a: BriefArticle, layer: &str, spans: Vec<Span>) -> BriefArticle {
    a.layers.insert(layer.to_owned(), spans);
    a
}

fn story(id: i64, articles: Vec<BriefArticle>) -> StoryInput {
    StoryInput {
        story: id,
        articles,
        ..StoryInput::default()
    }
}

const FLOOD_1: &[&str] = &[
    "Floods in the Spanish region of Valencia have killed 95 people, the regional government said on Monday.",
    "Rescue teams searched for missing residents in the town of Paiporta overnight.",
];
const FLOOD_2: &[&str] = &[
    "Floods in the Spanish region of Valencia have killed 211 people, the regional government said on Thursday.",
    "Prime Minister Pedro Sanchez announced an aid package for households in Paiporta.",
    "In October 1957, the Turia river burst its banks and flooded the city of Valencia.",
];

/// A flood article with its toll as a quantity, and its people.
fn flood(id: &str, source: &str, day: &str, title: &str, sentences: &[&str]) -> BriefArticle {
    let a = article(id, source, day, title, sentences);
    let value = if id == "f1" { 95.0 } else { 211.0 };
    let (s, e) = find(&a, &format!("{value} people"));
    let toll = Span::new(s, e).with("value", value).with("unit", "person");
    let mut names = Vec::new();
    if let Some(b) = a.text.find("Pedro Sanchez") {
        let start = a.text[..b].chars().count();
        names.push(Span::new(start, start + 13).with("label", "PER"));
    }
    let a = with_layer(a, "quantities", vec![toll]);
    with_layer(a, "entities", names)
}

fn flood_week_one() -> Vec<StoryInput> {
    vec![
        story(
            7,
            vec![flood(
                "f1",
                "Wire",
                "2024-11-04",
                "Floods in Valencia kill 95",
                FLOOD_1,
            )],
        ),
        story(
            8,
            vec![article(
                "b1",
                "Bank Paper",
                "2024-11-01",
                "ECB cuts rates",
                BANK,
            )],
        ),
    ]
}

fn flood_week_two(earlier: &BriefArticle) -> Vec<StoryInput> {
    let mut a = flood(
        "f2",
        "Wire",
        "2024-11-07",
        "Valencia flood toll rises to 211",
        FLOOD_2,
    );
    let (s, e) = find(&a, "October 1957");
    a.layers.insert(
        "timexes".into(),
        vec![Span::new(s, e)
            .with("type", "DATE")
            .with("value", "1957-10")],
    );
    let copy = BriefArticle {
        id: "f3".into(),
        source: Some("Gazette".into()),
        ..a.clone()
    };
    vec![
        StoryInput {
            story: 7,
            articles: vec![a, copy],
            copies: vec![("f2".into(), "f3".into())],
            earlier: vec![earlier.clone()],
        },
        story(
            9,
            vec![article(
                "q1",
                "Wire",
                "2024-11-07",
                "Earthquake hits Hatay",
                QUAKE,
            )],
        ),
    ]
}

fn week_opts(since: &str, until: &str) -> Options {
    Options {
        since: since.into(),
        until: until.into(),
        ..Options::default()
    }
}

#[test]
fn whats_new_keeps_only_changes_and_names_the_quiet_stories() {
    let week_one = flood_week_one();
    let first = build(&week_one, &week_opts("2024-10-30", "2024-11-05"));
    assert_eq!(first.items.len(), 2);
    let earlier = week_one[0].articles[0].clone();
    let previous = Previous {
        id: 1,
        created_at: "2024-11-05T18:00:00Z".into(),
        brief: first,
        articles: vec![earlier.clone(), week_one[1].articles[0].clone()],
    };
    let brief = build_since(
        &flood_week_two(&earlier),
        &week_opts("2024-11-05", "2024-11-07"),
        Some(&previous),
    );
    assert_eq!(brief.since_brief.as_ref().map(|p| p.id), Some(1));
    let flood = brief.items.iter().find(|i| i.story == 7).unwrap();
    let new = flood.whats_new.as_ref().unwrap();
    assert_eq!(new.status, Status::Continuing);
    // The restated toll is not a new fact, nor is 1957 (history).
    let facts: Vec<&str> = flood.sentences.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(facts, [FLOOD_2[1]]);
    let toll = &flood.numbers[0];
    assert_eq!(toll.value, Some(211.0));
    assert_eq!(toll.revised_from.as_ref().and_then(|r| r.value), Some(95.0));
    assert_eq!(toll.revised_from.as_ref().unwrap().citation.article, "f1");
    assert_eq!(new.outlets.len(), 1);
    assert_eq!(new.outlets[0].outlet, "Gazette");
    assert_eq!(new.entities.len(), 1);
    assert_eq!(new.entities[0].name, "Pedro Sanchez");
    // Background: the 1957 flood; not the story's first report, which the
    // earlier brief printed.
    let labels: Vec<&str> = flood.background.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["October 1957"]);
    assert_eq!(flood.earlier_sources.len(), 1);
    assert_eq!(flood.earlier_sources[0].id, "f1");
    let quake = brief.items.iter().find(|i| i.story == 9).unwrap();
    assert_eq!(quake.whats_new.as_ref().unwrap().status, Status::New);
    assert_eq!(brief.quiet.len(), 1);
    assert_eq!(brief.quiet[0].headline, "ECB cuts rates");
    let md = to_markdown(&brief);
    assert!(md.contains("(revised from 95 people [3])"), "{md}");
    assert!(
        md.contains("Quiet since brief 1 (to 2024-11-05): ECB cuts rates."),
        "{md}"
    );
    // A stored brief reads back as it was written.
    let json = serde_json::to_string(&brief).unwrap();
    let back: Brief = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn a_continuing_story_with_nothing_new_is_quiet() {
    let week_one = flood_week_one();
    let first = build(&week_one, &week_opts("2024-10-30", "2024-11-05"));
    let previous = Previous {
        id: 3,
        created_at: String::new(),
        brief: first,
        articles: week_one.iter().flat_map(|s| s.articles.clone()).collect(),
    };
    // The same articles again: nothing is new.
    let brief = build_since(
        &week_one,
        &week_opts("2024-10-30", "2024-11-05"),
        Some(&previous),
    );
    assert!(brief.items.is_empty(), "{:#?}", brief.items);
    assert_eq!(brief.quiet.len(), 2);
    assert!(to_markdown(&brief).contains("Nothing new was published in this window."));
}

#[test]
fn a_number_about_another_event_is_not_a_revision() {
    let mut a = article(
        "n1",
        "Wire",
        "2024-11-04",
        "Primary results",
        &["Sanders secured 40 delegates in the Nevada caucuses on Saturday, officials said."],
    );
    let (s, e) = find(&a, "40 delegates");
    a.layers.insert(
        "quantities".into(),
        vec![Span::new(s, e).with("value", 40.0).with("unit", "delegate")],
    );
    let mut b = article(
        "n2",
        "Wire",
        "2024-11-07",
        "Primary results",
        &["Biden won the South Carolina primary and took 54 delegates, far ahead of his rivals."],
    );
    let (s, e) = find(&b, "54 delegates");
    b.layers.insert(
        "quantities".into(),
        vec![Span::new(s, e).with("value", 54.0).with("unit", "delegate")],
    );
    let first = build(&[story(1, vec![a.clone()])], &opts());
    let previous = Previous {
        id: 1,
        created_at: String::new(),
        brief: first,
        articles: vec![a],
    };
    let brief = build_since(&[story(1, vec![b])], &opts(), Some(&previous));
    let n = &brief.items[0].numbers;
    assert_eq!(n.len(), 1);
    assert!(n[0].revised_from.is_none(), "{n:?}");
}

#[test]
fn off_topic_articles_of_a_story_make_their_own_item() {
    let stories = vec![story(
        4,
        vec![
            article("q1", "Wire", "2023-02-18", "Earthquake hits Hatay", QUAKE),
            article("b1", "Bank Paper", "2023-02-19", "ECB raises rates", BANK),
        ],
    )];
    let brief = build(&stories, &opts());
    assert_eq!(brief.items.len(), 2);
    for item in &brief.items {
        assert_eq!(item.sources.len(), 1, "{:#?}", item.sources);
    }
}

#[test]
fn background_dates_only_sentences_about_the_past() {
    use crate::background::{label, period};
    assert_eq!(label("2024-11", None).as_deref(), Some("November 2024"));
    assert_eq!(
        label("2024-11-21", Some("END")).as_deref(),
        Some("late 21 November 2024")
    );
    assert_eq!(label("2019-Q4", None).as_deref(), Some("Q4 2019"));
    assert_eq!(label("2022", Some("START")).as_deref(), Some("early 2022"));
    for bad in [
        "",
        "XXXX-11",
        "2024-13",
        "199",
        "2024-W47",
        "PRESENT_REF",
        "2024-11-99",
    ] {
        assert!(period(bad).is_none() || label(bad, None).is_none(), "{bad}");
    }
    assert_eq!(
        period("2024-02"),
        Some((
            day_number("2024-02-01").unwrap(),
            day_number("2024-02-29").unwrap()
        ))
    );
    assert_eq!(period("2023-Q4").map(|p| p.1), day_number("2023-12-31"));
    // "who ... in 2017" dates a side remark, not the sentence.
    let mut a = article(
        "t1",
        "Wire",
        "2020-11-26",
        "Transition",
        &[
            "President Trump, who appointed Murphy to her position in 2017, responded to her letter on Twitter.",
            "In 2017, the agency began reviewing its transition rules for incoming administrations.",
        ],
    );
    let (s1, e1) = find(&a, "2017,");
    let second = a.text.rfind("2017").unwrap();
    let s2 = a.text[..second].chars().count();
    a.layers.insert(
        "timexes".into(),
        vec![
            Span::new(s1, e1 - 1)
                .with("type", "DATE")
                .with("value", "2017"),
            Span::new(s2, s2 + 4)
                .with("type", "DATE")
                .with("value", "2017"),
        ],
    );
    let brief = build(&[story(5, vec![a])], &week_opts("2020-11-20", "2020-11-26"));
    let item = &brief.items[0];
    assert_eq!(item.background.len(), 1, "{:#?}", item.background);
    assert!(item.background[0].text.starts_with("In 2017, the agency"));
    assert_eq!(item.background[0].label, "2017");
    assert!(item
        .sentences
        .iter()
        .all(|s| !s.text.starts_with("In 2017")));
}

#[test]
fn html_escapes_every_interpolated_string() {
    let hostile = "<script>alert('x')</script> & \"q\"";
    let mut a = article(
        "h1",
        hostile,
        "2023-02-18",
        hostile,
        &[
            "The <b>mayor</b> of Springfield & his \"friends\" resigned on Thursday after a row.",
            "Comment: The <i>council</i> & the mayor's \"exit\" leave Springfield without a budget.",
        ],
    );
    a.url = Some("javascript:alert(1)".into());
    a.authors = vec![hostile.into()];
    let (s, e) = find(&a, "The <b>mayor</b>");
    let (c, _) = find(&a, "Comment:");
    a.layers.insert(
        "commentary".into(),
        vec![Span::new(c, a.text.chars().count()).with("kind", "marker")],
    );
    let mut b = article("h2", "Wire", "2023-02-18", "Other <i>story</i>", BANK);
    b.url = Some("https://example.org/?a=1&b=\"2\"".into());
    let mut brief = build(&[story(1, vec![a]), story(2, vec![b])], &opts());
    let cite = brief.items[0]
        .sentences
        .first()
        .map(|s| s.citations[0].clone());
    let cite = cite.unwrap_or(Citation {
        article: "h1".into(),
        start: s,
        end: e,
    });
    brief.items[0].quotes.push(Quote {
        text: hostile.into(),
        speaker: hostile.into(),
        cue: None,
        citation: cite.clone(),
    });
    brief.items[0].background.push(BackgroundLine {
        date: "\"><script>".into(),
        label: hostile.into(),
        text: hostile.into(),
        citations: vec![cite.clone()],
    });
    brief.since_brief = Some(PreviousRef {
        id: 1,
        created_at: hostile.into(),
        since: hostile.into(),
        until: hostile.into(),
    });
    brief.quiet.push(QuietStory {
        story: 3,
        headline: hostile.into(),
        citation: cite,
    });
    let html = to_html(&brief);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>") && !html.contains("<i>"));
    assert!(!html.contains("javascript:"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
    assert!(html.contains("href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\""));
    assert!(html.contains("Commentary by &lt;script&gt;"), "{html}");
    assert!(
        html.contains("<details>")
            || brief
                .items
                .iter()
                .all(|i| i.sources.iter().all(|s| s.copies.is_empty()))
    );
}

#[test]
fn html_folds_copies_and_links_citations() {
    let brief = build(&windows(), &opts());
    let html = to_html(&brief);
    assert!(
        html.contains("<details><summary>1 copy of this article</summary>"),
        "{html}"
    );
    assert!(
        html.contains("<a class=\"cite\" href=\"https://Wire.example/q1\""),
        "{html}"
    );
    assert!(html.contains("data-article=\"q1\""));
    assert!(html.contains("<code>id q1</code>"));
}

#[test]
fn bad_layers_do_not_panic() {
    let mut a = article("x1", "Wire", "2023-02-18", "Earthquake hits Hatay", QUAKE);
    let n = a.text.chars().count();
    for layer in ["quantities", "entities", "quotes", "commentary", "timexes"] {
        a.layers.insert(
            layer.into(),
            vec![
                Span::new(n + 5, n + 10)
                    .with("unit", "person")
                    .with("value", 3.0),
                Span::new(10, 2).with("label", "PER").with("type", "DATE"),
                Span::new(0, n)
                    .with("value", "9999-99-99")
                    .with("type", "DATE")
                    .with("kind", "marker"),
                Span::new(0, 0).with("speaker", 7).with("speaker_start", -1),
            ],
        );
    }
    a.layers.insert(
        "sentences".into(),
        vec![Span::new(n, n + 3), Span::new(5, 1)],
    );
    let empty = BriefArticle {
        id: "x2".into(),
        ..BriefArticle::default()
    };
    let stories = vec![story(1, vec![a.clone(), empty.clone()]), story(2, vec![])];
    let brief = build(&stories, &Options::default());
    let _ = (to_markdown(&brief), to_html(&brief));
    let previous = Previous {
        id: 1,
        created_at: String::new(),
        brief,
        articles: vec![a, empty],
    };
    let again = build_since(&stories, &week_opts("x", "2023-13-45"), Some(&previous));
    let _ = (to_markdown(&again), to_html(&again));
}

#[test]
fn background_draws_on_the_storys_earlier_articles() {
    let mut first = article(
        "e1",
        "Wire",
        "2023-02-06",
        "Earthquakes devastate Turkey and Syria",
        &["Two earthquakes of magnitude 7.8 and 7.5 struck southern Turkey and northern Syria, killing thousands."],
    );
    first.layers.insert("timexes".into(), Vec::new());
    let mut latest = article(
        "e2",
        "Daily",
        "2023-02-10",
        "Rescuers pull survivors from rubble",
        &["Rescuers pulled a family from the rubble of a building in Antakya on Thursday, officials said."],
    );
    let (s, e) = find(&latest, "Thursday");
    latest.layers.insert(
        "timexes".into(),
        vec![Span::new(s, e)
            .with("type", "DATE")
            .with("value", "2023-02-09")],
    );
    let stories = vec![StoryInput {
        story: 2,
        articles: vec![article(
            "q1",
            "Wire",
            "2023-02-18",
            "Earthquake hits Hatay",
            QUAKE,
        )],
        copies: vec![],
        earlier: vec![first, latest],
    }];
    let item = &build(&stories, &opts()).items[0];
    let lines: Vec<(&str, &str)> = item
        .background
        .iter()
        .map(|b| (b.label.as_str(), b.citations[0].article.as_str()))
        .collect();
    // Dated by its own "Thursday" when it has one, else by publication.
    assert_eq!(
        lines,
        [("6 February 2023", "e1"), ("9 February 2023", "e2")]
    );
    let earlier: Vec<&str> = item.earlier_sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(earlier, ["e1", "e2"]);
    let md = to_markdown(&item_brief(item));
    assert!(
        md.contains("Earlier coverage:\n\n- [2] Wire, 2023-02-06"),
        "{md}"
    );
}

fn item_brief(item: &Item) -> Brief {
    Brief {
        since: "2023-02-14".into(),
        until: "2023-02-20".into(),
        stories: 1,
        items: vec![item.clone()],
        since_brief: None,
        quiet: Vec::new(),
    }
}
