use super::*;

/// (content, kind, speaker mention, resolved, cue) for each quote.
fn run(text: &str) -> Vec<(String, &'static str, String, Option<String>, String)> {
    find_quotes(text)
        .into_iter()
        .map(|q| {
            let s =
                |r: Option<(usize, usize)>| r.map_or(String::new(), |(a, b)| text[a..b].to_owned());
            (
                text[q.start..q.end].to_owned(),
                q.kind.as_str(),
                s(q.speaker),
                q.resolved.clone(),
                s(q.cue),
            )
        })
        .collect()
}

fn one(text: &str) -> (String, &'static str, String, Option<String>, String) {
    let quotes = run(text);
    assert_eq!(quotes.len(), 1, "{text:?} gave {quotes:?}");
    quotes.into_iter().next().unwrap()
}

#[test]
fn every_quotation_mark_style() {
    let cases = [
        "“We will not retreat from this plan,” Smith said.",
        "\"We will not retreat from this plan,\" Smith said.",
        "«We will not retreat from this plan», Smith said.",
        "„We will not retreat from this plan“, Smith said.",
        "‘We will not retreat from this plan,’ Smith said.",
        "'We will not retreat from this plan,' Smith said.",
        "»We will not retreat from this plan«, Smith said.",
        "「We will not retreat from this plan」, Smith said.",
    ];
    for text in cases {
        let (content, kind, speaker, _, cue) = one(text);
        assert!(
            content.starts_with("We will not retreat from this plan"),
            "{text}: {content}"
        );
        assert!(
            !content.contains(['“', '”', '"', '«', '»', '„', '「']),
            "{content}"
        );
        assert_eq!(kind, "direct", "{text}");
        assert_eq!(speaker, "Smith", "{text}");
        assert_eq!(cue, "said", "{text}");
    }
}

#[test]
fn apostrophes_inside_single_quotes() {
    let (content, _, speaker, _, _) =
        one("‘We don’t need their money, and we won’t take it,’ said Jane O’Neil.");
    assert_eq!(content, "We don’t need their money, and we won’t take it,");
    assert_eq!(speaker, "Jane O’Neil");
}

#[test]
fn speaker_after_the_quote() {
    let (c, k, s, _, cue) =
        one("“The economy is growing faster than expected,” said Kassym-Jomart Tokayev.");
    assert_eq!(c, "The economy is growing faster than expected,");
    assert_eq!(
        (k, s.as_str(), cue.as_str()),
        ("direct", "Kassym-Jomart Tokayev", "said")
    );
    let (_, _, s, _, cue) =
        one("“The economy is growing faster than expected,” Kassym-Jomart Tokayev told reporters.");
    assert_eq!(
        (s.as_str(), cue.as_str()),
        ("Kassym-Jomart Tokayev", "told reporters")
    );
}

#[test]
fn speaker_before_the_quote() {
    let (c, k, s, _, cue) =
        one("President Kassym-Jomart Tokayev said: “The reforms will continue next year.”");
    assert_eq!(c, "The reforms will continue next year.");
    assert_eq!(k, "direct");
    assert_eq!(s, "President Kassym-Jomart Tokayev");
    assert_eq!(cue, "said");
}

#[test]
fn pronoun_resolves_to_previous_named_speaker() {
    let text =
        "Angela Merkel said the talks had failed. \"We will try again next month,\" she said.";
    let quotes = run(text);
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert_eq!(quotes[0].2, "Angela Merkel");
    assert_eq!(quotes[0].1, "indirect");
    assert_eq!(quotes[1].0, "We will try again next month,");
    assert_eq!(quotes[1].2, "she");
    assert_eq!(quotes[1].3.as_deref(), Some("Angela Merkel"));
    // And the layer reports both the resolved name and the mention.
    let layer = quotes_layer(text);
    let span = &layer.spans[1];
    assert_eq!(span.fields["speaker"], "Angela Merkel");
    assert_eq!(span.fields["speaker_mention"], "she");
}

#[test]
fn description_resolves_to_previous_named_speaker() {
    let text = "Dmitry Peskov said the report was false. The spokesman added that the Kremlin would not comment further.";
    let quotes = run(text);
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert_eq!(quotes[1].2, "The spokesman");
    assert_eq!(quotes[1].3.as_deref(), Some("Dmitry Peskov"));
    assert_eq!(quotes[1].4, "added");
    assert_eq!(quotes[1].0, "that the Kremlin would not comment further");
}

#[test]
fn multi_paragraph_quote() {
    let text = "Smith said:\n\n“The first part of the statement runs here.\n\n“And the second part continues here,” he added.\n\nThen it ended.";
    let quotes = run(text);
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert_eq!(
        quotes[0].0,
        "The first part of the statement runs here.\n\n“And the second part continues here,"
    );
    assert_eq!(quotes[0].1, "direct");
}

#[test]
fn quote_alone_after_colon_paragraph() {
    let text = "Cruz continued:\n\n“You look at the questions and you see what they want.”";
    let (c, _, s, _, cue) = one(text);
    assert_eq!(c, "You look at the questions and you see what they want.");
    assert_eq!((s.as_str(), cue.as_str()), ("Cruz", "continued"));
}

