//! `reference_auth`: existing Cognito resources as the backend's auth. Nothing
//! Cognito is created; outputs, storage grants, function grants and data rules
//! use the given ids and roles; the deploy-time initializer checks the
//! resources and reads the outputs (run in Node against Cognito's API shapes);
//! bad ids are refused with the field and the fix.

use crate::lint_support::cfn_lint_findings;
use crate::storage_support::{app, app_with, function, problems, scratch_dir};

use std::path::PathBuf;
use std::process::Command;

use amplify_backend::auth::{
    auth_access, reference_auth, AuthAction, ReferenceAuthDefinition, ReferenceAuthProps, REFERENCE_AUTH_RESOURCE_TYPE,
};
use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps, Provider};
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
use amplify_backend::{Backend, Category};
use constructs::assertions::{Match, Template};
use serde_json::{json, Value as Json};

const POOL: &str = "us-east-1_AbCdEfGhI";
const CLIENT: &str = "3example4client5id6";
const IDENTITY_POOL: &str = "us-east-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const AUTH_ROLE: &str = "arn:aws:iam::123456789012:role/existing/AuthRole";
const UNAUTH_ROLE: &str = "arn:aws:iam::123456789012:role/UnauthRole";
const ADMINS_ROLE: &str = "arn:aws:iam::123456789012:role/AdminsRole";

fn props() -> ReferenceAuthProps {
    ReferenceAuthProps {
        user_pool_id: POOL.into(),
        user_pool_client_id: CLIENT.into(),
        identity_pool_id: IDENTITY_POOL.into(),
        auth_role_arn: AUTH_ROLE.into(),
        unauth_role_arn: UNAUTH_ROLE.into(),
        groups: [("ADMINS".to_string(), ADMINS_ROLE.to_string())].into(),
        ..Default::default()
    }
}

fn auth() -> ReferenceAuthDefinition {
    reference_auth(props())
}

fn template<P>(backend: &Backend<P>, category: Category) -> Template {
    Template::from_stack(&backend.stack(category))
}

fn root<P>(backend: &Backend<P>) -> Template {
    Template::from_stack(backend.root_stack())
}

#[test]
fn nothing_cognito_is_created_and_the_initializer_reads_the_given_resources() {
    let backend = Backend::build(app("sandbox"), (auth(),));
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    for stack in &assembly.stacks {
        let resources = stack.template["Resources"].as_object().cloned().unwrap_or_default();
        let cognito: Vec<_> = resources.values().filter(|r| r["Type"].as_str().unwrap().contains("Cognito")).collect();
        assert!(cognito.is_empty(), "{} creates Cognito resources: {cognito:?}", stack.construct_path);
    }
    let t = template(&backend, Category::Auth);
    t.resource_count_is(REFERENCE_AUTH_RESOURCE_TYPE, 1);
    t.has_resource_properties(
        REFERENCE_AUTH_RESOURCE_TYPE,
        json!({
            "UserPoolId": POOL, "UserPoolClientId": CLIENT, "IdentityPoolId": IDENTITY_POOL,
            "AuthRoleArn": AUTH_ROLE, "UnauthRoleArn": UNAUTH_ROLE, "Groups": {"ADMINS": ADMINS_ROLE},
            "Region": {"Ref": "AWS::Region"},
        }),
    );
    // Its handler may only read the pools, each by its own ARN.
    let policies = t.find_resources("AWS::IAM::Policy", Match::any_value());
    assert_eq!(policies.len(), 1);
    let statements = &policies.values().next().unwrap()["Properties"]["PolicyDocument"]["Statement"];
    let actions: Vec<&str> = statements
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        actions.iter().all(|a| a.contains(":Describe") || a.contains(":Get") || a.contains(":List")),
        "{actions:?}"
    );
    assert!(statements.to_string().contains("userpool/${pool}"), "{statements}");
    assert!(statements[0]["Resource"].to_string().contains(POOL));
    assert!(statements[1]["Resource"].to_string().contains(IDENTITY_POOL));
    let (auth,) = backend.parts();
    assert_eq!(auth.resources().authenticated_user_iam_role.name, "AuthRole");
    assert_eq!(auth.resources().groups["ADMINS"].name, "AdminsRole");
}

