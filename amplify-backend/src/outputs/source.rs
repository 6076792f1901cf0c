//! Output values as the builders see them: deployed strings, or template values
//! that are only partly known before deployment.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::OutputsError;

/// One stack output's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OutputValue {
    /// Known now: a deployed value, or a literal string in a template.
    Known(String),
    /// A template value made of literal text and placeholders for deployed values
    /// (an `Fn::Join` with tokens among its parts).
    Partial(String),
    /// A template value that only deployment will tell (`Ref`, `Fn::GetAtt`, ...).
    Deferred,
}

/// Every output of the root stack, by key.
pub(crate) type OutputValues = BTreeMap<String, OutputValue>;

/// The text that stands in for a value only deployment will tell.
pub(crate) fn placeholder(what: &str) -> String {
    let what: String = what.chars().filter(|c| *c != '"' && *c != '\\').collect();
    format!("<deployed value of {what}>")
}

/// The outputs that one metadata group lists. Like Amplify, a builder only sees
/// the outputs its group lists, and an empty value counts as not set.
pub(crate) struct Group<'a> {
    pub(crate) name: &'a str,
    pub(crate) listed: &'a BTreeSet<String>,
    pub(crate) values: &'a OutputValues,
}

impl<'a> Group<'a> {
    /// The value of a listed, non-empty output.
    pub(crate) fn value(&self, key: &str) -> Option<&'a OutputValue> {
        if !self.listed.contains(key) {
            return None;
        }
        match self.values.get(key)? {
            OutputValue::Known(text) if text.is_empty() => None,
            value => Some(value),
        }
    }

    /// A value for an optional field: only a value known now counts.
    pub(crate) fn text(&self, key: &str) -> Option<&'a str> {
        match self.value(key)? {
            OutputValue::Known(text) => Some(text),
            OutputValue::Partial(_) | OutputValue::Deferred => None,
        }
    }

    /// A value for a required field: a placeholder stands in for a deferred one.
    pub(crate) fn required(&self, key: &str) -> Result<String, OutputsError> {
        match self.value(key) {
            Some(OutputValue::Known(text) | OutputValue::Partial(text)) => Ok(text.clone()),
            Some(OutputValue::Deferred) => Ok(placeholder(key)),
            None => Err(OutputsError::MissingOutput { group: self.name.to_owned(), key: key.to_owned() }),
        }
    }

    /// A JSON-encoded output, parsed; `None` when absent or deferred.
    pub(crate) fn json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, OutputsError> {
        match self.value(key) {
            Some(OutputValue::Known(text) | OutputValue::Partial(text)) => parse_json(key, text).map(Some),
            Some(OutputValue::Deferred) | None => Ok(None),
        }
    }
}

/// Parses JSON text from output `key` into `T`.
pub(crate) fn parse_json<T: DeserializeOwned>(key: &str, text: &str) -> Result<T, OutputsError> {
    let value: Value =
        serde_json::from_str(text).map_err(|source| OutputsError::InvalidJson { key: key.to_owned(), source })?;
    from_json_value(key, value)
}

/// Converts a parsed JSON value from output `key` into `T`.
pub(crate) fn from_json_value<T: DeserializeOwned>(key: &str, value: Value) -> Result<T, OutputsError> {
    serde_json::from_value(value).map_err(|error| OutputsError::invalid(key, error.to_string()))
}

/// Reads one word (such as `AMAZON_COGNITO_USER_POOLS`) as an enum of the model.
pub(crate) fn parse_word<T: DeserializeOwned>(key: &str, word: &str) -> Result<T, OutputsError> {
    serde_json::from_value(Value::String(word.to_owned()))
        .map_err(|error| OutputsError::invalid(key, format!("{word:?}: {error}")))
}
