//! Custom types (and their input mirrors), enums (and their filter inputs).

use std::collections::BTreeSet;

use super::directives::{custom_type_modes, render};
use super::shared::write_key_condition;
use super::writer::block;
use crate::data::ir::{type_expression, Ir, TypeRef};

pub(crate) fn write_types(out: &mut String, ir: &Ir) {
    let modes = custom_type_modes(ir);
    for c in &ir.custom_types {
        let dirs = modes.get(&c.name).map(render).unwrap_or_default();
        block(out, "type", &c.name, &dirs, c.fields.iter().map(|f| format!("{}: {}", f.name, f.graphql_type())));
    }
    for e in &ir.enums {
        block(out, "enum", &e.name, "", &e.values);
    }
}

pub(crate) fn write_inputs(out: &mut String, ir: &Ir) {
    for c in ir.custom_types.iter().filter(|c| c.used_as_input) {
        let lines = c.fields.iter().map(|f| {
            let ty = match &f.ty {
                TypeRef::CustomType(n) => type_expression(&format!("{n}Input"), f.required, f.array, f.array_required),
                _ => f.graphql_type(),
            };
            format!("{}: {ty}", f.name)
        });
        block(out, "input", &c.input_name(), "", lines);
    }
    // Enum filters, for enums stored in models (single and list fields).
    let mut single = BTreeSet::new();
    let mut list = BTreeSet::new();
    for f in ir.models.iter().flat_map(|m| m.stored_fields()) {
        if let TypeRef::Enum(e) = &f.ty {
            if f.array {
                list.insert(e.as_str());
            } else {
                single.insert(e.as_str());
            }
        }
    }
    for e in &ir.enums {
        if single.contains(e.name.as_str()) {
            block(
                out,
                "input",
                &format!("Model{}Input", e.name),
                "",
                [format!("eq: {}", e.name), format!("ne: {}", e.name)],
            );
        }
        if list.contains(e.name.as_str()) {
            block(
                out,
                "input",
                &format!("Model{}ListInput", e.name),
                "",
                [
                    format!("eq: [{}]", e.name),
                    format!("ne: [{}]", e.name),
                    format!("contains: {}", e.name),
                    format!("notContains: {}", e.name),
                ],
            );
        }
    }
    // Key conditions used by sort keys.
    let mut used = BTreeSet::new();
    for m in &ir.models {
        let single_sort_keys = std::iter::once(&m.key.sort_keys)
            .filter(|_| m.key.custom)
            .chain(m.indexes.iter().filter(|i| i.query_field.is_some()).map(|i| &i.sort_keys))
            .filter(|sk| sk.len() == 1);
        for sk in single_sort_keys {
            if let Some(f) = m.field(&sk[0]) {
                used.insert(super::shared::key_condition_input(f));
            }
        }
    }
    for t in ["String", "ID", "Int", "Float"] {
        if used.contains(&format!("Model{t}KeyConditionInput")) {
            write_key_condition(out, t);
        }
    }
}
