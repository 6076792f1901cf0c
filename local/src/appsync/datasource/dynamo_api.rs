//! The seam to the local DynamoDB store (`crate::dynamodb`): data sources
//! call it only through [`DynamoApi`], so the store is wired in here. The
//! store's `Store::execute(operation, request)` speaks DynamoDB's JSON
//! protocol; an adapter maps its `DynamoError { kind, message }` to the pair.

use serde_json::Value;

/// DynamoDB's JSON API: an operation name (`GetItem`, `Query`, ...) and its
/// request body in, the response body or `(error kind, message)` out, where
/// the kind is DynamoDB's exception name (`ConditionalCheckFailedException`).
pub trait DynamoApi: Send + Sync {
    /// Runs one DynamoDB API call.
    fn execute(&self, operation: &str, request: &Value) -> Result<Value, (String, String)>;
}
