//! A small IAM policy evaluator for the statement shapes that Amplify and the
//! CDK write: `Allow`/`Deny`, `Action`/`NotAction` with wildcards,
//! `Resource`/`NotResource` ARNs with wildcards and policy variables
//! (`${cognito-identity.amazonaws.com:sub}`), `Principal` on resource
//! policies, and the string, ARN, `Bool` and `Null` condition operators (with
//! `IfExists`, `ForAnyValue:` and `ForAllValues:`).
//!
//! Evaluation follows IAM's order within one account: an explicit deny in any
//! policy wins, then any allow, else the request is implicitly denied.

use std::collections::BTreeMap;

use serde_json::Value;

/// Why a policy document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{element}: {message}")]
pub struct PolicyError {
    /// The element, such as `Statement[2].Condition`.
    pub element: String,
    /// What is wrong.
    pub message: String,
}

fn err(element: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError { element: element.into(), message: message.into() }
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Refuses, whatever else grants.
    Deny,
}

/// The outcome of evaluating policies for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Some statement allows it and none denies it.
    Allow,
    /// A statement denies it.
    ExplicitDeny,
    /// No statement allows it.
    ImplicitDeny,
}

/// A list of patterns, or everything but them (`NotAction`, `NotResource`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Patterns {
    Only(Vec<String>),
    AllBut(Vec<String>),
}

/// Who a resource policy's statement applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Principals {
    /// Identity policies have no `Principal`: they apply to their holder.
    Holder,
    /// `"*"` or `{"AWS": "*"}`.
    Anyone,
    /// Role or account ARNs (`{"AWS": [...]}`); service and federated
    /// principals never sign S3 requests locally and match nobody.
    Aws(Vec<String>),
}

/// One condition test: `operator` over `key`, true if any of `values` matches.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Condition {
    operator: String,
    key: String,
    values: Vec<String>,
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Statement {
    effect: Effect,
    principals: Principals,
    actions: Patterns,
    resources: Patterns,
    conditions: Vec<Condition>,
}

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDocument {
    statements: Vec<Statement>,
}

/// What is asked, and the context the conditions and variables read.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    /// Such as `s3:GetObject`.
    pub action: String,
    /// Such as `arn:aws:s3:::bucket/key`.
    pub resource: String,
    /// The caller's role ARN; `None` for an anonymous request.
    pub principal_arn: Option<String>,
    /// The caller's account, for `{"AWS": "<account>"}` principals.
    pub account_id: String,
    /// Condition keys and policy variables (`s3:prefix`,
    /// `cognito-identity.amazonaws.com:sub`, `aws:SecureTransport`, ...).
    /// Keys compare case-insensitively, as IAM's do.
    pub keys: BTreeMap<String, Vec<String>>,
}

impl RequestContext {
    /// Sets a condition key (lower-cased, as IAM compares them).
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        self.keys.insert(key.to_ascii_lowercase(), vec![value.into()]);
    }

    fn get(&self, key: &str) -> Option<&Vec<String>> {
        self.keys.get(&key.to_ascii_lowercase())
    }
}

fn strings(value: &Value, element: &str) -> Result<Vec<String>, PolicyError> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Bool(b) => Ok(vec![b.to_string()]),
        Value::Number(n) => Ok(vec![n.to_string()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Bool(b) => Ok(b.to_string()),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(err(format!("{element}[{i}]"), format!("expected a string, found {other}"))),
            })
            .collect(),
        other => Err(err(element, format!("expected a string or a list of strings, found {other}"))),
    }
}

fn patterns(
    stmt: &serde_json::Map<String, Value>,
    name: &str,
    not_name: &str,
    at: &str,
) -> Result<Patterns, PolicyError> {
    match (stmt.get(name), stmt.get(not_name)) {
        (Some(v), None) => Ok(Patterns::Only(strings(v, &format!("{at}.{name}"))?)),
        (None, Some(v)) => Ok(Patterns::AllBut(strings(v, &format!("{at}.{not_name}"))?)),
        (Some(_), Some(_)) => Err(err(at, format!("has both {name} and {not_name}; keep one"))),
        (None, None) => Err(err(at, format!("has neither {name} nor {not_name}"))),
    }
}

