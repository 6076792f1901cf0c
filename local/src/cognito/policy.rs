//! The pool's password policy, and temporary passwords that satisfy it.

use aws_lc_rs::rand;

use super::config::PasswordPolicy;
use super::errors::{CognitoError, ErrorKind, Result};

/// The characters Cognito counts as symbols.
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

fn policy_error(reason: &str) -> CognitoError {
    CognitoError::new(ErrorKind::InvalidPassword, format!("Password did not conform with policy: {reason}"))
}

/// Checks `password` against `policy`, naming the first rule it breaks.
/// `member` is the request member, for Cognito's pattern message.
pub(crate) fn check(policy: &PasswordPolicy, password: &str, member: &str) -> Result<()> {
    let trimmed = password.trim();
    if password.chars().count() < 2 || trimmed.len() != password.len() {
        // Cognito's request pattern refuses leading/trailing whitespace.
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$"
        )));
    }
    if password.chars().count() > 256 {
        return Err(policy_error("Password is too long"));
    }
    if password.chars().count() < policy.minimum_length {
        return Err(policy_error("Password not long enough"));
    }
    if policy.require_lowercase && !password.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(policy_error("Password must have lowercase characters"));
    }
    if policy.require_uppercase && !password.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(policy_error("Password must have uppercase characters"));
    }
    if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return Err(policy_error("Password must have numeric characters"));
    }
    if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        return Err(policy_error("Password must have symbol characters"));
    }
    Ok(())
}

fn random_from(alphabet: &[u8], n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    rand::fill(&mut bytes).expect("the system random source works");
    // The slight modulo bias does not matter for a local temporary password.
    bytes.iter().map(|b| alphabet[*b as usize % alphabet.len()]).collect()
}

/// A random password that satisfies `policy` (one of each class, then letters and digits).
pub(crate) fn temporary_password(policy: &PasswordPolicy) -> String {
    let mut chars = Vec::new();
    chars.extend(random_from(b"abcdefghijkmnopqrstuvwxyz", 1));
    chars.extend(random_from(b"ABCDEFGHJKLMNPQRSTUVWXYZ", 1));
    chars.extend(random_from(b"23456789", 1));
    chars.extend(random_from(b"!#%&*+-=?@^_", 1));
    let rest = policy.minimum_length.max(12) - chars.len();
    chars.extend(random_from(b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", rest));
    String::from_utf8(chars).expect("ASCII")
}

/// A six-digit code, as Cognito sends.
pub(crate) fn code() -> String {
    String::from_utf8(random_from(b"0123456789", 6)).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_is_named() {
        let p = PasswordPolicy::default();
        let reason = |pw: &str| check(&p, pw, "password").unwrap_err().message();
        assert!(reason("Ab1!").ends_with("Password not long enough"));
        assert!(reason("ABCDEFG1!").ends_with("must have lowercase characters"));
        assert!(reason("abcdefg1!").ends_with("must have uppercase characters"));
        assert!(reason("Abcdefgh!").ends_with("must have numeric characters"));
        assert!(reason("Abcdefgh1").ends_with("must have symbol characters"));
        assert!(check(&p, "Abcdefg1!", "password").is_ok());
        let err = check(&p, " Abcdefg1!", "password").unwrap_err();
        assert_eq!(err.type_name(), "InvalidParameterException");
    }

    #[test]
    fn temporary_passwords_satisfy_the_strictest_policy() {
        let p = PasswordPolicy { minimum_length: 20, ..PasswordPolicy::default() };
        for _ in 0..50 {
            let pw = temporary_password(&p);
            assert_eq!(pw.len(), 20);
            check(&p, &pw, "password").unwrap();
        }
    }

    #[test]
    fn codes_are_six_digits() {
        let c = code();
        assert_eq!(c.len(), 6);
        assert!(c.bytes().all(|b| b.is_ascii_digit()));
    }
}
