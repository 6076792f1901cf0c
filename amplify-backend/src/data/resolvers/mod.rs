//! APPSYNC_JS resolvers. Every generated operation and relationship field gets a
//! pipeline resolver: a small generated resolver holding the operation's
//! configuration, the API's auth function, then the function that does the work (the
//! model's table function, a Lambda invoke, or custom handler code).
//!
//! Owner fields (`sub::username` by default) read as usernames, as Amplify's owner
//! field resolver reads them: a field with rules of its own does it in its pipeline
//! resolver's response, any other owner field gets a UNIT resolver on the `NONE` data
//! source. Auth checks keep comparing the stored value.
//!
//! The functions' code is the same for every model (`js/*.js`); only the resolvers'
//! configuration differs, which keeps templates small: a model costs one function
//! plus a few hundred bytes per resolver.

mod code;
mod config;

use std::borrow::Cow;

use config::ModelOp;

use super::ir::{Ir, IrDataSource, IrHandler, IrModel, Rule};
use super::schema::custom_operation::OperationType;

/// The name of the auth function.
pub const AUTH_FUNCTION: &str = "AuthFunction";

/// Where a pipeline function runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSourceKind {
    /// The `NONE` data source (local computation).
    None,
    /// A model's DynamoDB table.
    Table(String),
    /// A Lambda function, by its `define_function` name.
    Lambda(String),
    /// A data source added by name.
    Named(String),
}

/// An AppSync function (`AWS::AppSync::FunctionConfiguration`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineFunction {
    /// Its name, unique in the API.
    pub name: String,
    /// Its data source.
    pub data_source: DataSourceKind,
    /// Its APPSYNC_JS code. Borrowed when it is the same for every function of its
    /// kind (the model function), so a 1,000-model plan holds it once.
    pub code: Cow<'static, str>,
}

/// Which stack a resolver belongs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// With the table it reads: a model's operations, subscriptions and field
    /// rules, and relationship fields that resolve to the model (`Chat.messages`
    /// lives with `Message`), so that no model's stack refers to another's.
    Model(String),
    /// A custom operation, by name.
    Operation(String),
}

/// A pipeline resolver (`AWS::AppSync::Resolver`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolverSpec {
    /// The type (`Query`, `Chat`, ...).
    pub type_name: String,
    /// The field.
    pub field_name: String,
    /// Which stack it belongs in.
    pub placement: Placement,
    /// The functions it runs, by name, in order (empty for a UNIT resolver).
    pub pipeline: Vec<String>,
    /// `Some`: a UNIT resolver on this data source; `None`: a pipeline resolver.
    pub data_source: Option<DataSourceKind>,
    /// Its APPSYNC_JS code (holds the operation's configuration).
    pub code: String,
}

/// Every function and resolver of an API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolverPlan {
    /// The functions: the auth function, one per model table, one per Lambda
    /// handler and one per custom handler step.
    pub functions: Vec<PipelineFunction>,
    /// The resolvers.
    pub resolvers: Vec<ResolverSpec>,
}

