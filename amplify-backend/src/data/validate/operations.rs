//! Custom queries, mutations and subscriptions: arguments, return types, handlers,
//! subscription sources and rules.

use std::collections::HashSet;

use super::fields::{resolve_field, FieldCx, FieldRole};
use super::handler_code::code_ok;
use super::rules::{normalize, RuleContext, RuleLevel};
use super::ItemKind;
use crate::data::ir::{
    FieldOrigin, IrCustomType, IrDataSource, IrField, IrHandler, IrModel, IrOperation, Rule, TypeRef,
};
use crate::data::naming::capitalize;
use crate::data::schema::custom_operation::{
    CustomOperation, DataSourceRef, Handler, JsCode, ModelMutation, OperationType,
};
use crate::data::schema::field::FieldKind;
use crate::data::schema::field::Scalar;
use crate::data::schema::SchemaItem;

/// The type a last async function handler makes its operation return.
pub(crate) const EVENT_INVOCATION_RESPONSE: &str = "EventInvocationResponse";

/// What operations are checked against.
pub(super) struct OperationCx<'a> {
    pub(super) rules: &'a RuleContext<'a>,
    pub(super) schema_rules: &'a [Rule],
    pub(super) data_sources: &'a [String],
    /// `Type.field` of resolvers added with `add_resolver`: such a query or
    /// mutation needs no handler of its own.
    pub(super) added_resolvers: &'a [String],
}

pub(super) fn resolve(
    fx: &mut FieldCx<'_, '_>,
    cx: &OperationCx<'_>,
    name: &str,
    op: &CustomOperation,
    models: &[IrModel],
) -> Option<IrOperation> {
    let path = format!("{}.{name}", op.op_type.type_name());
    let mut arguments = Vec::new();
    let mut seen = HashSet::new();
    for (arg, field) in &op.arguments {
        if !seen.insert(arg.as_str()) {
            fx.diag.error(
                format!("{path}({arg})"),
                format!("the argument `{arg}` is declared twice."),
                "give each argument its own name.",
            );
            continue;
        }
        if let Some(f) = resolve_field(fx, name, arg, field, FieldRole::Argument) {
            arguments.push(f);
        }
    }

    let rules: Vec<Rule> = if op.rules.is_empty() {
        cx.schema_rules.iter().filter(|r| !r.is_item_level()).cloned().collect()
    } else {
        normalize(&path, &op.rules, RuleLevel::Operation, cx.rules, fx.diag)
    };
    if op.rules.is_empty() && rules.is_empty() {
        fx.diag.error(
            &path,
            "the operation has no authorization rules (owner and group-field rules of the schema do not apply to it).",
            "add `.authorization(|allow| [allow.authenticated()])` or another rule.",
        );
    }

    let mutations = subscription_sources(fx, &path, op, models);
    let source_types = source_returns(fx, &path, op, models);
    // A last async function decides the return type, as in Amplify (whose
    // `.handler(...)` replaces the one `.returns(...)` gave).
    let async_last = matches!(op.handlers.last(), Some(Handler::AsyncFunction(_)));
    let returns = match &op.returns {
        _ if async_last => {
            let ty = TypeRef::CustomType(EVENT_INVOCATION_RESPONSE.to_string());
            Some(IrField::new(name, ty, FieldOrigin::Declared))
        }
        Some(field) => {
            let returns = resolve_field(fx, name, name, field, FieldRole::ReturnType);
            if let (Some(r), Some(s)) = (&returns, source_types.first()) {
                if r.graphql_type() != s.graphql_type() {
                    fx.diag.error(
                        &path,
                        format!(
                            "the subscription returns `{}`, but `{}` returns `{}`; AppSync needs them to match.",
                            r.graphql_type(),
                            s.name,
                            s.graphql_type()
                        ),
                        "remove `.returns(...)` (a subscription returns what it listens to), or make them match.",
                    );
                }
            }
            returns
        }
        None if op.op_type == OperationType::Subscription => source_types.into_iter().next(),
        None => {
            fx.diag.error(
                &path,
                "the operation has no return type.",
                "add `.returns(...)`, for example `.returns(a::string())`.",
            );
            None
        }
    };

    let handlers = resolve_handlers(fx, cx, &path, op, models);
    let returns = returns?;
    Some(IrOperation {
        name: name.to_string(),
        op_type: op.op_type,
        arguments,
        returns: IrField { name: name.to_string(), origin: FieldOrigin::Declared, ..returns },
        handlers,
        rules,
        mutations,
    })
}

