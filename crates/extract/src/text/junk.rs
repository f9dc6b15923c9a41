//! Metadata lines and scraped junk in plain-text articles.
//!
//! Every rule looks at one line (or a short run of lines) and is deliberately
//! narrow: a line must be short, unpunctuated like a sentence, and open with
//! a known label before it leaves the body. What leaves is recorded by the
//! caller in `Extraction::removed`.

use dossier_core::{DateMethod, DateValue};

use super::Item;
use crate::dates::{find_date, parse_date_text};
use crate::Extraction;

/// How many lines a headline list may run after its header.
const MAX_LIST: usize = 20;

/// Marks the lines of `items` that leave the body and fills the metadata of
/// `out` they carry.
pub(crate) fn mark(items: &mut [Item<'_>], title: Option<&str>, out: &mut Extraction) {
    let title = title.map(|t| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    });
    for item in items.iter_mut() {
        item.reason = line_reason(item, title.as_deref(), out);
    }
    lists(items);
    newsletters(items);
    head(items, out);
    bios(items, &out.authors);
    dateline(items, out);
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Ends like a sentence: `.`, `!`, `?` or `;` before any closing quotes or
/// brackets (an ellipsis is not an end).
fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '\'', '»', '”', '’', ')', ' ']);
    (s.ends_with(['.', '!', '?', ';', '。']) && !s.ends_with("...")) || s.ends_with('…')
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ':' | '：' | '-' | '–' | '—' | '»' | '›' | '>' | '|' | '…'
    )
}

/// `lower` opens with `label` followed by nothing or a separator (":", "-",
/// "»", ...); returns the text after the separator.
fn labelled<'a>(lower: &'a str, label: &str) -> Option<&'a str> {
    let rest = lower.strip_prefix(label)?;
    let trimmed = rest.trim_start();
    if trimmed.is_empty() {
        return Some("");
    }
    trimmed
        .starts_with(is_separator)
        .then(|| trimmed.trim_start_matches(is_separator).trim_start())
}

/// `lower` opens with `label` followed by the end or a non-letter.
fn opens_with(lower: &str, label: &str) -> bool {
    lower
        .strip_prefix(label)
        .is_some_and(|r| !r.starts_with(char::is_alphabetic))
}

/// `word` occurs in `lower` as a whole word.
fn has_word(lower: &str, word: &str) -> bool {
    lower.match_indices(word).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}

// ---------------------------------------------------------------- one line

