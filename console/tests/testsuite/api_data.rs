//! The data API through the console, as the identity the page picks: the
//! owner rule decides per user, refusals come back as the API words them,
//! and subscriptions work through the console's realtime route.

use crate::support::{read, start, url_encode};

use futures_util::SinkExt as _;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::Message;

const CREATE: &str = "mutation C($input: CreateChatInput!) { createChat(input: $input) { id name owner } }";
const LIST: &str = "query { listChats { items { id name } } }";

#[tokio::test(flavor = "multi_thread")]
async fn config_names_what_the_page_builds_itself_from() {
    let running = start().await;
    running.console.set_outputs(json!({"version": "1.4", "data": {"model_introspection": {"models": {}}}}));
    let (status, config) = running.api("GET", "/api/config", Value::Null).await;
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["outputs"]["version"], "1.4");
    assert_eq!(config["data"]["available"], true);
    assert!(config["data"]["authModes"].as_array().unwrap().contains(&json!("userPool")), "{config}");
    assert_eq!(config["data"]["apiKey"], false);
    assert_eq!(config["userPools"][0]["groups"][0]["name"], "Moderators");
    assert_eq!(config["userPools"][0]["usernameAttributes"], json!(["email"]));
    assert_eq!(config["buckets"].as_array().unwrap().len(), 1, "{config}");
    let functions = config["functions"].as_array().unwrap();
    assert!(functions.contains(&json!("say-hello")) && functions.contains(&json!("post-confirmation")), "{config}");
}

#[tokio::test(flavor = "multi_thread")]
async fn records_are_made_and_seen_as_the_chosen_user_only() {
    let running = start().await;
    let ann = running.user("ann@example.com").await;
    let bob = running.user("bob@example.com").await;
    let as_ann = json!({"type": "userPool", "token": ann});
    let as_bob = json!({"type": "userPool", "token": bob});

    let made = running.graphql(CREATE, json!({"input": {"name": "Ann's chat"}}), as_ann.clone()).await;
    assert!(made.get("errors").is_none(), "{made}");
    assert_eq!(made["data"]["createChat"]["name"], "Ann's chat");
    let id = made["data"]["createChat"]["id"].as_str().unwrap().to_string();

    let ann_sees = running.graphql(LIST, json!({}), as_ann.clone()).await;
    assert_eq!(ann_sees["data"]["listChats"]["items"], json!([{"id": id, "name": "Ann's chat"}]));
    let bob_sees = running.graphql(LIST, json!({}), as_bob.clone()).await;
    assert_eq!(bob_sees["data"]["listChats"]["items"], json!([]), "the owner rule hides Ann's chat from Bob");

    // Bob may not change Ann's record: the API's own refusal comes back.
    let update = "mutation U($input: UpdateChatInput!) { updateChat(input: $input) { id name } }";
    let refused = running.graphql(update, json!({"input": {"id": id, "name": "Bob's now"}}), as_bob).await;
    assert_eq!(refused["errors"][0]["errorType"], "Unauthorized", "{refused}");

    // No credentials: refused by the API; no API key: refused by the console.
    let none = running.graphql(LIST, json!({}), json!({"type": "none"})).await;
    assert_eq!(none["errors"][0]["errorType"], "UnauthorizedException", "{none}");
    let (status, no_key) =
        running.api("POST", "/api/graphql", json!({"query": LIST, "identity": {"type": "apiKey"}})).await;
    assert_eq!(status, 400);
    assert_eq!(no_key["error"]["type"], "NoApiKey", "{no_key}");
    let (status, bad) = running.api("POST", "/api/graphql", json!({"query": LIST, "identity": {"type": "root"}})).await;
    assert_eq!(status, 422, "an identity the console does not know: {bad}");

    // operationName picks one of several operations.
    let two = "query A { listChats { items { id } } } query B { listChats { items { name } } }";
    let (status, picked) =
        running.api("POST", "/api/graphql", json!({"query": two, "operationName": "B", "identity": as_ann})).await;
    assert_eq!(status, 200);
    assert_eq!(picked["data"]["listChats"]["items"], json!([{"name": "Ann's chat"}]), "{picked}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subscription_through_the_console_receives_the_owners_new_records() {
    let running = start().await;
    let ann = running.user("ann@example.com").await;
    let identity = json!({"type": "userPool", "token": ann});
    let mut socket = running.realtime(&identity).await;
    let start = json!({"id": "1", "type": "start", "payload": {
        "data": json!({"query": "subscription { onCreateChat { id name } }", "variables": {}}).to_string()}});
    socket.send(Message::Text(start.to_string().into())).await.unwrap();
    let started = read(&mut socket).await;
    assert_eq!(started["type"], "start_ack", "{started}");
    let made = running.graphql(CREATE, json!({"input": {"name": "live"}}), identity.clone()).await;
    assert!(made.get("errors").is_none(), "{made}");
    let data = read(&mut socket).await;
    assert_eq!(data["type"], "data", "{data}");
    assert_eq!(data["payload"]["data"]["onCreateChat"]["name"], "live", "{data}");

    // Without the token the upgrade is refused before it reaches the API.
    let url = format!("ws://{}/api/realtime?identity={}", running.console.addr(), url_encode(&identity.to_string()));
    let mut bare = url.into_client_request().unwrap();
    bare.headers_mut().insert("sec-websocket-protocol", "graphql-ws".parse().unwrap());
    let tcp = tokio::net::TcpStream::connect(running.console.addr()).await.unwrap();
    let refused = tokio_tungstenite::client_async(bare, tcp).await;
    assert!(refused.is_err(), "no token, no socket");
}
