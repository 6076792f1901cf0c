//! The per-operation configuration (`OP`) each resolver hands to the pipeline
//! functions: the operation kind, the table's key, the rules that allow the operation
//! (already filtered), and what creates and updates must maintain.

use serde_json::{json, Map, Value};

use crate::data::ir::{IrField, IrModel, IrRelation, Rule, RuleKind};
use crate::data::naming::composite_key_argument;
use crate::data::schema::auth_rule::{Operation, Provider};
use crate::data::schema::field::DefaultValue;

fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::UserPools => "userPools",
        Provider::IdentityPool => "identityPool",
        Provider::Oidc => "oidc",
        Provider::ApiKey => "apiKey",
        Provider::Function => "function",
    }
}

/// One rule, as the auth function reads it.
pub(crate) fn rule_json(r: &Rule) -> Value {
    let mut o = Map::new();
    let allow = match &r.kind {
        RuleKind::Public => "public",
        RuleKind::Guest => "guest",
        RuleKind::Authenticated => "authenticated",
        RuleKind::Owner { .. } => "owner",
        RuleKind::Groups(_) => "groups",
        RuleKind::GroupsDefinedIn { .. } => "groupsField",
        RuleKind::Custom => "custom",
    };
    o.insert("allow".into(), json!(allow));
    o.insert("provider".into(), json!(provider_name(r.provider)));
    if let Some((field, multi)) = r.auth_field() {
        o.insert("field".into(), json!(field));
        o.insert("multi".into(), json!(multi));
    }
    if let RuleKind::Groups(groups) = &r.kind {
        o.insert("groups".into(), json!(groups));
    }
    if let Some(c) = &r.identity_claim {
        o.insert("identityClaim".into(), json!(c));
    }
    if let Some(c) = &r.group_claim {
        o.insert("groupClaim".into(), json!(c));
    }
    Value::Object(o)
}

/// The rules allowing `pred`.
pub(crate) fn rules_for(rules: &[Rule], pred: impl Fn(&Rule) -> bool) -> Value {
    Value::Array(rules.iter().filter(|r| pred(r)).map(rule_json).collect())
}

/// Reads through a field may come from a get or a list.
pub(crate) fn allows_read(r: &Rule) -> bool {
    r.allows(Operation::Get) || r.allows(Operation::List)
}

/// A table or index key: the partition key, the sort key fields, the argument
/// carrying a composite sort key's condition, and whether list queries may use it.
/// Only what differs from the defaults is written (the model function fills in the
/// rest): every resolver carries one, and a big API has thousands.
pub(crate) fn key_json(pk: &str, sk: &[String], custom: bool) -> Value {
    let mut o = Map::new();
    o.insert("pk".into(), json!(pk));
    if !sk.is_empty() {
        o.insert("sk".into(), json!(sk));
    }
    if sk.len() > 1 {
        o.insert("skArg".into(), json!(composite_key_argument(sk)));
    }
    if custom {
        o.insert("custom".into(), json!(true));
    }
    Value::Object(o)
}

pub(crate) fn model_key(model: &IrModel) -> Value {
    key_json(&model.key.partition_key, &model.key.sort_keys, model.key.custom)
}

fn default_json(d: &DefaultValue) -> Value {
    match d {
        DefaultValue::String(s) => json!(s),
        DefaultValue::Int(i) => json!(i),
        DefaultValue::Float(f) => json!(f),
        DefaultValue::Bool(b) => json!(b),
    }
}

/// What create and update maintain: timestamps, composite index attributes,
/// defaults, field-level write rules, owners.
fn write_config(model: &IrModel, op: Operation, o: &mut Map<String, Value>) {
    o.insert("model".into(), json!(model.name));
    o.insert("key".into(), model_key(model));
    o.insert("timestamps".into(), json!({"createdAt": "createdAt", "updatedAt": "updatedAt"}));
    let composites: Vec<Value> = model
        .indexes
        .iter()
        .filter(|i| i.sort_keys.len() > 1)
        .map(|i| json!({"attr": i.sort_keys.join("#"), "fields": i.sort_keys}))
        .collect();
    if !composites.is_empty() {
        o.insert("composites".into(), Value::Array(composites));
    }
    let mut field_rules = Map::new();
    for f in model.stored_fields() {
        if let Some(rules) = &f.rules {
            field_rules.insert(f.name.clone(), rules_for(rules, |r| r.allows(op)));
        }
    }
    if !field_rules.is_empty() {
        o.insert("fieldRules".into(), Value::Object(field_rules));
    }
    if matches!(op, Operation::Create | Operation::Update) {
        let checks = validations(model);
        if !checks.is_empty() {
            o.insert("validations".into(), Value::Array(checks));
        }
    }
    if op == Operation::Create {
        o.insert("autoId".into(), json!(model.generates_id()));
        let defaults: Map<String, Value> = model
            .stored_fields()
            .filter_map(|f| f.default.as_ref().map(|d| (f.name.clone(), default_json(d))))
            .collect();
        if !defaults.is_empty() {
            o.insert("defaults".into(), Value::Object(defaults));
        }
        let owners: Vec<Value> =
            model.rules.iter().filter(|r| matches!(r.kind, RuleKind::Owner { .. })).map(rule_json).collect();
        if !owners.is_empty() {
            o.insert("owners".into(), Value::Array(owners));
        }
    }
}