impl ResolverPlan {
    /// The resolver of `type_name.field_name`.
    pub fn resolver(&self, type_name: &str, field_name: &str) -> Option<&ResolverSpec> {
        self.resolvers.iter().find(|r| r.type_name == type_name && r.field_name == field_name)
    }

    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<&PipelineFunction> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// The auth function (NONE data source), first in every pipeline.
pub fn auth_function() -> PipelineFunction {
    PipelineFunction {
        name: AUTH_FUNCTION.to_string(),
        data_source: DataSourceKind::None,
        code: code::auth_function().into(),
    }
}

/// The name of `model`'s table function.
pub fn model_function_name(model: &str) -> String {
    format!("{model}TableFunction")
}

/// The name of the function invoking Lambda `function` (names may hold `-`).
pub fn invoke_function_name(function: &str) -> String {
    let clean: String = function.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("Invoke{}Function", super::naming::capitalize(&clean))
}

/// The name of the function invoking Lambda `function` asynchronously (no
/// `Invoke...` name starts with `Async`, so the two never collide).
pub fn async_invoke_function_name(function: &str) -> String {
    format!("Async{}", invoke_function_name(function))
}

fn resolver(
    type_name: &str,
    field_name: &str,
    placement: Placement,
    pipeline: Vec<String>,
    op: &serde_json::Value,
) -> ResolverSpec {
    ResolverSpec {
        type_name: type_name.to_string(),
        field_name: field_name.to_string(),
        placement,
        pipeline,
        data_source: None,
        code: code::resolver(type_name, field_name, op),
    }
}

/// The UNIT resolver of an owner field without rules of its own.
fn owner_field_resolver(model: &str, field: &str) -> ResolverSpec {
    ResolverSpec {
        type_name: model.to_string(),
        field_name: field.to_string(),
        placement: Placement::Model(model.to_string()),
        pipeline: Vec::new(),
        data_source: Some(DataSourceKind::None),
        code: code::owner_field().to_string(),
    }
}

/// The owner fields of `model` read as usernames: those of its owner rules, and of
/// its fields' owner rules, whose identity claim is `sub::username`.
fn owner_fields(model: &IrModel) -> Vec<&str> {
    let field_rules = model.fields.iter().filter_map(|f| f.rules.as_deref()).flatten();
    let mut out: Vec<&str> = Vec::new();
    for field in model.rules.iter().chain(field_rules).filter_map(Rule::owner_field_read_as_username) {
        if !out.contains(&field) {
            out.push(field);
        }
    }
    out
}

/// Plans every function and resolver of `ir`.
pub fn plan(ir: &Ir) -> ResolverPlan {
    let mut p = ResolverPlan::default();
    p.functions.push(auth_function());
    let auth = || AUTH_FUNCTION.to_string();
    let model_code = code::model_function();
    for m in &ir.models {
        let table = model_function_name(&m.name);
        p.functions.push(PipelineFunction {
            name: table.clone(),
            data_source: DataSourceKind::Table(m.name.clone()),
            code: Cow::Borrowed(model_code),
        });
        let n = &m.names;
        let with_table = || vec![auth(), table.clone()];
        let mine = || Placement::Model(m.name.clone());
        let ops = [
            (m.ops.get, "Query", &n.get, ModelOp::Get),
            (m.ops.list, "Query", &n.list, ModelOp::List),
            (m.ops.create, "Mutation", &n.create, ModelOp::Create),
            (m.ops.update, "Mutation", &n.update, ModelOp::Update),
            (m.ops.delete, "Mutation", &n.delete, ModelOp::Delete),
        ];
        for (on, type_name, field, op) in ops {
            if on {
                p.resolvers.push(resolver(type_name, field, mine(), with_table(), &config::model_op(m, op)));
            }
        }
        if m.ops.list {
            for ix in &m.indexes {
                if let Some(qf) = &ix.query_field {
                    p.resolvers.push(resolver("Query", qf, mine(), with_table(), &config::index_op(m, ix)));
                }
            }
        }
        for (on, field) in
            [(m.ops.on_create, &n.on_create), (m.ops.on_update, &n.on_update), (m.ops.on_delete, &n.on_delete)]
        {
            if on {
                let op = config::model_op(m, ModelOp::Subscribe);
                p.resolvers.push(resolver("Subscription", field, mine(), vec![auth()], &op));
            }
        }
        let owners = owner_fields(m);
        for f in &m.fields {
            let owner = owners.contains(&f.name.as_str());
            match (&f.relation, &f.rules) {
                (Some(rel), _) => {
                    let Some(related) = ir.model(&rel.related) else { continue };
                    let pipeline = vec![auth(), model_function_name(&related.name)];
                    let placement = Placement::Model(related.name.clone());
                    p.resolvers.push(resolver(
                        &m.name,
                        &f.name,
                        placement,
                        pipeline,
                        &config::relation_op(m, related, rel),
                    ));
                }
                (None, Some(rules)) => {
                    let op = config::field_op(m, f, rules, owner);
                    p.resolvers.push(resolver(&m.name, &f.name, mine(), vec![auth()], &op));
                }
                (None, None) if owner => p.resolvers.push(owner_field_resolver(&m.name, &f.name)),
                (None, None) => {}
            }
        }
    }
    for op in &ir.operations {
        // A query or mutation without handlers has its resolver added by
        // `add_resolver` (validation allows nothing else).
        if op.handlers.is_empty() && op.op_type != OperationType::Subscription {
            continue;
        }
        let mut pipeline = vec![auth()];
        for (i, h) in op.handlers.iter().enumerate() {
            match h {
                IrHandler::Function(f) | IrHandler::AsyncFunction(f) => {
                    let sync = matches!(h, IrHandler::Function(_));
                    let name = if sync { invoke_function_name(f) } else { async_invoke_function_name(f) };
                    if p.function(&name).is_none() {
                        let code = if sync { code::invoke_function(f) } else { code::invoke_async_function(f) };
                        p.functions.push(PipelineFunction {
                            name: name.clone(),
                            data_source: DataSourceKind::Lambda(f.clone()),
                            code: code.into(),
                        });
                    }
                    pipeline.push(name);
                }
                IrHandler::Custom { code, data_source } => {
                    let name = format!(
                        "{}{}Step{}Function",
                        op.op_type.type_name(),
                        super::naming::capitalize(&op.name),
                        i + 1
                    );
                    let data_source = match data_source {
                        IrDataSource::None => DataSourceKind::None,
                        IrDataSource::Model(m) => DataSourceKind::Table(m.clone()),
                        IrDataSource::Named(n) => DataSourceKind::Named(n.clone()),
                    };
                    p.functions.push(PipelineFunction { name: name.clone(), data_source, code: code.clone().into() });
                    pipeline.push(name);
                }
            }
        }
        let subscription = op.op_type == OperationType::Subscription;
        let config = config::custom_op(&op.rules, subscription);
        let placement = Placement::Operation(op.name.clone());
        p.resolvers.push(resolver(op.op_type.type_name(), &op.name, placement, pipeline, &config));
    }
    p
}
