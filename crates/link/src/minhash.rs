//! MinHash signatures over word shingles.
//!
//! Each shingle is one 64-bit hash, already finalised with a full-avalanche
//! mix (see [`crate::shingle`]); its high 32 bits `x` are the input here.
//! Permutation `i` maps `x` to `a_i * x + b_i mod 2^32` with `a_i` odd: a
//! bijection, so no collisions are added, and 2-universal (the "affine32"
//! scheme datasketch uses by default since 2.0). In 32-bit lanes it costs
//! one multiply, one add and one min per slot, which vectorises 8 (AVX2) or
//! 16 (AVX-512) slots wide. The signature keeps the minimum per permutation:
//! 128 × 32 bits. The coefficients are fixed constants, so signatures from
//! different runs and machines compare.
//!
//! The chance that two signatures agree in one slot is the Jaccard index of
//! the two shingle sets; with 128 slots the estimate's standard error is
//! `sqrt(J (1 - J) / 128)`, at most 0.044. The signature also keeps the
//! number of distinct shingles, so containment (the share of A's shingles
//! found in B) can be estimated too: `|A ∩ B| = J (|A| + |B|) / (1 + J)`.

use crate::shingle::{distinct, fmix64, shingle_stream};
use crate::Similarity;

/// Hash functions (slots) per signature.
pub const NUM_PERM: usize = 128;

/// Bumped whenever shingling, hashing or the permutations change: stored
/// signatures of another version are not comparable and must be redone.
pub const SIGNATURE_VERSION: u8 = 1;

/// Bytes of [`Signature::to_bytes`].
pub const SIGNATURE_BYTES: usize = 8 + 4 * NUM_PERM;

const fn splitmix(state: u64) -> (u64, u64) {
    let state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (state, z ^ (z >> 31))
}

const fn coefficients(seed: u64, odd: bool) -> [u32; NUM_PERM] {
    let mut out = [0u32; NUM_PERM];
    let mut state = seed;
    let mut i = 0;
    while i < NUM_PERM {
        let (s, v) = splitmix(state);
        state = s;
        let v = (v >> 32) as u32;
        out[i] = if odd { v | 1 } else { v };
        i += 1;
    }
    out
}

static A: [u32; NUM_PERM] = coefficients(0x646f_7373_6965_7221, true);
static B: [u32; NUM_PERM] = coefficients(0x6d69_6e68_6173_6821, false);

/// A MinHash signature: [`NUM_PERM`] minima and the shingle count.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    mins: [u32; NUM_PERM],
    shingles: u32,
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signature")
            .field("shingles", &self.shingles)
            .field("mins", &&self.mins[..4])
            .finish_non_exhaustive()
    }
}

#[inline(always)]
fn update(mins: &mut [u32; NUM_PERM], shingle: u64) {
    let x = (shingle >> 32) as u32;
    for ((m, a), b) in mins.iter_mut().zip(A.iter()).zip(B.iter()) {
        *m = (*m).min(a.wrapping_mul(x).wrapping_add(*b));
    }
}

