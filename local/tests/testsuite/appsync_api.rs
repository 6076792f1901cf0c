//! The data API in process: schema loading (chat's real assembly and a small
//! one), introspection, auth modes per directive, NONE and DynamoDB data
//! sources through a fake runtime, AppSync's error shapes, and CORS.

use crate::appsync_api_support;
use crate::assembly_support;

use std::sync::Arc;

use appsync_api_support::{post, services, test_api, write_assembly, write_assembly_with_assets, RecordingStore, SDL};
use local::appsync::{http, DataApi, DataApiError};
use local::assembly::{Assembly, LocalEnv};
use serde_json::{json, Value};
use tower::ServiceExt;

const INTROSPECTION: &str =
    "{ __schema { queryType { name } mutationType { name } subscriptionType { name } types { name kind } } }";

fn type_names(body: &Value) -> Vec<String> {
    body["data"]["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn chat_assembly_loads_and_introspects() {
    let dir = assembly_support::chat_assembly();
    let assembly = Assembly::load(dir.path(), &LocalEnv::default()).unwrap();
    let api = DataApi::from_assembly(&assembly, services(Arc::new(RecordingStore::default()))).unwrap();
    let sdl = api.sdl();
    assert!(sdl.contains("type Message") && sdl.contains("onCreateMessage"), "{sdl}");
    // The chat API's default mode is user pools: an API key is refused outright.
    let (status, body) = post(&api, &[("x-api-key", "da2-x")], json!({"query": INTROSPECTION})).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = post(&api, &[("authorization", "user:ann:")], json!({"query": INTROSPECTION})).await;
    assert_eq!(status, 200, "{body}");
    let names = type_names(&body);
    for t in ["Chat", "Message", "ModelChatConnection", "CreateMessageInput", "ModelSortDirection", "AWSDateTime"] {
        assert!(names.iter().any(|n| n == t), "{t} missing from {names:?}");
    }
    assert_eq!(body["data"]["__schema"]["subscriptionType"]["name"], "Subscription");
    // IAM is declared (AWS_IAM is an additional mode) but not emulated yet:
    // a signed request is refused with a message saying so.
    let sigv4 =
        "AWS4-HMAC-SHA256 Credential=AKIA/20250101/us-east-1/appsync/aws4_request, SignedHeaders=host, Signature=0";
    let (status, body) = post(&api, &[("authorization", sigv4)], json!({"query": INTROSPECTION})).await;
    assert_eq!(
        (status, &body["errors"][0]["message"]),
        (401, &json!("IAM authorization is not emulated locally yet."))
    );
}

#[tokio::test]
async fn introspection_lists_types_fields_and_aws_scalars() {
    let t = test_api();
    let q = r#"{ __type(name: "Note") { name fields { name type { name kind ofType { name } } } } }"#;
    let (status, body) = post(&t.api, &[("x-api-key", &t.key())], json!({"query": q})).await;
    assert_eq!(status, 200, "{body}");
    let fields: Vec<&str> =
        body["data"]["__type"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(fields, ["id", "text", "owner", "secret", "meta", "at"]);
    assert_eq!(body["data"]["__type"]["fields"][5]["type"]["name"], "AWSDateTime");
}

#[tokio::test]
async fn api_keys_valid_expired_missing_and_wrong() {
    let t = test_api();
    let q = json!({"query": "{ echo(text: \"hi\") { id text owner } }"});
    let (status, body) = post(&t.api, &[("x-api-key", &t.key())], q.clone()).await;
    assert_eq!(
        (status, &body),
        (200, &json!({"data": {"echo": {"id": "e1", "text": "hi", "owner": "API Key Authorization"}}}))
    );

    let unauthorized = |message: &str| json!({"errors": [{"errorType": "UnauthorizedException", "message": message}]});
    let (status, body) = post(&t.api, &[("x-api-key", &t.old_key())], q.clone()).await;
    assert_eq!((status, body), (401, unauthorized("You are not authorized to make this call.")));
    let (status, body) = post(&t.api, &[("x-api-key", "da2-wrong")], q.clone()).await;
    assert_eq!((status, body), (401, unauthorized("You are not authorized to make this call.")));
    let (status, body) = post(&t.api, &[], q.clone()).await;
    assert_eq!((status, body), (401, unauthorized("Valid authorization header not provided.")));
    let (status, body) = post(&t.api, &[("authorization", "expired.token.x")], q.clone()).await;
    assert_eq!((status, body), (401, unauthorized("Token has expired.")));
    let (status, body) = post(&t.api, &[("authorization", "garbage")], q).await;
    assert_eq!((status, body), (401, unauthorized("Unable to parse JWT token.")));
}

#[tokio::test]
async fn field_directives_override_type_directives_and_groups_apply() {
    let t = test_api();
    // `mine` allows user pools only: an API key caller gets null and AppSync's error.
    let q = json!({"query": "query {\n  mine { id }\n}"});
    let (status, body) = post(&t.api, &[("x-api-key", &t.key())], q.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"data": {"mine": null}, "errors": [{
            "path": ["mine"], "data": null, "errorType": "Unauthorized", "errorInfo": null,
            "locations": [{"line": 2, "column": 3, "sourceName": null}],
            "message": "Not Authorized to access mine on type Query"}]})
    );
    // A user pool caller reads it; identity and headers reach the resolver.
    let q = json!({"query": "{ mine { id owner text secret } }"});
    let (_, body) = post(&t.api, &[("authorization", "user:ann:"), ("x-test", "hdr")], q.clone()).await;
    assert_eq!(body["data"]["mine"], json!({"id": "sub-ann", "owner": "ann", "text": "hdr", "secret": null}));
    assert_eq!(body["errors"][0]["message"], "Not Authorized to access secret on type Note");
    assert_eq!(body["errors"][0]["path"], json!(["mine", "secret"]));
    // cognito_groups: only Admins see `secret`.
    let (_, body) = post(&t.api, &[("authorization", "user:bob:Admins,Staff")], q).await;
    assert_eq!(body["data"]["mine"]["secret"], "s3cret");
    assert!(body.get("errors").is_none(), "{body}");
    // No directive: the default mode (API key) only.
    let q = json!({"query": "{ defaultOnly }"});
    let (_, body) = post(&t.api, &[("x-api-key", &t.key())], q.clone()).await;
    assert_eq!(body, json!({"data": {"defaultOnly": null}}));
    let (_, body) = post(&t.api, &[("authorization", "user:ann:")], q).await;
    assert_eq!(body["errors"][0]["errorType"], "Unauthorized");
}

