//! Least-privilege service roles for AppSync data sources: only AppSync, only on
//! behalf of this API, only the actions the resolvers use, only on the resource.

use cfn_types::iam::role::{CfnRole, CfnRoleProps, PolicyProperty};
use constructs::{cfn, Aws, IConstruct, Value};

use crate::iam::{policy_document, PolicyStatement, Service, Trust};

/// The DynamoDB actions the model function issues.
pub const TABLE_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
];

/// More actions for custom handlers that run on a table. Transactions have no
/// IAM actions of their own: IAM checks each item's `GetItem`, `PutItem`,
/// `UpdateItem`, `DeleteItem` or `ConditionCheckItem`.
pub const CUSTOM_HANDLER_TABLE_ACTIONS: &[&str] =
    &["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem"];

/// A role AppSync assumes for the API `api_arn` only (the confused-deputy guard of
/// `aws:SourceArn` / `aws:SourceAccount`), with one inline policy.
pub fn appsync_role(scope: &impl IConstruct, id: &str, api_arn: Value, statements: &[PolicyStatement]) -> CfnRole {
    let trust = Trust::service(Service::AppSync)
        .with_condition(cfn!({
            "StringEquals": {"aws:SourceAccount": (Aws::account_id())},
            "ArnEquals": {"aws:SourceArn": api_arn}
        }))
        .document();
    CfnRole::new(
        scope,
        id,
        CfnRoleProps {
            assume_role_policy_document: trust,
            policies: Some(
                vec![PolicyProperty {
                    policy_document: policy_document(statements),
                    policy_name: "DataSourceAccess".into(),
                }]
                .into(),
            ),
            ..Default::default()
        },
    )
}

/// Access to a table and its indexes.
pub fn table_statement(actions: &[&str], table_arn: Value) -> PolicyStatement {
    let indexes = Value::concat([table_arn.clone(), "/index/*".into()]);
    PolicyStatement::allow(actions.iter().copied(), [table_arn, indexes])
}