fn line_reason(item: &Item<'_>, title: Option<&str>, out: &mut Extraction) -> Option<&'static str> {
    let (flat, lower) = (item.flat.as_str(), item.lower.as_str());
    if title.is_some_and(|t| t == lower) {
        return Some("repeated-title");
    }
    if reading_time(lower) {
        return Some("reading-time");
    }
    if cookie_notice(lower) {
        return Some("cookie-notice");
    }
    if share_notice(lower) {
        return Some("share-notice");
    }
    if let Some((reason, value)) = credit_or_caption(flat, lower) {
        if reason == "caption" {
            out.captions.push(value);
        } else {
            out.credits.push(value);
        }
        return Some(reason);
    }
    if related_links(lower).is_some() {
        return Some("related-links");
    }
    if list_header(lower) {
        return Some("headline-list");
    }
    None
}

fn reading_time(lower: &str) -> bool {
    const KEYS: &[&str] = &[
        "min read",
        "mins read",
        "minute read",
        "minutes read",
        "min. read",
        "reading time",
        "read time",
        "время чтения",
        "мин чтения",
        "мин. чтения",
        "минут чтения",
        "час читання",
        "час прочитання",
        "хв читання",
        "хв. читання",
        "lesezeit",
        "lesedauer",
        "min. lesezeit",
        "temps de lecture",
        "min de lecture",
        "minutes de lecture",
        "tiempo de lectura",
        "min de lectura",
        "minutos de lectura",
        "阅读时间",
        "阅读需要",
        "読了時間",
        "分で読める",
    ];
    chars(lower) <= 40
        && lower.chars().any(|c| c.is_ascii_digit())
        && KEYS.iter().any(|k| lower.contains(k))
}

fn cookie_notice(lower: &str) -> bool {
    const STARTS: &[&str] = &[
        "we use cookies",
        "we use cookie",
        "this site uses",
        "this website uses",
        "our site uses",
        "our website uses",
        "we and our partners use",
        "by continuing to use",
        "by continuing to browse",
        "by using this site",
        "by using our site",
        "мы используем",
        "сайт использует",
        "этот сайт использует",
        "ми використовуємо",
        "цей сайт використовує",
        "сайт використовує",
        "wir verwenden",
        "diese website verwendet",
        "nous utilisons",
        "ce site utilise",
        "utilizamos",
        "este sitio web utiliza",
        "este sitio utiliza",
        "本网站使用",
        "当サイトでは",
        "このサイトは",
    ];
    const BUTTONS: &[&str] = &[
        "accept cookies",
        "accept all cookies",
        "cookie settings",
        "cookie policy",
        "manage cookies",
        "reject all cookies",
        "cookie preferences",
        "allow cookies",
        "accept and close",
    ];
    let about_cookies = ["cookie", "куки", "クッキー"]
        .iter()
        .any(|c| lower.contains(c));
    about_cookies
        && ((chars(lower) <= 600 && STARTS.iter().any(|s| lower.starts_with(s)))
            || (chars(lower) <= 40 && BUTTONS.iter().any(|b| lower.starts_with(b))))
}

fn share_notice(lower: &str) -> bool {
    /// Labels that must stand alone or before a separator ("Share:").
    const ALONE: &[&str] = &[
        "share",
        "share article",
        "share story",
        "tweet",
        "поделиться",
        "поділитися",
        "teilen",
        "partager",
        "compartir",
        "分享",
        "シェア",
        "share this",
    ];
    /// Labels that may open a short line ("Share on Facebook").
    const OPENING: &[&str] = &[
        "share this article",
        "share this story",
        "share this page",
        "share this post",
        "share on ",
        "share via ",
        "share to ",
        "share with your friends",
        "click to share",
        "share the article",
        "поделиться в",
        "поделиться статьей",
        "поділитися в",
        "artikel teilen",
        "teilen sie",
        "partager sur",
        "partager cet article",
        "compartir en",
        "compartir este",
        "compártelo",
    ];
    const SOCIAL: &[&str] = &[
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "linkedin",
        "email",
        "e-mail",
        "mail",
        "telegram",
        "vk",
        "вконтакте",
        "pinterest",
        "reddit",
        "print",
        "copy",
        "link",
        "messenger",
        "viber",
        "одноклассники",
        "flipboard",
        "tweet",
        "share",
        "sms",
        "weibo",
        "微信",
        "微博",
        "line",
        "threads",
        "bluesky",
    ];
    if chars(lower) > 60 || ends_sentence(lower) {
        return false;
    }
    if ALONE
        .iter()
        .any(|l| labelled(lower, l).is_some_and(|rest| words(rest) <= 6))
    {
        return true;
    }
    if OPENING.iter().any(|l| lower.starts_with(l)) {
        return true;
    }
    let parts: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•' | ',' | '/'))
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2 && parts.iter().all(|p| SOCIAL.contains(p))
}

/// "Source: Reuters" (a credit, kept whole) or a photo caption (kept
/// without its label).
fn credit_or_caption(flat: &str, lower: &str) -> Option<(&'static str, String)> {
    const PHOTO: &[&str] = &[
        "photo",
        "photos",
        "photograph",
        "image",
        "picture",
        "фото",
        "foto",
        "写真",
        "图片",
        "图",
        "photo credit",
        "image credit",
        "фото:",
    ];
    const CREDIT: &[&str] = &[
        "source",
        "sources",
        "credit",
        "credits",
        "photo credit",
        "image credit",
        "источник",
        "источники",
        "джерело",
        "quelle",
        "quellen",
        "bildquelle",
        "fuente",
        "fuentes",
        "crédit photo",
        "crédit",
        "crédits",
        "出典",
        "来源",
        "出所",
    ];
    const CAPTION: &[&str] = &[
        "caption",
        "image caption",
        "photo caption",
        "подпись к фото",
        "подпись",
        "bildunterschrift",
        "légende",
        "pie de foto",
    ];
    let n = chars(flat);
    if n > 400 {
        return None;
    }
    // The original-case text after a label and a colon.
    let after_colon = |lower_rest: &str| -> String {
        let cut = flat.len().saturating_sub(lower_rest.len());
        flat.get(cut..)
            .map_or_else(|| lower_rest.to_owned(), str::to_owned)
    };
    if let Some(rest) = CREDIT.iter().find_map(|l| colon(lower, l)) {
        if n <= 150 && words(rest) <= 15 {
            return Some(("credit-line", flat.to_owned()));
        }
        return None;
    }
    if let Some(rest) = PHOTO.iter().find_map(|l| colon(lower, l)) {
        if words(rest) <= 6 && !ends_sentence(rest) {
            return Some(("credit-line", flat.to_owned()));
        }
        // Longer "captions" are usually a credit glued to the lead sentence
        // by the scrape: keeping junk beats losing the lead.
        return (words(rest) <= 30).then(|| ("caption", after_colon(rest)));
    }
    if let Some(rest) = CAPTION.iter().find_map(|l| {
        let r = lower.strip_prefix(l)?;
        if r.starts_with(char::is_alphabetic) {
            return None;
        }
        let r = r.trim_start().trim_start_matches([':', '：']).trim_start();
        (!r.is_empty()).then_some(r)
    }) {
        return (words(rest) <= 80).then(|| ("caption", after_colon(rest)));
    }
    // "(Photo: Reuters)"
    if n <= 100 && flat.starts_with('(') && flat.ends_with(')') {
        let inner = lower[1..].trim_start();
        if PHOTO.iter().any(|p| inner.starts_with(p)) {
            return Some(("caption", flat.to_owned()));
        }
    }
    // A short line signed by a photo agency: "... in Astana. REUTERS/Jane Doe".
    const TAILS: &[&str] = &[
        "(reuters)",
        "(afp)",
        "(ap)",
        "(ap photo)",
        "getty images",
        "/afp",
        "/ afp",
        "/reuters",
        "/ reuters",
        "/ap",
        "(epa)",
        "/epa",
        "/tass",
        "(tass)",
        "via reuters",
        "/ ap",
    ];
    let signed = TAILS.iter().any(|t| lower.ends_with(t))
        || ["REUTERS/", "AP Photo/", "AFP/", "EPA-EFE/"]
            .iter()
            .any(|m| {
                flat.rfind(m)
                    .is_some_and(|i| flat.len() - i <= 60 && !flat[i..].contains(". "))
            });
    (signed && n <= 300 && words(flat) <= 50 && n >= 12).then(|| ("caption", flat.to_owned()))
}

/// The text after `label` and a colon.
fn colon<'a>(lower: &'a str, label: &str) -> Option<&'a str> {
    let rest = lower.strip_prefix(label)?.trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    let rest = rest.trim_start();
    (!rest.is_empty()).then_some(rest)
}

