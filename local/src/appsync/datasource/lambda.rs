//! The `AWS_LAMBDA` data source (its runner is a later issue): AppSync's
//! Lambda request object (`{operation: "Invoke" | "BatchInvoke", payload}`)
//! goes to a [`LambdaApi`]; the function's answer is the result.

use serde_json::Value;

use crate::appsync::errors::GraphQlError;

/// Runs a Lambda function locally: its ARN or name and the event in, its
/// response (or the error it raised: type and message) out.
pub trait LambdaApi: Send + Sync {
    /// Invokes `function` with `event`.
    fn invoke(&self, function: &str, event: &Value) -> Result<Value, (String, String)>;
}

/// Sends a resolver's Lambda request object to `function`.
pub fn invoke(api: &dyn LambdaApi, function: &str, request: &Value) -> Result<Value, GraphQlError> {
    match request.get("operation").and_then(Value::as_str) {
        Some("Invoke") | Some("BatchInvoke") => {}
        other => {
            return Err(GraphQlError::new(
                format!("a Lambda request's operation is Invoke or BatchInvoke, not {other:?}"),
                "Lambda:IllegalArgument",
            ))
        }
    }
    let event = request.get("payload").cloned().unwrap_or(Value::Null);
    api.invoke(function, &event).map_err(|(kind, message)| GraphQlError::new(message, format!("Lambda:{kind}")))
}
