//! Training: an averaged structured perceptron (Collins 2002) over the
//! hashed features, with constrained Viterbi decoding, in two passes. The
//! second pass adds document-level features from the first pass's tags of
//! the other occurrences of each word in the same document; on the training
//! set those first-pass tags come from K-fold jackknifing (each fold tagged
//! by a model that never saw it) so the second pass learns how far to trust
//! them. Early stopping on dev picks the number of epochs of each pass.
//! Everything is deterministic: fixed seed, stable order, one thread.

use crate::conll::Document;
use crate::features::{doc_info, extract, prepare, Feats, TokInfo, G_DOC};
use crate::gazetteer::Gazetteer;
use crate::model::{tag_prepared, viterbi, Header, Model, Pass, Scorer, TRANS_LEN};
use crate::tags::{bilou_chunks, Score, NUM_TAGS};

/// Training settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Most epochs per pass (early stopping on dev may stop sooner).
    pub epochs: usize,
    /// Epochs without dev improvement before stopping.
    pub patience: usize,
    /// log2 of the number of weight rows.
    pub bits: u32,
    /// Feature groups (`features::G_*`).
    pub groups: u32,
    /// Jackknife folds for the second pass's training-set first-pass tags.
    pub folds: usize,
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            epochs: 30,
            patience: 4,
            bits: 20,
            groups: crate::features::ALL_GROUPS,
            folds: 4,
            seed: 0x5eed_d055_1e55,
        }
    }
}

/// Dense float weights during training, with the sums for averaging.
struct Dense {
    w: Vec<f32>,
    acc: Vec<f32>,
    trans: Vec<f32>,
    trans_acc: Vec<f32>,
    /// Instances seen (the averaging clock).
    c: f32,
}

/// Averaged weights for decoding.
struct Averaged {
    w: Vec<f32>,
    trans: Vec<f32>,
}

impl Scorer for Averaged {
    fn emissions(&self, feats: &Feats, out: &mut Vec<[f32; NUM_TAGS]>) {
        emissions_f32(&self.w, feats, out)
    }
    fn transitions(&self) -> &[f32] {
        &self.trans
    }
}

fn emissions_f32(w: &[f32], feats: &Feats, out: &mut Vec<[f32; NUM_TAGS]>) {
    out.clear();
    for t in 0..feats.len() {
        let mut e = [0f32; NUM_TAGS];
        for &f in feats.token(t) {
            let base = f as usize * NUM_TAGS;
            for (a, &x) in e.iter_mut().zip(&w[base..base + NUM_TAGS]) {
                *a += x;
            }
        }
        out.push(e);
    }
}

impl Dense {
    fn new(bits: u32) -> Dense {
        let n = (1usize << bits) * NUM_TAGS;
        Dense {
            w: vec![0.0; n],
            acc: vec![0.0; n],
            trans: vec![0.0; TRANS_LEN],
            trans_acc: vec![0.0; TRANS_LEN],
            c: 1.0,
        }
    }

    fn averaged(&self) -> Averaged {
        let c = self.c;
        Averaged {
            w: self
                .w
                .iter()
                .zip(&self.acc)
                .map(|(w, a)| w - a / c)
                .collect(),
            trans: self
                .trans
                .iter()
                .zip(&self.trans_acc)
                .map(|(w, a)| w - a / c)
                .collect(),
        }
    }

    /// One perceptron step on one sentence.
    fn learn(&mut self, feats: &Feats, gold: &[u8], em: &mut Vec<[f32; NUM_TAGS]>) {
        emissions_f32(&self.w, feats, em);
        let pred = viterbi(em, &self.trans);
        if pred.as_slice() != gold {
            let c = self.c;
            for t in 0..gold.len() {
                let (g, p) = (gold[t] as usize, pred[t] as usize);
                if g != p {
                    for &f in feats.token(t) {
                        let base = f as usize * NUM_TAGS;
                        self.w[base + g] += 1.0;
                        self.acc[base + g] += c;
                        self.w[base + p] -= 1.0;
                        self.acc[base + p] -= c;
                    }
                }
                let gp = if t == 0 {
                    NUM_TAGS
                } else {
                    gold[t - 1] as usize
                };
                let pp = if t == 0 {
                    NUM_TAGS
                } else {
                    pred[t - 1] as usize
                };
                if (gp, g) != (pp, p) {
                    self.trans[gp * NUM_TAGS + g] += 1.0;
                    self.trans_acc[gp * NUM_TAGS + g] += c;
                    self.trans[pp * NUM_TAGS + p] -= 1.0;
                    self.trans_acc[pp * NUM_TAGS + p] -= c;
                }
            }
        }
        self.c += 1.0;
    }
}

