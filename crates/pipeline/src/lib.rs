//! Turns a [`RawDocument`] into an [`Article`]: extraction, then the
//! per-article analysis layers. Pure functions of one document, so the CLI
//! runs them in parallel; `dossier reprocess` runs the same code over stored
//! content, which is what keeps ingest and reprocess from drifting apart.

mod corpus;
mod not_article;

pub use corpus::{learn, paragraph_hash, CorpusBoilerplate, LearnOptions, Learned};

use std::collections::BTreeMap;

use dossier_core::{
    Article, ArticleId, Component, Content, Hints, InputFormat, Layer, RawDocument, Span,
};
use dossier_extract::{default_extractor, Extraction, Extractor};

/// Why a document did not become an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("no article text found")]
    NoText,
    /// An error page, a paywall stub or an index page.
    #[error("not an article: {0}")]
    NotAnArticle(String),
}

/// The component that records what extraction cut (see `boilerplate_layer`).
pub const BOILERPLATE_COMPONENT: (&str, &str) = ("pipeline-boilerplate", "1");

/// Longest title made up from the first line when a document has none.
const MAX_DERIVED_TITLE_CHARS: usize = 120;

pub struct Pipeline {
    extractor: Box<dyn Extractor>,
    corpus: CorpusBoilerplate,
}

impl Default for Pipeline {
    fn default() -> Pipeline {
        Pipeline::new(default_extractor())
    }
}

impl Pipeline {
    pub fn new(extractor: Box<dyn Extractor>) -> Pipeline {
        Pipeline {
            extractor,
            corpus: CorpusBoilerplate::default(),
        }
    }

    /// Also removes the paragraphs learned as each outlet's boilerplate.
    pub fn with_corpus_boilerplate(mut self, corpus: CorpusBoilerplate) -> Pipeline {
        self.corpus = corpus;
        self
    }

    pub fn extractor(&self) -> &dyn Extractor {
        self.extractor.as_ref()
    }

    /// Extracts and analyses one freshly read document.
    pub fn process(&self, doc: &RawDocument) -> Result<Article, Rejected> {
        self.build(doc.id(), doc.format, &doc.content, &doc.hints)
    }

    /// Redoes extraction and analysis of a stored article from its content.
    pub fn reprocess(
        &self,
        id: ArticleId,
        format: InputFormat,
        content: &Content,
        hints: &Hints,
    ) -> Result<Article, Rejected> {
        self.build(id, format, content, hints)
    }

    /// The components this build would produce, by layer name, to compare
    /// with what a stored article was made with.
    pub fn components(&self) -> (Component, BTreeMap<String, Component>) {
        let mut layers: BTreeMap<String, Component> =
            dossier_nlp::analyze("", &dossier_nlp::Context::default())
                .into_iter()
                .map(|l| (l.name, l.component))
                .collect();
        layers.insert(
            "boilerplate".into(),
            Component::new(BOILERPLATE_COMPONENT.0, BOILERPLATE_COMPONENT.1),
        );
        (self.extractor.component(), layers)
    }

