//! Case conversion, Rust keywords and unique-name allocation.

use std::collections::BTreeSet;

/// Splits an identifier into words: at non-alphanumeric characters, at a lowercase
/// letter or digit followed by an uppercase letter, and before the last capital of
/// an acronym followed by a lowercase letter (`HTTPServer` -> `HTTP`, `Server`).
pub fn words(s: &str) -> Vec<String> {
    // Keep the common `IPv4`/`IPv6` spellings as one word.
    let s = s.replace("IPv4", "Ipv4").replace("IPv6", "Ipv6");
    let mut out = Vec::new();
    for chunk in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if i > 0 && !cur.is_empty() {
                let prev = chars[i - 1];
                let next = chars.get(i + 1).copied();
                let boundary = (c.is_ascii_uppercase() && (prev.is_ascii_lowercase() || prev.is_ascii_digit()))
                    || (c.is_ascii_uppercase()
                        && prev.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase()));
                if boundary {
                    out.push(std::mem::take(&mut cur));
                }
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `snake_case`.
pub fn snake(s: &str) -> String {
    words(s).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_")
}

/// `PascalCase`; acronyms become capitalized words (`HTTPServer` -> `HttpServer`).
/// An underscore separates two words when the first ends and the second starts
/// with a digit.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        if out.ends_with(|c: char| c.is_ascii_digit()) && w.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// A snake_case identifier for a field or module: raw (`r#type`) for keywords, with
/// a trailing underscore for the few that cannot be raw, and a leading `n` when it
/// would start with a digit.
pub fn field_ident(name: &str) -> String {
    let mut s = snake(name);
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    } else if KEYWORDS.contains(&s.as_str()) {
        s.insert_str(0, "r#");
    }
    s
}

/// Allocates unique names in one namespace.
#[derive(Default)]
pub struct Names {
    used: BTreeSet<String>,
}

impl Names {
    /// A namespace where `reserved` are taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Names { used: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Takes the first free candidate; when all are taken, the last candidate with
    /// the smallest free numeric suffix (`2`, `3`, ...).
    pub fn take(&mut self, candidates: &[String]) -> String {
        self.take_sep(candidates, "")
    }

    /// As [`take`](Names::take), with `sep` before the numeric suffix (always `_`
    /// after a digit).
    pub fn take_sep(&mut self, candidates: &[String], sep: &str) -> String {
        for c in candidates {
            if !self.used.contains(c) {
                self.used.insert(c.clone());
                return c.clone();
            }
        }
        let base = candidates.last().expect("at least one candidate");
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { sep };
        let mut n = 2;
        loop {
            let c = format!("{base}{sep}{n}");
            if !self.used.contains(&c) {
                self.used.insert(c.clone());
                return c;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("BucketName"), "bucket_name");
        assert_eq!(snake("VPCId"), "vpc_id");
        assert_eq!(snake("S3Bucket"), "s3_bucket");
        assert_eq!(snake("IPv6Address"), "ipv6_address");
        assert_eq!(snake("SSEAlgorithm"), "sse_algorithm");
        assert_eq!(snake("httpEndpoint"), "http_endpoint");
        assert_eq!(pascal("PAY_PER_REQUEST"), "PayPerRequest");
        assert_eq!(pascal("t2.micro"), "T2Micro");
        assert_eq!(pascal("1.0"), "1_0");
        assert_eq!(pascal("iso8601UTC"), "Iso8601Utc");
        assert_eq!(field_ident("Type"), "r#type");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("3Foo"), "n3_foo");
    }
}
