//! Unit and pipeline resolvers run in AppSync's order, with ctx.stash shared,
//! ctx.prev.result chained, early returns, data source errors and aborts.

// The data source callback answers the API's GraphQL error, as AppSync reports it.
#![allow(clippy::result_large_err)]

use local::appsync::js::{
    run_resolver, Code, Context, DataSource, GraphQlError, Info, PipelineFunction, ResolverCode, ResolverOutcome,
    Runtime,
};
use serde_json::{json, Value};

fn compile(rt: &Runtime, name: &str, request: &str, response: &str) -> Code {
    let code = format!(
        "import {{ util, runtime }} from '@aws-appsync/utils';\n\
         export function request(ctx) {{ {request} }}\n\
         export function response(ctx) {{ {response} }}\n"
    );
    rt.compile(name, &code).unwrap_or_else(|e| panic!("{e}"))
}

fn ctx() -> Context {
    Context {
        arguments: json!({"id": "1"}),
        info: Info { field_name: "getThing".into(), parent_type_name: "Query".into(), ..Default::default() },
        ..Default::default()
    }
}

/// Runs with a data source that records requests and answers `answer(request)`.
fn run(
    rt: &Runtime,
    r: &ResolverCode,
    answer: impl Fn(&Value) -> Result<Value, GraphQlError>,
) -> (ResolverOutcome, Vec<(String, Value)>) {
    let mut seen = Vec::new();
    let mut invoke = |ds: &str, req: Value| {
        let a = answer(&req);
        seen.push((ds.to_string(), req));
        a
    };
    (run_resolver(rt, r, ctx(), &mut invoke).unwrap_or_else(|e| panic!("{e}")), seen)
}

fn named(n: &str) -> DataSource {
    DataSource::Named(n.into())
}

#[test]
fn a_unit_resolver_sends_its_request_and_shapes_the_answer() {
    let rt = Runtime::new();
    let code = compile(
        &rt,
        "Query.getThing",
        "return { operation: 'GetItem', id: ctx.args.id };",
        "return { got: ctx.result, err: ctx.error ?? null };",
    );
    let r = ResolverCode::Unit { code, data_source: named("Things") };
    let (out, seen) = run(&rt, &r, |req| Ok(json!({"id": req["id"]})));
    assert_eq!(seen, [("Things".to_string(), json!({"operation": "GetItem", "id": "1"}))]);
    assert_eq!(out.result, json!({"got": {"id": "1"}, "err": null}));
    // A data source error reaches the response handler as ctx.error.
    let (out, _) = run(&rt, &r, |_| Err(GraphQlError::new("no table", "DynamoDB:ResourceNotFoundException")));
    assert_eq!(
        out.result,
        json!({"got": null, "err": {"message": "no table", "type": "DynamoDB:ResourceNotFoundException"}})
    );
}

#[test]
fn none_data_sources_answer_the_payload() {
    let rt = Runtime::new();
    let code = compile(&rt, "Query.local", "return { payload: { echo: ctx.args.id } };", "return ctx.result;");
    let (out, seen) = run(&rt, &ResolverCode::Unit { code, data_source: DataSource::None }, |_| panic!("not called"));
    assert!(seen.is_empty());
    assert_eq!(out.result, json!({"echo": "1"}));
}

#[test]
fn early_return_in_a_unit_request_skips_the_data_source_and_response() {
    let rt = Runtime::new();
    let code = compile(&rt, "Query.early", "runtime.earlyReturn({ cached: true });", "return 'response ran';");
    let (out, seen) = run(&rt, &ResolverCode::Unit { code, data_source: named("Things") }, |_| Ok(Value::Null));
    assert!(seen.is_empty());
    assert_eq!(out.result, json!({"cached": true}));
}

#[test]
fn a_pipeline_chains_prev_result_and_shares_the_stash() {
    let rt = Runtime::new();
    let before = compile(
        &rt,
        "Query.pipe",
        "ctx.stash.trail = ['before']; return { from: 'before' };",
        "ctx.stash.trail.push('after'); return { last: ctx.prev.result, trail: ctx.stash.trail };",
    );
    let f1 = compile(
        &rt,
        "function one",
        "ctx.stash.trail.push('one'); return { payload: { saw: ctx.prev.result } };",
        "return { one: ctx.result };",
    );
    let f2 = compile(
        &rt,
        "function two",
        "ctx.stash.trail.push('two'); return { operation: 'GetItem', prev: ctx.prev.result };",
        "ctx.stash.trail.push('two-response'); return { two: ctx.result, prev: ctx.prev.result };",
    );
    let r = ResolverCode::Pipeline {
        code: before,
        functions: vec![
            PipelineFunction { code: f1, data_source: DataSource::None },
            PipelineFunction { code: f2, data_source: named("Things") },
        ],
    };
    let (out, seen) = run(&rt, &r, |_| Ok(json!("item")));
    assert_eq!(
        seen,
        [("Things".to_string(), json!({"operation": "GetItem", "prev": {"one": {"saw": {"from": "before"}}}}))]
    );
    assert_eq!(
        out.result,
        json!({"last": {"two": "item", "prev": {"one": {"saw": {"from": "before"}}}},
            "trail": ["before", "one", "two", "two-response", "after"]})
    );
    assert_eq!(out.stash()["trail"], json!(["before", "one", "two", "two-response", "after"]));
}

