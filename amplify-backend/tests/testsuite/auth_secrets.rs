//! The client secrets of federated sign-in reach Cognito through a
//! `Custom::SecretFetcherResource` (CloudFormation does not resolve `ssm-secure`
//! in Cognito properties): the template holds `Fn::GetAtt`s, never a value or a
//! dynamic reference; the fetcher may read exactly the secrets' parameters; its
//! inlined handler, run in Node, finds, falls back and fails as it should; and
//! cfn-lint finds no error.

use crate::function_support;
use crate::lint_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use amplify_backend::auth::{
    define_auth, secret_ref, AppleProvider, Auth, AuthProps, EmailLogin, ExternalProviders, LoginWith, OAuthProvider,
    OidcProvider, SamlMetadata, SamlProvider, SECRET_FETCHER_RESOURCE_TYPE,
};
use amplify_backend::Backend;
use constructs::{App, AppProps, CloudAssembly};
use function_support::{of_type, one, scratch, ROOT};
use lint_support::cfn_lint_errors;
use serde_json::{json, Value as Json};

const PREFIX: &str = "/amplify/chatapp/dev-sandbox-de98f094bc/";
const SHARED: &str = "/amplify/shared/chatapp/";

/// Every provider that takes a secret (Google and Okta share one), and SAML, which takes none.
fn providers() -> ExternalProviders {
    let oauth = |id: &str, secret: &str| OAuthProvider {
        client_id: id.into(),
        client_secret: Some(secret_ref(secret)),
        ..Default::default()
    };
    ExternalProviders {
        google: Some(oauth("google-id", "GOOGLE_CLIENT_SECRET")),
        facebook: Some(oauth("fb-id", "FACEBOOK_SECRET")),
        login_with_amazon: Some(oauth("amzn-id", "AMAZON_SECRET")),
        sign_in_with_apple: Some(AppleProvider {
            client_id: "com.example.chat".into(),
            team_id: "TEAM123".into(),
            key_id: "KEY456".into(),
            private_key: Some(secret_ref("APPLE_KEY")),
            ..Default::default()
        }),
        oidc: vec![OidcProvider {
            name: "Okta".into(),
            client_id: "okta-id".into(),
            client_secret: Some(secret_ref("GOOGLE_CLIENT_SECRET")),
            issuer_url: "https://example.okta.com".into(),
            ..Default::default()
        }],
        saml: Some(SamlProvider {
            name: "Corp".into(),
            metadata: SamlMetadata::Url("https://idp.example.com/md".into()),
            ..Default::default()
        }),
        callback_urls: vec!["https://chat.example.com/".into()],
        domain_prefix: Some("chat-example".into()),
        ..Default::default()
    }
}

fn auth(external: ExternalProviders) -> AuthProps {
    AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin::default()),
            external_providers: Some(external),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// An app deployed as the reference's sandbox, or as a branch, with extra context.
fn app(deployment_type: &str, extra: &[(&str, Json)]) -> App {
    let mut context: Vec<(String, Json)> = vec![
        ("amplify-backend-type".into(), json!(deployment_type)),
        ("amplify-backend-namespace".into(), json!("chatapp")),
        ("amplify-backend-name".into(), json!("dev")),
    ];
    context.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    App::with_props(AppProps { context: context.into_iter().collect(), ..Default::default() })
}

fn synth(app: App, props: AuthProps) -> (Backend<(Auth,)>, CloudAssembly) {
    let backend = Backend::build(app, (define_auth(props),));
    let out = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    (backend, out)
}

fn auth_template(out: &CloudAssembly) -> &Json {
    out.template(&format!("{ROOT}/auth")).expect("an auth stack")
}

fn parameter_arn(path: &str) -> Json {
    json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{path}")})
}

