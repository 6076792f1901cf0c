//! The model introspection schema: what `generateClient` reads from
//! `amplify_outputs.json` (`data.model_introspection`) to build its model API.

use serde_json::{json, Map, Value};

use super::ir::{FieldOrigin, Ir, IrField, IrModel, IrOperation, Rule, RuleKind, TypeRef};
use super::schema::auth_rule::Provider;
use super::schema::custom_operation::OperationType;
use super::schema::relationship::RelationshipKind;

/// The model introspection schema of `ir` (version 1).
pub fn model_introspection(ir: &Ir) -> Value {
    let mut root = Map::new();
    root.insert("version".into(), json!(1));
    root.insert("models".into(), Value::Object(ir.models.iter().map(|m| (m.name.clone(), model(m))).collect()));
    let enums = ir.enums.iter().map(|e| (e.name.clone(), json!({"name": e.name, "values": e.values})));
    root.insert("enums".into(), Value::Object(enums.collect()));
    let non_models = ir.custom_types.iter().map(|c| {
        let fields: Map<String, Value> = c.fields.iter().map(|f| (f.name.clone(), field(f))).collect();
        (c.name.clone(), object([("name", json!(c.name)), ("fields", Value::Object(fields))]))
    });
    root.insert("nonModels".into(), Value::Object(non_models.collect()));
    for (op_type, key) in [
        (OperationType::Query, "queries"),
        (OperationType::Mutation, "mutations"),
        (OperationType::Subscription, "subscriptions"),
    ] {
        let ops: Map<String, Value> =
            ir.operations.iter().filter(|o| o.op_type == op_type).map(|o| (o.name.clone(), operation(o))).collect();
        if !ops.is_empty() {
            root.insert(key.into(), Value::Object(ops));
        }
    }
    Value::Object(root)
}

fn type_value(ty: &TypeRef) -> Value {
    match ty {
        TypeRef::Scalar(s) => json!(s.graphql_name()),
        TypeRef::Enum(e) => json!({ "enum": e }),
        TypeRef::CustomType(c) => json!({ "nonModel": c }),
        TypeRef::Model(m) => json!({ "model": m }),
    }
}

/// One field, in the shape (and key order) Amplify's codegen writes.
fn field(f: &IrField) -> Value {
    let mut o = Map::new();
    o.insert("name".into(), json!(f.name));
    o.insert("isArray".into(), json!(f.array));
    o.insert("type".into(), type_value(&f.ty));
    // Timestamps are set by the API: optional for clients, read-only.
    o.insert("isRequired".into(), json!(f.required && f.origin != FieldOrigin::Timestamp));
    o.insert("attributes".into(), json!([]));
    if f.array {
        o.insert("isArrayNullable".into(), json!(!f.array_required));
    }
    if f.origin == FieldOrigin::Timestamp {
        o.insert("isReadOnly".into(), json!(true));
    }
    if let Some(rel) = &f.relation {
        let association = match rel.kind {
            RelationshipKind::HasMany => json!({"connectionType": "HAS_MANY", "associatedWith": rel.references}),
            RelationshipKind::HasOne => {
                json!({"connectionType": "HAS_ONE", "associatedWith": rel.references, "targetNames": []})
            }
            RelationshipKind::BelongsTo => json!({"connectionType": "BELONGS_TO", "targetNames": rel.references}),
        };
        o.insert("association".into(), association);
    }
    Value::Object(o)
}

fn model(m: &IrModel) -> Value {
    // `id` first, then declared fields, then timestamps; auth fields stay out (the
    // client never sets them).
    let ordered = m
        .fields
        .iter()
        .filter(|f| f.origin == FieldOrigin::Id)
        .chain(m.fields.iter().filter(|f| f.origin == FieldOrigin::Declared))
        .chain(m.fields.iter().filter(|f| f.origin == FieldOrigin::Timestamp));
    let fields: Map<String, Value> = ordered.map(|f| (f.name.clone(), field(f))).collect();

    // Disabled operations as Amplify's `@model` arguments spell them: a group with
    // none left is `null`, one with some left lists the disabled ones as `null`
    // (`"mutations": {"delete": null}`); typed clients read them.
    let ops = &m.ops;
    let groups = [
        ("queries", vec![("get", ops.get), ("list", ops.list)]),
        ("mutations", vec![("create", ops.create), ("update", ops.update), ("delete", ops.delete)]),
        ("subscriptions", vec![("onCreate", ops.on_create), ("onUpdate", ops.on_update), ("onDelete", ops.on_delete)]),
    ];
    let mut model_props = Map::new();
    for (group, members) in groups {
        if members.iter().all(|(_, enabled)| !enabled) {
            model_props.insert(group.into(), Value::Null);
        } else if members.iter().any(|(_, enabled)| !enabled) {
            let disabled = members.iter().filter(|(_, enabled)| !enabled).map(|(op, _)| (op.to_string(), Value::Null));
            model_props.insert(group.into(), Value::Object(disabled.collect()));
        }
    }
    let mut attributes = vec![object([("type", json!("model")), ("properties", Value::Object(model_props))])];
    if m.key.explicit {
        attributes.push(json!({"type": "key", "properties": {"fields": m.key.fields()}}));
    }
    for ix in m.indexes.iter().filter(|i| !i.for_relationship) {
        let mut fields = vec![ix.partition_key.clone()];
        fields.extend(ix.sort_keys.iter().cloned());
        attributes.push(
            json!({"type": "key", "properties": {"name": ix.name, "queryField": ix.query_field, "fields": fields}}),
        );
    }
    let rules = Value::Array(m.rules.iter().map(rule).collect());
    attributes.push(object([("type", json!("auth")), ("properties", object([("rules", rules)]))]));

    object([
        ("name", json!(m.name)),
        ("fields", Value::Object(fields)),
        ("syncable", json!(true)),
        ("pluralName", json!(m.names.plural)),
        ("attributes", Value::Array(attributes)),
        (
            "primaryKeyInfo",
            json!({
                "isCustomPrimaryKey": m.key.custom,
                "primaryKeyFieldName": m.key.partition_key,
                "sortKeyFieldNames": m.key.sort_keys,
            }),
        ),
    ])
}

