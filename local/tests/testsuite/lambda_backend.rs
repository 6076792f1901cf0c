//! Functions wired into the local backend, on the chat example: the custom
//! query `sayHello` runs the Node handler through the data API's `AWS_LAMBDA`
//! data source, and signing up runs the post-confirmation trigger.

use crate::assembly_support;
use crate::lambda_support::require;

use std::sync::{Arc, Mutex};

use local::backend::{Auth, LocalBackend, Options};
use local::lambda::{LogLine, LogSink};
use serde_json::json;

fn options(assembly: &std::path::Path, data: &std::path::Path) -> (Options, Arc<Mutex<Vec<LogLine>>>) {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let kept = logs.clone();
    let sink = LogSink::new(move |l| {
        eprintln!("{l}");
        kept.lock().unwrap().push(l.clone());
    });
    (Options { function_logs: Some(sink), ..Options::new(assembly, data) }, logs)
}

#[tokio::test(flavor = "multi_thread")]
async fn say_hello_answers_and_sign_up_runs_the_post_confirmation_trigger() {
    require("node");
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let (options, logs) = options(assembly.path(), data.path());
    let backend = LocalBackend::start(options).await.unwrap();
    assert!(backend.function_problems().is_empty(), "{:?}", backend.function_problems());
    assert!(!backend.not_emulated().contains_key("AWS::Lambda::Function"));

    let user = backend.sign_up_and_sign_in("ann@example.com", "Correct-horse-42").unwrap();
    // The function's output is read on its own task: give its line a moment.
    let welcomed = || {
        logs.lock().unwrap().iter().any(|l| {
            l.function == "post-confirmation" && l.text == "welcome ann@example.com (PostConfirmation_ConfirmSignUp)"
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !welcomed() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(welcomed(), "the trigger ran on confirmation: {:?}", logs.lock().unwrap());

    let query = "query Hello($name: String) { sayHello(name: $name) }";
    let body = backend.graphql(query, json!({"name": "Ada"}), Auth::UserPool(user.access_token.clone())).await.unwrap();
    assert_eq!(body, json!({"data": {"sayHello": "Hello, Ada!"}}));
    let again = backend.graphql(query, json!({}), Auth::UserPool(user.access_token)).await.unwrap();
    assert_eq!(again["data"]["sayHello"], "Hello, world!", "{again}");
    assert_eq!(backend.lambda().warm_count("say-hello"), 1, "the second call reused the warm process");
}

/// Claims of a JWT, unverified (the pool signed it; this reads what it says).
fn claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn pre_sign_up_and_pre_token_generation_triggers_shape_the_user_and_its_tokens() {
    use crate::lambda_support::{code, synth};
    use amplify_backend::auth::{define_auth, AuthProps, LoginWith, Triggers};
    use amplify_backend::function::{define_function, FunctionProps};
    require("node");
    let files = code(&[
        (
            "pre.mjs",
            "export const handler = async (event) => {\n  if (event.request.userAttributes.email.endsWith('@blocked.test')) throw new Error('Blocked domain');\n  event.response.autoConfirmUser = true;\n  event.response.autoVerifyEmail = true;\n  return event;\n};\n",
        ),
        (
            "token.mjs",
            "export const handler = async (event) => {\n  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { tenant: 'acme', source: event.triggerSource } } };\n  return event;\n};\n",
        ),
    ]);
    let project = synth(files, |dir| {
        let pre = define_function(FunctionProps {
            name: "pre-sign-up".into(),
            entry: dir.join("pre.mjs"),
            ..Default::default()
        });
        let token = define_function(FunctionProps {
            name: "pre-token".into(),
            entry: dir.join("token.mjs"),
            ..Default::default()
        });
        let auth = define_auth(AuthProps {
            login_with: LoginWith::email(),
            triggers: Triggers {
                pre_sign_up: Some(pre.clone()),
                pre_token_generation: Some(token.clone()),
                ..Default::default()
            },
            ..Default::default()
        });
        (auth, vec![pre, token])
    });
    let data = tempfile::tempdir().unwrap();
    let (options, _logs) = options(project.assembly.path(), data.path());
    let backend = LocalBackend::start(options).await.unwrap();
    let pool = backend.user_pools().pools().remove(0);
    let client = pool.clients[0].client_id.clone();
    let sign_up = |email: &str| {
        backend.user_pools().handle(
            "SignUp",
            &json!({"ClientId": client, "Username": email, "Password": "Correct-horse-42",
                     "UserAttributes": [{"Name": "email", "Value": email}]}),
        )
    };
    let out = sign_up("dee@example.com").unwrap();
    assert_eq!(out["UserConfirmed"], true, "the trigger confirmed the user: {out}");
    assert!(backend.messages().is_empty(), "no code is sent to an auto-confirmed user");
    let err = sign_up("eve@blocked.test").unwrap_err();
    assert_eq!(err.type_name(), "UserLambdaValidationException");
    assert_eq!(err.message(), "PreSignUp failed with error Blocked domain.");

    let tokens = backend.sign_in("dee@example.com", "Correct-horse-42").unwrap();
    let id = claims(&tokens.id_token);
    assert_eq!((id["tenant"].as_str(), id["source"].as_str()), (Some("acme"), Some("TokenGeneration_Authentication")));
    assert_eq!(id["email_verified"], true, "autoVerifyEmail");
    assert!(claims(&tokens.access_token).get("tenant").is_none(), "claims are added to the ID token only");
}
