//! The buckets of an assembly: each `AWS::S3::Bucket` with its local name
//! and the CORS rules its template gives.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::assembly::Assembly;

/// One CORS rule (`CorsConfiguration.CorsRules[]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsRule {
    /// `AllowedOrigins`, with at most one `*` each.
    pub allowed_origins: Vec<String>,
    /// `AllowedMethods` (GET, PUT, POST, DELETE, HEAD).
    pub allowed_methods: Vec<String>,
    /// `AllowedHeaders`, with at most one `*` each; compared case-insensitively.
    pub allowed_headers: Vec<String>,
    /// `ExposedHeaders`.
    pub exposed_headers: Vec<String>,
    /// `MaxAge`, in seconds.
    pub max_age: Option<u64>,
}

/// A bucket served locally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketConfig {
    /// Its name (what `Ref` to it gives, and what `amplify_outputs.json` names).
    pub name: String,
    /// Its ARN, `arn:aws:s3:::<name>`.
    pub arn: String,
    /// Its CORS rules; empty when the template gives none.
    pub cors: Vec<CorsRule>,
    /// The stack path and logical id, for messages.
    pub source: String,
}

fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn cors_rules(props: &serde_json::Map<String, Value>) -> Vec<CorsRule> {
    let Some(Value::Array(rules)) = props.get("CorsConfiguration").and_then(|c| c.get("CorsRules")) else {
        return Vec::new();
    };
    rules
        .iter()
        .map(|r| CorsRule {
            allowed_origins: list(r.get("AllowedOrigins")),
            allowed_methods: list(r.get("AllowedMethods")).into_iter().map(|m| m.to_ascii_uppercase()).collect(),
            allowed_headers: list(r.get("AllowedHeaders")),
            exposed_headers: list(r.get("ExposedHeaders")),
            max_age: r.get("MaxAge").and_then(|m| m.as_u64().or_else(|| m.as_str()?.parse().ok())),
        })
        .collect()
}

/// Every bucket of `assembly`, by name.
pub fn buckets(assembly: &Assembly) -> BTreeMap<String, BucketConfig> {
    assembly
        .of_type("AWS::S3::Bucket")
        .map(|b| {
            let name = b.reference.clone();
            let config = BucketConfig {
                arn: format!("arn:aws:s3:::{name}"),
                cors: cors_rules(&b.properties),
                source: format!("{} ({})", b.logical_id, b.stack_path),
                name: name.clone(),
            };
            (name, config)
        })
        .collect()
}