#[tokio::test]
async fn none_resolvers_errors_and_partial_data() {
    let t = test_api();
    let key = t.key();
    let h = [("x-api-key", key.as_str())];
    // AWSJSON arguments arrive parsed; AWSJSON results go out as strings.
    let q = json!({"query": "query Q($j: AWSJSON) { echo(text: \"x\", json: $j) { meta } }", "variables": {"j": "{\"a\":1}"}});
    let (_, body) = post(&t.api, &h, q).await;
    let meta: Value = serde_json::from_str(body["data"]["echo"]["meta"].as_str().unwrap()).unwrap();
    assert_eq!(meta, json!({"env": {"STAGE": "local"}, "selection": ["meta"], "json": {"a": 1}}));
    // ... in input objects and lists of them too.
    let q = json!({"query": "query Q($i: NoteInput) { args(input: $i, raw: \"[1]\", n: 2) { meta } }",
        "variables": {"i": {"meta": "{\"x\":true}", "tags": [{"data": "null"}, {"data": "\"s\""}], "name": "{\"not\":1}"}}});
    let (_, body) = post(&t.api, &h, q).await;
    let args: Value = serde_json::from_str(body["data"]["args"]["meta"].as_str().unwrap()).unwrap();
    assert_eq!(
        args,
        json!({"input": {"meta": {"x": true}, "tags": [{"data": null}, {"data": "s"}], "name": "{\"not\":1}"}, "raw": [1], "n": 2})
    );
    // util.error: field null, AppSync's error fields filled.
    let (_, body) = post(&t.api, &h, json!({"query": "{ fails { id } }"})).await;
    assert_eq!(body["data"], json!({"fails": null}));
    let e = &body["errors"][0];
    assert_eq!(
        (&e["errorType"], &e["message"], &e["data"], &e["errorInfo"]),
        (&json!("NotFound"), &json!("no such note"), &json!({"id": 7}), &json!({"hint": "create it"}))
    );
    // util.appendError: the value stays, the error is listed.
    let (_, body) = post(&t.api, &h, json!({"query": "{ partial { id text } }"})).await;
    assert_eq!(body["data"], json!({"partial": {"id": "p", "text": "kept"}}));
    assert_eq!(body["errors"][0]["errorType"], "Warning");
    assert_eq!(body["errors"][0]["path"], json!(["partial"]));
}