#[test]
fn indirect_speech_forms() {
    let (c, k, s, _, cue) =
        one("According to the health ministry, 40 people were killed in the attack.");
    assert_eq!(c, "40 people were killed in the attack");
    assert_eq!(
        (k, s.as_str(), cue.as_str()),
        ("indirect", "the health ministry", "According to")
    );

    let (c, _, s, _, cue) = one("Forty people were killed in the attack, according to officials.");
    assert_eq!(c, "Forty people were killed in the attack");
    assert_eq!((s.as_str(), cue.as_str()), ("officials", "according to"));

    let (c, _, s, _, _) =
        one("The minister said on Tuesday the plan would be delayed until spring.");
    assert_eq!(c, "the plan would be delayed until spring");
    assert_eq!(s, "The minister");

    let (c, _, s, _, cue) =
        one("Rubio told reporters that the new rules undermine the constitution.");
    assert_eq!(c, "that the new rules undermine the constitution");
    assert_eq!((s.as_str(), cue.as_str()), ("Rubio", "told reporters"));

    for verb in ["warned", "added", "noted", "claimed", "denied", "announced"] {
        let text = format!("Mr. Lee {verb} that the company would cut 500 jobs.");
        let (c, _, s, _, cue) = one(&text);
        assert_eq!(c, "that the company would cut 500 jobs");
        assert_eq!(s, "Mr. Lee");
        assert_eq!(cue, verb);
    }

    let (c, _, s, _, _) = one("The company will cut 500 jobs next year, the spokesman said.");
    assert_eq!(c, "The company will cut 500 jobs next year");
    assert_eq!(s, "the spokesman");
}

#[test]
fn mixed_quote() {
    let (c, k, s, _, _) =
        one("Trump said the deal was “a total disaster for our workers” and must end.");
    assert_eq!(
        c,
        "the deal was “a total disaster for our workers” and must end"
    );
    assert_eq!((k, s.as_str()), ("mixed", "Trump"));
}

#[test]
fn scare_quotes_are_not_quotes() {
    assert!(run("The so-called \"reforms\" have cost the country dearly.").is_empty());
    assert!(run("The “deep state” was blamed again by the opposition.").is_empty());
    assert!(run("Critics dismissed the so-called ‘reforms’ this week.").is_empty());
}

#[test]
fn character_offsets_on_non_ascii_text() {
    let text = "Über-Städte: «Мы не отступим от этого плана», заявил Токаев. “Nous continuerons les réformes,” said Élise Müller.";
    let layer = quotes_layer(text);
    let chars: Vec<char> = text.chars().collect();
    let get = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    assert!(layer.spans_fit(chars.len()));
    let last = layer.spans.last().expect("a quote");
    assert_eq!(get(last.start, last.end), "Nous continuerons les réformes,");
    let ss = last.fields["speaker_start"].as_u64().unwrap() as usize;
    let se = last.fields["speaker_end"].as_u64().unwrap() as usize;
    assert_eq!(get(ss, se), "Élise Müller");
    assert_eq!(last.fields["speaker"], "Élise Müller");
    let cs = last.fields["cue_start"].as_u64().unwrap() as usize;
    let ce = last.fields["cue_end"].as_u64().unwrap() as usize;
    assert_eq!(get(cs, ce), "said");
    assert_eq!(layer.component.name, "nlp-quotes");
}

#[test]
fn random_input_never_panics() {
    // A small deterministic generator over an alphabet rich in quotation
    // marks, cues and multi-byte characters.
    let pieces = [
        "“",
        "”",
        "\"",
        "'",
        "‘",
        "’",
        "«",
        "»",
        "„",
        "「",
        "」",
        " said ",
        " told ",
        ", ",
        ".",
        ":",
        "\n\n",
        " he ",
        " Smith ",
        "according to ",
        "that ",
        "Ünïcödé ",
        "東京",
        " ",
        "Mr.",
        "who ",
        "the spokesman ",
        "?",
        "!",
        "—",
        "a b c d ",
        "\n",
    ];
    let mut rng = dossier_core::SplitMix64::new(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let mut text = String::new();
        let n = rng.below(60);
        for _ in 0..n {
            text.push_str(pieces[rng.below(pieces.len())]);
        }
        let layer = quotes_layer(&text);
        assert!(layer.spans_fit(text.chars().count()), "{text:?}");
        for q in find_quotes(&text) {
            assert!(q.start <= q.end && q.end <= text.len());
            assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
        }
    }
}

#[test]
fn long_adversarial_input_is_handled() {
    // Speed is measured in eval/src/bin/quotes.rs, not asserted here.
    let unit = "“This is a quote of some length,” he said. Officials said that the plan is fine. \"unclosed ";
    let text = unit.repeat(20_000);
    let quotes = find_quotes(&text);
    assert!(!quotes.is_empty());
}

#[test]
fn content_stops_at_a_second_clause() {
    let quotes =
        run("Carson said he saw no need to change his campaign, telling reporters he was fine.");
    assert_eq!(quotes[0].0, "he saw no need to change his campaign");
    let quotes = run("While Ramos said that journalists cannot take sides, he appears biased.");
    assert_eq!(quotes[0].0, "that journalists cannot take sides");
    let quotes =
        run("Trump said the South has “treated me so well.” He touted his wins in the region.");
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert_eq!(quotes[0].0, "the South has “treated me so well.”");
    assert_eq!(quotes[0].1, "mixed");
}
