//! A model's inputs: filter, condition, create, update, delete, subscription filter
//! and composite key inputs.

use super::shared::{filter_input, key_condition_input, subscription_filter_input};
use super::writer::block;
use crate::data::ir::{FieldOrigin, Ir, IrField, IrModel, TypeRef};
use crate::data::naming::{capitalize, composite_key_argument};

/// The type of a field in a create or update input: custom types become their input.
fn input_type(ir: &Ir, field: &IrField, required: bool) -> String {
    let name = match &field.ty {
        TypeRef::CustomType(c) => ir.custom_type(c).map(|c| c.input_name()).unwrap_or_else(|| format!("{c}Input")),
        other => other.graphql_name().to_string(),
    };
    // An optional input drops only the outer `!`: list elements keep theirs.
    let element_required = if field.array { field.required } else { required && field.required };
    crate::data::ir::type_expression(&name, element_required, field.array, required && field.array_required)
}

/// Declared stored fields (what inputs carry).
fn declared(model: &IrModel) -> impl Iterator<Item = &IrField> {
    model.stored_fields().filter(|f| f.origin == FieldOrigin::Declared)
}

pub(crate) fn write(out: &mut String, ir: &Ir, model: &IrModel) {
    let n = &model.names;
    let implicit = |origin: FieldOrigin| model.fields.iter().filter(move |f| f.origin == origin);

    // Filter: declared, id, timestamps, and/or/not, then auth fields.
    let mut lines: Vec<String> = Vec::new();
    for f in declared(model).chain(implicit(FieldOrigin::Id)).chain(implicit(FieldOrigin::Timestamp)) {
        if let Some(t) = filter_input(f) {
            lines.push(format!("{}: {t}", f.name));
        }
    }
    lines.extend([
        format!("and: [{}]", n.filter_input),
        format!("or: [{}]", n.filter_input),
        format!("not: {}", n.filter_input),
    ]);
    for f in implicit(FieldOrigin::AuthField) {
        lines.push(format!("{}: ModelStringInput", f.name));
    }
    block(out, "input", &n.filter_input, "", lines);

    // Condition: declared non-key fields, and/or/not, timestamps, auth fields.
    let mut lines: Vec<String> = Vec::new();
    for f in declared(model).filter(|f| !model.is_key_field(&f.name)) {
        if let Some(t) = filter_input(f) {
            lines.push(format!("{}: {t}", f.name));
        }
    }
    lines.extend([
        format!("and: [{}]", n.condition_input),
        format!("or: [{}]", n.condition_input),
        format!("not: {}", n.condition_input),
    ]);
    for f in implicit(FieldOrigin::Timestamp) {
        lines.push(format!("{}: ModelStringInput", f.name));
    }
    for f in implicit(FieldOrigin::AuthField) {
        lines.push(format!("{}: ModelStringInput", f.name));
    }
    block(out, "input", &n.condition_input, "", lines);

    // Create: declared fields (required unless defaulted), then an optional id.
    let mut lines: Vec<String> = Vec::new();
    for f in declared(model) {
        // The default `id` is generated when omitted; a defaulted field is filled in.
        let generated_id = f.name == "id" && model.generates_id();
        let required = f.default.is_none() && !generated_id;
        lines.push(format!("{}: {}", f.name, input_type(ir, f, required)));
    }
    for f in implicit(FieldOrigin::Id) {
        lines.push(format!("{}: ID", f.name));
    }
    block(out, "input", &n.create_input, "", lines);

    // Update: every declared field optional, key fields required.
    let mut lines: Vec<String> = Vec::new();
    for f in declared(model) {
        let key = model.is_key_field(&f.name);
        let ty = if key { input_type(ir, f, true) } else { input_type(ir, f, false) };
        lines.push(format!("{}: {ty}", f.name));
    }
    for f in implicit(FieldOrigin::Id) {
        lines.push(format!("{}: ID!", f.name));
    }
    block(out, "input", &n.update_input, "", lines);

    // Delete: the key.
    let lines: Vec<String> = model
        .key
        .fields()
        .iter()
        .filter_map(|k| model.field(k))
        .map(|f| format!("{}: {}!", f.name, f.ty.graphql_name()))
        .collect();
    block(out, "input", &n.delete_input, "", lines);

    // Subscription filter: like the filter, without `not`; auth fields as in Amplify.
    let mut lines: Vec<String> = Vec::new();
    for f in declared(model).chain(implicit(FieldOrigin::Id)).chain(implicit(FieldOrigin::Timestamp)) {
        if let Some(t) = subscription_filter_input(f) {
            lines.push(format!("{}: {t}", f.name));
        }
    }
    lines.extend([format!("and: [{}]", n.subscription_filter_input), format!("or: [{}]", n.subscription_filter_input)]);
    for f in implicit(FieldOrigin::AuthField) {
        lines.push(format!("{}: ModelStringInput", f.name));
    }
    block(out, "input", &n.subscription_filter_input, "", lines);

    // Composite sort keys (primary or index).
    if model.key.sort_keys.len() > 1 {
        write_composite(
            out,
            model,
            &model.key.sort_keys,
            &n.primary_composite_key_condition,
            &n.primary_composite_key_input,
        );
    }
    for ix in model.indexes.iter().filter(|i| i.sort_keys.len() > 1 && i.query_field.is_some()) {
        let (cond, input) = index_composite_names(model, &ix.name);
        write_composite(out, model, &ix.sort_keys, &cond, &input);
    }
}

/// `Model<M><Index>CompositeKeyConditionInput` and `...CompositeKeyInput`.
pub(crate) fn index_composite_names(model: &IrModel, index: &str) -> (String, String) {
    let base = format!("Model{}{}", model.name, capitalize(index));
    (format!("{base}CompositeKeyConditionInput"), format!("{base}CompositeKeyInput"))
}

/// The argument that carries a sort key condition: the field, or the joined names.
pub(crate) fn sort_key_argument(sort_keys: &[String]) -> String {
    if sort_keys.len() == 1 {
        sort_keys[0].clone()
    } else {
        composite_key_argument(sort_keys)
    }
}

/// The type of the sort key condition argument.
pub(crate) fn sort_key_condition(model: &IrModel, sort_keys: &[String], composite_condition: &str) -> String {
    if sort_keys.len() == 1 {
        model.field(&sort_keys[0]).map(key_condition_input).unwrap_or_else(|| "ModelStringKeyConditionInput".into())
    } else {
        composite_condition.to_string()
    }
}

fn write_composite(out: &mut String, model: &IrModel, sort_keys: &[String], condition: &str, input: &str) {
    block(
        out,
        "input",
        condition,
        "",
        [
            format!("eq: {input}"),
            format!("le: {input}"),
            format!("lt: {input}"),
            format!("ge: {input}"),
            format!("gt: {input}"),
            format!("between: [{input}]"),
            format!("beginsWith: {input}"),
        ],
    );
    let lines = sort_keys.iter().filter_map(|k| model.field(k)).map(|f| format!("{}: {}", f.name, f.ty.graphql_name()));
    block(out, "input", input, "", lines);
}
