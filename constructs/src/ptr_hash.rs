//! A fast hasher for maps keyed by construct identity (node and aspect pointers,
//! synthesis's table ids): synthesis does a few lookups per construct, and
//! SipHash's protection against chosen keys buys nothing for keys the program
//! itself made.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hashing (as in rustc's `FxHasher`) over machine words.
#[derive(Default, Clone, Copy)]
pub(crate) struct PtrHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl PtrHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for PtrHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // Pointers are aligned and close together, and tables index by the low
        // bits: mix every bit into every other (MurmurHash3's final step).
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
}

/// A `HashMap` with [`PtrHasher`].
pub(crate) type PtrMap<K, V> = HashMap<K, V, BuildHasherDefault<PtrHasher>>;
/// A `HashSet` with [`PtrHasher`].
pub(crate) type PtrSet<K> = HashSet<K, BuildHasherDefault<PtrHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn neighbouring_pointers_spread_over_low_bits() {
        // 1,024 keys in 1,024 buckets: random hashes fill about 647 (1 - 1/e).
        let values: Vec<Box<u64>> = (0..1024).map(Box::new).collect();
        let build = BuildHasherDefault::<PtrHasher>::default();
        let buckets: HashSet<u64> =
            values.iter().map(|b| build.hash_one(std::ptr::from_ref::<u64>(b)) & 1023).collect();
        assert!(buckets.len() > 550, "only {} of 1024 buckets used", buckets.len());
    }
}