const RELATED: &[&str] = &[
    "related articles",
    "related stories",
    "related news",
    "related content",
    "related coverage",
    "related topics",
    "related links",
    "related reading",
    "related",
    "read more",
    "read also",
    "also read",
    "see also",
    "more on this story",
    "more on this",
    "recommended reading",
    "читайте также",
    "смотрите также",
    "читайте по теме",
    "читайте також",
    "дивіться також",
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "auch interessant",
    "à lire aussi",
    "lire aussi",
    "voir aussi",
    "à lire également",
    "lea también",
    "lee también",
    "ver también",
    "te puede interesar",
    "leer más",
    "相关阅读",
    "相关新闻",
    "相关文章",
    "延伸阅读",
    "関連記事",
    "関連ニュース",
    "あわせて読みたい",
];

/// A "Related: ..." / "Read more" line: `Some(true)` when the label stands
/// alone (a header of a list), `Some(false)` with a headline after it.
fn related_links(lower: &str) -> Option<bool> {
    if chars(lower) > 200 {
        return None;
    }
    let rest = RELATED.iter().find_map(|l| labelled(lower, l))?;
    if rest.is_empty() {
        return Some(true);
    }
    ((words(rest) <= 25 && !ends_sentence(rest)) || words(rest) <= 12).then_some(false)
}

