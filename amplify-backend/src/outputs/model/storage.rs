//! The `storage` section: Amazon S3 buckets and who may do what under which path.

use std::borrow::Cow;

use indexmap::IndexMap;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use super::common::{named_map, AwsRegion};

/// The default bucket, and every bucket of the backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Storage {
    /// Region of the default bucket.
    #[schemars(with = "AwsRegion")]
    pub aws_region: String,
    /// Name of the default bucket.
    pub bucket_name: String,
    /// All buckets, each with its access rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buckets: Option<Vec<StorageBucket>>,
}

/// One bucket (`$defs/amplify_storage_bucket`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "amplify_storage_bucket")]
pub struct StorageBucket {
    /// The name the backend gave the bucket (`define_storage`'s `name`).
    pub name: String,
    /// The S3 bucket name.
    pub bucket_name: String,
    /// Region of the bucket.
    pub aws_region: String,
    /// Access rules by path pattern, such as `"photos/*"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "storage_paths_schema")]
    pub paths: Option<IndexMap<String, StorageAccessRule>>,
}

fn storage_paths_schema(generator: &mut SchemaGenerator) -> Schema {
    named_map::<StorageAccessRule>(generator, false)
}

/// Who may do what under one path (`$defs/amplify_storage_access_rule`).
///
/// Keys name a kind of caller: `guest`, `authenticated`, `groups<Name>` for a
/// user pool group, `entityidentity` for the owner of a path that holds their
/// identity id, and `resource` for backend functions. Values are the actions
/// allowed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StorageAccessRule(pub IndexMap<String, Vec<StorageAccessAction>>);

impl StorageAccessRule {
    /// The actions allowed to one kind of caller, if it has a rule.
    pub fn get(&self, caller: &str) -> Option<&[StorageAccessAction]> {
        self.0.get(caller).map(Vec::as_slice)
    }
}

impl FromIterator<(String, Vec<StorageAccessAction>)> for StorageAccessRule {
    fn from_iter<I: IntoIterator<Item = (String, Vec<StorageAccessAction>)>>(iter: I) -> Self {
        StorageAccessRule(iter.into_iter().collect())
    }
}

impl JsonSchema for StorageAccessRule {
    fn schema_name() -> Cow<'static, str> {
        "amplify_storage_access_rule".into()
    }

    /// The reference leaves this definition unconstrained (it only carries a
    /// TypeScript type), so ours does too; it still registers the action enum
    /// so that `$defs/amplify_storage_access_actions` exists, as in the reference.
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<StorageAccessAction>();
        json_schema!({
            "description": "Callers (guest, authenticated, groups<Name>, entityidentity, resource) mapped to the storage actions they may take."
        })
    }
}

/// An action on stored objects (`$defs/amplify_storage_access_actions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "amplify_storage_access_actions")]
pub enum StorageAccessAction {
    // Both `get` and `list`.
    Read,
    // Download an object.
    Get,
    // List objects.
    List,
    // Upload an object.
    Write,
    // Remove an object.
    Delete,
}