/// A JSON object of `entries`, in order. Unlike `json!`, which serializes (copies)
/// every value it is given, this moves them: a model's fields and rules are built
/// once.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// A rule as Amplify's `@auth` directive spells it.
fn rule(r: &Rule) -> Value {
    let ops: Vec<&str> = r.operations.iter().map(|o| o.as_str()).collect();
    let provider = r.provider.introspection_name();
    let group_claim = r.group_claim.as_deref().unwrap_or("cognito:groups");
    match &r.kind {
        RuleKind::Owner { field, .. } => json!({
            "provider": provider,
            "ownerField": field,
            "allow": "owner",
            "identityClaim": r.identity_claim.as_deref().unwrap_or("cognito:username"),
            "operations": ops,
        }),
        RuleKind::Groups(groups) => json!({
            "groupClaim": group_claim,
            "provider": provider,
            "allow": "groups",
            "groups": groups,
            "operations": ops,
        }),
        RuleKind::GroupsDefinedIn { field, .. } => json!({
            "groupClaim": group_claim,
            "provider": provider,
            "allow": "groups",
            "groupsField": field,
            "operations": ops,
        }),
        RuleKind::Public => json!({"allow": "public", "provider": "apiKey", "operations": ops}),
        RuleKind::Guest => json!({"allow": "public", "provider": "iam", "operations": ops}),
        RuleKind::Authenticated if r.provider == Provider::UserPools => json!({"allow": "private", "operations": ops}),
        RuleKind::Authenticated => json!({"allow": "private", "provider": provider, "operations": ops}),
        RuleKind::Custom => json!({"allow": "custom", "provider": "function", "operations": ops}),
    }
}

fn operation(op: &IrOperation) -> Value {
    let mut o = Map::new();
    o.insert("name".into(), json!(op.name));
    o.insert("isArray".into(), json!(op.returns.array));
    o.insert("type".into(), type_value(&op.returns.ty));
    o.insert("isRequired".into(), json!(op.returns.required));
    if op.returns.array {
        o.insert("isArrayNullable".into(), json!(!op.returns.array_required));
    }
    if !op.arguments.is_empty() {
        let args: Map<String, Value> = op
            .arguments
            .iter()
            .map(|a| {
                let mut v = Map::new();
                v.insert("name".into(), json!(a.name));
                v.insert("isArray".into(), json!(a.array));
                v.insert("type".into(), type_value(&a.ty));
                v.insert("isRequired".into(), json!(a.required));
                if a.array {
                    v.insert("isArrayNullable".into(), json!(!a.array_required));
                }
                (a.name.clone(), Value::Object(v))
            })
            .collect();
        o.insert("arguments".into(), Value::Object(args));
    }
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::data::auth_modes::{AuthorizationModes, DataContext};
    use crate::data::{a, validate, ModelOperation};

    fn model_attribute(disabled: Vec<ModelOperation>) -> serde_json::Value {
        // `Note` keeps a query, which GraphQL needs.
        let schema = a::schema([
            ("Todo", a::model([("title", a::string())]).disable_operations(disabled)),
            ("Note", a::model([("text", a::string())])),
        ])
        .authorization(|allow| [allow.authenticated()]);
        let ir = validate(&schema, &AuthorizationModes::user_pool(), &DataContext::with_auth(), &[])
            .unwrap_or_else(|e| panic!("{e}"));
        super::model_introspection(&ir)["models"]["Todo"]["attributes"][0].clone()
    }

    #[test]
    fn disabled_operations_are_listed_as_amplify_lists_them() {
        assert_eq!(model_attribute(vec![]), json!({"type": "model", "properties": {}}));
        assert_eq!(
            model_attribute(vec![ModelOperation::Delete, ModelOperation::Subscriptions]),
            json!({"type": "model", "properties": {"mutations": {"delete": null}, "subscriptions": null}})
        );
        assert_eq!(
            model_attribute(vec![ModelOperation::Get, ModelOperation::List, ModelOperation::OnUpdate]),
            json!({"type": "model", "properties": {"queries": null, "subscriptions": {"onUpdate": null}}})
        );
    }
}