fn list_header(lower: &str) -> bool {
    const HEADERS: &[&str] = &[
        "explore",
        "explore more",
        "explore topics",
        "more stories",
        "more news",
        "most read",
        "most popular",
        "most viewed",
        "most shared",
        "trending",
        "trending now",
        "trending stories",
        "trending news",
        "top stories",
        "latest stories",
        "latest news",
        "you may also like",
        "you might also like",
        "you may be interested in",
        "recommended",
        "recommended for you",
        "editor's picks",
        "editors' picks",
        "популярное",
        "самое читаемое",
        "самое популярное",
        "новости по теме",
        "другие новости",
        "популярне",
        "найпопулярніше",
        "найбільш читане",
        "інші новини",
        "meistgelesen",
        "meistgelesene artikel",
        "am meisten gelesen",
        "les plus lus",
        "les plus populaires",
        "lo más leído",
        "más leídas",
        "lo más visto",
        "más noticias",
        "热门",
        "热门新闻",
        "热门文章",
        "人気記事",
        "アクセスランキング",
    ];
    const OPENING: &[&str] = &[
        "more from ",
        "more in ",
        "more stories from ",
        "more news from ",
        "другие новости ",
        "ещё из ",
    ];
    if chars(lower) > 50 {
        return false;
    }
    let h = lower.trim_end_matches([':', '：', ' ', '›', '»', '>']);
    HEADERS.contains(&h)
        || OPENING
            .iter()
            .any(|o| h.starts_with(o) && words(h) <= 6 && !ends_sentence(h))
}

/// Looks like another article's headline, not a paragraph: short, and not
/// ending like a sentence or a clause.
fn headline_like(flat: &str) -> bool {
    let n = chars(flat);
    (4..=150).contains(&n)
        && words(flat) <= 22
        && !flat
            .trim_end_matches(['"', '\'', '»', '”', '’', ')'])
            .ends_with(['.', ';', ',', ':', '：', '，', '。'])
}

// ---------------------------------------------------------------- runs

