use std::collections::BTreeMap;

use dossier_core::Span;

use super::*;

/// An article whose sentences are given one by one; `dates` marks a phrase
/// inside a sentence as a timex with a value.
fn article(
    id: &str,
    source: &str,
    day: Option<&str>,
    sentences: &[&str],
    dates: &[(&str, &str)],
) -> BriefArticle {
    let text = sentences.join(" ");
    let mut sents = Vec::new();
    let mut at = 0;
    for s in sentences {
        let n = s.chars().count();
        sents.push(Span::new(at, at + n));
        at += n + 1;
    }
    let mut timexes = Vec::new();
    for (phrase, value) in dates {
        let byte = text.find(phrase).expect("phrase in text");
        let start = text[..byte].chars().count();
        timexes.push(
            Span::new(start, start + phrase.chars().count())
                .with("type", "DATE")
                .with("value", *value)
                .with("text", *phrase),
        );
    }
    let mut layers = BTreeMap::new();
    layers.insert("sentences".to_owned(), sents);
    layers.insert("timexes".to_owned(), timexes);
    BriefArticle {
        id: id.to_owned(),
        title: format!("Title of {id}"),
        source: Some(source.to_owned()),
        url: Some(format!("https://{source}.example/{id}")),
        published: day.map(str::to_owned),
        text,
        layers,
        ..BriefArticle::default()
    }
}

fn corpus() -> Vec<BriefArticle> {
    vec![
        article(
            "a1",
            "wire",
            Some("2010-01-13"),
            &[
                "A magnitude 7.0 earthquake struck Haiti on Tuesday near the capital Port-au-Prince.",
                "Thousands of buildings collapsed and many people are feared dead in the city.",
                "The president said the national palace had been destroyed.",
            ],
            &[("on Tuesday", "2010-01-12")],
        ),
        article(
            "a2",
            "daily",
            Some("2010-01-14"),
            &[
                "Rescuers searched the rubble of Port-au-Prince after the earthquake of January 12.",
                "Aid flights began arriving at the damaged airport on Thursday with water and food.",
            ],
            &[("January 12", "2010-01-12"), ("on Thursday", "2010-01-14")],
        ),
        article(
            "a3",
            "paper",
            Some("2010-02-01"),
            &[
                "The January 12 earthquake killed more than 150,000 people, the government said.",
                "A donors conference will open in New York on March 31 to raise reconstruction money.",
            ],
            &[("January 12", "2010-01-12"), ("March 31", "2010-03-31")],
        ),
    ]
}

#[test]
fn day_strings_invert_day_numbers() {
    for day in [
        "1970-01-01",
        "2000-02-29",
        "2010-01-12",
        "1969-12-31",
        "2024-12-31",
    ] {
        assert_eq!(day_string(day_number(day).unwrap()), day);
    }
    assert_eq!(timex_day("2010-01-12"), day_number("2010-01-12"));
    assert_eq!(timex_day("2010-01-12T14:00"), day_number("2010-01-12"));
    assert_eq!(timex_day("2010-01-12TEV"), day_number("2010-01-12"));
    for not_a_day in [
        "2010-01",
        "2010-W02",
        "XXXX-01-12",
        "2010",
        "P2D",
        "PRESENT_REF",
        "2010-01-1x",
        "",
    ] {
        assert_eq!(timex_day(not_a_day), None, "{not_a_day}");
    }
}

#[test]
fn events_are_dated_by_the_text_and_ranked_by_references() {
    let tl = build(
        &corpus(),
        &Options {
            max_dates: 2,
            sentences_per_date: 1,
            ..Options::default()
        },
    );
    let dates: Vec<&str> = tl.events.iter().map(|e| e.date.as_str()).collect();
    // 2010-01-12 is named by all three articles, two of them later: most
    // important. It is never a publication day.
    assert!(dates.contains(&"2010-01-12"), "{dates:?}");
    let quake = tl.events.iter().find(|e| e.date == "2010-01-12").unwrap();
    assert_eq!(quake.rank, 1);
    assert_eq!(quake.signals.articles, 3);
    assert_eq!(quake.signals.later_articles, 3);
    assert_eq!(quake.signals.published, 0);
    let s = &quake.sentences[0];
    assert_eq!(s.dated_by, DatedBy::Timex);
    assert!(s.timex.is_some());
    // The citation points at the sentence in its article.
    let c = &s.citations[0];
    let a = corpus().into_iter().find(|a| a.id == c.article).unwrap();
    let cited: String = a.text.chars().skip(c.start).take(c.end - c.start).collect();
    assert_eq!(cited, s.text);
    assert_eq!(c.source.as_deref(), a.source.as_deref());
    assert_eq!(c.url, a.url);
    // Events come in date order; sources list every cited article.
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted);
    for e in &tl.events {
        for s in &e.sentences {
            for c in &s.citations {
                assert!(tl.sources.iter().any(|x| x.id == c.article));
            }
        }
    }
    assert_eq!(tl.first.as_deref(), dates.first().copied());
}

#[test]
fn window_keywords_and_limits() {
    let all = corpus();
    let opts = Options {
        since: Some("2010-03-01".into()),
        until: Some("2010-12-31".into()),
        ..Options::default()
    };
    let tl = build(&all, &opts);
    let dates: Vec<&str> = tl.events.iter().map(|e| e.date.as_str()).collect();
    assert_eq!(dates, ["2010-03-31"]);
    // Keywords filter sentences.
    let tl = build(
        &all,
        &Options {
            keywords: vec!["DONORS".into()],
            ..Options::default()
        },
    );
    assert!(tl
        .events
        .iter()
        .flat_map(|e| &e.sentences)
        .all(|s| s.text.to_lowercase().contains("donors")));
    assert_eq!(tl.events.len(), 1);
    // N = 0 and K = 0 give no events, and do not panic.
    for (n, k) in [(0, 2), (3, 0)] {
        let tl = build(
            &all,
            &Options {
                max_dates: n,
                sentences_per_date: k,
                ..Options::default()
            },
        );
        assert!(tl.events.is_empty());
        assert!(!tl.coverage.bins.is_empty());
    }
}

