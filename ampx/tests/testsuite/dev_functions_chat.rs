//! The chat example's functions under `ampx dev`, judged by the real clients.
//! Through Amplify's JS client (aws-amplify, pinned): the Rust function
//! behind `fibonacci` answers through the local Runtime API (built for the
//! host, as `ampx dev` builds it), and announce, which the schema grants
//! `allow.resource`, creates an announcement through the data API with a
//! request SigV4-signed (by the AWS SDK's signer) with the credentials the
//! local identity service issued for its role, while the user's own request
//! for it is waiting. The same handler without the grant is refused by the API. `ampx dev invoke --schedule` runs a scheduled function
//! with EventBridge's event.
//!
//! Needs `node`, the pinned Node tools and the example's npm packages: run
//! `scripts/install-tools`, then `source .tools/env`.

use crate::dev_amplify::{node_modules, Dev};

use std::path::{Path, PathBuf};
use std::process::Command;

use amplify_backend::function::{define_function, FunctionProps, RUST_TARGET_CONTEXT};
use amplify_backend::Backend;
use constructs::{App, AppProps};
use serde_json::{json, Value};

fn host_triple() -> String {
    ampx::synth::host_triple().expect("rustc -vV names the host")
}

/// Logs the event it gets and answers it.
const NIGHTLY: &str =
    "export const handler = async (event) => { console.log(`nightly: ${event['detail-type']}`); return event; };\n";

/// The chat example as `ampx dev --identifier test` synthesizes it, plus the
/// announce handler without the grant (in the data stack, told the API's
/// URL) and a scheduled function.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nightly.mjs"), NIGHTLY).unwrap();
    let id = ampx::commands::sandbox_identifier(dir.path(), Some("test")).unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().join("cdk.out")),
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!(id.namespace)),
            ("amplify-backend-name".to_string(), json!("test")),
            (RUST_TARGET_CONTEXT.to_string(), json!(host_triple())),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let say_hello = chat::say_hello::say_hello();
    let post_confirmation = chat::post_confirmation::post_confirmation();
    let announce = chat::announce::announce();
    let fibonacci = chat::fibonacci::fibonacci();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/chat/amplify/functions");
    let ungranted = define_function(FunctionProps {
        name: "announce-ungranted".into(),
        entry: example.join("announce/handler.ts"),
        resource_group_name: Some("data".into()),
        ..Default::default()
    });
    let nightly = define_function(FunctionProps {
        name: "nightly".into(),
        entry: dir.path().join("nightly.mjs"),
        schedule: vec!["every day".into()],
        ..Default::default()
    });
    let backend = Backend::build(
        app.clone(),
        (
            chat::auth::auth(&post_confirmation),
            chat::data::data(&say_hello, &announce, &fibonacci),
            chat::storage::storage(&say_hello),
            vec![say_hello, post_confirmation, announce, fibonacci, ungranted, nightly],
        ),
    );
    let (_, data, _, functions) = backend.parts();
    let url = data.as_ref().unwrap_or_else(|e| panic!("{e}")).graphql_url();
    functions[4].add_environment("AMPLIFY_DATA_GRAPHQL_ENDPOINT", url);
    drop(backend);
    app.synth().unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn ampx(project: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ampx")).current_dir(project).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn a_rust_handler_answers_and_a_function_with_data_access_writes_through_the_api_as_its_role() {
    let project = project();
    let dev = Dev::start(project.path(), &[]);
    assert!(!dev.stderr().contains("not run locally"), "{}", dev.stderr());

    let outputs = project.path().join("web/amplify_outputs.json");
    let ca: Value = serde_json::from_str(&std::fs::read_to_string(&outputs).unwrap()).unwrap();
    let ca = ca["custom"]["local"]["ca_cert"].as_str().unwrap().to_string();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/node/dev_functions_chat.mjs");
    let out = Command::new("node")
        .arg(script)
        .env("TOOLS_NODE_MODULES", node_modules())
        .env("OUTPUTS", &outputs)
        .env("AMPX_LOG", &dev.log)
        .env("NODE_EXTRA_CA_CERTS", ca)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node failed:\n{stdout}\n{}\n--- ampx\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        dev.stdout(),
        dev.stderr()
    );
    assert!(stdout.contains("fibonacci(46): 1836311903"), "{stdout}");
    assert!(stdout.contains("announcement by announce: Open day on Friday (by the caller)"), "{stdout}");
    // The handlers' own output, under their names.
    let log = dev.stdout();
    assert!(log.contains("[fibonacci] fibonacci: Ok(55)"), "{log}");
    assert!(log.lines().any(|l| l.starts_with("[announce] ") && l.contains(" announced ")), "{log}");

    // The same handler, its role without `appsync:GraphQL`: refused by the API.
    let event = r#"{"arguments": {"text": "Not allowed"}, "identity": {"sub": "s-1", "username": "mallory"}}"#;
    let (ok, answer, err) = ampx(project.path(), &["dev", "invoke", "announce-ungranted", "--event", event]);
    assert!(!ok, "the ungranted function wrote: {answer}");
    assert!(
        answer.contains(
            "the data API refused Unauthorized: Not Authorized to access createAnnouncement on type Mutation"
        ),
        "{answer}\n{err}"
    );
    // ... while the granted one, invoked the same way, writes.
    let (ok, answer, err) = ampx(project.path(), &["dev", "invoke", "announce", "--event", event]);
    assert!(ok && answer.trim().trim_matches('"').len() == 36, "an id: {answer}\n{err}");

    let (ok, answer, err) = ampx(project.path(), &["dev", "invoke", "nightly", "--schedule"]);
    assert!(ok, "{answer}\n{err}");
    let event: Value = serde_json::from_str(answer.trim()).unwrap();
    assert_eq!((&event["detail-type"], &event["source"]), (&json!("Scheduled Event"), &json!("aws.events")));
    let rule = event["resources"][0].as_str().unwrap();
    assert!(rule.starts_with("arn:aws:events:us-east-1:000000000000:rule/"), "{rule}");
    let (ok, _, err) = ampx(project.path(), &["dev", "invoke", "announce", "--schedule"]);
    assert!(
        !ok && err.contains("function announce has no schedule") && err.contains("with a schedule: nightly"),
        "{err}"
    );
    dev.stop();
}
