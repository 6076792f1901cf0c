//! The HTTP face of the data API: `POST /graphql`, CORS as AppSync sends it,
//! and the realtime WebSocket at `/graphql/realtime` (where aws-amplify 6
//! puts it for a non-AppSync domain) and `/realtime`.

use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::api::DataApi;
use super::realtime::{connection, protocol};

/// Headers AppSync lets browsers read.
const EXPOSE: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,x-amz-schema-version";
/// Request headers AppSync allows when the preflight names none.
const ALLOW: &str =
    "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,x-amz-content-sha256";

/// The router: `/graphql`, its preflight, and the realtime endpoints.
pub fn router(api: DataApi) -> Router {
    Router::new()
        .route("/graphql", post(graphql).options(preflight))
        .route("/graphql/realtime", get(realtime))
        .route("/realtime", get(realtime))
        .layer(axum::middleware::map_response(cors))
        .with_state(api)
}

async fn cors(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert("access-control-expose-headers", HeaderValue::from_static(EXPOSE));
    if !h.contains_key("x-amzn-requestid") {
        let id = uuid_like();
        if let Ok(v) = HeaderValue::from_str(&id) {
            h.insert(HeaderName::from_static("x-amzn-requestid"), v);
        }
    }
    response
}

/// A request id in UUID form (unique per process run; not security-relevant).
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let t =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (t >> 32) as u32,
        (t >> 16) as u16,
        n >> 48 & 0xfff,
        (n >> 36) & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

async fn preflight(headers: HeaderMap) -> Response {
    let requested =
        headers.get("access-control-request-headers").and_then(|v| v.to_str().ok()).unwrap_or(ALLOW).to_string();
    let mut response = StatusCode::OK.into_response();
    let h = response.headers_mut();
    h.insert("access-control-allow-methods", HeaderValue::from_static("GET,POST,OPTIONS"));
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_str(&requested).unwrap_or(HeaderValue::from_static(ALLOW)),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("86400"));
    response
}

fn headers_json(headers: &HeaderMap) -> Value {
    let mut out = Map::new();
    for (k, v) in headers {
        if let Ok(v) = v.to_str() {
            out.insert(k.as_str().to_string(), Value::String(v.to_string()));
        }
    }
    Value::Object(out)
}

async fn graphql(State(api): State<DataApi>, headers: HeaderMap, body: Bytes) -> Response {
    let lookup = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let answer = api.handle(&lookup, headers_json(&headers), &body).await;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(answer.body)).into_response();
    if answer.status == 401 {
        response.headers_mut().insert("x-amzn-errortype", HeaderValue::from_static("UnauthorizedException"));
    }
    response
}

#[derive(Deserialize)]
struct RealtimeQuery {
    header: Option<String>,
}

async fn realtime(
    State(api): State<DataApi>,
    Query(q): Query<RealtimeQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let offered: Vec<String> = headers
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|p| p.trim().to_string()))
        .collect();
    let offered_refs: Vec<&str> = offered.iter().map(String::as_str).collect();
    let handshake = protocol::handshake_headers(&offered_refs, q.header.as_deref());
    ws.protocols([protocol::SUBPROTOCOL]).on_upgrade(move |socket| connection::serve(api, socket, handshake))
}
