//! Reading a JSON 1.1 request body, with Cognito's errors for missing or
//! mistyped members.

use std::collections::BTreeMap;

use serde_json::Value;

use super::errors::{CognitoError, ErrorKind, Result};

/// A request body.
#[derive(Clone, Copy)]
pub(crate) struct Req<'a>(pub &'a Value);

/// Cognito names members in its validation messages in lower camel case.
fn member_name(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn wrong_type(key: &str, expected: &str) -> CognitoError {
    CognitoError::new(ErrorKind::Serialization, format!("{key} must be {expected}"))
}

impl<'a> Req<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        match self.0.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// A required string member.
    pub fn str(&self, key: &str) -> Result<&'a str> {
        match self.opt_str(key)? {
            Some(s) => Ok(s),
            None => Err(CognitoError::invalid_parameter(format!(
                "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                member_name(key)
            ))),
        }
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(wrong_type(key, "a string")),
        }
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(wrong_type(key, "a boolean")),
        }
    }

    pub fn opt_i64(&self, key: &str) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| wrong_type(key, "an integer")),
        }
    }

    pub fn opt_strings(&self, key: &str) -> Result<Option<Vec<String>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(String::from).ok_or_else(|| wrong_type(key, "a list of strings")))
                .collect::<Result<Vec<_>>>()
                .map(Some),
            Some(_) => Err(wrong_type(key, "a list of strings")),
        }
    }

    /// A string-to-string map (AuthParameters, ChallengeResponses).
    pub fn map(&self, key: &str) -> Result<BTreeMap<String, String>> {
        match self.get(key) {
            None => Ok(BTreeMap::new()),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    _ => Err(wrong_type(key, "a map of strings")),
                })
                .collect(),
            Some(_) => Err(wrong_type(key, "a map of strings")),
        }
    }

    /// An `[{"Name": .., "Value": ..}]` list, in order.
    pub fn attributes(&self, key: &str) -> Result<Vec<(String, String)>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    let name = item.get("Name").and_then(Value::as_str);
                    let value = item.get("Value").and_then(Value::as_str).unwrap_or("");
                    match name {
                        Some(name) => Ok((name.to_string(), value.to_string())),
                        None => Err(CognitoError::invalid_parameter(format!(
                            "1 validation error detected: Value null at '{}.member.name' failed to satisfy constraint: Member must not be null",
                            member_name(key)
                        ))),
                    }
                })
                .collect(),
            Some(_) => Err(wrong_type(key, "a list of attributes")),
        }
    }
}

/// A required entry of a parameter map (AuthParameters and the like).
pub(crate) fn param<'m>(map: &'m BTreeMap<String, String>, key: &str) -> Result<&'m str> {
    map.get(key)
        .map(String::as_str)
        .ok_or_else(|| CognitoError::invalid_parameter(format!("Missing required parameter {key}")))
}
