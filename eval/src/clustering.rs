//! Clustering scores: pairwise and BCubed precision, recall and F1 of a
//! predicted clustering against gold clusters (one label per item).

use std::collections::HashMap;
use std::hash::Hash;

/// Pair counts: pairs in one predicted cluster, pairs in one gold cluster,
/// and pairs in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairCounts {
    pub predicted: u64,
    pub gold: u64,
    pub both: u64,
}

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Pair counts of `(predicted, gold)` labels, one entry per item.
pub fn pair_counts<P: Hash + Eq, G: Hash + Eq>(items: &[(P, G)]) -> PairCounts {
    let mut pred: HashMap<&P, u64> = HashMap::new();
    let mut gold: HashMap<&G, u64> = HashMap::new();
    let mut cell: HashMap<(&P, &G), u64> = HashMap::new();
    for (p, g) in items {
        *pred.entry(p).or_default() += 1;
        *gold.entry(g).or_default() += 1;
        *cell.entry((p, g)).or_default() += 1;
    }
    PairCounts {
        predicted: pred.values().map(|&n| pairs(n)).sum(),
        gold: gold.values().map(|&n| pairs(n)).sum(),
        both: cell.values().map(|&n| pairs(n)).sum(),
    }
}

impl PairCounts {
    pub fn prf(&self) -> Prf {
        let p = if self.predicted > 0 {
            self.both as f64 / self.predicted as f64
        } else {
            1.0
        };
        let r = if self.gold > 0 {
            self.both as f64 / self.gold as f64
        } else {
            1.0
        };
        Prf::new(p, r)
    }
}

/// BCubed: per item, the share of its predicted cluster in its gold cluster
/// (precision) and of its gold cluster in its predicted cluster (recall),
/// averaged over items.
pub fn bcubed<P: Hash + Eq, G: Hash + Eq>(items: &[(P, G)]) -> Prf {
    if items.is_empty() {
        return Prf::new(1.0, 1.0);
    }
    let mut pred: HashMap<&P, f64> = HashMap::new();
    let mut gold: HashMap<&G, f64> = HashMap::new();
    let mut cell: HashMap<(&P, &G), f64> = HashMap::new();
    for (p, g) in items {
        *pred.entry(p).or_default() += 1.0;
        *gold.entry(g).or_default() += 1.0;
        *cell.entry((p, g)).or_default() += 1.0;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (pg, c) in &cell {
        // Each of the c items in this cell scores c / |pred| and c / |gold|.
        p += c * c / pred[pg.0];
        r += c * c / gold[pg.1];
    }
    let n = items.len() as f64;
    Prf::new(p / n, r / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_counts() {
        // Predicted {a,b,c} {d,e}; gold {a,b} {c,d,e}.
        let items = [(1, 'x'), (1, 'x'), (1, 'y'), (2, 'y'), (2, 'y')];
        let c = pair_counts(&items);
        assert_eq!(
            c,
            PairCounts {
                predicted: 3 + 1,
                gold: 1 + 3,
                both: 1 + 1
            }
        );
        let prf = c.prf();
        assert!((prf.precision - 0.5).abs() < 1e-12 && (prf.recall - 0.5).abs() < 1e-12);
        let b = bcubed(&items);
        // Precision: a,b 2/3 each, c 1/3, d,e 1 each -> (2/3+2/3+1/3+1+1)/5.
        assert!((b.precision - (11.0 / 3.0) / 5.0).abs() < 1e-12);
        // Recall: a,b 1, c 1/3, d,e 2/3 -> (1+1+1/3+2/3+2/3)/5.
        assert!((b.recall - (11.0 / 3.0) / 5.0).abs() < 1e-12);
    }
}
