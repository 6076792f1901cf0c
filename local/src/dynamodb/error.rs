//! The two error kinds: what a DynamoDB call answers ([`DynamoError`]) and what
//! opening or managing the store itself can fail with ([`StoreError`]).

use std::path::PathBuf;

use serde_json::{json, Value};

/// A DynamoDB error response: `kind` is the error code a client sees in
/// `__type` (e.g. `ValidationException`), `message` its text.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamoError {
    pub kind: String,
    pub message: String,
    /// The item's old image, for a `ConditionalCheckFailedException` whose
    /// request asked for `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
    pub item: Option<Value>,
    /// The per-item reasons of a `TransactionCanceledException`.
    pub cancellation_reasons: Option<Value>,
}

impl DynamoError {
    /// An error of `kind` with `message`.
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        DynamoError { kind: kind.to_string(), message: message.into(), item: None, cancellation_reasons: None }
    }

    /// A `ValidationException`.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new("ValidationException", message)
    }

    /// A `ResourceNotFoundException` for a table or index that does not exist.
    pub fn not_found() -> Self {
        Self::new("ResourceNotFoundException", "Requested resource not found")
    }

    /// A `ConditionalCheckFailedException`, carrying the old item when asked.
    pub fn condition_failed(item: Option<Value>) -> Self {
        DynamoError { item, ..Self::new("ConditionalCheckFailedException", "The conditional request failed") }
    }

    /// An `InternalServerError` (the store itself failed).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalServerError", message)
    }

    /// The error as DynamoDB's JSON 1.0 protocol sends it.
    pub fn to_json(&self) -> Value {
        let mut body = json!({
            "__type": format!("com.amazonaws.dynamodb.v20120810#{}", self.kind),
            "message": self.message,
        });
        if let Some(item) = &self.item {
            body["Item"] = item.clone();
        }
        if let Some(reasons) = &self.cancellation_reasons {
            body["CancellationReasons"] = reasons.clone();
        }
        body
    }
}

impl std::fmt::Display for DynamoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for DynamoError {}

/// Opening, defining or resetting the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store file exists but cannot be read as a store.
    #[error("the local data store {} is damaged ({detail}); run `ampx dev --reset` to delete it and start with empty tables", path.display())]
    Damaged { path: PathBuf, detail: String },
    /// Another process (another `ampx dev`) holds the store.
    #[error("the local data store {} is in use by another process; stop the other `ampx dev` first", path.display())]
    InUse { path: PathBuf },
    /// The data directory or file could not be created or read.
    #[error("cannot use the local data store {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// A table definition from the template is not one DynamoDB would accept.
    #[error("table {table}: {message}")]
    Definition { table: String, message: String },
    /// A table definition conflicts with the one already stored.
    #[error("table {table}: {message}; run `ampx dev --reset` to start over with the new definition")]
    Conflict { table: String, message: String },
    /// The database failed while working.
    #[error("the local data store failed: {0}")]
    Database(String),
}
