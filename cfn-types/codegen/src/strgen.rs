//! Strings that satisfy a schema's `pattern`, length and `format`, for the samples
//! of the schema test.
//!
//! Candidates come from walking the pattern's syntax tree (lookarounds stripped) with
//! several repetition counts and branch choices; each is checked against the
//! original pattern with `fancy-regex` (the engine of the `jsonschema` crate), the
//! length bounds and the format.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The key under which merged schemas keep the patterns beyond the first.
pub const EXTRA_PATTERNS: &str = "x-more-patterns";

/// The constraints of a string.
#[derive(Default, Clone, PartialEq, Eq, Hash)]
pub struct StrSpec {
    /// Every pattern must match.
    pub patterns: Vec<String>,
    pub min_len: Option<usize>,
    pub max_len: Option<usize>,
    pub format: Option<String>,
    /// `enum`/`const`: only these.
    pub values: Option<Vec<String>>,
}

impl StrSpec {
    pub fn from_schema(s: &serde_json::Value) -> StrSpec {
        let n = |k: &str| s.get(k).and_then(serde_json::Value::as_u64).map(|n| n as usize);
        let mut patterns: Vec<String> =
            s.get("pattern").and_then(|p| p.as_str()).map(str::to_string).into_iter().collect();
        patterns.extend(crate::model::str_list(s.get(EXTRA_PATTERNS)));
        StrSpec {
            patterns,
            min_len: n("minLength"),
            max_len: n("maxLength"),
            format: s.get("format").and_then(|p| p.as_str()).map(str::to_string),
            values: match (s.get("const"), s.get("enum")) {
                (Some(serde_json::Value::String(c)), _) => Some(vec![c.clone()]),
                (_, Some(serde_json::Value::Array(a))) => {
                    Some(a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                }
                _ => None,
            },
        }
    }
}

fn format_candidates(format: &str) -> &'static [&'static str] {
    match format {
        "date-time" => &["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"],
        "date" => &["2024-01-01", "2024-01-02"],
        "time" => &["00:00:00Z", "01:00:00Z"],
        "uri" | "uri-reference" | "iri" => &["https://example.com/a", "https://example.com/b"],
        "email" => &["user@example.com", "other@example.com"],
        "ipv4" => &["10.0.0.1", "10.0.0.2"],
        "ipv6" => &["2001:db8::1", "2001:db8::2"],
        "hostname" => &["example.com", "example.org"],
        "uuid" => &["123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174001"],
        _ => &[],
    }
}

fn format_ok(format: Option<&str>, s: &str) -> bool {
    let Some(f) = format else { return true };
    let known = format_candidates(f);
    known.is_empty() || known.contains(&s)
}

