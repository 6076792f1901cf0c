//! Fields: resolves types (scalars, references, inline enums and custom types, which
//! are hoisted to named types), modifiers and defaults.

use std::collections::HashSet;

use super::identifiers::{check_field_name, is_graphql_name};
use super::{Catalog, Diagnostics, Hoisted, ItemKind};
use crate::data::ir::{FieldOrigin, IrCustomType, IrEnum, IrField, IrModel, IrOperation, IrRelation, TypeRef};
use crate::data::naming::capitalize;
use crate::data::schema::field::{DefaultValue, Field, FieldKind, Scalar};
use crate::data::schema::relationship::RelationshipKind;
use crate::data::schema::SchemaItem;

/// What field resolution needs.
pub(crate) struct FieldCx<'a, 's> {
    pub(crate) catalog: &'a Catalog<'s>,
    pub(crate) diag: &'a mut Diagnostics,
    pub(crate) hoisted: &'a mut Hoisted,
}

/// Where a field is declared; each place admits different kinds of fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldRole {
    ModelField,
    CustomTypeField,
    Argument,
    ReturnType,
}

/// Resolves one field of `owner` (a type, or an operation for arguments and return
/// types). Relationship fields get a placeholder relation, completed later.
pub(crate) fn resolve_field(
    fx: &mut FieldCx<'_, '_>,
    owner: &str,
    name: &str,
    field: &Field,
    role: FieldRole,
) -> Option<IrField> {
    let path = if role == FieldRole::ReturnType { owner.to_string() } else { format!("{owner}.{name}") };
    if role != FieldRole::ReturnType {
        check_field_name(fx.diag, &path, name, role == FieldRole::ModelField);
    }
    let hoisted_name = if role == FieldRole::ReturnType {
        format!("{}ReturnType", capitalize(owner))
    } else {
        format!("{}{}", capitalize(owner), capitalize(name))
    };
    let mut enum_values: Option<Vec<String>> = None;
    let (ty, relation) = match &field.kind {
        FieldKind::Scalar(s) => (TypeRef::Scalar(*s), None),
        FieldKind::Ref(target) => match fx.catalog.kind(target) {
            Some(ItemKind::Enum) => {
                if let Some(SchemaItem::Enum(e)) = fx.catalog.item(target) {
                    enum_values = Some(e.values.clone());
                }
                (TypeRef::Enum(target.clone()), None)
            }
            Some(ItemKind::CustomType) => (TypeRef::CustomType(target.clone()), None),
            Some(ItemKind::Model) if role == FieldRole::ReturnType => (TypeRef::Model(target.clone()), None),
            Some(ItemKind::Model) => {
                fx.diag.error(
                    &path,
                    format!("`a::ref_(\"{target}\")` points at a model; fields link models with relationships."),
                    format!("use `a::belongs_to(\"{target}\", ...)`, `a::has_one(...)` or `a::has_many(...)` with reference fields."),
                );
                return None;
            }
            Some(kind) => {
                fx.diag.error(
                    &path,
                    format!("`a::ref_(\"{target}\")` points at {}, which is not a type.", kind.describe()),
                    "refer to an enum or a custom type.",
                );
                return None;
            }
            None => {
                fx.diag.error(
                    &path,
                    format!("`a::ref_(\"{target}\")` refers to `{target}`, which the schema does not declare."),
                    format!("declare it (for example `.add(\"{target}\", a::enum_type([...]))`) or fix the name."),
                );
                return None;
            }
        },
        FieldKind::InlineEnum(values) => {
            enum_values = Some(values.clone());
            let e = resolve_enum(&hoisted_name, values, fx.diag);
            fx.hoisted.enums.push(e);
            (TypeRef::Enum(hoisted_name.clone()), None)
        }
        FieldKind::InlineCustomType(fields) => {
            let c = resolve_custom_type(fx, &hoisted_name, fields);
            fx.hoisted.custom_types.push(c);
            (TypeRef::CustomType(hoisted_name.clone()), None)
        }
        FieldKind::Relationship(rel) => {
            if role != FieldRole::ModelField {
                fx.diag.error(
                    &path,
                    format!("`{}` links models; it cannot be used here.", rel.kind.builder_name()),
                    "use relationships only as model fields; use `a::ref_(...)` for custom types and return types.",
                );
                return None;
            }
            if field.array || field.default.is_some() {
                fx.diag.error(
                    &path,
                    format!("`{}` takes no `.array()` or `.default(...)`.", rel.kind.builder_name()),
                    "remove the modifier (has_many is already a list).",
                );
            }
            check_relationship_required(fx.diag, &path, rel.kind, field);
            let relation = IrRelation {
                kind: rel.kind,
                related: rel.related_model.clone(),
                references: rel.references.clone(),
                parent_key: Vec::new(),
                index: None,
            };
            (TypeRef::Model(rel.related_model.clone()), Some(relation))
        }
    };
    if field.default.is_some() && relation.is_none() {
        if role != FieldRole::ModelField {
            fx.diag.error(&path, "`.default(...)` applies to model fields only.", "remove `.default(...)`.");
        } else if let Some(default) = &field.default {
            check_default(fx.diag, &path, &ty, field.array, default, enum_values.as_deref());
        }
    }
    if !field.rules.is_empty() && role != FieldRole::ModelField {
        fx.diag.error(
            &path,
            "field-level `.authorization(...)` applies to model fields only.",
            "put the rules on the model, or on the custom operation.",
        );
    }
    if !field.validations.is_empty() {
        check_validations(fx.diag, &path, &ty, field, role);
    }
    if field.value_required && relation.is_none() {
        fx.diag.error(
            &path,
            "`.value_required()` applies to `a::has_many(...)` only.",
            "use `.required()` (before `.array()` for the items of a list).",
        );
    }
    let is_relation = relation.is_some();
    // Amplify's `hasOne(...).required()` and `hasMany(...).valueRequired()`.
    let required = match &relation {
        Some(r) if r.kind == RelationshipKind::HasOne => field.required,
        Some(r) if r.kind == RelationshipKind::HasMany => field.value_required,
        Some(_) => false,
        None => field.required,
    };
    Some(IrField {
        name: name.to_string(),
        ty,
        required,
        array: if is_relation { rel_is_array(&relation) } else { field.array },
        array_required: field.array_required && !is_relation,
        default: field.default.clone(),
        rules: None,
        origin: FieldOrigin::Declared,
        relation,
        validations: if role == FieldRole::ModelField { field.validations.clone() } else { Vec::new() },
    })
}