/// A list header ("Most read", "Related") takes the headline-like lines after
/// it, up to the first real paragraph.
fn lists(items: &mut [Item<'_>]) {
    let mut i = 0;
    while i < items.len() {
        let header = match items[i].reason {
            Some("headline-list") => Some("headline-list"),
            Some("related-links") if related_links(&items[i].lower) == Some(true) => {
                Some("related-links")
            }
            _ => None,
        };
        i += 1;
        let Some(reason) = header else { continue };
        let mut taken = 0;
        while i < items.len() && taken < MAX_LIST {
            match items[i].reason {
                Some(_) => {}
                None if headline_like(&items[i].flat) => {
                    items[i].reason = Some(reason);
                    taken += 1;
                }
                None => break,
            }
            i += 1;
        }
    }
}

fn email_field(lower: &str) -> bool {
    const KEYS: &[&str] = &[
        "enter your email",
        "enter your e-mail",
        "email address",
        "e-mail address",
        "your email",
        "your e-mail",
        "введите email",
        "введите e-mail",
        "введите адрес",
        "ваш email",
        "ваш e-mail",
        "электронная почта",
        "адрес электронной почты",
        "введіть email",
        "введіть e-mail",
        "електронна пошта",
        "ihre e-mail",
        "e-mail-adresse",
        "votre e-mail",
        "votre email",
        "adresse e-mail",
        "adresse email",
        "tu correo",
        "correo electrónico",
        "tu email",
        "邮箱",
        "電子メール",
        "メールアドレス",
    ];
    chars(lower) <= 80 && !ends_sentence(lower) && KEYS.iter().any(|k| lower.contains(k))
}

fn signup_mention(lower: &str) -> bool {
    const WORDS: &[&str] = &[
        "newsletter",
        "newsletters",
        "subscribe",
        "sign up",
        "sign-up",
        "signup",
        "рассылка",
        "рассылку",
        "рассылки",
        "подпишитесь",
        "подписаться",
        "розсилка",
        "розсилку",
        "підпишіться",
        "підписатися",
        "abonnieren",
        "anmelden",
        "abonnez-vous",
        "inscrivez-vous",
        "s'inscrire",
        "suscríbete",
        "suscribirse",
        "boletín",
    ];
    const CJK: &[&str] = &["订阅", "購読", "メールマガジン", "メルマガ"];
    WORDS.iter().any(|w| has_word(lower, w)) || CJK.iter().any(|w| lower.contains(w))
}

/// A line that may belong to a sign-up block next to an e-mail field.
fn signup_part(lower: &str) -> bool {
    const MORE: &[&str] = &[
        "privacy policy",
        "privacy notice",
        "thank you for",
        "thanks for signing",
        "invalid email",
        "terms of",
        "unsubscribe",
        "политикой конфиденциальности",
        "політикою конфіденційності",
        "datenschutz",
        "confidentialité",
        "privacidad",
    ];
    let n = chars(lower);
    (n <= 300
        && (signup_mention(lower) || email_field(lower) || MORE.iter().any(|m| lower.contains(m))))
        || (n <= 25 && words(lower) <= 3 && !ends_sentence(lower))
}

/// An e-mail field with sign-up lines around it (at most four either side).
fn newsletters(items: &mut [Item<'_>]) {
    for e in 0..items.len() {
        if items[e].reason.is_some() || !email_field(&items[e].lower) {
            continue;
        }
        let part = |i: usize| items[i].reason.is_none() && signup_part(&items[i].lower);
        let mut lo = e;
        while lo > 0 && e - lo < 4 && part(lo - 1) {
            lo -= 1;
        }
        let mut hi = e;
        while hi + 1 < items.len() && hi - e < 4 && part(hi + 1) {
            hi += 1;
        }
        if (lo..=hi).any(|i| signup_mention(&items[i].lower)) {
            for item in &mut items[lo..=hi] {
                item.reason = Some("newsletter-signup");
            }
        }
    }
}

// ---------------------------------------------------------------- head: bylines, dates

const PUBLISHED: &[&str] = &[
    "first published",
    "published on",
    "published",
    "posted on",
    "posted",
    "dated",
    "date",
    "дата публикации",
    "опубликовано",
    "дата публікації",
    "опубліковано",
    "дата",
    "veröffentlicht am",
    "veröffentlicht",
    "publié le",
    "publié",
    "publicado el",
    "publicado",
    "fecha",
    "发布时间",
    "发布日期",
    "公開日",
    "配信日",
    "投稿日",
];
const UPDATED: &[&str] = &[
    "last updated",
    "updated on",
    "updated",
    "обновлено",
    "обновлён",
    "оновлено",
    "zuletzt aktualisiert",
    "aktualisiert am",
    "aktualisiert",
    "mis à jour le",
    "mis à jour",
    "actualizado el",
    "actualizado",
    "更新时间",
    "更新日",
    "更新日時",
];

/// A prose line: long enough to be a paragraph of the article.
fn prose(flat: &str) -> bool {
    (words(flat) >= 12 && ends_sentence(flat)) || chars(flat) >= 160
}

/// Bylines and date lines before the article proper (up to its second prose
/// line); their dates become `published`/`modified`.
fn head(items: &mut [Item<'_>], out: &mut Extraction) {
    let mut published: Vec<(u8, DateValue)> = Vec::new();
    let mut prose_seen = 0;
    for item in items.iter_mut() {
        if item.reason.is_some() {
            continue;
        }
        if prose(&item.flat) {
            prose_seen += 1;
            if prose_seen >= 2 {
                break;
            }
            continue;
        }
        let (flat, lower) = (item.flat.as_str(), item.lower.as_str());
        if chars(flat) > 160 {
            continue;
        }
        let labelled_date = |labels: &[&str]| {
            labels
                .iter()
                .any(|l| opens_with(lower, l))
                .then(|| parse_date_text(flat))
                .flatten()
        };
        if let Some(value) = labelled_date(UPDATED) {
            out.modified
                .get_or_insert(DateValue::new(value, DateMethod::Byline, 0.8));
            item.reason = Some("date-line");
        } else if let Some(value) = labelled_date(PUBLISHED) {
            published.push((0, DateValue::new(value, DateMethod::Byline, 0.85)));
            item.reason = Some("date-line");
            // "Published 21 Nov 2019, updated 22 Nov 2019"
            if let Some(i) = lower.find("updated").or_else(|| lower.find("обновлено")) {
                if let Some(v) = parse_date_text(&lower[i..]) {
                    out.modified
                        .get_or_insert(DateValue::new(v, DateMethod::Byline, 0.8));
                }
            }
        } else if let Some(value) = bare_date(flat) {
            published.push((1, DateValue::new(value, DateMethod::Byline, 0.75)));
            item.reason = Some("date-line");
        } else if let Some((names, date)) = byline(flat, lower) {
            for name in names {
                if !out.authors.iter().any(|a| a.eq_ignore_ascii_case(&name))
                    && out.authors.len() < 10
                {
                    out.authors.push(name);
                }
            }
            if let Some(value) = date {
                published.push((2, DateValue::new(value, DateMethod::Byline, 0.75)));
            }
            item.reason = Some("byline");
        } else if time_stamp_only(flat) {
            item.reason = Some("time-stamp");
        }
    }
    if let Some((_, d)) = published.into_iter().min_by_key(|(rank, _)| *rank) {
        out.published.get_or_insert(d);
    }
}

/// A line that is only a date ("Thursday, 21 November 2019 07:59 GMT").
fn bare_date(flat: &str) -> Option<String> {
    if chars(flat) > 50 {
        return None;
    }
    let (value, at) = find_date(flat)?;
    (words(&flat[..at]) <= 1).then_some(value)
}

/// "07:59 GMT", "Updated 0759GMT": a time with a zone and no date.
fn time_stamp_only(flat: &str) -> bool {
    chars(flat) <= 30
        && words(flat) <= 4
        && parse_date_text(flat).is_none()
        && parse_date_text(&format!("2000-01-01 {flat}")).is_some_and(|v| v.contains('T'))
}

/// Words that make a byline part a job or an agency, not a person.
const NOT_PERSON: &[&str] = &[
    "staff",
    "writer",
    "reporter",
    "correspondent",
    "editor",
    "reuters",
    "afp",
    "ap",
    "associated",
    "press",
    "news",
    "agency",
    "bureau",
    "contributor",
    "desk",
    "team",
    "service",
    "online",
    "tass",
    "ria",
    "interfax",
    "bloomberg",
    "xinhua",
    "корреспондент",
    "редакция",
    "кореспондент",
    "редакція",
    "redaktion",
    "rédaction",
    "redacción",
];

/// Name particles that may be lower case inside a name.
const PARTICLES: &[&str] = &[
    "van", "von", "der", "de", "da", "del", "la", "le", "bin", "al", "di", "du", "dos", "ter",
];

/// "By Jane Doe and John Roe, Reuters", "Автор: Иван Петров": the authors
/// (people only) and a date on the same line.
fn byline(flat: &str, lower: &str) -> Option<(Vec<String>, Option<String>)> {
    const OPEN: &[&str] = &["by ", "von ", "par ", "por ", "від "];
    const LABELS: &[&str] = &[
        "authors",
        "author",
        "written by",
        "reporting by",
        "авторы",
        "автор",
        "автори",
        "autoren",
        "autorin",
        "autor",
        "auteurs",
        "auteur",
        "texte",
        "текст",
        "作者",
        "記者",
        "文",
    ];
    if chars(flat) > 120 || words(flat) > 16 {
        return None;
    }
    let cut = if let Some(l) = OPEN.iter().find(|l| lower.starts_with(*l)) {
        l.len()
    } else {
        let label = LABELS.iter().find(|l| {
            lower.strip_prefix(*l).is_some_and(|r| {
                let r = r.trim_start();
                r.starts_with([':', '：', '—', '–']) || (l.contains(' ') && !r.is_empty())
            })
        })?;
        let rest = lower[label.len()..].trim_start();
        let rest = rest.trim_start_matches([':', '：', '—', '–']).trim_start();
        lower.len() - rest.len()
    };
    let rest = flat.get(cut..)?;
    if ends_sentence(rest) && !rest.ends_with(['.']) {
        return None;
    }
    let date = parse_date_text(rest);
    let names_part = rest
        .split(['|', '•', '·', '—', '–', '/', ';'])
        .next()
        .unwrap_or("")
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or("");
    let mut segments: Vec<&str> = Vec::new();
    for seg in names_part.split([',', '(', ')']) {
        let mut seg = seg;
        for joiner in [" and ", " & ", " und ", " et ", " y ", " и ", " і ", " та "] {
            if let Some((a, b)) = seg.split_once(joiner) {
                segments.push(a);
                seg = b;
            }
        }
        segments.push(seg);
    }
    let segments: Vec<Vec<&str>> = segments
        .iter()
        .map(|s| name_words(s))
        .filter(|w| !w.is_empty())
        .collect();
    // The first part must read as a name: capitalised words only.
    let first = segments.first()?;
    if first.len() > 5 || !first.iter().all(|w| capitalised(w)) {
        return None;
    }
    let names = segments
        .iter()
        .filter(|w| {
            (2..=4).contains(&w.len()) && w.iter().all(|w| capitalised(w) || PARTICLES.contains(w))
        })
        .filter(|w| {
            !w.iter()
                .any(|w| NOT_PERSON.contains(&w.to_lowercase().as_str()))
        })
        .filter(|w| !w.iter().any(|w| crate::dates::is_month_word(w)))
        .map(|w| w.join(" "))
        .collect();
    Some((names, date))
}

/// The words of a name part, cut before the first lower-case word that is
/// not a name particle ("Jane Doe on" → ["Jane", "Doe"]).
fn name_words(seg: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in seg.split_whitespace() {
        if !capitalised(w) && !PARTICLES.contains(&w) {
            break;
        }
        out.push(w);
    }
    out
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
}

// ---------------------------------------------------------------- tail: author bios

const BIO_HEADERS: &[&str] = &[
    "about the author",
    "about the authors",
    "об авторе",
    "об авторах",
    "про автора",
    "про авторів",
    "über den autor",
    "über die autorin",
    "über die autoren",
    "à propos de l'auteur",
    "à propos de l’auteur",
    "sobre el autor",
    "sobre la autora",
    "sobre los autores",
];
const JOURNALISM: &[&str] = &[
    "reporter",
    "journalist",
    "correspondent",
    "editor",
    "writer",
    "columnist",
    "contributor",
    "bureau chief",
    "freelance",
    "journalism",
    "author of",
];

/// "Jane Doe is a Reuters correspondent in Astana." among the last lines.
fn is_bio(flat: &str, lower: &str, authors: &[String]) -> bool {
    const STRONG: &[&str] = &[
        "covers ",
        "writes about ",
        "reports on ",
        "has covered ",
        "has reported ",
    ];
    const IS: &[&str] = &["is a ", "is an ", "is the ", "is "];
    if chars(flat) > 600 {
        return false;
    }
    let journalism = JOURNALISM.iter().any(|j| lower.contains(j));
    for a in authors {
        if let Some(rest) = flat
            .strip_prefix(a.as_str())
            .and_then(|r| r.strip_prefix(' '))
        {
            let strong = STRONG.iter().any(|v| rest.starts_with(v));
            let is = IS[..3].iter().any(|v| rest.starts_with(v))
                || (rest.starts_with("is ") && journalism);
            if strong || is {
                return true;
            }
        }
    }
    let name = name_words(flat);
    if !(2..=4).contains(&name.len()) || name.iter().any(|w| w.ends_with('.') && w.len() > 2) {
        return false;
    }
    let name_len: usize = name.iter().map(|w| w.len()).sum::<usize>() + name.len();
    let Some(rest) = flat.get(name_len..) else {
        return false;
    };
    STRONG.iter().any(|v| rest.starts_with(v))
        || (IS.iter().any(|v| rest.starts_with(v)) && journalism)
}

/// Author biographies at the end: an "About the author" header with what
/// follows it, and bio lines among the last two kept lines.
fn bios(items: &mut [Item<'_>], authors: &[String]) {
    let kept: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].reason.is_none())
        .collect();
    let tail = &kept[kept.len().saturating_sub(4)..];
    if let Some(pos) = tail.iter().position(|&i| {
        let h = items[i].lower.trim_end_matches([':', '：', ' ']);
        BIO_HEADERS.contains(&h)
    }) {
        if tail[pos..].iter().all(|&i| chars(&items[i].flat) <= 800) {
            for &i in &tail[pos..] {
                items[i].reason = Some("author-bio");
            }
            return;
        }
    }
    for &i in kept.iter().rev().take(2) {
        if !is_bio(&items[i].flat, &items[i].lower, authors) {
            break;
        }
        items[i].reason = Some("author-bio");
    }
}

// ---------------------------------------------------------------- dateline

const NOT_PLACE: &[&str] = &[
    "note",
    "editor's note",
    "editors note",
    "update",
    "updated",
    "breaking",
    "breaking news",
    "exclusive",
    "warning",
    "correction",
    "analysis",
    "opinion",
    "watch",
    "video",
    "live",
    "photos",
    "factbox",
    "explainer",
    "fact check",
    "q&a",
    "advertisement",
    "comment",
    "interview",
    "urgent",
    "important",
    "ps",
    "p.s",
    "важно",
    "срочно",
    "молния",
    "обновлено",
    "eilmeldung",
    "exclusif",
    "última hora",
    "ap",
    "afp",
    "reuters",
    "faq",
    "tl;dr",
    "tldr",
    "nb",
    "n.b",
];

/// An upper-case place name: "ASTANA", "NEW YORK", "МОСКВА".
fn caps_place(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    (2..=40).contains(&chars(s))
        && letters >= 2
        && words(s) <= 4
        && s.chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '\'' | '’'))
        && !NOT_PLACE.contains(&s.to_lowercase().as_str())
}

