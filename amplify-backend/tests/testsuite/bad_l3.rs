//! The L3 part of the bad-input corpus: backends a user could write that the
//! deployment would refuse (or that contradict themselves) fail synthesis with
//! the L3's code, at the category's construct, with the fix in the L3's terms,
//! without a panic and without leaving files behind.

use amplify_backend::auth::{
    auth_access, define_auth, AuthAction, AuthProps, EmailLogin, LoginWith, MfaMode, MultiFactor, PasswordPolicy,
    Triggers, UserAttribute,
};
use amplify_backend::codes;
use amplify_backend::storage::{access, StorageAction};
use amplify_backend::{define_function, define_storage, Backend, FunctionProps, IntoDefinitions, StorageProps};
use constructs::assertions::expect_synth_failure;
use constructs::{cfn, App, AppProps, Diagnostic};
use serde_json::json;

fn app() -> App {
    App::with_props(AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!("chatapp")),
            ("amplify-backend-name".to_string(), json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    })
}

/// Builds the backend and checks how `Backend::synth` fails.
fn fails<D: IntoDefinitions>(code: &str, definitions: D, extra: impl FnOnce(&Backend<D::Built>)) -> Diagnostic {
    let backend = Backend::build(app(), definitions);
    extra(&backend);
    expect_synth_failure(code, |dir| {
        backend.app().set_outdir(dir);
        backend.synth()
    })
}

fn auth(props: AuthProps) -> amplify_backend::auth::AuthDefinition {
    define_auth(AuthProps { login_with: LoginWith::email(), ..props })
}

fn storage(name: &str) -> StorageProps {
    StorageProps { name: name.into(), ..Default::default() }
}

fn handler(name: &str) -> amplify_backend::function::FunctionDefinition {
    define_function(FunctionProps {
        name: name.into(),
        entry: "tests/fixtures/functions/say-hello/handler.ts".into(),
        ..Default::default()
    })
}

const AUTH: &str = "amplify-chatapp-dev-sandbox-de98f094bc/auth/amplifyAuth";

#[test]
fn auth_without_a_login_method() {
    let d = fails(codes::AUTH_PROPS, (define_auth(AuthProps::default()),), |_| {});
    assert_eq!(d.path, AUTH);
}

#[test]
fn auth_password_too_short() {
    let policy = PasswordPolicy { min_length: 4, ..Default::default() };
    let d =
        fails(codes::AUTH_PROPS, (auth(AuthProps { password_policy: Some(policy), ..Default::default() }),), |_| {});
    assert!(d.message.contains("min_length 4"), "{d}");
}

#[test]
fn auth_attribute_that_is_not_standard() {
    let attrs = [("favorite_color".to_string(), UserAttribute::default())].into_iter().collect();
    fails(codes::AUTH_PROPS, (auth(AuthProps { user_attributes: attrs, ..Default::default() }),), |_| {});
}

#[test]
fn auth_multifactor_without_a_factor() {
    let mfa = MultiFactor { mode: MfaMode::Required, ..Default::default() };
    fails(codes::AUTH_PROPS, (auth(AuthProps { multifactor: Some(mfa), ..Default::default() }),), |_| {});
}

#[test]
fn auth_verification_email_without_the_code() {
    let email = EmailLogin { verification_email_body: Some(|_code| "Welcome!".to_string()), ..Default::default() };
    let login = LoginWith { email: Some(email), ..Default::default() };
    let d = fails(codes::AUTH_PROPS, (define_auth(AuthProps { login_with: login, ..Default::default() }),), |_| {});
    assert!(d.fix.contains("verification_email_body"), "{d}");
}

#[test]
fn auth_verification_subject_over_140_characters() {
    let email = EmailLogin { verification_email_subject: Some("s".repeat(141)), ..Default::default() };
    let login = LoginWith { email: Some(email), ..Default::default() };
    let d = fails(codes::AUTH_PROPS, (define_auth(AuthProps { login_with: login, ..Default::default() }),), |_| {});
    assert!(d.fix.contains("verification_email_subject"), "{d}");
}

#[test]
fn auth_trigger_function_missing_from_the_backend() {
    let triggers = Triggers { post_confirmation: Some(handler("stray")), ..Default::default() };
    fails(codes::AUTH_FUNCTION, (auth(AuthProps { triggers, ..Default::default() }),), |_| {});
}

