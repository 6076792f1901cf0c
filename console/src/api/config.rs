//! `GET /api/config`: what the page builds itself from — the outputs
//! document (models, enums, the buckets' access paths), the data API's auth
//! modes, the user pools and their groups, the buckets and the functions.

use std::sync::Arc;

use axum::extract::State as AxumState;
use axum::Json;
use serde_json::{json, Value};

use local::appsync::AuthMode;

use crate::State;

/// The data API's modes, as Amplify's client names them.
const MODES: [(AuthMode, &str); 5] = [
    (AuthMode::UserPools, "userPool"),
    (AuthMode::ApiKey, "apiKey"),
    (AuthMode::Iam, "iam"),
    (AuthMode::Oidc, "oidc"),
    (AuthMode::Lambda, "lambda"),
];

/// The page's settings.
pub async fn config(AxumState(state): AxumState<Arc<State>>) -> Json<Value> {
    let backend = &state.backend;
    let auth_modes: Vec<&str> = backend.data_api().map_or_else(Vec::new, |api| {
        MODES.iter().filter(|(m, _)| api.auth().enabled(*m)).map(|(_, name)| *name).collect()
    });
    let pools: Vec<Value> = backend
        .user_pools()
        .pools()
        .iter()
        .map(|p| {
            json!({
                "id": p.pool_id,
                "usernameAttributes": p.username_attributes,
                "groups": p.groups.iter().map(|g| json!({"name": g.name, "description": g.description})).collect::<Vec<_>>(),
                "passwordMinimumLength": p.password_policy.minimum_length,
            })
        })
        .collect();
    let buckets: Vec<String> = backend.s3().buckets().into_keys().collect();
    let functions: Vec<String> = backend.lambda().functions().into_iter().map(|f| f.display_name).collect();
    Json(json!({
        "outputs": state.outputs(),
        "data": {
            "available": backend.data_api().is_some(),
            "authModes": auth_modes,
            "apiKey": backend.api_key().is_some(),
            "identityPool": backend.identity_pool_id().is_some(),
        },
        "userPools": pools,
        "buckets": buckets,
        "functions": functions,
    }))
}
