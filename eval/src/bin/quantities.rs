//! Quantity extraction on NewsQuant and the Recognizers-Text sets of the CQE
//! evaluation (`../shared/data/quantities/newsquant-cqe`), scored the way
//! `evaluate_models.py` of github.com/satya77/CQE_Evaluation scores
//! (`calculate_metrics`, ported rule by rule below), with sentences/s.
//!
//! `cargo run --release -p dossier-eval --bin quantities [-- --errors SET]`
//! where SET is currency, dimension, age, temperature or newsquant-dev prints
//! that set's mismatches. NewsQuant is also split into fixed dev/test halves
//! (`split::Split::of(sentence text)`); its test half is never printed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use dossier_eval::split::Split;
use dossier_nlp::{extract_quantities, Quantity};
use serde_json::Value;

/// A value as the CQE scorer sees it: one number or a (low, high) range.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val {
    One(f64),
    Range(f64, f64),
}

/// One quantity in the scorer's terms.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    value: Val,
    /// `normalized_unit`, lower-cased.
    unit: String,
    change: String,
}

struct Sentence {
    text: String,
    gold: Vec<Item>,
}

/// `decode_dictionary` for ground truth: "8-10" is a range unless it contains
/// "E" or starts with "-"; the unit is lower-cased.
fn decode_gold(q: &Value) -> Item {
    let raw = match &q["value"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let parse = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
    let value = if !raw.contains('E') && !raw.starts_with('-') && raw.contains('-') {
        let mut parts = raw.split('-');
        Val::Range(
            parse(parts.next().unwrap_or("")),
            parse(parts.next().unwrap_or("")),
        )
    } else {
        Val::One(parse(&raw))
    };
    Item {
        value,
        unit: q["normalized_unit"].as_str().unwrap_or("").to_lowercase(),
        change: q["change"].as_str().unwrap_or("").to_owned(),
    }
}

/// `np.isclose(a, b, rtol=1e-05, atol=1e-08)`: |a - b| <= atol + rtol * |b|.
fn isclose(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-8 + 1e-5 * b.abs()
}

/// `values_match(gt_value, model_value)`.
fn values_match(gold: Val, model: Val) -> bool {
    match (gold, model) {
        (Val::Range(a, b), Val::Range(c, d)) => isclose(a, c) && isclose(b, d),
        (Val::One(a), Val::One(b)) => isclose(a, b),
        _ => false,
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    gold: usize,
    model: usize,
    value: usize,
    value_unit: usize,
    value_change: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.gold += o.gold;
        self.model += o.model;
        self.value += o.value;
        self.value_unit += o.value_unit;
        self.value_change += o.value_change;
    }
}

/// The body of `calculate_metrics` for one sentence, quirks included: both
/// lists are sorted by unit (stable); each gold quantity walks the model
/// quantities in order; every value match counts for "value" while fewer
/// than the sentence's gold count have been counted, and for "value+change"
/// when the change is equal; the first match that also has the same unit
/// counts for "value+unit", is removed, and ends that gold quantity's walk.
fn score_sentence(gold: &[Item], model: &[Item]) -> Counts {
    let mut c = Counts {
        gold: gold.len(),
        model: model.len(),
        ..Counts::default()
    };
    let mut tags: Vec<&Item> = model.iter().collect();
    tags.sort_by(|a, b| a.unit.cmp(&b.unit));
    let mut gt: Vec<&Item> = gold.iter().collect();
    gt.sort_by(|a, b| a.unit.cmp(&b.unit));
    let mut remaining = gold.len();
    for g in gt {
        let mut hit = None;
        for (idx, m) in tags.iter().enumerate() {
            if !values_match(g.value, m.value) {
                continue;
            }
            if remaining > 0 {
                c.value += 1;
                remaining -= 1;
            }
            if m.change == g.change {
                c.value_change += 1;
            }
            if m.unit == g.unit {
                c.value_unit += 1;
                hit = Some(idx);
                break;
            }
        }
        if let Some(idx) = hit {
            tags.remove(idx);
        }
    }
    c
}

/// `get_fscores`: P, R, F1 in percent (unrounded here; printed to 0.1).
fn fscores(tp: usize, gold: usize, model: usize) -> (f64, f64, f64) {
    let p = if model == 0 {
        0.0
    } else {
        tp as f64 / model as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        tp as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p * 100.0, r * 100.0, f * 100.0)
}

/// Our unit names in CQE's `normalized_unit` vocabulary.
fn cqe_unit(q: &Quantity) -> String {
    let base = match q.unit.as_deref() {
        None => "-".to_owned(),
        Some(u) => match u {
            "USD" => "dollar",
            "EUR" => "euro",
            "GBP" => "pound sterling",
            "JPY" => "japanese yen",
            "CNY" => "chinese yuan",
            "INR" => "rupee",
            "RUB" => "russian ruble",
            "CAD" => "canadian dollar",
            "AUD" => "australian dollar",
            "HKD" => "hong kong dollar",
            "NZD" => "new zealand dollar",
            "SGD" => "singapore dollar",
            "TWD" => "new taiwan dollar",
            "CHF" => "swiss franc",
            "MXN" => "mexican peso",
            "BRL" => "brazilian real",
            "KRW" => "south korean won",
            "TRY" => "turkish lira",
            "UAH" => "ukrainian hryvnia",
            "PLN" => "polish zloty",
            "NGN" => "nigerian naira",
            "ZAR" => "south african rand",
            "MYR" => "malaysian ringgit",
            "AED" => "united arab emirates dirham",
            "SAR" => "saudi riyal",
            "SEK" => "swedish krona",
            "NOK" => "norwegian krone",
            "DKK" => "danish krone",
            "BTC" => "bitcoin",
            "ILS" => "shekel",
            "CRC" => "costa rican colón",
            "GEL" => "georgian lari",
            "LAK" => "lao kip",
            "PHP" => "philippine peso",
            "VND" => "vietnamese dong",
            "percent" => "percentage",
            "tonne" => "metric ton",
            "TEU" => "twenty-foot equivalent unit",
            other => other,
        }
        .to_lowercase(),
    };
    match q.per {
        Some(per) => format!("{base} per {per}"),
        None => base,
    }
}

fn to_item(q: &Quantity) -> Item {
    Item {
        value: match q.value_max {
            Some(hi) => Val::Range(q.value, hi),
            None => Val::One(q.value),
        },
        unit: cqe_unit(q),
        change: q.change.to_owned(),
    }
}

fn data_dir() -> Option<PathBuf> {
    let rel = "shared/data/quantities/newsquant-cqe";
    [format!("../{rel}"), format!("../../{rel}")]
        .into_iter()
        .map(PathBuf::from)
        .chain(std::iter::once(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(rel),
        ))
        .find(|p| p.join("formatted_test_set/NewsQuant.json").is_file())
}

fn load(path: &Path) -> Result<Vec<Sentence>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let json: Value =
        serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))?;
    let list = json.as_array().context("expected a list of sentences")?;
    Ok(list
        .iter()
        .map(|s| Sentence {
            text: s["text"].as_str().unwrap_or("").to_owned(),
            gold: s["quantities"]
                .as_array()
                .map(|qs| qs.iter().map(decode_gold).collect())
                .unwrap_or_default(),
        })
        .collect())
}