#[test]
fn provider_details_take_the_fetched_values_never_a_dynamic_reference() {
    let (backend, out) = synth(app("sandbox", &[]), auth(providers()));
    for stack in &out.stacks {
        let text = stack.template.to_string();
        assert!(!text.contains("resolve:ssm-secure"), "{}: {text}", stack.construct_path);
    }
    let t = auth_template(&out);
    let (fetcher_id, fetcher) = one(t, SECRET_FETCHER_RESOURCE_TYPE);
    let exposed = backend.parts().0.resources().secret_fetcher.clone().expect("the fetcher is exposed");
    assert_eq!(&exposed.resource.logical_id(), fetcher_id);

    let got = |name: &str| json!({"Fn::GetAtt": [fetcher_id, name]});
    let details: Vec<(String, Json)> = of_type(t, "AWS::Cognito::UserPoolIdentityProvider")
        .into_iter()
        .map(|(_, r)| {
            (r["Properties"]["ProviderName"].as_str().unwrap().to_string(), r["Properties"]["ProviderDetails"].clone())
        })
        .collect();
    let detail = |provider: &str, key: &str| {
        details.iter().find(|(n, _)| n == provider).unwrap_or_else(|| panic!("no {provider}")).1[key].clone()
    };
    assert_eq!(detail("Google", "client_secret"), got("GOOGLE_CLIENT_SECRET"));
    assert_eq!(detail("Facebook", "client_secret"), got("FACEBOOK_SECRET"));
    assert_eq!(detail("LoginWithAmazon", "client_secret"), got("AMAZON_SECRET"));
    assert_eq!(detail("SignInWithApple", "private_key"), got("APPLE_KEY"));
    assert_eq!(detail("Okta", "client_secret"), got("GOOGLE_CLIENT_SECRET"));
    assert_eq!(detail("Corp", "MetadataURL"), "https://idp.example.com/md");

    // One fetch for the stack, each secret once, with the paths `ampx sandbox secret set` writes.
    let p = &fetcher["Properties"];
    let secret = |n: &str| json!({"Name": n, "Path": format!("{PREFIX}{n}"), "SharedPath": format!("{SHARED}{n}")});
    assert_eq!(
        p["Secrets"],
        json!([
            secret("GOOGLE_CLIENT_SECRET"),
            secret("FACEBOOK_SECRET"),
            secret("AMAZON_SECRET"),
            secret("APPLE_KEY")
        ])
    );
    assert_eq!(p["DeploymentType"], "sandbox");
    let (handler_id, handler) = one(t, "AWS::Lambda::Function");
    assert_eq!(p["ServiceToken"], json!({"Fn::GetAtt": [handler_id, "Arn"]}));
    assert_eq!(handler["Properties"]["Runtime"], "nodejs22.x");
    assert!(handler["Properties"]["Code"]["ZipFile"].as_str().unwrap().contains("NoEcho: true"));
    // Cognito gets the values only after the fetcher has them.
    for (_, idp) in of_type(t, "AWS::Cognito::UserPoolIdentityProvider") {
        if idp["Properties"]["ProviderType"] != "SAML" {
            assert!(idp.to_string().contains(fetcher_id.as_str()));
        }
    }
}

#[test]
fn the_fetcher_may_read_exactly_the_named_parameters() {
    let (_, out) = synth(app("sandbox", &[]), auth(providers()));
    let t = auth_template(&out);
    let lambda_roles: Vec<_> = of_type(t, "AWS::IAM::Role")
        .into_iter()
        .filter(|(_, r)| r.to_string().contains("lambda.amazonaws.com"))
        .collect();
    assert_eq!(lambda_roles.len(), 1, "one Lambda role in the auth stack");
    let (role_id, role) = lambda_roles[0];
    assert!(role["Properties"].get("Policies").is_none(), "no inline rights beyond the policy below");
    assert_eq!(
        role["Properties"]["ManagedPolicyArns"],
        json!([{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]}])
    );
    let policies: Vec<_> = of_type(t, "AWS::IAM::Policy")
        .into_iter()
        .filter(|(_, p)| p["Properties"]["Roles"].to_string().contains(role_id.as_str()))
        .collect();
    assert_eq!(policies.len(), 1, "one policy for the fetcher's role: {policies:?}");
    let (policy_id, policy) = policies[0];
    let mut expected = Vec::new();
    for n in ["GOOGLE_CLIENT_SECRET", "FACEBOOK_SECRET", "AMAZON_SECRET", "APPLE_KEY"] {
        expected.push(parameter_arn(&format!("{PREFIX}{n}")));
        expected.push(parameter_arn(&format!("{SHARED}{n}")));
    }
    assert_eq!(
        policy["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": expected}])
    );
    // CloudFormation calls the handler only once it may read.
    let (_, fetcher) = one(t, SECRET_FETCHER_RESOURCE_TYPE);
    assert!(fetcher["DependsOn"].to_string().contains(policy_id.as_str()));
}

