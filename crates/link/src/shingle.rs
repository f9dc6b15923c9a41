//! Word shingles: the set of overlapping runs of [`SHINGLE_WORDS`] words of a
//! text, each as one 64-bit hash.
//!
//! Words are maximal runs of alphanumeric characters (Unicode), lower-cased;
//! everything else (punctuation, spacing, line breaks) only separates words,
//! so re-wrapped, re-punctuated or re-spaced copies give the same shingles.
//! Each word is hashed once (a rotate-and-XOR of one random 64-bit value
//! per lower-cased character, two cycles a byte with no multiply in the
//! chain, then a 64-bit finaliser); a shingle's hash combines its words'
//! hashes by rotation and XOR, then finalises again, so a shingle costs
//! O(1) whatever its length.

/// Words per shingle. Five is the usual choice for news text: long enough
/// that unrelated articles share few shingles (common phrases are mostly
/// shorter), short enough that one edited word spoils only five shingles.
pub const SHINGLE_WORDS: usize = 5;

const SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// MurmurHash3's 64-bit finaliser: a bijection with full avalanche.
#[inline]
pub(crate) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// The random value of a (lower-cased) character: the same for both cases.
#[inline]
const fn char_value(u: u32) -> u64 {
    // splitmix64's output function: distinct characters, unrelated values.
    let mut z = (u as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) | 1
}

/// ASCII byte -> the value of its lower-case form if it is a letter or
/// digit, else 0.
static ASCII_WORD: [u64; 128] = {
    let mut t = [0u64; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = char_value(c.to_ascii_lowercase() as u32);
        }
        b += 1;
    }
    t
};

#[inline(always)]
fn step(h: u64, value: u64) -> u64 {
    h.rotate_left(7) ^ value
}

/// A non-ASCII character's lower-case form(s), or `None` when it is not
/// alphanumeric. Cyrillic, the common case after Latin, skips the tables.
#[inline]
fn fold_char(c: char, mut push: impl FnMut(u32)) -> bool {
    let u = u32::from(c);
    match u {
        0x0430..=0x045F => push(u),
        0x0410..=0x042F => push(u + 0x20),
        0x0400..=0x040F => push(u + 0x50),
        _ if c.is_alphanumeric() => c.to_lowercase().for_each(|l| push(u32::from(l))),
        _ => return false,
    }
    true
}

/// Calls `f` with the hash of every word of `text`, in order. Works on
/// bytes: ASCII through a table, other characters decoded one by one.
#[inline]
fn for_each_word(text: &str, mut f: impl FnMut(u64)) {
    let bytes = text.as_bytes();
    let mut h = SEED;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let is_word = if b < 0x80 {
            i += 1;
            let v = ASCII_WORD[b as usize];
            if v != 0 {
                h = step(h, v);
            }
            v != 0
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            fold_char(c, |l| h = step(h, char_value(l)))
        };
        if is_word {
            in_word = true;
        } else if in_word {
            f(fmix64(h));
            h = SEED;
            in_word = false;
        }
    }
    if in_word {
        f(fmix64(h));
    }
}

#[inline]
fn combine(words: &[u64; SHINGLE_WORDS], newest: usize, n: usize) -> u64 {
    // The oldest of the last `n` words gets rotation 0, the next 13, ...
    let mut h = n as u64;
    for k in 0..n {
        let w = words[(newest + SHINGLE_WORDS + 1 + k - n) % SHINGLE_WORDS];
        h ^= w.rotate_left((13 * k) as u32);
    }
    fmix64(h)
}

/// The distinct shingle hashes of `text`, sorted. A text of fewer than
/// [`SHINGLE_WORDS`] words (but at least one) has one shingle made of all
/// its words; a text without words has none.
pub fn shingles(text: &str) -> Vec<u64> {
    let mut out = shingle_stream(text);
    out.sort_unstable();
    out.dedup();
    out
}

