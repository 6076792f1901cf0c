//! Deep-merging the `customOutputs` document (`backend.add_output`) into the file.

use serde_json::{Map, Value};

use crate::outputs::model::{AmplifyOutputs, OutputsVersion};
use crate::outputs::source::{from_json_value, Group};
use crate::outputs::OutputsError;

const KEY: &str = "customOutputs";

/// Merges the custom outputs document into `outputs` the way Amplify's
/// accumulator does: objects merge key by key, lists are appended, a `version`
/// may differ only in its minor part, and any other value set twice is a
/// conflict (unless both are equal, or the earlier one is `false`, `0` or `""`).
/// The result stays version 1.5.
pub(crate) fn merge_custom(outputs: AmplifyOutputs, group: &Group) -> Result<AmplifyOutputs, OutputsError> {
    let Some(custom) = group.json::<Value>(KEY)? else {
        return Ok(outputs);
    };
    let Value::Object(custom) = custom else {
        return Err(OutputsError::invalid(KEY, "expected a JSON object such as {\"custom\": {...}}"));
    };
    let mut document = match serde_json::to_value(&outputs) {
        Ok(Value::Object(document)) => document,
        _ => return Err(OutputsError::invalid(KEY, "the file built so far is not a JSON object")),
    };
    merge_objects(&mut document, custom, "")?;
    document.insert("version".into(), Value::from(OutputsVersion::VALUE));
    from_json_value(KEY, Value::Object(document))
}

fn merge_objects(
    target: &mut Map<String, Value>,
    incoming: Map<String, Value>,
    path: &str,
) -> Result<(), OutputsError> {
    for (key, value) in incoming {
        let here = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        match target.get_mut(&key) {
            None => {
                target.insert(key, value);
            }
            Some(existing) => merge_value(existing, value, &key, &here)?,
        }
    }
    Ok(())
}

fn merge_value(existing: &mut Value, incoming: Value, key: &str, path: &str) -> Result<(), OutputsError> {
    let conflict = |reason: String| OutputsError::Conflict { key: KEY.into(), path: path.into(), reason };
    match (existing, incoming) {
        (Value::Object(target), Value::Object(incoming)) => merge_objects(target, incoming, path),
        (Value::Object(_), other) => Err(conflict(format!("cannot replace an object with {other}"))),
        (Value::Array(target), Value::Array(incoming)) => {
            target.extend(incoming);
            Ok(())
        }
        (Value::Array(target), other) => {
            target.push(other);
            Ok(())
        }
        (existing, incoming) if key == "version" => {
            let (Some(old), Some(new)) = (version_parts(existing), version_parts(&incoming)) else {
                return Err(conflict(format!("versions {existing} and {incoming} cannot be compared")));
            };
            if old.first() != new.first() {
                return Err(conflict(format!("major versions of {existing} and {incoming} differ")));
            }
            if new > old {
                *existing = incoming;
            }
            Ok(())
        }
        (existing, incoming) if *existing == incoming || !is_truthy(existing) => {
            *existing = incoming;
            Ok(())
        }
        (existing, incoming) => Err(conflict(format!("{existing} would be replaced by {incoming}"))),
    }
}

/// JavaScript truthiness, which decides whether Amplify treats a value as set.
fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// `"1.4"` -> `[1, 4]`; `None` if it is not a dotted list of numbers.
fn version_parts(value: &Value) -> Option<Vec<u64>> {
    value.as_str()?.split('.').map(|part| part.parse().ok()).collect()
}