/// `.validate(...)` rules must suit the field, as Amplify's validate transformer
/// requires: model fields only, no lists, numeric rules on `Int`/`Float`, string
/// rules on `String`, each kind once per field.
fn check_validations(diag: &mut Diagnostics, path: &str, ty: &TypeRef, field: &Field, role: FieldRole) {
    if role != FieldRole::ModelField {
        diag.error(
            path,
            "`.validate(...)` applies to model fields only.",
            "remove `.validate(...)`, or check the value in the handler.",
        );
        return;
    }
    if field.array {
        diag.error(path, "`.validate(...)` cannot check a list field.", "remove `.validate(...)` from the list field.");
        return;
    }
    let mut seen = HashSet::new();
    for rule in &field.validations {
        let name = rule.kind.as_str();
        if !seen.insert(name) {
            diag.error(
                path,
                format!("the validation `{name}` is given twice (`positive` is `gt` 0, `negative` is `lt` 0)."),
                "keep one rule of each kind per field.",
            );
        }
        let fits = match ty {
            TypeRef::Scalar(Scalar::Integer | Scalar::Float) => rule.kind.is_numeric(),
            TypeRef::Scalar(Scalar::String) => !rule.kind.is_numeric(),
            _ => false,
        };
        if !fits {
            let wants = if rule.kind.is_numeric() { "`a::integer()` and `a::float()`" } else { "`a::string()`" };
            diag.error(
                path,
                format!("the validation `{name}` applies to {wants} fields; this field is `{}`.", ty.graphql_name()),
                "use a rule for the field's type (gt/lt/gte/lte/positive/negative for numbers; min_length/max_length/starts_with/ends_with/matches for strings).",
            );
        }
        if rule.not_finite {
            diag.error(
                path,
                format!("the validation `{name}` compares with a value that is not a finite number."),
                "give a finite number.",
            );
        }
    }
}

/// The requirement modifiers each relationship takes, as in Amplify: `has_one`
/// takes `.required()` (the related item always exists), `has_many` takes
/// `.value_required()` (no null items), `belongs_to` neither (its reference
/// fields say whether a parent is required).
fn check_relationship_required(diag: &mut Diagnostics, path: &str, kind: RelationshipKind, field: &Field) {
    match kind {
        RelationshipKind::BelongsTo if field.required || field.value_required => diag.error(
            path,
            "`a::belongs_to(...)` takes no `.required()` (Amplify's belongsTo has none).",
            "make the reference fields required instead (`a::id().required()`).",
        ),
        RelationshipKind::HasMany if field.required => diag.error(
            path,
            "`a::has_many(...)` takes no `.required()` (Amplify's hasMany has none): the list always exists.",
            "use `.value_required()` to make its items non-null, as Amplify's `.valueRequired()`.",
        ),
        RelationshipKind::HasOne if field.value_required => diag.error(
            path,
            "`.value_required()` applies to `a::has_many(...)` only.",
            "use `.required()` on a has_one.",
        ),
        _ => {}
    }
}