/// The number of distinct values in `hashes` (well-mixed 64-bit hashes),
/// without sorting: an open-addressing table twice the size.
pub(crate) fn distinct(hashes: &[u64]) -> usize {
    if hashes.len() < 2 {
        return hashes.len();
    }
    let bits = (hashes.len() * 2).next_power_of_two().trailing_zeros();
    let mask = (1usize << bits) - 1;
    let mut table = vec![0u64; 1 << bits];
    let mut count = 0;
    for &h in hashes {
        // 0 marks an empty cell; a real 0 is stored as 1 (and is then the
        // same as a real 1: a 2^-64 chance of miscounting by one).
        let h = h.max(1);
        let mut at = (h >> (64 - bits)) as usize;
        loop {
            let cell = &mut table[at];
            if *cell == 0 {
                *cell = h;
                count += 1;
                break;
            }
            if *cell == h {
                break;
            }
            at = (at + 1) & mask;
        }
    }
    count
}

/// Every shingle hash of `text` in text order, repeats included.
pub(crate) fn shingle_stream(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut ring = [0u64; SHINGLE_WORDS];
    let mut count = 0usize;
    for_each_word(text, |w| {
        let at = count % SHINGLE_WORDS;
        ring[at] = w;
        count += 1;
        if count >= SHINGLE_WORDS {
            out.push(combine(&ring, at, SHINGLE_WORDS));
        }
    });
    if count > 0 && count < SHINGLE_WORDS {
        out.push(combine(&ring, count - 1, count));
    }
    out
}

/// The hash of every word of `text`, in order: the words shingles are
/// made of (case-folded letters and digits).
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_word(text, |h| out.push(h));
    out
}

/// The number of words of `text` as shingling sees them.
pub fn word_count(text: &str) -> usize {
    let mut n = 0;
    for_each_word(text, |_| n += 1);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_punctuation_and_spacing_do_not_matter() {
        let a = shingles("The Central Bank raised its key rate to 16 per cent, analysts said.");
        let b = shingles("the central bank  raised its\nkey rate -- to 16 per cent analysts said");
        assert_eq!(a, b);
        assert_eq!(a.len(), 13 - SHINGLE_WORDS + 1);
    }

    #[test]
    fn cyrillic_is_lower_cased_and_word_order_matters() {
        assert_eq!(
            shingles("Токаев встретился с Путиным в Москве"),
            shingles("ТОКАЕВ встретился с путиным в москве")
        );
        assert_ne!(
            shingles("one two three four five"),
            shingles("five four three two one")
        );
    }

    #[test]
    fn short_and_empty_texts() {
        assert_eq!(shingles("").len(), 0);
        assert_eq!(shingles(" -- ... ").len(), 0);
        assert_eq!(shingles("Breaking news").len(), 1);
        assert_ne!(shingles("Breaking news"), shingles("news Breaking"));
        assert_eq!(word_count("Breaking news, again."), 3);
    }

    #[test]
    fn cyrillic_fast_path_agrees_with_unicode_lower_casing() {
        for u in 0x0400u32..0x0460 {
            let c = char::from_u32(u).unwrap();
            let mut fast = Vec::new();
            assert!(fold_char(c, |l| fast.push(l)));
            let slow: Vec<u32> = c.to_lowercase().map(u32::from).collect();
            assert_eq!(fast, slow, "{c}");
        }
        assert!(!fold_char('—', |_| ()));
        assert_eq!(word_count("Ёлка — Ёж, 2019 год"), 4);
    }

    #[test]
    fn distinct_counts_without_sorting() {
        let text = "a b c d e a b c d e f g h";
        assert_eq!(distinct(&shingle_stream(text)), shingles(text).len());
        assert_eq!(distinct(&[]), 0);
        assert_eq!(distinct(&[5, 5, 5]), 1);
        assert_eq!(distinct(&[0, 7, 0, 9]), 3);
    }

    #[test]
    fn repeated_shingles_count_once() {
        let once = shingles("a b c d e");
        let twice = shingles("a b c d e a b c d e");
        assert_eq!(once.len(), 1);
        // a b c d e / b c d e a / c d e a b / d e a b c / e a b c d
        assert_eq!(twice.len(), 5);
    }
}
