//! `dossier ner --conll FILE`: tag a CoNLL-format file with the embedded
//! model and print it back with the predicted IOB2 tag as the last column,
//! so any CoNLL-style set can be scored with conlleval.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dossier_ner::tags::{bilou_chunks, chunks_to_iob2};

#[derive(Args)]
pub struct NerArgs {
    /// A CoNLL file: one token per line in the first column, blank lines
    /// between sentences, `-DOCSTART-` lines between documents (`-` reads
    /// standard input).
    #[arg(long)]
    conll: PathBuf,
}

pub fn run(args: NerArgs) -> anyhow::Result<ExitCode> {
    let text = if args.conll.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(&args.conll)
            .with_context(|| format!("cannot read {}", args.conll.display()))?
    };
    let model = dossier_ner::model().context("this build carries no NER model")?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in tag_conll(model, &text) {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The file's lines, each token line with the predicted tag appended.
/// Documents (between `-DOCSTART-` lines) are tagged as units, so the
/// model's document-level features see the whole document.
fn tag_conll(model: &dossier_ner::Model, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    // (line index of each token) per sentence, per document.
    let mut doc: Vec<Vec<usize>> = Vec::new();
    let mut sent: Vec<usize> = Vec::new();
    let flush_doc = |doc: &mut Vec<Vec<usize>>, out: &mut Vec<String>| {
        if doc.is_empty() {
            return;
        }
        let words: Vec<Vec<&str>> = doc
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&i| lines[i].split_whitespace().next().unwrap_or_default())
                    .collect()
            })
            .collect();
        let tagged = model.tag_document(&words);
        for (s, tags) in doc.iter().zip(tagged) {
            let iob = chunks_to_iob2(&bilou_chunks(&tags), s.len());
            for (&i, t) in s.iter().zip(iob) {
                out[i] = format!("{} {t}", lines[i].trim_end());
            }
        }
        doc.clear();
    };
    for (i, line) in lines.iter().enumerate() {
        let first = line.split_whitespace().next();
        match first {
            None => {
                if !sent.is_empty() {
                    doc.push(std::mem::take(&mut sent));
                }
            }
            Some("-DOCSTART-") => {
                if !sent.is_empty() {
                    doc.push(std::mem::take(&mut sent));
                }
                flush_doc(&mut doc, &mut out);
            }
            Some(_) => sent.push(i),
        }
    }
    if !sent.is_empty() {
        doc.push(sent);
    }
    flush_doc(&mut doc, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn appends_a_tag_to_every_token_line() {
        let Some(model) = dossier_ner::model() else {
            return;
        };
        let text = "-DOCSTART- -X- -X- O\n\nAngela NNP\nMerkel NNP\nvisited VBD\nParis NNP\n. .\n\nHe PRP\nleft VBD\n";
        let out = super::tag_conll(model, text);
        assert_eq!(out.len(), text.lines().count());
        assert_eq!(out[0], "-DOCSTART- -X- -X- O");
        assert_eq!(out[1], "");
        assert_eq!(out[2], "Angela NNP B-PER");
        assert_eq!(out[3], "Merkel NNP I-PER");
        assert_eq!(out[5], "Paris NNP B-LOC");
        assert!(out[8].starts_with("He PRP "));
    }
}
