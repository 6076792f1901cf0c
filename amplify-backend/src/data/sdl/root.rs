//! `Query`, `Mutation` and `Subscription`: the models' generated operations, then the
//! custom operations.

use super::directives::{model_modes, operation_directives, render};
use super::model_inputs::{index_composite_names, sort_key_argument, sort_key_condition};
use super::writer::{arg, block, field_line};
use crate::data::ir::{type_expression, Ir, IrField, IrModel, RuleKind, TypeRef};
use crate::data::schema::custom_operation::OperationType;

fn key_args(model: &IrModel) -> Vec<(String, String)> {
    model
        .key
        .fields()
        .iter()
        .filter_map(|k| model.field(k))
        .map(|f| arg(&f.name, format!("{}!", f.ty.graphql_name())))
        .collect()
}

fn list_line(model: &IrModel, dirs: &str) -> String {
    let n = &model.names;
    let mut args = Vec::new();
    if model.key.custom {
        if let Some(pk) = model.field(&model.key.partition_key) {
            args.push(arg(&pk.name, pk.ty.graphql_name()));
        }
        if !model.key.sort_keys.is_empty() {
            let cond = sort_key_condition(model, &model.key.sort_keys, &n.primary_composite_key_condition);
            args.push(arg(&sort_key_argument(&model.key.sort_keys), cond));
        }
    }
    args.extend([arg("filter", n.filter_input.clone()), arg("limit", "Int"), arg("nextToken", "String")]);
    if model.key.custom {
        args.push(arg("sortDirection", "ModelSortDirection"));
    }
    field_line(&n.list, &args, &n.connection, dirs)
}

fn query_lines(model: &IrModel) -> Vec<String> {
    let dirs = render(&model_modes(model));
    let n = &model.names;
    let mut lines = Vec::new();
    if model.ops.get {
        lines.push(field_line(&n.get, &key_args(model), &model.name, &dirs));
    }
    if model.ops.list {
        lines.push(list_line(model, &dirs));
        for ix in &model.indexes {
            let Some(query_field) = &ix.query_field else { continue };
            let mut args = Vec::new();
            if let Some(pk) = model.field(&ix.partition_key) {
                args.push(arg(&pk.name, format!("{}!", pk.ty.graphql_name())));
            }
            if !ix.sort_keys.is_empty() {
                let (composite, _) = index_composite_names(model, &ix.name);
                args.push(arg(&sort_key_argument(&ix.sort_keys), sort_key_condition(model, &ix.sort_keys, &composite)));
            }
            args.extend([
                arg("sortDirection", "ModelSortDirection"),
                arg("filter", n.filter_input.clone()),
                arg("limit", "Int"),
                arg("nextToken", "String"),
            ]);
            lines.push(field_line(query_field, &args, &n.connection, &dirs));
        }
    }
    lines
}

fn mutation_lines(model: &IrModel) -> Vec<String> {
    let dirs = render(&model_modes(model));
    let n = &model.names;
    let mut lines = Vec::new();
    for (on, name, input) in [
        (model.ops.create, &n.create, &n.create_input),
        (model.ops.update, &n.update, &n.update_input),
        (model.ops.delete, &n.delete, &n.delete_input),
    ] {
        if on {
            let args = [arg("input", format!("{input}!")), arg("condition", n.condition_input.clone())];
            lines.push(field_line(name, &args, &model.name, &dirs));
        }
    }
    lines
}

/// The owner fields subscriptions can be narrowed by (`owner: String`).
pub fn owner_arguments(model: &IrModel) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &model.rules {
        if let RuleKind::Owner { field, .. } = &r.kind {
            if !out.contains(field) {
                out.push(field.clone());
            }
        }
    }
    out
}

fn subscription_lines(model: &IrModel) -> Vec<String> {
    let dirs = render(&model_modes(model));
    let n = &model.names;
    let mut lines = Vec::new();
    for (on, name, mutation) in [
        (model.ops.on_create, &n.on_create, &n.create),
        (model.ops.on_update, &n.on_update, &n.update),
        (model.ops.on_delete, &n.on_delete, &n.delete),
    ] {
        if on {
            let mut args = vec![arg("filter", n.subscription_filter_input.clone())];
            for o in owner_arguments(model) {
                args.push(arg(&o, "String"));
            }
            let directives = format!("@aws_subscribe(mutations: [\"{mutation}\"]) {dirs}");
            lines.push(field_line(name, &args, &model.name, &directives));
        }
    }
    lines
}

/// An argument's type: custom types become their input type.
fn argument_type(ir: &Ir, f: &IrField) -> String {
    match &f.ty {
        TypeRef::CustomType(c) => {
            let name = ir.custom_type(c).map(|c| c.input_name()).unwrap_or_else(|| format!("{c}Input"));
            type_expression(&name, f.required, f.array, f.array_required)
        }
        _ => f.graphql_type(),
    }
}

fn custom_lines(ir: &Ir, op_type: OperationType) -> Vec<String> {
    ir.operations
        .iter()
        .filter(|o| o.op_type == op_type)
        .map(|op| {
            let args: Vec<_> = op.arguments.iter().map(|a| arg(&a.name, argument_type(ir, a))).collect();
            let mut dirs = String::new();
            if op_type == OperationType::Subscription {
                let list: Vec<String> = op.mutations.iter().map(|m| format!("\"{m}\"")).collect();
                dirs.push_str(&format!("@aws_subscribe(mutations: [{}]) ", list.join(", ")));
            }
            dirs.push_str(&operation_directives(ir, op));
            field_line(&op.name, &args, &op.returns.graphql_type(), dirs.trim_end())
        })
        .collect()
}

pub(crate) fn write(out: &mut String, ir: &Ir) {
    let mut queries: Vec<String> = ir.models.iter().flat_map(query_lines).collect();
    queries.extend(custom_lines(ir, OperationType::Query));
    block(out, "type", "Query", "", queries);

    let mut mutations: Vec<String> = ir.models.iter().flat_map(mutation_lines).collect();
    mutations.extend(custom_lines(ir, OperationType::Mutation));
    if !mutations.is_empty() {
        block(out, "type", "Mutation", "", mutations);
    }

    let mut subscriptions: Vec<String> = ir.models.iter().flat_map(subscription_lines).collect();
    subscriptions.extend(custom_lines(ir, OperationType::Subscription));
    if !subscriptions.is_empty() {
        block(out, "type", "Subscription", "", subscriptions);
    }
}