#[test]
fn no_secret_no_fetcher() {
    let saml_only = ExternalProviders {
        saml: Some(SamlProvider {
            name: "Corp".into(),
            metadata: SamlMetadata::Url("https://idp.example.com/md".into()),
            ..Default::default()
        }),
        google: Some(OAuthProvider { client_id: "public-client".into(), ..Default::default() }),
        callback_urls: vec!["https://chat.example.com/".into()],
        domain_prefix: Some("chat-example".into()),
        ..Default::default()
    };
    let (backend, out) = synth(app("sandbox", &[]), auth(saml_only));
    let t = auth_template(&out);
    assert!(of_type(t, SECRET_FETCHER_RESOURCE_TYPE).is_empty());
    assert!(of_type(t, "AWS::Lambda::Function").is_empty());
    assert!(backend.parts().0.resources().secret_fetcher.is_none());
}

#[test]
fn a_bumped_secret_timestamp_makes_cloudformation_fetch_again() {
    let fetcher_props = |extra: &[(&str, Json)]| {
        let (_, out) = synth(app("sandbox", extra), auth(providers()));
        one(auth_template(&out), SECRET_FETCHER_RESOURCE_TYPE).1["Properties"].clone()
    };
    // Without the context, synthesis stays deterministic and nothing is bumped.
    let plain = fetcher_props(&[]);
    assert!(plain.get("SecretLastUpdated").is_none());
    assert_eq!(plain, fetcher_props(&[]));
    let first = fetcher_props(&[("secretLastUpdated", json!(1732600000000u64))]);
    let second = fetcher_props(&[("secretLastUpdated", json!("1732600900000"))]);
    assert_eq!(first["SecretLastUpdated"], "1732600000000");
    assert_eq!(second["SecretLastUpdated"], "1732600900000");
}

#[test]
fn a_branch_reads_its_own_paths_and_the_apps_shared_ones() {
    let (_, out) = synth(app("branch", &[]), auth(providers()));
    let t =
        out.template(&format!("{}/auth", amplify_backend::BackendIdentifier::branch("chatapp", "dev").stack_name()));
    let (_, fetcher) = one(t.expect("a branch auth stack"), SECRET_FETCHER_RESOURCE_TYPE);
    let first = &fetcher["Properties"]["Secrets"][0];
    let id = amplify_backend::BackendIdentifier::branch("chatapp", "dev");
    assert_eq!(first["Path"], id.secret_path("GOOGLE_CLIENT_SECRET"));
    assert_eq!(first["SharedPath"], "/amplify/shared/chatapp/GOOGLE_CLIENT_SECRET");
    assert_eq!(fetcher["Properties"]["DeploymentType"], "branch");
}

#[test]
fn a_secret_name_ssm_cannot_store_is_reported_with_the_auth_path() {
    let mut bad = providers();
    bad.facebook.as_mut().unwrap().client_secret = Some(secret_ref("facebook/secret"));
    let backend = Backend::build(app("sandbox", &[]), (define_auth(auth(bad)),));
    let err = backend.app().synth_in_memory().expect_err("an invalid secret name").to_string();
    assert!(err.contains("amplifyAuth"), "{err}");
    assert!(err.contains("'facebook/secret'"), "{err}");
    assert!(err.contains("SSM parameter name"), "{err}");
}

