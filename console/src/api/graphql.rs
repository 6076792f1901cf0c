//! `POST /api/graphql`: one GraphQL request to the data API, authorized as
//! the identity the page chose, so that the schema's rules decide as they
//! would for that caller. The API's answer (data and errors) is passed back
//! as is, with status 200 even when it holds errors, as AppSync answers.
//!
//! Body: `{"query", "variables"?, "operationName"?, "identity"}`, the
//! identity as [`Identity`] reads it.

use std::sync::Arc;

use axum::extract::State as AxumState;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use crate::backend::{GraphQlRequest, Identity};
use crate::error::ApiResult;
use crate::State;

/// The request body.
#[derive(Debug, Deserialize)]
pub struct GraphQlBody {
    #[serde(flatten)]
    request: GraphQlRequest,
    identity: Identity,
}

/// Runs the request as its identity.
pub async fn graphql(AxumState(state): AxumState<Arc<State>>, Json(body): Json<GraphQlBody>) -> ApiResult<Json<Value>> {
    Ok(Json(state.backend().graphql(body.request, &body.identity).await?))
}