fn report(name: &str, sentences: &[&Sentence], show_errors: bool) -> Counts {
    let mut total = Counts::default();
    for s in sentences {
        let model: Vec<Item> = extract_quantities(&s.text).iter().map(to_item).collect();
        let c = score_sentence(&s.gold, &model);
        if show_errors && (c.value_unit < c.gold || c.value_unit < c.model) {
            println!("  {}", s.text);
            println!("    gold:  {:?}", brief(&s.gold));
            println!("    model: {:?}", brief(&model));
        }
        total.add(c);
    }
    let (vp, vr, vf) = fscores(total.value, total.gold, total.model);
    let (up, ur, uf) = fscores(total.value_unit, total.gold, total.model);
    let (cp, cr, cf) = fscores(total.value_change, total.gold, total.model);
    let has_change = sentences
        .iter()
        .any(|s| s.gold.iter().any(|g| !g.change.is_empty()));
    let change = if has_change {
        format!(" | value+change P {cp:5.1} R {cr:5.1} F1 {cf:5.1}")
    } else {
        String::new()
    };
    println!(
        "{name:<15} {:>3} sent {:>3} gold {:>3} pred | value P {vp:5.1} R {vr:5.1} F1 {vf:5.1} | value+unit P {up:5.1} R {ur:5.1} F1 {uf:5.1}{change}",
        sentences.len(),
        total.gold,
        total.model
    );
    total
}

