//! Function placement with real categories: a function that auth and data both
//! call deploys without a cycle between nested stacks, and a function for which
//! every stack closes a cycle is reported with each cycle.

mod function_support;

use amplify_backend::auth::{auth_access, define_auth, AuthAction, AuthProps, LoginWith, Triggers};
use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps};
use amplify_backend::function::{define_function, function, FunctionDefinition, FunctionProps};
use constructs::IConstruct;
use function_support::{backend, ROOT};
use serde_json::Value;

fn post_confirmation() -> FunctionDefinition {
    define_function(FunctionProps {
        name: "post-confirmation".into(),
        entry: "tests/fixtures/functions/say-hello/handler.ts".into(),
        ..Default::default()
    })
}

fn chat_models() -> amplify_backend::data::Schema {
    a::schema([("Chat", a::model([("name", a::string())]).authorization(|allow| [allow.owner()]))])
}

fn data(schema: amplify_backend::data::Schema) -> amplify_backend::data::DataDefinition {
    define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
}

fn auth_triggering(
    f: &FunctionDefinition,
    access: Vec<amplify_backend::auth::AuthAccess>,
) -> impl amplify_backend::Definition {
    define_auth(AuthProps {
        login_with: LoginWith::email(),
        triggers: Triggers { post_confirmation: Some(f.clone()), ..Default::default() },
        access,
        ..Default::default()
    })
}

/// The construct path of the stack a function was put in, below the root.
fn stack_of(backend: &amplify_backend::Backend, name: &str) -> String {
    let f = function(backend, name).expect("the function is built");
    f.stack().node().path().trim_start_matches(&format!("{ROOT}/")).to_string()
}

#[test]
fn a_trigger_that_is_also_a_resolver_deploys_without_a_cycle() {
    let f = post_confirmation();
    let schema = chat_models().add(
        "welcome",
        a::query()
            .returns(a::string())
            .handler(a::handler::function("post-confirmation"))
            .authorization(|allow| [allow.authenticated()]),
    );
    let backend = backend((f.clone(), auth_triggering(&f, vec![]), data(schema)));
    assert_eq!(stack_of(&backend, "post-confirmation"), "function");
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));

    // Both categories point at the one function, through the function stack.
    let auth = &assembly.stack(&format!("{ROOT}/auth")).unwrap().template;
    let pool = auth["Resources"].as_object().unwrap().values().find(|r| r["Type"] == "AWS::Cognito::UserPool").unwrap();
    let trigger = &pool["Properties"]["LambdaConfig"]["PostConfirmation"]["Ref"];
    assert!(trigger.as_str().unwrap().contains("functionNestedStack"), "{trigger}");
    let data = serde_json::to_string(&assembly.stack(&format!("{ROOT}/data")).unwrap().template).unwrap();
    assert!(data.contains("postconfirmationlambda"), "the data source names the function");
}

#[test]
fn a_trigger_that_manages_users_moves_in_with_auth() {
    let f = post_confirmation();
    let access = auth_access(|allow| vec![allow.resource(&f).to([AuthAction::AddUserToGroup])]);
    let backend = backend((f.clone(), auth_triggering(&f, access)));
    assert_eq!(stack_of(&backend, "post-confirmation"), "auth");
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    // One stack, plain references; the grant is a policy the function does not
    // wait for, since the pool waits for the function.
    let auth = &assembly.stack(&format!("{ROOT}/auth")).unwrap().template["Resources"];
    let (id, policy) = auth.as_object().unwrap().iter().find(|(_, r)| r["Type"] == "AWS::IAM::Policy").unwrap();
    let statement = &policy["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Action"], "cognito-idp:AdminAddUserToGroup");
    assert_eq!(statement["Resource"]["Fn::GetAtt"][1], "Arn");
    let lambda = auth.as_object().unwrap().values().find(|r| r["Type"] == "AWS::Lambda::Function").unwrap();
    assert!(!lambda.get("DependsOn").is_some_and(|d| d.to_string().contains(id.as_str())), "{lambda}");
}

#[test]
fn a_trigger_that_reads_data_cannot_be_placed_and_the_error_lists_the_cycles() {
    let f = post_confirmation();
    let schema = chat_models().authorization(|allow| [allow.resource("post-confirmation")]);
    let backend = backend((f.clone(), auth_triggering(&f, vec![]), data(schema)));
    let error = backend.app().synth_in_memory().expect_err("auth -> function -> data -> auth cannot deploy");
    let placement = error
        .problems
        .iter()
        .find(|p| p.message.starts_with("function 'post-confirmation' cannot be placed"))
        .unwrap_or_else(|| panic!("no placement error in:\n{error}"));
    assert_eq!(placement.path, ROOT);
    for cycle in [
        "in 'function': auth -> function -> data -> auth",
        "in 'auth': auth -> data -> auth",
        "in 'data': auth -> data -> auth",
    ] {
        assert!(placement.message.contains(cycle), "{cycle} not in: {}", placement.message);
    }
    // Synthesis finds the same cycle in the templates, with the references behind it.
    assert!(error.mentions("CloudFormation would reject it as a circular dependency"), "{error}");
}

#[test]
fn placement_leaves_functions_nobody_calls_in_the_function_stack() {
    let f = post_confirmation();
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let backend = backend((f.clone(), auth, data(chat_models())));
    assert_eq!(stack_of(&backend, "post-confirmation"), "function");
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let root: &Value = assembly.template(ROOT).unwrap();
    assert!(root["Resources"].as_object().unwrap().keys().any(|k| k.starts_with("function")));
}
