//! Data sources: where resolver code sends its requests.

pub mod dynamo_api;
pub mod dynamodb;
pub mod lambda;
pub mod none;

use std::sync::Arc;

use serde_json::Value;

use super::errors::GraphQlError;
pub use dynamo_api::DynamoApi;
pub use lambda::LambdaApi;

/// One `AWS::AppSync::DataSource`.
#[derive(Clone)]
pub enum DataSource {
    /// `NONE`.
    None,
    /// `AMAZON_DYNAMODB` on a local table.
    DynamoDb {
        /// The table's local name.
        table: String,
        /// The store.
        store: Arc<dyn DynamoApi>,
    },
    /// `AWS_LAMBDA`, when a local Lambda runner is given.
    Lambda {
        /// `LambdaConfig.LambdaFunctionArn`.
        function: String,
        /// The runner.
        runner: Arc<dyn LambdaApi>,
    },
    /// A type not emulated yet (`AWS_LAMBDA`, `HTTP`, ...): requests to it
    /// fail with an error naming it.
    Unsupported {
        /// The data source's name.
        name: String,
        /// Its `Type`.
        kind: String,
    },
}

impl DataSource {
    /// Sends a resolver's request object to the data source.
    pub fn invoke(&self, request: Value) -> Result<Value, GraphQlError> {
        match self {
            DataSource::None => Ok(none::invoke(request)),
            DataSource::DynamoDb { table, store } => dynamodb::invoke(store.as_ref(), table, &request),
            DataSource::Lambda { function, runner } => lambda::invoke(runner.as_ref(), function, &request),
            DataSource::Unsupported { name, kind } => Err(GraphQlError::new(
                format!("data source {name} is of type {kind}, which is not emulated locally yet"),
                "NotImplemented",
            )),
        }
    }
}
