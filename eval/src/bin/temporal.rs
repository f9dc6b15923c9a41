//! Temporal tagger benchmark: `dossier-nlp`'s `timexes` layer against TimeML
//! gold annotations, scored with the TempEval-3 timex measures.
//!
//! Usage: `cargo run --release -p dossier-eval --bin temporal -- [--data tbaq|platinum|PATH]
//! [--errors N] [--repeat N]`
//!
//! - `--data tbaq` (default): TBAQ-cleaned (TimeBank + AQUAINT, 256 documents), the TempEval-3
//!   training data: develop and tune here.
//! - `--data platinum`: the TempEval-3 platinum test set (20 documents): report once.
//! - `--errors N`: print up to N missed, spurious and wrongly valued timexes (dev only).
//! - `--repeat N`: run the tagger N times over the documents for the speed figure.
//!
//! Each `.tml` file gives the text (the content of `<TEXT>` with every tag removed and the XML
//! entities decoded) and the gold `<TIMEX3>` spans inside it, in characters. The document creation
//! time (`<DCT><TIMEX3 functionInDocument="CREATION_TIME" value=...>`) is passed as
//! `Context::published`, as TempEval-3 systems received it.
//!
//! Scorer rules, as the official TE3 toolkit (`TE3-evaluation.py` /
//! `evaluation-entities/evaluate_entities.py`, UzZaman et al. 2013) defines them:
//! - Gold timexes are those of the form `<TIMEX3 ...>text</TIMEX3>` with no tag inside and a
//!   non-blank text (the toolkit's `<TIMEX3[^>]*>[^<]*</TIMEX3>`); the DCT (`t0`) is not counted;
//!   empty (self-closing) timexes are not counted.
//! - Relaxed match: a system timex and a gold timex match when their extents overlap; the toolkit
//!   aligns them one to one (its TimeML normaliser gives the system timex the gold id), here each
//!   gold timex, in text order, takes the first still unmatched system timex that overlaps it.
//!   Strict match: a relaxed match whose extents are identical.
//! - Counts are summed over all documents (micro average): P = matches / system timexes,
//!   R = matches / gold timexes, F1 = 2PR / (P + R), for strict and relaxed matching.
//! - Attributes are compared over relaxed matches by exact string equality of `value` and of
//!   `type`; accuracy = equal / relaxed matches, and the reported "attribute F1" (the Value F1 and
//!   Type F1 of the TE3 results table) = accuracy x relaxed F1.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use dossier_core::{DateMethod, DateValue, Span};
use dossier_nlp::{sentence_layer, timex_layer, Context};

const USAGE: &str = "usage: temporal [--data tbaq|platinum|PATH] [--errors N] [--repeat N]";

struct Gold {
    start: usize,
    end: usize,
    kind: String,
    value: String,
}

struct Doc {
    name: String,
    text: String,
    dct: Option<String>,
    gold: Vec<Gold>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let rest = &tag[at..];
    Some(rest[..rest.find('"')?].to_string())
}

fn decode_entity(s: &str) -> Option<(char, usize)> {
    for (ent, c) in [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
    ] {
        if s.starts_with(ent) {
            return Some((c, ent.len()));
        }
    }
    None
}

/// Parses one TimeML file into plain text and gold spans (character offsets).
fn parse_tml(name: &str, xml: &str) -> Result<Doc> {
    let dct = xml
        .find("<DCT>")
        .and_then(|p| xml[p..].find("<TIMEX3").map(|q| p + q))
        .and_then(|p| {
            let end = xml[p..].find('>')? + p;
            attr(&xml[p..end], "value")
        });
    let body_start = xml.find("<TEXT>").context("no <TEXT>")? + "<TEXT>".len();
    let body_end = xml.find("</TEXT>").context("no </TEXT>")?;
    let body = &xml[body_start..body_end];
    let mut text = String::new();
    let mut chars = 0usize;
    let mut gold = Vec::new();
    // The open TIMEX3: start, type, value, whether another tag opened inside it.
    let mut open: Option<(usize, String, String, bool)> = None;
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('<') {
            let close = rest.find('>').context("unclosed tag")?;
            let tag = &rest[..=close];
            if tag.starts_with("<TIMEX3") && !tag.ends_with("/>") {
                open = Some((
                    chars,
                    attr(tag, "type").unwrap_or_default(),
                    attr(tag, "value").unwrap_or_default(),
                    false,
                ));
            } else if tag.starts_with("</TIMEX3") {
                if let Some((start, kind, value, nested)) = open.take() {
                    let covered: String = text.chars().skip(start).collect();
                    if !nested && !covered.trim().is_empty() {
                        gold.push(Gold {
                            start,
                            end: chars,
                            kind,
                            value,
                        });
                    }
                }
            } else if let Some(o) = open.as_mut() {
                o.3 = true;
            }
            i += close + 1;
        } else if let Some((c, len)) = decode_entity(rest) {
            text.push(c);
            chars += 1;
            i += len;
        } else {
            let c = rest.chars().next().expect("non-empty");
            text.push(c);
            chars += 1;
            i += c.len_utf8();
        }
    }
    Ok(Doc {
        name: name.to_string(),
        text,
        dct,
        gold,
    })
}

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_tml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "tml") {
            out.push(path);
        }
    }
    Ok(())
}