fn resolve_handlers(
    fx: &mut FieldCx<'_, '_>,
    cx: &OperationCx<'_>,
    path: &str,
    op: &CustomOperation,
    models: &[IrModel],
) -> Vec<IrHandler> {
    let resolved_elsewhere = cx.added_resolvers.iter().any(|r| r == path);
    if op.handlers.is_empty() && op.op_type != OperationType::Subscription && !resolved_elsewhere {
        fx.diag.error(
            path,
            "the operation has no handler, so nothing would answer it.",
            "add `.handler(a::handler::function(\"name\"))` or `.handler(a::handler::custom(\"path/to/handler.js\"))`, or resolve it with `add_resolver` on `define_data(..)`.",
        );
    }
    let functions =
        op.handlers.iter().filter(|h| matches!(h, Handler::Function(_) | Handler::AsyncFunction(_))).count();
    if functions > 0 && functions < op.handlers.len() {
        fx.diag.error(
            path,
            "the handlers mix functions and custom JS code.",
            "use one kind: several `a::handler::custom(...)` steps, or one function.",
        );
    }
    let mut out = Vec::new();
    for handler in &op.handlers {
        match handler {
            Handler::Function(f) | Handler::AsyncFunction(f) => {
                if let Some(known) = &cx.rules.context.functions {
                    if !known.contains(f) {
                        fx.diag.error(
                            path,
                            format!("the handler function `{f}` is not a function of this backend."),
                            "pass the name of a `define_function` resource of the backend.",
                        );
                    }
                }
                if matches!(handler, Handler::AsyncFunction(_)) {
                    if op.op_type == OperationType::Subscription {
                        fx.diag.error(
                            path,
                            format!("the async handler `{f}` runs a subscription; only queries and mutations invoke functions asynchronously."),
                            "make it a query or mutation, or remove `.async_()`.",
                        );
                    }
                    out.push(IrHandler::AsyncFunction(f.clone()));
                } else {
                    out.push(IrHandler::Function(f.clone()));
                }
            }
            Handler::AsyncNotAFunction => fx.diag.error(
                path,
                "`.async_()` applies to function handlers only.",
                "use it on `a::handler::function(...)`, or remove it.",
            ),
            Handler::Custom { code, data_source } => {
                let code = match code {
                    JsCode::Inline(c) => Some(c.clone()).filter(|c| code_ok(fx.diag, path, "the inline handler", c)),
                    JsCode::File(p) => match std::fs::read_to_string(p) {
                        Ok(c) => Some(c).filter(|c| code_ok(fx.diag, path, &p.display().to_string(), c)),
                        Err(e) => {
                            fx.diag.error(
                                path,
                                format!("cannot read the handler file `{}`: {e}.", p.display()),
                                "fix the path (relative paths are relative to the current directory; `concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/...\")` is stable).",
                            );
                            None
                        }
                    },
                };
                let data_source = match data_source {
                    None => Some(IrDataSource::None),
                    Some(DataSourceRef::Model(m)) if models.iter().any(|x| &x.name == m) => {
                        Some(IrDataSource::Model(m.clone()))
                    }
                    Some(DataSourceRef::Model(m)) => {
                        fx.diag.error(
                            path,
                            format!("the handler's data source `{m}` is not a model."),
                            "name a model of the schema.",
                        );
                        None
                    }
                    Some(DataSourceRef::Named(n)) if cx.data_sources.contains(n) => {
                        Some(IrDataSource::Named(n.clone()))
                    }
                    Some(DataSourceRef::Named(n)) => {
                        fx.diag.error(
                            path,
                            format!("the handler's data source `{n}` has not been added."),
                            "add it with `add_dynamo_db_data_source`, `add_http_data_source`, `add_lambda_data_source`, `add_event_bridge_data_source` or `add_open_search_data_source` on `define_data(..)` (or list it in `DataProps::data_sources`), or fix the name.",
                        );
                        None
                    }
                    Some(DataSourceRef::Invalid) => {
                        fx.diag.error(
                            path,
                            "the handler's data source is neither a model nor a named data source.",
                            "pass `a::ref_(\"Model\")` or the name of an added data source.",
                        );
                        None
                    }
                };
                if let (Some(code), Some(data_source)) = (code, data_source) {
                    out.push(IrHandler::Custom { code, data_source });
                }
            }
        }
    }
    out
}

/// The mutation fields a subscription listens to.
fn subscription_sources(fx: &mut FieldCx<'_, '_>, path: &str, op: &CustomOperation, models: &[IrModel]) -> Vec<String> {
    if op.op_type != OperationType::Subscription {
        if !op.sources.is_empty() {
            fx.diag.error(path, "`.for_(...)` applies to custom subscriptions only.", "remove `.for_(...)`.");
        }
        return Vec::new();
    }
    if op.sources.is_empty() {
        fx.diag.error(
            path,
            "the subscription listens to nothing.",
            "add `.for_(a::ref_(\"customMutation\"))` or `.for_(SubscriptionSource::model(\"Model\", [ModelMutation::Create]))`.",
        );
    }
    let mut out = Vec::new();
    for source in &op.sources {
        let Some(target) = &source.target else {
            fx.diag.error(
                path,
                "`.for_(...)` was given something other than a mutation or a model.",
                "pass `a::ref_(\"customMutation\")` or `SubscriptionSource::model(...)`.",
            );
            continue;
        };
        if let Some(model) = models.iter().find(|m| &m.name == target) {
            if source.mutations.is_empty() {
                fx.diag.error(
                    path,
                    format!("`.for_(...)` names the model `{target}` without its mutations."),
                    format!("use `SubscriptionSource::model(\"{target}\", [ModelMutation::Create])`."),
                );
            }
            for m in &source.mutations {
                let (enabled, field) = match m {
                    ModelMutation::Create => (model.ops.create, &model.names.create),
                    ModelMutation::Update => (model.ops.update, &model.names.update),
                    ModelMutation::Delete => (model.ops.delete, &model.names.delete),
                };
                if !enabled {
                    fx.diag.error(
                        path,
                        format!("the subscription listens to `{field}`, which `{target}` disables."),
                        "enable the mutation, or listen to another one.",
                    );
                }
                out.push(field.clone());
            }
            continue;
        }
        match fx.catalog.kind(target) {
            Some(ItemKind::Operation(OperationType::Mutation)) => {
                if !source.mutations.is_empty() {
                    fx.diag.error(
                        path,
                        format!("`{target}` is a custom mutation; model mutations apply to models only."),
                        format!("use `.for_(a::ref_(\"{target}\"))`."),
                    );
                }
                out.push(target.clone());
            }
            _ => fx.diag.error(
                path,
                format!("`.for_(...)` names `{target}`, which is neither a model nor a custom mutation."),
                "name a model (with its mutations) or a custom mutation.",
            ),
        }
    }
    out
}