fn brief(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            let v = match i.value {
                Val::One(v) => format!("{v}"),
                Val::Range(a, b) => format!("{a}-{b}"),
            };
            format!("{v} [{}] {}", i.unit, i.change)
        })
        .collect()
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args
        .iter()
        .position(|a| a == "--errors")
        .and_then(|p| args.get(p + 1))
        .cloned()
        .unwrap_or_default();
    if errors == "newsquant" || errors == "newsquant-test" {
        anyhow::bail!("NewsQuant's test half is for reporting only; use --errors newsquant-dev");
    }
    let Some(dir) = data_dir() else {
        println!("skipping: ../shared/data/quantities/newsquant-cqe not found");
        return Ok(());
    };
    let sets = dir.join("formatted_test_set");
    println!("Recognizers-Text specs (development sets):");
    for name in ["currency", "dimension", "age", "temperature"] {
        let data = load(&sets.join(format!("{name}-model.json")))?;
        let refs: Vec<&Sentence> = data.iter().collect();
        report(name, &refs, errors == name);
    }

    let news = load(&sets.join("NewsQuant.json"))?;
    println!("NewsQuant (test set; halves by SHA-256 of the sentence text):");
    let all: Vec<&Sentence> = news.iter().collect();
    let dev: Vec<&Sentence> = news
        .iter()
        .filter(|s| Split::of(&s.text) == Split::Dev)
        .collect();
    let test: Vec<&Sentence> = news
        .iter()
        .filter(|s| Split::of(&s.text) == Split::Test)
        .collect();
    report("newsquant-dev", &dev, errors == "newsquant-dev");
    report("newsquant-test", &test, false);
    report("newsquant-all", &all, false);

    // speed: the whole set, several rounds, one thread
    let rounds = 50;
    let started = Instant::now();
    let mut found = 0usize;
    for _ in 0..rounds {
        for s in &news {
            found += extract_quantities(&s.text).len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let n = (news.len() * rounds) as f64;
    let bytes: usize = news.iter().map(|s| s.text.len()).sum::<usize>() * rounds;
    println!(
        "speed: {:.0} sentences/s, {:.1} MB/s ({} quantities over {rounds} rounds, one thread)",
        n / secs,
        bytes as f64 / secs / 1e6,
        found
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(v: Val, unit: &str) -> Item {
        Item {
            value: v,
            unit: unit.into(),
            change: "=".into(),
        }
    }

    #[test]
    fn gold_values_decode_like_the_python() {
        let q = serde_json::json!({"value": "8-10", "normalized_unit": "Foot", "change": "~"});
        let i = decode_gold(&q);
        assert_eq!(i.value, Val::Range(8.0, 10.0));
        assert_eq!(i.unit, "foot");
        let q = serde_json::json!({"value": "-5", "normalized_unit": "fahrenheit"});
        assert_eq!(decode_gold(&q).value, Val::One(-5.0));
        let q = serde_json::json!({"value": "1.5E-3", "normalized_unit": "-"});
        assert_eq!(decode_gold(&q).value, Val::One(0.0015));
    }

    #[test]
    fn matching_follows_calculate_metrics() {
        // A range never matches a single value; isclose is relative to the model value.
        assert!(!values_match(Val::Range(1.0, 2.0), Val::One(1.0)));
        assert!(values_match(Val::One(100000.0), Val::One(100000.5)));
        assert!(!values_match(Val::One(0.33), Val::One(1.0 / 3.0)));
        // Two gold 5s, one model 5 with the wrong unit: the model 5 is not
        // removed, so it counts for "value" twice (capped by the gold count).
        let gold = [item(Val::One(5.0), "dollar"), item(Val::One(5.0), "euro")];
        let model = [item(Val::One(5.0), "-")];
        let c = score_sentence(&gold, &model);
        assert_eq!((c.gold, c.model, c.value, c.value_unit), (2, 1, 2, 0));
        // A unit match removes the model quantity.
        let model = [item(Val::One(5.0), "dollar")];
        let c = score_sentence(&gold, &model);
        assert_eq!((c.value, c.value_unit), (1, 1));
        let (p, r, f) = fscores(1, 2, 1);
        assert!((p - 100.0).abs() < 1e-9 && (r - 50.0).abs() < 1e-9);
        assert!((f - 66.666_666).abs() < 1e-3);
    }
}
