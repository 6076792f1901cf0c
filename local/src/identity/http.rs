//! The HTTP face of the identity pools, as Amplify's client calls Cognito
//! Identity: `POST /` with `X-Amz-Target: AWSCognitoIdentityService.<Operation>`
//! and a JSON 1.1 body.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use tower_http::cors::{Any, CorsLayer};

use super::errors::{ErrorKind, IdentityError};
use super::IdentityPools;

const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";
const JSON_11: &str = "application/x-amz-json-1.1";

/// The router serving `pools`; browsers may call it from any origin.
pub fn router(pools: Arc<IdentityPools>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any)
        .expose_headers([
            HeaderName::from_static("x-amzn-requestid"),
            HeaderName::from_static("x-amzn-errortype"),
            HeaderName::from_static("x-amzn-errormessage"),
            HeaderName::from_static("date"),
        ])
        .max_age(std::time::Duration::from_secs(86_400));
    Router::new().route("/", post(call)).layer(cors).with_state(pools)
}

async fn call(State(pools): State<Arc<IdentityPools>>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(operation) = target.strip_prefix(TARGET_PREFIX).map(String::from) else {
        return error_response(&IdentityError::new(
            ErrorKind::UnknownOperation,
            format!("X-Amz-Target must be {TARGET_PREFIX}<Operation>, not `{target}`"),
        ));
    };
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return error_response(&IdentityError::new(
                    ErrorKind::Serialization,
                    format!("The request body is not JSON: {e}"),
                ))
            }
        }
    };
    // The store's fsync blocks; keep it off the async workers.
    match tokio::task::spawn_blocking(move || pools.handle(&operation, &body)).await {
        Ok(Ok(value)) => respond(StatusCode::OK, value.to_string(), None),
        Ok(Err(err)) => error_response(&err),
        Err(join) => {
            error_response(&IdentityError::new(ErrorKind::InternalError, format!("the request failed: {join}")))
        }
    }
}

fn error_response(err: &IdentityError) -> Response {
    let status = if err.is_client_error() { StatusCode::BAD_REQUEST } else { StatusCode::INTERNAL_SERVER_ERROR };
    let body = json!({"__type": err.type_name(), "message": err.message()});
    respond(status, body.to_string(), Some(err.type_name()))
}

fn respond(status: StatusCode, body: String, error_type: Option<&str>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_11));
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(kind) = error_type.and_then(|t| HeaderValue::from_str(t).ok()) {
        headers.insert("x-amzn-errortype", kind);
    }
    response
}