fn shared_temporal() -> Option<PathBuf> {
    ["../shared/data/temporal", "../../shared/data/temporal"]
        .iter()
        .map(PathBuf::from)
        .chain(std::iter::once(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/temporal"),
        ))
        .find(|p| p.is_dir())
}

#[derive(Default)]
struct Counts {
    gold: usize,
    system: usize,
    relaxed: usize,
    strict: usize,
    value: usize,
    kind: usize,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn field<'a>(s: &'a Span, k: &str) -> &'a str {
    s.fields.get(k).and_then(|v| v.as_str()).unwrap_or("")
}

/// Scores one document into `c`; returns the error lines.
fn score(doc: &Doc, system: &[Span], c: &mut Counts) -> Vec<String> {
    let mut errors = Vec::new();
    let snippet = |s: usize, e: usize| doc.text.chars().skip(s).take(e - s).collect::<String>();
    c.gold += doc.gold.len();
    c.system += system.len();
    let mut used = vec![false; system.len()];
    for g in &doc.gold {
        let hit = system
            .iter()
            .enumerate()
            .find(|(k, s)| !used[*k] && s.start < g.end && g.start < s.end);
        let Some((k, s)) = hit else {
            errors.push(format!(
                "MISS  {:<30} {} {}",
                snippet(g.start, g.end),
                g.kind,
                g.value
            ));
            continue;
        };
        used[k] = true;
        c.relaxed += 1;
        if s.start == g.start && s.end == g.end {
            c.strict += 1;
        } else {
            errors.push(format!(
                "EXT   {:<30} gold {:?}",
                snippet(s.start, s.end),
                snippet(g.start, g.end)
            ));
        }
        if field(s, "value") == g.value {
            c.value += 1;
        } else {
            errors.push(format!(
                "VALUE {:<30} {} gold {} (dct {})",
                snippet(s.start, s.end),
                field(s, "value"),
                g.value,
                doc.dct.as_deref().unwrap_or("-")
            ));
        }
        if field(s, "type") == g.kind {
            c.kind += 1;
        } else {
            errors.push(format!(
                "TYPE  {:<30} {} gold {}",
                snippet(s.start, s.end),
                field(s, "type"),
                g.kind
            ));
        }
    }
    for (k, s) in system.iter().enumerate() {
        if !used[k] {
            errors.push(format!(
                "SPUR  {:<30} {} {}",
                snippet(s.start, s.end),
                field(s, "type"),
                field(s, "value")
            ));
        }
    }
    errors
}

