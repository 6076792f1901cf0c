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
    let welcomed = logs.lock().unwrap().iter().any(|l| {
        l.function == "post-confirmation" && l.text == "welcome ann@example.com (PostConfirmation_ConfirmSignUp)"
    });
    assert!(welcomed, "the trigger ran on confirmation: {:?}", logs.lock().unwrap());

    let query = "query Hello($name: String) { sayHello(name: $name) }";
    let body = backend.graphql(query, json!({"name": "Ada"}), Auth::UserPool(user.access_token.clone())).await.unwrap();
    assert_eq!(body, json!({"data": {"sayHello": "Hello, Ada!"}}));
    let again = backend.graphql(query, json!({}), Auth::UserPool(user.access_token)).await.unwrap();
    assert_eq!(again["data"]["sayHello"], "Hello, world!", "{again}");
    assert_eq!(backend.lambda().warm_count("say-hello"), 1, "the second call reused the warm process");
}