fn principals(value: Option<&Value>, at: &str) -> Result<Principals, PolicyError> {
    let Some(value) = value else { return Ok(Principals::Holder) };
    match value {
        Value::String(s) if s == "*" => Ok(Principals::Anyone),
        Value::Object(map) => {
            let mut arns = Vec::new();
            for (kind, v) in map {
                let list = strings(v, &format!("{at}.Principal.{kind}"))?;
                if kind == "AWS" {
                    if list.iter().any(|a| a == "*") {
                        return Ok(Principals::Anyone);
                    }
                    arns.extend(list);
                }
            }
            Ok(Principals::Aws(arns))
        }
        other => Err(err(format!("{at}.Principal"), format!("expected \"*\" or an object, found {other}"))),
    }
}

impl PolicyDocument {
    /// Reads a policy document (with intrinsics already resolved).
    pub fn parse(doc: &Value) -> Result<PolicyDocument, PolicyError> {
        let list = match doc.get("Statement") {
            Some(Value::Array(list)) => list.clone(),
            Some(one @ Value::Object(_)) => vec![one.clone()],
            Some(other) => return Err(err("Statement", format!("expected a list of statements, found {other}"))),
            None => return Err(err("Statement", "is missing")),
        };
        let mut statements = Vec::new();
        for (i, s) in list.iter().enumerate() {
            let at = format!("Statement[{i}]");
            let Value::Object(stmt) = s else {
                return Err(err(at, format!("expected an object, found {s}")));
            };
            let effect = match stmt.get("Effect").and_then(Value::as_str) {
                Some("Allow") => Effect::Allow,
                Some("Deny") => Effect::Deny,
                other => return Err(err(format!("{at}.Effect"), format!("must be Allow or Deny, found {other:?}"))),
            };
            if stmt.contains_key("NotPrincipal") {
                return Err(err(format!("{at}.NotPrincipal"), "is not supported locally; use Principal"));
            }
            let mut conditions = Vec::new();
            if let Some(c) = stmt.get("Condition") {
                let Value::Object(ops) = c else {
                    return Err(err(format!("{at}.Condition"), format!("expected an object, found {c}")));
                };
                for (operator, tests) in ops {
                    let Value::Object(tests) = tests else {
                        return Err(err(format!("{at}.Condition.{operator}"), "expected an object of keys"));
                    };
                    check_operator(operator).map_err(|m| err(format!("{at}.Condition.{operator}"), m))?;
                    for (key, values) in tests {
                        conditions.push(Condition {
                            operator: operator.clone(),
                            key: key.clone(),
                            values: strings(values, &format!("{at}.Condition.{operator}.{key}"))?,
                        });
                    }
                }
            }
            statements.push(Statement {
                effect,
                principals: principals(stmt.get("Principal"), &at)?,
                actions: patterns(stmt, "Action", "NotAction", &at)?,
                resources: patterns(stmt, "Resource", "NotResource", &at)?,
                conditions,
            });
        }
        Ok(PolicyDocument { statements })
    }

    /// The effects of this document's statements that apply to `request`.
    fn matching(&self, request: &RequestContext) -> impl Iterator<Item = Effect> + '_ {
        let request = request.clone();
        self.statements.iter().filter(move |s| s.applies(&request)).map(|s| s.effect)
    }
}