/// Quantises averaged weights to `i16`.
fn quantise(avg: &Averaged) -> Pass {
    let max = avg.w.iter().fold(0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let rows = avg
        .w
        .iter()
        .map(|w| (w / scale).round().clamp(-32767.0, 32767.0) as i16)
        .collect();
    Pass {
        scale,
        rows,
        trans: avg.trans.clone(),
    }
}

/// A corpus prepared for training: token information per sentence, grouped
/// by document, with gold tags.
pub struct Prepared {
    /// `docs[d][s]`: token information of sentence `s` of document `d`.
    pub docs: Vec<Vec<Vec<TokInfo>>>,
    pub gold: Vec<Vec<Vec<u8>>>,
}

impl Prepared {
    pub fn new(docs: &[Document]) -> Prepared {
        let gaz = Gazetteer::get();
        Prepared {
            docs: docs
                .iter()
                .map(|d| {
                    d.sentences
                        .iter()
                        .map(|s| {
                            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                            prepare(&words, gaz)
                        })
                        .collect()
                })
                .collect(),
            gold: docs
                .iter()
                .map(|d| d.sentences.iter().map(|s| s.tags.clone()).collect())
                .collect(),
        }
    }

    pub fn tokens(&self) -> usize {
        self.gold.iter().flatten().map(Vec::len).sum()
    }
}

/// Scores predicted BILOU tags against gold ones (exact spans, conlleval
/// counting).
pub fn score(gold: &[Vec<Vec<u8>>], pred: &[Vec<Vec<u8>>]) -> Score {
    let mut s = Score::default();
    for (gd, pd) in gold.iter().zip(pred) {
        for (g, p) in gd.iter().zip(pd) {
            s.add(&bilou_chunks(g), &bilou_chunks(p));
        }
    }
    s
}

/// Features of every sentence of the selected documents, in order.
fn featurise(
    data: &Prepared,
    docs: &[usize],
    groups: u32,
    bits: u32,
    first: Option<&[Vec<Vec<u8>>]>,
) -> Vec<(Feats, Vec<u8>)> {
    let mut out = Vec::new();
    for &d in docs {
        let infos = first.map(|f| doc_info(&data.docs[d], &f[d]));
        for (s, toks) in data.docs[d].iter().enumerate() {
            let mut feats = Feats::default();
            extract(
                toks,
                groups,
                bits,
                infos.as_ref().map(|i| i[s].as_slice()),
                &mut feats,
            );
            out.push((feats, data.gold[d][s].clone()));
        }
    }
    out
}

/// Tags every document of `data` with a pass-1 scorer.
fn tag_first<S: Scorer>(
    scorer: &S,
    data: &Prepared,
    docs: &[usize],
    cfg: &Config,
) -> Vec<Vec<Vec<u8>>> {
    let mut out = vec![Vec::new(); data.docs.len()];
    for &d in docs {
        out[d] = tag_prepared(
            std::slice::from_ref(scorer),
            cfg.groups & !G_DOC,
            cfg.bits,
            &data.docs[d],
        );
    }
    out
}

/// Trains one pass. With `dev` (features and gold of dev sentences), stops
/// early and returns the best epoch's weights; without, runs `epochs`.
fn train_pass(
    train: &[(Feats, Vec<u8>)],
    dev: Option<&[(Feats, Vec<u8>)]>,
    cfg: &Config,
    epochs: usize,
    log: &mut dyn FnMut(String),
    name: &str,
) -> (Averaged, usize, f64) {
    let mut dense = Dense::new(cfg.bits);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = dossier_core::SplitMix64::new(cfg.seed);
    let mut em = Vec::new();
    let mut best: Option<(Averaged, usize, f64)> = None;
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let (f, g) = &train[i];
            dense.learn(f, g, &mut em);
        }
        let Some(dev) = dev else { continue };
        let avg = dense.averaged();
        let mut s = Score::default();
        for (f, g) in dev {
            avg.emissions(f, &mut em);
            let p = viterbi(&em, &avg.trans);
            s.add(&bilou_chunks(g), &bilou_chunks(&p));
        }
        let f1 = s.f1();
        log(format!("{name} epoch {epoch}: dev F1 {f1:.4}"));
        if best.as_ref().is_none_or(|b| f1 > b.2) {
            best = Some((avg, epoch, f1));
        } else if best.as_ref().is_some_and(|b| epoch - b.1 >= cfg.patience) {
            break;
        }
    }
    match best {
        Some(b) => b,
        None => (dense.averaged(), epochs, f64::NAN),
    }
}

