//! Data sources over existing resources (`add_*_data_source`), and custom
//! handlers naming theirs (`a::handler::custom((source, entry))`): the AppSync
//! data source of each kind, a role allowed exactly what it needs, each handler
//! step on its source, bad input refused naming the source and the fix, and
//! cfn-lint finding nothing.

use crate::data_support::sandbox_app;
use crate::lint_support::cfn_lint_findings;
use crate::storage_support::scratch_dir;

use std::path::PathBuf;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::resolvers::DataSourceKind;
use amplify_backend::data::{
    a, define_data, AuthorizationModes, DataDefinition, DataProps, HttpDataSourceOptions, SigV4Signing,
};
use amplify_backend::iam::PolicyStatement;
use amplify_backend::{Backend, Category};
use constructs::assertions::{Match, Template};
use constructs::{App, AppProps};
use serde_json::{json, Value as Json};

const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:legacy-pricing";
const BUS: &str = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
const DOMAIN: &str = "arn:aws:es:us-east-1:123456789012:domain/products";
const SEARCH: &str = "https://search-products-abc123.us-east-1.es.amazonaws.com";

/// A custom handler's code, as a file next to the test's scratch directory.
fn handler_file(name: &str) -> PathBuf {
    let dir = scratch_dir("data-sources-handlers");
    let path = dir.join(name);
    let code = "import { util } from '@aws-appsync/utils';\n\
                export function request(ctx) { return { operation: 'Invoke', payload: ctx.args }; }\n\
                export function response(ctx) { return ctx.result; }\n";
    std::fs::write(&path, code).unwrap();
    path
}

fn data() -> DataDefinition {
    let op = |ret: amplify_backend::data::Field, source: &str| {
        a::query()
            .returns(ret)
            .handler(a::handler::custom((source, handler_file(&format!("{source}.js")))))
            .authorization(|allow| [allow.authenticated()])
    };
    let schema = a::schema([
        ("price", op(a::float(), "Pricing")),
        ("publishOrder", op(a::json(), "Orders")),
        ("searchProducts", op(a::json(), "Products")),
        ("translate", op(a::string(), "Translate")),
        ("legacyItem", op(a::json(), "Legacy")),
    ]);
    let translate = PolicyStatement::allow(["translate:TranslateText"], ["*".into()]);
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
        .add_lambda_data_source("Pricing", FUNCTION)
        .add_event_bridge_data_source("Orders", BUS)
        .add_open_search_data_source("Products", SEARCH, DOMAIN)
        .add_http_data_source(
            "Translate",
            "https://translate.us-east-1.amazonaws.com",
            HttpDataSourceOptions {
                authorization: Some(SigV4Signing::new("us-east-1", "translate").allow(translate)),
                description: Some("Amazon Translate".into()),
            },
        )
        .add_dynamo_db_data_source("Legacy", "legacy-items")
}

fn auth() -> amplify_backend::auth::AuthDefinition {
    define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() })
}

/// The role statements of the data source `name`.
fn role_statements(t: &Template, name: &str) -> Json {
    let sources = t.find_resources("AWS::AppSync::DataSource", json!({"Properties": {"Name": name}}));
    let source = sources.values().next().unwrap_or_else(|| panic!("no data source {name}"));
    let role_id = source["Properties"]["ServiceRoleArn"]["Fn::GetAtt"][0].as_str().expect("a role");
    t.to_json()["Resources"][role_id]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].clone()
}

