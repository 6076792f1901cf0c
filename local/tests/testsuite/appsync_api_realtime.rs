//! The realtime protocol over real WebSockets (tokio-tungstenite as the
//! client), as aws-amplify 6 and older clients speak it, and the TLS the
//! client needs (a rustls client trusting only the local CA).

use crate::appsync_api_support;

use std::sync::Arc;
use std::time::Duration;

use appsync_api_support::{post, test_api, TestApi};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use local::appsync::http;
use local::appsync::tls::{serve_tls, LocalCa};
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

async fn serve_plain(t: &TestApi) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = http::router(t.api.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    port
}

async fn connect<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    url: &str,
    subprotocols: Option<String>,
) -> (WebSocketStream<S>, Option<String>) {
    let mut request = url.into_client_request().unwrap();
    if let Some(p) = subprotocols {
        request.headers_mut().insert("sec-websocket-protocol", p.parse().unwrap());
    }
    let (ws, response) = tokio_tungstenite::client_async(request, stream).await.expect("handshake");
    let chosen = response.headers().get("sec-websocket-protocol").map(|v| v.to_str().unwrap().to_string());
    (ws, chosen)
}

async fn next<S: AsyncRead + AsyncWrite + Unpin>(ws: &mut WebSocketStream<S>) -> Value {
    loop {
        let m = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message within 5 s")
            .expect("open")
            .unwrap();
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] != "ka" {
                return v;
            }
        }
    }
}

async fn quiet<S: AsyncRead + AsyncWrite + Unpin>(ws: &mut WebSocketStream<S>) {
    let r = tokio::time::timeout(Duration::from_millis(300), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) if !t.contains("\"ka\"") => return t.to_string(),
                Some(Ok(_)) => continue,
                _ => return "closed".to_string(),
            }
        }
    })
    .await;
    assert!(r.is_err(), "expected nothing, got {r:?}");
}

