//! The playground's subscriptions (AppSync's realtime `graphql-ws`
//! protocol), reached through the console's own origin so that they need
//! neither the local CA nor another origin, and so that the page never holds
//! the API key or IAM credentials:
//!
//! - `GET /api/realtime?identity=<JSON>`: the WebSocket, whose handshake
//!   the backend makes for the identity (signed with SigV4 for IAM ones);
//! - `POST /api/realtime/sign` with `{"identity", "data"}`: the
//!   `authorization` a `start` message with that `data` carries (AppSync
//!   checks each subscription's own signature for IAM callers).

use std::sync::Arc;

use axum::extract::{Request, State as AxumState};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::backend::Identity;
use crate::error::{ApiError, ApiResult};
use crate::State;

/// The identity named by `?identity=`, or none.
fn identity_in(query: &str) -> ApiResult<Identity> {
    let named = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "identity").map(|(_, v)| v);
    match named {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| ApiError::bad_request("BadIdentity", format!("?identity= is not an identity: {e}"))),
        None => Ok(Identity::None),
    }
}

/// Hands the upgrade to the backend's realtime endpoint.
pub async fn realtime(AxumState(state): AxumState<Arc<State>>, request: Request) -> Response {
    let identity = match identity_in(request.uri().query().unwrap_or_default()) {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    match state.backend().realtime(&identity, request).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// `POST /api/realtime/sign`'s body.
#[derive(Debug, Deserialize)]
pub struct SignBody {
    identity: Identity,
    /// The `start` message's `payload.data`.
    data: String,
}

/// The `authorization` of a `start` message.
pub async fn sign(AxumState(state): AxumState<Arc<State>>, Json(body): Json<SignBody>) -> ApiResult<Json<Value>> {
    let authorization = state.backend().sign_subscription(&body.identity, &body.data).await?;
    Ok(Json(json!({"authorization": authorization})))
}