// ---- cfn-lint -------------------------------------------------------------

#[test]
fn cfn_lint_reports_no_errors_for_sandboxes_and_branches() {
    for deployment_type in ["sandbox", "branch"] {
        let dir = scratch(&format!("auth-secrets-lint-{deployment_type}"));
        let backend = Backend::build(app(deployment_type, &[]), (define_auth(auth(providers())),));
        backend.app().set_outdir(&dir);
        let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
        assert_eq!(files.len(), 2, "root and auth: {files:?}");
        let errors = cfn_lint_errors(&files);
        assert!(errors.is_empty(), "{deployment_type}: cfn-lint errors:\n{}", errors.join("\n"));
    }
}

// ---- the handler, run in Node ----------------------------------------------

/// The handler exactly as the template inlines it, written where Lambda puts it.
fn deployed_handler(deployment_type: &str, name: &str) -> PathBuf {
    let (_, out) = synth(app(deployment_type, &[]), auth(providers()));
    let t = out.stacks.iter().find(|s| s.construct_path.ends_with("/auth")).unwrap();
    let (_, handler) = one(&t.template, "AWS::Lambda::Function");
    let dir = scratch(name);
    let index = dir.join("index.js");
    std::fs::write(&index, handler["Properties"]["Code"]["ZipFile"].as_str().unwrap()).unwrap();
    index
}

/// The event CloudFormation sends for the fetcher of `secrets`.
fn event(request: &str, deployment_type: &str, secrets: &[&str]) -> Json {
    let prefix = if deployment_type == "branch" { "/amplify/chatapp/dev-branch-1234567890/" } else { PREFIX };
    json!({
        "RequestType": request,
        "RequestId": "req-1",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/auth/guid",
        "LogicalResourceId": "amplifyAuthSecretFetcherResource",
        "PhysicalResourceId": if request == "Create" { Json::Null } else { json!("fetcher-1") },
        "ResourceType": SECRET_FETCHER_RESOURCE_TYPE,
        "ResourceProperties": {
            "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:fetcher",
            "DeploymentType": deployment_type,
            "Secrets": secrets.iter().map(|n| json!({"Name": n, "Path": format!("{prefix}{n}"), "SharedPath": format!("{SHARED}{n}")})).collect::<Vec<_>>(),
        },
    })
}

