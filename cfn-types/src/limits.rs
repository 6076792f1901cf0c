//! Service quotas that the registry schemas do not carry, checked on rendered
//! templates: the size of a Lambda function's environment, and of IAM policies
//! (inline, per role, user and group; managed). Values only known at deploy time
//! (intrinsics) count as nothing, so every size here is a lower bound: what is
//! reported is over the quota for certain.

use std::collections::BTreeMap;

use constructs::Diagnostic;
use serde_json::Value as Json;

use crate::codes;

/// A Lambda function's environment variables, keys and values, in bytes.
pub const LAMBDA_ENVIRONMENT_BYTES: usize = 4096;
/// Inline policies of one role, together, in characters without whitespace.
pub const ROLE_INLINE_POLICIES: usize = 10_240;
/// Inline policies of one user.
pub const USER_INLINE_POLICIES: usize = 2_048;
/// Inline policies of one group.
pub const GROUP_INLINE_POLICIES: usize = 5_120;
/// One managed policy document.
pub const MANAGED_POLICY: usize = 6_144;

/// The quota problems of a template, by logical ID.
pub(crate) fn check(template: &Json) -> Vec<(String, Diagnostic)> {
    let mut out = Vec::new();
    let Some(resources) = template.get("Resources").and_then(Json::as_object) else { return out };
    // Inline policy sizes by principal (a role, user or group, named by the JSON
    // of its reference), with the resources that add to it.
    let mut inline: BTreeMap<(&'static str, String), (usize, Vec<String>)> = BTreeMap::new();
    for (lid, r) in resources {
        let (kind, props) = crate::schema_check::type_and_properties(r);
        let get = |k: &str| props.and_then(|p| p.get(k));
        match kind.unwrap_or_default() {
            "AWS::Lambda::Function" => {
                if let Some(vars) = get("Environment").and_then(|e| e.get("Variables")).and_then(Json::as_object) {
                    let size: usize = vars.iter().map(|(k, v)| k.len() + literal_len(v)).sum();
                    if size > LAMBDA_ENVIRONMENT_BYTES {
                        out.push((lid.clone(), Diagnostic::error(
                            codes::LAMBDA_ENVIRONMENT_SIZE,
                            format!("the environment variables of this function take at least {size} bytes, over Lambda's {LAMBDA_ENVIRONMENT_BYTES}"),
                            "pass large or many values another way: an SSM parameter or a file in the code, read at start",
                        )));
                    }
                }
            }
            "AWS::IAM::ManagedPolicy" => {
                let size = get("PolicyDocument").map_or(0, policy_len);
                if size > MANAGED_POLICY {
                    out.push((lid.clone(), Diagnostic::error(
                        codes::IAM_POLICY_SIZE,
                        format!("the managed policy document has at least {size} characters, over IAM's {MANAGED_POLICY}"),
                        "split the statements into several managed policies, or use wildcards for resources that share a prefix",
                    )));
                }
            }
            kind @ ("AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group") => {
                let size: usize = get("Policies")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| p.get("PolicyDocument").map_or(0, policy_len))
                    .sum();
                let key = (principal(kind), reference(lid));
                let e = inline.entry(key).or_default();
                e.0 += size;
                e.1.push(lid.clone());
            }
            "AWS::IAM::Policy" => {
                let size = get("PolicyDocument").map_or(0, policy_len);
                for (kind, list) in [("role", "Roles"), ("user", "Users"), ("group", "Groups")] {
                    for p in get(list).and_then(Json::as_array).into_iter().flatten() {
                        let e = inline.entry((kind, target(p))).or_default();
                        e.0 += size;
                        e.1.push(lid.clone());
                    }
                }
            }
            "AWS::IAM::RolePolicy" | "AWS::IAM::UserPolicy" | "AWS::IAM::GroupPolicy" => {
                let size = get("PolicyDocument").map_or(0, policy_len);
                let (kind, name) = match kind.unwrap_or_default() {
                    "AWS::IAM::RolePolicy" => ("role", "RoleName"),
                    "AWS::IAM::UserPolicy" => ("user", "UserName"),
                    _ => ("group", "GroupName"),
                };
                if let Some(p) = get(name) {
                    let e = inline.entry((kind, target(p))).or_default();
                    e.0 += size;
                    e.1.push(lid.clone());
                }
            }
            _ => {}
        }
    }
    for ((kind, who), (size, by)) in inline {
        let max = match kind {
            "role" => ROLE_INLINE_POLICIES,
            "user" => USER_INLINE_POLICIES,
            _ => GROUP_INLINE_POLICIES,
        };
        if size > max {
            let last = by.last().cloned().unwrap_or_default();
            out.push((last, Diagnostic::error(
                codes::IAM_POLICY_SIZE,
                format!(
                    "the inline policies of {kind} {who} in this template add up to at least {size} characters, over IAM's {max} per {kind} (from {})",
                    by.join(", ")
                ),
                "move statements into managed policies (AWS::IAM::ManagedPolicy, up to 6,144 characters each), or merge statements that share actions",
            )));
        }
    }
    out
}

