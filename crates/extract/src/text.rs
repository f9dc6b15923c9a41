//! Plain-text articles and paragraph normalisation shared by the HTML paths.

use dossier_core::{DateMethod, DateValue};

use crate::Extraction;

mod junk;

/// Builds paragraphs from a stream of text runs with whitespace collapsed:
/// the caller marks block boundaries, empty paragraphs are dropped.
#[derive(Debug, Default)]
pub struct ParagraphBuilder {
    paragraphs: Vec<String>,
    current: String,
}

impl ParagraphBuilder {
    /// Appends a text run, collapsing any whitespace to single spaces.
    pub fn push_text(&mut self, text: &str) {
        for (i, word) in text.split_whitespace().enumerate() {
            let glued = i == 0 && !text.starts_with(char::is_whitespace);
            if !self.current.is_empty() && !glued && !self.current.ends_with(' ') {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
        let open = !self.current.is_empty() && !self.current.ends_with(' ');
        if text.ends_with(char::is_whitespace) && open {
            self.current.push(' ');
        }
    }

    /// Ends the current paragraph, if it has any text.
    pub fn break_paragraph(&mut self) {
        let trimmed = self.current.trim();
        if !trimmed.is_empty() {
            self.paragraphs.push(trimmed.to_owned());
        }
        self.current.clear();
    }

    pub fn finish(mut self) -> Vec<String> {
        self.break_paragraph();
        self.paragraphs
    }
}

/// Normalises plain text into blank-line-separated paragraphs: CRLF/CR become
/// LF, trailing spaces go, runs of blank lines become one, and line breaks
/// inside a paragraph are kept (poems, addresses and lists rely on them).
pub fn normalise_paragraphs(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
    for line in unified.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(line);
        }
    }
    paragraphs
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Extracts a plain-text article: with `title_in_text`, the first non-empty
/// line is the title and the rest is the body. Metadata lines (bylines, date
/// lines) and scraped junk (see [`crate::Removed`]) leave the body and are
/// recorded; a dateline stays in the body and its place is recorded.
pub fn extract_text(text: &str, title_in_text: bool) -> Extraction {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (title, body) = if title_in_text {
        split_title(text)
    } else {
        (None, text)
    };
    let body = normalise_paragraphs(body);
    let mut out = Extraction {
        title,
        ..Extraction::default()
    };
    let mut items = items_of(&body);
    let title = out.title.clone();
    junk::mark(&mut items, title.as_deref(), &mut out);
    if out.published.is_none() {
        // Scrapes often glue the page's date stamp to the first line:
        // "Tuesday , September 16 , 2008 ; 4:30 PM Just a day after ...".
        let first_body = items
            .iter()
            .find(|i| i.reason.is_none())
            .map(|i| i.flat.as_str());
        out.published = title
            .as_deref()
            .into_iter()
            .chain(first_body)
            .find_map(leading_date)
            .map(|v| DateValue::new(v, DateMethod::Dateline, 0.7));
    }
    assemble(&items, &mut out);
    out
}

/// A full date at the very start of a line (after at most a weekday), as
/// scrapers leave a page's date stamp in front of the first sentence.
/// Commas and semicolons may stand apart from the words, as in tokenised text.
fn leading_date(line: &str) -> Option<String> {
    let head: String = line.chars().take(48).collect();
    let head = head.replace(" ,", ",").replace(" ;", ";");
    let (value, at) = crate::dates::find_date(&head)?;
    let before = head[..at].trim_matches(|c: char| c.is_whitespace() || c == ',');
    let weekday_only = before.split_whitespace().count() <= 1
        && before.chars().all(|c| c.is_alphabetic() || c == '.');
    weekday_only.then_some(value)
}

/// One line of the normalised body.
#[derive(Debug)]
pub(crate) struct Item<'a> {
    /// Index of the paragraph the line belongs to.
    pub para: usize,
    /// The line as normalised (leading spaces kept).
    pub line: &'a str,
    /// Whitespace collapsed.
    pub flat: String,
    pub lower: String,
    /// Why the line leaves the body, if it does.
    pub reason: Option<&'static str>,
}

fn items_of(body: &str) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    if body.is_empty() {
        return items;
    }
    for (para, p) in body.split("\n\n").enumerate() {
        for line in p.split('\n') {
            let flat = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let lower = flat.to_lowercase();
            items.push(Item {
                para,
                line,
                flat,
                lower,
                reason: None,
            });
        }
    }
    items
}

