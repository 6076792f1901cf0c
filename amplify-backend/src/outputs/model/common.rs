//! Schema building blocks shared by several sections of the file.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

/// Schema of `$defs/aws_region`. Fields that hold a Region use
/// `#[schemars(with = "AwsRegion")]`, so the Rust type stays a plain `String`.
pub(crate) struct AwsRegion;

impl JsonSchema for AwsRegion {
    fn schema_name() -> Cow<'static, str> {
        "aws_region".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Name of an AWS Region, for example us-east-1.",
            "type": "string"
        })
    }
}

/// Schema of a free-form JSON object (`custom`, `data.model_introspection`).
pub(crate) struct JsonObject;

impl JsonSchema for JsonObject {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "json_object".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "object" })
    }
}

/// An object whose keys are free names and whose values all follow `T`'s schema.
///
/// The reference spells such maps with `patternProperties: {".*": ...}` and
/// `additionalProperties: false` rather than with a schema-valued
/// `additionalProperties`, so this does the same.
pub(crate) fn named_map<T: JsonSchema>(generator: &mut SchemaGenerator, typed_names: bool) -> Schema {
    let mut schema = json_schema!({
        "type": "object",
        "additionalProperties": false,
        "patternProperties": { ".*": generator.subschema_for::<T>() }
    });
    if typed_names {
        schema.insert("propertyNames".into(), serde_json::json!({ "type": "string" }));
    }
    schema
}

/// Keeps the first occurrence of each item, in order. Several lists in the file
/// are `uniqueItems`, while the stack outputs they come from may repeat values.
pub(crate) fn unique<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        if !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}
