//! The data part of the L3 bad-input corpus: schemas and custom handlers that
//! AppSync or CloudFormation would refuse fail synthesis at `amplifyData`, with
//! the code, the schema element, a fix in `a::` terms, no panic and no files
//! left behind. Custom handler code is checked against the APPSYNC_JS runtime's
//! restrictions, with its file, line and column.

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::codes;
use amplify_backend::data::*;
use amplify_backend::{Backend, IntoDefinitions};
use constructs::assertions::expect_synth_failure;
use constructs::Diagnostic;

use crate::function_support::{app, say_hello, ROOT};

fn data_path() -> String {
    format!("{ROOT}/data/amplifyData")
}

fn fails<D: IntoDefinitions>(code: &str, definitions: D) -> Diagnostic {
    let backend = Backend::build(app(), definitions);
    expect_synth_failure(code, |dir| {
        backend.app().set_outdir(dir);
        backend.synth()
    })
}

fn auth() -> amplify_backend::auth::AuthDefinition {
    define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() })
}

fn data(schema: Schema) -> DataDefinition {
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
}

fn owned(fields: Vec<(&str, Field)>) -> Model {
    a::model(fields).authorization(|allow| [allow.owner()])
}

/// A query answered by `handler`, callable by signed-in users.
fn query(handler: Handler) -> CustomOperation {
    a::query()
        .arguments([("id", a::id())])
        .returns(a::string())
        .handler(handler)
        .authorization(|allow| [allow.authenticated()])
}

fn with_query(handler: Handler) -> Schema {
    a::schema([("Note", owned(vec![("text", a::string())]))]).add("echo", query(handler))
}

/// Handler code that is valid APPSYNC_JS but for `body`, the request's body.
fn handler_with(body: &str) -> Handler {
    a::handler::custom_inline(format!(
        "export function request(ctx) {{\n{body}\n  return {{}};\n}}\nexport function response(ctx) {{\n  return ctx.result;\n}}\n"
    ))
}

macro_rules! bad_data {
    ($($name:ident: $code:expr, $text:literal, $definitions:expr;)*) => {$(
        #[test]
        fn $name() {
            let d = fails($code, $definitions);
            assert_eq!(d.path, data_path(), "{d}");
            assert!(d.message.contains($text), "'{}' not in: {d}", $text);
        }
    )*};
}

bad_data! {
    model_name_with_a_space: codes::DATA_SCHEMA, "Todo item",
        (auth(), data(a::schema([("Todo item", owned(vec![("text", a::string())]))])));
    relationship_to_a_missing_model: codes::DATA_SCHEMA, "Mesage",
        (auth(), data(a::schema([("Chat", owned(vec![("messages", a::has_many("Mesage", "chatId"))]))])));
    has_many_without_its_reference_field: codes::DATA_SCHEMA, "chatId",
        (auth(), data(a::schema([
            ("Chat", owned(vec![("messages", a::has_many("Message", "chatId"))])),
            ("Message", owned(vec![("chat", a::belongs_to("Chat", "chatId"))])),
        ])));
    custom_query_without_a_handler: codes::DATA_SCHEMA, "echo",
        (auth(), data(a::schema([("Note", owned(vec![("text", a::string())]))]).add(
            "echo",
            a::query().returns(a::string()).authorization(|allow| [allow.authenticated()]),
        )));
    custom_handler_file_missing: codes::DATA_SCHEMA, "handler file",
        (auth(), data(with_query(a::handler::custom("/definitely/not/here/echo.js"))));
    handler_function_not_in_the_backend: codes::DATA_SCHEMA, "ghost",
        (auth(), data(with_query(a::handler::function("ghost"))));
    handler_on_a_model_that_does_not_exist: codes::DATA_SCHEMA, "Nope",
        (auth(), data(with_query(handler_with("").data_source(a::ref_("Nope")))));
    user_pool_mode_without_auth: codes::DATA_SCHEMA, "no auth",
        (data(a::schema([("Note", owned(vec![("text", a::string())]))])),);
    enum_value_with_a_space: codes::DATA_SCHEMA, "in progress",
        (auth(), data(a::schema([("Note", owned(vec![("text", a::string())]))]).add("Status", a::enum_type(["open", "in progress"]))));
    model_name_in_lower_case: codes::DATA_SCHEMA, "PascalCase",
        (auth(), data(a::schema([("Note", owned(vec![("text", a::string())])), ("note", owned(vec![("text", a::string())]))])));
    js_handler_with_a_syntax_error: codes::DATA_RESOLVER_CODE, "syntax",
        (auth(), data(with_query(handler_with("  const x = ;"))));
    js_handler_with_try_catch: codes::DATA_RESOLVER_CODE, "try/catch",
        (auth(), data(with_query(handler_with("  try { ctx.stash.a = 1; } catch (e) { }"))));
    js_handler_that_throws: codes::DATA_RESOLVER_CODE, "util.error",
        (auth(), data(with_query(handler_with("  throw new Error('no');"))));
    js_handler_with_async: codes::DATA_RESOLVER_CODE, "async",
        (auth(), data(with_query(a::handler::custom_inline(
            "export async function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }\n",
        ))));
    js_handler_with_a_while_loop: codes::DATA_RESOLVER_CODE, "while",
        (auth(), data(with_query(handler_with("  let i = 0;\n  while (i < 3) { i += 1; }"))));
    js_handler_with_increment: codes::DATA_RESOLVER_CODE, "++",
        (auth(), data(with_query(handler_with("  let i = 0;\n  i++;"))));
    js_handler_importing_a_package: codes::DATA_RESOLVER_CODE, "axios",
        (auth(), data(with_query(a::handler::custom_inline(
            "import axios from 'axios';\nexport function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }\n",
        ))));
    js_handler_without_a_response: codes::DATA_RESOLVER_CODE, "response",
        (auth(), data(with_query(a::handler::custom_inline("export function request(ctx) { return {}; }\n"))));
    js_handler_with_a_class: codes::DATA_RESOLVER_CODE, "classes",
        (auth(), data(with_query(handler_with("  class A {}"))));
    js_handler_recursion: codes::DATA_RESOLVER_CODE, "recursive",
        (auth(), data(with_query(a::handler::custom_inline(
            "function f(n) { return n > 0 ? f(n - 1) : 0; }\nexport function request(ctx) { return { n: f(3) }; }\nexport function response(ctx) { return ctx.result; }\n",
        ))));
}

