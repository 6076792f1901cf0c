//! `util.autoUlid` and `util.autoKsuid`: time-ordered ids from the clock and
//! random bytes.

use std::time::{SystemTime, UNIX_EPOCH};

/// Random bytes, from version-4 UUIDs (the OS generator behind `uuid`).
fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    for chunk in out.chunks_mut(14) {
        // Bytes 0-5 and 8-15 of a v4 UUID are fully random (6 and 7 carry the version).
        let u = uuid::Uuid::new_v4();
        let b = u.as_bytes();
        let pool: Vec<u8> = b[..6].iter().chain(&b[8..]).copied().collect();
        chunk.copy_from_slice(&pool[..chunk.len()]);
    }
    out
}

fn since_epoch() -> std::time::Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// A ULID: 48 bits of milliseconds and 80 random bits, in Crockford's base 32.
pub fn ulid() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let ms = since_epoch().as_millis() & ((1 << 48) - 1);
    let rand = random::<10>().iter().fold(0u128, |acc, b| (acc << 8) | *b as u128);
    let value = (ms << 80) | rand;
    (0..26).rev().map(|i| ALPHABET[((value >> (i * 5)) & 31) as usize] as char).collect()
}

/// A KSUID: seconds since 2014-05-13 (32 bits) and 128 random bits, as 27
/// base-62 digits.
pub fn ksuid() -> String {
    const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const EPOCH: u64 = 1_400_000_000;
    let secs = since_epoch().as_secs().saturating_sub(EPOCH) as u32;
    let mut bytes = [0u8; 20];
    bytes[..4].copy_from_slice(&secs.to_be_bytes());
    bytes[4..].copy_from_slice(&random::<16>());
    // Base 62 of a 160-bit number, by repeated division of the byte string.
    let mut digits = Vec::with_capacity(27);
    let mut n = bytes.to_vec();
    while n.iter().any(|b| *b != 0) {
        let mut rem = 0u32;
        for b in n.iter_mut() {
            let cur = (rem << 8) | *b as u32;
            *b = (cur / 62) as u8;
            rem = cur % 62;
        }
        digits.push(ALPHABET[rem as usize]);
    }
    while digits.len() < 27 {
        digits.push(b'0');
    }
    digits.iter().rev().map(|&c| c as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulids_are_26_crockford_characters_and_sort_by_time() {
        let a = ulid();
        assert_eq!(a.len(), 26);
        assert!(a.chars().all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)), "{a}");
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = ulid();
        assert!(a[..10] < b[..10], "{a} then {b}");
        assert_ne!(a[10..], b[10..]);
    }

    #[test]
    fn ksuids_are_27_base62_characters_and_sort_by_time() {
        let a = ksuid();
        assert_eq!(a.len(), 27, "{a}");
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()), "{a}");
        // The leading digits encode the time: later ids are not smaller.
        assert!(a.as_str() > "0000000000000000000000000", "{a}");
        assert_ne!(a, ksuid());
    }
}