#[test]
fn auth_access_for_a_function_missing_from_the_backend() {
    let stray = handler("stray");
    let access = auth_access(|allow| vec![allow.resource(&stray).to([AuthAction::GetUser])]);
    fails(codes::AUTH_FUNCTION, (auth(AuthProps { access, ..Default::default() }),), |_| {});
}

#[test]
fn storage_with_an_invalid_name() {
    fails(codes::STORAGE_PROPS, (define_storage(storage("My Bucket!")),), |_| {});
}

#[test]
fn storage_path_without_a_wildcard() {
    let rules = access(|allow| vec![("photos/", vec![allow.guest.to([StorageAction::Read])])]);
    fails(
        codes::STORAGE_PROPS,
        (auth(AuthProps::default()), define_storage(StorageProps { access: rules, ..storage("media") })),
        |_| {},
    );
}

#[test]
fn storage_access_for_signed_in_users_without_auth() {
    let rules = access(|allow| vec![("photos/*", vec![allow.authenticated.to([StorageAction::Read])])]);
    fails(codes::STORAGE_PROPS, (define_storage(StorageProps { access: rules, ..storage("media") }),), |_| {});
}

#[test]
fn two_default_buckets() {
    let a = define_storage(StorageProps { is_default: true, ..storage("one") });
    let b = define_storage(StorageProps { is_default: true, ..storage("two") });
    fails(codes::STORAGE_PROPS, (a, b), |_| {});
}

#[test]
fn a_custom_stack_created_twice() {
    fails(codes::BACKEND_CUSTOM, (auth(AuthProps::default()),), |b| {
        b.create_stack("custom");
        b.create_stack("custom");
    });
}

#[test]
fn add_output_of_a_string() {
    fails(codes::BACKEND_CUSTOM, (auth(AuthProps::default()),), |b| b.add_output(cfn!("not sections")));
}

#[test]
fn a_function_defined_twice() {
    fails(codes::FUNCTION_PROPS, (handler("twice"), handler("twice")), |_| {});
}

const FUNCTION: &str = "amplify-chatapp-dev-sandbox-de98f094bc/function";
const STORAGE: &str = "amplify-chatapp-dev-sandbox-de98f094bc/storage";

fn function(props: FunctionProps) -> amplify_backend::function::FunctionDefinition {
    define_function(FunctionProps { entry: "tests/fixtures/functions/say-hello/handler.ts".into(), ..props })
}

fn named(name: &str) -> FunctionProps {
    FunctionProps { name: name.into(), ..Default::default() }
}

#[test]
fn auth_defined_twice_is_one_error_that_says_so() {
    let backend = Backend::build(app(), (auth(AuthProps::default()), auth(AuthProps::default())));
    let err = backend.synth().unwrap_err();
    assert_eq!(err.problems.len(), 1, "one error, no cascade:\n{err}");
    assert!(err.problems[0].message.contains("auth is defined twice"), "{err}");
    let d = expect_synth_failure(codes::DEFINED_TWICE, |dir| {
        backend.app().set_outdir(dir);
        backend.synth()
    });
    assert_eq!(d.path, "amplify-chatapp-dev-sandbox-de98f094bc/auth");
}

#[test]
fn auth_group_name_with_a_space() {
    fails(codes::AUTH_PROPS, (auth(AuthProps { groups: vec!["Admins team".into()], ..Default::default() }),), |_| {});
}

#[test]
fn auth_group_named_twice() {
    let groups = vec!["ADMINS".into(), "ADMINS".into()];
    fails(codes::AUTH_PROPS, (auth(AuthProps { groups, ..Default::default() }),), |_| {});
}

#[test]
fn storage_with_an_empty_name_is_one_error() {
    let backend = Backend::build(app(), (define_storage(storage("")),));
    let err = backend.synth().unwrap_err();
    assert_eq!(err.problems.len(), 1, "one error, no cascade:\n{err}");
    let d = expect_synth_failure(codes::STORAGE_PROPS, |dir| {
        backend.app().set_outdir(dir);
        backend.synth()
    });
    assert!(d.path.starts_with(STORAGE), "{d}");
}

