//! Auth directives. A type or field admits the modes its rules use, plus IAM, which
//! AppSync needs for functions with `allow.resource(...)` and identity-pool callers;
//! the resolvers then decide per rule.
//!
//! Custom operations are authorized by AppSync itself, so they get the native
//! directives of their rules (`@aws_cognito_user_pools(cognito_groups: [...])`),
//! plus `@aws_iam` when the API has IAM;
//! custom types inherit the modes of every model and operation that can return them.

use std::collections::{BTreeSet, HashMap};

use crate::data::auth_modes::AuthMode;
use crate::data::ir::{Ir, IrField, IrModel, IrOperation, Rule, RuleKind, TypeRef};
use crate::data::schema::auth_rule::Provider;

/// The order directives are written in.
const ORDER: [AuthMode; 5] = [AuthMode::ApiKey, AuthMode::Iam, AuthMode::Oidc, AuthMode::UserPool, AuthMode::Lambda];

/// Directives for a set of modes, in a stable order.
pub(crate) fn render(modes: &BTreeSet<AuthMode>) -> String {
    let mut parts = Vec::new();
    for m in ORDER {
        if modes.contains(&m) {
            parts.push(m.directive());
        }
    }
    parts.join(" ")
}

fn rule_modes<'a>(rules: impl IntoIterator<Item = &'a Rule>) -> BTreeSet<AuthMode> {
    rules.into_iter().map(Rule::mode).collect()
}

/// The modes a model (and its connection type and operations) admits.
pub(crate) fn model_modes(model: &IrModel) -> BTreeSet<AuthMode> {
    let mut modes = rule_modes(&model.rules);
    for f in &model.fields {
        if let Some(rules) = &f.rules {
            modes.extend(rule_modes(rules));
        }
    }
    modes.insert(AuthMode::Iam);
    modes
}

/// Directives for a field with its own rules; empty otherwise.
pub(crate) fn field_directives(field: &IrField) -> String {
    match &field.rules {
        Some(rules) => {
            let mut modes = rule_modes(rules);
            modes.insert(AuthMode::Iam);
            render(&modes)
        }
        None => String::new(),
    }
}

/// The modes a custom operation admits: its rules' modes, and IAM whenever the API
/// has it, as Amplify emits it (the backend's IAM principals, such as functions with
/// data access, may call every operation; identity-pool callers still need a rule,
/// which the auth function checks).
pub(crate) fn operation_modes(ir: &Ir, op: &IrOperation) -> BTreeSet<AuthMode> {
    let mut modes = rule_modes(&op.rules);
    if ir.modes.has(AuthMode::Iam) {
        modes.insert(AuthMode::Iam);
    }
    modes
}

/// Native directives for a custom operation: groups become `cognito_groups`.
pub(crate) fn operation_directives(ir: &Ir, op: &IrOperation) -> String {
    let modes = operation_modes(ir, op);
    let plain_user_pool =
        op.rules.iter().any(|r| r.provider == Provider::UserPools && !matches!(r.kind, RuleKind::Groups(_)));
    let mut groups: Vec<&str> = Vec::new();
    for r in &op.rules {
        if let (RuleKind::Groups(g), Provider::UserPools) = (&r.kind, r.provider) {
            for name in g {
                if !groups.contains(&name.as_str()) {
                    groups.push(name);
                }
            }
        }
    }
    let mut parts = Vec::new();
    for m in ORDER {
        if !modes.contains(&m) {
            continue;
        }
        if m == AuthMode::UserPool && !plain_user_pool && !groups.is_empty() {
            let list: Vec<String> = groups.iter().map(|g| format!("\"{g}\"")).collect();
            parts.push(format!("@aws_cognito_user_pools(cognito_groups: [{}])", list.join(", ")));
        } else {
            parts.push(m.directive().to_string());
        }
    }
    parts.join(" ")
}

/// The modes of every custom type: the union over the models and operations that
/// can return it, directly or nested.
pub(crate) fn custom_type_modes(ir: &Ir) -> HashMap<String, BTreeSet<AuthMode>> {
    let mut out: HashMap<String, BTreeSet<AuthMode>> = HashMap::new();
    let mut roots: Vec<(String, BTreeSet<AuthMode>)> = Vec::new();
    for m in &ir.models {
        let modes = model_modes(m);
        for f in m.stored_fields() {
            if let TypeRef::CustomType(n) = &f.ty {
                roots.push((n.clone(), modes.clone()));
            }
        }
    }
    for op in &ir.operations {
        if let TypeRef::CustomType(n) = &op.returns.ty {
            roots.push((n.clone(), operation_modes(ir, op)));
        }
    }
    let mut visited = std::collections::HashSet::new();
    while let Some((name, modes)) = roots.pop() {
        let entry = out.entry(name.clone()).or_default();
        let before = entry.len();
        entry.extend(modes.iter().copied());
        // Propagate on the first visit and whenever the set grows: terminates on
        // recursive custom types.
        if visited.insert(name.clone()) || entry.len() > before {
            if let Some(c) = ir.custom_type(&name) {
                for f in &c.fields {
                    if let TypeRef::CustomType(n) = &f.ty {
                        roots.push((n.clone(), modes.clone()));
                    }
                }
            }
        }
    }
    out
}
