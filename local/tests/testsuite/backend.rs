//! `LocalBackend`: the services wired together over one data directory —
//! reloads keep data, `reset` empties it, and a taken port or a damaged store
//! is an error that says what to do.

use crate::assembly_support;

use local::backend::{Auth, BackendError, LocalBackend, Options};
use serde_json::{json, Value};

const PASSWORD: &str = "Correct-horse-42";
const CREATE: &str = "mutation { createChat(input: {name: \"kept\"}) { id } }";
const LIST: &str = "{ listChats { items { name } } }";

fn names(body: &Value) -> Vec<String> {
    body["data"]["listChats"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn data_and_users_survive_a_reload_and_a_restart_and_reset_empties_them() {
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let options = || Options::new(assembly.path(), data.path());

    let backend = LocalBackend::start(options()).await.unwrap();
    let user = backend.sign_up_and_sign_in("ann@example.com", PASSWORD).unwrap();
    let auth = || Auth::UserPool(user.access_token.clone());
    let created = backend.graphql(CREATE, json!({}), auth()).await.unwrap();
    assert!(created["data"]["createChat"]["id"].is_string(), "{created}");
    assert!(backend.reload(assembly.path()).unwrap().is_empty(), "the same assembly needs no restart");
    assert_eq!(names(&backend.graphql(LIST, json!({}), auth()).await.unwrap()), ["kept"]);
    backend.stop().await;

    let backend = LocalBackend::start(options()).await.unwrap();
    let again = backend.sign_in("ann@example.com", PASSWORD).expect("the user is still there");
    let body = backend.graphql(LIST, json!({}), Auth::UserPool(again.access_token)).await.unwrap();
    assert_eq!(names(&body), ["kept"]);
    backend.stop().await;

    LocalBackend::reset(data.path()).unwrap();
    let backend = LocalBackend::start(options()).await.unwrap();
    let err = backend.sign_in("ann@example.com", PASSWORD).unwrap_err();
    assert!(err.to_string().contains("UserNotFound") || err.to_string().contains("Incorrect"), "{err}");
    let fresh = backend.sign_up_and_sign_in("ann@example.com", PASSWORD).unwrap();
    let body = backend.graphql(LIST, json!({}), Auth::UserPool(fresh.access_token)).await.unwrap();
    assert_eq!(names(&body), Vec::<String>::new());
    assert!(data.path().join("ca/rootCA.pem").is_file(), "reset keeps the CA");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_taken_port_is_named() {
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let options = Options { port, ..Options::new(assembly.path(), data.path()) };
    let err = LocalBackend::start(options).await.err().expect("the port is taken");
    assert!(matches!(err, BackendError::Bind { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("port {port} is already in use")), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_store_names_its_file() {
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    LocalBackend::start(Options::new(assembly.path(), data.path())).await.unwrap().stop().await;
    let file = std::fs::read_dir(data.path().join("dynamodb")).unwrap().next().unwrap().unwrap().path();
    std::fs::write(&file, b"not a database").unwrap();
    let err = LocalBackend::start(Options::new(assembly.path(), data.path())).await.err().expect("damaged");
    assert!(matches!(err, BackendError::Store(_)), "{err:?}");
    assert!(err.to_string().contains(&file.display().to_string()), "{err}");
}

/// A realtime connection open at a reload is closed (the client reconnects
/// to the new API) rather than left listening to an API no mutation reaches.
#[tokio::test(flavor = "multi_thread")]
async fn a_reload_closes_the_realtime_connections_of_the_replaced_api() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;

    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let backend = LocalBackend::start(Options::new(assembly.path(), data.path())).await.unwrap();
    let user = backend.sign_up_and_sign_in("rea@example.com", PASSWORD).unwrap();
    // The replaced API's own router, over plain HTTP, so the test needs no TLS client.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let router = backend.data_api().unwrap().router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let header = json!({"host": host, "Authorization": user.access_token});
    let mut request = format!("ws://{host}/graphql/realtime").into_client_request().unwrap();
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    request.headers_mut().insert("sec-websocket-protocol", protocols.parse().unwrap());
    let tcp = tokio::net::TcpStream::connect(&host).await.unwrap();
    let (mut ws, _) = tokio_tungstenite::client_async(request, tcp).await.unwrap();
    ws.send(Message::Text(json!({"type": "connection_init"}).to_string().into())).await.unwrap();
    let ack = ws.next().await.unwrap().unwrap();
    assert!(ack.to_text().unwrap().contains("connection_ack"), "{ack:?}");

    backend.reload(assembly.path()).unwrap();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(Ok(m)) = ws.next().await {
            if m.is_close() {
                return true;
            }
        }
        true
    })
    .await;
    assert_eq!(closed, Ok(true), "the connection closes at the reload");
}

/// Rewrites every template of `dir` that holds a user pool: the pool's minimum
/// password length becomes `min_length`, and a group `REVIEWERS` joins it.
fn edit_user_pool(dir: &std::path::Path, min_length: u64) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".template.json") {
            continue;
        }
        let mut template: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let resources = template["Resources"].as_object_mut().unwrap();
        let Some(pool) =
            resources.iter().find(|(_, r)| r["Type"] == "AWS::Cognito::UserPool").map(|(id, _)| id.clone())
        else {
            continue;
        };
        resources[&pool]["Properties"]["Policies"]["PasswordPolicy"]["MinimumLength"] = json!(min_length);
        resources.insert(
            "ReviewersGroup".into(),
            json!({"Type": "AWS::Cognito::UserPoolGroup", "Properties": {"GroupName": "REVIEWERS", "UserPoolId": {"Ref": pool}}}),
        );
        std::fs::write(&path, serde_json::to_string(&template).unwrap()).unwrap();
        return;
    }
    panic!("no template in {} has a user pool", dir.display());
}

