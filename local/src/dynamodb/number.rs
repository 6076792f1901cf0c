//! DynamoDB numbers: decimals of up to 38 significant digits with magnitudes
//! from 1E-130 to under 1E+126, held exactly (never as `f64`), returned in
//! DynamoDB's normal form (no exponent, no trailing zeros, no `+`, `-0` is `0`).

use std::str::FromStr;

use bigdecimal::num_bigint::Sign;
use bigdecimal::BigDecimal;

use super::error::DynamoError;

/// Most significant digits a number may have.
const MAX_DIGITS: usize = 38;
/// A non-zero number's decimal exponent (`x = 0.d1d2.. × 10^e`) must lie in this range.
const MIN_EXPONENT: i64 = -129;
const MAX_EXPONENT: i64 = 126;

/// An exact DynamoDB number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Number(BigDecimal);

impl Number {
    /// Parses a number as a request carries it, with DynamoDB's checks.
    pub fn parse(text: &str) -> Result<Number, DynamoError> {
        if !is_number_syntax(text) {
            return Err(DynamoError::validation("A value provided cannot be converted into a number"));
        }
        let value = BigDecimal::from_str(text)
            .map_err(|_| DynamoError::validation("A value provided cannot be converted into a number"))?;
        Number::checked(value)
    }

    /// The number from an integer (list indexes, sizes, counts).
    pub fn from_i64(value: i64) -> Number {
        Number(BigDecimal::from(value).normalized())
    }

    /// `value` if DynamoDB can store it, else the error DynamoDB gives.
    fn checked(value: BigDecimal) -> Result<Number, DynamoError> {
        let value = value.normalized();
        if value.sign() == Sign::NoSign {
            return Ok(Number(BigDecimal::from(0)));
        }
        let (digits, exponent) = decompose(&value);
        if exponent > MAX_EXPONENT {
            return Err(DynamoError::validation(
                "Number overflow. Attempting to store a number with magnitude larger than supported range",
            ));
        }
        if exponent < MIN_EXPONENT {
            return Err(DynamoError::validation(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range",
            ));
        }
        if digits.len() > MAX_DIGITS {
            return Err(DynamoError::validation("Attempting to store more than 38 significant digits in a Number"));
        }
        Ok(Number(value))
    }

    /// `self + other`, checked like a stored number.
    pub fn add(&self, other: &Number) -> Result<Number, DynamoError> {
        Number::checked(&self.0 + &other.0)
    }

    /// `self - other`, checked like a stored number.
    pub fn sub(&self, other: &Number) -> Result<Number, DynamoError> {
        Number::checked(&self.0 - &other.0)
    }

    /// True for negative numbers.
    pub fn is_negative(&self) -> bool {
        self.0.sign() == Sign::Minus
    }

    /// The number as an index (list positions), if it is a non-negative integer.
    pub fn as_usize(&self) -> Option<usize> {
        if self.is_negative() || !self.0.is_integer() {
            return None;
        }
        self.to_string().parse().ok()
    }

    /// Significant digits (no leading or trailing zeros) and the exponent `e`
    /// with `|x| = 0.digits × 10^e`; zero has no digits.
    pub fn digits_and_exponent(&self) -> (Vec<u8>, i64) {
        if self.0.sign() == Sign::NoSign {
            return (Vec::new(), 0);
        }
        decompose(&self.0)
    }

    /// The bytes DynamoDB counts for this number in an item's size.
    pub fn storage_size(&self) -> usize {
        let (digits, _) = self.digits_and_exponent();
        digits.len().div_ceil(2) + 1
    }
}

/// Digits of a normalised non-zero decimal and its exponent (`0.digits × 10^e`).
fn decompose(value: &BigDecimal) -> (Vec<u8>, i64) {
    let (integer, scale) = value.as_bigint_and_exponent();
    let digits: Vec<u8> = integer.magnitude().to_string().bytes().map(|b| b - b'0').collect();
    let exponent = digits.len() as i64 - scale;
    (digits, exponent)
}