#[test]
fn no_sentence_is_used_twice() {
    let tl = build(
        &corpus(),
        &Options {
            max_dates: 10,
            sentences_per_date: 2,
            ..Options::default()
        },
    );
    let mut texts: Vec<&str> = tl
        .events
        .iter()
        .flat_map(|e| &e.sentences)
        .map(|s| s.text.as_str())
        .collect();
    let n = texts.len();
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(texts.len(), n);
}

#[test]
fn lead_sentences_stand_for_the_publication_day() {
    let a = article(
        "p1",
        "wire",
        Some("2020-05-05"),
        &["Parliament approved the new budget after a long night of debate in the capital."],
        &[],
    );
    let tl = build(&[a], &Options::default());
    let dates: Vec<&str> = tl.events.iter().map(|e| e.date.as_str()).collect();
    assert!(dates.contains(&"2020-05-05"), "{dates:?}");
    let e = tl.events.iter().find(|e| e.date == "2020-05-05").unwrap();
    assert_eq!(e.sentences[0].dated_by, DatedBy::Published);
    assert_eq!(e.sentences[0].timex, None);
}

#[test]
fn empty_and_undated_inputs_do_not_panic() {
    let tl = build(&[], &Options::default());
    assert!(tl.events.is_empty() && tl.coverage.bins.is_empty());
    assert!(to_svg(&tl).contains("No dated articles"));
    assert!(to_markdown(&tl).contains("No dated events"));
    let _ = to_html(&tl);
    let undated = article(
        "u",
        "x",
        None,
        &["Something happened somewhere at some point in time."],
        &[],
    );
    let garbage = BriefArticle {
        id: "g".into(),
        text: "short".into(),
        published: Some("not a date".into()),
        layers: BTreeMap::from([
            (
                "sentences".to_owned(),
                vec![Span::new(3, 99), Span::new(4, 2)],
            ),
            (
                "timexes".to_owned(),
                vec![Span::new(0, 500).with("value", "2020-01-01")],
            ),
        ]),
        ..BriefArticle::default()
    };
    let tl = build(&[undated, garbage], &Options::default());
    assert!(tl.events.is_empty());
    assert_eq!(tl.coverage.undated, 2);
}

#[test]
fn coverage_buckets_follow_the_range() {
    let days = |v: &[&str]| v.iter().map(|d| day_number(d)).collect::<Vec<_>>();
    let c = coverage(&days(&["2010-01-12", "2010-01-12", "2010-01-14"]), &[]);
    assert_eq!(c.bucket, Bucket::Day);
    assert_eq!(c.bins.len(), 3);
    assert_eq!(
        c.bins.iter().map(|b| b.articles).collect::<Vec<_>>(),
        [2, 0, 1]
    );
    let c = coverage(&days(&["2010-01-01", "2010-06-30"]), &[]);
    assert_eq!(c.bucket, Bucket::Week);
    // 2009-12-28 is the Monday of 2010-01-01's week.
    assert_eq!(c.bins[0].start, "2009-12-28");
    assert_eq!(c.bins[0].end, "2010-01-03");
    let c = coverage(
        &days(&["2008-09-15", "2010-01-01"]),
        &[day_number("2007-02-10").unwrap()],
    );
    assert_eq!(c.bucket, Bucket::Month);
    assert_eq!(c.bins[0].start, "2007-02-01");
    assert_eq!(c.bins[0].end, "2007-02-28");
    assert_eq!(c.bins.last().unwrap().start, "2010-01-01");
    assert_eq!(c.bins.iter().map(|b| b.articles).sum::<usize>(), 2);
    let c = coverage(&days(&["1990-01-01", "2020-01-01"]), &[]);
    assert_eq!(c.bucket, Bucket::Year);
    assert_eq!(c.bins.len(), 31);
}

#[test]
fn html_and_svg_escape_text() {
    let mut a = article(
        "x<1>",
        "A&B <script>",
        Some("2011-03-11"),
        &["The \"tsunami\" <b>hit</b> Sendai & Fukushima on Friday, officials said."],
        &[("on Friday", "2011-03-11")],
    );
    a.url = Some("javascript:alert('x')".into());
    a.title = "<img src=x onerror=alert(1)>".into();
    let tl = build(
        &[a],
        &Options {
            subject: "topic <Japan> & \"quake\"".into(),
            ..Options::default()
        },
    );
    assert_eq!(tl.events.len(), 1);
    let svg = to_svg(&tl);
    let html = to_html(&tl);
    for doc in [&svg, &html] {
        assert!(!doc.contains("<b>hit"), "{doc}");
        assert!(!doc.contains("<script>"), "{doc}");
        assert!(!doc.contains("<img"), "{doc}");
        assert!(doc.contains("&lt;b&gt;hit&lt;/b&gt;"), "{doc}");
        assert!(doc.contains("Sendai &amp; Fukushima"), "{doc}");
    }
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<g>").count(), svg.matches("</g>").count() - 1);
}

#[test]
fn knee_of_a_curve() {
    assert_eq!(knee(&[]), 0);
    assert_eq!(knee(&[0.5]), 0);
    assert_eq!(knee(&[0.9, 0.8, 0.2, 0.1, 0.05]), 2);
    assert_eq!(knee(&[0.3, 0.3, 0.3]), 0);
}
