//! The `analytics` section: Amazon Pinpoint.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::AwsRegion;

/// Analytics back ends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Analytics {
    /// The Pinpoint project that receives events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amazon_pinpoint: Option<AmazonPinpoint>,
}

/// A Pinpoint project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct AmazonPinpoint {
    /// Region of the project.
    #[schemars(with = "AwsRegion")]
    pub aws_region: String,
    /// Id of the project.
    pub app_id: String,
}