#[test]
fn early_return_in_a_function_skips_its_data_source_or_the_rest() {
    let rt = Runtime::new();
    let before = compile(&rt, "Query.pipe", "return {};", "return ctx.prev.result;");
    let skip = compile(&rt, "function skip", "runtime.earlyReturn({ skipped: true });", "return 'not run';");
    let end =
        compile(&rt, "function end", "runtime.earlyReturn({ ended: true }, { skipTo: 'END' });", "return 'not run';");
    let next =
        compile(&rt, "function next", "return { operation: 'Next', prev: ctx.prev.result };", "return ctx.result;");
    let f = |code: &Code| PipelineFunction { code: code.clone(), data_source: named("Things") };
    let (out, seen) =
        run(&rt, &ResolverCode::Pipeline { code: before.clone(), functions: vec![f(&skip), f(&next)] }, |r| {
            Ok(r.clone())
        });
    // The next function runs, with the early return as prev.result.
    assert_eq!(seen.len(), 1);
    assert_eq!(out.result, json!({"operation": "Next", "prev": {"skipped": true}}));
    let (out, seen) =
        run(&rt, &ResolverCode::Pipeline { code: before, functions: vec![f(&end), f(&next)] }, |r| Ok(r.clone()));
    assert!(seen.is_empty(), "skipTo END skips the rest of the pipeline");
    assert_eq!(out.result, json!({"ended": true}));
}

#[test]
fn early_return_in_the_before_step_goes_straight_to_the_after_step() {
    let rt = Runtime::new();
    let before = compile(&rt, "Query.pipe", "runtime.earlyReturn({ short: 1 });", "return { after: ctx.prev.result };");
    let f = compile(&rt, "function f", "return {};", "return 'not run';");
    let r = ResolverCode::Pipeline {
        code: before,
        functions: vec![PipelineFunction { code: f, data_source: named("Things") }],
    };
    let (out, seen) = run(&rt, &r, |_| Ok(Value::Null));
    assert!(seen.is_empty());
    assert_eq!(out.result, json!({"after": {"short": 1}}));
}

#[test]
fn util_error_in_a_function_ends_the_field_with_every_error() {
    let rt = Runtime::new();
    let before = compile(&rt, "Query.pipe", "util.appendError('noted', 'Warning'); return {};", "return 'after ran';");
    let f =
        compile(&rt, "function check", "util.error('bad input', 'ValidationError', { field: 'id' });", "return null;");
    let later = compile(&rt, "function later", "return {};", "return 'not run';");
    let r = ResolverCode::Pipeline {
        code: before,
        functions: vec![
            PipelineFunction { code: f, data_source: named("Things") },
            PipelineFunction { code: later, data_source: named("Things") },
        ],
    };
    let (out, seen) = run(&rt, &r, |_| Ok(Value::Null));
    assert!(seen.is_empty());
    assert_eq!(out.result, Value::Null);
    assert_eq!(
        out.errors,
        [
            GraphQlError::new("noted", "Warning"),
            GraphQlError { data: Some(json!({"field": "id"})), ..GraphQlError::new("bad input", "ValidationError") }
        ]
    );
}

#[test]
fn a_fault_in_a_function_names_that_function() {
    let rt = Runtime::new();
    let before = compile(&rt, "Query.pipe", "return {};", "return null;");
    let f = compile(&rt, "function broken", "return ctx.args.nothing.deeper;", "return null;");
    let r = ResolverCode::Pipeline {
        code: before,
        functions: vec![PipelineFunction { code: f, data_source: DataSource::None }],
    };
    let mut invoke = |_: &str, _: Value| -> Result<Value, GraphQlError> { Ok(Value::Null) };
    let e = run_resolver(&rt, &r, ctx(), &mut invoke).unwrap_err();
    assert_eq!(e.name, "function broken");
    assert_eq!(e.handler, Some("request"));
    assert!(e.message.contains("TypeError"), "{e}");
}

#[test]
fn code_runs_on_any_thread() {
    let rt = Runtime::new();
    let code = compile(&rt, "Query.threads", "return { payload: ctx.args.id };", "return ctx.result;");
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let (rt, code) = (rt.clone(), code.clone());
            std::thread::spawn(move || {
                let c = Context { arguments: json!({"id": i}), ..ctx() };
                let mut invoke = |_: &str, _: Value| -> Result<Value, GraphQlError> { unreachable!() };
                run_resolver(&rt, &ResolverCode::Unit { code, data_source: DataSource::None }, c, &mut invoke)
                    .unwrap()
                    .result
            })
        })
        .collect();
    let results: Vec<Value> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results, [json!(0), json!(1), json!(2), json!(3)]);
}
