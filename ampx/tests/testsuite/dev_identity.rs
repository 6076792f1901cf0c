//! Guests and identity-pool users against `ampx dev`, judged by Amplify's own
//! client: `fetchAuthSession` gets credentials and an identity id from the
//! local identity pool (as a guest, then signed in), and the data client
//! signs with them (`authMode: 'identityPool'`). A guest reads what
//! `allow.guest()` opens and is refused the rest as AppSync refuses it.
//!
//! Needs `node` and the pinned Node tools: run `scripts/install-tools`, then
//! `source .tools/env`.

use crate::codegen_support::backends;
use crate::dev_amplify::{run_node, Dev};

use amplify_backend::data::{a, Operation, Provider};
use serde_json::Value;

#[test]
fn amplify_js_guests_and_users_get_credentials_and_guests_read_only_what_guests_may() {
    let project = tempfile::tempdir().unwrap();
    let schema = a::schema([
        (
            "Notice",
            a::model([("text", a::string())]).authorization(|allow| {
                [
                    allow.guest().to([Operation::Read]),
                    allow.authenticated().provider(Provider::IdentityPool),
                    allow.owner(),
                ]
            }),
        ),
        ("Secret", a::model([("text", a::string())]).authorization(|allow| [allow.owner()])),
    ]);
    backends::synth(&project.path().join("cdk.out"), schema);
    let dev = Dev::start(project.path(), &[]);
    assert!(dev.stdout().contains("identity pools:"), "{}", dev.stdout());
    let outputs: Value =
        serde_json::from_str(&std::fs::read_to_string(project.path().join("web/amplify_outputs.json")).unwrap())
            .unwrap();
    let pool = outputs["auth"]["identity_pool_id"].as_str().expect("auth.identity_pool_id");
    assert!(pool.starts_with("us-east-1:"), "{pool}");
    let endpoint =
        outputs["custom"]["local"]["identity_pool_endpoint"].as_str().expect("custom.local.identity_pool_endpoint");
    assert!(endpoint.ends_with("/cognito-identity"), "{endpoint}");

    let out = run_node(project.path(), &dev, "dev_identity.mjs", "guest");
    assert!(out.contains("step: done"), "{out}");
    dev.stop();
}