fn main() -> Result<()> {
    let mut data = "tbaq".to_string();
    let mut errors_shown = 0usize;
    let mut repeat = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |what: &str| args.next().with_context(|| format!("{a} needs {what}"));
        match a.as_str() {
            "--data" => data = value("tbaq, platinum or a PATH")?,
            "--errors" => errors_shown = value("N")?.parse()?,
            "--repeat" => repeat = value("N")?.parse::<usize>()?.max(1),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    let dir = match data.as_str() {
        "tbaq" | "platinum" => {
            let Some(root) = shared_temporal() else {
                println!("skipping: ../shared/data/temporal not found");
                return Ok(());
            };
            root.join(if data == "tbaq" {
                "tbaq-cleaned"
            } else {
                "te3-platinum"
            })
        }
        path => PathBuf::from(path),
    };
    if !dir.is_dir() {
        println!("skipping: {} not found", dir.display());
        return Ok(());
    }
    let mut files = Vec::new();
    collect_tml(&dir, &mut files)?;
    files.sort();
    let mut docs = Vec::new();
    for f in &files {
        let xml = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
        let name = f.file_name().unwrap_or_default().to_string_lossy();
        docs.push(parse_tml(&name, &xml).with_context(|| format!("parsing {}", f.display()))?);
    }
    let dcts: Vec<Option<DateValue>> = docs
        .iter()
        .map(|d| {
            d.dct
                .as_ref()
                .map(|v| DateValue::new(v.clone(), DateMethod::Declared, 1.0))
        })
        .collect();
    let run = |d: &Doc, dct: &Option<DateValue>| {
        let ctx = Context {
            published: dct.as_ref(),
            language: Some("en"),
        };
        timex_layer(&d.text, &ctx)
    };

    let mut c = Counts::default();
    let mut all_errors = Vec::new();
    for (d, dct) in docs.iter().zip(&dcts) {
        let layer = run(d, dct);
        assert!(layer.spans_fit(d.text.chars().count()));
        for e in score(d, &layer.spans, &mut c) {
            all_errors.push(format!("{:<28} {e}", d.name));
        }
    }

    // Speed: the tagger alone (layer building included), `repeat` passes.
    let sentences: usize = docs
        .iter()
        .map(|d| sentence_layer(&d.text).spans.len())
        .sum();
    let chars: usize = docs.iter().map(|d| d.text.len()).sum();
    let t0 = Instant::now();
    let mut sink = 0usize;
    for _ in 0..repeat {
        for (d, dct) in docs.iter().zip(&dcts) {
            sink += run(d, dct).spans.len();
        }
    }
    let secs = t0.elapsed().as_secs_f64() / repeat as f64;
    std::hint::black_box(sink);

    let sp = ratio(c.strict, c.system);
    let sr = ratio(c.strict, c.gold);
    let rp = ratio(c.relaxed, c.system);
    let rr = ratio(c.relaxed, c.gold);
    let rf = f1(rp, rr);
    let vacc = ratio(c.value, c.relaxed);
    let tacc = ratio(c.kind, c.relaxed);
    println!(
        "{} ({} documents, {} gold timexes, {} system timexes)",
        dir.display(),
        docs.len(),
        c.gold,
        c.system
    );
    println!("               F1      P       R");
    println!("strict match   {:.4}  {:.4}  {:.4}", f1(sp, sr), sp, sr);
    println!("relaxed match  {:.4}  {:.4}  {:.4}", rf, rp, rr);
    println!(
        "attribute F1   value {:.4}  type {:.4}",
        vacc * rf,
        tacc * rf
    );
    println!(
        "accuracy       value {:.4}  type {:.4}  (over {} relaxed matches)",
        vacc, tacc, c.relaxed
    );
    println!(
        "speed          {:.0} documents/s, {:.0} sentences/s, {:.1} MB/s ({:.1} ms for {} documents, one core)",
        docs.len() as f64 / secs,
        sentences as f64 / secs,
        chars as f64 / secs / 1e6,
        secs * 1e3,
        docs.len()
    );
    if errors_shown > 0 {
        if data == "platinum" {
            eprintln!("note: platinum is the test set; do not tune on these errors");
        }
        for e in all_errors.iter().take(errors_shown) {
            println!("{e}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tml_is_stripped_with_character_offsets() {
        let xml = r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>Déjà &amp; <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> he <EVENT eid="e1">left</EVENT> for <TIMEX3 tid="t2" type="DURATION" value="P2D">two <SIGNAL sid="s1">x</SIGNAL> days</TIMEX3>.<TIMEX3 tid="t3" type="DATE" value="PRESENT_REF"/></TEXT></TimeML>"#;
        let doc = parse_tml("x", xml).unwrap();
        assert_eq!(doc.dct.as_deref(), Some("1998-01-08"));
        assert_eq!(doc.text, "Déjà & yesterday he left for two x days.");
        // The nested timex and the empty one are not gold, as in the TE3 toolkit.
        assert_eq!(doc.gold.len(), 1);
        let g = &doc.gold[0];
        assert_eq!((g.start, g.end), (7, 16));
        assert_eq!(g.value, "1998-01-07");
    }

    #[test]
    fn scorer_counts_relaxed_strict_and_attributes() {
        let doc = Doc {
            name: "x".into(),
            text: "the past two weeks and Friday".into(),
            dct: None,
            gold: vec![
                Gold {
                    start: 0,
                    end: 18,
                    kind: "DURATION".into(),
                    value: "P2W".into(),
                },
                Gold {
                    start: 23,
                    end: 29,
                    kind: "DATE".into(),
                    value: "1998-01-02".into(),
                },
            ],
        };
        let sys = vec![
            Span::new(4, 18)
                .with("type", "DURATION")
                .with("value", "P2W"),
            Span::new(23, 29)
                .with("type", "DATE")
                .with("value", "1998-01-09"),
            Span::new(19, 22).with("type", "DATE").with("value", "X"),
        ];
        let mut c = Counts::default();
        score(&doc, &sys, &mut c);
        assert_eq!((c.gold, c.system, c.relaxed, c.strict), (2, 3, 2, 1));
        assert_eq!((c.value, c.kind), (1, 2));
    }
}
