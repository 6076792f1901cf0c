//! Amplify's rules for access paths, and the prefixes they stand for in IAM.
//!
//! The rules are Amplify's (`validate_storage_access_paths.ts`), so a backend that
//! Amplify accepts is accepted here and the other way round. Every broken rule of
//! every path is reported, not only the first.

/// The owner token of a path: `profile/{entity_id}/*`.
pub const ENTITY_ID_TOKEN: &str = "{entity_id}";

/// What the owner token becomes in IAM: the caller's Cognito identity id.
pub const IDENTITY_ID_VARIABLE: &str = "${cognito-identity.amazonaws.com:sub}";

/// Every rule `path` breaks, given all the paths of the bucket.
pub(crate) fn problems(path: &str, all: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    if path.starts_with('/') {
        out.push("must not start with \"/\"; remove the leading \"/\"".to_string());
    }
    if !path.ends_with("/*") {
        out.push("must end with \"/*\"; end the path with \"/*\"".to_string());
    }
    if path.contains("//") {
        out.push("must not contain \"//\"; remove the empty part".to_string());
    }
    // A wildcard anywhere but at the very end would be a glob IAM does not mean.
    if path.find('*').is_some_and(|i| i + 1 < path.len()) {
        out.push("may have a wildcard only as its last character; use a separate path per prefix".to_string());
    }
    // S3 prefixes nest, and a grant on `a/*` covers `a/b/*`; Amplify keeps the
    // nesting to one level so the deny rules it derives stay understandable.
    let prefixes = prefixes_of(path, all);
    if prefixes.len() > 1 {
        out.push(format!(
            "is inside more than one other path ({}); paths may nest only one level deep",
            quoted(&prefixes)
        ));
    }
    if path.contains(ENTITY_ID_TOKEN) {
        out.extend(owner_problems(path, &prefixes));
    }
    out
}

/// The rules of owner paths (`profile/{entity_id}/*`): each user's folder.
fn owner_problems(path: &str, prefixes: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    if !prefixes.is_empty() {
        // A broader rule would hand every user's folder to its grantees.
        out.push(format!(
            "holds {ENTITY_ID_TOKEN} and so must not be inside another path, but is inside {}",
            quoted(prefixes)
        ));
    }
    let parts: Vec<&str> = path.split(ENTITY_ID_TOKEN).collect();
    if parts.len() > 2 {
        out.push(format!("may hold {ENTITY_ID_TOKEN} only once; remove the others"));
    }
    let (before, after) = (parts[0], parts[parts.len() - 1]);
    if after != "/*" {
        out.push(format!(
            "must have {ENTITY_ID_TOKEN} as the last part before \"/*\", as in \"foo/{ENTITY_ID_TOKEN}/*\""
        ));
    }
    if before.is_empty() {
        out.push(format!(
            "must not start with {ENTITY_ID_TOKEN}; put it under a folder, as in \"foo/{ENTITY_ID_TOKEN}/*\""
        ));
    } else if !before.ends_with('/') {
        out.push(format!("must have {ENTITY_ID_TOKEN} alone in its part, as in \"foo/{ENTITY_ID_TOKEN}/*\""));
    }
    out
}

/// The other paths that `path` is inside (`a/*` for `a/b/*`).
pub(crate) fn prefixes_of<'a>(path: &str, all: &[&'a str]) -> Vec<&'a str> {
    all.iter().copied().filter(|p| *p != path && path.starts_with(&p.replace('*', ""))).collect()
}

/// The first other path that `path` is inside, if any (validation allows one).
pub(crate) fn parent_of<'a>(path: &str, all: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    all.into_iter().find(|p| p.as_str() != path && path.starts_with(&p.replace('*', "")))
}

/// The S3 prefix a rule grants: the owner token becomes `substitution` (the
/// identity id for owners, `*` for everyone else). `a/*/*` becomes `a/*`, which
/// means the same to IAM and lets the owner's folder nest under it.
pub(crate) fn substitute(path: &str, substitution: &str) -> String {
    let prefix = path.replace(ENTITY_ID_TOKEN, substitution);
    match prefix.strip_suffix("/*/*") {
        Some(stem) => format!("{stem}/*"),
        None => prefix,
    }
}

fn quoted(paths: &[&str]) -> String {
    paths.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, all: &[&str]) -> Vec<String> {
        problems(path, all)
    }

    #[test]
    fn good_paths_pass() {
        let all = ["photos/*", "photos/thumbs/*", "profile/{entity_id}/*", "other/*"];
        for p in all {
            assert!(check(p, &all).is_empty(), "{p}: {:?}", check(p, &all));
        }
    }

    #[test]
    fn each_rule_is_reported() {
        assert!(check("/a/*", &["/a/*"])[0].contains("must not start with \"/\""));
        assert!(check("a/", &["a/"])[0].contains("must end with \"/*\""));
        assert!(check("a//b/*", &["a//b/*"])[0].contains("\"//\""));
        assert!(check("a/*/b/*", &["a/*/b/*"])[0].contains("wildcard only as its last"));
        let nested = ["a/*", "a/b/*", "a/b/c/*"];
        assert!(check("a/b/c/*", &nested)[0].contains("more than one other path (\"a/*\", \"a/b/*\")"));
        let owner = ["a/*", "a/{entity_id}/*"];
        assert!(check("a/{entity_id}/*", &owner)[0].contains("must not be inside another path"));
        assert!(check("a/{entity_id}/{entity_id}/*", &[])[0].contains("only once"));
        assert!(check("a/{entity_id}/b/*", &[])[0].contains("last part before"));
        assert!(check("{entity_id}/*", &[])[0].contains("must not start with {entity_id}"));
        assert!(check("a/x{entity_id}/*", &[])[0].contains("alone in its part"));
    }

    #[test]
    fn owner_tokens_become_iam_prefixes() {
        assert_eq!(substitute("p/{entity_id}/*", IDENTITY_ID_VARIABLE), "p/${cognito-identity.amazonaws.com:sub}/*");
        assert_eq!(substitute("p/{entity_id}/*", "*"), "p/*");
        assert_eq!(substitute("p/*", "*"), "p/*");
    }
}
