//! The resolver code amplify-backend generates for the chat example, loaded from
//! a synthesized assembly and run through the pipeline with a fake data source.

// The data source callback answers the API's GraphQL error, as AppSync reports it.
#![allow(clippy::result_large_err)]

use crate::appsync_js_support;

use appsync_js_support::{load, synth, Loaded};
use local::appsync::js::{run_resolver, AuthType, Context, GraphQlError, Info, ResolverCode, ResolverOutcome, Runtime};
use serde_json::{json, Value};

fn alice(field: &str, args: Value) -> Context {
    let (type_name, field_name) = field.split_once('.').unwrap();
    Context {
        arguments: args,
        identity: Some(
            json!({
                "sub": "u1", "username": "alice", "issuer": "https://cognito-idp.us-east-1.amazonaws.com/pool",
                "claims": {"sub": "u1", "cognito:username": "alice"}, "sourceIp": ["127.0.0.1"],
                "defaultAuthStrategy": "ALLOW", "groups": null
            })
            .into(),
        ),
        info: Info { field_name: field_name.into(), parent_type_name: type_name.into(), ..Default::default() },
        auth_type: AuthType::UserPools,
        ..Default::default()
    }
}

/// Runs `field` with the data source answering `answer`; returns the outcome and
/// the requests it received.
fn run(
    l: &Loaded,
    field: &str,
    ctx: Context,
    answer: Result<Value, GraphQlError>,
) -> (ResolverOutcome, Vec<(String, Value)>) {
    let mut requests = Vec::new();
    let mut invoke = |ds: &str, req: Value| {
        requests.push((ds.to_string(), req));
        answer.clone()
    };
    let out = run_resolver(&l.rt, &l.resolvers[field], ctx, &mut invoke).unwrap_or_else(|e| panic!("{e}"));
    (out, requests)
}