/// Runs the handler with these SSM parameters; what CloudFormation received and the SSM calls.
fn run(index: &Path, parameters: Json, event: Json) -> (Json, Vec<Json>) {
    let ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(ok, "node is needed on PATH to run the secret fetcher; install Node.js 20 or later");
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js/secret_fetcher_harness.js");
    let out = Command::new("node")
        .args([harness, index.to_str().unwrap(), &parameters.to_string(), &event.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed: Json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(printed["method"], "PUT");
    (printed["response"].clone(), printed["calls"].as_array().unwrap().clone())
}

#[test]
fn the_handler_returns_the_sandbox_values_masked() {
    let index = deployed_handler("sandbox", "fetcher-found");
    let params = json!({
        format!("{PREFIX}GOOGLE_CLIENT_SECRET"): "g-value",
        format!("{PREFIX}APPLE_KEY"): "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
        format!("{SHARED}GOOGLE_CLIENT_SECRET"): "not this one",
    });
    let (response, calls) = run(&index, params, event("Create", "sandbox", &["GOOGLE_CLIENT_SECRET", "APPLE_KEY"]));
    assert_eq!(response["Status"], "SUCCESS", "{response}");
    assert_eq!(response["NoEcho"], true);
    assert_eq!(
        response["Data"],
        json!({"GOOGLE_CLIENT_SECRET": "g-value", "APPLE_KEY": "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"})
    );
    assert_eq!(response["RequestId"], "req-1");
    assert_eq!(response["LogicalResourceId"], "amplifyAuthSecretFetcherResource");
    assert!(response["PhysicalResourceId"].as_str().is_some_and(|id| !id.is_empty()));
    // Both found on the sandbox's path: one call, decrypted, no shared lookup.
    assert_eq!(
        calls,
        [
            json!({"Names": [format!("{PREFIX}GOOGLE_CLIENT_SECRET"), format!("{PREFIX}APPLE_KEY")], "WithDecryption": true})
        ]
    );
}

#[test]
fn the_handler_falls_back_to_the_apps_shared_secret() {
    let index = deployed_handler("branch", "fetcher-fallback");
    let branch = "/amplify/chatapp/dev-branch-1234567890/";
    let params = json!({
        format!("{branch}FACEBOOK_SECRET"): "branch-fb",
        format!("{SHARED}GOOGLE_CLIENT_SECRET"): "shared-google",
        format!("{SHARED}FACEBOOK_SECRET"): "shared-fb",
    });
    let (response, calls) =
        run(&index, params, event("Update", "branch", &["GOOGLE_CLIENT_SECRET", "FACEBOOK_SECRET"]));
    assert_eq!(response["Status"], "SUCCESS", "{response}");
    assert_eq!(response["Data"], json!({"GOOGLE_CLIENT_SECRET": "shared-google", "FACEBOOK_SECRET": "branch-fb"}));
    assert_eq!(response["PhysicalResourceId"], "fetcher-1", "an update keeps the resource");
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[1]["Names"],
        json!([format!("{SHARED}GOOGLE_CLIENT_SECRET")]),
        "only the missing one is looked up"
    );
}

#[test]
fn a_missing_secret_fails_the_deployment_with_the_command_that_sets_it() {
    let index = deployed_handler("sandbox", "fetcher-missing");
    let params = json!({format!("{PREFIX}GOOGLE_CLIENT_SECRET"): "g-value"});
    let (response, _) = run(&index, params, event("Create", "sandbox", &["GOOGLE_CLIENT_SECRET", "APPLE_KEY"]));
    assert_eq!(response["Status"], "FAILED");
    let reason = response["Reason"].as_str().unwrap();
    assert!(reason.contains("APPLE_KEY"), "{reason}");
    assert!(reason.contains("`ampx sandbox secret set APPLE_KEY`"), "{reason}");
    assert!(
        reason.contains(&format!("{PREFIX}APPLE_KEY")) && reason.contains(&format!("{SHARED}APPLE_KEY")),
        "{reason}"
    );
    assert!(!reason.contains("GOOGLE_CLIENT_SECRET") && !reason.contains("g-value"), "{reason}");
    assert!(response["Data"].is_null());

    // A branch's secrets are set in the Amplify console, not with ampx.
    let (response, _) = run(&index, json!({}), event("Create", "branch", &["APPLE_KEY"]));
    let reason = response["Reason"].as_str().unwrap();
    assert!(reason.contains("APPLE_KEY") && reason.contains("Amplify console"), "{reason}");
}

#[test]
fn deleting_reads_nothing_and_many_secrets_are_read_ten_at_a_time() {
    let index = deployed_handler("sandbox", "fetcher-delete");
    let (response, calls) = run(&index, json!({}), event("Delete", "sandbox", &["GOOGLE_CLIENT_SECRET"]));
    assert_eq!((response["Status"].as_str(), calls.len()), (Some("SUCCESS"), 0), "{response}");

    let names: Vec<String> = (0..12).map(|i| format!("S{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let params: serde_json::Map<String, Json> = names.iter().map(|n| (format!("{SHARED}{n}"), json!(n))).collect();
    let (response, calls) = run(&index, Json::Object(params), event("Create", "sandbox", &refs));
    assert_eq!(response["Status"], "SUCCESS", "{response}");
    assert_eq!(response["Data"]["S11"], "S11");
    let sizes: Vec<usize> = calls.iter().map(|c| c["Names"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [10, 2, 10, 2]);
}
