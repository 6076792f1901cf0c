//! `GET /api/config`: what the page builds itself from — the outputs
//! document (models, enums, the buckets' access paths) and the backend's
//! overview (the data API's auth modes, the user pools and their groups,
//! the buckets and the functions).

use std::sync::Arc;

use axum::extract::State as AxumState;
use axum::Json;
use serde_json::Value;

use crate::error::ApiResult;
use crate::State;

/// The page's settings.
pub async fn config(AxumState(state): AxumState<Arc<State>>) -> ApiResult<Json<Value>> {
    let mut answer = serde_json::to_value(state.backend().overview().await?).unwrap_or_default();
    answer["outputs"] = state.outputs();
    Ok(Json(answer))
}
