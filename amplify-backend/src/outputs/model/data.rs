//! The `data` section: an AWS AppSync GraphQL API.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{AwsRegion, JsonObject};

/// The GraphQL API and how clients authorize against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Data {
    /// Region of the API.
    #[schemars(with = "AwsRegion")]
    pub aws_region: String,
    /// GraphQL endpoint, `https://.../graphql`.
    pub url: String,
    /// Description of the models that the JS client's `generateClient` reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<JsonObject>")]
    pub model_introspection: Option<Map<String, Value>>,
    /// API key, when the API accepts API keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// Mode a request uses unless it names another.
    pub default_authorization_type: AuthorizationType,
    /// Further modes the API accepts.
    pub authorization_types: Vec<AuthorizationType>,
}

/// An AppSync authorization mode (`$defs/aws_appsync_authorization_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schemars(rename = "aws_appsync_authorization_type")]
pub enum AuthorizationType {
    // Cognito user pool tokens.
    AmazonCognitoUserPools,
    // An API key.
    ApiKey,
    // Signed with AWS credentials.
    #[serde(rename = "AWS_IAM")]
    AwsIam,
    // A Lambda authorizer.
    #[serde(rename = "AWS_LAMBDA")]
    AwsLambda,
    // OpenID Connect tokens.
    OpenidConnect,
}
