//! Custom queries, mutations and subscriptions: their data sources (the
//! backend's Lambda functions, and those added by name), their functions and
//! resolvers.
//!
//! Each operation's resolver (and its own handler steps) goes in the
//! `Operations` shard of its name; each Lambda handler's data source, role and
//! invoking function in the `LambdaSources` shard of the data source's name.
//! So the data stack holds none of them, and a backend with hundreds of
//! Lambda-backed operations spreads them over 32 templates, each far within
//! CloudFormation's limits; the data stack takes one parameter per function.

use cfn_types::appsync::data_source::{CfnDataSourceProps, LambdaConfigProperty, Type};
use cfn_types::appsync::{CfnDataSource, CfnFunctionConfiguration, CfnResolver};
use cfn_types::iam::CfnRole;
use constructs::{Construct, Value};
use indexmap::IndexMap;

use super::api::ApiResources;
use super::appsync;
use super::model::ModelResources;
use super::roles::appsync_role;
use super::shards::{Family, Shards};
use crate::data::resolvers::{DataSourceKind, Placement, ResolverPlan, AUTH_FUNCTION};
use crate::data::sources::DataSourceDefinition;
use crate::iam::PolicyStatement;
use crate::Backend;

/// The resources of custom operations.
#[derive(Clone, Debug, Default)]
pub struct OperationResources {
    /// Resolvers, by `Type.field`.
    pub resolvers: IndexMap<String, CfnResolver>,
    /// Functions (Lambda invokes and custom handler steps), by name.
    pub functions: IndexMap<String, CfnFunctionConfiguration>,
    /// Data sources for Lambda handlers and named data sources, by name.
    pub data_sources: IndexMap<String, CfnDataSource>,
    /// Their roles, by data source name.
    pub roles: IndexMap<String, CfnRole>,
}

/// The data source of Lambda handler `function` (`SayHelloLambdaDataSource`).
fn lambda_data_source_name(function: &str) -> String {
    format!(
        "{}LambdaDataSource",
        super::named_sources::data_source_id(&crate::data::naming::capitalize(&camel(function)))
    )
}

/// `say-hello` -> `sayHello`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// Builds the data sources of Lambda handlers, each in its shard, and named
/// data sources in `scope`.
fn data_sources(
    scope: &Construct,
    backend: &Backend,
    shards: &Shards,
    api: &ApiResources,
    plan: &ResolverPlan,
    named: &[DataSourceDefinition],
    out: &mut OperationResources,
) {
    let api_id = api.graphql_api.attr_api_id();
    for f in &plan.functions {
        let DataSourceKind::Lambda(function) = &f.data_source else { continue };
        let name = lambda_data_source_name(function);
        if out.data_sources.contains_key(&name) {
            continue;
        }
        let Some(lambda) = super::backend_link::lambda(backend, function) else { continue };
        let stack = shards.stack(Family::LambdaSources, &name);
        let arn = lambda.arn();
        let versions = Value::concat([arn.clone(), ":*".into()]);
        let role = appsync_role(
            &stack,
            &format!("{name}Role"),
            api.graphql_api.attr_arn(),
            &[PolicyStatement::allow(["lambda:InvokeFunction"], [arn.clone(), versions])],
        );
        let ds = CfnDataSource::new(
            &stack,
            &name,
            CfnDataSourceProps {
                api_id: api_id.clone().into(),
                name: name.as_str().into(),
                r#type: Type::AwsLambda.into(),
                lambda_config: Some(LambdaConfigProperty { lambda_function_arn: arn.into() }.into()),
                service_role_arn: Some(role.attr_arn().into()),
                ..Default::default()
            },
        );
        out.roles.insert(name.clone(), role);
        out.data_sources.insert(name, ds);
    }
    for d in named {
        let (ds, role) = super::named_sources::build(scope, api, d);
        if let Some(role) = role {
            out.roles.insert(d.name().to_string(), role);
        }
        out.data_sources.insert(d.name().to_string(), ds);
    }
}

/// Builds the custom operations.
pub fn build(
    scope: &Construct,
    backend: &Backend,
    shards: &Shards,
    api: &ApiResources,
    plan: &ResolverPlan,
    models: &IndexMap<String, ModelResources>,
    named: &[DataSourceDefinition],
) -> OperationResources {
    let mut out = OperationResources::default();
    data_sources(scope, backend, shards, api, plan, named, &mut out);
    let api_id = api.graphql_api.attr_api_id();
    let none = || api.none_data_source.get_att("Name");
    for r in &plan.resolvers {
        let Placement::Operation(op) = &r.placement else { continue };
        let stack = shards.stack(Family::Operations, op);
        let mut ids = Vec::new();
        for name in &r.pipeline {
            if name == AUTH_FUNCTION {
                ids.push(api.auth_function.attr_function_id());
                continue;
            }
            if let Some(existing) = out.functions.get(name) {
                ids.push(existing.attr_function_id());
                continue;
            }
            let Some(spec) = plan.function(name) else { continue };
            let data_source = match &spec.data_source {
                DataSourceKind::None => Some(none()),
                DataSourceKind::Table(m) => models.get(m).map(|model| model.data_source.get_att("Name")),
                DataSourceKind::Named(n) => out.data_sources.get(n).map(|ds| ds.get_att("Name")),
                DataSourceKind::Lambda(f) => {
                    out.data_sources.get(&lambda_data_source_name(f)).map(|ds| ds.get_att("Name"))
                }
            };
            let Some(data_source) = data_source else { continue };
            // Lambda invokes are shared by operations, so they live with their data
            // source; custom handler steps belong to their operation.
            let function = match &spec.data_source {
                DataSourceKind::Lambda(f) => {
                    let home = shards.stack(Family::LambdaSources, &lambda_data_source_name(f));
                    appsync::function(&home, api_id.clone(), spec, data_source)
                }
                _ => appsync::function(&stack, api_id.clone(), spec, data_source),
            };
            ids.push(function.attr_function_id());
            out.functions.insert(name.clone(), function);
        }
        out.resolvers
            .insert(format!("{}.{}", r.type_name, r.field_name), appsync::resolver(&stack, api_id.clone(), r, ids));
    }
    out
}
