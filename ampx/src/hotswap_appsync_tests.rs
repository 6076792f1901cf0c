//! AppSync hotswap, which moto cannot run: planning a resolver's or function's
//! code change, and applying it through `GetResolver`/`UpdateResolver` and
//! `GetFunction`/`UpdateFunction` so that only the code changes.

use std::sync::{Arc, Mutex};

use serde_json::json;

use super::*;
use crate::fake_aws::{self, describe_stacks, Call, Reply};

const API_ARN: &str = "arn:aws:appsync:us-east-1:123456789012:apis/api123";

fn env() -> Environment {
    Environment {
        account: "123456789012".into(),
        region: "us-east-1".into(),
        partition: "aws".into(),
        url_suffix: "amazonaws.com".into(),
    }
}

fn no_assembly() -> Assembly {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifest.json"), r#"{"version":"55.0.0","artifacts":{}}"#).unwrap();
    Assembly::read(dir.path()).unwrap()
}

fn resolver(code_key: &str, data_source: &str) -> Json {
    json!({"Type": "AWS::AppSync::Resolver", "Properties": {
        "ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "TypeName": "Query", "FieldName": "listTodos",
        "Kind": "PIPELINE", "DataSourceName": data_source,
        "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"},
        "CodeS3Location": {"Fn::Sub": format!("s3://cdk-hnb659fds-assets-${{AWS::AccountId}}-${{AWS::Region}}/{code_key}")}}})
}

fn function(code: &str) -> Json {
    json!({"Type": "AWS::AppSync::FunctionConfiguration", "Properties": {
        "ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "Name": "listTodosFn", "DataSourceName": "TodoTable",
        "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}, "Code": code}})
}

fn template(resolver_key: &str, data_source: &str, function_code: &str) -> Json {
    json!({"Resources": {
        "Api": {"Type": "AWS::AppSync::GraphQLApi", "Properties": {"Name": "todo", "AuthenticationType": "API_KEY"}},
        "ListTodos": resolver(resolver_key, data_source),
        "ListTodosFn": function(function_code)}})
}

#[test]
fn resolver_and_function_code_is_hotswapped_and_anything_else_is_not() {
    let old = template("a.js", "NONE_DS", "export const v = 1;");
    let new = template("b.js", "NONE_DS", "export const v = 2;");
    let Plan::Hotswap(changes) = plan(&old, &new, &no_assembly(), &HashMap::new()) else {
        panic!("code only: a hotswap");
    };
    let mut kinds: Vec<(&str, &str)> =
        changes.iter().map(|c| (c.logical_id.as_str(), c.resource_type.as_str())).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [("ListTodos", "AWS::AppSync::Resolver"), ("ListTodosFn", "AWS::AppSync::FunctionConfiguration")]
    );

    let other_source = template("b.js", "TodoTable", "export const v = 1;");
    assert_eq!(
        plan(&old, &other_source, &no_assembly(), &HashMap::new()),
        Plan::Full("ListTodos (AWS::AppSync::Resolver): CodeS3Location, DataSourceName changed".into())
    );
}

#[tokio::test]
async fn appsync_updates_change_the_code_and_keep_everything_else() {
    let old = template("a.js", "NONE_DS", "export const v = 1;");
    let new = template("b.js", "NONE_DS", "export const v = 2;");
    let Plan::Hotswap(changes) = plan(&old, &new, &no_assembly(), &HashMap::new()) else { panic!("a hotswap") };

    let updates: Arc<Mutex<Vec<(String, Json)>>> = Arc::default();
    let recorded = updates.clone();
    let (aws, seen) = fake_aws::aws(move |call: &Call| {
        let op = call.operation.as_str();
        match op {
            "CloudFormation.ListStackResources" => Reply::cfn(
                "ListStackResources",
                &format!(
                    "<StackResourceSummaries>{}{}{}</StackResourceSummaries>",
                    summary("Api", API_ARN),
                    summary("ListTodos", &format!("{API_ARN}/types/Query/resolvers/listTodos")),
                    summary("ListTodosFn", &format!("{API_ARN}/functions/fn-abc")),
                ),
            ),
            "CloudFormation.DescribeStacks" => describe_stacks("S", "arn:S", "UPDATE_COMPLETE"),
            "AppSync.GET /v1/apis/api123/types/Query/resolvers/listTodos" => Reply::rest_json(
                r#"{"resolver": {"typeName": "Query", "fieldName": "listTodos", "kind": "PIPELINE",
                    "pipelineConfig": {"functions": ["fn-abc"]}, "maxBatchSize": 0,
                    "runtime": {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}, "code": "old resolver"}}"#,
            ),
            "AppSync.GET /v1/apis/api123/functions/fn-abc" => Reply::rest_json(
                r#"{"functionConfiguration": {"functionId": "fn-abc", "name": "listTodosFn",
                    "dataSourceName": "TodoTable", "functionVersion": "2018-05-29", "maxBatchSize": 0,
                    "runtime": {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}, "code": "old function"}}"#,
            ),
            _ if op.starts_with("S3.GET /cdk-hnb659fds-assets-123456789012-us-east-1/b.js") => {
                Reply::object("export function request() { return {}; } // v2")
            }
            "AppSync.POST /v1/apis/api123/types/Query/resolvers/listTodos" => {
                recorded.lock().unwrap().push((op.into(), serde_json::from_str(&call.body).unwrap()));
                Reply::rest_json(r#"{"resolver": {}}"#)
            }
            "AppSync.POST /v1/apis/api123/functions/fn-abc" => {
                recorded.lock().unwrap().push((op.into(), serde_json::from_str(&call.body).unwrap()));
                Reply::rest_json(r#"{"functionConfiguration": {}}"#)
            }
            _ => panic!("unexpected {call:?}"),
        }
    });
    let stack_ids = HashMap::from([(Vec::new(), "arn:S".to_string())]);
    let mut done = apply(&aws, &env(), &changes, &stack_ids).await.unwrap();
    done.sort();
    assert_eq!(done, ["ListTodos (AWS::AppSync::Resolver)", "ListTodosFn (AWS::AppSync::FunctionConfiguration)"]);

    let mut updates = updates.lock().unwrap().clone();
    updates.sort_by(|a, b| a.0.cmp(&b.0));
    let runtime = json!({"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"});
    let (_, function_update) = &updates[0];
    assert_eq!(function_update["code"], "export const v = 2;", "the function's new inline code");
    assert_eq!(
        (&function_update["name"], &function_update["dataSourceName"], &function_update["runtime"]),
        (&json!("listTodosFn"), &json!("TodoTable"), &runtime),
        "{function_update}"
    );
    let (_, resolver_update) = &updates[1];
    assert_eq!(resolver_update["code"], "export function request() { return {}; } // v2", "read from S3");
    assert_eq!(
        (&resolver_update["kind"], &resolver_update["pipelineConfig"], &resolver_update["runtime"]),
        (&json!("PIPELINE"), &json!({"functions": ["fn-abc"]}), &runtime),
        "{resolver_update}"
    );
    assert!(!seen.operations().iter().any(|o| o.contains("ChangeSet")), "no stack update");
}

fn summary(logical_id: &str, physical_id: &str) -> String {
    format!(
        "<member><LogicalResourceId>{logical_id}</LogicalResourceId><PhysicalResourceId>{physical_id}\
         </PhysicalResourceId><ResourceType>AWS::AppSync::Resolver</ResourceType>\
         <LastUpdatedTimestamp>2026-01-01T00:00:00Z</LastUpdatedTimestamp>\
         <ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>"
    )
}
