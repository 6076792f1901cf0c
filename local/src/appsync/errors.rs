//! AppSync's error shapes: field errors in a 200 response's `errors`, and the
//! request-level errors (401, 400) that carry only `errorType` and `message`.

use async_graphql::{ErrorExtensionValues, ServerError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// An error for the response's `errors`, as resolver code raises it
/// (`util.error`, `util.unauthorized`) or a data source reports it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphQlError {
    /// The message.
    pub message: String,
    /// `errorType`, such as `DynamoDB:ConditionalCheckFailedException`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// `data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// `errorInfo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_info: Option<Value>,
}

impl GraphQlError {
    /// An error with a message and a type.
    pub fn new(message: impl Into<String>, error_type: impl Into<String>) -> GraphQlError {
        GraphQlError { message: message.into(), error_type: Some(error_type.into()), data: None, error_info: None }
    }

    /// AppSync's field authorization error.
    pub fn unauthorized(field: &str, type_name: &str) -> GraphQlError {
        GraphQlError::new(format!("Not Authorized to access {field} on type {type_name}"), "Unauthorized")
    }

    /// As an async-graphql error whose extensions carry AppSync's fields; the
    /// response writer lifts them back out.
    pub fn into_server_error(self) -> async_graphql::Error {
        let mut ext = ErrorExtensionValues::default();
        if let Some(t) = self.error_type {
            ext.set("errorType", t);
        }
        if let Some(d) = self.data {
            ext.set("data", async_graphql::Value::from_json(d).unwrap_or_default());
        }
        if let Some(i) = self.error_info {
            ext.set("errorInfo", async_graphql::Value::from_json(i).unwrap_or_default());
        }
        async_graphql::Error { message: self.message, source: None, extensions: Some(ext) }
    }
}

impl std::fmt::Display for GraphQlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error_type {
            Some(t) => write!(f, "{t}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// One error of a response in AppSync's shape: `path`, `data`, `errorType`,
/// `errorInfo`, `locations` (with `sourceName`), `message`.
pub fn appsync_error(e: &ServerError) -> Value {
    let ext = e.extensions.as_ref();
    let get = |k: &str| ext.and_then(|x| x.get(k)).and_then(|v| v.clone().into_json().ok()).unwrap_or(Value::Null);
    let path: Value = if e.path.is_empty() {
        Value::Null
    } else {
        Value::Array(e.path.iter().map(|p| serde_json::to_value(p).unwrap_or(Value::Null)).collect())
    };
    let locations: Vec<Value> =
        e.locations.iter().map(|l| json!({"line": l.line, "column": l.column, "sourceName": null})).collect();
    let mut out = serde_json::Map::new();
    out.insert("path".into(), path);
    out.insert("data".into(), get("data"));
    let error_type = get("errorType");
    if !error_type.is_null() {
        out.insert("errorType".into(), error_type);
    }
    out.insert("errorInfo".into(), get("errorInfo"));
    out.insert("locations".into(), Value::Array(locations));
    out.insert("message".into(), Value::String(e.message.clone()));
    Value::Object(out)
}

/// A request-level error body (`{"errors":[{"errorType", "message"}]}`), as
/// AppSync sends with 401 and 400.
pub fn request_error(error_type: &str, message: &str) -> Value {
    json!({"errors": [{"errorType": error_type, "message": message}]})
}
