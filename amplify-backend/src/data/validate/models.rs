//! Models: fields, the primary key, implicit fields (id, timestamps, auth fields),
//! secondary indexes, rules and disabled operations.

use std::collections::HashSet;

use super::fields::{resolve_field, FieldCx, FieldRole};
use super::rules::{normalize, RuleContext, RuleLevel};
use crate::data::ir::{FieldOrigin, IrField, IrIndex, IrModel, ModelOps, PrimaryKey, Rule, TypeRef};
use crate::data::naming::{default_index_name, default_index_query_field, ModelNames};
use crate::data::schema::field::Scalar;
use crate::data::schema::index::Projection;
use crate::data::schema::model::{Model, ModelOperation};

/// Resolves model `name`; `None` when it is too broken to generate anything from.
pub(super) fn resolve(
    fx: &mut FieldCx<'_, '_>,
    rcx: &RuleContext<'_>,
    name: &str,
    model: &Model,
    schema_rules: &[Rule],
) -> Option<IrModel> {
    let mut fields = Vec::new();
    let mut seen = HashSet::new();
    for (field_name, field) in &model.fields {
        let path = format!("{name}.{field_name}");
        if !seen.insert(field_name.as_str()) {
            fx.diag.error(
                path,
                format!("the field `{field_name}` is declared twice."),
                "give each field its own name.",
            );
            continue;
        }
        if let Some(mut f) = resolve_field(fx, name, field_name, field, FieldRole::ModelField) {
            if !field.rules.is_empty() && f.is_relationship() {
                fx.diag.error(
                    &path,
                    "a relationship field takes its rules from the related model, not its own.",
                    "remove `.authorization(...)` here and set the rules on the related model.",
                );
            } else if !field.rules.is_empty() {
                f.rules = Some(normalize(&path, &field.rules, RuleLevel::Field, rcx, fx.diag));
            }
            fields.push(f);
        }
    }

    let rules = if model.rules.is_empty() {
        schema_rules.to_vec()
    } else {
        normalize(name, &model.rules, RuleLevel::Model, rcx, fx.diag)
    };
    if model.rules.is_empty() && schema_rules.is_empty() {
        fx.diag.error(
            name,
            format!("the model `{name}` has no authorization rules, so nobody could use it."),
            format!("add `.authorization(|allow| [...])` to `{name}` or to the schema."),
        );
    }

    let identifier = model.identifier.clone().unwrap_or_else(|| vec!["id".to_string()]);
    if identifier.is_empty() {
        fx.diag.error(
            name,
            "`.identifier([])` names no fields.",
            "name the partition key field, then any sort key fields.",
        );
        return None;
    }
    add_implicit_fields(fx, name, &mut fields, &identifier, &rules);

    for key in &identifier {
        check_key_field(fx, name, &fields, key, "the identifier");
        if let Some(f) = fields.iter_mut().find(|f| &f.name == key) {
            f.required = true;
        }
    }
    let key = PrimaryKey {
        partition_key: identifier[0].clone(),
        sort_keys: identifier[1..].to_vec(),
        custom: identifier != ["id"],
        explicit: model.identifier.is_some(),
    };

    let mut indexes = Vec::new();
    let mut index_names = HashSet::new();
    for index in &model.indexes {
        for k in std::iter::once(&index.partition_key).chain(&index.sort_keys) {
            check_key_field(fx, name, &fields, k, "a secondary index");
        }
        let index_name =
            index.name.clone().unwrap_or_else(|| default_index_name(name, &index.partition_key, &index.sort_keys));
        if !index_names.insert(index_name.clone()) {
            fx.diag.error(
                name,
                format!("two secondary indexes are named `{index_name}`."),
                "give one of them another `.name(...)`, or remove the duplicate.",
            );
        }
        let query_field = index
            .query_field
            .clone()
            .unwrap_or_else(|| default_index_query_field(name, &index.partition_key, &index.sort_keys));
        indexes.push(IrIndex {
            name: index_name,
            partition_key: index.partition_key.clone(),
            sort_keys: index.sort_keys.clone(),
            query_field: Some(query_field),
            for_relationship: false,
            projection: index.projection.clone(),
        });
    }
    check_projections(fx, name, &fields, &indexes);

    Some(IrModel {
        name: name.to_string(),
        names: ModelNames::new(name),
        fields,
        key,
        indexes,
        rules,
        ops: ops_without(&model.disabled),
    })
}

