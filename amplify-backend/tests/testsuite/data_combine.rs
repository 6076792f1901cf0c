//! `a::combine` (Amplify's `a.combine([...])`): one API from several schemas,
//! each schema's rules on its own models and operations, items referring across
//! schemas, function access granted to the whole API, and a name declared twice
//! refused.

use crate::data_support::*;

use amplify_backend::data::*;
use serde_json::json;

fn blog() -> Schema {
    a::schema! {
        Status: a::enum_type(["DRAFT", "LIVE"]),
        Post: a::model([("title", a::string()), ("status", a::ref_("Status"))]),
        latest: a::query().returns(a::string()).handler(a::handler::function("echo")),
    }
    .authorization(|allow| [allow.public_api_key(), allow.resource("echo")])
}

fn shop() -> Schema {
    a::schema! {
        Order: a::model([("total", a::float()), ("status", a::ref_("Status"))]),
        Invoice: a::model([("sum", a::float())]).authorization(|allow| [allow.authenticated()]),
    }
    .authorization(|allow| [allow.owner()])
}

fn modes() -> AuthorizationModes {
    AuthorizationModes { api_key_authorization_mode: Some(Default::default()), ..AuthorizationModes::user_pool() }
}

#[test]
fn each_schema_keeps_its_rules_in_the_combined_api() {
    let compiled = compile_with(a::combine([blog(), shop()]), modes());
    let mi = compiled.model_introspection();
    let rules = |model: &str| {
        mi["models"][model]["attributes"].as_array().unwrap().iter().find(|a| a["type"] == "auth").unwrap()
            ["properties"]["rules"]
            .clone()
    };
    assert_eq!(rules("Post")[0]["allow"], "public", "{}", rules("Post"));
    assert_eq!(rules("Order")[0]["allow"], "owner", "{}", rules("Order"));
    assert_eq!(rules("Invoice")[0]["allow"], "private", "a model's own rules win: {}", rules("Invoice"));
    let shape = describe_sdl(&compiled.sdl());
    assert_eq!(shape["Order"]["fields"]["status"]["type"], "Status", "a reference across schemas resolves");
    assert_eq!(shape["Query"]["fields"]["latest"]["directives"], json!(["@aws_api_key", "@aws_iam"]));
    // `allow.resource("echo")` in one schema grants the function the whole API.
    assert_eq!(compiled.ir.function_access.len(), 1);
}

#[test]
fn a_name_declared_by_two_schemas_is_refused() {
    let other = a::schema([("Post", a::model([("body", a::string())]))]).authorization(|allow| [allow.owner()]);
    let errors = errors(a::combine([blog(), other]), modes(), DataContext::with_auth());
    let text = errors.to_string();
    assert!(text.contains("Post: `Post` is declared more than once in the schema."), "{text}");
    assert_eq!(errors.0.len(), 1, "{text}");
}