/// Evaluates `policies` (identity and resource policies alike) for `request`.
pub fn evaluate<'a>(policies: impl IntoIterator<Item = &'a PolicyDocument>, request: &RequestContext) -> Decision {
    let mut allowed = false;
    for policy in policies {
        for effect in policy.matching(request) {
            match effect {
                Effect::Deny => return Decision::ExplicitDeny,
                Effect::Allow => allowed = true,
            }
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}

impl Statement {
    fn applies(&self, request: &RequestContext) -> bool {
        let principal = match &self.principals {
            Principals::Holder | Principals::Anyone => true,
            Principals::Aws(arns) => request.principal_arn.as_deref().is_some_and(|caller| {
                arns.iter().any(|a| {
                    a == caller || *a == request.account_id || *a == format!("arn:aws:iam::{}:root", request.account_id)
                })
            }),
        };
        principal
            && matches_patterns(&self.actions, &request.action, request, true)
            && matches_patterns(&self.resources, &request.resource, request, false)
            && self.conditions.iter().all(|c| c.holds(request))
    }
}

fn matches_patterns(patterns: &Patterns, value: &str, request: &RequestContext, is_action: bool) -> bool {
    let any = |list: &Vec<String>| {
        list.iter().any(|p| {
            if is_action {
                // Actions compare case-insensitively and take no variables.
                glob(&[Piece::Pattern(p.to_ascii_lowercase())], &value.to_ascii_lowercase())
            } else {
                substitute(p, request).is_some_and(|pieces| glob(&pieces, value))
            }
        })
    };
    match patterns {
        Patterns::Only(list) => any(list),
        Patterns::AllBut(list) => !any(list),
    }
}

/// Part of a pattern after variables are replaced: pattern text (where `*`
/// and `?` are wildcards) or a variable's value (matched literally).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Pattern(String),
    Literal(String),
}

/// Replaces `${key}` with the request's value for it; `None` when a variable
/// has no value (IAM then treats the element as not matching).
fn substitute(text: &str, request: &RequestContext) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else { break };
        pieces.push(Piece::Pattern(rest[..start].to_string()));
        let inner = &rest[start + 2..start + len];
        let value = match inner {
            "*" => "*".to_string(),
            "?" => "?".to_string(),
            "$" => "$".to_string(),
            _ => {
                // `${key, 'default'}` gives a default when the key is absent.
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => (k.trim(), Some(d.trim().trim_matches('\'').to_string())),
                    None => (inner.trim(), None),
                };
                match request.get(key).and_then(|v| v.first()) {
                    Some(v) => v.clone(),
                    None => default?,
                }
            }
        };
        pieces.push(Piece::Literal(value));
        rest = &rest[start + len + 1..];
    }
    pieces.push(Piece::Pattern(rest.to_string()));
    Some(pieces)
}

/// Whether `value` matches the pieces, `*` matching any run of characters
/// and `?` any one character inside pattern text.
fn glob(pieces: &[Piece], value: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Char(char),
        Any,
        One,
    }
    let mut toks = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Pattern(p) => toks.extend(p.chars().map(|c| match c {
                '*' => Tok::Any,
                '?' => Tok::One,
                c => Tok::Char(c),
            })),
            Piece::Literal(l) => toks.extend(l.chars().map(Tok::Char)),
        }
    }
    let chars: Vec<char> = value.chars().collect();
    // Iterative wildcard matching with one backtrack point per `*`.
    let (mut t, mut c) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while c < chars.len() {
        match toks.get(t) {
            Some(Tok::Char(x)) if *x == chars[c] => {
                t += 1;
                c += 1;
            }
            Some(Tok::One) => {
                t += 1;
                c += 1;
            }
            Some(Tok::Any) => {
                star = Some((t, c));
                t += 1;
            }
            _ => match star {
                Some((st, sc)) => {
                    t = st + 1;
                    c = sc + 1;
                    star = Some((st, sc + 1));
                }
                None => return false,
            },
        }
    }
    toks[t..].iter().all(|k| *k == Tok::Any)
}

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Bool",
    "Null",
];

/// The base operator, whether it ends in `IfExists`, and its set qualifier.
fn split_operator(operator: &str) -> (&str, bool, Option<&str>) {
    let (qualifier, rest) = match operator.split_once(':') {
        Some((q, r)) => (Some(q), r),
        None => (None, operator),
    };
    match rest.strip_suffix("IfExists") {
        Some(base) => (base, true, qualifier),
        None => (rest, false, qualifier),
    }
}

