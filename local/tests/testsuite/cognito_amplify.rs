//! The outside judge: Amplify's own JavaScript client (aws-amplify v6, the
//! pinned version in scripts/tools-node) signs up, signs in with SRP, refreshes,
//! changes and resets its password and deletes itself against the local user
//! pool served over HTTP, configured from examples/chat's auth template.
//!
//! Needs `node` and the pinned Node tools: run `scripts/install-tools`, then
//! `source .tools/env`.

use crate::cognito_support;

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use cognito_support::{chat_pool, CLIENT_ID, POOL_ID};
use local::cognito::{router, EventSink, MessageSent, UserPools};
use serde_json::json;

pub(crate) fn node_modules() -> PathBuf {
    let dir = std::env::var_os("TOOLS_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.tools/node/node_modules"));
    let node_ok = std::process::Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(node_ok, "`node` is not on PATH: install Node 20+, then run scripts/install-tools");
    assert!(
        dir.join("aws-amplify/package.json").exists(),
        "aws-amplify is missing from {}: run scripts/install-tools (and `source .tools/env`)",
        dir.display()
    );
    dir
}

#[derive(Clone)]
struct Hooks {
    pools: Arc<UserPools>,
    sent: Arc<Mutex<Vec<MessageSent>>>,
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// GET /code?destination=..&purpose=..: the last code of that purpose sent there.
async fn last_code(State(hooks): State<Hooks>, RawQuery(query): RawQuery) -> (StatusCode, String) {
    let query = query.unwrap_or_default();
    let arg = |name: &str| {
        query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).map(percent_decode).unwrap_or_default()
    };
    let (destination, purpose) = (arg("destination"), arg("purpose"));
    let sent = hooks.sent.lock().unwrap();
    match sent.iter().rev().find(|m| m.destination == destination && format!("{:?}", m.purpose) == purpose) {
        Some(m) => (StatusCode::OK, m.code.clone()),
        None => (StatusCode::NOT_FOUND, String::new()),
    }
}

/// POST /verify with a token: what UserPools::verify says of it.
async fn verify(State(hooks): State<Hooks>, token: String) -> (StatusCode, String) {
    match hooks.pools.verify(token.trim()) {
        Ok(claims) => (StatusCode::OK, serde_json::Value::Object(claims).to_string()),
        Err(e) => (StatusCode::UNAUTHORIZED, json!({"type": e.type_name(), "message": e.message()}).to_string()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amplify_js_signs_up_signs_in_and_manages_its_account() {
    let modules = node_modules();
    let dir = tempfile::tempdir().unwrap();
    let sent = Arc::new(Mutex::new(Vec::new()));
    let sink_sent = sent.clone();
    let sink = EventSink::new(move |m| sink_sent.lock().unwrap().push(m.clone()));
    let pools = Arc::new(UserPools::open(dir.path(), vec![chat_pool(Vec::new(), Vec::new())], sink).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    pools.set_endpoint(&endpoint);
    let hooks = Router::new()
        .route("/code", get(last_code))
        .route("/verify", post(verify))
        .with_state(Hooks { pools: pools.clone(), sent: sent.clone() });
    let app = router(pools.clone()).nest("/__test", hooks);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/node/cognito_amplify.mjs");
    let output = tokio::process::Command::new("node")
        .arg(&script)
        .env("TOOLS_NODE_MODULES", &modules)
        .env("ENDPOINT", &endpoint)
        .env("POOL_ID", POOL_ID)
        .env("CLIENT_ID", CLIENT_ID)
        .env("TEST_HOOKS", format!("{endpoint}/__test"))
        .env("NODE_NO_WARNINGS", "1")
        .stdin(Stdio::null())
        .output()
        .await
        .expect("start node");
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("amplify flow: ok"),
        "the Amplify client failed.\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    // What the developer would have seen printed by `ampx dev`.
    let printed: Vec<String> = sent.lock().unwrap().iter().map(|m| m.to_string()).collect();
    assert!(
        printed[0].starts_with(&format!("[{POOL_ID}] sign-up confirmation code for nora@example.com (by email): ")),
        "{printed:?}"
    );
    assert!(printed.iter().any(|p| p.contains("password reset code for nora@example.com")));
}