#[tokio::test]
async fn scalars_are_validated_and_bad_requests_fail_clearly() {
    let t = test_api();
    let key = t.key();
    let h = [("x-api-key", key.as_str())];
    let (_, body) = post(&t.api, &h, json!({"query": "{ echo(when: \"2024-13-01T00:00:00Z\") { id } }"})).await;
    assert!(body["data"].is_null(), "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("AWSDateTime"), "{body}");
    let (_, body) = post(&t.api, &h, json!({"query": "{ echo(when: \"2024-12-01T00:00:00Z\") { at } }"})).await;
    assert!(body.get("errors").is_none(), "{body}");
    let (_, body) = post(&t.api, &h, json!({"query": "{ nope }"})).await;
    assert!(body["data"].is_null() && body["errors"][0]["message"].as_str().unwrap().contains("nope"), "{body}");
    let (status, body) = post(&t.api, &h, json!("not a request")).await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["errorType"], "MalformedHttpRequestException");
}

#[tokio::test]
async fn dynamodb_data_source_calls_the_store_and_maps_errors() {
    let t = test_api();
    let key = t.key();
    let h = [("x-api-key", key.as_str())];
    t.store
        .answers
        .lock()
        .unwrap()
        .insert("GetItem".into(), Ok(json!({"Item": {"id": {"S": "n1"}, "text": {"S": "hello"}}})));
    let (_, body) = post(&t.api, &h, json!({"query": "{ getNote(id: \"n1\") { id text } }"})).await;
    assert_eq!(body, json!({"data": {"getNote": {"id": "n1", "text": "hello"}}}));
    let table = t.assembly.resources.iter().find(|r| r.logical_id == "Table").unwrap().physical_id.clone();
    assert_eq!(
        t.store.calls.lock().unwrap()[0],
        ("GetItem".to_string(), json!({"TableName": table, "Key": {"id": {"S": "n1"}}}))
    );

    t.store.answers.lock().unwrap().insert(
        "GetItem".into(),
        Err(("ConditionalCheckFailedException".into(), "The conditional request failed".into())),
    );
    let (_, body) = post(&t.api, &h, json!({"query": "{ getNote(id: \"n1\") { id } }"})).await;
    assert_eq!(body["errors"][0]["errorType"], "DynamoDB:ConditionalCheckFailedException");
    assert_eq!(body["errors"][0]["message"], "The conditional request failed");
}