#[test]
fn every_resolver_and_function_of_the_chat_backend_loads() {
    let dir = tempfile::tempdir().unwrap();
    let chat = synth(dir.path());
    let rt = Runtime::new();
    // Auth, and a table function per model.
    assert!(chat.functions.contains_key("AuthFunction"), "{:?}", chat.functions.keys());
    assert!(chat.functions.contains_key("MessageTableFunction"));
    assert!(chat.resolvers.len() >= 18, "{:?}", chat.resolvers.keys());
    for (name, (code, _)) in &chat.functions {
        rt.compile(name, code).unwrap_or_else(|e| panic!("{e}"));
    }
    for (field, (code, _)) in &chat.resolvers {
        rt.compile(field, code).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn get_reads_the_item_by_key_and_only_the_owner_sees_it() {
    let l = load();
    let mine = json!({"id": "m1", "text": "hi", "owner": "u1::alice", "__typename": "Message"});
    let (out, requests) = run(&l, "Query.getMessage", alice("Query.getMessage", json!({"id": "m1"})), Ok(mine.clone()));
    assert_eq!(
        requests,
        [("MessageDataSource".to_string(), json!({"operation": "GetItem", "key": {"id": {"S": "m1"}}}))]
    );
    assert_eq!(out.errors, []);
    assert_eq!(out.result, mine);

    let theirs = json!({"id": "m1", "text": "hi", "owner": "u2::bob"});
    let (out, _) = run(&l, "Query.getMessage", alice("Query.getMessage", json!({"id": "m1"})), Ok(theirs));
    assert_eq!(out.result, Value::Null);
    assert_eq!(out.errors, [GraphQlError::new("Not Authorized to access getMessage on type Query", "Unauthorized")]);
}

#[test]
fn list_scans_with_the_owner_filter() {
    let l = load();
    let page = json!({"items": [{"id": "m1"}], "nextToken": null});
    let (out, requests) = run(&l, "Query.listMessages", alice("Query.listMessages", json!({})), Ok(page));
    assert_eq!(out.result, json!({"items": [{"id": "m1"}], "nextToken": null}));
    let (_, req) = &requests[0];
    assert_eq!(req["operation"], "Scan");
    assert_eq!(req["limit"], 100);
    assert_eq!(
        req["filter"],
        json!({
            "expression": "((#owner = :or_0_owner_eq) OR (#owner = :or_1_owner_eq) OR (#owner = :or_2_owner_eq))",
            "expressionNames": {"#owner": "owner"},
            "expressionValues": {
                ":or_0_owner_eq": {"S": "u1::alice"}, ":or_1_owner_eq": {"S": "u1"}, ":or_2_owner_eq": {"S": "alice"}
            }
        })
    );
}

#[test]
fn create_puts_an_owned_item_that_must_not_exist() {
    let l = load();
    let args = json!({"input": {"text": "hello", "chatId": "c1"}});
    let (out, requests) =
        run(&l, "Mutation.createMessage", alice("Mutation.createMessage", args), Ok(json!({"id": "x"})));
    assert_eq!(out.errors, []);
    let (ds, req) = &requests[0];
    assert_eq!(ds, "MessageDataSource");
    assert_eq!(req["operation"], "PutItem");
    let id = req["key"]["id"]["S"].as_str().unwrap();
    assert_eq!(id.len(), 36, "an autoId: {id}");
    let attrs = &req["attributeValues"];
    assert_eq!(attrs["owner"], json!({"S": "u1::alice"}));
    assert_eq!(attrs["text"], json!({"S": "hello"}));
    assert_eq!(attrs["__typename"], json!({"S": "Message"}));
    assert_eq!(attrs["createdAt"], attrs["updatedAt"]);
    assert_eq!(
        req["condition"],
        json!({"expression": "(attribute_not_exists(#id))", "expressionNames": {"#id": "id"}, "expressionValues": {}})
    );
}

#[test]
fn a_failed_owner_condition_on_delete_is_unauthorized() {
    let l = load();
    let failed = Err(GraphQlError::new("The conditional request failed", "DynamoDB:ConditionalCheckFailedException"));
    let (out, requests) =
        run(&l, "Mutation.deleteMessage", alice("Mutation.deleteMessage", json!({"input": {"id": "m1"}})), failed);
    let req = &requests[0].1;
    assert_eq!(req["operation"], "DeleteItem");
    assert!(req["condition"]["expression"].as_str().unwrap().contains("attribute_exists(#id)"), "{req}");
    assert!(req["condition"]["expressionNames"]["#owner"] == "owner", "{req}");
    assert_eq!(out.result, Value::Null);
    assert_eq!(
        out.errors,
        [GraphQlError::new("Not Authorized to access deleteMessage on type Mutation", "Unauthorized")]
    );
}

#[test]
fn subscriptions_filter_to_the_owner() {
    let l = load();
    let (out, requests) =
        run(&l, "Subscription.onCreateMessage", alice("Subscription.onCreateMessage", json!({})), Ok(Value::Null));
    assert!(requests.is_empty(), "the NONE data source is not invoked: {requests:?}");
    assert_eq!(out.errors, []);
    assert_eq!(
        out.subscription_filter,
        Some(json!({"filterGroup": [{"filters": [
            {"fieldName": "owner", "operator": "in", "value": ["u1::alice", "u1", "alice"]}
        ]}]}))
    );
}

#[test]
fn an_api_key_caller_is_denied_before_any_data_source() {
    let l = load();
    let ctx = Context { identity: None, auth_type: AuthType::ApiKey, ..alice("Query.getMessage", json!({"id": "m1"})) };
    let (out, requests) = run(&l, "Query.getMessage", ctx, Ok(json!({})));
    assert!(requests.is_empty());
    assert_eq!(out.errors, [GraphQlError::new("Not Authorized to access getMessage on type Query", "Unauthorized")]);
}

#[test]
fn has_many_queries_the_index_with_the_parents_key() {
    let l = load();
    let ctx = Context { source: Some(json!({"id": "c1", "owner": "u1::alice"})), ..alice("Chat.messages", json!({})) };
    let (out, requests) = run(&l, "Chat.messages", ctx, Ok(json!({"items": [], "nextToken": null})));
    assert_eq!(out.errors, []);
    let req = &requests[0].1;
    assert_eq!(req["operation"], "Query");
    assert_eq!(req["query"]["expression"], "#pk = :pk");
    assert_eq!(req["query"]["expressionNames"], json!({"#pk": "chatId"}));
    assert_eq!(req["query"]["expressionValues"], json!({":pk": {"S": "c1"}}));
    assert!(req["index"].is_string(), "{req}");
}

#[test]
fn owner_fields_read_as_usernames_through_a_unit_resolver_on_none() {
    let l = load();
    for model in ["Chat", "Message"] {
        let field = format!("{model}.owner");
        assert!(matches!(l.resolvers[&field], ResolverCode::Unit { .. }), "{field}");
        let ctx = Context { source: Some(json!({"id": "c1", "owner": "u1::alice"})), ..alice(&field, json!({})) };
        let (out, requests) = run(&l, &field, ctx, Err(GraphQlError::new("no data source is called", "Test")));
        assert_eq!(requests, [], "the NONE data source answers without a call");
        assert_eq!(out.errors, []);
        assert_eq!(out.result, json!("alice"), "the part after the last `::`");
    }
}
