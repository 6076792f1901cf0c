//! The outside judge for storage: Amplify's own JavaScript Storage client
//! (aws-amplify v6, pinned in scripts/tools-node) uploads (single and
//! multipart), lists, downloads (ranges too), presigns, copies and removes
//! under `profile-pictures/{entity_id}/*` of examples/chat's `media` bucket,
//! over HTTPS with the local CA, and is refused where the rules refuse it.
//! The callers' credentials are minted by the test for the identity pool's
//! roles; `node/storage_amplify.mjs` also runs with a signed-in session when
//! given `AMPLIFY_OUTPUTS` instead (for `ampx dev` with the identity pool).
//!
//! Needs `node` and the pinned Node tools: run `scripts/install-tools`, then
//! `source .tools/env`.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use local::appsync::tls::{serve_tls, LocalCa};
use local::s3::{LocalS3, Principal, S3Options, StaticPrincipals};
use serde_json::json;

use crate::assembly_support::chat_assembly;
use crate::cognito_amplify::node_modules;
use crate::s3_support::{bucket, identity_pool_roles, load};

fn creds(p: &Principal) -> serde_json::Value {
    json!({"accessKeyId": p.access_key_id, "secretAccessKey": p.secret_access_key,
        "sessionToken": p.session_token, "identityId": p.identity_id})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amplify_js_storage_works_against_the_chat_bucket_and_its_rules() {
    let modules = node_modules();
    let assembly_dir = chat_assembly();
    let assembly = load(assembly_dir.path());
    let data = tempfile::tempdir().unwrap();
    let principals = Arc::new(StaticPrincipals::new());
    let s3 = LocalS3::open(&data.path().join("s3"), &assembly, principals.clone(), S3Options::default()).unwrap();
    let media = bucket(&s3, "mediabucket");
    assert!(media.contains('.'), "a dotted local name makes Amplify address it path-style: {media}");
    let ca = LocalCa::load_or_create(&data.path().join("ca")).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = listener.local_addr().unwrap().to_string();
    let server = tokio::spawn(serve_tls(listener, s3.router(), ca.server_config.clone()));

    let (auth_role, unauth_role) = identity_pool_roles(&assembly);
    let owner = principals.mint(&auth_role, Some("us-east-1:aaaaaaaa-0000-4000-8000-000000000001"));
    let other = principals.mint(&auth_role, Some("us-east-1:aaaaaaaa-0000-4000-8000-000000000002"));
    let guest = principals.mint(&unauth_role, Some("us-east-1:aaaaaaaa-0000-4000-8000-000000000003"));
    let credentials = json!({"owner": creds(&owner), "other": creds(&other), "guest": creds(&guest)});

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/node/storage_amplify.mjs");
    let output = tokio::process::Command::new("node")
        .arg(&script)
        .env("TOOLS_NODE_MODULES", &modules)
        .env("S3_ENDPOINT", &endpoint)
        .env("BUCKET", &media)
        .env("REGION", "us-east-1")
        .env("CREDENTIALS", credentials.to_string())
        .env("NODE_EXTRA_CA_CERTS", &ca.ca_cert_path)
        .env("NODE_NO_WARNINGS", "1")
        .stdin(Stdio::null())
        .output()
        .await
        .expect("start node");
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("amplify storage: ok"),
        "the Amplify client failed.\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    // Amplify's own local-testing switch cannot reach any server in the pinned
    // version (it rejects its own http:// endpoint): customEndpoint is the way.
    assert!(
        stdout.contains("dangerouslyConnectToHttpEndpointForTesting: InvalidCustomEndpoint"),
        "the local-testing switch behaved differently; revisit the README:\n{stdout}"
    );
    // Everything the script wrote it also removed.
    let mut left = 0;
    s3.store()
        .scan(&media, "", |_, _| {
            left += 1;
            true
        })
        .unwrap();
    assert_eq!(left, 0, "objects left behind");
}
