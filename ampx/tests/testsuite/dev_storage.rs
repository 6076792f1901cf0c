//! Storage under `ampx dev` on the chat example, judged by Amplify's own
//! Storage client (aws-amplify, pinned) through the local identity pool: a
//! signed-in user uploads (single and multipart), lists, downloads (ranges),
//! gets presigned URLs, copies and removes under `profile-pictures/{entity_id}/*`
//! and is refused elsewhere (local `storage_amplify.mjs`); a guest reads and
//! lists profile pictures, as the bucket's rules allow guests, and is refused
//! every write and `photos/`; in the data API the guest reads the
//! announcements (one posted by the announce function) and nothing else.
//!
//! Needs `node` and the pinned Node tools: run `scripts/install-tools`, then
//! `source .tools/env`.

use crate::dev_amplify::{node_modules, Dev};

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const EMAIL: &str = "ivy@example.com";
const PASSWORD: &str = "Correct-horse-42";

/// The chat example as `ampx dev --identifier test` synthesizes it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let id = ampx::commands::sandbox_identifier(dir.path(), Some("test")).unwrap();
    let app = constructs::App::with_props(constructs::AppProps {
        outdir: Some(dir.path().join("cdk.out")),
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!(id.namespace)),
            ("amplify-backend-name".to_string(), json!("test")),
            (
                amplify_backend::function::RUST_TARGET_CONTEXT.to_string(),
                json!(ampx::synth::host_triple().expect("rustc names the host")),
            ),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let backend = chat::backend(app.clone());
    drop(backend);
    app.synth().unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Runs `script` with Amplify configured from `dev`'s outputs; answers its stdout.
fn node(project: &Path, dev: &Dev, script: &Path, env: &[(&str, &str)]) -> String {
    let outputs = project.join("web/amplify_outputs.json");
    let parsed: Value = serde_json::from_str(&std::fs::read_to_string(&outputs).unwrap()).unwrap();
    let ca = parsed["custom"]["local"]["ca_cert"].as_str().expect("custom.local.ca_cert").to_string();
    let out = Command::new("node")
        .arg(script)
        .env("TOOLS_NODE_MODULES", node_modules())
        .env("OUTPUTS", &outputs)
        .env("AMPLIFY_OUTPUTS", &outputs)
        .env("AMPX_LOG", &dev.log)
        .env("NODE_EXTRA_CA_CERTS", ca)
        .env("USER_EMAIL", EMAIL)
        .env("USER_PASSWORD", PASSWORD)
        .envs(env.iter().copied())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} failed:\n{stdout}\n{}\n--- ampx\n{}\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr),
        dev.stdout(),
        dev.stderr()
    );
    stdout
}

#[test]
fn amplify_storage_users_keep_to_their_folder_and_guests_read_only_what_the_rules_open() {
    let project = project();
    let dev = Dev::start(project.path(), &[]);
    let scripts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/node");

    let out = node(project.path(), &dev, &scripts.join("dev_storage.mjs"), &[("PHASE", "user")]);
    let identity = out.lines().find_map(|l| l.strip_prefix("identity: ")).expect("the user's identity id").to_string();

    // The user's whole round through Amplify Storage (shared with local's tests).
    let round = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../local/tests/testsuite/node/storage_amplify.mjs");
    let out = node(project.path(), &dev, &round, &[]);
    assert!(out.contains("step: copy") && out.contains("amplify storage: ok"), "{out}");
    node(project.path(), &dev, &scripts.join("dev_storage.mjs"), &[("PHASE", "picture")]);
    let event = r#"{"arguments": {"text": "Welcome, guests"}, "identity": {"sub": "s-1", "username": "staff"}}"#;
    let posted = Command::new(env!("CARGO_BIN_EXE_ampx"))
        .current_dir(project.path())
        .args(["dev", "invoke", "announce", "--event", event])
        .output()
        .unwrap();
    assert!(posted.status.success(), "{}", String::from_utf8_lossy(&posted.stderr));

    let out =
        node(project.path(), &dev, &scripts.join("dev_storage.mjs"), &[("PHASE", "guest"), ("IDENTITY_ID", &identity)]);
    assert!(out.contains("step: done"), "{out}");
    dev.stop();
}
