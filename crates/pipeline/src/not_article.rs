//! Recognising pages that are not articles: error pages, paywall stubs and
//! index pages (lists of headlines). They are reported, not stored with junk
//! text. The rules are deliberately narrow: a short real article must pass.

/// Web pages whose whole text is shorter than this (in words) are "not an
/// article"; plain text, feed summaries, JSON records and e-mails are trusted
/// to be articles even when short.
const MIN_HTML_WORDS: usize = 25;

const ERROR_TITLES: &[&str] = &[
    "404",
    "page not found",
    "not found",
    "error 404",
    "access denied",
    "403 forbidden",
    "forbidden",
    "internal server error",
    "service unavailable",
    "страница не найдена",
    "ошибка 404",
    "seite nicht gefunden",
    "page introuvable",
    "página no encontrada",
];

/// What the body of an error page says.
const ERROR_PHRASES: &[&str] = &[
    "not found",
    "could not find",
    "couldn't find",
    "can't find",
    "cannot be found",
    "could not be found",
    "doesn't exist",
    "does not exist",
    "no longer available",
    "has been moved",
    "access denied",
    "не найдена",
    "не существует",
    "nicht gefunden",
    "introuvable",
    "no encontrada",
];

/// The title is an error title, alone or with a site name after a separator.
fn has_error_title(lower_title: &str) -> bool {
    const SEPARATORS: &[&str] = &[" -", " |", " –", " —", ":"];
    ERROR_TITLES.iter().any(|e| {
        lower_title == *e
            || lower_title
                .strip_prefix(e)
                .is_some_and(|rest| SEPARATORS.iter().any(|s| rest.starts_with(s)))
            || SEPARATORS
                .iter()
                .any(|s| lower_title.ends_with(&format!("{s} {e}")))
    })
}

const PAYWALL_PHRASES: &[&str] = &[
    "subscribe to continue reading",
    "to continue reading",
    "subscribe to read",
    "this content is for subscribers",
    "this article is for subscribers",
    "already a subscriber",
    "sign in to read",
    "log in to continue",
    "create a free account to continue",
    "become a member to read",
    "доступно только подписчикам",
];

/// Why `text` (with `title`) is not an article, or `None` when it may be one.
pub fn not_an_article(title: &str, text: &str, web_page: bool) -> Option<String> {
    let words = word_count(text);
    let lower_title = title.trim().to_lowercase();
    let lower_text = text.to_lowercase();
    if words < 80 && has_error_title(&lower_title) {
        let says_error = ERROR_PHRASES.iter().any(|p| lower_text.contains(p));
        if says_error || words < 20 {
            return Some(format!("error page (title {:?})", title.trim()));
        }
    }
    if words < 250 {
        if let Some(p) = PAYWALL_PHRASES.iter().find(|p| lower_text.contains(*p)) {
            return Some(format!("paywall stub ({words} words, says {p:?})"));
        }
    }
    if web_page && words < MIN_HTML_WORDS {
        return Some(format!("no article text (only {words} words)"));
    }
    if web_page && is_headline_list(text) {
        return Some("index page (a list of headlines, no article)".into());
    }
    None
}

/// Words, counting two Han, kana or Hangul characters as one word since
/// those scripts do not separate words with spaces.
fn word_count(text: &str) -> usize {
    let spaced = text.split_whitespace().count();
    let ideographic = text
        .chars()
        .filter(|&c| {
            matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
        })
        .count();
    spaced + ideographic / 2
}

/// Many short title-like paragraphs and no paragraph of prose.
fn is_headline_list(text: &str) -> bool {
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.len() < 8 {
        return false;
    }
    let prose = paragraphs
        .iter()
        .filter(|p| p.chars().count() > 200 || p.matches(". ").count() >= 2)
        .count();
    let short = paragraphs
        .iter()
        .filter(|p| p.chars().count() <= 90)
        .count();
    prose == 0 && short * 10 >= paragraphs.len() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "The central bank raised its key rate by half a point on Friday, \
        citing inflation that has run above target for eleven months. Analysts had expected \
        a smaller move. The decision was unanimous, the bank said in a statement, and further \
        increases were possible if prices kept rising at the current pace.";

    #[test]
    fn error_pages_are_recognised() {
        assert!(not_an_article(
            "404 - Page not found",
            "Sorry, we could not find that page.",
            true
        )
        .unwrap()
        .starts_with("error page"));
        assert!(not_an_article(
            "Страница не найдена",
            "Попробуйте вернуться на главную.",
            true
        )
        .is_some());
        assert!(not_an_article(
            "Example News | Page not found",
            "The page you requested does not exist.",
            true
        )
        .is_some());
    }

    #[test]
    fn paywall_stubs_are_recognised() {
        let stub = "Markets slide as rates rise. Subscribe to continue reading this article and get unlimited access.";
        assert!(not_an_article("Markets slide", stub, true)
            .unwrap()
            .starts_with("paywall stub"));
    }

    #[test]
    fn headline_lists_are_index_pages() {
        let list = (0..12)
            .map(|i| format!("Headline number {i} about the economy"))
            .collect::<Vec<_>>()
            .join("\n\n");
        assert!(not_an_article("News", &list, true)
            .unwrap()
            .starts_with("index page"));
    }

    #[test]
    fn chinese_and_japanese_words_are_counted_without_spaces() {
        let zh = "国家统计局周五公布的数据显示，十月份居民消费价格同比上涨百分之三点八，涨幅比上月扩大，主要受猪肉价格上涨影响。";
        assert_eq!(not_an_article("物价", zh, true), None);
    }

    #[test]
    fn real_articles_pass_even_when_short_or_titled_oddly() {
        assert_eq!(not_an_article("Rates rise", ARTICLE, true), None);
        assert_eq!(
            not_an_article("404 reasons to love the rate rise", ARTICLE, true),
            None
        );
        assert_eq!(
            not_an_article("Not found: the missing billions", ARTICLE, true),
            None
        );
        // Plain text and feed summaries may be short.
        assert_eq!(
            not_an_article("Brief", "Parliament passed the budget.", false),
            None
        );
        // A long article that mentions subscribing is still an article.
        let long = format!(
            "{ARTICLE} {ARTICLE} {ARTICLE} {ARTICLE} Already a subscriber? {ARTICLE} {ARTICLE}"
        );
        assert_eq!(not_an_article("Rates", &long, true), None);
    }
}