#[test]
fn each_kind_of_source_is_configured_with_a_role_for_exactly_its_resource() {
    let backend = Backend::build(sandbox_app(), (auth(), data()));
    let t = Template::from_stack(&backend.stack(Category::Data));
    t.has_resource_properties(
        "AWS::AppSync::DataSource",
        json!({"Name": "Pricing", "Type": "AWS_LAMBDA", "LambdaConfig": {"LambdaFunctionArn": FUNCTION}}),
    );
    assert_eq!(
        role_statements(&t, "Pricing"),
        json!([{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": [FUNCTION, format!("{FUNCTION}:*")]}])
    );
    t.has_resource_properties(
        "AWS::AppSync::DataSource",
        json!({"Name": "Orders", "Type": "AMAZON_EVENTBRIDGE", "EventBridgeConfig": {"EventBusArn": BUS}}),
    );
    assert_eq!(
        role_statements(&t, "Orders"),
        json!([{"Action": "events:PutEvents", "Effect": "Allow", "Resource": BUS}])
    );
    t.has_resource_properties(
        "AWS::AppSync::DataSource",
        json!({"Name": "Products", "Type": "AMAZON_OPENSEARCH_SERVICE",
               "OpenSearchServiceConfig": {"Endpoint": SEARCH, "AwsRegion": "us-east-1"}}),
    );
    let search = role_statements(&t, "Products");
    assert_eq!(search[0]["Resource"], json!([DOMAIN, format!("{DOMAIN}/*")]));
    assert!(search[0]["Action"].as_array().unwrap().iter().all(|a| a.as_str().unwrap().starts_with("es:ESHttp")));
    t.has_resource_properties(
        "AWS::AppSync::DataSource",
        json!({"Name": "Translate", "Type": "HTTP", "Description": "Amazon Translate",
               "HttpConfig": {"Endpoint": "https://translate.us-east-1.amazonaws.com",
                 "AuthorizationConfig": {"AuthorizationType": "AWS_IAM",
                   "AwsIamConfig": {"SigningRegion": "us-east-1", "SigningServiceName": "translate"}}}}),
    );
    assert_eq!(role_statements(&t, "Translate")[0]["Action"], "translate:TranslateText");
    t.has_resource_properties(
        "AWS::AppSync::DataSource",
        json!({"Name": "Legacy", "Type": "AMAZON_DYNAMODB", "DynamoDBConfig": {"TableName": "legacy-items"}}),
    );
    assert!(role_statements(&t, "Legacy").to_string().contains("legacy-items"));
    // Every role is for AppSync, and only for this API.
    let roles = t.find_resources("AWS::IAM::Role", Match::any_value());
    assert_eq!(roles.len(), 5, "{:?}", roles.keys());
    for role in roles.values() {
        let trust = &role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
        assert_eq!(trust["Principal"]["Service"], "appsync.amazonaws.com");
        assert!(trust["Condition"]["ArnEquals"]["aws:SourceArn"].is_object(), "{trust}");
    }
}

#[test]
fn an_unsigned_http_source_needs_no_role() {
    let schema = a::schema([(
        "weather",
        a::query()
            .returns(a::json())
            .handler(a::handler::custom(("Weather", handler_file("w.js"))))
            .authorization(|allow| [allow.authenticated()]),
    )]);
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
            .add_http_data_source("Weather", "https://api.weather.example", HttpDataSourceOptions::default());
    let backend = Backend::build(sandbox_app(), (auth(), data));
    let t = Template::from_stack(&backend.stack(Category::Data));
    t.has_resource_properties(
        "AWS::AppSync::DataSource",
        Match::object_like([
            ("Name", Match::exact(json!("Weather"))),
            ("ServiceRoleArn", Match::absent()),
            ("HttpConfig", Match::object_like([("AuthorizationConfig", Match::absent())])),
        ]),
    );
}

#[test]
fn each_handler_step_runs_on_the_source_it_names() {
    let backend = Backend::build(sandbox_app(), (auth(), data()));
    let (_, data) = backend.parts();
    let plan = data.as_ref().expect("the schema validates").compiled().resolvers();
    for (op, source) in [
        ("Price", "Pricing"),
        ("PublishOrder", "Orders"),
        ("SearchProducts", "Products"),
        ("Translate", "Translate"),
        ("LegacyItem", "Legacy"),
    ] {
        let step = plan.function(&format!("Query{op}Step1Function")).unwrap_or_else(|| panic!("no step for {op}"));
        assert_eq!(step.data_source, DataSourceKind::Named(source.into()), "{op}");
    }
    // `(a::ref_(model), entry)` runs on the model's table.
    let schema = a::schema! {
        Post: a::model([("title", a::string())]),
        countPosts: a::query().returns(a::integer()).handler(a::handler::custom((a::ref_("Post"), handler_file("count.js")))),
    }
    .authorization(|allow| [allow.authenticated()]);
    let compiled = define_data(DataProps { schema, ..Default::default() })
        .compile(&amplify_backend::data::DataContext::with_auth())
        .unwrap();
    let step = compiled.resolvers().function("QueryCountPostsStep1Function").cloned().unwrap();
    assert_eq!(step.data_source, DataSourceKind::Table("Post".into()));
}

#[test]
fn bad_sources_are_refused_naming_the_source_and_the_fix() {
    let schema = a::schema([(
        "q",
        a::query()
            .returns(a::json())
            .handler(a::handler::custom(("Missing", handler_file("m.js"))))
            .authorization(|allow| [allow.authenticated()]),
    )]);
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
            .add_lambda_data_source("Pricing", "legacy-pricing")
            .add_event_bridge_data_source("Orders", "arn:aws:events:us-east-1:123456789012:rule/orders")
            .add_open_search_data_source("Products", "search.example", DOMAIN)
            .add_dynamo_db_data_source("Orders", "arn:aws:dynamodb:us-east-1:123456789012:table/x")
            .add_http_data_source("bad-name", "ftp://x", HttpDataSourceOptions::default());
    let errors = data.compile(&amplify_backend::data::DataContext::with_auth()).expect_err("refused");
    let text = errors.to_string();
    for expected in [
        "data source Pricing: `legacy-pricing` is not a Lambda function ARN. Fix: give it as `arn:aws:lambda:",
        "data source Orders: `arn:aws:events:us-east-1:123456789012:rule/orders` is not an EventBridge event bus ARN.",
        "data source Products: the OpenSearch endpoint `search.example` is not an https URL.",
        "data source Orders: two data sources are named `Orders`.",
        "not a DynamoDB table name. Fix: give the table's name",
        "data source bad-name: the data source name `bad-name` is not an AppSync name.",
        "the endpoint `ftp://x` is not an HTTP URL.",
        "the handler's data source `Missing` has not been added. Fix: add it with `add_dynamo_db_data_source`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(errors.0.len(), 8, "{text}");
}

#[test]
fn cfn_lint_finds_nothing_in_data_sources_over_existing_resources() {
    let dir = scratch_dir("data-sources-lint");
    let app = App::with_props(AppProps { outdir: Some(dir.clone()), ..sandbox_props() });
    let backend = Backend::build(app, (auth(), data()));
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let findings = cfn_lint_findings(&files);
    assert!(findings.is_empty(), "{findings:#?}");
}

fn sandbox_props() -> AppProps {
    AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!("chatapp")),
            ("amplify-backend-name".to_string(), json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    }
}
