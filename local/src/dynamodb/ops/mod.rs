//! The DynamoDB calls the store answers, one module per family.

pub mod batch;
pub mod read;
pub mod request;
pub mod transact;
pub mod write;

use serde_json::Value;

use super::error::DynamoError;
use super::store::Store;
use write::{run_single, WriteKind};

/// Runs `operation` (the `X-Amz-Target` name without its prefix).
pub fn execute(store: &Store, operation: &str, request: &Value) -> Result<Value, DynamoError> {
    match operation {
        "GetItem" => read::get_item(store, request),
        "PutItem" => run_single(store, WriteKind::Put, request),
        "UpdateItem" => run_single(store, WriteKind::Update, request),
        "DeleteItem" => run_single(store, WriteKind::Delete, request),
        "Query" => read::query(store, request),
        "Scan" => read::scan(store, request),
        "BatchGetItem" => batch::batch_get_item(store, request),
        "BatchWriteItem" => batch::batch_write_item(store, request),
        "TransactGetItems" => transact::transact_get_items(store, request),
        "TransactWriteItems" => transact::transact_write_items(store, request),
        other => Err(DynamoError::new(
            "UnknownOperationException",
            format!("the local store does not implement the {other} operation"),
        )),
    }
}
