//! The Lambda Runtime API of one execution environment, on its own
//! 127.0.0.1 port: the interface every Lambda runtime speaks (our Node.js and
//! Python bootstraps, `lambda_runtime` in Rust, any custom `bootstrap`).
//!
//! - `GET  /2018-06-01/runtime/invocation/next`: waits for the next event;
//!   answers it with the request id, deadline, ARN and trace id headers;
//! - `POST /2018-06-01/runtime/invocation/{id}/response`: the result;
//! - `POST /2018-06-01/runtime/invocation/{id}/error`: the handler failed;
//! - `POST /2018-06-01/runtime/init/error`: the runtime could not start.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot, watch};

/// The largest response Lambda accepts from a synchronous invocation (6 MB).
pub const MAX_RESPONSE_BYTES: usize = 6 * 1024 * 1024;

/// The error a handler or runtime reported, in Lambda's shape.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionError {
    /// `errorType` (`Error`, `TypeError`, `Runtime.ImportModuleError`, ...).
    pub error_type: String,
    /// `errorMessage`.
    pub message: String,
    /// `stackTrace`, one line each.
    pub stack_trace: Vec<String>,
}

impl FunctionError {
    /// Reads Lambda's error document (`errorType`, `errorMessage`,
    /// `stackTrace`); `header` is `Lambda-Runtime-Function-Error-Type`.
    pub fn from_body(body: &[u8], header: Option<&str>) -> FunctionError {
        let doc: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
        FunctionError {
            error_type: text("errorType").or_else(|| header.map(str::to_string)).unwrap_or_else(|| "Unhandled".into()),
            message: text("errorMessage").unwrap_or_else(|| String::from_utf8_lossy(body).into_owned()),
            stack_trace: match doc.get("stackTrace") {
                Some(Value::Array(lines)) => {
                    lines.iter().map(|l| l.as_str().map_or_else(|| l.to_string(), str::to_string)).collect()
                }
                Some(Value::String(s)) => s.lines().map(str::to_string).collect(),
                _ => Vec::new(),
            },
        }
    }

    /// The document Lambda's Invoke answers with.
    pub fn to_json(&self) -> Value {
        json!({"errorType": self.error_type, "errorMessage": self.message, "stackTrace": self.stack_trace})
    }
}

/// How one invocation ended, as the runtime reported it.
#[derive(Debug)]
pub enum Outcome {
    /// `.../response`: the handler's result, as sent.
    Response(Bytes),
    /// `.../error`.
    Error(FunctionError),
}

/// One event waiting for the runtime.
pub struct Invocation {
    /// `Lambda-Runtime-Aws-Request-Id`.
    pub request_id: String,
    /// The event, as JSON.
    pub payload: Bytes,
    /// `Lambda-Runtime-Deadline-Ms` (Unix milliseconds).
    pub deadline_ms: u64,
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    pub arn: String,
    /// Where the outcome goes.
    pub reply: oneshot::Sender<Outcome>,
}

/// The shared state behind one environment's Runtime API.
pub struct RuntimeApi {
    queue: tokio::sync::Mutex<mpsc::Receiver<Invocation>>,
    pending: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    /// Set when the runtime reports `init/error`.
    pub init_error: watch::Sender<Option<FunctionError>>,
}

impl RuntimeApi {
    /// The API over `queue`, where the environment puts events.
    pub fn new(queue: mpsc::Receiver<Invocation>) -> Arc<RuntimeApi> {
        Arc::new(RuntimeApi {
            queue: tokio::sync::Mutex::new(queue),
            pending: Mutex::new(HashMap::new()),
            init_error: watch::Sender::new(None),
        })
    }

    fn settle(&self, id: &str, outcome: Outcome) -> Response {
        let reply = self.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
        match reply {
            Some(reply) => {
                // The caller may have given up (timeout); nothing else to do then.
                let _ = reply.send(outcome);
                (StatusCode::ACCEPTED, axum::Json(json!({"status": "OK"}))).into_response()
            }
            None => runtime_error(StatusCode::BAD_REQUEST, "InvalidRequestID", &format!("no invocation {id} is open")),
        }
    }
}

fn runtime_error(status: StatusCode, error_type: &str, message: &str) -> Response {
    (status, axum::Json(json!({"errorType": error_type, "errorMessage": message}))).into_response()
}

/// The router for one environment.
pub fn router(api: Arc<RuntimeApi>) -> Router {
    Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(init_error))
        // Bigger answers are read, then refused with Lambda's error, not cut off.
        .layer(DefaultBodyLimit::max(MAX_RESPONSE_BYTES * 2))
        .with_state(api)
}

async fn next(State(api): State<Arc<RuntimeApi>>) -> Response {
    let invocation = api.queue.lock().await.recv().await;
    let Some(inv) = invocation else {
        // The environment is shutting down; the process is about to be stopped.
        return runtime_error(StatusCode::GONE, "EnvironmentStopped", "this execution environment is stopping");
    };
    api.pending.lock().unwrap_or_else(|e| e.into_inner()).insert(inv.request_id.clone(), inv.reply);
    let mut response = (StatusCode::OK, inv.payload).into_response();
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    set("content-type", "application/json".into());
    set("lambda-runtime-aws-request-id", inv.request_id.clone());
    set("lambda-runtime-deadline-ms", inv.deadline_ms.to_string());
    set("lambda-runtime-invoked-function-arn", inv.arn);
    let id = inv.request_id.replace('-', "");
    set("lambda-runtime-trace-id", format!("Root=1-{}-{};Parent={};Sampled=0", &id[..8], &id[8..], &id[..16]));
    response
}

async fn response(State(api): State<Arc<RuntimeApi>>, Path(id): Path<String>, body: Bytes) -> Response {
    if body.len() > MAX_RESPONSE_BYTES {
        let message = format!(
            "Response payload size ({} bytes) exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).",
            body.len()
        );
        let error = FunctionError {
            error_type: "Function.ResponseSizeTooLarge".into(),
            message: message.clone(),
            stack_trace: vec![],
        };
        api.settle(&id, Outcome::Error(error));
        return runtime_error(StatusCode::PAYLOAD_TOO_LARGE, "Function.ResponseSizeTooLarge", &message);
    }
    api.settle(&id, Outcome::Response(body))
}

fn error_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("lambda-runtime-function-error-type").and_then(|v| v.to_str().ok())
}

async fn error(
    State(api): State<Arc<RuntimeApi>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    api.settle(&id, Outcome::Error(FunctionError::from_body(&body, error_header(&headers))))
}

async fn init_error(State(api): State<Arc<RuntimeApi>>, headers: HeaderMap, body: Bytes) -> Response {
    api.init_error.send_replace(Some(FunctionError::from_body(&body, error_header(&headers))));
    (StatusCode::ACCEPTED, axum::Json(json!({"status": "OK"}))).into_response()
}
