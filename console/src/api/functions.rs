//! The functions page: each function with its runtime, its recent log
//! lines, and a test invoke with a JSON event that answers the result and
//! the lines the invocation wrote.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State as AxumState};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::State;

/// A function's output is read on its own task and may trail its answer by
/// a moment: lines arriving this long after it still count.
const TRAILING: Duration = Duration::from_millis(300);

/// `GET /api/functions`: the functions and why any cannot run.
pub async fn list(AxumState(state): AxumState<Arc<State>>) -> Json<Value> {
    let functions: Vec<Value> = state
        .backend
        .lambda()
        .functions()
        .into_iter()
        .map(|f| {
            json!({"name": f.display_name, "functionName": f.name, "runtime": f.runtime, "handler": f.handler,
                "timeoutSeconds": f.timeout_seconds, "memoryMb": f.memory_mb})
        })
        .collect();
    let problems: Vec<String> = state.backend.function_problems().iter().map(ToString::to_string).collect();
    Json(json!({"functions": functions, "problems": problems}))
}

/// `?since=<seq>` for the log.
#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    since: Option<u64>,
}

fn known(state: &State, name: &str) -> ApiResult<String> {
    state
        .backend
        .lambda()
        .find(name)
        .map(|f| f.display_name)
        .ok_or_else(|| ApiError::not_found(format!("the backend has no function {name}")))
}

/// `GET /api/functions/{name}/logs?since=`: the kept lines after `since`.
pub async fn logs(
    AxumState(state): AxumState<Arc<State>>,
    Path(name): Path<String>,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<Value>> {
    let name = known(&state, &name)?;
    let lines = state.logs.since(Some(&name), q.since.unwrap_or(0));
    Ok(Json(json!({"function": name, "lines": lines, "last": state.logs.last_seq()})))
}

/// `POST /api/functions/{name}/invoke` with `{"event": ...}`: runs the
/// function and answers `{"result"}` or `{"error"}`, with its log lines.
pub async fn invoke(
    AxumState(state): AxumState<Arc<State>>,
    Path(name): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Json<Value>> {
    let name = known(&state, &name)?;
    let event = body.get("event").cloned().unwrap_or_else(|| json!({}));
    let mark = state.logs.last_seq();
    let started = std::time::Instant::now();
    let outcome = state.backend.lambda().invoke(&name, &event).await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    tokio::time::sleep(TRAILING).await;
    let lines = state.logs.since(Some(&name), mark);
    let mut answer = json!({"function": name, "durationMs": elapsed_ms, "lines": lines});
    match outcome {
        Ok(result) => answer["result"] = result,
        Err(e) => answer["error"] = json!(e.to_string()),
    }
    Ok(Json(answer))
}
