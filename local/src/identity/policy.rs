//! IAM policy evaluation over the assembly's roles: the statements attached to
//! each role (inline `Policies`, `AWS::IAM::Policy` and
//! `AWS::IAM::ManagedPolicy` naming it), evaluated as IAM does: an explicit
//! deny wins, then any allow, else the request is denied. Actions, resources,
//! policy variables (`${cognito-identity.amazonaws.com:sub}`) and the string,
//! boolean and null condition operators are supported; a statement with an
//! operator this evaluator does not know never applies.

use std::collections::HashMap;

use serde_json::Value;

use crate::assembly::Assembly;

/// Request context: condition keys to their values
/// (`cognito-identity.amazonaws.com:sub`, `s3:prefix`, ...).
pub type Context = HashMap<String, Vec<String>>;

/// The outcome of an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A statement allows it and none denies it.
    Allow,
    /// A statement denies it.
    ExplicitDeny,
    /// No statement allows it.
    ImplicitDeny,
}

#[derive(Clone, Debug)]
struct Statement {
    allow: bool,
    actions: Vec<String>,
    not_actions: bool,
    resources: Vec<String>,
    not_resources: bool,
    condition: Option<Value>,
}

/// Every role's statements, by role name.
#[derive(Clone, Debug, Default)]
pub struct Policies {
    by_role: HashMap<String, Vec<Statement>>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => vec![],
    }
}

fn statements(document: Option<&Value>) -> Vec<Statement> {
    let list = match document.and_then(|d| d.get("Statement")) {
        Some(Value::Array(a)) => a.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => vec![],
    };
    list.iter()
        .map(|s| Statement {
            allow: s.get("Effect").and_then(Value::as_str) == Some("Allow"),
            not_actions: s.get("Action").is_none() && s.get("NotAction").is_some(),
            actions: strings(s.get("Action").or_else(|| s.get("NotAction"))),
            not_resources: s.get("Resource").is_none() && s.get("NotResource").is_some(),
            resources: strings(s.get("Resource").or_else(|| s.get("NotResource"))),
            condition: s.get("Condition").cloned(),
        })
        .collect()
}

/// The role name of a role ARN (`arn:aws:iam::<account>:role/<path/>name`).
pub fn role_name(role_arn: &str) -> &str {
    role_arn.rsplit('/').next().unwrap_or(role_arn)
}

/// `*` and `?` wildcards; `ignore_case` for actions.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if ignore_case {
        (pattern.to_lowercase().chars().collect(), text.to_lowercase().chars().collect())
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    // Iterative matching with backtracking to the last `*`.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Replaces `${key}` with the context's value; `None` when a key has no value
/// (IAM then treats the element as not matching).
fn substitute(text: &str, context: &Context) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let key = &after[..end];
        match key {
            "*" => out.push('*'),
            "?" => out.push('?'),
            "$" => out.push('$'),
            _ => out.push_str(context.get(key).and_then(|v| v.first())?),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn condition_holds(operator: &str, key: &str, wanted: &[String], context: &Context) -> Option<bool> {
    let (set, op) = match operator.split_once(':') {
        Some((s @ ("ForAnyValue" | "ForAllValues"), op)) => (Some(s), op),
        _ => (None, operator),
    };
    let (op, if_exists) = match op.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (op, false),
    };
    let actual = context.get(key);
    if op == "Null" {
        let is_null = actual.is_none_or(|v| v.is_empty());
        return Some(wanted.iter().any(|w| (w == "true") == is_null));
    }
    let compare: fn(&str, &str) -> bool = match op {
        "StringEquals" | "StringNotEquals" | "ArnEquals" | "ArnNotEquals" => |w, a| w == a,
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => |w, a| w.eq_ignore_ascii_case(a),
        "StringLike" | "StringNotLike" | "ArnLike" | "ArnNotLike" => |w, a| wildcard_match(w, a, false),
        "Bool" => |w, a| w.eq_ignore_ascii_case(a),
        _ => return None,
    };
    let negated = op.contains("Not");
    let Some(values) = actual.filter(|v| !v.is_empty()) else {
        // A missing key satisfies negated operators and IfExists, nothing else.
        return Some(if_exists || negated || set == Some("ForAllValues"));
    };
    let wanted: Vec<String> = wanted.iter().filter_map(|w| substitute(w, context)).collect();
    let matches_one = |a: &str| wanted.iter().any(|w| compare(w, a));
    let positive = match set {
        Some("ForAllValues") => values.iter().all(|a| matches_one(a)),
        _ => values.iter().any(|a| matches_one(a)),
    };
    Some(if negated { !positive } else { positive })
}

fn conditions_hold(condition: &Option<Value>, context: &Context) -> bool {
    let Some(Value::Object(operators)) = condition else { return true };
    operators.iter().all(|(operator, keys)| {
        let Value::Object(keys) = keys else { return false };
        keys.iter()
            .all(|(key, wanted)| condition_holds(operator, key, &strings(Some(wanted)), context).unwrap_or(false))
    })
}