#[test]
fn the_outputs_carry_the_ids_and_what_the_initializer_reads() {
    let backend = Backend::build(app("sandbox"), (auth(),));
    let root = root(&backend);
    for (key, value) in [("userPoolId", POOL), ("webClientId", CLIENT), ("identityPoolId", IDENTITY_POOL)] {
        root.has_output(key, json!({"Value": value}));
    }
    root.has_output("authRegion", json!({"Value": {"Ref": "AWS::Region"}}));
    // Read at deploy time: passed up from the auth stack's custom resource.
    for key in ["signupAttributes", "passwordPolicyMinLength", "mfaTypes", "oauthScope", "groups"] {
        let outputs = root.find_outputs(Match::any_value());
        assert!(outputs.contains_key(key), "no output {key}");
    }
    let auth = template(&backend, Category::Auth);
    let attributes: Vec<String> = auth.to_json()["Outputs"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|o| o["Value"]["Fn::GetAtt"][1].as_str().map(str::to_string))
        .collect();
    for key in ["allowUnauthenticatedIdentities", "usernameAttributes", "oauthRedirectSignIn", "groups"] {
        assert!(attributes.iter().any(|a| a == key), "auth stack outputs no attribute {key}: {attributes:?}");
    }
    let metadata = &root.to_json()["Metadata"]["AWS::Amplify::Auth"]["stackOutputs"];
    assert!(metadata.as_array().unwrap().contains(&json!("userPoolId")), "{metadata}");
}

#[test]
fn storage_grants_go_to_the_referenced_roles_by_name() {
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            [
                ("photos/*", vec![allow.authenticated.to([Read, Write]), allow.guest.to([Read])]),
                ("admin/*", vec![allow.groups(["ADMINS"]).to([Read, Write, Delete])]),
            ]
        }),
        ..Default::default()
    });
    let backend = Backend::build(app("sandbox"), (auth(), storage));
    let t = template(&backend, Category::Storage);
    for role in ["AuthRole", "UnauthRole", "AdminsRole"] {
        t.has_resource_properties("AWS::IAM::Policy", json!({"Roles": [role]}));
    }
    let admins = t.find_resources("AWS::IAM::Policy", json!({"Properties": {"Roles": ["AdminsRole"]}}));
    let admins = admins.values().next().unwrap().to_string();
    assert!(admins.contains("admin/*") && !admins.contains("photos/*"), "{admins}");
}

#[test]
fn a_group_reference_auth_does_not_name_is_refused() {
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("admin/*", vec![allow.groups(["EDITORS"]).to([Read])])]),
        ..Default::default()
    });
    let backend = Backend::build(app("sandbox"), (auth(), storage));
    let all = problems(&backend).join("\n");
    assert!(all.contains("group \"EDITORS\"") && all.contains("\"ADMINS\""), "{all}");
}

#[test]
fn functions_get_the_referenced_user_pool() {
    let admin = function("admin");
    let auth = reference_auth(ReferenceAuthProps {
        access: auth_access(|allow| vec![allow.resource(&admin).to([AuthAction::ManageUsers])]),
        ..props()
    });
    let backend = Backend::build(app("sandbox"), (auth, admin));
    let t = Template::from_stack(&backend.function_stack("admin"));
    t.has_resource_properties(
        "AWS::Lambda::Function",
        json!({"Environment": {"Variables": {"AMPLIFY_AUTH_USERPOOL_ID": POOL}}}),
    );
    let policies = t.find_resources("AWS::IAM::Policy", Match::any_value());
    let granted: Vec<&Json> = policies
        .values()
        .flat_map(|p| p["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap())
        .filter(|s| s["Action"].as_array().is_some_and(|a| a.contains(&json!("cognito-idp:AdminCreateUser"))))
        .collect();
    assert_eq!(granted.len(), 1, "{policies:?}");
    let resource = granted[0]["Resource"].to_string();
    assert!(resource.contains("userpool/${pool}") && resource.contains(POOL), "{resource}");
}

#[test]
fn data_rules_use_the_referenced_pools() {
    let schema = a::schema([(
        "Post",
        a::model([("title", a::string())]).authorization(|allow| {
            [
                allow.owner(),
                allow.group("ADMINS"),
                allow.authenticated().provider(Provider::IdentityPool),
                allow.guest().to([amplify_backend::data::Operation::Read]),
            ]
        }),
    )]);
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() });
    let backend = Backend::build(app("sandbox"), (auth(), data));
    let (_, data) = backend.parts();
    assert!(data.is_ok(), "{:?}", data.as_ref().err());
    let t = template(&backend, Category::Data);
    t.has_resource_properties(
        "AWS::AppSync::GraphQLApi",
        json!({
            "AuthenticationType": "AMAZON_COGNITO_USER_POOLS",
            "UserPoolConfig": {"UserPoolId": POOL},
            "AdditionalAuthenticationProviders": [{"AuthenticationType": "AWS_IAM"}],
            "EnvironmentVariables": {"AMPLIFY_IDENTITY_POOL_ID": IDENTITY_POOL},
        }),
    );
}

