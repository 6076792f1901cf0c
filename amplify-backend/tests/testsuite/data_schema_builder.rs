//! The `a` builder's forms as Amplify writes them: `a::schema! { ... }` with
//! models, enums, custom types and custom operations mixed, and functions
//! given by their definition.

use crate::data_support;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::*;
use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::Backend;
use constructs::{App, AppProps};
use data_support::*;
use serde_json::json;

#[test]
fn schema_macro_takes_a_mix_of_kinds_by_name_in_order() {
    let by_name = a::schema! {
        Status: a::enum_type(["OPEN", "CLOSED"]),
        Location: a::custom_type([("lat", a::float()), ("long", a::float())]),
        Chat: a::model([("name", a::string()), ("status", a::ref_("Status")), ("place", a::ref_("Location"))]),
        "Note": a::model([("text", a::string())]),
        ping: a::query().returns(a::string()).handler(a::handler::function("pinger")),
    };
    let by_steps = Schema::new()
        .add("Status", a::enum_type(["OPEN", "CLOSED"]))
        .add("Location", a::custom_type([("lat", a::float()), ("long", a::float())]))
        .add("Chat", a::model([("name", a::string()), ("status", a::ref_("Status")), ("place", a::ref_("Location"))]))
        .add("Note", a::model([("text", a::string())]))
        .add("ping", a::query().returns(a::string()).handler(a::handler::function("pinger")));
    assert_eq!(by_name, by_steps);
    let kinds: Vec<(&str, &str)> = by_name
        .items()
        .iter()
        .map(|(n, i)| {
            let kind = match i {
                SchemaItem::Model(_) => "model",
                SchemaItem::Enum(_) => "enum",
                SchemaItem::CustomType(_) => "custom type",
                SchemaItem::Operation(_) => "operation",
            };
            (n.as_str(), kind)
        })
        .collect();
    assert_eq!(
        kinds,
        [("Status", "enum"), ("Location", "custom type"), ("Chat", "model"), ("Note", "model"), ("ping", "operation")]
    );
    // It resolves like any schema: the enum and the custom type are Chat's field types.
    let ir = compile(by_name.authorization(|allow| [allow.authenticated()])).ir;
    let chat = ir.model("Chat").unwrap();
    assert!(chat.fields.iter().any(|f| f.name == "status"));
    assert_eq!(a::schema! {}, Schema::new());
}

#[test]
fn a_function_is_given_by_its_definition_or_its_name() {
    let say_hello = define_function(FunctionProps { name: "say-hello".into(), ..Default::default() });
    assert_eq!(a::handler::function(&say_hello), a::handler::function("say-hello"));
    assert_eq!(a::handler::function(say_hello.clone()), a::handler::function(String::from("say-hello")));
    let by_definition =
        a::schema! { Note: a::model([("text", a::string())]) }.authorization(|allow| [allow.resource(&say_hello)]);
    let by_name =
        a::schema! { Note: a::model([("text", a::string())]) }.authorization(|allow| [allow.resource("say-hello")]);
    assert_eq!(by_definition, by_name);
}

#[test]
fn a_backend_wires_the_function_given_by_its_definition() {
    let entry = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/fixtures/echo.mjs");
    let echo = define_function(FunctionProps { name: "echo".into(), entry, ..Default::default() });
    let schema = a::schema! {
        Mood: a::enum_type(["HAPPY", "SAD"]),
        Note: a::model([("text", a::string()), ("mood", a::ref_("Mood"))]).authorization(|allow| [allow.owner()]),
        echo: a::query()
            .arguments([("content", a::string())])
            .returns(a::string())
            .handler(a::handler::function(&echo))
            .authorization(|allow| [allow.authenticated()]),
    }
    .authorization(|allow| [allow.resource(&echo)]);
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() });
    let app = App::with_props(AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!("chatapp")),
            ("amplify-backend-name".to_string(), json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let backend = Backend::build(app, (echo, auth, data));
    let out = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let sources: Vec<String> = out
        .stacks
        .iter()
        .flat_map(|s| s.template["Resources"].as_object().into_iter().flatten())
        .filter(|(_, r)| r["Type"] == "AWS::AppSync::DataSource" && r["Properties"]["Type"] == "AWS_LAMBDA")
        .map(|(_, r)| r["Properties"]["Name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources, ["EchoLambdaDataSource"]);
    let graphql_granted = out.stacks.iter().any(|s| s.template.to_string().contains("\"appsync:GraphQL\""));
    assert!(graphql_granted, "allow.resource(&echo) grants the function the API");
}
