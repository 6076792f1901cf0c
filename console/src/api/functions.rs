//! The functions page: each function with its runtime, its recent log
//! lines, and a test invoke with a JSON event that answers the result and
//! the lines the invocation wrote.

use std::sync::Arc;

use axum::extract::{Path, Query, State as AxumState};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiResult;
use crate::State;

/// `GET /api/functions`: the functions and why any cannot run.
pub async fn list(AxumState(state): AxumState<Arc<State>>) -> ApiResult<Json<Value>> {
    Ok(Json(state.backend().functions().await?))
}

/// `?since=<seq>` for the log.
#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    since: Option<u64>,
}

/// `GET /api/functions/{name}/logs?since=`: the lines after `since`.
pub async fn logs(
    AxumState(state): AxumState<Arc<State>>,
    Path(name): Path<String>,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<Value>> {
    Ok(Json(state.backend().logs(&name, q.since.unwrap_or(0)).await?))
}

/// `POST /api/functions/{name}/invoke` with `{"event": ...}`: runs the
/// function and answers `{"result"}` or `{"error"}`, with its log lines.
pub async fn invoke(
    AxumState(state): AxumState<Arc<State>>,
    Path(name): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Json<Value>> {
    let event = body.get("event").cloned().unwrap_or_else(|| json!({}));
    Ok(Json(state.backend().invoke(&name, event).await?))
}
