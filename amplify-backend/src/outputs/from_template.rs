//! The file from a synthesized root template, before anything is deployed.

use serde_json::{Map, Value};

use super::build::build;
use super::metadata::Metadata;
use super::source::{placeholder, OutputValue, OutputValues};
use super::{AmplifyOutputs, OutputsError};

/// Builds `amplify_outputs.json` from a synthesized root template, so that a
/// frontend can be written against its shape before the first deployment.
///
/// It reads the template's `Metadata` and `Outputs` the way
/// [`from_stack_outputs`](super::from_stack_outputs) reads a deployed stack.
/// An output `Value` is used as follows:
///
/// - a literal string (or number) is used as it is;
/// - an `Fn::Join` is joined, with each token among its parts written as
///   `<deployed value of X>`, where X names what the token refers to
///   (`AWS::Region`, `Resource.Attribute`, ...). JSON-encoded outputs such as
///   `buckets` and `customOutputs` are built this way, so bucket paths and
///   custom keys are already there;
/// - any other token (`Ref`, `Fn::GetAtt`, ...) is known only after
///   deployment. A field that the schema makes optional is then left out
///   (`identity_pool_id`, `api_key`, ...); a required one gets the placeholder
///   `<deployed value of KEY>` with the output key, such as
///   `"user_pool_id": "<deployed value of userPoolId>"`.
///
/// Amplify has no such mode; the placeholders still validate against the schema.
///
/// # Errors
///
/// As [`from_stack_outputs`](super::from_stack_outputs), plus
/// [`OutputsError::InvalidTemplate`] when `template` is not an object or its
/// `Outputs` are malformed. A token where the file needs one of a fixed set of
/// words (such as `awsAppsyncAuthenticationType`) is an
/// [`OutputsError::InvalidValue`].
pub fn from_template(template: &Value) -> Result<AmplifyOutputs, OutputsError> {
    let Value::Object(template) = template else {
        return Err(OutputsError::InvalidTemplate { reason: "expected a JSON object".into() });
    };
    let metadata = match template.get("Metadata") {
        Some(section) => Metadata::read(section)?,
        None => Metadata::default(),
    };
    let values = match template.get("Outputs") {
        Some(Value::Object(outputs)) => read_outputs(outputs)?,
        Some(_) => return Err(OutputsError::InvalidTemplate { reason: "`Outputs` must be an object".into() }),
        None => OutputValues::new(),
    };
    build(&metadata, &values)
}

fn read_outputs(outputs: &Map<String, Value>) -> Result<OutputValues, OutputsError> {
    let mut values = OutputValues::new();
    for (key, output) in outputs {
        let Some(value) = output.get("Value") else {
            return Err(OutputsError::InvalidTemplate { reason: format!("output `{key}` has no `Value`") });
        };
        values.insert(key.clone(), output_value(value));
    }
    Ok(values)
}

fn output_value(value: &Value) -> OutputValue {
    match value {
        Value::String(text) => OutputValue::Known(text.clone()),
        Value::Number(number) => OutputValue::Known(number.to_string()),
        Value::Bool(flag) => OutputValue::Known(flag.to_string()),
        _ => match join(value) {
            Some((text, true)) => OutputValue::Known(text),
            Some((text, false)) => OutputValue::Partial(text),
            None => OutputValue::Deferred,
        },
    }
}

/// Joins an `Fn::Join`: the text, and whether every part was literal.
fn join(value: &Value) -> Option<(String, bool)> {
    let [Value::String(separator), Value::Array(parts)] = value.get("Fn::Join")?.as_array()?.as_slice() else {
        return None;
    };
    let mut literal = true;
    let mut pieces = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Value::String(text) => pieces.push(text.clone()),
            Value::Number(number) => pieces.push(number.to_string()),
            _ => match join(part) {
                Some((text, all_literal)) => {
                    literal &= all_literal;
                    pieces.push(text);
                }
                None => {
                    literal = false;
                    pieces.push(placeholder(&describe(part)));
                }
            },
        }
    }
    Some((pieces.join(separator), literal))
}

/// What a token refers to, for its placeholder.
fn describe(token: &Value) -> String {
    if let Some(Value::String(target)) = token.get("Ref") {
        return target.clone();
    }
    match token.get("Fn::GetAtt") {
        Some(Value::Array(parts)) => {
            return parts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(".");
        }
        Some(Value::String(target)) => return target.clone(),
        _ => {}
    }
    match token {
        Value::Object(object) => object.keys().next().cloned().unwrap_or_else(|| "an empty object".into()),
        other => other.to_string(),
    }
}
