//! The data API: AppSync's GraphQL endpoint and realtime protocol over the
//! assembly's schema and resolvers.
//!
//! [`DataApi::from_assembly`] builds the API from the assembly's AppSync
//! resources; [`http::router`] serves it (`POST /graphql`, CORS, the realtime
//! WebSocket); [`tls::LocalCa`] gives the TLS configuration `wss://` needs.
//!
//! The API reaches the other services only through traits given in
//! [`Services`]: [`runtime::ResolverRuntime`] (the APPSYNC_JS runtime),
//! [`datasource::DynamoApi`] (the store), [`TokenVerifier`] (the user pools),
//! [`IamVerifier`] (SigV4 callers, with their policies) and [`datasource::LambdaApi`].

// `GraphQlError` keeps the shape the APPSYNC_JS runtime's data source callback
// fixes (`Result<Value, GraphQlError>`); errors are the rare path, so its size
// is not worth boxing.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod auth;
pub mod datasource;
mod documents;
pub mod errors;
mod executor;
pub mod http;
pub mod js;
mod nulls;
pub mod realtime;
pub mod runtime;
pub mod scalars;
mod schema;
pub mod tls;

pub use api::{ApiResponse, DataApi, DataApiError, GraphQlRequest, Services};
pub use auth::{
    ApiKey, AuthConfig, AuthFailure, AuthMode, FieldPolicy, IamIdentity, IamVerifier, RequestAuth, TokenVerifier,
};
pub use errors::GraphQlError;
pub use schema::SchemaError;
