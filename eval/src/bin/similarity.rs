//! Article similarity against SemEval-2022 Task 8 ("Multilingual news
//! article similarity"): Pearson correlation of `dossier_link::similarity`
//! with the gold Overall score, negated (gold 1 = same story .. 4 =
//! unrelated, so a good similarity correlates positively with -Overall).
//!
//! Pairs are split by `pair_id` into fixed dev/test halves
//! (`dossier_eval::split`); the component weights and the logistic curve are
//! tuned on English dev pairs only, then reported on test, dev and all, per
//! language pair. Document frequencies are built from every text in the file
//! (no labels involved).
//!
//! Usage: cargo run --release -p dossier-eval --bin similarity -- [CSV]

use std::collections::BTreeMap;
use std::time::Instant;

use dossier_eval::split::Split;
use dossier_link::similarity::{
    dot, overlap, time_proximity, ArticleSimilarity, DocFreq, Features, Weights, DEFAULT_WEIGHTS,
};

/// RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The dataset's texts start with the title, then two spaces.
fn title_and_text(s: &str) -> (&str, &str) {
    match s.find("  ") {
        Some(i) if i < 400 => (&s[..i], &s[i..]),
        _ => ("", s),
    }
}

fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return f64::NAN;
    }
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

struct Pair {
    langs: String,
    split: Split,
    gold: f64,
    cosine: f64,
    title: Option<f64>,
    entities: Option<f64>,
    numbers: Option<f64>,
}

impl Pair {
    fn score(&self, w: &Weights) -> f64 {
        ArticleSimilarity::combine(
            w,
            self.cosine,
            self.title,
            self.entities,
            self.numbers,
            time_proximity(None, None),
        )
        .score
    }
}

fn correlation(pairs: &[&Pair], w: &Weights) -> f64 {
    let xs: Vec<f64> = pairs.iter().map(|p| p.score(w)).collect();
    let ys: Vec<f64> = pairs.iter().map(|p| -p.gold).collect();
    pearson(&xs, &ys)
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/similarity/semeval2022/training_set.csv".to_owned());
    let text =
        std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("cannot read {path}: {e}"))?;
    let rows = parse_csv(&text);
    let header = rows.first().ok_or_else(|| anyhow::anyhow!("empty csv"))?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow::anyhow!("no column {name}"))
    };
    let (c_id, c_l1, c_l2, c_t1, c_t2, c_overall) = (
        col("pair_id")?,
        col("lang1")?,
        col("lang2")?,
        col("text1")?,
        col("text2")?,
        col("Overall")?,
    );
    let started = Instant::now();
    let mut docs = Vec::new();
    let mut meta = Vec::new();
    for row in rows.iter().skip(1) {
        if row.len() <= c_overall {
            continue;
        }
        let Ok(gold) = row[c_overall].parse::<f64>() else {
            continue;
        };
        let (t1, x1) = title_and_text(&row[c_t1]);
        let (t2, x2) = title_and_text(&row[c_t2]);
        docs.push((
            Features::new(t1, x1, None, None),
            Features::new(t2, x2, None, None),
        ));
        meta.push((
            format!("{}-{}", row[c_l1], row[c_l2]),
            Split::of(&row[c_id]),
            gold,
        ));
    }
    let mut df = DocFreq::new();
    for (a, b) in &docs {
        df.add(a);
        df.add(b);
    }
    let pairs: Vec<Pair> = docs
        .iter()
        .zip(meta)
        .map(|((a, b), (langs, split, gold))| Pair {
            langs,
            split,
            gold,
            cosine: dot(&df.weigh(&a.terms), &df.weigh(&b.terms)).clamp(0.0, 1.0) as f64,
            title: overlap(&a.title, &b.title),
            entities: overlap(&a.entities, &b.entities),
            numbers: overlap(&a.numbers, &b.numbers),
        })
        .collect();
    let features_secs = started.elapsed().as_secs_f64();

    // Tune on English dev pairs only.
    let en_dev: Vec<&Pair> = pairs
        .iter()
        .filter(|p| p.langs == "en-en" && p.split == Split::Dev)
        .collect();
    let mut best = (correlation(&en_dev, &DEFAULT_WEIGHTS), DEFAULT_WEIGHTS);
    for title in [0.0, 0.15, 0.3, 0.6] {
        for entities in [0.0, 0.25, 0.5, 1.0, 1.5] {
            for numbers in [0.0, 0.1, 0.2, 0.4] {
                for centre in [0.05, 0.1, 0.15, 0.2, 0.25, 0.3] {
                    for slope in [4.0, 8.0, 12.0, 16.0, 24.0] {
                        let w = Weights {
                            cosine: 1.0,
                            title,
                            entities,
                            numbers,
                            time: DEFAULT_WEIGHTS.time,
                            centre,
                            slope,
                        };
                        let r = correlation(&en_dev, &w);
                        if r > best.0 {
                            best = (r, w);
                        }
                    }
                }
            }
        }
    }
    let tuned = best.1;
    println!(
        "SemEval-2022 Task 8 training set: {} pairs from {path}",
        pairs.len()
    );
    println!("Pearson r of similarity with -Overall (gold 1 = same story .. 4 = unrelated)");
    println!("weights tuned on en-en dev: {tuned:?}");
    println!("default weights (DEFAULT_WEIGHTS): {DEFAULT_WEIGHTS:?}");
    let cosine_only = Weights {
        title: 0.0,
        entities: 0.0,
        numbers: 0.0,
        time: 0.0,
        ..DEFAULT_WEIGHTS
    };
    let mut by_lang: BTreeMap<&str, Vec<&Pair>> = BTreeMap::new();
    for p in &pairs {
        by_lang.entry(p.langs.as_str()).or_default().push(p);
    }
    println!(
        "{:<8} {:>5} {:>5} | {:>8} {:>8} {:>8} | {:>9} {:>11}",
        "langs", "n", "test", "r test", "r dev", "r all", "r default", "r cos-only"
    );
    let print = |name: &str, group: &[&Pair]| {
        let test: Vec<&Pair> = group
            .iter()
            .copied()
            .filter(|p| p.split == Split::Test)
            .collect();
        let dev: Vec<&Pair> = group
            .iter()
            .copied()
            .filter(|p| p.split == Split::Dev)
            .collect();
        println!(
            "{:<8} {:>5} {:>5} | {:>8.4} {:>8.4} {:>8.4} | {:>9.4} {:>11.4}",
            name,
            group.len(),
            test.len(),
            correlation(&test, &tuned),
            correlation(&dev, &tuned),
            correlation(group, &tuned),
            correlation(group, &DEFAULT_WEIGHTS),
            correlation(group, &cosine_only),
        );
    };
    for (lang, group) in &by_lang {
        if group.len() >= 20 {
            print(lang, group);
        }
    }
    let all: Vec<&Pair> = pairs.iter().collect();
    print("ALL", &all);
    let cross: Vec<&Pair> = pairs
        .iter()
        .filter(|p| p.langs[..2] != p.langs[3..])
        .collect();
    print("cross", &cross);
    println!(
        "features + DF for {} texts in {:.2} s ({:.0} texts/s)",
        2 * pairs.len(),
        features_secs,
        2.0 * pairs.len() as f64 / features_secs.max(1e-9)
    );
    Ok(())
}
