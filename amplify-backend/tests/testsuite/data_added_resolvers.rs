//! Functions and resolvers added over any data source (`add_function`,
//! `add_resolver`; Amplify's `backend.data.addFunction` / `addResolver`): a
//! handler-less query resolved on an HTTP source, a model field resolved by a
//! pipeline of added functions on a table and on NONE, the AppSync resources they
//! become, bad additions refused naming them, and cfn-lint and AWS's AppSync
//! linter finding nothing.

use crate::data_support::*;

use amplify_backend::data::resolvers::DataSourceKind;
use amplify_backend::data::*;
use serde_json::json;

const HTTP_CODE: &str = "import { util } from '@aws-appsync/utils';\n\
    export function request(ctx) {\n  return { method: 'GET', resourcePath: `/weather/${ctx.args.city}` };\n}\n\
    export function response(ctx) {\n  if (ctx.error) {\n    util.error(ctx.error.message, ctx.error.type);\n  }\n  return ctx.result.body;\n}\n";
const GET_CODE: &str = "import { util } from '@aws-appsync/utils';\n\
    export function request(ctx) {\n  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id: ctx.source.id }) };\n}\n\
    export function response(ctx) {\n  return ctx.result;\n}\n";
const SHAPE_CODE: &str = "export function request(ctx) {\n  return { payload: ctx.prev.result };\n}\n\
    export function response(ctx) {\n  return `${ctx.result.title}`.slice(0, 20);\n}\n";

fn schema() -> Schema {
    a::schema! {
        Post: a::model([("title", a::string()), ("summary", a::string())]),
        weather: a::query().arguments([("city", a::string().required())]).returns(a::json()),
    }
    .authorization(|allow| [allow.authenticated()])
}

fn data() -> DataDefinition {
    define_data(DataProps { schema: schema(), ..Default::default() })
        .add_http_data_source("Weather", "https://api.weather.example", HttpDataSourceOptions::default())
        .add_resolver(AddedResolver::unit(
            "Query",
            "weather",
            DataSourceRef::from("Weather"),
            JsCode::Inline(HTTP_CODE.into()),
        ))
        .add_function("fetchPost", DataSourceRef::from(a::ref_("Post")), JsCode::Inline(GET_CODE.into()))
        .add_function("shortTitle", None, JsCode::Inline(SHAPE_CODE.into()))
        .add_resolver(AddedResolver::pipeline("Post", "summary", ["fetchPost", "shortTitle"], None))
}

#[test]
fn added_resolvers_run_their_code_on_the_sources_they_name() {
    let compiled = data().compile(&DataContext::with_auth()).unwrap_or_else(|e| panic!("{e}"));
    assert!(compiled.sdl().contains("weather(city: String!): AWSJSON"), "{}", compiled.sdl());
    let plan = compiled.resolvers();
    let weather = plan.resolver("Query", "weather").expect("the weather resolver");
    assert_eq!(weather.pipeline, ["QueryWeatherAddedFunction"]);
    let unit = plan.function("QueryWeatherAddedFunction").unwrap();
    assert_eq!(unit.data_source, DataSourceKind::Named("Weather".into()));
    assert_eq!(unit.code, HTTP_CODE);
    let summary = plan.resolver("Post", "summary").expect("the summary resolver");
    assert_eq!(summary.pipeline, ["fetchPost", "shortTitle"]);
    assert_eq!(plan.function("fetchPost").unwrap().data_source, DataSourceKind::Table("Post".into()));
    assert_eq!(plan.function("shortTitle").unwrap().data_source, DataSourceKind::None);
}

#[test]
fn added_resolvers_become_appsync_resources_that_pass_cfn_lint_and_the_appsync_linter() {
    let (t, findings) = synth_and_lint("added", data(), Vec::new());
    assert!(findings.is_empty(), "{findings:#?}");
    t.has_resource_properties(
        "AWS::AppSync::Resolver",
        json!({"TypeName": "Query", "FieldName": "weather", "Kind": "PIPELINE"}),
    );
    t.has_resource_properties("AWS::AppSync::Resolver", json!({"TypeName": "Post", "FieldName": "summary"}));
    for name in ["QueryWeatherAddedFunction", "fetchPost", "shortTitle"] {
        t.has_resource_properties("AWS::AppSync::FunctionConfiguration", json!({"Name": name}));
    }
    t.has_resource_properties(
        "AWS::AppSync::DataSource",
        json!({"Name": "Weather", "Type": "HTTP", "HttpConfig": {"Endpoint": "https://api.weather.example"}}),
    );
}

#[test]
fn bad_additions_are_refused_naming_them() {
    let code = || JsCode::Inline(SHAPE_CODE.into());
    let data = define_data(DataProps { schema: schema(), ..Default::default() })
        .add_function("AuthFunction", None, code())
        .add_function("bad-name", DataSourceRef::from("Missing"), code())
        .add_function(
            "broken",
            None,
            JsCode::Inline("export function request(ctx) { try { return {}; } catch (e) {} }".into()),
        )
        .add_resolver(AddedResolver::unit("Query", "getPost", None, code()))
        .add_resolver(AddedResolver::unit("Post", "nothing", None, code()))
        .add_resolver(AddedResolver::pipeline("Post", "summary", ["ghost"], None))
        .add_resolver(AddedResolver::unit("Query", "weather", None, code()));
    let errors = data.compile(&DataContext::with_auth()).expect_err("bad additions");
    let text = errors.to_string();
    for expected in [
        "function AuthFunction: a function is already named `AuthFunction`.",
        "function bad-name: `bad-name` is not an AppSync function name.",
        "function bad-name: the data source `Missing` has not been added.",
        "function broken: the inline code:1:",
        "resolver Query.getPost: `Query.getPost` already has a resolver; AppSync allows one per field.",
        "resolver Post.nothing: the schema declares no field `Post.nothing`.",
        "resolver Post.summary: the pipeline names `ghost`, which is not an added function.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(errors.0.len(), 8, "{text}");
    // Without a handler or an added resolver, a query is refused.
    let errors = define_data(DataProps { schema: schema(), ..Default::default() })
        .compile(&DataContext::with_auth())
        .expect_err("no resolver for weather");
    let text = errors.to_string();
    assert!(text.contains("Query.weather: the operation has no handler") && text.contains("add_resolver"), "{text}");
}
