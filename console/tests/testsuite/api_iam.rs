//! IAM identities through the console: the administrator (IAM from no
//! identity pool, which Amplify's resolvers let do everything) and the
//! identity pool's guest, for queries, mutations and subscriptions, whose
//! `start` messages the console signs.

use futures_util::SinkExt as _;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{read, start, Running, Socket};

const CREATE_CHAT: &str = "mutation C($input: CreateChatInput!) { createChat(input: $input) { id name owner } }";
const UPDATE_CHAT: &str = "mutation U($input: UpdateChatInput!) { updateChat(input: $input) { id name owner } }";
const LIST_CHATS: &str = "query { listChats { items { id name owner } } }";
const ANNOUNCE: &str = "mutation A($input: CreateAnnouncementInput!) { createAnnouncement(input: $input) { id text } }";
const LIST_ANNOUNCEMENTS: &str = "query { listAnnouncements { items { text } } }";

fn admin() -> Value {
    json!({"type": "admin"})
}

fn guest() -> Value {
    json!({"type": "iam"})
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_reads_and_changes_every_record_and_posts_what_no_user_may() {
    let running = start().await;
    let (_, config) = running.api("GET", "/api/config", Value::Null).await;
    assert_eq!(config["data"]["admin"], true, "{config}");
    assert_eq!(config["kind"], "local");
    assert_eq!(config["signInAs"], true);

    let ann = json!({"type": "userPool", "token": running.user("ann@example.com").await});
    let made = running.graphql(CREATE_CHAT, json!({"input": {"name": "Ann's"}}), ann.clone()).await;
    let id = made["data"]["createChat"]["id"].as_str().unwrap_or_else(|| panic!("{made}")).to_string();

    let seen = running.graphql(LIST_CHATS, json!({}), admin()).await;
    assert_eq!(
        seen["data"]["listChats"]["items"][0]["id"],
        id.as_str(),
        "the owner rule does not bind the admin: {seen}"
    );
    let changed = running.graphql(UPDATE_CHAT, json!({"input": {"id": id, "name": "edited"}}), admin()).await;
    assert!(changed.get("errors").is_none(), "{changed}");
    assert_eq!(changed["data"]["updateChat"]["name"], "edited");
    assert_eq!(changed["data"]["updateChat"]["owner"], made["data"]["createChat"]["owner"], "still Ann's");

    // Only the announce function may post announcements: a user is refused,
    // the admin is not, and guests read what the admin posted.
    let refused = running.graphql(ANNOUNCE, json!({"input": {"text": "by Ann"}}), ann).await;
    assert!(refused["errors"][0]["errorType"].as_str().unwrap_or_default().starts_with("Unauthorized"), "{refused}");
    let posted = running.graphql(ANNOUNCE, json!({"input": {"text": "by the admin"}}), admin()).await;
    assert!(posted.get("errors").is_none(), "{posted}");
    let read_by_guest = running.graphql(LIST_ANNOUNCEMENTS, json!({}), guest()).await;
    assert_eq!(
        read_by_guest["data"]["listAnnouncements"]["items"],
        json!([{"text": "by the admin"}]),
        "{read_by_guest}"
    );
    // The guest may not write, nor see chats.
    let guest_chats = running.graphql(LIST_CHATS, json!({}), guest()).await;
    assert!(guest_chats.get("errors").is_some(), "{guest_chats}");
}

/// Sends a `start` for `query` as `identity`, signed by the console when `sign`.
async fn start_subscription(
    running: &Running,
    socket: &mut Socket,
    identity: &Value,
    query: &str,
    sign: bool,
) -> Value {
    let data = json!({"query": query, "variables": {}}).to_string();
    let mut payload = json!({"data": data});
    if sign {
        let (status, signed) =
            running.api("POST", "/api/realtime/sign", json!({"identity": identity, "data": data})).await;
        assert_eq!(status, 200, "{signed}");
        assert!(signed["authorization"]["authorization"].as_str().unwrap_or_default().starts_with("AWS4-HMAC-SHA256"));
        payload["extensions"] = json!({"authorization": signed["authorization"]});
    }
    let message = json!({"id": "1", "type": "start", "payload": payload});
    socket.send(Message::Text(message.to_string().into())).await.unwrap();
    read(socket).await
}

#[tokio::test(flavor = "multi_thread")]
async fn guest_and_admin_subscriptions_run_with_the_starts_the_console_signs() {
    let running = start().await;
    let mut as_guest = running.realtime(&guest()).await;
    let on_announcement = "subscription { onCreateAnnouncement { text } }";
    let started = start_subscription(&running, &mut as_guest, &guest(), on_announcement, true).await;
    assert_eq!(started["type"], "start_ack", "{started}");

    let mut as_admin = running.realtime(&admin()).await;
    let started =
        start_subscription(&running, &mut as_admin, &admin(), "subscription { onCreateChat { name } }", true).await;
    assert_eq!(started["type"], "start_ack", "{started}");

    let posted = running.graphql(ANNOUNCE, json!({"input": {"text": "hello guests"}}), admin()).await;
    assert!(posted.get("errors").is_none(), "{posted}");
    let data = read(&mut as_guest).await;
    assert_eq!(data["payload"]["data"]["onCreateAnnouncement"]["text"], "hello guests", "{data}");

    let ann = json!({"type": "userPool", "token": running.user("ann@example.com").await});
    running.graphql(CREATE_CHAT, json!({"input": {"name": "Ann's live"}}), ann).await;
    let data = read(&mut as_admin).await;
    assert_eq!(data["payload"]["data"]["onCreateChat"]["name"], "Ann's live", "the admin sees every owner's: {data}");

    // A start without its own signature is refused: the handshake's signs
    // the connection, not this subscription.
    let mut unsigned = running.realtime(&guest()).await;
    let refused = start_subscription(&running, &mut unsigned, &guest(), on_announcement, false).await;
    assert_eq!(refused["type"], "error", "{refused}");
}
