//! The `AWS_LAMBDA` data source: AppSync's Lambda request object
//! (`{operation: "Invoke" | "BatchInvoke", payload, invocationType}`) goes to a
//! [`LambdaApi`]; the function's answer is the result, or, for the `Event`
//! invocation type, null once the event is handed over.

use serde_json::Value;

use crate::appsync::errors::GraphQlError;

/// Runs a Lambda function locally: its ARN or name and the event in, its
/// response (or the error it raised: type and message) out.
pub trait LambdaApi: Send + Sync {
    /// Invokes `function` with `event`.
    fn invoke(&self, function: &str, event: &Value) -> Result<Value, (String, String)>;

    /// Hands `event` to `function` without waiting for it (Lambda's `Event`
    /// invocation type); an error means the event was not accepted. By default
    /// the function runs before this returns.
    fn invoke_event(&self, function: &str, event: &Value) -> Result<(), (String, String)> {
        self.invoke(function, event).map(|_| ())
    }
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
    let error = |(kind, message): (String, String)| GraphQlError::new(message, format!("Lambda:{kind}"));
    match request.get("invocationType").and_then(Value::as_str) {
        None | Some("RequestResponse") => api.invoke(function, &event).map_err(error),
        Some("Event") => api.invoke_event(function, &event).map(|()| Value::Null).map_err(error),
        Some(other) => Err(GraphQlError::new(
            format!("a Lambda request's invocationType is RequestResponse or Event, not {other:?}"),
            "Lambda:IllegalArgument",
        )),
    }
}