/// A reload applies the user pool's new settings without a restart: the new
/// password policy holds for the next sign-up and the new group exists, while
/// users, and the tokens they were given before, stay valid.
#[tokio::test(flavor = "multi_thread")]
async fn a_reload_applies_new_user_pool_settings_and_keeps_users_and_their_tokens() {
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let backend = LocalBackend::start(Options::new(assembly.path(), data.path())).await.unwrap();
    let ann = backend.sign_up_and_sign_in("ann@example.com", PASSWORD).unwrap();
    backend.sign_up("bob@example.com", PASSWORD).expect("a 16-character password is long enough before the edit");

    edit_user_pool(assembly.path(), 20);
    assert_eq!(backend.reload(assembly.path()).unwrap(), Vec::<String>::new());

    let err = backend.sign_up("cy@example.com", PASSWORD).expect_err("the new policy asks for 20 characters");
    assert!(err.to_string().contains("InvalidPassword"), "{err}");
    backend.sign_up("cy@example.com", "Correct-horse-battery-42").expect("a 24-character password passes");

    let pool_id = backend.user_pools().pools()[0].pool_id.clone();
    let groups = backend.user_pools().handle("ListGroups", &json!({"UserPoolId": pool_id})).unwrap();
    let names: Vec<&str> =
        groups["Groups"].as_array().unwrap().iter().filter_map(|g| g["GroupName"].as_str()).collect();
    assert!(names.contains(&"REVIEWERS"), "{groups}");
    backend
        .user_pools()
        .handle(
            "AdminAddUserToGroup",
            &json!({"UserPoolId": pool_id, "Username": "ann@example.com", "GroupName": "REVIEWERS"}),
        )
        .expect("the new group takes members");

    let body = backend.graphql(CREATE, json!({}), Auth::UserPool(ann.access_token.clone())).await.unwrap();
    assert!(body["data"]["createChat"]["id"].is_string(), "a token from before the reload still works: {body}");
    backend.sign_in("bob@example.com", PASSWORD).expect("users made under the old policy still sign in");
}