fn rel_is_array(relation: &Option<IrRelation>) -> bool {
    matches!(relation, Some(r) if r.kind == RelationshipKind::HasMany)
}

/// Whether a default value fits the field's type.
fn check_default(
    diag: &mut Diagnostics,
    path: &str,
    ty: &TypeRef,
    array: bool,
    default: &DefaultValue,
    enum_values: Option<&[String]>,
) {
    if array {
        diag.error(path, "list fields take no `.default(...)`.", "remove `.default(...)`, or set the list on create.");
        return;
    }
    let fits = match (ty, default) {
        (TypeRef::Scalar(Scalar::Integer | Scalar::Timestamp), DefaultValue::Int(v)) => {
            !matches!(ty, TypeRef::Scalar(Scalar::Integer)) || i32::try_from(*v).is_ok()
        }
        (TypeRef::Scalar(Scalar::Float), DefaultValue::Float(_) | DefaultValue::Int(_)) => true,
        (TypeRef::Scalar(Scalar::Boolean), DefaultValue::Bool(_)) => true,
        (TypeRef::Scalar(Scalar::Json), DefaultValue::String(s)) => {
            serde_json::from_str::<serde_json::Value>(s).is_ok()
        }
        (TypeRef::Scalar(s), DefaultValue::String(_)) => !s.is_numeric() && *s != Scalar::Boolean,
        (TypeRef::Enum(_), DefaultValue::String(v)) => enum_values.is_none_or(|vals| vals.contains(v)),
        _ => false,
    };
    if !fits {
        diag.error(
            path,
            format!("the default {} does not fit the field's type `{}`.", describe_default(default), ty.graphql_name()),
            "give a default of the field's type (an enum default must be one of its values; a JSON default must parse).",
        );
    }
}

fn describe_default(default: &DefaultValue) -> String {
    match default {
        DefaultValue::String(s) => format!("\"{s}\""),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Float(f) => f.to_string(),
        DefaultValue::Bool(b) => b.to_string(),
    }
}

/// Checks an enum's values.
pub(crate) fn resolve_enum(name: &str, values: &[String], diag: &mut Diagnostics) -> IrEnum {
    if values.is_empty() {
        diag.error(name, format!("the enum `{name}` has no values."), "list at least one value.");
    }
    let mut seen = HashSet::new();
    for v in values {
        if !is_graphql_name(v) || matches!(v.as_str(), "true" | "false" | "null") {
            diag.error(
                name,
                format!("`{v}` is not a valid enum value (a GraphQL name other than true, false and null)."),
                "use letters, digits and `_`, for example `IN_PROGRESS`.",
            );
        }
        if !seen.insert(v) {
            diag.error(name, format!("the enum value `{v}` is listed twice."), "list each value once.");
        }
    }
    IrEnum { name: name.to_string(), values: values.to_vec() }
}

/// Resolves a custom type's fields.
pub(crate) fn resolve_custom_type(fx: &mut FieldCx<'_, '_>, name: &str, fields: &[(String, Field)]) -> IrCustomType {
    if fields.is_empty() {
        fx.diag.error(name, format!("the custom type `{name}` has no fields."), "give it at least one field.");
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (field_name, field) in fields {
        if !seen.insert(field_name.as_str()) {
            fx.diag.error(
                format!("{name}.{field_name}"),
                format!("the field `{field_name}` is declared twice."),
                "give each field its own name.",
            );
            continue;
        }
        if let Some(f) = resolve_field(fx, name, field_name, field, FieldRole::CustomTypeField) {
            out.push(f);
        }
    }
    IrCustomType { name: name.to_string(), fields: out, used_as_input: false }
}

/// Marks the custom types that model fields and operation arguments use, directly or
/// nested: they need an input type.
pub(crate) fn mark_input_types(models: &[IrModel], operations: &[IrOperation], custom_types: &mut [IrCustomType]) {
    let mut pending: Vec<String> = Vec::new();
    let fields =
        models.iter().flat_map(|m| m.stored_fields()).chain(operations.iter().flat_map(|o| o.arguments.iter()));
    for f in fields {
        if let TypeRef::CustomType(n) = &f.ty {
            pending.push(n.clone());
        }
    }
    let mut seen = HashSet::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(c) = custom_types.iter_mut().find(|c| c.name == name) {
            c.used_as_input = true;
            for f in &c.fields {
                if let TypeRef::CustomType(n) = &f.ty {
                    pending.push(n.clone());
                }
            }
        }
    }
}
