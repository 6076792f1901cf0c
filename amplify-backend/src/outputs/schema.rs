//! The JSON Schema of the file, generated from the Rust types.

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::Schema;
use serde_json::Value;

use super::AmplifyOutputs;

impl AmplifyOutputs {
    /// The JSON Schema (draft 2020-12) of `amplify_outputs.json`, generated from
    /// these types. It accepts the same documents as Amplify's published
    /// version 1.5 schema.
    pub fn json_schema() -> Value {
        let schema = SchemaSettings::draft2020_12()
            .with_transform(NeverNull)
            .with_transform(NoIntegerFormat)
            .into_generator()
            .into_root_schema_for::<AmplifyOutputs>();
        // Put the header keywords first, for people reading the schema.
        let mut root = schema.to_value();
        let Some(object) = root.as_object_mut() else {
            return root;
        };
        let mut ordered = serde_json::Map::new();
        for key in ["$schema", "title", "description"] {
            if let Some(value) = object.remove(key) {
                ordered.insert(key.into(), value);
            }
        }
        ordered.append(object);
        Value::Object(ordered)
    }
}

/// Optional fields are left out of the file, never written as `null`, so the
/// schema does not allow `null` either: `{"type": ["string", "null"]}` becomes
/// `{"type": "string"}`, `null` leaves `enum` lists, and
/// `{"anyOf": [S, {"type": "null"}]}` becomes `S`.
#[derive(Debug, Clone)]
struct NeverNull;

impl Transform for NeverNull {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(object) = schema.as_object_mut() {
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    object.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(values)) = object.get_mut("enum") {
                values.retain(|value| !value.is_null());
            }
            let nullable = match object.get("anyOf") {
                Some(Value::Array(choices)) if choices.len() == 2 => {
                    choices.iter().position(is_null_schema).map(|null_at| choices[1 - null_at].clone())
                }
                _ => None,
            };
            if let Some(Value::Object(inner)) = nullable {
                object.remove("anyOf");
                for (key, value) in inner {
                    object.entry(key).or_insert(value);
                }
            }
        }
        transform_subschemas(self, schema);
    }
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
}

/// The reference schema does not give integers a `format` (`int64`, `uint32`).
#[derive(Debug, Clone)]
struct NoIntegerFormat;

impl Transform for NoIntegerFormat {
    fn transform(&mut self, schema: &mut Schema) {
        if schema.get("type").is_some_and(|t| t == "integer") {
            schema.remove("format");
        }
        transform_subschemas(self, schema);
    }
}