fn fold_generic(mins: &mut [u32; NUM_PERM], shingles: &[u64]) {
    for &x in shingles {
        update(mins, x);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn fold_avx2(mins: &mut [u32; NUM_PERM], shingles: &[u64]) {
    // The same loop, compiled with 256-bit vectors.
    for &x in shingles {
        update(mins, x);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn fold_avx512(mins: &mut [u32; NUM_PERM], shingles: &[u64]) {
    // The same loop, compiled with 512-bit vectors.
    for &x in shingles {
        update(mins, x);
    }
}

fn fold(mins: &mut [u32; NUM_PERM], shingles: &[u64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU was just checked to support AVX-512F, the only
            // requirement `fold_avx512` adds; its body is safe code.
            unsafe { fold_avx512(mins, shingles) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above, for AVX2.
            unsafe { fold_avx2(mins, shingles) };
            return;
        }
    }
    fold_generic(mins, shingles)
}

impl Signature {
    /// The signature of a text (see [`crate::shingle`] for what counts as a word).
    pub fn of(text: &str) -> Signature {
        // Repeats do not change minima, so the stream needs no sorting;
        // only the count wants distinct shingles.
        let stream = shingle_stream(text);
        let mut mins = [u32::MAX; NUM_PERM];
        fold(&mut mins, &stream);
        Signature {
            mins,
            shingles: distinct(&stream).min(u32::MAX as usize) as u32,
        }
    }

    /// The signature of a set of distinct shingle hashes.
    pub fn of_shingles(shingles: &[u64]) -> Signature {
        let mut mins = [u32::MAX; NUM_PERM];
        fold(&mut mins, shingles);
        Signature {
            mins,
            shingles: shingles.len().min(u32::MAX as usize) as u32,
        }
    }

    /// True for a text without words: it is like nothing and nothing is like it.
    pub fn is_empty(&self) -> bool {
        self.shingles == 0
    }

    /// The number of distinct shingles of the text.
    pub fn shingle_count(&self) -> usize {
        self.shingles as usize
    }

    pub fn mins(&self) -> &[u32; NUM_PERM] {
        &self.mins
    }

    /// Estimated similarity from the two signatures alone.
    pub fn estimate(&self, other: &Signature) -> Similarity {
        if self.is_empty() || other.is_empty() {
            return Similarity::from_counts(self.shingle_count(), other.shingle_count(), 0.0);
        }
        let equal = self
            .mins
            .iter()
            .zip(other.mins.iter())
            .filter(|(a, b)| a == b)
            .count();
        let j = equal as f64 / NUM_PERM as f64;
        let (na, nb) = (self.shingle_count() as f64, other.shingle_count() as f64);
        let common = (j * (na + nb) / (1.0 + j)).min(na).min(nb);
        Similarity::from_counts(self.shingle_count(), other.shingle_count(), common)
    }

    /// A hash of band `band` (rows `band * rows .. (band + 1) * rows`).
    #[inline]
    pub(crate) fn band_key(&self, band: usize, rows: usize) -> u32 {
        let mut h = band as u64;
        for &m in &self.mins[band * rows..(band + 1) * rows] {
            h = fmix64(h ^ u64::from(m)).wrapping_add(0x9e37_79b9_7f4a_7c15);
        }
        (h >> 32) as u32
    }

    /// The storage form: a version byte, a zero byte, the slot count (u16),
    /// the shingle count (u32) and the minima (u32 each), little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNATURE_BYTES);
        out.push(SIGNATURE_VERSION);
        out.push(0);
        out.extend_from_slice(&(NUM_PERM as u16).to_le_bytes());
        out.extend_from_slice(&self.shingles.to_le_bytes());
        for m in &self.mins {
            out.extend_from_slice(&m.to_le_bytes());
        }
        out
    }

    /// Reads [`Signature::to_bytes`]; `None` for bytes of another version or
    /// shape (the signature must then be computed again from the text).
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIGNATURE_BYTES
            || bytes[0] != SIGNATURE_VERSION
            || u16::from_le_bytes([bytes[2], bytes[3]]) as usize != NUM_PERM
        {
            return None;
        }
        let shingles = u32::from_le_bytes(bytes[4..8].try_into().ok()?);
        let mut mins = [0u32; NUM_PERM];
        for (m, chunk) in mins.iter_mut().zip(bytes[8..].chunks_exact(4)) {
            *m = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Signature { mins, shingles })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_and_generic_folds_agree() {
        let sh = crate::shingles("one two three four five six seven eight nine ten eleven twelve");
        let mut a = [u32::MAX; NUM_PERM];
        let mut b = [u32::MAX; NUM_PERM];
        fold(&mut a, &sh);
        fold_generic(&mut b, &sh);
        assert_eq!(a, b);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            let mut c = [u32::MAX; NUM_PERM];
            // SAFETY: AVX2 is present.
            unsafe { fold_avx2(&mut c, &sh) };
            assert_eq!(b, c);
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f") {
            let mut c = [u32::MAX; NUM_PERM];
            // SAFETY: AVX-512F is present.
            unsafe { fold_avx512(&mut c, &sh) };
            assert_eq!(b, c);
        }
    }

    #[test]
    fn estimator_error_is_close_to_theory() {
        // J = 1/3 (500 of 1,500): the standard error should be about
        // sqrt(J (1 - J) / 128) = 0.042; check the root mean square error
        // over 200 independent pairs stays near it.
        let j = 500.0 / 1500.0;
        let mut sq = 0.0;
        for t in 0..200u64 {
            let base = t * 10_000;
            let a: Vec<u64> = (base..base + 1000).map(fmix64).collect();
            let b: Vec<u64> = (base + 500..base + 1500).map(fmix64).collect();
            let est = Signature::of_shingles(&a)
                .estimate(&Signature::of_shingles(&b))
                .jaccard;
            sq += (est - j) * (est - j);
        }
        let rmse = (sq / 200.0f64).sqrt();
        assert!(rmse < 0.05, "rmse {rmse}");
    }

    #[test]
    fn a_text_and_its_shingle_set_give_one_signature() {
        let text = "one two three four five one two three four five six seven";
        assert_eq!(
            Signature::of(text),
            Signature::of_shingles(&crate::shingles(text))
        );
        assert_eq!(Signature::of(text).shingle_count(), 7);
    }

    #[test]
    fn bytes_round_trip_and_reject_other_versions() {
        let sig = Signature::of("The quick brown fox jumps over the lazy dog again and again.");
        let bytes = sig.to_bytes();
        assert_eq!(bytes.len(), SIGNATURE_BYTES);
        assert_eq!(Signature::from_bytes(&bytes), Some(sig));
        let mut other = bytes.clone();
        other[0] = SIGNATURE_VERSION + 1;
        assert_eq!(Signature::from_bytes(&other), None);
        assert_eq!(Signature::from_bytes(&bytes[1..]), None);
    }

    #[test]
    fn estimate_tracks_exact_jaccard() {
        // Sets with known overlap: shingles are just numbers here.
        let mut worst: f64 = 0.0;
        for (k, overlap) in [0usize, 100, 250, 500, 750, 1000].into_iter().enumerate() {
            let a: Vec<u64> = (0..1000u64).map(|i| fmix64(i + 7 * k as u64)).collect();
            let b: Vec<u64> = (1000 - overlap as u64..2000 - overlap as u64)
                .map(|i| fmix64(i + 7 * k as u64))
                .collect();
            let exact = overlap as f64 / (2000 - overlap) as f64;
            let est = Signature::of_shingles(&a)
                .estimate(&Signature::of_shingles(&b))
                .jaccard;
            worst = worst.max((est - exact).abs());
        }
        // Four standard errors at J = 0.5.
        assert!(worst < 0.18, "worst error {worst}");
    }
}