#[test]
fn storage_trigger_function_missing_from_the_backend() {
    let triggers = amplify_backend::storage::StorageTriggers { on_upload: Some(handler("stray")), on_delete: None };
    fails(codes::STORAGE_PROPS, (define_storage(StorageProps { triggers, ..storage("media") }),), |_| {});
}

#[test]
fn storage_access_for_a_function_missing_from_the_backend() {
    let stray = handler("stray");
    let rules = access(|allow| vec![("photos/*", vec![allow.resource(&stray).to([StorageAction::Read])])]);
    fails(codes::STORAGE_PROPS, (define_storage(StorageProps { access: rules, ..storage("media") }),), |_| {});
}

#[test]
fn function_memory_under_128_mb() {
    let d = fails(codes::FUNCTION_PROPS, (function(FunctionProps { memory_mb: Some(64), ..named("small") }),), |_| {});
    assert!(d.message.contains("memory_mb"), "{d}");
}

#[test]
fn function_timeout_over_15_minutes() {
    fails(codes::FUNCTION_PROPS, (function(FunctionProps { timeout_seconds: Some(901), ..named("slow") }),), |_| {});
}

#[test]
fn function_sets_a_reserved_environment_variable() {
    let environment = vec![("AWS_REGION".to_string(), "eu-west-1".into())];
    fails(codes::FUNCTION_PROPS, (function(FunctionProps { environment, ..named("env") }),), |_| {});
}

#[test]
fn function_environment_over_4_kb() {
    let environment = (0..40).map(|i| (format!("VALUE_{i}"), "v".repeat(120).as_str().into())).collect();
    let d = fails(
        cfn_types::codes::LAMBDA_ENVIRONMENT_SIZE,
        (function(FunctionProps { environment, ..named("big-env") }),),
        |_| {},
    );
    assert!(d.path.starts_with(&format!("{FUNCTION}/big-env-lambda")), "{d}");
}

#[test]
fn function_schedule_that_is_not_a_schedule() {
    let schedule = vec!["every 5 parsecs".into()];
    fails(codes::FUNCTION_PROPS, (function(FunctionProps { schedule, ..named("tick") }),), |_| {});
}

#[test]
fn function_layer_that_is_not_an_arn() {
    let layers = vec!["my-layer".to_string()];
    fails(codes::FUNCTION_PROPS, (function(FunctionProps { layers, ..named("layered") }),), |_| {});
}

#[test]
fn function_entry_that_does_not_exist() {
    let d = fails(
        codes::FUNCTION_PROPS,
        (define_function(FunctionProps {
            entry: "tests/fixtures/functions/ghost/handler.ts".into(),
            ..named("ghost")
        }),),
        |_| {},
    );
    assert!(d.path.starts_with(&format!("{FUNCTION}/ghost-lambda")), "{d}");
}

#[test]
fn function_resource_group_name_with_a_space() {
    let props = FunctionProps { resource_group_name: Some("my group".into()), ..named("grouped") };
    fails(codes::FUNCTION_PROPS, (function(props),), |_| {});
}

#[test]
fn backend_name_that_is_not_an_identifier() {
    let app = App::with_props(AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!("production")),
            ("amplify-backend-namespace".to_string(), json!("chatapp")),
            ("amplify-backend-name".to_string(), json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let backend = Backend::build(app, (auth(AuthProps::default()),));
    expect_synth_failure(codes::BACKEND_IDENTIFIER, |dir| {
        backend.app().set_outdir(dir);
        backend.synth()
    });
}

/// About 250 functions do not fit one template: the fix is the L3's setting,
/// not construct-layer advice an L3 user cannot follow.
#[test]
fn too_many_functions_for_one_stack_name_resource_group_name() {
    let functions: Vec<_> = (0..300).map(|i| function(named(&format!("f{i}")))).collect();
    let backend = Backend::build(app(), functions);
    let d = expect_synth_failure(constructs::codes::TEMPLATE_QUOTA, |dir| {
        backend.app().set_outdir(dir);
        backend.synth()
    });
    assert_eq!(d.path, FUNCTION);
    assert!(d.fix.contains("resource_group_name"), "{d}");
    assert!(!d.fix.contains("NestedStack"), "{d}");
}