#[test]
fn vtl_resolvers_and_bad_code_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write_assembly(
        dir.path(),
        json!({"Vtl": {"Type": "AWS::AppSync::Resolver", "Properties": {
            "ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "TypeName": "Query", "FieldName": "defaultOnly",
            "DataSourceName": "NONE_DS", "RequestMappingTemplate": "{}", "ResponseMappingTemplate": "$util.toJson($ctx.result)"}}}),
    );
    let assembly = Assembly::load(dir.path(), &LocalEnv::default()).unwrap();
    let err = DataApi::from_assembly(&assembly, services(Arc::new(RecordingStore::default()))).err().expect("refused");
    assert!(matches!(err, DataApiError::Config { .. }));
    let text = err.to_string();
    assert!(
        text.contains("resolver Query.defaultOnly") && text.contains("VTL") && text.contains("not emulated"),
        "{text}"
    );

    write_assembly(
        dir.path(),
        json!({"Bad": {"Type": "AWS::AppSync::Resolver", "Properties": {
        "ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "TypeName": "Query", "FieldName": "defaultOnly",
        "DataSourceName": "NONE_DS", "Code": "syntax error", "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}}}}),
    );
    let assembly = Assembly::load(dir.path(), &LocalEnv::default()).unwrap();
    let text =
        DataApi::from_assembly(&assembly, services(Arc::new(RecordingStore::default()))).err().unwrap().to_string();
    assert!(text.contains("resolver Query.defaultOnly") && text.contains("unexpected token"), "{text}");
}

#[tokio::test]
async fn cors_preflight_and_response_headers() {
    let t = test_api();
    let router = http::router(t.api.clone());
    let preflight = axum::http::Request::builder()
        .method("OPTIONS")
        .uri("/graphql")
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-api-key,x-amz-user-agent")
        .body(axum::body::Body::empty())
        .unwrap();
    let r = router.clone().oneshot(preflight).await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(h["access-control-allow-headers"], "content-type,x-api-key,x-amz-user-agent");
    assert!(h["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    assert_eq!(h["access-control-max-age"], "86400");

    let post = axum::http::Request::builder()
        .method("POST")
        .uri("/graphql")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json!({"query": "{ defaultOnly }"}).to_string()))
        .unwrap();
    let r = router.oneshot(post).await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert_eq!(r.headers()["x-amzn-errortype"], "UnauthorizedException");
    assert!(r.headers()["access-control-expose-headers"].to_str().unwrap().contains("x-amzn-RequestId"));
    assert!(r.headers().contains_key("x-amzn-requestid"));
}

#[tokio::test]
async fn pipelines_run_their_functions_and_code_and_schema_load_from_assets() {
    let dir = tempfile::tempdir().unwrap();
    let api_id = json!({"Fn::GetAtt": ["Api", "ApiId"]});
    let s3 = |key: &str| json!({"Fn::Join": ["", ["s3://", {"Fn::Sub": "cdk-assets-${AWS::AccountId}"}, "/", key]]});
    write_assembly_with_assets(
        dir.path(),
        json!({
            "Schema": {"Type": "AWS::AppSync::GraphQLSchema", "Properties": {"ApiId": api_id, "DefinitionS3Location": s3("schema.graphql")}},
            "F1": {"Type": "AWS::AppSync::FunctionConfiguration", "Properties": {"ApiId": api_id, "Name": "one",
                "DataSourceName": {"Fn::GetAtt": ["None", "Name"]}, "CodeS3Location": s3("f1.js"),
                "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}}},
            "F2": {"Type": "AWS::AppSync::FunctionConfiguration", "Properties": {"ApiId": api_id, "Name": "two",
                "DataSourceName": "NONE_DS", "Code": "step:two", "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}}},
            "Pipe": {"Type": "AWS::AppSync::Resolver", "Properties": {"ApiId": api_id, "TypeName": "Query", "FieldName": "pipe",
                "Kind": "PIPELINE", "Code": "pipeline", "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"},
                "PipelineConfig": {"Functions": [{"Fn::GetAtt": ["F1", "FunctionId"]}, {"Fn::GetAtt": ["F2", "FunctionId"]}]}}}
        }),
        &[("schema.graphql", "asset.schema.graphql", SDL), ("f1.js", "asset.f1.js", "step:one")],
    );
    let assembly = Assembly::load(dir.path(), &LocalEnv::default()).unwrap();
    let api = DataApi::from_assembly(&assembly, services(Arc::new(RecordingStore::default()))).unwrap();
    let key =
        assembly.resources.iter().find(|r| r.logical_id == "Key").unwrap().str_attribute("ApiKey").unwrap().to_string();
    let (_, body) = post(&api, &[("x-api-key", &key)], json!({"query": "{ pipe }"})).await;
    assert_eq!(body, json!({"data": {"pipe": ["one", "two"]}}));

    // A pipeline naming a function the API lacks is refused by name.
    write_assembly(
        dir.path(),
        json!({"Pipe": {"Type": "AWS::AppSync::Resolver", "Properties": {"ApiId": api_id, "TypeName": "Query",
        "FieldName": "pipe", "Kind": "PIPELINE", "Code": "pipeline", "PipelineConfig": {"Functions": ["missing-id"]}}}}),
    );
    let assembly = Assembly::load(dir.path(), &LocalEnv::default()).unwrap();
    let text =
        DataApi::from_assembly(&assembly, services(Arc::new(RecordingStore::default()))).err().unwrap().to_string();
    assert!(text.contains("resolver Query.pipe") && text.contains("missing-id"), "{text}");
}

#[tokio::test]
async fn a_null_non_null_field_nulls_its_nearest_nullable_parent() {
    let t = test_api();
    let key = t.key();
    let h = [("x-api-key", key.as_str())];
    let (_, body) =
        post(&t.api, &h, json!({"query": "{ notes { id text } echo(text: \"still here\") { text } }"})).await;
    assert_eq!(body["data"], json!({"notes": [{"id": "1", "text": "a"}, null], "echo": {"text": "still here"}}));
    assert_eq!(body["errors"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["notes", 1, "id"]));
    let (_, body) = post(&t.api, &h, json!({"query": "{ broken { id text } }"})).await;
    assert_eq!(body["data"], json!({"broken": null}));
    assert_eq!(body["errors"][0]["path"], json!(["broken", "id"]));
}
