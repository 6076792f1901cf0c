//! The data sources added by name (`add_*_data_source`), over existing
//! resources: each with a role AppSync assumes for this API only, allowed
//! exactly what the source needs.

use cfn_types::appsync::data_source::{
    AuthorizationConfigProperty, AuthorizationType, AwsIamConfigProperty, CfnDataSourceProps, DynamoDbConfigProperty,
    ElasticsearchConfigProperty, EventBridgeConfigProperty, HttpConfigProperty, LambdaConfigProperty, Type,
};
use cfn_types::appsync::CfnDataSource;
use cfn_types::iam::CfnRole;
use constructs::{fns, Aws, Construct, Value};

use super::api::ApiResources;
use super::roles::{appsync_role, table_statement, CUSTOM_HANDLER_TABLE_ACTIONS, TABLE_ACTIONS};
use crate::data::sources::{arn_region, DataSourceDefinition};
use crate::iam::PolicyStatement;

/// A data source's logical id: its name without what ids cannot hold.
pub(crate) fn data_source_id(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// Builds `d` under `scope`; the role too when the source calls AWS.
pub(crate) fn build(
    scope: &Construct,
    api: &ApiResources,
    d: &DataSourceDefinition,
) -> (CfnDataSource, Option<CfnRole>) {
    let name = d.name();
    let id = data_source_id(name);
    let role = |statements: &[PolicyStatement]| {
        appsync_role(scope, &format!("{id}Role"), api.graphql_api.attr_arn(), statements)
    };
    let mut props = CfnDataSourceProps {
        api_id: api.graphql_api.attr_api_id().into(),
        name: name.into(),
        r#type: Type::Http.into(),
        ..Default::default()
    };
    let made_role = match d {
        DataSourceDefinition::Http { endpoint, options, .. } => {
            props.description = options.description.as_deref().map(Into::into);
            let authorization = options.authorization.as_ref().map(|sig| {
                AuthorizationConfigProperty {
                    authorization_type: AuthorizationType::AwsIam.into(),
                    aws_iam_config: Some(
                        AwsIamConfigProperty {
                            signing_region: Some(sig.signing_region.as_str().into()),
                            signing_service_name: Some(sig.signing_service_name.as_str().into()),
                        }
                        .into(),
                    ),
                }
                .into()
            });
            props.http_config = Some(
                HttpConfigProperty { endpoint: endpoint.as_str().into(), authorization_config: authorization }.into(),
            );
            // Signed requests act as the role: it may do what the signing config allows.
            options.authorization.as_ref().map(|sig| role(&sig.statements))
        }
        DataSourceDefinition::DynamoDb { table_name, .. } => {
            let arn = fns::sub_with(
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${table}",
                [("table", Value::from(table_name.as_str()))],
            );
            let mut actions = TABLE_ACTIONS.to_vec();
            actions.extend(CUSTOM_HANDLER_TABLE_ACTIONS);
            props.r#type = Type::AmazonDynamodb.into();
            props.dynamo_db_config = Some(
                DynamoDbConfigProperty {
                    table_name: table_name.as_str().into(),
                    aws_region: Aws::region().into(),
                    ..Default::default()
                }
                .into(),
            );
            Some(role(&[table_statement(&actions, arn)]))
        }
        DataSourceDefinition::Lambda { function_arn, .. } => {
            let arn = Value::from(function_arn.as_str());
            let versions = Value::from(format!("{function_arn}:*"));
            props.r#type = Type::AwsLambda.into();
            props.lambda_config = Some(LambdaConfigProperty { lambda_function_arn: arn.clone().into() }.into());
            Some(role(&[PolicyStatement::allow(["lambda:InvokeFunction"], [arn, versions])]))
        }
        DataSourceDefinition::EventBridge { event_bus_arn, .. } => {
            props.r#type = Type::AmazonEventbridge.into();
            props.event_bridge_config =
                Some(EventBridgeConfigProperty { event_bus_arn: event_bus_arn.as_str().into() }.into());
            Some(role(&[PolicyStatement::allow(["events:PutEvents"], [Value::from(event_bus_arn.as_str())])]))
        }
        DataSourceDefinition::OpenSearch { endpoint, domain_arn, .. } => {
            props.r#type = Type::AmazonOpensearchService.into();
            let region = arn_region(domain_arn).map(Value::from).unwrap_or_else(Aws::region);
            props.open_search_service_config = Some(
                ElasticsearchConfigProperty { aws_region: region.into(), endpoint: endpoint.as_str().into() }.into(),
            );
            let actions = ["es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"];
            let resources = [Value::from(domain_arn.as_str()), Value::from(format!("{domain_arn}/*"))];
            Some(role(&[PolicyStatement::allow(actions, resources)]))
        }
    };
    if let Some(r) = &made_role {
        props.service_role_arn = Some(r.attr_arn().into());
    }
    (CfnDataSource::new(scope, &id, props), made_role)
}
