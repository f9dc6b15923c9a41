//! The fixed development/test split of a benchmark's page ids, so that
//! tuning never sees the pages it is reported on: a page is in the
//! development half when the first byte of SHA-256 of its id is even.

use sha2::{Digest, Sha256};

/// Which half of the benchmark a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Split {
    /// Tune on these.
    Dev,
    /// Report on these; never tune on them.
    Test,
}

impl Split {
    pub fn of(id: &str) -> Split {
        if Sha256::digest(id.as_bytes())[0] % 2 == 0 {
            Split::Dev
        } else {
            Split::Test
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_deterministic_and_roughly_even() {
        // SHA-256("a") starts with 0xca (even), SHA-256("b") with 0x3e (even),
        // SHA-256("c") with 0x2e (even), SHA-256("d") with 0x18 (even),
        // SHA-256("e") with 0x3f (odd).
        assert_eq!(Split::of("a"), Split::Dev);
        assert_eq!(Split::of("e"), Split::Test);
        let dev = (0..1000)
            .filter(|i| Split::of(&i.to_string()) == Split::Dev)
            .count();
        assert!((400..600).contains(&dev), "{dev}");
    }
}