/// A model's name becomes its nested stack's id, a table name and file names:
/// a long one is refused with the model's name, not an OS error at writing.
#[test]
fn a_model_name_too_long_for_its_table_and_files() {
    let name = format!("Note{}", "x".repeat(240));
    let d = fails(codes::DATA_SCHEMA, (auth(), data(a::schema([(name.as_str(), owned(vec![("text", a::string())]))]))));
    assert_eq!(d.path, data_path(), "{d}");
    assert!(d.message.contains(&name[..20]), "{d}");
}

/// `n` queries, each answered by a function of its own.
fn lambda_backed_queries(
    n: usize,
) -> (amplify_backend::auth::AuthDefinition, DataDefinition, Vec<amplify_backend::function::FunctionDefinition>) {
    let mut schema = a::schema([("Note", owned(vec![("text", a::string())]))]);
    let mut functions = Vec::new();
    for i in 0..n {
        let name = format!("q{i}");
        schema = schema.add(&name, query(a::handler::function(name.as_str())));
        functions.push(amplify_backend::function::define_function(amplify_backend::FunctionProps {
            name: name.clone(),
            entry: crate::function_support::fixture("say-hello/handler.ts"),
            ..Default::default()
        }));
    }
    (auth(), data(schema), functions)
}

/// Each handler function's data source, role and invoking function go in a
/// shard of their own (`data_operation_shards`), so the data stack takes only
/// each function's ARN, as a parameter; the function stack gives two outputs per
/// function. So 250 functions fit neither template. Each fix is in the
/// backend's terms, not construct-layer advice an L3 user cannot follow.
#[test]
fn too_many_lambda_backed_queries_say_how_to_share_functions() {
    let d = fails(constructs::codes::TEMPLATE_QUOTA, lambda_backed_queries(250));
    assert!(!d.fix.contains("NestedStack"), "{d}");
    let backend = Backend::build(app(), lambda_backed_queries(250));
    let err = backend.app().synth_in_memory().unwrap_err();
    let quota: Vec<_> = err.problems.iter().filter(|p| p.code == constructs::codes::TEMPLATE_QUOTA).collect();
    let at = |stack: &str| quota.iter().find(|p| p.path == format!("{ROOT}/{stack}")).map(|p| p.fix.as_str());
    assert!(at("function").is_some_and(|f| f.contains("resource_group_name")), "{err}");
    assert!(at("data").is_some_and(|f| f.contains("a::handler::function")), "{err}");
    assert!(quota.iter().all(|p| !p.fix.contains("NestedStack")), "{err}");
}

#[test]
fn a_handler_file_error_names_the_operation_file_line_and_column() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/resolvers/uses-try.js");
    let d = fails(codes::DATA_RESOLVER_CODE, (auth(), data(with_query(a::handler::custom(&file)))));
    assert_eq!(d.path, data_path());
    assert!(d.message.contains("Query.echo"), "{d}");
    assert!(d.message.contains(&format!("{}:3:3", file.display())), "{d}");
    assert!(d.message.contains("no-try"), "{d}");
    assert!(d.fix.contains("util.error") || d.fix.contains("return"), "{d}");
}

#[test]
fn every_violation_of_a_handler_is_reported_at_once() {
    let handler = handler_with("  let i = 0;\n  i++;\n  while (i < 3) { i += 1; }");
    let backend = Backend::build(app(), (auth(), data(with_query(handler))));
    let err = backend.app().synth_in_memory().unwrap_err();
    let rules: Vec<&str> =
        err.problems.iter().filter(|p| p.code == codes::DATA_RESOLVER_CODE).map(|p| p.message.as_str()).collect();
    assert_eq!(rules.len(), 2, "{err}");
    assert!(rules[0].contains(":3:3") && rules[1].contains(":4:3"), "{err}");
}

#[test]
fn valid_handler_code_synthesizes() {
    let handler = handler_with("  const ids = [1, 2];\n  for (const i of ids) { ctx.stash[`k${i}`] = i ?? 0; }");
    let backend = Backend::build(app(), (auth(), data(with_query(handler)), say_hello()));
    backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
}