/// DynamoDB's number syntax: optional sign, digits with an optional point,
/// optional exponent. No spaces, no `NaN`/`Infinity`, no hex.
fn is_number_syntax(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits_only(whole) && digits_only(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.len() < 10 && digits_only(e)
        }
    };
    mantissa_ok && exponent_ok
}

impl std::fmt::Display for Number {
    /// Plain notation, as DynamoDB returns numbers: `100`, `0.001`, `-1.5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (digits, exponent) = self.digits_and_exponent();
        if digits.is_empty() {
            return f.write_str("0");
        }
        let mut out = String::new();
        if self.is_negative() {
            out.push('-');
        }
        let digit_chars: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        if exponent <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent) as usize));
            out.push_str(&digit_chars);
        } else if exponent as usize >= digits.len() {
            out.push_str(&digit_chars);
            out.extend(std::iter::repeat_n('0', exponent as usize - digits.len()));
        } else {
            out.push_str(&digit_chars[..exponent as usize]);
            out.push('.');
            out.push_str(&digit_chars[exponent as usize..]);
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Number {
        Number::parse(text).unwrap()
    }

    #[test]
    fn normalises_like_dynamodb() {
        for (input, output) in [
            ("1.0", "1"),
            ("1e2", "100"),
            ("-0", "0"),
            ("-0.00", "0"),
            ("0.10", "0.1"),
            ("+5", "5"),
            ("1E-5", "0.00001"),
            ("-12.3400", "-12.34"),
            ("123.456e1", "1234.56"),
            (".5", "0.5"),
            ("5.", "5"),
        ] {
            assert_eq!(n(input).to_string(), output, "{input}");
        }
    }

    #[test]
    fn keeps_38_digits_exactly_and_rejects_39() {
        let text = "12345678901234567890123456789012345678";
        assert_eq!(n(text).to_string(), text);
        assert_eq!(
            n("0.12345678901234567890123456789012345678").to_string(),
            "0.12345678901234567890123456789012345678"
        );
        let err = Number::parse("123456789012345678901234567890123456789").unwrap_err();
        assert!(err.message.contains("38 significant digits"), "{err}");
        // Trailing zeros are not significant.
        assert_eq!(
            n("1234567890123456789012345678901234567800000").to_string(),
            "1234567890123456789012345678901234567800000"
        );
    }

    #[test]
    fn checks_the_magnitude_range() {
        assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
        assert!(Number::parse("1E+126").unwrap_err().message.contains("overflow"));
        assert!(Number::parse("1E-130").is_ok());
        assert!(Number::parse("1E-131").unwrap_err().message.contains("underflow"));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for bad in ["", "abc", "1.2.3", "NaN", "Infinity", " 1", "1 ", "0x10", "1e", "e5", "--1", "."] {
            assert_eq!(Number::parse(bad).unwrap_err().kind, "ValidationException", "{bad:?}");
        }
    }

    #[test]
    fn orders_numerically_not_textually() {
        let mut values = [n("10"), n("9"), n("-1"), n("0.5"), n("-10.5"), n("1e3"), n("0")];
        values.sort();
        let shown: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        assert_eq!(shown, ["-10.5", "-1", "0", "0.5", "9", "10", "1000"]);
    }

    #[test]
    fn adds_exactly_where_f64_would_not() {
        assert_eq!(n("0.1").add(&n("0.2")).unwrap().to_string(), "0.3");
        assert_eq!(
            n("99999999999999999999999999999999999999").sub(&n("1")).unwrap().to_string(),
            "99999999999999999999999999999999999998"
        );
        assert!(n("99999999999999999999999999999999999999").add(&n("0.1")).is_err());
    }

    #[test]
    fn indexes_are_non_negative_integers() {
        assert_eq!(n("3").as_usize(), Some(3));
        assert_eq!(n("3.5").as_usize(), None);
        assert_eq!(n("-1").as_usize(), None);
    }
}
