//! What the console's pages need from a backend, as one trait with two
//! implementations: [`LocalConsoleBackend`] over `ampx dev`'s in-process
//! services, and (in `ampx`, which holds the AWS SDK) one over a deployed
//! sandbox's AWS resources. The JSON API (`crate::api`) talks to the trait
//! only.
//!
//! Shapes follow the services' own: user pool calls take and answer Cognito's
//! JSON documents (`ListUsers`, `AdminCreateUser`, ...), data calls answer
//! AppSync's `{data, errors}` body, so either backend fills them the same way.

mod identity;
mod local;
pub mod relay;

pub use async_trait::async_trait;
/// The HTTP types the trait names, for implementations outside this crate.
pub use axum::{body::Bytes, extract::Request, response::Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiResult;

pub use identity::Identity;
pub use local::LocalConsoleBackend;

/// What the pages build themselves from (with `amplify_outputs.json`).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    /// `local` or `aws`: what the console is connected to.
    pub kind: String,
    /// The data API.
    pub data: DataSummary,
    /// The user pools.
    pub user_pools: Vec<PoolSummary>,
    /// The buckets' names (as the storage API names them).
    pub buckets: Vec<String>,
    /// The functions' display names.
    pub functions: Vec<String>,
    /// Whether "sign in as" is offered.
    pub sign_in_as: bool,
    /// Whether "sign in as" needs the user's password (a deployed user pool
    /// issues tokens only to a real sign-in; a local one issues them
    /// without), unless the console set that password itself.
    pub sign_in_needs_password: bool,
}

/// What "sign in as" is given besides the user: their password (unless the
/// backend needs none or remembers the one it set), and a new one when the
/// password is temporary and the user pool asks for a new one.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SignIn {
    /// The user's password.
    #[serde(default)]
    pub password: Option<String>,
    /// The password to set when the pool answers `NEW_PASSWORD_REQUIRED`.
    #[serde(default)]
    pub new_password: Option<String>,
}

/// The data API's settings.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DataSummary {
    /// Whether the backend has a data API.
    pub available: bool,
    /// Its authorization modes, as Amplify's client names them
    /// (`userPool`, `apiKey`, `iam`, `oidc`, `lambda`).
    pub auth_modes: Vec<String>,
    /// Whether it has an API key the console may use.
    pub api_key: bool,
    /// Whether an identity pool hands out guest and user credentials.
    pub identity_pool: bool,
    /// Whether the console can act as an administrator (IAM outside any
    /// identity pool, which Amplify's resolvers give full access).
    pub admin: bool,
}

/// A user pool.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PoolSummary {
    /// The pool id.
    pub id: String,
    /// What users sign in with besides a username (`email`, `phone_number`).
    pub username_attributes: Vec<String>,
    /// The groups.
    pub groups: Vec<GroupSummary>,
    /// The password policy's minimum length, when known.
    pub password_minimum_length: Option<u64>,
}

/// A user pool group.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct GroupSummary {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
}

/// One GraphQL request.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GraphQlRequest {
    /// The document.
    pub query: String,
    /// The variables (an object).
    #[serde(default)]
    pub variables: Value,
    /// The operation to run, when the document has several.
    #[serde(default)]
    pub operation_name: Option<String>,
}

/// One level of a bucket under a prefix.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Listing {
    /// The sub-prefixes (`photos/a/`), in order.
    pub folders: Vec<String>,
    /// The objects directly under the prefix.
    pub objects: Vec<ObjectSummary>,
    /// Whether more remain than were listed.
    pub truncated: bool,
}

/// An object in a listing.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ObjectSummary {
    /// The whole key.
    pub key: String,
    /// Bytes.
    pub size: u64,
    /// The ETag, without quotes.
    pub etag: String,
    /// Unix milliseconds.
    pub last_modified: i64,
    /// Its `Content-Type`, when the listing knows it.
    pub content_type: Option<String>,
}

/// A downloaded object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Its `Content-Type`.
    pub content_type: Option<String>,
}

/// At most this many entries (objects and folders) in one listing.
pub const LISTING_PAGE: usize = 1000;

/// A backend the console works on. Errors are answered to the page as they
/// are: name the service's error type and words in them.
#[async_trait]
pub trait ConsoleBackend: Send + Sync {
    /// The backend's data API, user pools, buckets and functions.
    async fn overview(&self) -> ApiResult<Overview>;

    /// Runs `request` on the data API as `identity`; answers the API's body
    /// (`{data, errors}`), errors included, as AppSync answers them.
    async fn graphql(&self, request: GraphQlRequest, identity: &Identity) -> ApiResult<Value>;

    /// Serves the page's realtime WebSocket upgrade (AppSync's `graphql-ws`
    /// protocol) as `identity`: the handshake is made for it here, so that
    /// the page never holds the API key or IAM credentials.
    async fn realtime(&self, identity: &Identity, upgrade: Request) -> ApiResult<Response>;

    /// The `authorization` headers of a subscription's `start` message whose
    /// `data` is `data` (the JSON text of `{query, variables}`), for
    /// `identity`: IAM identities sign it with SigV4, as Amplify's client does.
    async fn sign_subscription(&self, identity: &Identity, data: &str) -> ApiResult<Value>;

    /// One Cognito user pool admin call: `operation` is the action
    /// (`ListUsers`, `AdminCreateUser`, ...), `request` and the answer are
    /// Cognito's JSON documents.
    async fn user_pool(&self, operation: &str, request: Value) -> ApiResult<Value>;

    /// A user's tokens (Cognito's `AuthenticationResult` shape): issued
    /// without a password by a local pool, from a sign-in with `with`'s
    /// password by a deployed one.
    async fn sign_in_as(&self, pool: &str, username: &str, with: &SignIn) -> ApiResult<Value>;

    /// The folders and objects directly under `prefix` (at most
    /// [`LISTING_PAGE`] entries).
    async fn list_objects(&self, bucket: &str, prefix: &str) -> ApiResult<Listing>;

    /// Stores an object as the bucket's owner; answers its ETag.
    async fn put_object(&self, bucket: &str, key: &str, body: Bytes, content_type: Option<String>)
        -> ApiResult<String>;

    /// An object's bytes.
    async fn get_object(&self, bucket: &str, key: &str) -> ApiResult<Download>;

    /// Deletes an object (a missing one is a `NotFound` error).
    async fn delete_object(&self, bucket: &str, key: &str) -> ApiResult<()>;

    /// `{"functions": [{name, functionName, runtime, ...}], "problems": [..]}`.
    async fn functions(&self) -> ApiResult<Value>;

    /// Invokes a function with `event`; answers `{function, durationMs,
    /// lines, result | error}`.
    async fn invoke(&self, function: &str, event: Value) -> ApiResult<Value>;

    /// A function's log lines after `since` (a number from an earlier
    /// answer's `last`); answers `{function, lines, last}`.
    async fn logs(&self, function: &str, since: u64) -> ApiResult<Value>;
}