/// Joins the kept lines (line breaks inside a paragraph, blank lines between
/// paragraphs) and records each run of removed lines with the character
/// offset of the kept text that followed it.
fn assemble(items: &[Item<'_>], out: &mut Extraction) {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut last_para: Option<usize> = None;
    let mut pending: Vec<crate::Removed> = Vec::new();
    let mut last_was_removed = false;
    for item in items {
        match item.reason {
            Some(reason) => {
                match pending.last_mut() {
                    Some(r) if last_was_removed && r.reason == reason => {
                        r.text.push('\n');
                        r.text.push_str(&item.flat);
                    }
                    _ => pending.push(crate::Removed {
                        at: 0,
                        text: item.flat.clone(),
                        reason,
                    }),
                }
                last_was_removed = true;
            }
            None => {
                if let Some(prev) = last_para {
                    let sep = if prev == item.para { "\n" } else { "\n\n" };
                    text.push_str(sep);
                    chars += sep.len();
                }
                for mut r in pending.drain(..) {
                    r.at = chars;
                    out.removed.push(r);
                }
                text.push_str(item.line);
                chars += item.line.chars().count();
                last_para = Some(item.para);
                last_was_removed = false;
            }
        }
    }
    for mut r in pending {
        r.at = chars;
        out.removed.push(r);
    }
    out.text = text;
}

fn split_title(text: &str) -> (Option<String>, &str) {
    let mut rest = text;
    loop {
        let (line, tail) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let title = line.trim();
        if !title.is_empty() {
            return (Some(title.to_owned()), tail);
        }
        if tail.is_empty() {
            return (None, "");
        }
        rest = tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_stamp_glued_to_the_first_line_is_the_publication_date() {
        let text = "Tuesday , September 16 , 2008 ; 4:30 PM Just a day after filing for bankruptcy , \
                    Lehman Brothers is heading into court today .\nLehman has been in talks with Barclays .";
        let e = extract_text(text, true);
        let d = e.published.unwrap();
        assert_eq!(
            (d.value.as_str(), d.method),
            ("2008-09-16", DateMethod::Dateline)
        );
        // A year-like number at the start is not a date.
        let e = extract_text("2008 was a hard year for banks\nMany failed .", true);
        assert_eq!(e.published, None);
    }

    #[test]
    fn a_credit_glued_to_the_lead_sentence_is_not_cut_as_a_caption() {
        let text = "Oil spill grows\n\nPhotograph: Gerald Herbert/Pool/EPA Ocean scientists in the Gulf \
                    have found giant plumes of oil coagulating at up to 1,300 metres below the surface, \
                    raising fears that the spill may be larger than thought and that it might create \
                    huge dead zones in the sea.\n\nSecond paragraph of the story.";
        let e = extract_text(text, true);
        assert!(e.text.contains("Ocean scientists"), "{:?}", e.removed);
    }

    #[test]
    fn builder_collapses_whitespace_and_keeps_glued_runs() {
        let mut b = ParagraphBuilder::default();
        b.push_text("  Body ");
        b.push_text("text");
        b.push_text(".\n more");
        b.break_paragraph();
        b.break_paragraph();
        b.push_text("second");
        assert_eq!(b.finish(), vec!["Body text. more", "second"]);
    }

    #[test]
    fn plain_text_title_and_paragraphs() {
        let e = extract_text(
            "\r\n  Title line  \r\nFirst para  \r\nstill first\r\n\r\n\r\n\nSecond\n",
            true,
        );
        assert_eq!(e.title.as_deref(), Some("Title line"));
        assert_eq!(e.text, "First para\nstill first\n\nSecond");
        let e = extract_text("Only body\n\n\nmore", false);
        assert_eq!(e.title, None);
        assert_eq!(e.text, "Only body\n\nmore");
        assert_eq!(extract_text("", true), Extraction::default());
        assert_eq!(extract_text("\n \n", true).title, None);
    }

    use crate::Removed;
    use dossier_core::{DateMethod, DateValue};

    fn reasons(e: &Extraction) -> Vec<&'static str> {
        e.removed.iter().map(|r| r.reason).collect()
    }

    /// Each removal's `at` is a character offset inside `text`.
    fn offsets_valid(e: &Extraction) {
        let n = e.text.chars().count();
        for r in &e.removed {
            assert!(r.at <= n, "{r:?} past {n}");
        }
    }

    const BODY: &str = "The central bank raised its key rate by half a point on Thursday, the second increase this year.\n\nAnalysts had expected a smaller move, citing slowing growth in the region.";

    fn body_survives(e: &Extraction) {
        assert!(e.text.contains("The central bank raised"), "{}", e.text);
        assert!(e.text.contains("Analysts had expected"), "{}", e.text);
    }

    #[test]
    fn repeated_title_is_removed() {
        let e = extract_text(
            &format!("Bank raises rates\n\nBank raises rates\n\n{BODY}"),
            true,
        );
        assert_eq!(e.title.as_deref(), Some("Bank raises rates"));
        assert_eq!(reasons(&e), vec!["repeated-title"]);
        assert_eq!(e.removed[0].at, 0);
        body_survives(&e);
    }

    #[test]
    fn reading_time_badges_are_removed() {
        for badge in [
            "4 MIN READ",
            "5 min read",
            "Время чтения: 3 мин",
            "Lesezeit: 4 Min.",
        ] {
            let e = extract_text(&format!("Title\n{badge}\n\n{BODY}"), true);
            assert_eq!(reasons(&e), vec!["reading-time"], "{badge}");
            body_survives(&e);
        }
    }

    #[test]
    fn related_links_are_removed() {
        let e = extract_text(
            &format!("{BODY}\n\nRead more: Inflation hits five-year high in Kazakhstan\n\nRelated\nOil prices slip as demand worries grow\nTenge weakens against the dollar\n\nThe ministry said it would publish new data next week."),
            false,
        );
        assert_eq!(reasons(&e), vec!["related-links"]);
        assert_eq!(e.removed[0].text.lines().count(), 4);
        assert!(e.text.ends_with("new data next week."));
        body_survives(&e);
    }

    #[test]
    fn headline_lists_are_removed_up_to_a_paragraph() {
        let e = extract_text(
            &format!("Title\n{BODY}\n\nMost read\nPresident signs new budget law\nFloods hit northern villages\nWhy the tenge keeps falling?\n\nMore from Business:\nGrain exports reach record\n\nThe bank will meet again in December, when it is expected to hold rates steady."),
            true,
        );
        assert_eq!(reasons(&e), vec!["headline-list"]);
        assert_eq!(e.removed[0].text.lines().count(), 6);
        assert!(e.text.ends_with("hold rates steady."));
        let e = extract_text(&format!("{BODY}\n\nExplore\nSport\nWorld\nBusiness"), false);
        assert_eq!(reasons(&e), vec!["headline-list"]);
        body_survives(&e);
    }

    #[test]
    fn share_and_cookie_notices_are_removed() {
        let e = extract_text(
            &format!("Share this article\nFacebook Twitter WhatsApp\n\n{BODY}\n\nShare on Facebook\n\nWe use cookies to improve your experience on our site. By continuing to browse you accept our cookie policy.\nAccept all cookies"),
            false,
        );
        assert_eq!(
            reasons(&e),
            vec!["share-notice", "share-notice", "cookie-notice"]
        );
        body_survives(&e);
    }

    #[test]
    fn newsletter_signups_are_removed() {
        let e = extract_text(
            &format!("{BODY}\n\nThe Morning Briefing newsletter\nSign up for our free daily newsletter.\nEnter your email\nSubscribe\nBy signing up you agree to our privacy policy.\n\nThe bank's next meeting is scheduled for December 12, officials said."),
            false,
        );
        assert_eq!(reasons(&e), vec!["newsletter-signup"]);
        assert_eq!(e.removed[0].text.lines().count(), 5);
        assert!(e.text.ends_with("officials said."));
    }

    #[test]
    fn author_bios_are_removed() {
        let e = extract_text(
            &format!("Title\nBy Jane Doe\n\n{BODY}\n\nJane Doe is a correspondent for the Daily Ledger based in Astana. She covers energy and finance."),
            true,
        );
        assert_eq!(e.authors, vec!["Jane Doe"]);
        assert_eq!(reasons(&e), vec!["byline", "author-bio"]);
        body_survives(&e);
        let e = extract_text(
            &format!("{BODY}\n\nAbout the author\nMarat Abenov writes about Central Asian economies for several outlets."),
            false,
        );
        assert_eq!(reasons(&e), vec!["author-bio"]);
        body_survives(&e);
    }

    #[test]
    fn credits_and_captions_move_to_metadata() {
        let e = extract_text(
            &format!("Title\nPhoto: Reuters\nImage caption: Traders watch screens at the Astana stock exchange\n\n{BODY}\n\nThe governor speaks to reporters in Almaty, November 20, 2019. REUTERS/Pavel Mikheyev\n\n(Photo: AFP)\n\nSource: Interfax-Kazakhstan"),
            true,
        );
        assert_eq!(
            e.credits,
            vec!["Photo: Reuters", "Source: Interfax-Kazakhstan"]
        );
        assert_eq!(
            e.captions,
            vec![
                "Traders watch screens at the Astana stock exchange",
                "The governor speaks to reporters in Almaty, November 20, 2019. REUTERS/Pavel Mikheyev",
                "(Photo: AFP)",
            ]
        );
        assert_eq!(
            reasons(&e),
            vec!["credit-line", "caption", "caption", "credit-line"]
        );
        body_survives(&e);
        assert_eq!(e.text, BODY);
    }

    #[test]
    fn bylines_and_date_lines_become_metadata() {
        let e = extract_text(
            &format!("Bank raises rates\nBy Jane Doe and John Roe, Reuters\nPublished: November 21, 2019 07:59 GMT\nUpdated 22 Nov 2019\n\n{BODY}"),
            true,
        );
        assert_eq!(e.authors, vec!["Jane Doe", "John Roe"]);
        assert_eq!(
            e.published,
            Some(DateValue::new(
                "2019-11-21T07:59:00Z",
                DateMethod::Byline,
                0.85
            ))
        );
        assert_eq!(
            e.modified.as_ref().map(|d| d.value.as_str()),
            Some("2019-11-22")
        );
        assert_eq!(reasons(&e), vec!["byline", "date-line"]);
        assert_eq!(e.removed[1].text.lines().count(), 2);
        assert_eq!(e.text, BODY);
        let e = extract_text(
            &format!("Автор: Иван Петров\n21 ноября 2019 г.\n\n{BODY}"),
            false,
        );
        assert_eq!(e.authors, vec!["Иван Петров"]);
        assert_eq!(
            e.published.as_ref().map(|d| d.value.as_str()),
            Some("2019-11-21")
        );
        assert_eq!(e.text, BODY);
    }

    #[test]
    fn datelines_stay_in_the_body() {
        let cases = [
            (
                "ASTANA: The central bank raised its key rate on Thursday.",
                "ASTANA",
                None,
            ),
            (
                "MOSCOW (Reuters) - The central bank raised its key rate on Thursday.",
                "MOSCOW",
                None,
            ),
            (
                "WASHINGTON, Nov 21 (Reuters) - The Fed kept rates on hold on Thursday.",
                "WASHINGTON",
                None,
            ),
            (
                "LONDON, 21 November 2019 (AFP) – The Bank of England kept rates on hold.",
                "LONDON",
                Some("2019-11-21"),
            ),
            (
                "NEW YORK, Nov. 21, 2019 0759GMT (Reuters) - Stocks opened higher on Thursday.",
                "NEW YORK",
                Some("2019-11-21T07:59:00Z"),
            ),
        ];
        for (para, place, date) in cases {
            let e = extract_text(&format!("Title\n\n{para}\n\nMore text follows here."), true);
            assert_eq!(e.dateline.as_deref(), Some(place), "{para}");
            assert_eq!(e.text, format!("{para}\n\nMore text follows here."));
            assert_eq!(
                e.published.as_ref().map(|d| d.value.as_str()),
                date,
                "{para}"
            );
            if date.is_some() {
                assert_eq!(
                    e.published.as_ref().map(|d| d.method),
                    Some(DateMethod::Dateline)
                );
            }
        }
        for para in [
            "NOTE: This story has been corrected to fix the date.",
            "The minister said: We will not raise taxes this year.",
            "UPDATE - Officials later confirmed the figure to reporters.",
        ] {
            assert_eq!(extract_text(para, false).dateline, None, "{para}");
        }
    }

    #[test]
    fn lone_time_stamp_gives_no_date() {
        let e = extract_text(&format!("Title\n0759GMT\n\n{BODY}"), true);
        assert_eq!(e.published, None);
        assert_eq!(reasons(&e), vec!["time-stamp"]);
    }

    #[test]
    fn real_paragraphs_survive() {
        let text = "Bank raises rates\n\n\
            Shares in the bank fell 3% after the announcement, while subscribers to its newsletter were told to expect more.\n\n\
            \"We will do whatever it takes,\" the governor said.\n\n\
            Related to this, the ministry said it would cut spending by a tenth.\n\n\
            By the end of the year, inflation should fall to 5%, the bank said.\n\n\
            The company uses cookies and other tracking tools, a regulator found, and must now ask users for consent.\n\n\
            Most read newspapers in the country are owned by the state, according to the survey.\n\n\
            Read more about the new rules on the central bank's website, the statement said.\n\n\
            Source of the leak remains unknown, investigators said on Friday.\n\n\
            \"We will do whatever it takes,\" the governor said.\n\n\
            Share prices rose\n\n\
            Jane Doe is a key witness in the trial, prosecutors said.";
        let e = extract_text(text, true);
        assert_eq!(e.removed, Vec::<Removed>::new());
        assert_eq!(e.text.split("\n\n").count(), 11);
        assert_eq!(e.authors, Vec::<String>::new());
        assert_eq!(e.published, None);
        assert_eq!(e.dateline, None);
    }

    #[test]
    fn removal_offsets_are_character_offsets() {
        let e = extract_text(
            "Заголовок\n5 min read\nАвтор: Иван Петров\n\nМОСКВА, 21 ноября 2019 г. — Банк России снизил ключевую ставку.\n\nПоделиться\n\nАналитики ожидали этого решения.\nЧитайте также: Рубль укрепился\n\nSource: ТАСС",
            true,
        );
        assert_eq!(e.dateline.as_deref(), Some("МОСКВА"));
        assert_eq!(
            e.published,
            Some(DateValue::new("2019-11-21", DateMethod::Dateline, 0.7))
        );
        assert_eq!(
            e.text,
            "МОСКВА, 21 ноября 2019 г. — Банк России снизил ключевую ставку.\n\nАналитики ожидали этого решения."
        );
        let n = e.text.chars().count();
        let second = e.text[..e.text.find("Аналитики").unwrap()].chars().count();
        let got: Vec<(usize, &str)> = e.removed.iter().map(|r| (r.at, r.reason)).collect();
        assert_eq!(
            got,
            vec![
                (0, "reading-time"),
                (0, "byline"),
                (second, "share-notice"),
                (n, "related-links"),
                (n, "credit-line"),
            ]
        );
        // Re-inserting every removed block at its offset restores the order.
        let chars: Vec<char> = e.text.chars().collect();
        assert_eq!(
            chars[second..].iter().collect::<String>(),
            "Аналитики ожидали этого решения."
        );
    }

    #[test]
    fn random_input_never_panics() {
        const PARTS: &[&str] = &[
            "By ",
            "Jane",
            " Doe",
            "\n",
            "\n\n",
            "2019",
            "年",
            "11",
            "月",
            "21日",
            ":",
            " GMT",
            "ноября",
            "(Reuters)",
            " - ",
            "Related",
            "Most read",
            "Enter your email",
            "newsletter",
            "é",
            "\u{0}",
            "🙂",
            "İ",
            " ",
            ".",
            "Photo:",
            "Caption",
            "ASTANA",
            ",",
            "\r",
            "0759GMT",
            "Share",
            "cookies",
            "We use cookies",
            "is a reporter",
            "About the author",
            "+",
            "-",
            "12:30",
            "Published",
            "Updated",
            "\u{feff}",
            "ﬁ",
            "ẞ",
            "　",
            "２０１９",
            "：",
        ];
        let mut rng = dossier_core::SplitMix64::new(0x2545_f491_4f6c_dd1d);
        let mut next = || rng.next_u64();
        for _ in 0..3000 {
            let len = (next() % 40) as usize;
            let s: String = (0..len)
                .map(|_| PARTS[(next() % PARTS.len() as u64) as usize])
                .collect();
            let e = extract_text(&s, next() % 2 == 0);
            offsets_valid(&e);
            assert!(!e.text.contains("\n\n\n"));
            let _ = crate::dates::parse_date_text(&s);
        }
    }
}
