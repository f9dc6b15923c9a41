//! What ingest reads ([`RawDocument`]) and what the pipeline stores ([`Article`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Component, DateValue, Layer};

/// The input formats `dossier ingest` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Html,
    Text,
    Jsonl,
    Feed,
    Warc,
    Email,
}

impl InputFormat {
    pub const ALL: [InputFormat; 6] = [
        InputFormat::Html,
        InputFormat::Text,
        InputFormat::Jsonl,
        InputFormat::Feed,
        InputFormat::Warc,
        InputFormat::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Html => "html",
            InputFormat::Text => "text",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Feed => "feed",
            InputFormat::Warc => "warc",
            InputFormat::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<InputFormat> {
        InputFormat::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a document came from: a file (or `-`), and inside it a record
/// locator for containers (`line 12`, `item 3`, `record at byte 5120`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub path: String,
    pub record: Option<String>,
}

impl Origin {
    pub fn file(path: impl Into<String>) -> Origin {
        Origin {
            path: path.into(),
            record: None,
        }
    }

    pub fn record(path: impl Into<String>, record: impl Into<String>) -> Origin {
        Origin {
            path: path.into(),
            record: Some(record.into()),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.record {
            Some(r) => write!(f, "{} ({})", self.path, r),
            None => f.write_str(&self.path),
        }
    }
}

/// The decoded content of a document, before extraction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Content {
    /// An HTML page or fragment, already decoded to UTF-8.
    Html(String),
    /// Plain text; the first line may be the title (see [`Hints::title_in_text`]).
    Text(String),
}

impl Content {
    pub fn as_str(&self) -> &str {
        match self {
            Content::Html(s) | Content::Text(s) => s,
        }
    }
}

/// What the container said about a document, which extraction may refine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Hints {
    pub url: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<DateValue>,
    pub language: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// True for plain-text articles whose first line is the title.
    #[serde(default)]
    pub title_in_text: bool,
}

/// One document as ingest read it: the original bytes for provenance, the
/// decoded content for extraction, and what the container said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    pub origin: Origin,
    pub format: InputFormat,
    /// The record's original bytes (a file, a JSON line, an HTTP payload, an
    /// e-mail). The article id is the hash of these bytes.
    pub raw: Vec<u8>,
    pub content: Content,
    pub hints: Hints,
}

impl RawDocument {
    pub fn id(&self) -> ArticleId {
        ArticleId::of_bytes(&self.raw)
    }
}

/// A stable article id: the first 128 bits of the SHA-256 of the raw record,
/// written as 32 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId([u8; 16]);

impl ArticleId {
    pub fn of_bytes(bytes: &[u8]) -> ArticleId {
        let digest = Sha256::digest(bytes);
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        ArticleId(id)
    }

    pub fn parse_hex(s: &str) -> Option<ArticleId> {
        let mut id = [0u8; 16];
        hex::decode_to_slice(s, &mut id).ok()?;
        Some(ArticleId(id))
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for ArticleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ArticleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ArticleId::parse_hex(&s).ok_or_else(|| serde::de::Error::custom("invalid article id"))
    }
}

/// Hash of an article's title and text with whitespace collapsed: two records
/// with different bytes but the same words are the same article (exact
/// duplicate), and are stored once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextHash(pub ArticleId);

impl TextHash {
    pub fn of(title: &str, text: &str) -> TextHash {
        let mut normal = String::with_capacity(title.len() + text.len() + 1);
        for word in title.split_whitespace() {
            normal.push_str(word);
            normal.push(' ');
        }
        normal.push('\n');
        for word in text.split_whitespace() {
            normal.push_str(word);
            normal.push(' ');
        }
        TextHash(ArticleId::of_bytes(normal.as_bytes()))
    }
}

/// An article as stored: cleaned text plus metadata plus layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: String,
    pub published: Option<DateValue>,
    pub language: Option<String>,
    pub authors: Vec<String>,
    /// The cleaned article text; every layer's offsets point into it.
    pub text: String,
    pub format: InputFormat,
    /// The extractor that produced `text` from `content`.
    pub extractor: Component,
    pub layers: BTreeMap<String, Layer>,
}

impl Article {
    pub fn text_hash(&self) -> TextHash {
        TextHash::of(&self.title, &self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_stable_hex_of_raw_bytes() {
        let a = ArticleId::of_bytes(b"hello");
        assert_eq!(a.to_hex(), "2cf24dba5fb0a30e26e83b2ac5b9e29e");
        assert_eq!(ArticleId::parse_hex(&a.to_hex()), Some(a));
        assert_eq!(ArticleId::parse_hex("zz"), None);
    }

    #[test]
    fn text_hash_ignores_whitespace_layout() {
        assert_eq!(
            TextHash::of("A  title", "one\n\ntwo  three"),
            TextHash::of("A title", " one two\tthree ")
        );
        assert_ne!(
            TextHash::of("A title", "one"),
            TextHash::of("A", "title one")
        );
    }

    #[test]
    fn format_names_parse() {
        for f in InputFormat::ALL {
            assert_eq!(InputFormat::parse(f.as_str()), Some(f));
        }
    }
}
