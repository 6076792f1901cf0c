//! The constraint table of a resource type: the part of its registry schema that
//! synthesis checks property values against (types, bounds, lengths, patterns,
//! enums, item counts, known property names), plus its attribute names. It is
//! emitted as compact JSON text, one string per type, read by
//! `cfn-types/src/schema_check.rs`: data, not a function per property.

use serde_json::{Map, Value as Json};

use crate::model::Attr;

/// Keywords kept as they are.
const KEPT: &[&str] = &[
    "type",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "$ref",
];

/// The constraint table of one type, as compact JSON.
pub fn table(schema: &Json, attrs: &[Attr]) -> String {
    let mut out = Map::new();
    if let Some(props) = schema.get("properties").and_then(Json::as_object) {
        let read_only = read_only_top(schema);
        let props: Map<String, Json> = props
            .iter()
            .filter(|(name, _)| !read_only.contains(name))
            .map(|(name, s)| (name.clone(), strip(s)))
            .collect();
        out.insert("properties".into(), Json::Object(props));
        // Unknown names at the top are errors whatever the schema says: the
        // registry rejects them.
        out.insert("additionalProperties".into(), Json::Bool(false));
    }
    if let Some(defs) = schema.get("definitions").and_then(Json::as_object) {
        let defs: Map<String, Json> = defs.iter().map(|(k, v)| (k.clone(), strip(v))).collect();
        out.insert("definitions".into(), Json::Object(defs));
    }
    let names: Vec<Json> = attrs.iter().map(|a| Json::String(a.name.clone())).collect();
    out.insert("attributes".into(), Json::Array(names));
    serde_json::to_string(&Json::Object(out)).expect("JSON values serialize")
}

/// Top-level read-only property names (`/properties/Arn`): attributes, not inputs.
fn read_only_top(schema: &Json) -> Vec<String> {
    schema
        .get("readOnlyProperties")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .filter_map(|p| p.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .map(str::to_string)
        .collect()
}

/// The checked part of a schema node. Unions (`oneOf`, `anyOf`, `allOf`) are
/// not followed: their object shapes merge branches, so only what every value
/// must satisfy outside them is kept, and unknown names are allowed beside them.
fn strip(s: &Json) -> Json {
    let Some(o) = s.as_object() else { return Json::Object(Map::new()) };
    let mut out = Map::new();
    for k in KEPT {
        if let Some(v) = o.get(*k) {
            out.insert((*k).to_string(), v.clone());
        }
    }
    let union = ["oneOf", "anyOf", "allOf"].iter().any(|k| o.contains_key(*k));
    if let Some(props) = o.get("properties").and_then(Json::as_object) {
        out.insert("properties".into(), Json::Object(props.iter().map(|(k, v)| (k.clone(), strip(v))).collect()));
    }
    if let Some(pp) = o.get("patternProperties").and_then(Json::as_object) {
        out.insert("patternProperties".into(), Json::Object(pp.iter().map(|(k, v)| (k.clone(), strip(v))).collect()));
    }
    if let Some(items) = o.get("items") {
        if items.is_object() {
            out.insert("items".into(), strip(items));
        }
    }
    match o.get("additionalProperties") {
        Some(Json::Bool(false)) if !union && (o.contains_key("properties") || o.contains_key("patternProperties")) => {
            out.insert("additionalProperties".into(), Json::Bool(false));
        }
        Some(a @ Json::Object(_)) => {
            out.insert("additionalProperties".into(), strip(a));
        }
        _ => {}
    }
    if union {
        // A union of types still has its types: keep the type only when every
        // branch agrees on what the top says.
        out.remove("type");
    }
    Json::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_constraints_and_drops_prose_and_read_only_properties() {
        let schema = json!({
            "properties": {
                "Arn": {"type": "string"},
                "DelaySeconds": {"type": "integer", "minimum": 0, "maximum": 900, "description": "words"},
                "Union": {"oneOf": [{"type": "object"}], "type": "object", "additionalProperties": false, "properties": {}}
            },
            "definitions": {"D": {"type": "object", "additionalProperties": false, "properties": {"K": {"type": "string", "pattern": "^a"}}}},
            "readOnlyProperties": ["/properties/Arn"],
            "additionalProperties": false
        });
        let attrs = vec![Attr { name: "Arn".into(), method: "attr_arn".into(), read_only: true }];
        let t: Json = serde_json::from_str(&table(&schema, &attrs)).unwrap();
        assert_eq!(
            t,
            json!({
                "properties": {
                    "DelaySeconds": {"type": "integer", "minimum": 0, "maximum": 900},
                    "Union": {"properties": {}}
                },
                "additionalProperties": false,
                "definitions": {"D": {"type": "object", "properties": {"K": {"type": "string", "pattern": "^a"}}, "additionalProperties": false}},
                "attributes": ["Arn"]
            })
        );
    }
}