fn check_operator(operator: &str) -> Result<(), String> {
    let (base, _, qualifier) = split_operator(operator);
    if !OPERATORS.contains(&base) {
        return Err(format!(
            "the condition operator {base} is not supported locally (supported: {})",
            OPERATORS.join(", ")
        ));
    }
    match qualifier {
        None | Some("ForAnyValue") | Some("ForAllValues") => Ok(()),
        Some(q) => Err(format!("unknown set operator {q}: (use ForAnyValue: or ForAllValues:)")),
    }
}

impl Condition {
    fn holds(&self, request: &RequestContext) -> bool {
        let (base, if_exists, qualifier) = split_operator(&self.operator);
        let negated = base.contains("Not");
        let present = request.get(&self.key);
        if base == "Null" {
            let want_absent = self.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            return want_absent == present.is_none_or(|v| v.is_empty());
        }
        let Some(actual) = present.filter(|v| !v.is_empty()) else {
            // A missing key fails a positive test and passes a negated one;
            // `IfExists` passes either.
            return if_exists || negated || qualifier == Some("ForAllValues");
        };
        // The negated operators test the positive one and invert it.
        let positive_base = base.replace("Not", "");
        let matches_one = |actual: &str| {
            self.values.iter().any(|expected| {
                let Some(pieces) = substitute(expected, request) else { return false };
                match positive_base.as_str() {
                    "StringEquals" => flat(&pieces) == actual,
                    "StringEqualsIgnoreCase" | "Bool" => flat(&pieces).eq_ignore_ascii_case(actual),
                    // ArnEquals takes wildcards as ArnLike does.
                    "StringLike" | "ArnLike" | "ArnEquals" => glob(&pieces, actual),
                    _ => false,
                }
            })
        };
        let positive = |a: &str| if negated { !matches_one(a) } else { matches_one(a) };
        match qualifier {
            Some("ForAllValues") => actual.iter().all(|a| positive(a)),
            _ => actual.iter().any(|a| positive(a)),
        }
    }
}

