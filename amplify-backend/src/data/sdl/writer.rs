//! Writing SDL definitions: `type`, `input` and `enum` blocks, one field per line.

use std::fmt::Write;

/// Appends `keyword name directives {\n  line\n  ...\n}\n\n`.
pub(crate) fn block<I, S>(out: &mut String, keyword: &str, name: &str, directives: &str, lines: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let _ = write!(out, "{keyword} {name}");
    if !directives.is_empty() {
        out.push(' ');
        out.push_str(directives);
    }
    out.push_str(" {\n");
    for line in lines {
        out.push_str("  ");
        out.push_str(line.as_ref());
        out.push('\n');
    }
    out.push_str("}\n\n");
}

/// `name(arg: T, ...): Type directives`; no parentheses without arguments.
pub(crate) fn field_line(name: &str, args: &[(String, String)], ty: &str, directives: &str) -> String {
    let mut s = String::with_capacity(64);
    s.push_str(name);
    if !args.is_empty() {
        s.push('(');
        for (i, (a, t)) in args.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            let _ = write!(s, "{a}: {t}");
        }
        s.push(')');
    }
    let _ = write!(s, ": {ty}");
    if !directives.is_empty() {
        s.push(' ');
        s.push_str(directives);
    }
    s
}

/// An argument list entry.
pub(crate) fn arg(name: &str, ty: impl Into<String>) -> (String, String) {
    (name.to_string(), ty.into())
}