/// Adds `id`, `createdAt`, `updatedAt` and the owner/group fields rules need, unless
/// declared; declared ones must have the type the API gives them.
fn add_implicit_fields(
    fx: &mut FieldCx<'_, '_>,
    model: &str,
    fields: &mut Vec<IrField>,
    identifier: &[String],
    rules: &[Rule],
) {
    if identifier.iter().any(|k| k == "id") && !fields.iter().any(|f| f.name == "id") {
        let mut id = IrField::new("id", TypeRef::Scalar(Scalar::Id), FieldOrigin::Id);
        id.required = true;
        fields.push(id);
    }
    for ts in ["createdAt", "updatedAt"] {
        match fields.iter().find(|f| f.name == ts) {
            Some(f) if f.ty != TypeRef::Scalar(Scalar::DateTime) || f.array || f.is_relationship() => fx.diag.error(
                format!("{model}.{ts}"),
                format!(
                    "`{ts}` is set by the API to an `AWSDateTime`, but the field is declared as `{}`.",
                    f.graphql_type()
                ),
                format!("declare `(\"{ts}\", a::datetime())`, or rename the field."),
            ),
            Some(_) => {}
            None => {
                let mut f = IrField::new(ts, TypeRef::Scalar(Scalar::DateTime), FieldOrigin::Timestamp);
                f.required = true;
                fields.push(f);
            }
        }
    }
    let field_rules: Vec<Rule> = fields.iter().filter_map(|f| f.rules.clone()).flatten().collect();
    let mut added: Vec<(String, bool)> = Vec::new();
    for rule in rules.iter().chain(&field_rules) {
        let Some((field, multi)) = rule.auth_field() else { continue };
        if let Some((_, prev)) = added.iter().find(|(n, _)| n == field) {
            if *prev != multi {
                fx.diag.error(
                    format!("{model}.{field}"),
                    format!("rules use `{field}` both as one value and as a list."),
                    "use the field one way (`owner_defined_in` / `group_defined_in` for one, `owners_defined_in` / `groups_defined_in` for a list).",
                );
            }
            continue;
        }
        added.push((field.to_string(), multi));
        match fields.iter().find(|f| f.name == field) {
            Some(f) if f.origin == FieldOrigin::AuthField => {}
            Some(f) => {
                let ok = matches!(f.ty, TypeRef::Scalar(Scalar::String | Scalar::Id)) && f.array == multi;
                if !ok {
                    let want = if multi { "a::string().array()" } else { "a::string()" };
                    fx.diag.error(
                        format!("{model}.{field}"),
                        format!(
                            "authorization rules read `{field}` as {}, but it is declared as `{}`.",
                            if multi { "a list of strings" } else { "a string" },
                            f.graphql_type()
                        ),
                        format!("declare `(\"{field}\", {want})`, or point the rule at another field."),
                    );
                }
            }
            None => {
                let mut f = IrField::new(field, TypeRef::Scalar(Scalar::String), FieldOrigin::AuthField);
                f.array = multi;
                fields.push(f);
            }
        }
    }
}

