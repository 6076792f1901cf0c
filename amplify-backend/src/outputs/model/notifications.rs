//! The `notifications` section: Amazon Pinpoint channels or Amazon Connect.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::AwsRegion;

/// Messaging settings.
///
/// The schema asks for either all of `aws_region`, `amazon_pinpoint_app_id`
/// and `channels`, or for `amazon_connect`; this type does not enforce that.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
#[schemars(extend("anyOf" = [
    { "required": ["aws_region", "amazon_pinpoint_app_id", "channels"] },
    { "required": ["amazon_connect"] }
]))]
pub struct Notifications {
    /// Region of the Pinpoint project.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<AwsRegion>")]
    pub aws_region: Option<String>,
    /// Id of the Pinpoint project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amazon_pinpoint_app_id: Option<String>,
    /// Channels messages are sent through.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("minItems" = 1, "uniqueItems" = true))]
    pub channels: Option<Vec<PinpointChannel>>,
    /// An Amazon Connect instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amazon_connect: Option<AmazonConnect>,
}

/// A Pinpoint channel (`$defs/amazon_pinpoint_channels`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schemars(rename = "amazon_pinpoint_channels")]
pub enum PinpointChannel {
    // Messages shown inside the app.
    InAppMessaging,
    // Firebase Cloud Messaging (Android push).
    Fcm,
    // Apple Push Notification service.
    Apns,
    // Email.
    Email,
    // Text messages.
    Sms,
}

/// An Amazon Connect instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct AmazonConnect {
    /// Region of the instance.
    #[schemars(with = "AwsRegion")]
    pub aws_region: String,
    /// Endpoint of the instance.
    pub endpoint: String,
}