#[test]
fn bad_ids_are_refused_naming_the_field_and_the_fix() {
    let bad = reference_auth(ReferenceAuthProps {
        user_pool_id: "AbCdEfGhI".into(),
        identity_pool_id: "eu-west-1:nope".into(),
        auth_role_arn: "arn:aws:iam::123456789012:user/Someone".into(),
        groups: [("ADMINS".to_string(), "AdminsRole".to_string())].into(),
        ..props()
    });
    let found = problems(&Backend::build(app("sandbox"), (bad,)));
    let all = found.join("\n");
    assert_eq!(found.len(), 4, "{all}");
    assert!(all.contains("user_pool_id \"AbCdEfGhI\" is not a user pool id") && all.contains("us-east-1_"), "{all}");
    assert!(all.contains("identity_pool_id \"eu-west-1:nope\"") && all.contains("<region>:<uuid>"), "{all}");
    assert!(all.contains("auth_role_arn") && all.contains("arn:aws:iam::<account>:role/<name>"), "{all}");
    assert!(all.contains("the role of group \"ADMINS\""), "{all}");
    assert!(found.iter().all(|p| p.contains("amplifyAuth")), "each names the construct: {all}");

    let regions = reference_auth(ReferenceAuthProps {
        identity_pool_id: IDENTITY_POOL.replace("us-east-1", "eu-west-1"),
        ..props()
    });
    let all = problems(&Backend::build(app("sandbox"), (regions,))).join("\n");
    assert!(all.contains("the user pool is in us-east-1 and the identity pool in eu-west-1"), "{all}");
}

#[test]
fn cfn_lint_finds_nothing_in_a_backend_over_referenced_auth() {
    let dir = scratch_dir("reference-auth-lint");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| {
            [("photos/*", vec![allow.authenticated.to([Read]), allow.groups(["ADMINS"]).to([Read])])]
        }),
        ..Default::default()
    });
    let backend = Backend::build(app_with("sandbox", Some(dir.clone())), (auth(), storage));
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let findings = cfn_lint_findings(&files);
    assert!(findings.is_empty(), "{findings:#?}");
}

// ---- the initializer, run in Node as Lambda runs it ----

/// The handler's code as synthesized, written as index.js.
fn deployed_handler(name: &str) -> PathBuf {
    let backend = Backend::build(app("sandbox"), (auth(),));
    let t = template(&backend, Category::Auth);
    let functions = t.find_resources("AWS::Lambda::Function", Match::any_value());
    let code = functions.values().next().unwrap()["Properties"]["Code"]["ZipFile"].as_str().unwrap().to_string();
    let dir = scratch_dir(name);
    let index = dir.join("index.js");
    std::fs::write(&index, code).unwrap();
    index
}

/// Cognito as the fake SDK answers: a pool, its web client, an identity pool
/// linking them with the given roles, and the ADMINS group.
fn cognito() -> Json {
    json!({
        "DescribeUserPool": {"UserPool": {
            "Id": POOL, "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"],
            "MfaConfiguration": "OPTIONAL", "Domain": "myapp",
            "Policies": {"PasswordPolicy": {"MinimumLength": 10, "RequireNumbers": true, "RequireSymbols": true}},
            "SchemaAttributes": [{"Name": "email", "Required": true}, {"Name": "name", "Required": false}]
        }},
        "GetUserPoolMfaConfig": {"SoftwareTokenMfaConfiguration": {"Enabled": true}, "MfaConfiguration": "OPTIONAL"},
        "DescribeUserPoolClient": {"UserPoolClient": {
            "ClientId": CLIENT, "UserPoolId": POOL, "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email"], "CallbackURLs": ["https://app.example/"],
            "LogoutURLs": ["https://app.example/bye"]
        }},
        "ListIdentityProviders": [{"Providers": [{"ProviderName": "Google", "ProviderType": "Google"}], "NextToken": "p2"},
                                  {"Providers": [{"ProviderName": "Okta", "ProviderType": "OIDC"}]}],
        "ListGroups": [{"Groups": [{"GroupName": "READERS", "Precedence": 2}, {"GroupName": "ADMINS", "Precedence": 1, "RoleArn": ADMINS_ROLE}]}],
        "DescribeIdentityPool": {"IdentityPoolId": IDENTITY_POOL, "AllowUnauthenticatedIdentities": true,
            "CognitoIdentityProviders": [{"ProviderName": format!("cognito-idp.us-east-1.amazonaws.com/{POOL}"), "ClientId": CLIENT}]},
        "GetIdentityPoolRoles": {"IdentityPoolId": IDENTITY_POOL, "Roles": {"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE}},
    })
}

