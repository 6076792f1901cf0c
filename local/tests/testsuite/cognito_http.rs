//! The HTTP face: JSON 1.1 calls with X-Amz-Target, Cognito's error shape,
//! CORS for browsers, and the JWKS route.

use crate::cognito_support;

use std::sync::Arc;

use cognito_support::{chat_pool, CLIENT_ID, PASSWORD, POOL_ID};
use local::cognito::{router, EventSink, UserPools};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends one raw HTTP/1.1 request; returns (status, headers in lower case, body).
async fn send(addr: std::net::SocketAddr, request: String) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_lowercase(), body.to_string())
}

async fn call(addr: std::net::SocketAddr, target: &str, body: Value) -> (u16, String, Value) {
    let body = body.to_string();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.{target}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, head, body) = send(addr, request).await;
    (status, head, serde_json::from_str(&body).unwrap())
}

async fn serve() -> (std::net::SocketAddr, Arc<UserPools>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let pools = Arc::new(UserPools::open(dir.path(), vec![chat_pool(vec![], vec![])], EventSink::discard()).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(pools.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, pools, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_answer_in_json_11_and_errors_carry_cognitos_type() {
    let (addr, _pools, _dir) = serve().await;
    let (status, head, body) =
        call(addr, "SignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "Password": PASSWORD})).await;
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("content-type: application/x-amz-json-1.1"), "{head}");
    assert!(head.contains("x-amzn-requestid: "), "{head}");
    assert_eq!(body["UserConfirmed"], false);

    let (status, head, body) =
        call(addr, "SignUp", json!({"ClientId": CLIENT_ID, "Username": "ada@example.com", "Password": PASSWORD})).await;
    assert_eq!(status, 400);
    assert!(head.contains("x-amzn-errortype: usernameexistsexception"), "{head}");
    assert_eq!(
        body,
        json!({"__type": "UsernameExistsException", "message": "An account with the given email already exists."})
    );

    let (status, _, body) = call(addr, "NoSuchThing", json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "UnknownOperationException");

    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nX-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: 5\r\n\r\n{{nope"
    );
    let (status, _, body) = send(addr, request).await;
    assert_eq!(status, 400);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["__type"], "SerializationException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_may_call_from_any_origin() {
    let (addr, _pools, _dir) = serve().await;
    let preflight = format!(
        "OPTIONS / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nOrigin: http://localhost:5173\r\n\
         Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type,x-amz-target,x-amz-user-agent\r\n\r\n"
    );
    let (status, head, _) = send(addr, preflight).await;
    assert_eq!(status, 200);
    assert!(head.contains("access-control-allow-origin: *"), "{head}");
    assert!(head.contains("access-control-allow-headers: *"), "{head}");
    assert!(head.contains("access-control-allow-methods: *"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_pool_serves_its_jwks() {
    let (addr, pools, _dir) = serve().await;
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let (status, head, body) = send(addr, get(&format!("/{POOL_ID}/.well-known/jwks.json"))).await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"), "{head}");
    let jwks: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(jwks, pools.jwks(POOL_ID).unwrap());
    let (status, _, body) = send(addr, get("/us-east-1_nope/.well-known/jwks.json")).await;
    assert_eq!(status, 400);
    assert!(body.contains("ResourceNotFoundException"));
}
