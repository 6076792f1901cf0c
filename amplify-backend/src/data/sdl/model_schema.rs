//! The model schema: the schema as its author declared it, in the directive form
//! of Amplify's transformer (`@model`, `@auth`, `@hasMany`, `@primaryKey`, ...).
//!
//! Amplify stages this text in S3 and names it in the root output
//! `amplifyApiModelSchemaS3Uri`; its `ampx generate outputs` downloads it and
//! derives `model_introspection` from it. Implicit fields (`id`, timestamps, owner
//! fields) are left out, as Amplify leaves them out: its generator adds them back.

use std::fmt::Write as _;

use crate::data::ir::{FieldOrigin, Ir, IrField, IrModel, IrOperation, Rule, RuleKind};
use crate::data::schema::auth_rule::{Operation, Provider};
use crate::data::schema::custom_operation::OperationType;
use crate::data::schema::field::DefaultValue;
use crate::data::schema::index::Projection;
use crate::data::schema::relationship::RelationshipKind;

/// The model schema of `ir`: one block per model, enum and custom type, then the
/// custom operations, separated by blank lines.
pub fn model_schema(ir: &Ir) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for m in &ir.models {
        blocks.push(model(m));
    }
    for e in &ir.enums {
        let values: String = e.values.iter().map(|v| format!("  {v}\n")).collect();
        blocks.push(format!("enum {} {{\n{values}}}", e.name));
    }
    for t in &ir.custom_types {
        let fields: String = t.fields.iter().map(|f| format!("  {}: {}\n", f.name, f.graphql_type())).collect();
        blocks.push(format!("type {}\n{{\n{fields}}}", t.name));
    }
    for (kind, root) in [
        (OperationType::Query, "Query"),
        (OperationType::Mutation, "Mutation"),
        (OperationType::Subscription, "Subscription"),
    ] {
        let fields: String = ir.operations.iter().filter(|o| o.op_type == kind).map(operation).collect();
        if !fields.is_empty() {
            blocks.push(format!("type {root} {{\n{fields}}}"));
        }
    }
    blocks.join("\n\n")
}

fn model(m: &IrModel) -> String {
    let mut head = format!("type {} @model", m.name);
    if let Some(args) = disabled_operations(m) {
        let _ = write!(head, "({args})");
    }
    if !m.rules.is_empty() {
        let _ = write!(head, " @auth(rules: [{}])", rules(&m.rules));
    }
    let mut body = String::new();
    for f in &m.fields {
        if f.origin != FieldOrigin::Declared && !(f.origin == FieldOrigin::Id && m.key.custom) {
            continue;
        }
        let _ = write!(body, "  {}: {}", f.name, f.graphql_type());
        for directive in field_directives(m, f) {
            body.push(' ');
            body.push_str(&directive);
        }
        body.push('\n');
    }
    format!("{head}\n{{\n{body}}}")
}

/// `@model(...)` arguments for disabled operations, as the introspection lists them.
fn disabled_operations(m: &IrModel) -> Option<String> {
    let o = &m.ops;
    let groups = [
        ("queries", vec![("get", o.get), ("list", o.list)]),
        ("mutations", vec![("create", o.create), ("update", o.update), ("delete", o.delete)]),
        ("subscriptions", vec![("onCreate", o.on_create), ("onUpdate", o.on_update), ("onDelete", o.on_delete)]),
    ];
    let args: Vec<String> = groups
        .iter()
        .filter_map(|(group, members)| {
            if members.iter().all(|(_, on)| !on) {
                Some(format!("{group}: null"))
            } else if members.iter().any(|(_, on)| !on) {
                let off: Vec<String> =
                    members.iter().filter(|(_, on)| !on).map(|(op, _)| format!("{op}: null")).collect();
                Some(format!("{group}: {{{}}}", off.join(", ")))
            } else {
                None
            }
        })
        .collect();
    (!args.is_empty()).then(|| args.join(", "))
}

