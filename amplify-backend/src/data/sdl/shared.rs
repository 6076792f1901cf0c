//! Inputs and enums every model API shares: scalar filters (`ModelStringInput`, ...),
//! subscription filters, key conditions and sort direction.

use super::writer::block;
use crate::data::ir::{IrField, TypeRef};
use crate::data::schema::field::Scalar;

/// The GraphQL scalar a filter on `scalar` compares: `ID`, `Int`, `Float`, `Boolean`
/// or `String` (AWS scalars filter as strings, `AWSTimestamp` as an integer).
pub(crate) fn filter_scalar(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Id => "ID",
        Scalar::Integer | Scalar::Timestamp => "Int",
        Scalar::Float => "Float",
        Scalar::Boolean => "Boolean",
        _ => "String",
    }
}

/// The filter input for a stored field, if it can be filtered on.
pub(crate) fn filter_input(field: &IrField) -> Option<String> {
    match &field.ty {
        TypeRef::Scalar(s) => Some(format!("Model{}Input", filter_scalar(*s))),
        TypeRef::Enum(e) if field.array => Some(format!("Model{e}ListInput")),
        TypeRef::Enum(e) => Some(format!("Model{e}Input")),
        _ => None,
    }
}

/// The subscription filter input for a stored field, if it can be filtered on.
pub(crate) fn subscription_filter_input(field: &IrField) -> Option<String> {
    match &field.ty {
        TypeRef::Scalar(s) => Some(format!("ModelSubscription{}Input", filter_scalar(*s))),
        TypeRef::Enum(_) => Some("ModelSubscriptionStringInput".to_string()),
        _ => None,
    }
}

/// The key condition input for a sort key field.
pub(crate) fn key_condition_input(field: &IrField) -> String {
    match &field.ty {
        TypeRef::Scalar(s) => format!("Model{}KeyConditionInput", filter_scalar(*s)),
        _ => "ModelStringKeyConditionInput".to_string(),
    }
}

fn comparisons(t: &str) -> Vec<String> {
    ["ne", "eq", "le", "lt", "ge", "gt"].iter().map(|op| format!("{op}: {t}")).collect()
}

/// Writes the shared inputs and enums.
pub(crate) fn write(out: &mut String) {
    let attr = ["attributeExists: Boolean".to_string(), "attributeType: ModelAttributeTypes".to_string()];
    // Amplify's order: String, Int, Float, Boolean, ID.
    for t in ["String", "Int", "Float", "Boolean", "ID"] {
        let mut lines =
            if t == "Boolean" { vec!["ne: Boolean".to_string(), "eq: Boolean".to_string()] } else { comparisons(t) };
        if t == "String" || t == "ID" {
            lines.extend([format!("contains: {t}"), format!("notContains: {t}")]);
        }
        if t != "Boolean" {
            lines.push(format!("between: [{t}]"));
        }
        if t == "String" || t == "ID" {
            lines.push(format!("beginsWith: {t}"));
        }
        lines.extend(attr.iter().cloned());
        if t == "String" || t == "ID" {
            lines.push("size: ModelSizeInput".to_string());
        }
        block(out, "input", &format!("Model{t}Input"), "", lines);
    }

    for t in ["String", "Int", "Float", "Boolean", "ID"] {
        let mut lines =
            if t == "Boolean" { vec!["ne: Boolean".to_string(), "eq: Boolean".to_string()] } else { comparisons(t) };
        if t == "String" || t == "ID" {
            lines.extend([format!("contains: {t}"), format!("notContains: {t}")]);
        }
        if t != "Boolean" {
            lines.push(format!("between: [{t}]"));
        }
        if t == "String" || t == "ID" {
            lines.push(format!("beginsWith: {t}"));
        }
        if t != "Boolean" {
            lines.extend([format!("in: [{t}]"), format!("notIn: [{t}]")]);
        }
        block(out, "input", &format!("ModelSubscription{t}Input"), "", lines);
    }

    block(
        out,
        "enum",
        "ModelAttributeTypes",
        "",
        ["binary", "binarySet", "bool", "list", "map", "number", "numberSet", "string", "stringSet", "_null"],
    );
    let mut size = comparisons("Int");
    size.push("between: [Int]".to_string());
    block(out, "input", "ModelSizeInput", "", size);
    block(out, "enum", "ModelSortDirection", "", ["ASC", "DESC"]);
}

/// Writes the key condition input for scalar `t` (`String`, `ID`, `Int`, `Float`).
pub(crate) fn write_key_condition(out: &mut String, t: &str) {
    let mut lines: Vec<String> = ["eq", "le", "lt", "ge", "gt"].iter().map(|op| format!("{op}: {t}")).collect();
    lines.push(format!("between: [{t}]"));
    if t == "String" || t == "ID" {
        lines.push(format!("beginsWith: {t}"));
    }
    block(out, "input", &format!("Model{t}KeyConditionInput"), "", lines);
}
