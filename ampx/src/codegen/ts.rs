//! Writing TypeScript source: string literals, object keys, lists.

/// `s` as a single-quoted TypeScript string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `name` as an object key: bare when it is an identifier, quoted otherwise.
pub fn key(name: &str) -> String {
    let mut chars = name.chars();
    let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_string()
    } else {
        string(name)
    }
}

/// `['a', 'b']`.
pub fn string_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| string(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// `'a'` for one name, `['a', 'b']` for several (as Amplify's builders take them).
pub fn one_or_list(items: &[String]) -> String {
    match items {
        [one] => string(one),
        _ => string_list(items),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_keys_are_escaped() {
        assert_eq!(string("it's"), r"'it\'s'");
        assert_eq!(string("a\\b\n"), r"'a\\b\n'");
        assert_eq!(key("chatId"), "chatId");
        assert_eq!(key("$x_1"), "$x_1");
        assert_eq!(key("first-name"), "'first-name'");
        assert_eq!(key("1st"), "'1st'");
        assert_eq!(one_or_list(&["a".into()]), "'a'");
        assert_eq!(one_or_list(&["a".into(), "b".into()]), "['a', 'b']");
    }
}