fn field_directives(m: &IrModel, f: &IrField) -> Vec<String> {
    let mut out = Vec::new();
    if m.key.custom && f.name == m.key.partition_key {
        out.push(match m.key.sort_keys.is_empty() {
            true => "@primaryKey".to_string(),
            false => format!("@primaryKey(sortKeyFields: {})", strings(&m.key.sort_keys)),
        });
    }
    for ix in m.indexes.iter().filter(|i| !i.for_relationship && i.partition_key == f.name) {
        let mut args = vec![format!("name: \"{}\"", ix.name)];
        if !ix.sort_keys.is_empty() {
            args.push(format!("sortKeyFields: {}", strings(&ix.sort_keys)));
        }
        if let Some(q) = &ix.query_field {
            args.push(format!("queryField: \"{q}\""));
        }
        match &ix.projection {
            Projection::All => {}
            Projection::KeysOnly => args.push("projection: { type: KEYS_ONLY }".into()),
            Projection::Include(f) => {
                args.push(format!("projection: {{ type: INCLUDE, nonKeyAttributes: {} }}", strings(f)))
            }
        }
        out.push(format!("@index({})", args.join(", ")));
    }
    if let Some(rel) = &f.relation {
        let name = match rel.kind {
            RelationshipKind::HasMany => "hasMany",
            RelationshipKind::HasOne => "hasOne",
            RelationshipKind::BelongsTo => "belongsTo",
        };
        out.push(format!("@{name}(references: {})", strings(&rel.references)));
    }
    if let Some(d) = &f.default {
        let value = match d {
            DefaultValue::String(s) => s.clone(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Float(x) => x.to_string(),
            DefaultValue::Bool(b) => b.to_string(),
        };
        out.push(format!("@default(value: {})", quoted(&value)));
    }
    // After `@default`, as Amplify's transformer requires.
    for v in &f.validations {
        let mut args = format!("type: {}, value: {}", v.kind.as_str(), quoted(&v.value));
        if let Some(m) = &v.message {
            let _ = write!(args, ", errorMessage: {}", quoted(m));
        }
        out.push(format!("@validate({args})"));
    }
    if let Some(r) = &f.rules {
        out.push(format!("@auth(rules: [{}])", rules(r)));
    }
    out
}

fn operation(op: &IrOperation) -> String {
    let args: Vec<String> = op.arguments.iter().map(|a| format!("{}: {}", a.name, a.graphql_type())).collect();
    let args = if args.is_empty() { String::new() } else { format!("({})", args.join(", ")) };
    format!("  {}{args}: {}\n", op.name, op.returns.graphql_type())
}

fn rules(rules: &[Rule]) -> String {
    rules.iter().map(rule).collect::<Vec<_>>().join(", ")
}

/// One rule as Amplify's transformer writes it: defaults left out (the provider
/// each kind of rule defaults to, the standard claims), operations always listed
/// so the generator reads the same ones the rule grants.
fn rule(r: &Rule) -> String {
    let mut parts: Vec<String> = Vec::new();
    let provider =
        |default: Provider| (r.provider != default).then(|| format!("provider: {}", r.provider.introspection_name()));
    match &r.kind {
        RuleKind::Owner { field, .. } => {
            parts.push("allow: owner".into());
            parts.push(format!("ownerField: {}", quoted(field)));
            parts.extend(provider(Provider::UserPools));
            if let Some(claim) = r.identity_claim.as_deref().filter(|c| *c != "cognito:username") {
                parts.push(format!("identityClaim: {}", quoted(claim)));
            }
        }
        RuleKind::Groups(groups) => {
            parts.push("allow: groups".into());
            parts.push(format!("groups: {}", strings(groups)));
            parts.extend(provider(Provider::UserPools));
        }
        RuleKind::GroupsDefinedIn { field, .. } => {
            parts.push("allow: groups".into());
            parts.push(format!("groupsField: {}", quoted(field)));
            parts.extend(provider(Provider::UserPools));
        }
        RuleKind::Public => parts.push("allow: public".into()),
        RuleKind::Guest => parts.extend(["allow: public".to_string(), "provider: iam".to_string()]),
        RuleKind::Authenticated => {
            parts.push("allow: private".into());
            parts.extend(provider(Provider::UserPools));
        }
        RuleKind::Custom => parts.extend(["allow: custom".to_string(), "provider: function".to_string()]),
    }
    if matches!(r.kind, RuleKind::Groups(_) | RuleKind::GroupsDefinedIn { .. }) {
        if let Some(claim) = r.group_claim.as_deref().filter(|c| *c != "cognito:groups") {
            parts.push(format!("groupClaim: {}", quoted(claim)));
        }
    }
    if !is_default_operations(&r.operations) {
        let ops: Vec<&str> = r.operations.iter().map(|o| o.as_str()).collect();
        parts.push(format!("operations: [{}]", ops.join(", ")));
    }
    format!("{{{}}}", parts.join(", "))
}

/// Amplify's generator fills in `[create, update, delete, read]` for a rule
/// without operations.
fn is_default_operations(ops: &[Operation]) -> bool {
    ops == [Operation::Create, Operation::Update, Operation::Delete, Operation::Read]
}

fn strings(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