fn flat(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Pattern(s) | Piece::Literal(s) => s.as_str(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ctx(action: &str, resource: &str) -> RequestContext {
        RequestContext {
            action: action.into(),
            resource: resource.into(),
            principal_arn: Some("arn:aws:iam::000000000000:role/auth".into()),
            account_id: "000000000000".into(),
            keys: BTreeMap::new(),
        }
    }

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        let p = |s: &str| vec![Piece::Pattern(s.into())];
        assert!(glob(&p("a/*"), "a/b/c"));
        assert!(glob(&p("a/*"), "a/"));
        assert!(!glob(&p("a/*"), "a"));
        assert!(glob(&p("a?c"), "abc"));
        assert!(!glob(&p("a?c"), "ac"));
        assert!(glob(&p("*x*y"), "--x--x-y"));
        assert!(!glob(&p("*x*y"), "--x--x-y-"));
        // A variable's value is literal: a `*` in it matches only `*`.
        assert!(!glob(&[Piece::Pattern("a/".into()), Piece::Literal("*".into())], "a/b"));
        assert!(glob(&[Piece::Pattern("a/".into()), Piece::Literal("*".into())], "a/*"));
    }

    #[test]
    fn identity_variable_scopes_resources_and_is_missing_for_other_callers() {
        let doc = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/p/${cognito-identity.amazonaws.com:sub}/*"}]}))
        .unwrap();
        let mut c = ctx("s3:GetObject", "arn:aws:s3:::b/p/us-east-1:abc/x.png");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny, "no identity id: no match");
        c.set("cognito-identity.amazonaws.com:sub", "us-east-1:abc");
        assert_eq!(evaluate([&doc], &c), Decision::Allow);
        c.set("cognito-identity.amazonaws.com:sub", "us-east-1:other");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny);
    }

    #[test]
    fn actions_compare_case_insensitively_with_wildcards_and_not_action() {
        let doc =
            PolicyDocument::parse(&json!({"Statement": [{"Effect": "Allow", "Action": ["S3:Get*"], "Resource": "*"},
            {"Effect": "Deny", "NotAction": "s3:Get*", "Resource": "*"}]}))
            .unwrap();
        assert_eq!(evaluate([&doc], &ctx("s3:getobject", "arn:aws:s3:::b/k")), Decision::Allow);
        assert_eq!(evaluate([&doc], &ctx("s3:PutObject", "arn:aws:s3:::b/k")), Decision::ExplicitDeny);
    }

    #[test]
    fn deny_wins_over_allow_across_documents() {
        let allow =
            PolicyDocument::parse(&json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
                .unwrap();
        let deny = PolicyDocument::parse(&json!({"Statement": {"Effect": "Deny", "Action": "s3:*",
            "Principal": {"AWS": "*"}, "Resource": "arn:aws:s3:::b/*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}}))
        .unwrap();
        let mut c = ctx("s3:GetObject", "arn:aws:s3:::b/k");
        c.set("aws:SecureTransport", "true");
        assert_eq!(evaluate([&allow, &deny], &c), Decision::Allow);
        c.set("aws:SecureTransport", "false");
        assert_eq!(evaluate([&allow, &deny], &c), Decision::ExplicitDeny);
    }

    #[test]
    fn list_prefix_conditions_as_amplify_writes_them() {
        let doc = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::b",
            "Condition": {"StringLike": {"s3:prefix": ["photos/*", "photos/", "private/${cognito-identity.amazonaws.com:sub}/*"]}}}]}))
        .unwrap();
        let mut c = ctx("s3:ListBucket", "arn:aws:s3:::b");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny, "no prefix key: the condition fails");
        c.set("s3:prefix", "photos/");
        assert_eq!(evaluate([&doc], &c), Decision::Allow);
        c.set("s3:prefix", "photos/2024/");
        assert_eq!(evaluate([&doc], &c), Decision::Allow);
        c.set("s3:prefix", "photos");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny);
        c.set("s3:prefix", "private/me/");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny);
        c.set("cognito-identity.amazonaws.com:sub", "me");
        assert_eq!(evaluate([&doc], &c), Decision::Allow);
    }

    #[test]
    fn negated_operators_if_exists_and_null() {
        let doc = PolicyDocument::parse(
            &json!({"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"StringNotLike": {"s3:prefix": "secret/*"}, "StringEqualsIfExists": {"s3:delimiter": "/"},
                          "Null": {"s3:max-keys": "true"}}}]}),
        )
        .unwrap();
        let mut c = ctx("s3:ListBucket", "arn:aws:s3:::b");
        assert_eq!(evaluate([&doc], &c), Decision::Allow, "absent keys: negated and IfExists pass, Null true passes");
        c.set("s3:prefix", "secret/x");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny);
        c.set("s3:prefix", "public/");
        c.set("s3:delimiter", ",");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny);
        c.set("s3:delimiter", "/");
        c.set("s3:max-keys", "10");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny);
    }

    #[test]
    fn resource_policy_principals() {
        let doc = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
            "Principal": {"AWS": "arn:aws:iam::000000000000:role/reader"}, "Resource": "*"}]}))
        .unwrap();
        let mut c = ctx("s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny);
        c.principal_arn = Some("arn:aws:iam::000000000000:role/reader".into());
        assert_eq!(evaluate([&doc], &c), Decision::Allow);
        c.principal_arn = None;
        assert_eq!(evaluate([&doc], &c), Decision::ImplicitDeny, "anonymous callers match no ARN");
    }

    #[test]
    fn bad_documents_name_the_element() {
        let e = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}))
            .unwrap_err();
        assert_eq!(e.element, "Statement[0].Effect");
        let e = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
            "Condition": {"NumericLessThan": {"s3:max-keys": "10"}}}]}))
        .unwrap_err();
        assert_eq!(e.element, "Statement[0].Condition.NumericLessThan");
        assert!(e.message.contains("not supported locally"), "{e}");
        let e = PolicyDocument::parse(&json!({"Statement": [{"Effect": "Allow", "Resource": "*"}]})).unwrap_err();
        assert!(e.message.contains("neither Action nor NotAction"), "{e}");
    }
}
