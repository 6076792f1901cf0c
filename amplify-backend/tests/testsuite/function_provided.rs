//! Provided functions (`define_function_from`, Amplify's
//! `defineFunction((scope) => ...)`): an L1 function the program builds gets the
//! category wiring of a defined one (storage grants on its role and the bucket's
//! variable, an auth trigger, its name tag, `definedFunctions`), cfn-lint clean.

use crate::function_support::*;
use crate::lint_support::cfn_lint_findings;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith, Triggers};
use amplify_backend::function::{define_function_from, secret, ProvidedFunction, ProvidedFunctionProps};
use amplify_backend::iam;
use amplify_backend::storage::{access, define_storage, StorageAction::Read, StorageProps};
use cfn_types::lambda::function::{CfnFunction, CfnFunctionProps, CodeProperty};
use constructs::assertions::{Match, Template};
use constructs::{Construct, IConstruct};
use serde_json::json;

fn l1_function(scope: &Construct) -> ProvidedFunction {
    let role = iam::service_role(
        scope,
        "Role",
        iam::Service::Lambda,
        vec![iam::managed_policy_arn("service-role/AWSLambdaBasicExecutionRole")],
    );
    let lambda = CfnFunction::new(
        scope,
        "Function",
        CfnFunctionProps {
            code: CodeProperty { zip_file: Some("exports.handler = async (e) => e;".into()), ..Default::default() }
                .into(),
            handler: Some("index.handler".into()),
            runtime: Some(cfn_types::lambda::function::Runtime::Nodejs22X.into()),
            role: role.get_att("Arn").into(),
            ..Default::default()
        },
    );
    ProvidedFunction { lambda, role }
}

fn worker() -> amplify_backend::function::FunctionDefinition {
    define_function_from(ProvidedFunctionProps { name: "worker".into(), ..Default::default() }, l1_function)
}

#[test]
fn a_provided_function_gets_grants_variables_triggers_and_its_name() {
    let worker = worker();
    assert!(worker.is_provided());
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("reports/*", vec![allow.resource(&worker).to([Read])])]),
        ..Default::default()
    });
    let auth = define_auth(AuthProps {
        login_with: LoginWith::email(),
        triggers: Triggers { post_confirmation: Some(worker.clone()), ..Default::default() },
        ..Default::default()
    });
    let backend = backend((worker, storage, auth));
    let f = backend.functions().get("worker").expect("found by name").clone();
    f.add_environment("MODE", "batch");
    let out = scratch("provided-synth");
    backend.app().set_outdir(&out);
    backend.synth().unwrap_or_else(|e| panic!("{e}"));

    let t = Template::from_stack(f.stack());
    let lambda_id = f.resources().lambda.logical_id();
    assert!(lambda_id.starts_with("workerlambdaFunction"), "{lambda_id}: in the scope the provider was given");
    t.has_resource_properties(
        "AWS::Lambda::Function",
        Match::object_like([
            ("Handler", Match::exact(json!("index.handler"))),
            (
                "Environment",
                Match::object_like([(
                    "Variables",
                    Match::object_like([
                        ("MODE", Match::exact(json!("batch"))),
                        ("MEDIA_BUCKET_NAME", Match::any_value()),
                    ]),
                )]),
            ),
            ("Tags", Match::array_with([json!({"Key": "amplify:friendly-name", "Value": "worker"})])),
        ]),
    );
    // Storage's grant is a policy on the provided role.
    t.has_resource_properties(
        "AWS::IAM::Policy",
        Match::object_like([
            ("Roles", Match::exact(json!([{"Ref": f.resources().role.logical_id()}]))),
            (
                "PolicyDocument",
                Match::object_like([(
                    "Statement",
                    Match::array_with([Match::object_like([("Action", Match::exact(json!("s3:GetObject")))])]),
                )]),
            ),
        ]),
    );
    // Cognito calls it after sign-up, and may.
    let auth = Template::from_stack(&backend.stack(amplify_backend::Category::Auth));
    auth.has_resource_properties(
        "AWS::Cognito::UserPool",
        Match::object_like([("LambdaConfig", Match::object_like([("PostConfirmation", Match::any_value())]))]),
    );
    auth.has_resource_properties(
        "AWS::Lambda::Permission",
        Match::object_like([("Principal", Match::exact(json!("cognito-idp.amazonaws.com")))]),
    );
    // Amplify's list of the backend's functions names it.
    let root = Template::from_stack(backend.root_stack());
    let outputs = root.find_outputs(Match::any_value());
    let defined = outputs["definedFunctions"]["Value"].to_string();
    assert!(
        defined.contains("functionworkerlambdaFunction") && defined.contains("Ref"),
        "the deployed name: {defined}"
    );

    let templates: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.to_string_lossy().ends_with(".template.json"))
        .collect();
    assert!(templates.len() >= 4, "{templates:?}");
    assert_eq!(cfn_lint_findings(&templates), Vec::<String>::new());
}

#[test]
fn a_provider_that_builds_elsewhere_is_told_where_to_build() {
    let stray = define_function_from(ProvidedFunctionProps { name: "stray".into(), ..Default::default() }, |scope| {
        let stack = constructs::Stack::of(scope).expect("in a stack");
        let other = Construct::new(&stack, "Elsewhere");
        l1_function(&other)
    });
    let err = backend((stray,)).app().synth_in_memory().unwrap_err().to_string();
    assert!(
        err.contains("function 'stray': the provider made its function at") && err.contains("make it in the scope"),
        "{err}"
    );
}

#[test]
fn a_secret_for_a_provided_function_is_refused_with_the_fix() {
    let backend = backend((worker(),));
    backend.parts().0.add_environment("API_KEY", secret("API_KEY"));
    let err = backend.app().synth_in_memory().unwrap_err().to_string();
    assert!(
        err.contains("secret API_KEY was added after definition") && err.contains("amplify-function-runtime"),
        "{err}"
    );
    assert_eq!(backend.parts().0.node().path().rsplit('/').next(), Some("worker-lambda"));
}