/// What each source of a subscription returns (a model's mutations return the
/// model), in order; they must agree, since AppSync delivers each mutation's
/// result as the subscription's. A subscription without `.returns(...)` returns
/// this type.
fn source_returns(fx: &mut FieldCx<'_, '_>, path: &str, op: &CustomOperation, models: &[IrModel]) -> Vec<IrField> {
    if op.op_type != OperationType::Subscription {
        return Vec::new();
    }
    let types: Vec<IrField> =
        op.sources.iter().filter_map(|s| s.target.as_ref()).filter_map(|t| source_return(fx, t, models)).collect();
    if let Some(first) = types.first() {
        for other in types.iter().skip(1).filter(|t| t.graphql_type() != first.graphql_type()) {
            fx.diag.error(
                path,
                format!(
                    "the subscription listens to `{}`, which returns `{}`, and to `{}`, which returns `{}`.",
                    first.name,
                    first.graphql_type(),
                    other.name,
                    other.graphql_type()
                ),
                "listen only to mutations that return the same type (use one subscription per type).",
            );
        }
    }
    types
}

/// What the mutation(s) named `target` return: a model's own, or a custom mutation's.
fn source_return(fx: &mut FieldCx<'_, '_>, target: &str, models: &[IrModel]) -> Option<IrField> {
    if models.iter().any(|m| m.name == target) {
        return Some(IrField::new(target, TypeRef::Model(target.to_string()), FieldOrigin::Declared));
    }
    let Some(SchemaItem::Operation(mutation)) = fx.catalog.item(target) else { return None };
    let returns = mutation.returns.as_ref()?;
    let ty = match &returns.kind {
        // Already hoisted by the mutation itself.
        FieldKind::InlineCustomType(_) => TypeRef::CustomType(format!("{}ReturnType", capitalize(target))),
        FieldKind::InlineEnum(_) => TypeRef::Enum(format!("{}ReturnType", capitalize(target))),
        FieldKind::Scalar(s) => TypeRef::Scalar(*s),
        FieldKind::Ref(r) => match fx.catalog.kind(r) {
            Some(ItemKind::Model) => TypeRef::Model(r.clone()),
            Some(ItemKind::Enum) => TypeRef::Enum(r.clone()),
            _ => TypeRef::CustomType(r.clone()),
        },
        FieldKind::Relationship(_) => return None,
    };
    let mut f = IrField::new(target, ty, FieldOrigin::Declared);
    f.required = returns.required;
    f.array = returns.array;
    f.array_required = returns.array_required;
    Some(f)
}

/// `EventInvocationResponse { success: Boolean! }`, added when an operation's last
/// handler is an async function (as Amplify adds it). A declared type of that name
/// must have that shape.
pub(super) fn add_event_invocation_response(
    operations: &[IrOperation],
    custom_types: &mut Vec<IrCustomType>,
    diag: &mut super::Diagnostics,
) {
    let used = operations.iter().any(|o| matches!(o.handlers.last(), Some(IrHandler::AsyncFunction(_))));
    if !used {
        return;
    }
    let mut success = IrField::new("success", TypeRef::Scalar(Scalar::Boolean), FieldOrigin::Declared);
    success.required = true;
    let shape =
        IrCustomType { name: EVENT_INVOCATION_RESPONSE.to_string(), fields: vec![success], used_as_input: false };
    match custom_types.iter().find(|c| c.name == EVENT_INVOCATION_RESPONSE) {
        Some(declared) if declared.fields == shape.fields => {}
        Some(_) => diag.error(
            EVENT_INVOCATION_RESPONSE,
            "async function handlers return `EventInvocationResponse { success: Boolean! }`, but the schema declares another type of that name.",
            "rename the declared type, or declare it as `a::custom_type([(\"success\", a::boolean().required())])`.",
        ),
        None => custom_types.push(shape),
    }
}
