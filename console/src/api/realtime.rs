//! `GET /api/realtime`: the data API's realtime WebSocket (AppSync's
//! `graphql-ws` protocol), reached through the console's own origin so that
//! the playground's subscriptions need neither the local CA nor another
//! origin. The page names its identity (`?identity=<JSON>`, as
//! `/api/graphql` takes it); the console turns it into the handshake's
//! `header` parameter (the API key stays on the server) and hands the
//! upgrade to the data API served at the moment, which authorizes it as
//! AppSync does. IAM identities are refused here: their handshake must be
//! signed.

use std::sync::Arc;

use axum::extract::{Request, State as AxumState};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use local::backend::Auth;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::graphql::{auth_for, Identity};
use crate::error::{ApiError, ApiResult};
use crate::State;

/// The handshake headers for the identity named in `query`.
fn handshake(state: &State, query: &str) -> ApiResult<Value> {
    let named = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "identity").map(|(_, v)| v);
    let identity: Identity = match named {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| ApiError::bad_request("BadIdentity", format!("?identity= is not an identity: {e}")))?,
        None => Identity::None,
    };
    let host = format!("127.0.0.1:{}", state.port);
    Ok(match auth_for(state, &identity)? {
        Auth::UserPool(token) => json!({"host": host, "Authorization": token}),
        Auth::ApiKey(key) => json!({"host": host, "x-api-key": key}),
        Auth::None => json!({"host": host}),
        Auth::Iam(_) => {
            return Err(ApiError::bad_request(
                "Unsupported",
                "subscriptions in the console run as a user pool user, the API key or no one; pick one of those",
            ))
        }
    })
}

/// Forwards the upgrade to the data API's `/graphql/realtime`.
pub async fn realtime(AxumState(state): AxumState<Arc<State>>, request: Request) -> Response {
    match forward(&state, request).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn forward(state: &State, mut request: Request) -> ApiResult<Response> {
    let api = state.backend.data_api().ok_or_else(|| ApiError::not_found("this backend has no data API"))?;
    let headers = handshake(state, request.uri().query().unwrap_or_default())?;
    let header = STANDARD.encode(headers.to_string());
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("header", &header)
        .append_pair("payload", "e30=")
        .finish();
    let uri: Uri = format!("/graphql/realtime?{query}").parse().map_err(|e| ApiError::internal(format!("{e}")))?;
    *request.uri_mut() = uri;
    match api.router().oneshot(request).await {
        Ok(response) => Ok(response),
        Err(never) => match never {},
    }
}