/// Removes `(?=...)`, `(?!...)`, `(?<=...)` and `(?<!...)` groups.
fn strip_lookarounds(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(&n) = chars.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        if in_class {
            if c == ']' {
                in_class = false;
            }
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            in_class = true;
            out.push(c);
            i += 1;
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if rest.starts_with("(?=") || rest.starts_with("(?!") || rest.starts_with("(?<=") || rest.starts_with("(?<!") {
            // Skip to the matching parenthesis.
            let mut depth = 0;
            let mut j = i;
            let mut cls = false;
            while j < chars.len() {
                let d = chars[j];
                if d == '\\' {
                    j += 2;
                    continue;
                }
                if cls {
                    if d == ']' {
                        cls = false;
                    }
                } else if d == '[' {
                    cls = true;
                } else if d == '(' {
                    depth += 1;
                } else if d == ')' {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

const PREFERRED: [char; 28] = [
    'a', 'b', 'c', 'x', 'y', 'z', 'A', 'B', 'C', 'X', 'Y', 'Z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-',
    '_', '.', ':', '/', ' ',
];

struct Walk {
    /// Longest string worth building.
    cap: usize,
    reps: u32,
    alt: usize,
    /// Which preferred character to try first in a class.
    shift: usize,
}

fn class_char(class: &Class, shift: usize) -> Option<char> {
    match class {
        Class::Unicode(u) => {
            let in_class = |c: char| u.ranges().iter().any(|r| r.start() <= c && c <= r.end());
            for k in 0..PREFERRED.len() {
                let c = PREFERRED[(k + shift) % PREFERRED.len()];
                if in_class(c) {
                    return Some(c);
                }
            }
            u.ranges().iter().find_map(|r| (r.start()..=r.end()).find(|c| !c.is_control()))
        }
        Class::Bytes(b) => b.ranges().first().map(|r| r.start() as char),
    }
}

fn walk(h: &Hir, w: &Walk, out: &mut String) -> Option<()> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(std::str::from_utf8(&l.0).ok()?),
        HirKind::Class(c) => out.push(class_char(c, w.shift)?),
        HirKind::Repetition(r) => {
            let n = w.reps.max(r.min).min(r.max.unwrap_or(u32::MAX));
            for _ in 0..n {
                walk(&r.sub, w, out)?;
                if out.len() > w.cap {
                    return None;
                }
            }
        }
        HirKind::Capture(c) => walk(&c.sub, w, out)?,
        HirKind::Concat(items) => {
            for i in items {
                walk(i, w, out)?;
            }
        }
        HirKind::Alternation(items) => walk(&items[w.alt % items.len()], w, out)?,
    }
    Some(())
}

/// A pattern as the `jsonschema` crate compiles it (ECMA-262 translated to Rust syntax).
/// Patterns ECMA-262 reads under Annex B but the translation refuses (`[\\w-/]`: a
/// class escape before `-`) are tried with the `-` escaped.
fn translate(p: &str) -> Option<String> {
    if let Ok(c) = jsonschema_regex::to_rust_regex(p) {
        return Some(c.into_owned());
    }
    let fixed = p.replace("\\w-", "\\w\\-").replace("\\d-", "\\d\\-").replace("\\s-", "\\s\\-");
    jsonschema_regex::to_rust_regex(&fixed).ok().map(|c| c.into_owned())
}

thread_local! {
    static CACHE: std::cell::RefCell<std::collections::HashMap<(StrSpec, usize), Vec<String>>> =
        Default::default();
}

/// Strings satisfying `spec`, distinct, in a fixed order; at most `want`.
/// Memoized: the schemas repeat the same constraints thousands of times.
pub fn strings(spec: &StrSpec, want: usize) -> Vec<String> {
    let key = (spec.clone(), want);
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let out = compute(spec, want);
    CACHE.with(|c| c.borrow_mut().insert(key, out.clone()));
    out
}

fn compute(spec: &StrSpec, want: usize) -> Vec<String> {
    let min = spec.min_len.unwrap_or(0);
    let max = spec.max_len.unwrap_or(usize::MAX);
    let mut checks = Vec::new();
    let mut trees = Vec::new();
    let mut witnesses = Vec::new();
    for p in &spec.patterns {
        // A pattern that is not ECMA-262 (`\\A`, `\\Z`, inline flags) is used as
        // fancy-regex reads it; one neither reads is left unchecked, as the schema
        // test's validator refuses it too.
        let rust = match translate(p) {
            Some(r) if fancy_regex::Regex::new(&r).is_ok() => r,
            _ if fancy_regex::Regex::new(p).is_ok() => p.clone(),
            _ => continue,
        };
        let Ok(re) = fancy_regex::Regex::new(&rust) else { continue };
        checks.push(re);
        witnesses.extend(jsonschema_regex::pattern_witness(&rust));
        // The syntax walk knows `^` and `$` where fancy-regex also takes `\A`, `\Z`.
        let plain = strip_lookarounds(&rust).replace("\\A", "^").replace("\\Z", "$");
        if let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(&plain) {
            trees.push(hir);
        }
    }
    let mut out: Vec<String> = Vec::new();
    // Takes a candidate when it satisfies everything; true once there are enough.
    let mut offer = |c: String| -> bool {
        let len = c.chars().count();
        if len >= min
            && len <= max
            && !out.contains(&c)
            && format_ok(spec.format.as_deref(), &c)
            && checks.iter().all(|re| re.is_match(&c).unwrap_or(false))
        {
            out.push(c);
        }
        out.len() >= want
    };
    if let Some(values) = &spec.values {
        for v in values {
            if offer(v.clone()) {
                return out;
            }
        }
        return out;
    }
    if let Some(f) = &spec.format {
        for c in format_candidates(f) {
            if offer(c.to_string()) {
                return out;
            }
        }
    }
    for w in witnesses {
        if offer(w) {
            return out;
        }
    }
    let cap = max.min(4096);
    for hir in &trees {
        for shift in [0usize, 3, 12, 14] {
            for alt in 0..4 {
                for reps in [0u32, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64] {
                    let mut s = String::new();
                    if walk(hir, &Walk { reps, alt, shift, cap }, &mut s).is_some() && offer(s) {
                        return out;
                    }
                }
            }
        }
    }
    for base in ["sample", "abc", "a", "x", "0", "1", "sample-value", "example"] {
        let mut padded = base.to_string();
        while padded.chars().count() < min {
            padded.push('a');
        }
        if offer(base.to_string()) || offer(padded) {
            return out;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(pattern: &str, min: Option<usize>, max: Option<usize>) -> Option<String> {
        let spec = StrSpec { patterns: vec![pattern.into()], min_len: min, max_len: max, ..Default::default() };
        strings(&spec, 1).into_iter().next()
    }

    #[test]
    fn patterns() {
        assert_eq!(one("^[A-Z]{3}$", Some(3), Some(3)).as_deref(), Some("AAA"));
        assert!(one("^arn:aws[a-z-]*:iam::\\d{12}:role/.+$", None, None).is_some());
        assert!(one("^arn:aws[a-z0-9-]*:iam::\\d{12}:role/[\\w-/.@+=,]{1,1017}$", Some(20), Some(2048)).is_some());
        assert!(one("^(?!aws:)[a-zA-Z+-=._:/]+$", None, None).is_some());
        assert!(one("(?=.{1,32}$)[a-zA-Z0-9](-*[a-zA-Z0-9])*", None, None).is_some());
        assert_eq!(one("^[a-z]+$", Some(3), None).as_deref(), Some("aaa"));
    }
}
