//! Async function handlers (`a::handler::function(f).async_()`, Amplify's
//! `.async()`): Lambda's `Event` invocation, the operation answering Amplify's
//! `EventInvocationResponse { success: Boolean! }`, misuse refused, and cfn-lint and
//! AWS's AppSync linter finding nothing.

use crate::data_support::*;

use std::path::PathBuf;

use amplify_backend::data::resolvers::DataSourceKind;
use amplify_backend::data::*;
use amplify_backend::function::{define_function, FunctionProps};
use serde_json::{json, Value};

fn schema() -> Schema {
    a::schema! {
        enqueue: a::mutation()
            .arguments([("job", a::string().required())])
            .handler(a::handler::function("worker").async_())
            .authorization(|allow| [allow.authenticated()]),
        check: a::query()
            .arguments([("job", a::string())])
            .returns(a::string())
            .handler([a::handler::function("worker").async_(), a::handler::function("worker")])
            .authorization(|allow| [allow.authenticated()]),
    }
}

#[test]
fn a_last_async_handler_makes_the_operation_answer_event_invocation_response() {
    let compiled = compile(schema());
    let sdl = compiled.sdl();
    assert!(sdl.contains("enqueue(job: String!): EventInvocationResponse"), "{sdl}");
    assert!(sdl.contains("check(job: String): String"), "an async step before a sync one keeps the type:\n{sdl}");
    let shape = describe_sdl(&sdl);
    assert_eq!(shape["EventInvocationResponse"]["fields"]["success"]["type"], "Boolean!", "{shape}");
    let mi = compiled.model_introspection();
    assert_eq!(
        mi["nonModels"]["EventInvocationResponse"]["fields"]["success"],
        json!({"name": "success", "isArray": false, "type": "Boolean", "isRequired": true, "attributes": []})
    );
    assert_eq!(mi["mutations"]["enqueue"]["type"], json!({"nonModel": "EventInvocationResponse"}));
    assert_eq!(mi["mutations"]["enqueue"]["isRequired"], false);
}

#[test]
fn the_function_is_invoked_with_the_event_type_and_the_answer_says_whether_lambda_took_it() {
    let plan = compile(schema()).resolvers();
    let f = plan.function("AsyncInvokeWorkerFunction").expect("the async invoke function");
    assert_eq!(f.data_source, DataSourceKind::Lambda("worker".into()));
    assert_eq!(plan.resolver("Mutation", "enqueue").unwrap().pipeline, ["AuthFunction", "AsyncInvokeWorkerFunction"]);
    assert_eq!(
        plan.resolver("Query", "check").unwrap().pipeline,
        ["AuthFunction", "AsyncInvokeWorkerFunction", "InvokeWorkerFunction"]
    );
    let h = Harness::new(&plan);
    let u = user("u", &[]);
    let mut refused = call(&u, "Mutation.enqueue", json!({"job": "j2"}));
    refused["lambdaError"] = json!({"message": "Rate exceeded", "type": "Lambda:TooManyRequestsException"});
    let (r, _) = h.run(vec![
        call(&u, "Mutation.enqueue", json!({"job": "j1"})),
        refused,
        call(&api_key(), "Mutation.enqueue", json!({"job": "j3"})),
    ]);
    assert_eq!(r[0]["data"], json!({"success": true}), "{}", r[0]);
    let request = &r[0]["requests"][0];
    assert_eq!(request["operation"], "Invoke");
    assert_eq!(request["invocationType"], "Event");
    assert_eq!(request["payload"]["fieldName"], "enqueue");
    assert_eq!(request["payload"]["arguments"], json!({"job": "j1"}));
    assert_eq!(r[1]["data"], json!({"success": false}), "{}", r[1]);
    assert_eq!(
        r[1]["appendedErrors"],
        json!([{"message": "Rate exceeded", "type": "Lambda:TooManyRequestsException"}])
    );
    assert_eq!(r[2]["error"]["type"], "Unauthorized", "rules still apply: {}", r[2]);
    assert_eq!(r[2]["requests"], Value::Array(Vec::new()));
}

#[test]
fn async_misuse_is_refused_naming_the_operation() {
    let bad = a::schema! {
        Note: a::model([("text", a::string())]),
        EventInvocationResponse: a::custom_type([("ok", a::boolean())]),
        viaCode: a::query().returns(a::string())
            .handler(a::handler::custom_inline("export function request(ctx) { return {}; }\nexport function response(ctx) { return null; }").async_()),
        onNote: a::subscription().for_(SubscriptionSource::model("Note", [ModelMutation::Create])).handler(a::handler::function("worker").async_()),
        fire: a::mutation().handler(a::handler::function("worker").async_()),
    }
    .authorization(|allow| [allow.authenticated()]);
    let errors = errors(bad, AuthorizationModes::user_pool(), DataContext::with_auth());
    let text = errors.to_string();
    for expected in [
        "Query.viaCode: `.async_()` applies to function handlers only.",
        "Subscription.onNote: the async handler `worker` runs a subscription",
        "EventInvocationResponse: async function handlers return `EventInvocationResponse { success: Boolean! }`, but the schema declares another type of that name.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(errors.0.len(), 3, "{text}");
}

#[test]
fn async_handlers_pass_cfn_lint_and_the_appsync_linter() {
    let entry = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/fixtures/echo.mjs");
    let worker = define_function(FunctionProps { name: "worker".into(), entry, ..Default::default() });
    let data = define_data(DataProps { schema: schema(), ..Default::default() });
    let (t, findings) = synth_and_lint("async", data, vec![worker]);
    assert!(findings.is_empty(), "{findings:#?}");
    let functions = t.find_resources(
        "AWS::AppSync::FunctionConfiguration",
        json!({"Properties": {"Name": "AsyncInvokeWorkerFunction"}}),
    );
    let code = functions.values().next().expect("the async invoke function")["Properties"]["Code"].to_string();
    assert!(code.contains("invocationType: 'Event'"), "{code}");
}
