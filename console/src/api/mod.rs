//! The console's JSON API, under `/api`: what the page cannot do from the
//! browser alone. One module per page.

pub mod config;
pub mod functions;
pub mod graphql;
pub mod realtime;
pub mod storage;
pub mod users;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::State;

/// Every `/api` route.
pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/api/config", get(config::config))
        .route("/api/graphql", post(graphql::graphql))
        .route("/api/realtime", get(realtime::realtime))
        .route("/api/realtime/sign", post(realtime::sign))
        .route("/api/users", get(users::list).post(users::create))
        .route("/api/users/{username}", axum::routing::delete(users::delete))
        .route("/api/users/{username}/{action}", post(users::act))
        .route("/api/groups", get(users::groups))
        .route("/api/storage/{bucket}", get(storage::list))
        .route("/api/storage/{bucket}/object", get(storage::download).put(storage::upload).delete(storage::remove))
        .route("/api/functions", get(functions::list))
        .route("/api/functions/{name}/invoke", post(functions::invoke))
        .route("/api/functions/{name}/logs", get(functions::logs))
        .with_state(state)
}
