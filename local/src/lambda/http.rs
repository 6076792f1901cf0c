//! The service's HTTP endpoint, which functions reach through
//! `AWS_ENDPOINT_URL_SSM` and `AWS_ENDPOINT_URL_LAMBDA`, and `ampx dev invoke`
//! through the Invoke API:
//!
//! - SSM's JSON 1.1 `GetParameter` and `GetParameters` (`POST /`,
//!   `X-Amz-Target: AmazonSSM.<Operation>`), over the secret store and the
//!   assembly's `AWS::SSM::Parameter`s;
//! - Lambda's `Invoke` (`POST /2015-03-31/functions/{name}/invocations`), with
//!   `X-Amz-Invocation-Type` `RequestResponse` (the default), `Event` or `DryRun`.

use std::sync::Weak;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use super::service::{Inner, Lambda};
use super::InvokeError;

type Service = Weak<Inner>;

/// The router; it holds the service weakly, so it never keeps it running.
pub(crate) fn router(service: Service) -> Router {
    Router::new()
        .route("/", post(ssm))
        .route("/2015-03-31/functions/{name}/invocations", post(invoke))
        .with_state(service)
}

fn aws_error(status: StatusCode, kind: &str, message: &str) -> Response {
    let mut r = (status, axum::Json(json!({"__type": kind, "message": message}))).into_response();
    if let Ok(v) = HeaderValue::from_str(kind) {
        r.headers_mut().insert("x-amzn-errortype", v);
    }
    r
}

fn stopped() -> Response {
    aws_error(StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailableException", "the local Lambda service stopped")
}

/// One parameter in SSM's shape.
fn parameter(name: &str, value: &str, version: u64, secure: bool, region: &str) -> Value {
    json!({
        "Name": name,
        "Type": if secure { "SecureString" } else { "String" },
        "Value": value,
        "Version": version,
        "DataType": "text",
        "ARN": format!("arn:aws:ssm:{region}:000000000000:parameter{name}"),
    })
}

fn lookup(inner: &Inner, name: &str) -> Result<Option<Value>, String> {
    if let Some(s) = inner.secrets.get(name).map_err(|e| e.to_string())? {
        return Ok(Some(parameter(name, &s.value, s.version, true, &inner.options.region)));
    }
    let parameters = inner.parameters.read().unwrap_or_else(|e| e.into_inner());
    Ok(parameters.get(name).map(|v| parameter(name, v, 1, false, &inner.options.region)))
}

async fn ssm(State(service): State<Service>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(inner) = service.upgrade() else { return stopped() };
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Ok(input) = serde_json::from_slice::<Value>(&body) else {
        return aws_error(StatusCode::BAD_REQUEST, "SerializationException", "the body is not JSON");
    };
    match target.strip_prefix("AmazonSSM.") {
        Some("GetParameters") => {
            let names: Vec<&str> =
                input.get("Names").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            let (mut found, mut invalid) = (Vec::new(), Vec::new());
            for name in names {
                match lookup(&inner, name) {
                    Ok(Some(p)) => found.push(p),
                    Ok(None) => invalid.push(name.to_string()),
                    Err(e) => return aws_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", &e),
                }
            }
            axum::Json(json!({"Parameters": found, "InvalidParameters": invalid})).into_response()
        }
        Some("GetParameter") => {
            let name = input.get("Name").and_then(Value::as_str).unwrap_or_default();
            match lookup(&inner, name) {
                Ok(Some(p)) => axum::Json(json!({"Parameter": p})).into_response(),
                Ok(None) => aws_error(StatusCode::BAD_REQUEST, "ParameterNotFound", &format!("{name} is not set")),
                Err(e) => aws_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError", &e),
            }
        }
        _ => aws_error(
            StatusCode::BAD_REQUEST,
            "UnknownOperationException",
            &format!("the local SSM answers GetParameter and GetParameters, not {target}"),
        ),
    }
}

async fn invoke(State(service): State<Service>, Path(name): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(inner) = service.upgrade() else { return stopped() };
    let lambda = Lambda { inner: inner.clone() };
    let kind = headers.get("x-amz-invocation-type").and_then(|v| v.to_str().ok()).unwrap_or("RequestResponse");
    let payload = if body.is_empty() { Bytes::from_static(b"{}") } else { body };
    if serde_json::from_slice::<Value>(&payload).is_err() {
        return aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequestContentException",
            "Could not parse request body into json",
        );
    }
    if inner.pool(&name).is_none() {
        return aws_error(StatusCode::NOT_FOUND, "ResourceNotFoundException", &format!("Function not found: {name}"));
    }
    match kind {
        "DryRun" => StatusCode::NO_CONTENT.into_response(),
        "Event" => {
            let event: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
            lambda.invoke_event(&name, &event);
            StatusCode::ACCEPTED.into_response()
        }
        "RequestResponse" => match lambda.invoke_raw(&name, payload).await {
            Ok(done) => {
                let mut r = (StatusCode::OK, done.payload).into_response();
                r.headers_mut().insert("x-amz-executed-version", HeaderValue::from_static("$LATEST"));
                r
            }
            Err(InvokeError::Function(e)) => {
                let mut r = (StatusCode::OK, axum::Json(e.to_json())).into_response();
                r.headers_mut().insert("x-amz-function-error", HeaderValue::from_static("Unhandled"));
                r
            }
            Err(InvokeError::NotFound(n)) => {
                aws_error(StatusCode::NOT_FOUND, "ResourceNotFoundException", &format!("Function not found: {n}"))
            }
            Err(InvokeError::Service(m)) => aws_error(StatusCode::INTERNAL_SERVER_ERROR, "ServiceException", &m),
        },
        other => aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidParameterValueException",
            &format!("X-Amz-Invocation-Type is RequestResponse, Event or DryRun, not {other}"),
        ),
    }
}