async fn send<S: AsyncRead + AsyncWrite + Unpin>(ws: &mut WebSocketStream<S>, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

async fn init<S: AsyncRead + AsyncWrite + Unpin>(ws: &mut WebSocketStream<S>) {
    send(ws, json!({"type": "connection_init"})).await;
    assert_eq!(next(ws).await, json!({"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}));
}

fn start(id: &str, query: &str, variables: Value, authorization: Value) -> Value {
    json!({"id": id, "type": "start", "payload": {
        "data": json!({"query": query, "variables": variables}).to_string(),
        "extensions": {"authorization": authorization}}})
}

const ON_ADD: &str = "subscription S($owner: String) { onAddNote(owner: $owner) { id text owner } }";
const ON_MINE: &str = "subscription { onAddMine { id owner } }";
const ADD: &str = "mutation M($id: ID!, $text: String, $owner: String) { addNote(id: $id, text: $text, owner: $owner) { id text owner } }";

#[tokio::test]
async fn subscriptions_over_subprotocol_and_query_string_auth_with_filters() {
    let t = test_api();
    let port = serve_plain(&t).await;
    let key = t.key();
    let host = format!("127.0.0.1:{port}");

    // aws-amplify 6: `graphql-ws` plus `header-<base64url JSON>`.
    let header = json!({"host": host, "x-api-key": key, "x-amz-date": "20250101T000000Z"});
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    let tcp = TcpStream::connect(&host).await.unwrap();
    let (mut ann, chosen) = connect(tcp, &format!("ws://{host}/graphql/realtime"), Some(protocols)).await;
    assert_eq!(chosen.as_deref(), Some("graphql-ws"));
    init(&mut ann).await;
    send(&mut ann, start("a1", ON_ADD, json!({"owner": "ann"}), json!({"host": host, "x-api-key": key}))).await;
    assert_eq!(next(&mut ann).await, json!({"type": "start_ack", "id": "a1"}));

    // Older clients: `header` and `payload` in the query string, at /realtime.
    let token = json!({"host": host, "Authorization": "user:bob:"});
    let url = format!(
        "ws://{host}/realtime?header={}&payload=e30%3D",
        STANDARD.encode(token.to_string()).replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
    );
    let (mut bob, _) = connect(TcpStream::connect(&host).await.unwrap(), &url, Some("graphql-ws".into())).await;
    init(&mut bob).await;
    send(&mut bob, start("b1", ON_MINE, json!({}), json!({"host": host, "Authorization": "user:bob:"}))).await;
    assert_eq!(next(&mut bob).await, json!({"type": "start_ack", "id": "b1"}));

    // ann's note reaches ann's argument-filtered subscription only.
    let (_, body) = post(
        &t.api,
        &[("x-api-key", &key)],
        json!({"query": ADD, "variables": {"id": "1", "text": "hi", "owner": "ann"}}),
    )
    .await;
    assert_eq!(body, json!({"data": {"addNote": {"id": "1", "text": "hi", "owner": "ann"}}}));
    assert_eq!(
        next(&mut ann).await,
        json!({"type": "data", "id": "a1", "payload": {"data": {"onAddNote": {"id": "1", "text": "hi", "owner": "ann"}}}})
    );
    quiet(&mut bob).await;

    // bob's note reaches bob through the resolver's enhanced filter; the
    // subscriber's selection set shapes the payload.
    post(
        &t.api,
        &[("authorization", "user:bob:")],
        json!({"query": ADD, "variables": {"id": "2", "text": "yo", "owner": "bob"}}),
    )
    .await;
    assert_eq!(
        next(&mut bob).await,
        json!({"type": "data", "id": "b1", "payload": {"data": {"onAddMine": {"id": "2", "owner": "bob"}}}})
    );
    quiet(&mut ann).await;

    // stop ends the subscription with complete; later publishes do not arrive.
    send(&mut ann, json!({"type": "stop", "id": "a1"})).await;
    assert_eq!(next(&mut ann).await, json!({"type": "complete", "id": "a1"}));
    post(&t.api, &[("x-api-key", &key)], json!({"query": ADD, "variables": {"id": "3", "owner": "ann"}})).await;
    quiet(&mut ann).await;
}

#[tokio::test]
async fn unauthorized_subscribers_are_rejected() {
    let t = test_api();
    let port = serve_plain(&t).await;
    let host = format!("127.0.0.1:{port}");
    let key = t.key();

    // A bad key at the handshake: connection_error with code 401.
    let header = json!({"host": host, "x-api-key": "da2-nope"});
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    let (mut ws, _) =
        connect(TcpStream::connect(&host).await.unwrap(), &format!("ws://{host}/graphql/realtime"), Some(protocols))
            .await;
    send(&mut ws, json!({"type": "connection_init"})).await;
    let m = next(&mut ws).await;
    assert_eq!(m["type"], "connection_error", "{m}");
    assert_eq!(m["payload"]["errors"][0]["errorType"], "UnauthorizedException");
    assert_eq!(m["payload"]["errors"][0]["errorCode"], 401);

    // A valid key, but the field allows user pools only: the resolver never
    // registers it and the client gets AppSync's Unauthorized error.
    let header = json!({"host": host, "x-api-key": key});
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    let (mut ws, _) =
        connect(TcpStream::connect(&host).await.unwrap(), &format!("ws://{host}/graphql/realtime"), Some(protocols))
            .await;
    init(&mut ws).await;
    send(&mut ws, start("x", ON_MINE, json!({}), json!({"host": host, "x-api-key": key}))).await;
    let m = next(&mut ws).await;
    assert_eq!(m["type"], "error", "{m}");
    assert_eq!(m["id"], "x");
    assert_eq!(m["payload"]["errors"][0]["errorType"], "Unauthorized");
    assert_eq!(m["payload"]["errors"][0]["message"], "Not Authorized to access onAddMine on type Subscription");
    // A subscription signed with an expired key is refused too.
    send(&mut ws, start("y", ON_ADD, json!({}), json!({"host": host, "x-api-key": t.old_key()}))).await;
    let m = next(&mut ws).await;
    assert_eq!(
        (m["type"].as_str(), m["payload"]["errors"][0]["errorType"].as_str()),
        (Some("error"), Some("UnauthorizedException"))
    );
    // A query is not a subscription.
    send(&mut ws, start("q", "{ echo { id } }", json!({}), json!({"host": host, "x-api-key": key}))).await;
    let m = next(&mut ws).await;
    assert_eq!(
        (m["type"].as_str(), m["payload"]["errors"][0]["errorType"].as_str()),
        (Some("error"), Some("UnsupportedOperation"))
    );
    // A malformed start names the problem.
    send(&mut ws, json!({"id": "m", "type": "start", "payload": {"data": "not json"}})).await;
    assert_eq!(next(&mut ws).await["payload"]["errors"][0]["errorType"], "MalformedRequest");
    post(&t.api, &[("x-api-key", &key)], json!({"query": ADD, "variables": {"id": "9", "owner": "bob"}})).await;
    quiet(&mut ws).await;
}

#[tokio::test]
async fn one_mutation_reaches_many_subscriptions() {
    let t = test_api();
    let port = serve_plain(&t).await;
    let host = format!("127.0.0.1:{port}");
    let key = t.key();
    let header = json!({"host": host, "x-api-key": key});
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    let (mut ws, _) =
        connect(TcpStream::connect(&host).await.unwrap(), &format!("ws://{host}/graphql/realtime"), Some(protocols))
            .await;
    init(&mut ws).await;
    const N: usize = 200;
    for i in 0..N {
        send(&mut ws, start(&format!("s{i}"), ON_ADD, json!({}), json!({"x-api-key": key}))).await;
    }
    for _ in 0..N {
        assert_eq!(next(&mut ws).await["type"], "start_ack");
    }
    post(&t.api, &[("x-api-key", &key)], json!({"query": ADD, "variables": {"id": "m", "owner": "z"}})).await;
    let mut ids = std::collections::HashSet::new();
    for _ in 0..N {
        let m = next(&mut ws).await;
        assert_eq!(m["payload"]["data"]["onAddNote"]["id"], "m", "{m}");
        ids.insert(m["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), N);
}

/// `n` messages from `ws`, sorted by subscription id.
async fn messages<S: AsyncRead + AsyncWrite + Unpin>(ws: &mut WebSocketStream<S>, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(next(ws).await);
    }
    out.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    out
}

/// Opens a socket signed by `token` and starts `(id, query, variables)` on it.
async fn subscriber(host: &str, token: &str, starts: &[(&str, &str, Value)]) -> WebSocketStream<TcpStream> {
    let header = json!({"host": host, "Authorization": token});
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    let url = format!("ws://{host}/graphql/realtime");
    let (mut ws, _) = connect(TcpStream::connect(host).await.unwrap(), &url, Some(protocols)).await;
    init(&mut ws).await;
    for (id, query, variables) in starts {
        send(&mut ws, start(id, query, variables.clone(), header.clone())).await;
        assert_eq!(next(&mut ws).await, json!({"type": "start_ack", "id": id}));
    }
    ws
}

const NOTES_SECRET: &str = "subscription S($owner: String) { onAddNote(owner: $owner) { id owner secret } }";
const MINE_SECRET: &str = "subscription { onAddMine { id owner secret } }";
const ADD_SECRET: &str =
    "mutation M($id: ID!, $owner: String, $secret: String) { addNote(id: $id, owner: $owner, secret: $secret) { id owner secret } }";

/// Subscribers with the same selection set share the shaping of a payload
/// only when nothing about them can change it: an admin and a non-admin see
/// an admins-only field differently, and owner and argument filters stay each
/// subscriber's own.
#[tokio::test]
async fn subscribers_of_one_selection_set_each_get_only_what_they_may_see() {
    let t = test_api();
    let port = serve_plain(&t).await;
    let host = format!("127.0.0.1:{port}");
    let (ann_token, bob_token, carol_token) = ("user:ann:Admins", "user:bob:", "user:carol:");
    let mut ann =
        subscriber(&host, ann_token, &[("a1", NOTES_SECRET, json!({})), ("a2", MINE_SECRET, json!({}))]).await;
    let mut bob =
        subscriber(&host, bob_token, &[("b1", NOTES_SECRET, json!({})), ("b2", MINE_SECRET, json!({}))]).await;
    let mut carol = subscriber(
        &host,
        carol_token,
        &[("c1", NOTES_SECRET, json!({"owner": "carol"})), ("c2", MINE_SECRET, json!({}))],
    )
    .await;
    let add = |token: &'static str, id: &str, owner: &str| {
        let body = json!({"query": ADD_SECRET, "variables": {"id": id, "owner": owner, "secret": format!("s{id}")}});
        let api = t.api.clone();
        async move { post(&api, &[("authorization", token)], body).await }
    };

    // ann (an admin) adds a note with a secret.
    let (_, body) = add(ann_token, "1", "ann").await;
    assert_eq!(body, json!({"data": {"addNote": {"id": "1", "owner": "ann", "secret": "s1"}}}));
    let note = json!({"onAddNote": {"id": "1", "owner": "ann", "secret": "s1"}});
    let mine = json!({"onAddMine": {"id": "1", "owner": "ann", "secret": "s1"}});
    assert_eq!(
        messages(&mut ann, 2).await,
        [
            json!({"type": "data", "id": "a1", "payload": {"data": note}}),
            json!({"type": "data", "id": "a2", "payload": {"data": mine}})
        ]
    );
    // bob, same document and variables but not an admin: the secret is
    // withheld; his owner-filtered subscription and all of carol's stay quiet.
    let m = next(&mut bob).await;
    assert_eq!((&m["type"], &m["id"]), (&json!("data"), &json!("b1")), "{m}");
    assert_eq!(m["payload"]["data"], json!({"onAddNote": {"id": "1", "owner": "ann", "secret": null}}), "{m}");
    // With the reason, as in a query's response.
    let errors = m["payload"]["errors"].as_array().expect("the withheld field's error");
    assert_eq!(errors.len(), 1, "{m}");
    assert_eq!(errors[0]["errorType"], "Unauthorized", "{m}");
    assert_eq!(errors[0]["path"], json!(["onAddNote", "secret"]), "{m}");
    assert_eq!(errors[0]["message"], "Not Authorized to access secret on type Note", "{m}");
    quiet(&mut bob).await;
    quiet(&mut carol).await;

    // bob's own note: both of his subscriptions, ann's unfiltered one only.
    add(bob_token, "2", "bob").await;
    let got = messages(&mut bob, 2).await;
    let bobs = json!({"id": "2", "owner": "bob", "secret": null});
    assert_eq!(got[0]["payload"]["data"], json!({"onAddNote": bobs}), "{got:?}");
    assert_eq!(got[1]["payload"]["data"], json!({"onAddMine": bobs}), "{got:?}");
    let m = next(&mut ann).await;
    assert_eq!(m["id"], "a1", "{m}");
    assert_eq!(m["payload"], json!({"data": {"onAddNote": {"id": "2", "owner": "bob", "secret": null}}}));
    quiet(&mut ann).await;
    quiet(&mut carol).await;

    // carol's note passes her argument filter and her owner filter.
    add(carol_token, "3", "carol").await;
    let got = messages(&mut carol, 2).await;
    assert_eq!(got.iter().map(|m| m["id"].clone()).collect::<Vec<_>>(), [json!("c1"), json!("c2")]);
    assert!(got.iter().all(|m| m["payload"]["data"].to_string().contains(r#""owner":"carol""#)), "{got:?}");
    assert_eq!(messages(&mut ann, 1).await[0]["id"], "a1");
    assert_eq!(messages(&mut bob, 1).await[0]["id"], "b1");
    quiet(&mut ann).await;
    quiet(&mut bob).await;
}

async fn http_post<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S, host: &str, key: &str, body: &str) -> String {
    let request = format!(
        "POST /graphql HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\nx-api-key: {key}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).to_string()
}

fn client_config(ca: &LocalCa) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.ca_cert.clone()).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

#[tokio::test]
async fn tls_with_the_local_ca_serves_https_and_wss() {
    let t = test_api();
    let dir = tempfile::tempdir().unwrap();
    let ca = LocalCa::load_or_create(&dir.path().join("certs")).unwrap();
    let ca_pem = std::fs::read_to_string(&ca.ca_cert_path).unwrap();
    assert!(ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    // A second start keeps the CA a browser may already trust.
    let again = LocalCa::load_or_create(&dir.path().join("certs")).unwrap();
    assert_eq!(std::fs::read_to_string(&again.ca_cert_path).unwrap(), ca_pem);

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(serve_tls(listener, http::router(t.api.clone()), again.server_config.clone()));
    // The client trusts the CA from the first load: the certificate of the
    // second start chains to it.
    let connector = tokio_rustls::TlsConnector::from(client_config(&ca));
    let host = format!("127.0.0.1:{port}");
    for name in ["127.0.0.1", "localhost"] {
        let server_name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
        let tcp = TcpStream::connect(&host).await.unwrap();
        let mut tls = connector.connect(server_name, tcp).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        let response =
            http_post(&mut tls, &host, &t.key(), &json!({"query": "{ echo(text: \"tls\") { text } }"}).to_string())
                .await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains(r#"{"data":{"echo":{"text":"tls"}}}"#), "{response}");
    }

    let server_name = rustls::pki_types::ServerName::try_from("127.0.0.1".to_string()).unwrap();
    let tls = connector.connect(server_name, TcpStream::connect(&host).await.unwrap()).await.unwrap();
    let header = json!({"host": host, "x-api-key": t.key()});
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    let (mut ws, chosen) = connect(tls, &format!("wss://{host}/graphql/realtime"), Some(protocols)).await;
    assert_eq!(chosen.as_deref(), Some("graphql-ws"));
    init(&mut ws).await;

    // A client that trusts nothing local is refused.
    let empty = Arc::new(
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
    );
    let server_name = rustls::pki_types::ServerName::try_from("127.0.0.1".to_string()).unwrap();
    let refused =
        tokio_rustls::TlsConnector::from(empty).connect(server_name, TcpStream::connect(&host).await.unwrap()).await;
    assert!(refused.is_err());
}
