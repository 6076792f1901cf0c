//! ExpressionAttributeNames and ExpressionAttributeValues: their checks, the
//! look-ups expressions make in them, and the "unused" check after parsing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

use crate::dynamodb::error::DynamoError;
use crate::dynamodb::value::AttributeValue;

/// The substitutions one request (or one transaction item) supplies, and
/// which of them its expressions used.
#[derive(Debug, Default)]
pub struct Substitutions {
    names: BTreeMap<String, String>,
    values: BTreeMap<String, AttributeValue>,
    used_names: BTreeSet<String>,
    used_values: BTreeSet<String>,
    names_given: bool,
    values_given: bool,
}

impl Substitutions {
    /// Reads and checks `ExpressionAttributeNames` and `ExpressionAttributeValues`.
    pub fn from_request(request: &Value) -> Result<Self, DynamoError> {
        let mut subs = Substitutions::default();
        if let Some(names) = request.get("ExpressionAttributeNames") {
            let names = names.as_object().ok_or_else(|| {
                DynamoError::new("SerializationException", "ExpressionAttributeNames must be an object")
            })?;
            if names.is_empty() {
                return Err(DynamoError::validation("ExpressionAttributeNames must not be empty"));
            }
            for (key, name) in names {
                if !key.starts_with('#') || key.len() < 2 {
                    return Err(DynamoError::validation(format!(
                        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{key}\""
                    )));
                }
                let name = name.as_str().ok_or_else(|| {
                    DynamoError::new("SerializationException", "ExpressionAttributeNames values must be strings")
                })?;
                if name.is_empty() {
                    return Err(DynamoError::validation(format!(
                        "ExpressionAttributeNames contains invalid value: Empty attribute name; key: \"{key}\""
                    )));
                }
                subs.names.insert(key.clone(), name.to_string());
            }
            subs.names_given = true;
        }
        if let Some(values) = request.get("ExpressionAttributeValues") {
            let values = values.as_object().ok_or_else(|| {
                DynamoError::new("SerializationException", "ExpressionAttributeValues must be an object")
            })?;
            if values.is_empty() {
                return Err(DynamoError::validation("ExpressionAttributeValues must not be empty"));
            }
            for (key, value) in values {
                if !key.starts_with(':') || key.len() < 2 {
                    return Err(DynamoError::validation(format!(
                        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{key}\""
                    )));
                }
                let value = AttributeValue::from_json(value).map_err(|e| {
                    if e.kind == "ValidationException" {
                        DynamoError::validation(format!(
                            "ExpressionAttributeValues contains invalid value: {} for key {key}",
                            e.message
                        ))
                    } else {
                        e
                    }
                })?;
                subs.values.insert(key.clone(), value);
            }
            subs.values_given = true;
        }
        Ok(subs)
    }

    /// The attribute name `#key` stands for.
    pub fn name(&mut self, key: &str) -> Result<String, String> {
        match self.names.get(key) {
            Some(name) => {
                self.used_names.insert(key.to_string());
                Ok(name.clone())
            }
            None => Err(format!(
                "An expression attribute name used in the document path is not defined; attribute name: {key}"
            )),
        }
    }

    /// The value `:key` stands for.
    pub fn value(&mut self, key: &str) -> Result<AttributeValue, String> {
        match self.values.get(key) {
            Some(value) => {
                self.used_values.insert(key.to_string());
                Ok(value.clone())
            }
            None => {
                Err(format!("An expression attribute value used in expression is not defined; attribute value: {key}"))
            }
        }
    }

    /// Names and values given but used by no expression are errors, as in DynamoDB.
    /// `any_expression` says whether the request had an expression at all.
    pub fn check_all_used(&self, any_expression: bool) -> Result<(), DynamoError> {
        if !any_expression {
            if self.names_given {
                return Err(DynamoError::validation(
                    "ExpressionAttributeNames can only be specified when using expressions",
                ));
            }
            if self.values_given {
                return Err(DynamoError::validation(
                    "ExpressionAttributeValues can only be specified when using expressions",
                ));
            }
        }
        let unused_names: Vec<&str> =
            self.names.keys().filter(|k| !self.used_names.contains(*k)).map(String::as_str).collect();
        if !unused_names.is_empty() {
            return Err(DynamoError::validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                unused_names.join(", ")
            )));
        }
        let unused_values: Vec<&str> =
            self.values.keys().filter(|k| !self.used_values.contains(*k)).map(String::as_str).collect();
        if !unused_values.is_empty() {
            return Err(DynamoError::validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                unused_values.join(", ")
            )));
        }
        Ok(())
    }
}

/// Whether `word` is one of DynamoDB's reserved words (any letter case).
pub fn is_reserved(word: &str) -> bool {
    static WORDS: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        include_str!("reserved_words.txt").lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
    });
    words.contains(word.to_ascii_uppercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn checks_keys_and_reports_unused_ones() {
        let err = Substitutions::from_request(&json!({"ExpressionAttributeNames": {"a": "x"}})).unwrap_err();
        assert_eq!(err.message, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
        let err = Substitutions::from_request(&json!({"ExpressionAttributeValues": {}})).unwrap_err();
        assert_eq!(err.message, "ExpressionAttributeValues must not be empty");

        let mut subs = Substitutions::from_request(&json!({
            "ExpressionAttributeNames": {"#a": "x", "#b": "y"},
            "ExpressionAttributeValues": {":v": {"N": "1"}}
        }))
        .unwrap();
        assert_eq!(subs.name("#a").unwrap(), "x");
        assert!(subs.name("#c").unwrap_err().contains("attribute name: #c"));
        assert!(subs.value(":w").unwrap_err().contains("attribute value: :w"));
        let err = subs.check_all_used(true).unwrap_err();
        assert_eq!(err.message, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
        subs.name("#b").unwrap();
        assert!(subs
            .check_all_used(true)
            .unwrap_err()
            .message
            .contains("ExpressionAttributeValues unused in expressions: keys: {:v}"));
        subs.value(":v").unwrap();
        subs.check_all_used(true).unwrap();
        assert!(subs
            .check_all_used(false)
            .unwrap_err()
            .message
            .contains("can only be specified when using expressions"));
    }

    #[test]
    fn knows_the_reserved_words_in_any_case() {
        assert!(is_reserved("name"));
        assert!(is_reserved("Status"));
        assert!(!is_reserved("title"));
        assert!(!is_reserved("createdAt"));
    }
}
