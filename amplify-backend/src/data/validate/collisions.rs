//! Generated names must not collide with declared ones or with each other: type names
//! (`CreateChatInput`, hoisted `PostStatus`, ...) and root fields (`listChats`, index
//! query fields, custom operations).

use std::collections::HashMap;

use super::Diagnostics;
use crate::data::ir::Ir;
use crate::data::schema::custom_operation::OperationType;

fn claim(seen: &mut HashMap<String, String>, diag: &mut Diagnostics, name: &str, origin: String, what: &str) {
    claim_at(seen, diag, name, name, origin, what);
}

fn claim_at(
    seen: &mut HashMap<String, String>,
    diag: &mut Diagnostics,
    path: &str,
    name: &str,
    origin: String,
    what: &str,
) {
    match seen.get(name) {
        Some(first) => diag.error(
            path,
            format!("the {what} `{name}` comes from {first} and also from {origin}."),
            "rename one of them (models generate `Model<Name>Connection`, `Create<Name>Input`, `list<Names>`, ...).",
        ),
        None => {
            seen.insert(name.to_string(), origin);
        }
    }
}

/// DynamoDB's limit of global secondary indexes per table.
const MAX_INDEXES: usize = 20;

pub(super) fn check(ir: &Ir, diag: &mut Diagnostics) {
    for m in &ir.models {
        if m.indexes.len() > MAX_INDEXES {
            diag.error(
                &m.name,
                format!(
                    "`{}` needs {} global secondary indexes ({} declared, the rest for has_many/has_one fields pointing at it); DynamoDB allows {MAX_INDEXES} per table.",
                    m.name,
                    m.indexes.len(),
                    m.indexes.iter().filter(|i| !i.for_relationship).count()
                ),
                "remove secondary indexes, or point fewer relationships at this model.",
            );
        }
    }
    let mut types = HashMap::new();
    for m in &ir.models {
        claim(&mut types, diag, &m.name, format!("the model `{}`", m.name), "type name");
    }
    for e in &ir.enums {
        claim(&mut types, diag, &e.name, format!("the enum `{}`", e.name), "type name");
    }
    for c in &ir.custom_types {
        claim(&mut types, diag, &c.name, format!("the custom type `{}`", c.name), "type name");
    }
    for m in &ir.models {
        let n = &m.names;
        let origin = || format!("the model `{}`", m.name);
        for generated in [&n.connection, &n.filter_input, &n.condition_input, &n.subscription_filter_input] {
            claim(&mut types, diag, generated, origin(), "type name");
        }
        for generated in [&n.create_input, &n.update_input, &n.delete_input] {
            claim(&mut types, diag, generated, origin(), "type name");
        }
    }
    for c in ir.custom_types.iter().filter(|c| c.used_as_input) {
        claim(&mut types, diag, &c.input_name(), format!("the custom type `{}`", c.name), "type name");
    }
    for e in &ir.enums {
        claim(&mut types, diag, &format!("Model{}Input", e.name), format!("the enum `{}`", e.name), "type name");
    }

    let mut roots: HashMap<OperationType, HashMap<String, String>> = HashMap::new();
    for m in &ir.models {
        let origin = || format!("the model `{}`", m.name);
        let n = &m.names;
        let q = roots.entry(OperationType::Query).or_default();
        if m.ops.get {
            claim_at(q, diag, &format!("Query.{}", n.get), &n.get, origin(), "query");
        }
        if m.ops.list {
            claim_at(q, diag, &format!("Query.{}", n.list), &n.list, origin(), "query");
            for ix in &m.indexes {
                if let Some(field) = &ix.query_field {
                    claim_at(
                        q,
                        diag,
                        &format!("Query.{field}"),
                        field,
                        format!("the index `{}` of `{}`", ix.name, m.name),
                        "query",
                    );
                }
            }
        }
        let mu = roots.entry(OperationType::Mutation).or_default();
        for (on, name) in [(m.ops.create, &n.create), (m.ops.update, &n.update), (m.ops.delete, &n.delete)] {
            if on {
                claim_at(mu, diag, &format!("Mutation.{name}"), name, origin(), "mutation");
            }
        }
        let s = roots.entry(OperationType::Subscription).or_default();
        for (on, name) in
            [(m.ops.on_create, &n.on_create), (m.ops.on_update, &n.on_update), (m.ops.on_delete, &n.on_delete)]
        {
            if on {
                claim_at(s, diag, &format!("Subscription.{name}"), name, origin(), "subscription");
            }
        }
    }
    for op in &ir.operations {
        let what = match op.op_type {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        };
        let path = format!("{}.{}", op.op_type.type_name(), op.name);
        claim_at(
            roots.entry(op.op_type).or_default(),
            diag,
            &path,
            &op.name,
            format!("the custom {what} `{}`", op.name),
            what,
        );
    }
    let queries = roots.get(&OperationType::Query).is_some_and(|q| !q.is_empty());
    if !queries && diag.errors.is_empty() {
        diag.error(
            "schema",
            "the API would have no queries, and GraphQL requires at least one.",
            "add a model (with its queries enabled) or a custom query.",
        );
    }
}