fn event(request: &str) -> Json {
    json!({
        "RequestType": request,
        "RequestId": "req-1",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/auth/guid",
        "LogicalResourceId": "amplifyAuthAmplifyRefAuthCustomResource",
        "ResourceType": REFERENCE_AUTH_RESOURCE_TYPE,
        "ResourceProperties": {
            "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:init",
            "UserPoolId": POOL, "UserPoolClientId": CLIENT, "IdentityPoolId": IDENTITY_POOL,
            "AuthRoleArn": AUTH_ROLE, "UnauthRoleArn": UNAUTH_ROLE, "Groups": {"ADMINS": ADMINS_ROLE}, "Region": "us-east-1",
        },
    })
}

/// Runs the handler against `cognito`; what CloudFormation received and the calls made.
fn run(index: &std::path::Path, cognito: &Json, event: &Json) -> (Json, Vec<Json>) {
    let ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(ok, "node is needed on PATH to run the reference auth initializer; install Node.js 20 or later");
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js/reference_auth_harness.js");
    let out = Command::new("node")
        .args([harness, index.to_str().unwrap(), &cognito.to_string(), &event.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["method"], "PUT");
    (printed["response"].clone(), printed["calls"].as_array().unwrap().clone())
}

#[test]
fn the_initializer_answers_the_outputs_in_define_auths_form() {
    let index = deployed_handler("ref-auth-ok");
    let (response, calls) = run(&index, &cognito(), &event("Create"));
    assert_eq!(response["Status"], "SUCCESS", "{response}");
    let data = &response["Data"];
    assert_eq!(data["usernameAttributes"], "[\"email\"]");
    assert_eq!(data["signupAttributes"], "[\"email\"]");
    assert_eq!(data["verificationMechanisms"], "[\"email\"]");
    assert_eq!(data["passwordPolicyMinLength"], "10");
    assert_eq!(data["passwordPolicyRequirements"], "[\"REQUIRES_NUMBERS\",\"REQUIRES_SYMBOLS\"]");
    assert_eq!(data["mfaConfiguration"], "OPTIONAL");
    assert_eq!(data["mfaTypes"], "[\"TOTP\"]");
    assert_eq!(data["socialProviders"], "[\"GOOGLE\",\"Okta\"]", "both pages of providers");
    assert_eq!(data["oauthCognitoDomain"], "myapp.auth.us-east-1.amazoncognito.com");
    assert_eq!(data["oauthRedirectSignIn"], "https://app.example/");
    assert_eq!(data["oauthResponseType"], "code");
    assert_eq!(data["allowUnauthenticatedIdentities"], "true");
    assert_eq!(data["groups"], "[{\"ADMINS\":{\"precedence\":1}},{\"READERS\":{\"precedence\":2}}]");
    // Every output the stack reads is answered.
    let t = template(&Backend::build(app("sandbox"), (auth(),)), Category::Auth);
    for output in t.to_json()["Outputs"].as_object().unwrap().values() {
        if let Some(attribute) = output["Value"]["Fn::GetAtt"][1].as_str() {
            assert!(data.get(attribute).is_some(), "the handler does not answer {attribute}");
        }
    }
    let commands: Vec<&str> = calls.iter().map(|c| c["command"].as_str().unwrap()).collect();
    assert!(
        commands.iter().all(|c| c.starts_with("Describe") || c.starts_with("Get") || c.starts_with("List")),
        "{commands:?}"
    );
}

#[test]
fn the_initializer_fails_the_deployment_when_the_resources_do_not_belong_together() {
    let index = deployed_handler("ref-auth-mismatch");
    let mut cognito = cognito();
    cognito["GetIdentityPoolRoles"]["Roles"]["authenticated"] = json!("arn:aws:iam::123456789012:role/Other");
    cognito["DescribeUserPoolClient"]["UserPoolClient"]["ClientSecret"] = json!("shh");
    cognito["ListGroups"][0]["Groups"][1]["RoleArn"] = json!("arn:aws:iam::123456789012:role/Wrong");
    let (response, _) = run(&index, &cognito, &event("Create"));
    assert_eq!(response["Status"], "FAILED");
    let reason = response["Reason"].as_str().unwrap();
    assert!(reason.contains("is not the identity pool's authenticated role"), "{reason}");
    assert!(reason.contains("has a client secret; reference a web client"), "{reason}");
    assert!(reason.contains("group ADMINS has role arn:aws:iam::123456789012:role/Wrong"), "{reason}");

    let (deleted, calls) = run(&index, &cognito, &event("Delete"));
    assert_eq!(deleted["Status"], "SUCCESS", "a delete never fails: {deleted}");
    assert!(calls.is_empty(), "a delete reads nothing: {calls:?}");
}
