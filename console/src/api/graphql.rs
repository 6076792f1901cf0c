//! `POST /api/graphql`: one GraphQL request to the data API, authorized as
//! the identity the page chose, so that the schema's rules decide as they
//! would for that caller. The API's answer (data and errors) is passed back
//! as is.
//!
//! Body: `{"query", "variables"?, "operationName"?, "identity"}` where
//! `identity` is `{"type": "userPool", "token"}`, `{"type": "apiKey"}`,
//! `{"type": "iam"}` (the identity pool's guest), `{"type": "iam",
//! "idToken"}` (the identity pool's credentials for a signed-in user) or
//! `{"type": "none"}`.

use std::sync::Arc;

use axum::extract::State as AxumState;
use axum::response::{IntoResponse, Response};
use axum::Json;
use local::backend::{Auth, Tokens};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::State;

/// Who a request runs as.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Identity {
    /// A user pool token (a user signed in with "sign in as").
    #[serde(rename_all = "camelCase")]
    UserPool {
        /// The ID or access token.
        token: String,
    },
    /// The data API's first API key.
    ApiKey,
    /// Identity pool credentials: a signed-in user's for `id_token`, else a guest's.
    #[serde(rename_all = "camelCase")]
    Iam {
        /// The user's ID token.
        id_token: Option<String>,
    },
    /// No credentials.
    None,
}

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphQlBody {
    query: String,
    #[serde(default)]
    variables: Option<Value>,
    #[serde(default)]
    operation_name: Option<String>,
    identity: Identity,
}

/// The headers a request as `identity` carries, or the credentials to sign it with.
pub(crate) fn auth_for(state: &State, identity: &Identity) -> ApiResult<Auth> {
    let backend = &state.backend;
    Ok(match identity {
        Identity::UserPool { token } => Auth::UserPool(token.clone()),
        Identity::ApiKey => Auth::ApiKey(backend.api_key().ok_or_else(|| {
            ApiError::bad_request("NoApiKey", "the data API has no API key (its schema allows no apiKey mode)")
        })?),
        Identity::Iam { id_token } => {
            let got = match id_token {
                Some(t) => backend.user_credentials(&Tokens {
                    id_token: t.clone(),
                    access_token: String::new(),
                    refresh_token: String::new(),
                }),
                None => backend.guest_credentials(),
            };
            Auth::Iam(got.map_err(|e| ApiError::bad_request("NoCredentials", e.to_string()))?.1)
        }
        Identity::None => Auth::None,
    })
}

/// Runs the request; the API's body is answered with status 200 even when
/// it holds errors, as AppSync answers.
pub async fn graphql(AxumState(state): AxumState<Arc<State>>, Json(body): Json<GraphQlBody>) -> Response {
    match run(&state, body).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn run(state: &State, body: GraphQlBody) -> ApiResult<Value> {
    let api = state
        .backend
        .data_api()
        .ok_or_else(|| ApiError::not_found("this backend has no data API (define data to use the data manager)"))?;
    let auth = auth_for(state, &body.identity)?;
    let variables = body.variables.filter(|v| !v.is_null()).unwrap_or_else(|| json!({}));
    // IAM requests are signed in-process by the backend; the others carry a
    // header, and keep the operation name.
    let header = match &auth {
        Auth::Iam(_) => {
            return state.backend.graphql(&body.query, variables, auth).await.map_err(ApiError::internal);
        }
        Auth::ApiKey(k) => Some(("x-api-key", k.clone())),
        Auth::UserPool(t) => Some(("authorization", t.clone())),
        Auth::None => None,
    };
    let request = json!({"query": body.query, "variables": variables, "operationName": body.operation_name});
    let lookup = |h: &str| header.as_ref().filter(|(k, _)| k.eq_ignore_ascii_case(h)).map(|(_, v)| v.clone());
    let headers = header.as_ref().map_or_else(|| json!({}), |(k, v)| json!({ *k: v }));
    Ok(api.handle(&lookup, headers, request.to_string().as_bytes()).await.body)
}

#[cfg(test)]
mod tests {
    use super::Identity;

    #[test]
    fn identities_read_as_the_page_writes_them() {
        let read = |s: &str| serde_json::from_str::<Identity>(s).unwrap();
        assert_eq!(read(r#"{"type":"userPool","token":"t"}"#), Identity::UserPool { token: "t".into() });
        assert_eq!(read(r#"{"type":"apiKey"}"#), Identity::ApiKey);
        assert_eq!(read(r#"{"type":"iam"}"#), Identity::Iam { id_token: None });
        assert_eq!(read(r#"{"type":"iam","idToken":"i"}"#), Identity::Iam { id_token: Some("i".into()) });
        assert!(serde_json::from_str::<Identity>(r#"{"type":"root"}"#).is_err());
    }
}
