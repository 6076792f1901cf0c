//! IAM on the data API: SigV4-signed requests with credentials from the local
//! identity pools or a function's role, decided as AppSync's `@aws_iam` and
//! Amplify's rules decide — guests read what `allow.guest()` opens and nothing
//! more, identity-pool users get `authenticated("identityPool")`, a function
//! gets what `allow.resource` granted its role, and a role without a grant
//! gets nothing.

use crate::identity_support::{function_role, iam_assembly};

use local::backend::{Auth, LocalBackend, Options};
use local::identity::Credentials;
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-horse-42";
const LIST_NOTICES: &str = "{ listNotices { items { text } } }";
const CREATE_NOTICE: &str = "mutation($t: String) { createNotice(input: {text: $t}) { id text } }";
const LIST_SECRETS: &str = "{ listSecrets { items { text } } }";

fn texts(body: &Value) -> Vec<String> {
    let items = body["data"]["listNotices"]["items"].as_array().unwrap_or_else(|| panic!("not a list: {body}"));
    let mut out: Vec<String> = items.iter().map(|i| i["text"].as_str().unwrap_or_default().to_string()).collect();
    out.sort();
    out
}

fn error_type(body: &Value) -> String {
    body["errors"][0]["errorType"].as_str().unwrap_or_else(|| panic!("no error: {body}")).to_string()
}

async fn start() -> (tempfile::TempDir, tempfile::TempDir, LocalBackend) {
    let assembly = iam_assembly();
    let data = tempfile::tempdir().unwrap();
    let backend = LocalBackend::start(Options::new(assembly.path(), data.path())).await.unwrap();
    (assembly, data, backend)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_reads_what_guests_may_and_nothing_more() {
    let (_a, _d, backend) = start().await;
    let alice = backend.sign_up_and_sign_in("alice@example.com", PASSWORD).unwrap();
    let owner = Auth::UserPool(alice.access_token.clone());
    let made = backend.graphql(CREATE_NOTICE, json!({"t": "open day"}), owner.clone()).await.unwrap();
    assert!(made["data"]["createNotice"]["id"].is_string(), "{made}");
    let secret = "mutation { createSecret(input: {text: \"pin\"}) { id } }";
    assert!(backend.graphql(secret, json!({}), owner).await.unwrap()["errors"].is_null());

    let (guest_id, guest) = backend.guest_credentials().unwrap();
    assert!(guest_id.starts_with("us-east-1:"), "{guest_id}");
    let iam = || Auth::Iam(guest.clone());
    assert_eq!(texts(&backend.graphql(LIST_NOTICES, json!({}), iam()).await.unwrap()), ["open day"]);

    let refused = backend.graphql(CREATE_NOTICE, json!({"t": "graffiti"}), iam()).await.unwrap();
    assert_eq!(error_type(&refused), "Unauthorized", "{refused}");
    assert!(refused["data"]["createNotice"].is_null(), "{refused}");
    let refused = backend.graphql(LIST_SECRETS, json!({}), iam()).await.unwrap();
    assert_eq!(error_type(&refused), "Unauthorized", "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_in_identity_pool_user_has_the_authenticated_rule() {
    let (_a, _d, backend) = start().await;
    let bob = backend.sign_up_and_sign_in("bob@example.com", PASSWORD).unwrap();
    let (identity_id, creds) = backend.user_credentials(&bob).unwrap();
    let (again, _) = backend.user_credentials(&bob).unwrap();
    assert_eq!(identity_id, again, "the same user keeps the same identity");
    let made = backend.graphql(CREATE_NOTICE, json!({"t": "signed"}), Auth::Iam(creds.clone())).await.unwrap();
    assert_eq!(made["data"]["createNotice"]["text"], "signed", "{made}");
    // Owner-only data stays closed: the identity pool user is not its owner.
    let refused = backend.graphql(LIST_SECRETS, json!({}), Auth::Iam(creds)).await.unwrap();
    assert_eq!(error_type(&refused), "Unauthorized", "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_function_gets_what_its_role_was_granted() {
    let (_a, _d, backend) = start().await;
    let assembly = backend.assembly();
    let reader = backend.identity_pools().credentials_for_role(&function_role(&assembly, "reader"), "reader").unwrap();
    // `allow.resource("reader").to([Query])`: every query, whatever the model's rules.
    let body = backend.graphql(LIST_SECRETS, json!({}), Auth::Iam(reader.clone())).await.unwrap();
    assert!(body["errors"].is_null(), "{body}");
    assert!(body["data"]["listSecrets"]["items"].is_array(), "{body}");
    // ...and no mutation: AppSync checks the role's policy per top-level field.
    let refused = backend.graphql(CREATE_NOTICE, json!({"t": "x"}), Auth::Iam(reader)).await.unwrap();
    assert_eq!(error_type(&refused), "Unauthorized", "{refused}");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("createNotice"), "{refused}");

    let bystander =
        backend.identity_pools().credentials_for_role(&function_role(&assembly, "bystander"), "bystander").unwrap();
    let refused = backend.graphql(LIST_NOTICES, json!({}), Auth::Iam(bystander)).await.unwrap();
    assert_eq!(error_type(&refused), "Unauthorized", "a role with no grant reads nothing: {refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_signatures_and_stale_credentials_are_refused_as_appsync_refuses_them() {
    let (_a, _d, backend) = start().await;
    let (_, guest) = backend.guest_credentials().unwrap();
    let forged = Credentials { secret_access_key: "not-the-secret".into(), ..guest.clone() };
    let body = backend.graphql(LIST_NOTICES, json!({}), Auth::Iam(forged)).await.unwrap();
    assert_eq!(error_type(&body), "InvalidSignatureException", "{body}");

    let unknown = Credentials { access_key_id: "ASIAUNKNOWNUNKNOWN00".into(), ..guest.clone() };
    let body = backend.graphql(LIST_NOTICES, json!({}), Auth::Iam(unknown)).await.unwrap();
    assert_eq!(error_type(&body), "UnrecognizedClientException", "{body}");

    backend.identity_pools().advance_clock(3601);
    let body = backend.graphql(LIST_NOTICES, json!({}), Auth::Iam(guest)).await.unwrap();
    assert_eq!(error_type(&body), "ExpiredTokenException", "{body}");
}
