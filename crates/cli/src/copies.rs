//! Near-duplicate detection during ingest.
//!
//! At the start of a run the LSH index is built from the signatures in the
//! store; articles without one (a store made before schema 3, texts changed
//! by `reprocess`, signatures of an older `SIGNATURE_VERSION`) are signed
//! first, oldest first, and compared like new ones. Each committed batch is
//! then signed in parallel, queried against the index and added to it;
//! candidates are verified exactly on the stored texts and the pairs that
//! pass the copy rule (`dossier_link::Similarity::is_copy`) are recorded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use dossier_link::{compare_shingles, shingles, LshIndex, Signature};
use dossier_store::{CopyRecord, Store};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::progress;

/// Articles signed per transaction when catching up an older store.
const BACKFILL_PAGE: usize = 1024;

pub struct Copies {
    index: LshIndex,
}

/// What opening did: articles signed that had no signature, and the copy
/// pairs found among them.
#[derive(Default)]
pub struct Backfill {
    pub signed: usize,
    pub pairs: usize,
}

impl Copies {
    /// Builds the index from the store, signing unsigned articles first
    /// (stops between pages when `stop` is set; the rest is done next time).
    pub fn open(
        store: &mut Store,
        bar: &ProgressBar,
        stop: &AtomicBool,
    ) -> anyhow::Result<(Copies, Backfill)> {
        let mut index = LshIndex::new();
        let mut stale = Vec::new();
        store.for_each_signature(|seq, bytes| match Signature::from_bytes(bytes) {
            Some(sig) => {
                index.insert(seq as u64, &sig);
            }
            None => stale.push(seq),
        })?;
        let mut copies = Copies { index };
        let mut backfill = Backfill::default();
        if !stale.is_empty() {
            let texts = store.texts_of(&stale)?;
            backfill.signed += texts.len();
            backfill.pairs += copies.add(store, &texts)?;
        }
        let unsigned = store.unsigned_count()?;
        if unsigned == 0 {
            return Ok((copies, backfill));
        }
        progress::warn(
            bar,
            &format!(
                "computing near-duplicate signatures for {unsigned} article(s) stored before; \
                 this is done once"
            ),
        );
        let mut after = 0;
        while !stop.load(Ordering::SeqCst) {
            let page = store.unsigned_articles(after, BACKFILL_PAGE)?;
            let Some(&(last, _)) = page.last() else { break };
            after = last;
            backfill.signed += page.len();
            backfill.pairs += copies.add(store, &page)?;
            bar.set_message(format!(
                "signed {} of {unsigned} stored article(s)",
                backfill.signed
            ));
        }
        Ok((copies, backfill))
    }

    /// Signs newly stored articles (`seq`, text), stores the signatures,
    /// finds and records their copies among everything indexed so far
    /// (including earlier articles of the same call). Returns the number of
    /// copy pairs recorded.
    pub fn add(&mut self, store: &mut Store, articles: &[(i64, String)]) -> anyhow::Result<usize> {
        if articles.is_empty() {
            return Ok(0);
        }
        let signed: Vec<(i64, Vec<u64>, Signature)> = articles
            .par_iter()
            .map(|(seq, text)| {
                let sh = shingles(text);
                let sig = Signature::of_shingles(&sh);
                (*seq, sh, sig)
            })
            .collect();
        let bytes: Vec<(i64, Vec<u8>)> = signed
            .iter()
            .map(|(seq, _, sig)| (*seq, sig.to_bytes()))
            .collect();
        store.put_signatures(&bytes)?;
        let mut pairs = Vec::new();
        for (seq, _, sig) in &signed {
            for other in self.index.candidates(sig) {
                if other as i64 != *seq {
                    pairs.push((*seq, other as i64));
                }
            }
            self.index.insert(*seq as u64, sig);
        }
        if pairs.is_empty() {
            return Ok(0);
        }
        // Verify on the texts: shingle every article involved once.
        let mut sets: HashMap<i64, Vec<u64>> =
            signed.into_iter().map(|(seq, sh, _)| (seq, sh)).collect();
        let mut older: Vec<i64> = pairs
            .iter()
            .map(|&(_, other)| other)
            .filter(|other| !sets.contains_key(other))
            .collect();
        older.sort_unstable();
        older.dedup();
        let older: Vec<(i64, Vec<u64>)> = store
            .texts_of(&older)?
            .into_par_iter()
            .map(|(seq, text)| (seq, shingles(&text)))
            .collect();
        sets.extend(older);
        let records: Vec<CopyRecord> = pairs
            .par_iter()
            .filter_map(|&(a, b)| {
                let s = compare_shingles(sets.get(&a)?, sets.get(&b)?);
                s.is_copy().then_some(CopyRecord {
                    a_seq: a,
                    b_seq: b,
                    jaccard: round(s.jaccard),
                    a_in_b: round(s.containment_a_in_b),
                    b_in_a: round(s.containment_b_in_a),
                })
            })
            .collect();
        Ok(store.record_copies(&records)?)
    }
}

/// Four decimals are plenty for shares of shingles, and keep JSON readable.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
