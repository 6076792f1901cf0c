//! The `geo` section: Amazon Location Service resources.

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use super::common::{named_map, AwsRegion};

/// Maps, place indexes and geofence collections the frontend may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Geo {
    /// Region of the Location Service resources.
    #[schemars(with = "AwsRegion")]
    pub aws_region: String,
    /// Map resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maps: Option<GeoMaps>,
    /// Place indexes, for searching places, addresses and coordinates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_indices: Option<GeoCollection>,
    /// Geofence collections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geofence_collections: Option<GeoCollection>,
}

/// Map resources by name, and the one used by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct GeoMaps {
    /// Settings of each map, by map name.
    #[schemars(schema_with = "map_items_schema")]
    pub items: IndexMap<String, LocationMapConfig>,
    /// Name of the default map.
    pub default: String,
}

fn map_items_schema(generator: &mut SchemaGenerator) -> Schema {
    named_map::<LocationMapConfig>(generator, true)
}

/// Settings of one map (`$defs/amazon_location_service_config`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "amazon_location_service_config")]
pub struct LocationMapConfig {
    /// The map's style, such as `VectorEsriStreets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

/// Resource names and the one used by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct GeoCollection {
    /// Resource names.
    #[schemars(extend("minItems" = 1, "uniqueItems" = true))]
    pub items: Vec<String>,
    /// Name of the default resource.
    pub default: String,
}