/// Key fields (identifier and index keys) must be stored, single-valued and of a type
/// DynamoDB keys can hold.
fn check_key_field(fx: &mut FieldCx<'_, '_>, model: &str, fields: &[IrField], key: &str, what: &str) {
    let path = format!("{model}.{key}");
    match fields.iter().find(|f| f.name == key) {
        None => fx.diag.error(
            path,
            format!("{what} uses `{key}`, which `{model}` does not declare."),
            format!("add the field (for example `(\"{key}\", a::string().required())`) or fix the name."),
        ),
        Some(f) if f.is_relationship() => fx.diag.error(
            path,
            format!("{what} uses the relationship field `{key}`; keys are stored fields."),
            "use the reference field that holds the related model's identifier.",
        ),
        Some(f) if f.array || !matches!(&f.ty, TypeRef::Enum(_) | TypeRef::Scalar(_)) || matches!(f.ty, TypeRef::Scalar(Scalar::Boolean | Scalar::Json)) => {
            fx.diag.error(
                path,
                format!("{what} uses `{key}` of type `{}`; a DynamoDB key is one string, number or enum value.", f.graphql_type()),
                "use a single ID, String, Int, Float, date/time, AWSEmail, AWSPhone, AWSURL, AWSIPAddress or enum field.",
            )
        }
        Some(_) => {}
    }
}

/// DynamoDB projects at most 100 non-key attributes over all of a table's indexes.
const MAX_PROJECTED_ATTRIBUTES: usize = 100;

/// `Projection::Include` lists stored fields of the model, each once, and at least one.
fn check_projections(fx: &mut FieldCx<'_, '_>, model: &str, fields: &[IrField], indexes: &[IrIndex]) {
    let mut projected: HashSet<&str> = HashSet::new();
    for ix in indexes {
        let Projection::Include(names) = &ix.projection else { continue };
        let path = format!("{model} index {}", ix.name);
        if names.is_empty() {
            fx.diag.error(
                &path,
                "`Projection::include` names no fields.",
                "list the fields to copy, or use `Projection::KeysOnly`.",
            );
        }
        let mut seen = HashSet::new();
        for n in names {
            if !seen.insert(n.as_str()) {
                fx.diag.error(&path, format!("the projection lists `{n}` twice."), "list each field once.");
            }
            match fields.iter().find(|f| &f.name == n) {
                Some(f) if !f.is_relationship() => {
                    projected.insert(n);
                }
                Some(_) => fx.diag.error(
                    &path,
                    format!("the projection lists the relationship field `{n}`, which is not stored."),
                    "list stored fields (a relationship's reference fields are).",
                ),
                None => fx.diag.error(
                    &path,
                    format!("the projection lists `{n}`, which `{model}` does not declare."),
                    "list fields of the model, or fix the name.",
                ),
            }
        }
    }
    if projected.len() > MAX_PROJECTED_ATTRIBUTES {
        fx.diag.error(
            model,
            format!(
                "the indexes project {} fields; DynamoDB allows {MAX_PROJECTED_ATTRIBUTES} per table.",
                projected.len()
            ),
            "project fewer fields (`Projection::All` copies every attribute without listing them).",
        );
    }
}

fn ops_without(disabled: &[ModelOperation]) -> ModelOps {
    let mut ops = ModelOps::ALL;
    for d in disabled {
        match d {
            ModelOperation::Queries => {
                ops.get = false;
                ops.list = false;
            }
            ModelOperation::Mutations => {
                ops.create = false;
                ops.update = false;
                ops.delete = false;
            }
            ModelOperation::Subscriptions => {
                ops.on_create = false;
                ops.on_update = false;
                ops.on_delete = false;
            }
            ModelOperation::Get => ops.get = false,
            ModelOperation::List => ops.list = false,
            ModelOperation::Create => ops.create = false,
            ModelOperation::Update => ops.update = false,
            ModelOperation::Delete => ops.delete = false,
            ModelOperation::OnCreate => ops.on_create = false,
            ModelOperation::OnUpdate => ops.on_update = false,
            ModelOperation::OnDelete => ops.on_delete = false,
        }
    }
    // A subscription fires on its mutation; without the mutation it never would.
    ops.on_create &= ops.create;
    ops.on_update &= ops.update;
    ops.on_delete &= ops.delete;
    ops
}
