//! Testing your own schema's authorization rules with `cargo test`, in
//! milliseconds and with no AWS account: the backend is synthesized in
//! memory, and `local::backend::LocalBackend` runs it in this process — the
//! same resolvers, tables and user pool `ampx dev` serves. Each test signs
//! users up through the local user pool and sends GraphQL as they would.
//!
//! `local` is only a dev-dependency: the backend program itself stays lean.

use constructs::{App, AppProps};
use local::backend::{Auth, LocalBackend, Options, Tokens};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-horse-42";

/// The chat backend synthesized as a sandbox into a temporary directory.
fn synthesize() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let context = json!({"amplify-backend-namespace": "chatapp", "amplify-backend-name": "test", "amplify-backend-type": "sandbox"});
    let props = AppProps {
        outdir: Some(dir.path().to_path_buf()),
        context: serde_json::from_value(context).unwrap(),
        ..AppProps::default()
    };
    let app = App::with_props(props);
    chat::backend(app.clone());
    app.synth().expect("the chat backend synthesizes");
    dir
}

/// A running local backend with its directories (dropped together).
struct Local {
    backend: LocalBackend,
    _assembly: tempfile::TempDir,
    _data: tempfile::TempDir,
}

async fn start() -> Local {
    let assembly = synthesize();
    let data = tempfile::tempdir().unwrap();
    let backend = LocalBackend::start(Options::new(assembly.path(), data.path())).await.expect("the backend starts");
    Local { backend, _assembly: assembly, _data: data }
}

/// Runs `query` as the user and answers the response body.
async fn as_user(local: &Local, user: &Tokens, query: &str, variables: Value) -> Value {
    local.backend.graphql(query, variables, Auth::UserPool(user.access_token.clone())).await.unwrap()
}

/// The `owner` attribute of every item of the Chat table, as stored.
fn stored_owners(local: &Local) -> Vec<String> {
    let assembly = local.backend.assembly();
    let table = assembly.of_type("AWS::DynamoDB::Table").find(|t| t.logical_id.starts_with("ChatTable"));
    let name = &table.expect("the Chat table").reference;
    let scan = local.backend.store().execute("Scan", &json!({"TableName": name})).expect("the table scans");
    scan["Items"].as_array().into_iter().flatten().filter_map(|i| i["owner"]["S"].as_str().map(String::from)).collect()
}

fn error_types(body: &Value) -> Vec<String> {
    body["errors"].as_array().into_iter().flatten().filter_map(|e| e["errorType"].as_str().map(String::from)).collect()
}

const CREATE: &str = "mutation($name: String) { createChat(input: {name: $name}) { id name owner } }";
const GET: &str = "query($id: ID!) { getChat(id: $id) { id name owner } }";
const LIST: &str = "{ listChats { items { id name } } }";
const UPDATE: &str = "mutation($id: ID!) { updateChat(input: {id: $id, name: \"renamed\"}) { id name } }";
const DELETE: &str = "mutation($id: ID!) { deleteChat(input: {id: $id}) { id } }";

#[tokio::test(flavor = "multi_thread")]
async fn a_chat_belongs_to_its_creator_and_no_one_else_can_read_or_change_it() {
    let local = start().await;
    let alice_sub = local.backend.sign_up("alice@example.com", PASSWORD).unwrap();
    let alice = local.backend.sign_in("alice@example.com", PASSWORD).unwrap();
    let bob = local.backend.sign_up_and_sign_in("bob@example.com", PASSWORD).unwrap();

    let created = as_user(&local, &alice, CREATE, json!({"name": "alice's"})).await;
    let chat = &created["data"]["createChat"];
    let id = chat["id"].as_str().unwrap_or_else(|| panic!("{created}"));
    // `owner` reads as the username, as Amplify's owner field resolver answers
    // it (the username of an email pool is the user's sub)...
    assert_eq!(chat["owner"], json!(alice_sub), "{created}");
    // ...while the table keeps Amplify's `<sub>::<username>`, which the rules compare.
    assert_eq!(stored_owners(&local), [format!("{alice_sub}::{alice_sub}")]);

    let got = as_user(&local, &alice, GET, json!({"id": id})).await;
    assert_eq!(got["data"]["getChat"]["name"], "alice's", "{got}");
    assert_eq!(got["data"]["getChat"]["owner"], json!(alice_sub), "{got}");

    let denied = as_user(&local, &bob, GET, json!({"id": id})).await;
    assert_eq!(denied["data"]["getChat"], Value::Null, "{denied}");
    assert_eq!(error_types(&denied), ["Unauthorized"], "{denied}");

    let update = as_user(&local, &bob, UPDATE, json!({"id": id})).await;
    assert_eq!(update["data"]["updateChat"], Value::Null, "{update}");
    assert!(!error_types(&update).is_empty(), "{update}");
    let delete = as_user(&local, &bob, DELETE, json!({"id": id})).await;
    assert_eq!(delete["data"]["deleteChat"], Value::Null, "{delete}");
    assert!(!error_types(&delete).is_empty(), "{delete}");

    let still = as_user(&local, &alice, GET, json!({"id": id})).await;
    assert_eq!(still["data"]["getChat"]["name"], "alice's", "bob's calls changed nothing: {still}");
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_show_each_user_only_their_own_chats() {
    let local = start().await;
    let alice = local.backend.sign_up_and_sign_in("alice@example.com", PASSWORD).unwrap();
    let bob = local.backend.sign_up_and_sign_in("bob@example.com", PASSWORD).unwrap();
    for name in ["a1", "a2"] {
        as_user(&local, &alice, CREATE, json!({"name": name})).await;
    }
    as_user(&local, &bob, CREATE, json!({"name": "b1"})).await;

    let names = |body: Value| {
        let mut names: Vec<String> = body["data"]["listChats"]["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(as_user(&local, &alice, LIST, json!({})).await), ["a1", "a2"]);
    assert_eq!(names(as_user(&local, &bob, LIST, json!({})).await), ["b1"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_without_a_valid_token_is_refused_before_any_resolver_runs() {
    let local = start().await;
    let body = local.backend.graphql(LIST, json!({}), Auth::UserPool("not-a-token".into())).await.unwrap();
    assert_eq!(error_types(&body), ["UnauthorizedException"], "{body}");
}