    fn build(
        &self,
        id: ArticleId,
        format: InputFormat,
        content: &Content,
        hints: &Hints,
    ) -> Result<Article, Rejected> {
        let extraction = match content {
            Content::Html(html) => self.extractor.extract_html(html, hints.url.as_deref()),
            Content::Text(text) => self.extractor.extract_text(text, hints.title_in_text),
        };
        let lead = extraction.text.len() - extraction.text.trim_start().len();
        let text = extraction.text.trim().to_owned();
        if !text.chars().any(char::is_alphanumeric) {
            return Err(Rejected::NoText);
        }
        let title = choose_title(hints, &extraction, &text);
        // Web pages may be index or error pages; feed items, JSON records and
        // e-mails were sent as articles, so only the error and paywall
        // rules apply to them.
        let web_page = matches!(format, InputFormat::Html | InputFormat::Warc);
        if let Some(reason) = not_article::not_an_article(&title, &text, web_page) {
            return Err(Rejected::NotAnArticle(reason));
        }
        let lead_chars = extraction.text[..lead].chars().count();
        let source = choose_source(hints, &extraction);
        let cut = self
            .corpus
            .for_source(source.as_deref())
            .and_then(|learned| corpus::cut(&text, learned));
        let text = cut.as_ref().map_or(text, |c| c.text.clone());
        // The container's declared date (a JSONL field, a feed item, an
        // e-mail header) wins: it was written by the publisher for this
        // record. Otherwise whatever extraction found, with its method.
        let published = hints
            .published
            .clone()
            .or_else(|| extraction.published.clone());
        let language = dossier_nlp::detect_language(&text)
            .or_else(|| hints.language.clone())
            .or_else(|| extraction.language.clone());
        let context = dossier_nlp::Context {
            published: published.as_ref(),
            language: language.as_deref(),
        };
        let mut layers: BTreeMap<String, Layer> = dossier_nlp::analyze(&text, &context)
            .into_iter()
            .map(|l| (l.name.clone(), l))
            .collect();
        let boilerplate =
            boilerplate_layer(&extraction, lead_chars, cut.as_ref(), text.chars().count());
        layers.insert(boilerplate.name.clone(), boilerplate);
        Ok(Article {
            id,
            title,
            url: article_url(hints.url.as_deref(), extraction.canonical_url.as_deref()),
            source,
            published,
            language,
            authors: if hints.authors.is_empty() {
                extraction.authors.clone()
            } else {
                hints.authors.clone()
            },
            text,
            format,
            extractor: self.extractor.component(),
            layers,
        })
    }
}

/// What was removed, as zero-width spans at the place of each cut, with the
/// removed text and the reason, so a user can see and overrule a wrong cut:
/// the extractor's cuts (shifted by the whitespace trimmed off the front and
/// by any corpus cut) and the corpus-level cuts.
fn boilerplate_layer(
    extraction: &Extraction,
    lead_chars: usize,
    cut: Option<&corpus::Cut>,
    text_chars: usize,
) -> Layer {
    let mut spans: Vec<Span> = extraction
        .removed
        .iter()
        .map(|r| {
            let at = r.at.saturating_sub(lead_chars);
            let at = cut.map_or(at, |c| c.map(at)).min(text_chars);
            Span::new(at, at)
                .with("text", r.text.as_str())
                .with("reason", r.reason)
        })
        .collect();
    for (at, text) in cut.map(|c| c.removed.as_slice()).unwrap_or_default() {
        spans.push(
            Span::new(*at, *at)
                .with("text", text.as_str())
                .with("reason", CORPUS_REASON)
                .with("paragraph_hash", paragraph_hash(text)),
        );
    }
    spans.sort_by_key(|s| s.start);
    Layer {
        name: "boilerplate".into(),
        component: Component::new(BOILERPLATE_COMPONENT.0, BOILERPLATE_COMPONENT.1),
        spans,
    }
}

/// The reason recorded for paragraphs cut as an outlet's learned boilerplate.
pub const CORPUS_REASON: &str = "corpus-boilerplate";

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn choose_title(hints: &Hints, extraction: &Extraction, text: &str) -> String {
    non_empty(&hints.title)
        .or_else(|| non_empty(&extraction.title))
        .unwrap_or_else(|| {
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            let mut title: String = first.chars().take(MAX_DERIVED_TITLE_CHARS).collect();
            if first.chars().count() > MAX_DERIVED_TITLE_CHARS {
                title.push('…');
            }
            title
        })
}

/// The article's address: the page's canonical link when it names a page of
/// the same site (so the AMP, mobile or tracking-laden URL a page was
/// fetched from is recorded as the article's real one), else the URL it came
/// from. A canonical pointing at another site or at the site's front page
/// is a common template mistake and is not followed.
pub fn article_url(fetched: Option<&str>, canonical: Option<&str>) -> Option<String> {
    let Some(fetched) = fetched else {
        return canonical.map(str::to_owned);
    };
    let honoured = canonical.filter(|c| {
        let same_site = host_of(c)
            .zip(host_of(fetched))
            .is_some_and(|(a, b)| site_of(&a) == site_of(&b));
        same_site && (has_path(c) || !has_path(fetched))
    });
    Some(honoured.unwrap_or(fetched).to_owned())
}

