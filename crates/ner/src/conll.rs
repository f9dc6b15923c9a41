//! Reading CoNLL-2003 style files: one token per line (`word POS chunk NER`,
//! the NER tag last), blank lines between sentences, `-DOCSTART-` lines
//! between documents.

use crate::tags::{chunks_to_bilou, conlleval_chunks, Chunk};

/// One sentence with its gold entities.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    /// Gold chunks as conlleval reads the file's last column.
    pub chunks: Vec<Chunk>,
    /// The same chunks as BILOU tag ids.
    pub tags: Vec<u8>,
}

/// A document: the sentences between two `-DOCSTART-` lines.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

impl Document {
    pub fn tokens(&self) -> usize {
        self.sentences.iter().map(|s| s.words.len()).sum()
    }
}

/// Parses CoNLL text. Lines with one column are read as unlabelled tokens
/// (tag `O`).
pub fn parse(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut doc = Document::default();
    let mut words: Vec<String> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let flush = |words: &mut Vec<String>, labels: &mut Vec<String>, doc: &mut Document| {
        if !words.is_empty() {
            let chunks = conlleval_chunks(labels);
            let tags = chunks_to_bilou(&chunks, words.len());
            doc.sentences.push(Sentence {
                words: std::mem::take(words),
                chunks,
                tags,
            });
            labels.clear();
        }
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut words, &mut labels, &mut doc);
            continue;
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().unwrap_or_default();
        if word == "-DOCSTART-" {
            flush(&mut words, &mut labels, &mut doc);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let label = cols.last().unwrap_or("O");
        words.push(word.to_owned());
        labels.push(label.to_owned());
    }
    flush(&mut words, &mut labels, &mut doc);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents_and_sentences() {
        let text = "-DOCSTART- -X- -X- O\n\nAlpha NNP B-NP B-ORG\nBeta NNP I-NP I-ORG\nsaid VBD B-VP O\n\nGamma NNP B-NP B-PER\n\n-DOCSTART- -X- -X- O\n\nDelta NNP B-NP I-LOC\n";
        let docs = parse(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].chunks.len(), 1);
        assert_eq!(docs[0].sentences[0].chunks[0].end, 2);
        assert_eq!(docs[1].sentences[0].chunks[0].ty.as_str(), "LOC");
        assert_eq!(docs[0].tokens(), 4);
    }
}
