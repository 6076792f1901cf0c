//! One model's resources, in its own nested stack: the table, the data source and
//! its role, the table function, and the resolvers of the model's operations.

use cfn_types::appsync::data_source::{CfnDataSourceProps, DynamoDbConfigProperty, Type as DataSourceType};
use cfn_types::appsync::{CfnDataSource, CfnFunctionConfiguration, CfnResolver};
use cfn_types::dynamodb::CfnTable;
use cfn_types::iam::CfnRole;
use constructs::{Aws, Stack, Value};
use indexmap::IndexMap;

use super::api::ApiResources;
use super::appsync;
use super::roles::{appsync_role, table_statement, CUSTOM_HANDLER_TABLE_ACTIONS, TABLE_ACTIONS};
use super::shards::{model_stack, Shards};
use super::table::table;
use crate::data::ir::IrModel;
use crate::data::resolvers::{PipelineFunction, ResolverSpec};

/// The L1 resources of one model.
#[derive(Clone, Debug)]
pub struct ModelResources {
    /// The model's nested stack.
    pub stack: Stack,
    /// `AWS::DynamoDB::Table`.
    pub table: CfnTable,
    /// The role AppSync reads and writes the table with.
    pub role: CfnRole,
    /// `AWS::AppSync::DataSource` for the table (named `<Model>Table`).
    pub data_source: CfnDataSource,
    /// The model function (runs DynamoDB requests for every operation).
    pub function: CfnFunctionConfiguration,
    /// The resolvers reading this table, by `Type.field`: the model's operations,
    /// and relationship fields of other models that resolve to this one.
    pub resolvers: IndexMap<String, CfnResolver>,
}

/// The data source name of `model`'s table, as custom handlers see it.
pub fn data_source_name(model: &str) -> String {
    format!("{model}Table")
}

/// How a model's table is set up beyond its schema.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableSettings {
    /// A custom handler runs on this table, so its role also gets batch and
    /// transaction actions.
    pub custom_access: bool,
    /// The table keeps continuous backups.
    pub point_in_time_recovery: bool,
}

/// Builds `model`'s stack. The model function's code is the same for every table,
/// uploaded once (`code_s3_location`).
pub fn build(
    shards: &Shards,
    api: &ApiResources,
    model: &IrModel,
    spec: &PipelineFunction,
    resolvers: &[&ResolverSpec],
    code_s3_location: &Value,
    settings: TableSettings,
) -> ModelResources {
    let stack = model_stack(shards, &model.name);
    let api_id = api.graphql_api.attr_api_id();
    let table = table(&stack, model, settings.point_in_time_recovery);
    let mut actions: Vec<&str> = TABLE_ACTIONS.to_vec();
    if settings.custom_access {
        actions.extend(CUSTOM_HANDLER_TABLE_ACTIONS);
    }
    let role = appsync_role(
        &stack,
        &format!("{}IAMRole", model.name),
        api.graphql_api.attr_arn(),
        &[table_statement(&actions, table.attr_arn())],
    );
    let data_source = CfnDataSource::new(
        &stack,
        &format!("{}DataSource", model.name),
        CfnDataSourceProps {
            api_id: api_id.clone().into(),
            name: data_source_name(&model.name).into(),
            r#type: DataSourceType::AmazonDynamodb.into(),
            dynamo_db_config: Some(
                DynamoDbConfigProperty {
                    table_name: table.ref_().into(),
                    aws_region: Aws::region().into(),
                    ..Default::default()
                }
                .into(),
            ),
            service_role_arn: Some(role.attr_arn().into()),
            ..Default::default()
        },
    );
    let function = appsync::function_with_code(
        &stack,
        api_id.clone(),
        spec,
        data_source.get_att("Name"),
        Some(code_s3_location.clone()),
    );
    let auth = api.auth_function.attr_function_id();
    let mut built = IndexMap::new();
    for r in resolvers {
        let key = format!("{}.{}", r.type_name, r.field_name);
        if r.data_source.is_some() {
            // Owner fields: UNIT resolvers on the API's NONE data source.
            let none = api.none_data_source.get_att("Name");
            built.insert(key, appsync::unit_resolver(&stack, api_id.clone(), r, none));
            continue;
        }
        let ids = r
            .pipeline
            .iter()
            .map(|f| if *f == spec.name { function.attr_function_id() } else { auth.clone() })
            .collect();
        built.insert(key, appsync::resolver(&stack, api_id.clone(), r, ids));
    }
    ModelResources { stack, table, role, data_source, function, resolvers: built }
}
