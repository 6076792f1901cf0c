//! The document as a whole.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::JsonObject;
use super::{Analytics, Auth, Data, Geo, Notifications, OutputsVersion, Storage};

/// The contents of `amplify_outputs.json`, format version 1.5: what a frontend
/// built with the Amplify client libraries needs to reach the backend.
///
/// Every section is optional; a backend fills in the ones it has. Serializing
/// writes the fields in the order the schema lists them and leaves out absent
/// ones (the file never contains `null`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "amplify_outputs.json")]
pub struct AmplifyOutputs {
    /// Address of a JSON Schema for editors to check this file against.
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Format version of this file.
    pub version: OutputsVersion,
    /// Analytics settings a developer added by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics: Option<Analytics>,
    /// Sign-in settings made by `define_auth`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// The GraphQL API made by `define_data`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    /// Location (maps, place search, geofences) settings a developer added by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
    /// Messaging settings a developer added by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notifications: Option<Notifications>,
    /// File storage made by `define_storage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    /// Any JSON object the backend publishes for its frontend under `custom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<JsonObject>")]
    pub custom: Option<Map<String, Value>>,
}
