//! Auth and functions: triggers point the user pool at functions that Cognito
//! may invoke, `access` grants name user pool actions, missing functions are
//! reported, and the L1 resources auth made can be changed afterwards.

use crate::function_support;

use amplify_backend::auth::{
    auth_access, define_auth, AuthAccess, AuthAction, AuthDefinition, AuthProps, LoginWith, Triggers,
};
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};
use cfn_types::cognito::user_pool::DeletionProtection;
use constructs::CloudAssembly;
use function_support::{backend, nested, one, root, synth, ROOT};
use serde_json::{json, Value as Json};

fn handler(name: &str) -> FunctionDefinition {
    define_function(FunctionProps {
        name: name.into(),
        entry: "tests/fixtures/functions/say-hello/handler.ts".into(),
        ..Default::default()
    })
}

fn auth(triggers: Triggers, access: Vec<AuthAccess>) -> AuthDefinition {
    define_auth(AuthProps { login_with: LoginWith::email(), triggers, access, ..Default::default() })
}

/// What a `{"Ref": parameter}` of the `auth` stack receives from the root: the
/// output of the function stack it comes from, by value.
fn passed_from_function_stack(assembly: &CloudAssembly, auth: &Json, value: &Json) -> Json {
    let parameter = value["Ref"].as_str().expect("a parameter reference");
    assert!(auth["Parameters"].get(parameter).is_some(), "{parameter} is not a parameter of auth");
    let passed = &root(assembly)["Resources"]["auth179371D7"]["Properties"]["Parameters"][parameter]["Fn::GetAtt"];
    assert_eq!(passed[0], "function1351588B", "{passed}");
    let output = passed[1].as_str().unwrap().strip_prefix("Outputs.").unwrap();
    assembly.template(&format!("{ROOT}/function")).unwrap()["Outputs"][output]["Value"].clone()
}

#[test]
fn triggers_point_the_pool_at_functions_that_cognito_may_invoke() {
    let (sign_up, message) = (handler("pre-sign-up"), handler("custom-message"));
    let triggers =
        Triggers { pre_sign_up: Some(sign_up.clone()), custom_message: Some(message.clone()), ..Default::default() };
    let backend = backend((sign_up, message, auth(triggers, vec![])));
    let assembly = synth(&backend);
    let auth = nested(&assembly, &backend, "auth");
    let (pool_id, pool) = one(auth, "AWS::Cognito::UserPool");
    let config = pool["Properties"]["LambdaConfig"].as_object().expect("LambdaConfig");
    assert_eq!(config.keys().collect::<Vec<_>>(), ["PreSignUp", "CustomMessage"]);
    for (event, name) in [("PreSignUp", "pre-sign-up"), ("CustomMessage", "custom-message")] {
        let lambda = backend.functions().get(name).unwrap().resources().lambda.logical_id();
        let arn = json!({"Fn::GetAtt": [lambda, "Arn"]});
        assert_eq!(passed_from_function_stack(&assembly, auth, &config[event]), arn, "{event}");
        // Cognito may invoke it, for this pool only.
        let permissions: Vec<&Json> = auth["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::Lambda::Permission" && r["Properties"]["FunctionName"] == config[event])
            .collect();
        assert_eq!(permissions.len(), 1, "{event}");
        assert_eq!(
            permissions[0]["Properties"],
            json!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": config[event],
                "Principal": "cognito-idp.amazonaws.com",
                "SourceArn": {"Fn::GetAtt": [pool_id, "Arn"]}
            })
        );
    }
}

#[test]
fn access_grants_give_a_function_the_user_pool_actions_it_names() {
    let admin = handler("admin");
    let access =
        auth_access(|allow| vec![allow.resource(&admin).to([AuthAction::ListUsers, AuthAction::ManageGroups])]);
    let backend = backend((admin, auth(Triggers::default(), access)));
    let assembly = synth(&backend);
    let function_stack = nested(&assembly, &backend, "function");
    let (_, policy) = one(function_stack, "AWS::IAM::Policy");
    let role = backend.functions().get("admin").unwrap().resources().role.logical_id();
    assert_eq!(policy["Properties"]["Roles"], json!([{"Ref": role}]));
    let all = policy["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap();
    // The other statement reads the pool's id from SSM (Amplify's resource reference).
    let statements: Vec<&Json> = all.iter().filter(|s| s["Action"] != "ssm:GetParameters").collect();
    assert_eq!(statements.len(), 1);
    assert_eq!(all.len(), 2);
    assert_eq!(
        statements[0]["Action"],
        json!([
            "cognito-idp:CreateGroup",
            "cognito-idp:DeleteGroup",
            "cognito-idp:GetGroup",
            "cognito-idp:ListGroups",
            "cognito-idp:ListUsers",
            "cognito-idp:UpdateGroup"
        ])
    );
    // The pool's ARN, passed from the auth stack: no `*`.
    let parameter = statements[0]["Resource"]["Ref"].as_str().expect("a parameter");
    let passed = &root(&assembly)["Resources"]["function1351588B"]["Properties"]["Parameters"][parameter];
    assert_eq!(passed["Fn::GetAtt"][0], "auth179371D7");
    let (_, auth) = backend.parts();
    let pool = auth.resources().user_pool.logical_id();
    let output = passed["Fn::GetAtt"][1].as_str().unwrap().strip_prefix("Outputs.").unwrap();
    assert_eq!(nested(&assembly, &backend, "auth")["Outputs"][output]["Value"], json!({"Fn::GetAtt": [pool, "Arn"]}));
}

#[test]
fn triggers_and_grants_for_functions_missing_from_the_backend_are_reported() {
    let stray = handler("stray");
    let access = auth_access(|allow| vec![allow.resource(&stray).to([AuthAction::GetUser])]);
    let backend = backend((auth(Triggers { post_confirmation: Some(stray.clone()), ..Default::default() }, access),));
    let error = backend.app().synth_in_memory().expect_err("stray is not in define_backend");
    assert!(
        error.mentions(
            "the PostConfirmation trigger runs function 'stray', which is not in define_backend; add it there"
        ),
        "{error}"
    );
    assert!(
        error.mentions("auth access is granted to function 'stray', which is not in define_backend; add it there"),
        "{error}"
    );
}

#[test]
fn the_l1_resources_can_be_changed_after_define_auth() {
    let backend = backend((auth(Triggers::default(), vec![]),));
    let (auth,) = backend.parts();
    let r = auth.resources();
    r.user_pool.props_mut().deletion_protection = Some(DeletionProtection::Active.into());
    r.user_pool_client.props_mut().access_token_validity = Some(30.into());
    r.identity_pool.add_property_override("AllowClassicFlow", true);
    let assembly = synth(&backend);
    let auth = nested(&assembly, &backend, "auth");
    assert_eq!(one(auth, "AWS::Cognito::UserPool").1["Properties"]["DeletionProtection"], "ACTIVE");
    assert_eq!(one(auth, "AWS::Cognito::UserPoolClient").1["Properties"]["AccessTokenValidity"], 30);
    assert_eq!(one(auth, "AWS::Cognito::IdentityPool").1["Properties"]["AllowClassicFlow"], true);
}