impl Statement {
    fn applies(&self, action: &str, resource: &str, context: &Context) -> bool {
        let action_hit = self.actions.iter().any(|a| wildcard_match(a, action, true));
        if action_hit == self.not_actions {
            return false;
        }
        let resource_hit =
            self.resources.iter().any(|r| substitute(r, context).is_some_and(|r| wildcard_match(&r, resource, false)));
        if resource_hit == self.not_resources {
            return false;
        }
        conditions_hold(&self.condition, context)
    }
}

impl Policies {
    /// The statements of every role in the assembly.
    pub fn from_assembly(assembly: &Assembly) -> Policies {
        let mut by_role: HashMap<String, Vec<Statement>> = HashMap::new();
        let managed: HashMap<&str, Vec<Statement>> = assembly
            .of_type("AWS::IAM::ManagedPolicy")
            .map(|p| (p.reference.as_str(), statements(p.properties.get("PolicyDocument"))))
            .collect();
        for role in assembly.of_type("AWS::IAM::Role") {
            let name = role.reference.clone();
            let entry = by_role.entry(name).or_default();
            for p in role.properties.get("Policies").and_then(Value::as_array).into_iter().flatten() {
                entry.extend(statements(p.get("PolicyDocument")));
            }
            for arn in strings(role.properties.get("ManagedPolicyArns")) {
                if let Some(s) = managed.get(arn.as_str()) {
                    entry.extend(s.iter().cloned());
                }
            }
        }
        for policy in assembly.of_type("AWS::IAM::Policy").chain(assembly.of_type("AWS::IAM::ManagedPolicy")) {
            let document = statements(policy.properties.get("PolicyDocument"));
            for role in strings(policy.properties.get("Roles")) {
                by_role.entry(role_name(&role).to_string()).or_default().extend(document.iter().cloned());
            }
        }
        Policies { by_role }
    }

    /// Allows the role named `role_name` every action on every resource (a
    /// role the assembly does not define: the local administrator's).
    pub fn allow_all(&mut self, role_name: &str) {
        let statement = Statement {
            allow: true,
            actions: vec!["*".into()],
            not_actions: false,
            resources: vec!["*".into()],
            not_resources: false,
            condition: None,
        };
        self.by_role.entry(role_name.to_string()).or_default().push(statement);
    }

    /// Whether the role's policies let it do `action` on `resource`.
    pub fn evaluate(&self, role_arn: &str, action: &str, resource: &str, context: &Context) -> Decision {
        let Some(statements) = self.by_role.get(role_name(role_arn)) else { return Decision::ImplicitDeny };
        let mut allowed = false;
        for s in statements {
            if s.applies(action, resource, context) {
                if !s.allow {
                    return Decision::ExplicitDeny;
                }
                allowed = true;
            }
        }
        if allowed {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        }
    }

    /// Whether any statement of the role names an action matching `action`
    /// (`appsync:*` names `appsync:GraphQL`).
    pub fn names_action(&self, role_arn: &str, action: &str) -> bool {
        self.by_role.get(role_name(role_arn)).is_some_and(|s| {
            s.iter().any(|s| !s.not_actions && s.actions.iter().any(|a| wildcard_match(a, action, true)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_allowed_everything_is_allowed_everything_and_only_it() {
        let mut policies = Policies::default();
        policies.allow_all("admin");
        let ctx = Context::new();
        let admin = "arn:aws:iam::123456789012:role/admin";
        assert_eq!(
            policies.evaluate(admin, "appsync:GraphQL", "arn:aws:appsync:x:y:apis/a/types/Query/fields/f", &ctx),
            Decision::Allow
        );
        assert_eq!(policies.evaluate(admin, "s3:PutObject", "arn:aws:s3:::b/k", &ctx), Decision::Allow);
        assert!(policies.names_action(admin, "appsync:GraphQL"));
        assert_eq!(
            policies.evaluate("arn:aws:iam::123456789012:role/other", "s3:GetObject", "*", &ctx),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("arn:*:s3:::b/photos/*", "arn:aws:s3:::b/photos/a/b.png", false));
        assert!(wildcard_match("s3:Get*", "S3:GETOBJECT", true));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject", true));
        assert!(wildcard_match("a?c", "abc", false));
        assert!(!wildcard_match("a?c", "ac", false));
        assert!(wildcard_match("*", "", false));
    }

    #[test]
    fn variables_without_a_value_match_nothing() {
        let ctx: Context = [("k".to_string(), vec!["v".to_string()])].into();
        assert_eq!(substitute("a/${k}/*", &ctx).as_deref(), Some("a/v/*"));
        assert_eq!(substitute("a/${missing}/*", &ctx), None);
        assert_eq!(substitute("${*}", &ctx).as_deref(), Some("*"));
    }
}