/// The model's `.validate(...)` rules, one entry per rule in field and rule order
/// (the order Amplify checks them in), each with the message a failure answers.
fn validations(model: &IrModel) -> Vec<Value> {
    model
        .stored_fields()
        .flat_map(|f| {
            f.validations.iter().map(move |r| {
                json!({"field": f.name, "type": r.kind.as_str(), "value": r.value, "message": r.message_for(&model.name, &f.name)})
            })
        })
        .collect()
}

/// The generated operations of a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModelOp {
    Get,
    List,
    Create,
    Update,
    Delete,
    Subscribe,
}

pub(crate) fn model_op(model: &IrModel, op: ModelOp) -> Value {
    let mut o = Map::new();
    let (kind, operation) = match op {
        ModelOp::Get => ("get", Operation::Get),
        ModelOp::List => ("list", Operation::List),
        ModelOp::Create => ("create", Operation::Create),
        ModelOp::Update => ("update", Operation::Update),
        ModelOp::Delete => ("delete", Operation::Delete),
        ModelOp::Subscribe => ("subscribe", Operation::Listen),
    };
    o.insert("kind".into(), json!(kind));
    o.insert("rules".into(), rules_for(&model.rules, |r| r.allows(operation)));
    match op {
        ModelOp::Create | ModelOp::Update | ModelOp::Delete => write_config(model, operation, &mut o),
        ModelOp::Subscribe => {}
        ModelOp::Get | ModelOp::List => {
            o.insert("key".into(), model_key(model));
        }
    }
    Value::Object(o)
}

/// A secondary index query.
pub(crate) fn index_op(model: &IrModel, index: &crate::data::ir::IrIndex) -> Value {
    let mut key = key_json(&index.partition_key, &index.sort_keys, true);
    if let Value::Object(k) = &mut key {
        k.insert("name".into(), json!(index.name));
    }
    json!({"kind": "index", "rules": rules_for(&model.rules, |r| r.allows(Operation::List)), "index": key})
}

/// Whether two rule sets admit the same callers to the same operations.
fn same_rules(a: &[Rule], b: &[Rule]) -> bool {
    a.len() == b.len() && a.iter().all(|r| b.contains(r))
}

/// Marks a field resolver to answer null (or no items) under a mutation's result
/// when its rules differ from the model's: subscribers receive the mutation's
/// result as the mutating caller saw it, and they may not pass this field's rules
/// (Amplify redacts such fields the same way).
fn redact_unless_same(mut op: Value, field_rules: &[Rule], model_rules: &[Rule]) -> Value {
    if !same_rules(field_rules, model_rules) {
        if let Value::Object(o) = &mut op {
            o.insert("redact".into(), json!(true));
        }
    }
    op
}

/// A relationship field of `source`; `related` is the model the field resolves to.
pub(crate) fn relation_op(source: &IrModel, related: &IrModel, rel: &IrRelation) -> Value {
    redact_unless_same(relation_config(related, rel), &related.rules, &source.rules)
}

fn relation_config(related: &IrModel, rel: &IrRelation) -> Value {
    use crate::data::schema::relationship::RelationshipKind;
    match rel.kind {
        RelationshipKind::BelongsTo => json!({
            "kind": "belongsTo",
            "rules": rules_for(&related.rules, |r| r.allows(Operation::Get)),
            "references": rel.references,
            "key": model_key(related),
        }),
        kind => {
            let index = related.indexes.iter().find(|i| Some(&i.name) == rel.index.as_ref());
            let (pk, sk) = match index {
                Some(i) => (i.partition_key.clone(), i.sort_keys.clone()),
                None => (rel.references[0].clone(), rel.references[1..].to_vec()),
            };
            let mut key = key_json(&pk, &sk, true);
            if let Value::Object(k) = &mut key {
                k.insert("name".into(), json!(rel.index));
            }
            let (name, op) = if kind == RelationshipKind::HasMany {
                ("hasMany", Operation::List)
            } else {
                ("hasOne", Operation::Get)
            };
            json!({
                "kind": name,
                "rules": rules_for(&related.rules, |r| r.allows(op)),
                "parentKey": rel.parent_key,
                "index": key,
            })
        }
    }
}

/// A field of `model` with its own read rules. A required field is not redacted:
/// GraphQL would drop the whole mutation result for its null. An owner field
/// (`owner`) answers usernames.
pub(crate) fn field_op(model: &IrModel, field: &IrField, rules: &[Rule], owner: bool) -> Value {
    let mut op = json!({"kind": "field", "field": field.name, "rules": rules_for(rules, allows_read)});
    if owner {
        op["owner"] = json!(true);
    }
    if field.required {
        op
    } else {
        redact_unless_same(op, rules, &model.rules)
    }
}

/// A custom operation.
pub(crate) fn custom_op(rules: &[Rule], subscription: bool) -> Value {
    json!({"kind": if subscription { "subscribe" } else { "custom" }, "rules": rules_for(rules, |_| true)})
}
