//! Service quotas that the registry schemas do not carry, checked on rendered
//! templates: the size of a Lambda function's environment, and of IAM policies
//! (inline, per role, user and group; managed). Values only known at deploy time
//! (intrinsics) count as nothing, so every size here is a lower bound: what is
//! reported is over the quota for certain.

use constructs::Diagnostic;
use serde_json::Value as Json;

use crate::codes;
use crate::schema_check::recycle;

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

/// The quotas of one template, checked a resource at a time (the sums of
/// inline policies per principal at the end).
pub(crate) struct Quotas<'t> {
    out: Vec<(String, Diagnostic)>,
    /// Inline policy sizes by principal.
    inline: Vec<Principal<'t>>,
    /// The resources that add to each principal's sum (its place in `inline`).
    by: Vec<(usize, &'t str)>,
}

/// The lists one template's [`Quotas`] leave to the next.
#[derive(Default)]
pub(crate) struct Buffers {
    inline: Vec<Principal<'static>>,
    by: Vec<(usize, &'static str)>,
}

/// The inline policies of one principal in a template.
struct Principal<'t> {
    kind: &'static str,
    who: Who<'t>,
    size: usize,
}

/// A principal as the template names it.
#[derive(PartialEq)]
enum Who<'t> {
    /// A literal name.
    Name(&'t str),
    /// `{"Ref": logical ID}`: how policies name a principal of the template.
    Ref(&'t str),
    /// Another intrinsic.
    Other(&'t Json),
}

impl Who<'_> {
    fn of(v: &Json) -> Who<'_> {
        match v {
            Json::String(s) => Who::Name(s),
            Json::Object(o) if o.len() == 1 => match o.get("Ref") {
                Some(Json::String(lid)) => Who::Ref(lid),
                _ => Who::Other(v),
            },
            other => Who::Other(other),
        }
    }

    /// The principal as messages name it: the name, or the JSON of its reference.
    fn text(&self) -> String {
        match self {
            Who::Name(s) => s.to_string(),
            Who::Ref(lid) => reference(lid),
            Who::Other(v) => v.to_string(),
        }
    }
}

impl<'t> Quotas<'t> {
    /// Sums in the lists the last template's left.
    pub(crate) fn new(b: Buffers) -> Self {
        Quotas { out: Vec::new(), inline: recycle(b.inline), by: recycle(b.by) }
    }

    /// Checks resource `lid` of type `kind`, and adds its inline policies to
    /// their principals' sums.
    pub(crate) fn resource(&mut self, lid: &'t str, kind: &str, props: Option<&'t Json>) {
        let get = |k: &str| props.and_then(|p| p.get(k));
        match kind {
            "AWS::Lambda::Function" => {
                if let Some(vars) = get("Environment").and_then(|e| e.get("Variables")).and_then(Json::as_object) {
                    let size: usize = vars.iter().map(|(k, v)| k.len() + literal_len(v)).sum();
                    if size > LAMBDA_ENVIRONMENT_BYTES {
                        self.out.push((lid.to_string(), Diagnostic::error(
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
                    self.out.push((lid.to_string(), Diagnostic::error(
                        codes::IAM_POLICY_SIZE,
                        format!("the managed policy document has at least {size} characters, over IAM's {MANAGED_POLICY}"),
                        "split the statements into several managed policies, or use wildcards for resources that share a prefix",
                    )));
                }
            }
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
                let size: usize = get("Policies")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| p.get("PolicyDocument").map_or(0, policy_len))
                    .sum();
                self.add(principal(kind), Who::Ref(lid), size, lid);
            }
            "AWS::IAM::Policy" => {
                let size = get("PolicyDocument").map_or(0, policy_len);
                for (kind, list) in [("role", "Roles"), ("user", "Users"), ("group", "Groups")] {
                    for p in get(list).and_then(Json::as_array).into_iter().flatten() {
                        self.add(kind, Who::of(p), size, lid);
                    }
                }
            }
            "AWS::IAM::RolePolicy" | "AWS::IAM::UserPolicy" | "AWS::IAM::GroupPolicy" => {
                let size = get("PolicyDocument").map_or(0, policy_len);
                let (kind, name) = match kind {
                    "AWS::IAM::RolePolicy" => ("role", "RoleName"),
                    "AWS::IAM::UserPolicy" => ("user", "UserName"),
                    _ => ("group", "GroupName"),
                };
                if let Some(p) = get(name) {
                    self.add(kind, Who::of(p), size, lid);
                }
            }
            _ => {}
        }
    }

    /// Adds `size` characters of inline policy from resource `lid` to a principal.
    fn add(&mut self, kind: &'static str, who: Who<'t>, size: usize, lid: &'t str) {
        // A template has few principals: a list is searched faster than a map is built.
        let i = match self.inline.iter().position(|p| p.kind == kind && p.who == who) {
            Some(i) => {
                self.inline[i].size += size;
                i
            }
            None => {
                self.inline.push(Principal { kind, who, size });
                self.inline.len() - 1
            }
        };
        self.by.push((i, lid));
    }

    /// The problems (each resource's, then the principals over their sums'
    /// quotas) and the emptied lists, for the next template.
    pub(crate) fn finish(self) -> (Vec<(String, Diagnostic)>, Buffers) {
        let mut out = self.out;
        let mut over: Vec<(&'static str, String, usize, Vec<&str>)> = self
            .inline
            .iter()
            .enumerate()
            .filter(|(_, p)| p.size > inline_quota(p.kind))
            .map(|(i, p)| {
                let by = self.by.iter().filter(|(j, _)| *j == i).map(|(_, lid)| *lid).collect();
                (p.kind, p.who.text(), p.size, by)
            })
            .collect();
        over.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (kind, who, size, by) in over {
            let max = inline_quota(kind);
            let last = by.last().map(|l| l.to_string()).unwrap_or_default();
            out.push((last, Diagnostic::error(
                codes::IAM_POLICY_SIZE,
                format!(
                    "the inline policies of {kind} {who} in this template add up to at least {size} characters, over IAM's {max} per {kind} (from {})",
                    by.join(", ")
                ),
                "move statements into managed policies (AWS::IAM::ManagedPolicy, up to 6,144 characters each), or merge statements that share actions",
            )));
        }
        (out, Buffers { inline: recycle(self.inline), by: recycle(self.by) })
    }
}

/// The quota of the inline policies of one principal of `kind`.
fn inline_quota(kind: &str) -> usize {
    match kind {
        "role" => ROLE_INLINE_POLICIES,
        "user" => USER_INLINE_POLICIES,
        _ => GROUP_INLINE_POLICIES,
    }
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
