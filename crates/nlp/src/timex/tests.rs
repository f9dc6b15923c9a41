use super::*;
use dossier_core::{DateMethod, DateValue};

/// Thursday 2019-11-21.
fn anchor() -> Option<Date> {
    Some(Date::new(2019, 11, 21).unwrap())
}

/// (text, type, value, mod) of every timex.
fn tag(text: &str, anchor: Option<Date>) -> Vec<(String, String, String, String)> {
    find_timexes(text, anchor)
        .into_iter()
        .map(|t| {
            (
                text[t.start..t.end].to_string(),
                t.kind.to_string(),
                t.value,
                t.modifier.unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn one(text: &str, anchor: Option<Date>) -> (String, String, String, String) {
    let all = tag(text, anchor);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    all.into_iter().next().unwrap()
}

fn val(text: &str) -> (String, String) {
    let (t, _, v, _) = one(text, anchor());
    (t, v)
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn weekdays_follow_the_tense() {
    // Past tense: the Wednesday before the Thursday anchor.
    assert_eq!(
        val("The minister resigned on Wednesday."),
        pair("Wednesday", "2019-11-20")
    );
    assert_eq!(
        val("Talks collapsed on Friday."),
        pair("Friday", "2019-11-15")
    );
    // Future tense: the next one.
    assert_eq!(
        val("The minister will resign on Wednesday."),
        pair("Wednesday", "2019-11-27")
    );
    assert_eq!(
        val("Parliament will vote on Friday."),
        pair("Friday", "2019-11-22")
    );
    // The anchor's own weekday is the anchor day.
    assert_eq!(val("He spoke Thursday."), pair("Thursday", "2019-11-21"));
    assert_eq!(
        val("They met last Monday."),
        pair("last Monday", "2019-11-18")
    );
    let (_, kind, value, _) = one("He left Friday night.", anchor());
    assert_eq!((kind.as_str(), value.as_str()), ("TIME", "2019-11-15TNI"));
}

#[test]
fn deictic_days_and_relative_units() {
    assert_eq!(val("He said yesterday."), pair("yesterday", "2019-11-20"));
    assert_eq!(val("It opens today."), pair("today", "2019-11-21"));
    assert_eq!(val("It opens tomorrow."), pair("tomorrow", "2019-11-22"));
    assert_eq!(
        val("Prices rose last month."),
        pair("last month", "2019-10")
    );
    assert_eq!(
        val("Prices will rise next month."),
        pair("next month", "2019-12")
    );
    assert_eq!(val("Talks began this week."), pair("this week", "2019-W47"));
    assert_eq!(val("Sales fell last year."), pair("last year", "2018"));
    assert_eq!(
        val("Sales fell last quarter."),
        pair("last quarter", "2019-Q3")
    );
    assert_eq!(
        val("It happened two years ago."),
        pair("two years ago", "2017")
    );
    assert_eq!(
        val("It happened three weeks ago."),
        pair("three weeks ago", "2019-W44")
    );
}

#[test]
fn month_day_forms() {
    assert_eq!(
        val("The vote was on Nov. 21."),
        pair("Nov. 21", "2019-11-21")
    );
    assert_eq!(
        val("The vote is set for September 8th."),
        pair("September 8th", "2019-09-08")
    );
    assert_eq!(
        val("It was signed on March 3, 2014."),
        pair("March 3, 2014", "2014-03-03")
    );
    assert_eq!(
        val("It was signed on 3 March 2014."),
        pair("3 March 2014", "2014-03-03")
    );
    assert_eq!(
        val("It rose in January 2018."),
        pair("January 2018", "2018-01")
    );
    // Without a year: the nearest occurrence, unless the tense says otherwise
    // (a past-tense date more than two months ahead is last year's).
    assert_eq!(
        val("The fund pays on Dec. 2."),
        pair("Dec. 2", "2019-12-02")
    );
    assert_eq!(
        val("The firm was founded on Feb. 2."),
        pair("Feb. 2", "2019-02-02")
    );
    // Future tense, an earlier month: next year.
    assert_eq!(val("It will open on Jan. 5."), pair("Jan. 5", "2020-01-05"));
    assert_eq!(
        val("It happened on 2019-11-02."),
        pair("2019-11-02", "2019-11-02")
    );
}

#[test]
fn year_unknown_without_anchor() {
    let (_, _, v, _) = one("The law took effect on September 17.", None);
    assert_eq!(v, "XXXX-09-17");
    let (_, _, v, _) = one("It rained yesterday.", None);
    assert_eq!(v, "XXXX-XX-XX");
}

#[test]
fn an_earlier_date_in_the_text_anchors_what_follows() {
    let all = tag(
        "On March 3, 2014, talks began. Two days later, on Wednesday, they failed.",
        None,
    );
    let values: Vec<&str> = all.iter().map(|t| t.2.as_str()).collect();
    // 2014-03-03 is a Monday; "two days later" is the 5th; Wednesday (past) is the 5th.
    assert_eq!(
        values,
        ["2014-03-03", "2014-03-05", "2014-03-05"],
        "{all:?}"
    );
}

#[test]
fn parts_and_modifiers() {
    let (t, k, v, m) = one("Prices fell in late February.", anchor());
    assert_eq!(
        (t.as_str(), k.as_str(), v.as_str(), m.as_str()),
        ("late February", "DATE", "2019-02", "END")
    );
    let (t, _, v, m) = one("A vote is due in early 2024.", anchor());
    assert_eq!(
        (t.as_str(), v.as_str(), m.as_str()),
        ("early 2024", "2024", "START")
    );
    let (t, _, v, m) = one("Sales rose earlier this year.", anchor());
    assert_eq!(
        (t.as_str(), v.as_str(), m.as_str()),
        ("earlier this year", "2019", "START")
    );
    let (t, _, v, m) = one("Growth slowed in the mid-1990s.", anchor());
    assert_eq!(
        (t.as_str(), v.as_str(), m.as_str()),
        ("the mid-1990s", "199", "MID")
    );
    let (t, _, v, _) = one("Growth slowed in the 1990s.", anchor());
    assert_eq!((t.as_str(), v.as_str()), ("the 1990s", "199"));
    let (t, _, v, m) = one("It ends at the end of 2019.", anchor());
    assert_eq!(
        (t.as_str(), v.as_str(), m.as_str()),
        ("the end of 2019", "2019", "END")
    );
    assert_eq!(
        val("Profit rose in the fourth quarter of 2019."),
        pair("the fourth quarter of 2019", "2019-Q4")
    );
    assert_eq!(
        val("Profit will rise in the second half."),
        pair("the second half", "2019-H2")
    );
    assert_eq!(
        val("It snowed last winter."),
        pair("last winter", "2018-WI")
    );
}

#[test]
fn references() {
    for (text, expr, value) in [
        ("Prices are now falling.", "now", "PRESENT_REF"),
        ("Prices fell in recent years.", "recent years", "PAST_REF"),
        ("He recently left.", "recently", "PAST_REF"),
        ("It will happen in the future.", "the future", "FUTURE_REF"),
        ("It happened years ago.", "years ago", "PAST_REF"),
    ] {
        assert_eq!(val(text), pair(expr, value), "{text}");
    }
}

#[test]
fn durations() {
    for (text, expr, value) in [
        ("They held two days of talks.", "two days", "P2D"),
        ("It took 3 hours.", "3 hours", "PT3H"),
        (
            "Prices rose over the past three years.",
            "the past three years",
            "P3Y",
        ),
        ("He served for a year.", "a year", "P1Y"),
        ("A five-year plan.", "five-year", "P5Y"),
        ("It lasted twenty-four hours.", "twenty-four hours", "PT24H"),
        ("It lasted several weeks.", "several weeks", "PXW"),
        ("It lasted two decades.", "two decades", "P20Y"),
        ("In the past year prices fell.", "the past year", "P1Y"),
    ] {
        let (t, k, v, _) = one(text, anchor());
        assert_eq!(
            (t.as_str(), k.as_str(), v.as_str()),
            (expr, "DURATION", value),
            "{text}"
        );
    }
    let (t, _, v, m) = one("It took more than two years.", anchor());
    assert_eq!(
        (t.as_str(), v.as_str(), m.as_str()),
        ("more than two years", "P2Y", "MORE_THAN")
    );
}

#[test]
fn sets() {
    for (text, expr, value) in [
        ("It is published weekly.", "weekly", "P1W"),
        ("He runs every day.", "every day", "P1D"),
        ("The market opens on Mondays.", "Mondays", "XXXX-WXX-1"),
        ("They meet twice a month.", "twice a month", "P1M"),
    ] {
        let (t, k, v, _) = one(text, anchor());
        assert_eq!(
            (t.as_str(), k.as_str(), v.as_str()),
            (expr, "SET", value),
            "{text}"
        );
    }
}

#[test]
fn ranges_give_two_dates() {
    let all = tag("Output doubled from 2010 to 2015.", anchor());
    let got: Vec<(&str, &str)> = all.iter().map(|t| (t.0.as_str(), t.2.as_str())).collect();
    assert_eq!(got, [("2010", "2010"), ("2015", "2015")]);
    let all = tag("In the 1990-91 season, and in 2003-2004.", anchor());
    let got: Vec<&str> = all.iter().map(|t| t.2.as_str()).collect();
    assert_eq!(got, ["1990", "1991", "2003", "2004"]);
}

#[test]
fn clock_times() {
    let (t, k, v, _) = one("The blast came at 7:15 p.m. local time.", anchor());
    assert_eq!(
        (t.as_str(), k.as_str(), v.as_str()),
        ("7:15 p.m.", "TIME", "2019-11-21T19:15")
    );
    let (t, k, v, _) = one("The session ends tonight.", anchor());
    assert_eq!(
        (t.as_str(), k.as_str(), v.as_str()),
        ("tonight", "TIME", "2019-11-21TNI")
    );
}

#[test]
fn not_times() {
    for text in [
        "He paid $1999 for 2000 shares.",
        "May I come in?",
        "They march on.",
        "The 1,990 people in their forties.",
        "",
    ] {
        assert!(
            tag(text, anchor()).is_empty(),
            "{text}: {:?}",
            tag(text, anchor())
        );
    }
}

#[test]
fn layer_uses_character_offsets() {
    let text = "Токаев заявил — «в среду» — that on Wednesday, Nov. 20 talks began.";
    let published = DateValue::new("2019-11-21T10:00:00Z", DateMethod::Declared, 1.0);
    let ctx = Context {
        published: Some(&published),
        language: None,
    };
    let layer = timex_layer(text, &ctx);
    assert_eq!(layer.name, "timexes");
    assert_eq!(layer.component.name, "nlp-timex");
    assert!(layer.spans_fit(text.chars().count()));
    let span = &layer.spans[0];
    let chars: Vec<char> = text.chars().collect();
    let covered: String = chars[span.start..span.end].iter().collect();
    assert_eq!(covered, "Wednesday, Nov. 20");
    assert_eq!(span.fields["text"], "Wednesday, Nov. 20");
    assert_eq!(span.fields["value"], "2019-11-20");
    assert_eq!(span.fields["type"], "DATE");
    assert!(!span.fields.contains_key("mod"));
    assert_eq!(
        span.start,
        text[..text.find("Wednesday").unwrap()].chars().count()
    );
}

#[test]
fn random_input_never_panics() {
    // Deterministic xorshift over a vocabulary of tricky pieces.
    let pieces = [
        "the",
        "past",
        "last",
        "next",
        "early",
        "mid",
        "-",
        "'",
        ".",
        ",",
        "/",
        ":",
        "Nov",
        "May",
        "March",
        "2019",
        "1990s",
        "'90s",
        "99",
        "31",
        "0",
        "4294967295",
        "99999999999",
        "21st",
        "Q3",
        "quarter",
        "half",
        "third",
        "year",
        "years",
        "ago",
        "a",
        "an",
        "couple",
        "of",
        "twenty",
        "four",
        "hundred",
        "every",
        "Mondays",
        "Friday",
        "p",
        "m",
        "a.m.",
        "o",
        "clock",
        "Christmas",
        "New",
        "Year",
        "s",
        "end",
        "fiscal",
        "9999",
        "1000",
        "2199",
        "Токаев",
        "東京",
        "\n\n",
        " ",
        "more",
        "than",
        "at",
        "least",
        "or",
        "so",
        "later",
        "from",
        "now",
        "summer",
        "the",
        "end",
        "of",
        "twice",
        "times",
        "per",
        "decade",
        "centuries",
        "Thanksgiving",
    ];
    let mut rng = dossier_core::SplitMix64::new(0x9E37_79B9_7F4A_7C15);
    let seps = ["", " ", " ", " ", "-", "."];
    let dates = [
        None,
        anchor(),
        Date::new(-9999, 1, 1).ok(),
        Date::new(9999, 12, 31).ok(),
    ];
    for round in 0..3000 {
        let mut text = String::new();
        let len = (round % 40) + 1;
        for _ in 0..len {
            let x = rng.next_u64();
            text.push_str(pieces[(x % pieces.len() as u64) as usize]);
            text.push_str(seps[((x >> 20) % seps.len() as u64) as usize]);
        }
        let a = dates[round % dates.len()];
        for t in find_timexes(&text, a) {
            assert!(t.start < t.end && t.end <= text.len());
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
    }
    // Random bytes as lossy UTF-8 too.
    for round in 0..500u64 {
        let bytes: Vec<u8> = (0..200)
            .map(|_| (rng.next_u64() >> (round % 50)) as u8)
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        let _ = find_timexes(&text, anchor());
    }
}

#[test]
fn colloquial_points_and_durations() {
    // Thursday 2019-11-21 anchor: the weekend before is 2019-W46.
    assert_eq!(
        val("Officials met over the weekend."),
        pair("the weekend", "2019-W46-WE")
    );
    assert_eq!(val("Sales rose for the year."), pair("the year", "P1Y"));
    assert_eq!(
        val("Profit rose during the year."),
        pair("the year", "2019")
    );
    assert_eq!(val("They have argued for years."), pair("years", "PXY"));
    assert_eq!(val("Troops arrive within weeks."), pair("weeks", "PXW"));
    assert_eq!(
        val("Stocks fell overnight."),
        pair("overnight", "2019-11-20TNI")
    );
    assert_eq!(
        val("By mid afternoon, talks resumed."),
        pair("mid afternoon", "2019-11-21TAF")
    );
    assert_eq!(
        val("He appeared in court the next morning."),
        pair("the next morning", "2019-11-22")
    );
}

#[test]
fn earnings_year_ago_takes_the_quarter() {
    // Anchor in Q4 2019: the reported quarter is Q3, a year earlier 2018-Q3.
    assert_eq!(
        val("Quarter profit rose from $5 million a year ago."),
        pair("a year ago", "2018-Q3")
    );
    let all = tag(
        "Net rose in the quarter, compared with year-earlier net.",
        anchor(),
    );
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0].2, "2019-Q3");
    assert_eq!(all[1].0, "year-earlier");
    assert_eq!(all[1].2, "2018-Q3");
    // Without a quarter, the year before.
    assert_eq!(val("He left a year ago."), pair("a year ago", "2018"));
}

#[test]
fn clock_times_take_a_named_day() {
    assert_eq!(
        val("The vote ended at noon Tuesday."),
        pair("noon Tuesday", "2019-11-19T12:00")
    );
    let all = tag("The blast hit Tuesday at 10:35 a.m.", anchor());
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1].0, "10:35 a.m.");
    assert_eq!(all[1].2, "2019-11-19T10:35");
}