/// A host without the `amp.` / `m.` / `mobile.` prefixes of alternate editions.
fn site_of(host: &str) -> &str {
    ["amp.", "m.", "mobile."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(host)
}

/// Whether a URL names more than the site's root.
fn has_path(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split_once('/')
        .is_some_and(|(_, path)| !path.trim_matches('/').is_empty())
}

fn choose_source(hints: &Hints, extraction: &Extraction) -> Option<String> {
    non_empty(&hints.source)
        .or_else(|| non_empty(&extraction.site_name))
        .or_else(|| {
            let url = hints
                .url
                .as_deref()
                .or(extraction.canonical_url.as_deref())?;
            host_of(url)
        })
}

/// The host of an http(s) URL without a leading `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_link_of_the_same_site_is_the_article_url() {
        let amp = Some("https://amp.news.example/2024/05/talks?utm_source=x");
        assert_eq!(
            article_url(amp, Some("https://www.news.example/2024/05/talks")).as_deref(),
            Some("https://www.news.example/2024/05/talks")
        );
        // Another site, or the front page: a template mistake, not followed.
        for wrong in [
            "https://other.example/2024/05/talks",
            "https://news.example/",
        ] {
            assert_eq!(article_url(amp, Some(wrong)).as_deref(), amp);
        }
        assert_eq!(
            article_url(None, Some("https://a.example/x")).as_deref(),
            Some("https://a.example/x")
        );
    }
    use dossier_core::{DateMethod, DateValue, Origin};

    fn text_doc(text: &str, hints: Hints) -> RawDocument {
        RawDocument {
            origin: Origin::file("t.txt"),
            format: InputFormat::Text,
            raw: text.as_bytes().to_vec(),
            content: Content::Text(text.into()),
            hints,
        }
    }

    #[test]
    fn plain_text_title_line_and_layers() {
        let doc = text_doc(
            "Floods hit Almaty\n\nHeavy rain flooded the streets of the city on Monday. Officials said that more \
             rain was expected later in the week and asked residents to stay at home.",
            Hints { title_in_text: true, ..Hints::default() },
        );
        let article = Pipeline::default().process(&doc).unwrap();
        assert_eq!(article.title, "Floods hit Almaty");
        assert!(article.text.starts_with("Heavy rain"));
        assert_eq!(article.layers["sentences"].spans.len(), 2);
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(article.id, doc.id());
        let chars = article.text.chars().count();
        assert!(article.layers.values().all(|l| l.spans_fit(chars)));
    }

    #[test]
    fn declared_metadata_wins_and_no_date_is_invented() {
        let hints = Hints {
            title: Some("Declared".into()),
            url: Some("https://www.example.org/news/1".into()),
            published: Some(DateValue::new("2020-02-03", DateMethod::Declared, 0.9)),
            ..Hints::default()
        };
        let article = Pipeline::default()
            .process(&text_doc("Some body text of the article goes here.", hints))
            .unwrap();
        assert_eq!(article.title, "Declared");
        assert_eq!(article.source.as_deref(), Some("example.org"));
        assert_eq!(article.published.unwrap().value, "2020-02-03");

        let bare = Pipeline::default()
            .process(&text_doc(
                "Title\n\nBody text without any date.",
                Hints::default(),
            ))
            .unwrap();
        assert_eq!(bare.published, None);
    }

    #[test]
    fn empty_documents_are_rejected() {
        let doc = text_doc("   \n\n  ", Hints::default());
        assert_eq!(Pipeline::default().process(&doc), Err(Rejected::NoText));
    }

    #[test]
    fn hosts_are_parsed_from_urls() {
        assert_eq!(
            host_of("https://www.BBC.co.uk/news?x=1").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(
            host_of("http://user@host.kz:8080/a").as_deref(),
            Some("host.kz")
        );
        assert_eq!(host_of("not a url"), None);
    }
}