fn principal(resource_type: &str) -> &'static str {
    match resource_type {
        "AWS::IAM::Role" => "role",
        "AWS::IAM::User" => "user",
        _ => "group",
    }
}

/// How the policies of a template name a principal declared in it.
fn reference(lid: &str) -> String {
    serde_json::json!({ "Ref": lid }).to_string()
}

/// The key of a principal as a policy names it: a literal name, or the JSON of
/// the intrinsic that gives it.
fn target(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A policy document's size as IAM counts it (JSON without whitespace), with
/// intrinsics counted as the literal text around them only.
fn policy_len(doc: &Json) -> usize {
    match doc {
        // A document given as a JSON string: its own whitespace does not count.
        Json::String(s) => s.chars().filter(|c| !c.is_whitespace()).count(),
        other => compact_len(other),
    }
}

fn compact_len(v: &Json) -> usize {
    match v {
        Json::Object(o) if is_intrinsic(o) => 2 + literal_len(v),
        Json::Object(o) => {
            2 + o.iter().map(|(k, x)| k.len() + 3 + compact_len(x)).sum::<usize>() + o.len().saturating_sub(1)
        }
        Json::Array(a) => 2 + a.iter().map(compact_len).sum::<usize>() + a.len().saturating_sub(1),
        Json::String(s) => s.len() + 2,
        other => other.to_string().len(),
    }
}

fn is_intrinsic(o: &serde_json::Map<String, Json>) -> bool {
    o.len() == 1 && o.keys().next().is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
}

/// The length of the literal text of a value: strings as they are, joins and
/// subs by their literal parts, other intrinsics as nothing.
fn literal_len(v: &Json) -> usize {
    match v {
        Json::String(s) => s.len(),
        Json::Number(n) => n.to_string().len(),
        Json::Bool(b) => b.to_string().len(),
        Json::Object(o) if o.len() == 1 => match o.iter().next() {
            Some((k, Json::Array(args))) if k == "Fn::Join" => {
                let sep = args.first().and_then(Json::as_str).map_or(0, str::len);
                let parts = args.get(1).and_then(Json::as_array).map_or(&[][..], Vec::as_slice);
                parts.iter().map(literal_len).sum::<usize>() + sep * parts.len().saturating_sub(1)
            }
            Some((k, sub)) if k == "Fn::Sub" => {
                let text = sub.as_str().or_else(|| sub.get(0).and_then(Json::as_str)).unwrap_or_default();
                sub_literal_len(text)
            }
            _ => 0,
        },
        _ => 0,
    }
}

/// The length of an `Fn::Sub` string without its `${...}` variables.
fn sub_literal_len(text: &str) -> usize {
    let mut n = 0;
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        n += start;
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => return n + rest.len() - start,
        }
    }
    n + rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes_count_literal_text_only() {
        assert_eq!(compact_len(&json!({"a": [1, "xy"]})), r#"{"a":[1,"xy"]}"#.len());
        assert_eq!(literal_len(&json!({"Fn::Join": ["/", ["arn", {"Ref": "B"}, "x"]]})), "arn//x".len());
        assert_eq!(sub_literal_len("arn:${AWS::Partition}:s3:::${B}/*"), "arn::s3:::/*".len());
        assert_eq!(policy_len(&json!("{ \"a\" : 1 }")), r#"{"a":1}"#.len());
    }
}