/// The first body line's dateline: its place and the date it states.
fn dateline(items: &[Item<'_>], out: &mut Extraction) {
    let Some(first) = items
        .iter()
        .find(|i| i.reason.is_none() && words(&i.flat) >= 6)
    else {
        return;
    };
    let Some((place, date)) = parse_dateline(&first.flat) else {
        return;
    };
    out.dateline = Some(place);
    if let Some(value) = date {
        out.published
            .get_or_insert(DateValue::new(value, DateMethod::Dateline, 0.7));
    }
}

/// "MOSCOW (Reuters) -", "WASHINGTON, Nov 21 (Reuters) -", "ASTANA:",
/// "LONDON, 21 November 2019 (AFP) –".
fn parse_dateline(flat: &str) -> Option<(String, Option<String>)> {
    let head_end = flat.char_indices().nth(120).map_or(flat.len(), |(i, _)| i);
    let head = &flat[..head_end];
    let dash = [" - ", " – ", " — ", " -- ", " -", " –", " —"]
        .iter()
        .filter_map(|d| head.find(d))
        .min();
    let colon = head.find(": ");
    let (pre, by_colon) = match (dash, colon) {
        (Some(d), Some(c)) if c < d => (&head[..c], true),
        (Some(d), _) => (&head[..d], false),
        (None, Some(c)) => (&head[..c], true),
        (None, None) => return None,
    };
    let pre = pre.trim();
    if chars(pre) > 80 || ends_sentence(pre) && !pre.ends_with(['.', ')']) {
        return None;
    }
    let place_end = pre.find([',', '(', '/']).unwrap_or(pre.len());
    let place = pre[..place_end].trim();
    let agency = pre[place_end..].contains('(');
    let title_case = place.split_whitespace().all(capitalised) && words(place) <= 3;
    if !(caps_place(place) || (agency && title_case && !by_colon)) {
        return None;
    }
    if by_colon && words(pre) > 4 && !pre.contains(',') {
        return None;
    }
    if words(&pre[place_end..]) > 8 {
        return None;
    }
    Some((place.to_owned(), parse_date_text(pre)))
}