/// The result of training.
pub struct Trained {
    pub model: Model,
    /// Dev score of the final (quantised) model.
    pub dev: Score,
    pub epochs: (usize, usize),
}

/// Trains a model on `train`, tuning on `dev`.
pub fn train(
    train: &Prepared,
    dev: &Prepared,
    cfg: &Config,
    log: &mut dyn FnMut(String),
) -> Trained {
    let all_train: Vec<usize> = (0..train.docs.len()).collect();
    let all_dev: Vec<usize> = (0..dev.docs.len()).collect();
    let g1 = cfg.groups & !G_DOC;
    let tr1 = featurise(train, &all_train, g1, cfg.bits, None);
    let dv1 = featurise(dev, &all_dev, g1, cfg.bits, None);
    let (avg1, ep1, f1) = train_pass(&tr1, Some(&dv1), cfg, cfg.epochs, log, "pass 1");
    log(format!("pass 1: best epoch {ep1}, dev F1 {f1:.4}"));
    drop(tr1);
    drop(dv1);
    let mut passes = vec![quantise(&avg1)];
    let mut ep2 = 0;
    if cfg.groups & G_DOC != 0 {
        // Jackknifed first-pass tags on train.
        let folds = cfg.folds.max(2);
        let mut first_train = vec![Vec::new(); train.docs.len()];
        for k in 0..folds {
            let (held, rest): (Vec<usize>, Vec<usize>) =
                all_train.iter().partition(|&&d| d % folds == k);
            let tr = featurise(train, &rest, g1, cfg.bits, None);
            let (avg, _, _) = train_pass(&tr, None, cfg, ep1, log, "fold");
            let tagged = tag_first(&avg, train, &held, cfg);
            for d in held {
                first_train[d] = tagged[d].clone();
            }
            log(format!("jackknife fold {}/{folds} tagged", k + 1));
        }
        let first_dev = tag_first(&avg1, dev, &all_dev, cfg);
        drop(avg1);
        let tr2 = featurise(train, &all_train, cfg.groups, cfg.bits, Some(&first_train));
        let dv2 = featurise(dev, &all_dev, cfg.groups, cfg.bits, Some(&first_dev));
        let (avg2, e, f2) = train_pass(&tr2, Some(&dv2), cfg, cfg.epochs, log, "pass 2");
        log(format!("pass 2: best epoch {e}, dev F1 {f2:.4}"));
        ep2 = e;
        passes.push(quantise(&avg2));
    }
    let mut model = Model {
        header: Header {
            version: String::new(),
            bits: cfg.bits,
            groups: cfg.groups,
            passes: passes.len() as u32,
            trained: serde_json::json!({
                "algorithm": "averaged structured perceptron, BILOU, constrained Viterbi",
                "epochs": [ep1, ep2],
                "folds": cfg.folds,
                "seed": cfg.seed,
            }),
        },
        passes,
    };
    // Settle the version hash and evaluate exactly what will be shipped.
    let bytes = model.to_bytes();
    let model = Model::from_bytes(&bytes).expect("own model parses");
    let dev_score = evaluate(&model, dev);
    Trained {
        model,
        dev: dev_score,
        epochs: (ep1, ep2),
    }
}

/// Scores a model on a prepared corpus.
pub fn evaluate(model: &Model, data: &Prepared) -> Score {
    let pred: Vec<Vec<Vec<u8>>> = data
        .docs
        .iter()
        .map(|d| tag_prepared(&model.passes, model.header.groups, model.header.bits, d))
        .collect();
    score(&data.gold, &pred)
}
