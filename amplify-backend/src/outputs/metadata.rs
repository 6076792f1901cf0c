//! The root template's `Metadata`: which outputs belong to which Amplify category.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::source::{Group, OutputValues};
use super::OutputsError;

/// Metadata group of `define_auth`.
pub(crate) const AUTH: &str = "AWS::Amplify::Auth";
/// Metadata group of `define_data`.
pub(crate) const GRAPHQL: &str = "AWS::Amplify::GraphQL";
/// Metadata group of `define_storage`.
pub(crate) const STORAGE: &str = "AWS::Amplify::Storage";
/// Metadata group of `backend.add_output` (custom outputs).
pub(crate) const CUSTOM: &str = "AWS::Amplify::Custom";

/// The groups this module turns into sections of the file.
const READ_GROUPS: [&str; 4] = [AUTH, GRAPHQL, STORAGE, CUSTOM];

/// Output keys listed by each `AWS::Amplify::*` metadata group.
#[derive(Debug, Default)]
pub(crate) struct Metadata {
    groups: BTreeMap<String, BTreeSet<String>>,
}

impl Metadata {
    /// Reads the metadata section. Accepts the section itself, a whole template
    /// holding it under `Metadata`, or either one as a JSON string (the form
    /// CloudFormation's `GetTemplateSummary` returns).
    pub(crate) fn read(value: &Value) -> Result<Metadata, OutputsError> {
        if let Value::String(text) = value {
            let parsed: Value = serde_json::from_str(text)
                .map_err(|error| OutputsError::InvalidMetadata { reason: format!("not valid JSON: {error}") })?;
            return Metadata::read(&parsed);
        }
        let Value::Object(section) = value else {
            return Err(OutputsError::InvalidMetadata { reason: "expected a JSON object".into() });
        };
        let is_whole_template = !section.keys().any(|key| key.starts_with("AWS::Amplify::"))
            && section.get("Metadata").is_some_and(Value::is_object);
        let section = match section.get("Metadata") {
            Some(Value::Object(inner)) if is_whole_template => inner,
            _ => section,
        };

        let mut metadata = Metadata::default();
        for (name, entry) in section {
            if !name.starts_with("AWS::Amplify::") {
                continue;
            }
            let listed = read_group(name, entry)?;
            metadata.groups.insert(name.clone(), listed);
        }
        Ok(metadata)
    }

    /// The outputs of group `name`, if the template has that group.
    pub(crate) fn group<'a>(&'a self, name: &'a str, values: &'a OutputValues) -> Option<Group<'a>> {
        let listed = self.groups.get(name)?;
        Some(Group { name, listed, values })
    }
}

fn read_group(name: &str, entry: &Value) -> Result<BTreeSet<String>, OutputsError> {
    let invalid = |what: &str| OutputsError::InvalidMetadata { reason: format!("group {name}: {what}") };
    let Value::Object(entry) = entry else {
        return Err(invalid("expected an object with `version` and `stackOutputs`"));
    };
    if READ_GROUPS.contains(&name) {
        match entry.get("version") {
            Some(Value::String(version)) if version == "1" => {}
            Some(other) => return Err(invalid(&format!("unsupported version {other}, expected \"1\""))),
            None => return Err(invalid("`version` is missing")),
        }
    }
    let Some(Value::Array(keys)) = entry.get("stackOutputs") else {
        return Err(invalid("`stackOutputs` must be a list of output keys"));
    };
    keys.iter()
        .map(|key| key.as_str().map(str::to_owned).ok_or_else(|| invalid("`stackOutputs` must hold only strings")))
        .collect()
}
