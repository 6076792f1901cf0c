//! Order-preserving byte encoding of key values, so the database's plain byte
//! order is DynamoDB's key order: N numerically, S by UTF-8 bytes, B by bytes.
//! Each part is self-delimiting, so `partition ++ sort` keeps one partition's
//! items together and sorted by their sort key.

use super::value::AttributeValue;

/// Appends the encoding of a key value (S, N or B) to `out`.
pub fn encode(value: &AttributeValue, out: &mut Vec<u8>) {
    match value {
        AttributeValue::S(s) => encode_bytes(s.as_bytes(), out),
        AttributeValue::B(b) => encode_bytes(b, out),
        AttributeValue::N(n) => {
            let (digits, exponent) = n.digits_and_exponent();
            if digits.is_empty() {
                out.push(0x02);
                return;
            }
            // Exponents lie in -129..=126; biasing them keeps them positive.
            let biased = (exponent + 0x1000) as u16;
            if n.is_negative() {
                // A larger magnitude is a smaller value: invert every byte, and
                // end with 0xFF so a shorter digit string sorts after a longer one.
                out.push(0x01);
                out.extend((!biased).to_be_bytes());
                out.extend(digits.iter().map(|d| 0xFF - (d + 1)));
                out.push(0xFF);
            } else {
                out.push(0x03);
                out.extend(biased.to_be_bytes());
                out.extend(digits.iter().map(|d| d + 1));
                out.push(0x00);
            }
        }
        other => unreachable!("key values are S, N or B, not {}", other.type_name()),
    }
}

/// The encoding of a whole primary key: partition value, then sort value.
pub fn encode_key(partition: &AttributeValue, sort: Option<&AttributeValue>) -> Vec<u8> {
    let mut out = Vec::new();
    encode(partition, &mut out);
    if let Some(sort) = sort {
        encode(sort, &mut out);
    }
    out
}

/// Bytes with 0x00 escaped as 0x00 0xFF and ended by 0x00 0x00: a prefix
/// sorts before its extensions, and the end is unambiguous.
fn encode_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    out.extend([0x00, 0x00]);
}

/// The smallest byte string greater than every string that starts with `prefix`
/// (for ranges over "everything under this prefix"); `None` if there is none.
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::number::Number;

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(Number::parse(text).unwrap())
    }

    fn enc(v: &AttributeValue) -> Vec<u8> {
        let mut out = Vec::new();
        encode(v, &mut out);
        out
    }

    #[test]
    fn numbers_sort_numerically() {
        let ordered = [
            "-1e100", "-1000", "-999.5", "-10", "-1.5", "-1", "-0.001", "0", "0.001", "0.0011", "1", "1.5", "9", "10",
            "10.01", "1e100",
        ];
        for pair in ordered.windows(2) {
            assert!(enc(&n(pair[0])) < enc(&n(pair[1])), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(enc(&n("1.0")), enc(&n("1")));
    }

    #[test]
    fn strings_and_binaries_sort_by_bytes_and_delimit() {
        let s = |t: &str| AttributeValue::S(t.to_string());
        let ordered = ["", "A", "Z", "a", "a\0", "a\0b", "ab", "b", "é"];
        for pair in ordered.windows(2) {
            assert!(enc(&s(pair[0])) < enc(&s(pair[1])), "{:?} < {:?}", pair[0], pair[1]);
        }
        // Within a partition, sort keys order items even when a partition key is a prefix of another.
        let k1 = encode_key(&s("a"), Some(&s("zzz")));
        let k2 = encode_key(&s("ab"), Some(&s("a")));
        assert!(k1 < k2);
        let b = |bytes: &[u8]| AttributeValue::B(bytes.to_vec());
        assert!(enc(&b(&[0, 255])) < enc(&b(&[1])));
        assert!(enc(&b(&[])) < enc(&b(&[0])));
    }

    #[test]
    fn prefix_end_bounds_the_prefix() {
        assert_eq!(prefix_end(&[1, 2]), Some(vec![1, 3]));
        assert_eq!(prefix_end(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xFF]), None);
    }
}
