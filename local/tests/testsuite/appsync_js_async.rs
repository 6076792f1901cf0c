//! Async function handlers (`a::handler::function(f).async_()`) run locally: the
//! code amplify-backend generates goes through the pipeline to the `AWS_LAMBDA`
//! data source, which hands the event over without waiting (Lambda's `Event`
//! type) and the operation answers `{ success }`.

// The data source callback answers the API's GraphQL error, as AppSync reports it.
#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};

use amplify_backend::data::resolvers::DataSourceKind;
use amplify_backend::data::{a, define_data, DataContext, DataProps};
use local::appsync::datasource::{DataSource as Source, LambdaApi};
use local::appsync::js::{
    run_resolver, AuthType, Context, DataSource, GraphQlError, Info, PipelineFunction, ResolverCode, Runtime,
};
use serde_json::{json, Value};

/// Records events handed over asynchronously; refuses them when `refuse` is set.
/// A synchronous invocation fails the test: the async handler must not wait.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<(String, Value)>>,
    refuse: bool,
}

impl LambdaApi for Recorder {
    fn invoke(&self, function: &str, _: &Value) -> Result<Value, (String, String)> {
        panic!("{function} was invoked synchronously");
    }

    fn invoke_event(&self, function: &str, event: &Value) -> Result<(), (String, String)> {
        if self.refuse {
            return Err(("TooManyRequestsException".into(), "Rate exceeded".into()));
        }
        self.events.lock().unwrap().push((function.to_string(), event.clone()));
        Ok(())
    }
}

/// The `enqueue` mutation's resolver, as amplify-backend generates it, compiled.
fn enqueue(rt: &Runtime) -> ResolverCode {
    let schema = a::schema([
        (
            "enqueue",
            a::mutation()
                .arguments([("job", a::string().required())])
                .returns(a::string())
                .handler(a::handler::function("worker").async_())
                .authorization(|allow| [allow.authenticated()]),
        ),
        // GraphQL needs a query.
        (
            "status",
            a::query()
                .returns(a::string())
                .handler(a::handler::function("worker"))
                .authorization(|allow| [allow.authenticated()]),
        ),
    ]);
    let plan = define_data(DataProps { schema, ..Default::default() })
        .compile(&DataContext::with_auth())
        .unwrap_or_else(|e| panic!("{e}"))
        .resolvers();
    let resolver = plan.resolver("Mutation", "enqueue").expect("the enqueue resolver");
    let functions = resolver
        .pipeline
        .iter()
        .map(|name| {
            let f = plan.function(name).unwrap_or_else(|| panic!("no function {name}"));
            let data_source = match &f.data_source {
                DataSourceKind::None => DataSource::None,
                DataSourceKind::Lambda(function) => DataSource::Named(function.clone()),
                other => panic!("unexpected data source {other:?}"),
            };
            PipelineFunction { code: rt.compile(name, &f.code).unwrap_or_else(|e| panic!("{e}")), data_source }
        })
        .collect();
    ResolverCode::Pipeline { code: rt.compile("Mutation.enqueue", &resolver.code).unwrap(), functions }
}

fn alice() -> Context {
    Context {
        arguments: json!({"job": "resize"}),
        identity: Some(
            json!({"sub": "u1", "username": "alice", "claims": {"sub": "u1", "cognito:username": "alice"}}).into(),
        ),
        info: Info { field_name: "enqueue".into(), parent_type_name: "Mutation".into(), ..Default::default() },
        auth_type: AuthType::UserPools,
        ..Default::default()
    }
}

fn run(recorder: Arc<Recorder>) -> local::appsync::js::ResolverOutcome {
    let rt = Runtime::new();
    let resolver = enqueue(&rt);
    let lambda = Source::Lambda { function: "worker".into(), runner: recorder };
    let mut invoke = |ds: &str, request: Value| -> Result<Value, GraphQlError> {
        assert_eq!(ds, "worker");
        lambda.invoke(request)
    };
    run_resolver(&rt, &resolver, alice(), &mut invoke).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_async_handler_hands_the_event_over_and_answers_success() {
    let recorder = Arc::new(Recorder::default());
    let out = run(recorder.clone());
    assert_eq!(out.errors, []);
    assert_eq!(out.result, json!({"success": true}));
    let events = recorder.events.lock().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "worker");
    assert_eq!(events[0].1["fieldName"], "enqueue");
    assert_eq!(events[0].1["typeName"], "Mutation");
    assert_eq!(events[0].1["arguments"], json!({"job": "resize"}));
}

#[test]
fn a_refused_event_answers_no_success_and_the_error() {
    let out = run(Arc::new(Recorder { refuse: true, ..Default::default() }));
    assert_eq!(out.result, json!({"success": false}));
    assert_eq!(out.errors, [GraphQlError::new("Rate exceeded", "Lambda:TooManyRequestsException")]);
}
