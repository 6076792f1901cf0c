//! The one HTTPS port: the data API (`/graphql`, the realtime WebSocket at
//! `/graphql/realtime` and `/realtime`) and the user pools under `/cognito`
//! (the JSON 1.1 API at `POST /cognito`, keys at
//! `/cognito/<pool id>/.well-known/jwks.json`), the identity pools at
//! `POST /cognito-identity`, and the buckets, path-style (`/<bucket>/<key>`,
//! for the bucket names the assembly has).

use std::sync::{Arc, RwLock};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;

use crate::appsync::DataApi;
use crate::cognito::{self, UserPools};
use crate::identity::{self, IdentityPools};
use crate::s3::LocalS3;

/// The path the user pools are served under; Amplify's
/// `Auth.Cognito.userPoolEndpoint` is `<origin>/cognito`, used as is.
pub const COGNITO_PATH: &str = "/cognito";

/// The path the identity pools are served under; Amplify's
/// `Auth.Cognito.identityPoolEndpoint` is `<origin>/cognito-identity`.
pub const IDENTITY_PATH: &str = "/cognito-identity";

/// The data API being served, swapped whole on reload.
#[derive(Clone)]
pub(crate) struct Served {
    pub api: DataApi,
    pub router: Router,
}

pub(crate) type Current = Arc<RwLock<Option<Served>>>;

/// The router: the user and identity pools (fixed for the process), the
/// buckets and the current data API.
pub(crate) fn router(pools: Arc<UserPools>, identity: Arc<IdentityPools>, s3: LocalS3, current: Current) -> Router {
    // An AWS SDK given `<origin>/cognito` as its endpoint posts to
    // `<origin>/cognito/` (the endpoint's path joined with the operation's
    // `/`); Amplify JS posts to the endpoint as is. Both are served.
    let at_root = |r: Router| {
        r.map_request(|mut request: Request| {
            *request.uri_mut() = axum::http::Uri::from_static("/");
            request
        })
    };
    Router::new()
        .nest(COGNITO_PATH, cognito::router(pools.clone()))
        .route_service(&format!("{COGNITO_PATH}/"), at_root(cognito::router(pools)))
        .nest(IDENTITY_PATH, identity::router(identity.clone()))
        .route_service(&format!("{IDENTITY_PATH}/"), at_root(identity::router(identity)))
        .fallback(move |request: Request| {
            let served = current.read().unwrap_or_else(|e| e.into_inner()).clone();
            let s3 = s3.clone();
            async move {
                if s3.serves(request.uri().path()) {
                    return s3.handle(request).await;
                }
                match served {
                    Some(s) => match s.router.oneshot(request).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    },
                    None => no_api(),
                }
            }
        })
}

fn no_api() -> Response {
    let body = serde_json::json!({"errors": [{"errorType": "NotFound",
        "message": "this backend has no GraphQL API (define data in the backend to serve /graphql)"}]});
    (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}
