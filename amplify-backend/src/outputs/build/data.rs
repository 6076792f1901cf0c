//! `data` from the `AWS::Amplify::GraphQL` outputs.

use serde_json::{Map, Value};

use crate::outputs::model::{AuthorizationType, Data};
use crate::outputs::source::{parse_word, Group};
use crate::outputs::OutputsError;

/// The output that carries `model_introspection`. Amplify downloads the model
/// schema from S3 (`amplifyApiModelSchemaS3Uri`) instead; our data category
/// publishes the introspection JSON itself under this key.
pub const MODEL_INTROSPECTION_OUTPUT: &str = "amplifyApiModelIntrospection";

pub(crate) fn data(group: &Group) -> Result<Data, OutputsError> {
    const DEFAULT_TYPE: &str = "awsAppsyncAuthenticationType";
    Ok(Data {
        aws_region: group.required("awsAppsyncRegion")?,
        url: group.required("awsAppsyncApiEndpoint")?,
        model_introspection: group.json::<Map<String, Value>>(MODEL_INTROSPECTION_OUTPUT)?,
        api_key: group.text("awsAppsyncApiKey").map(str::to_owned),
        default_authorization_type: parse_word(DEFAULT_TYPE, &group.required(DEFAULT_TYPE)?)?,
        authorization_types: additional_types(group)?,
    })
}

/// Comma-separated; absent means none (Amplify would leave the required field out).
fn additional_types(group: &Group) -> Result<Vec<AuthorizationType>, OutputsError> {
    const KEY: &str = "awsAppsyncAdditionalAuthenticationTypes";
    let Some(text) = group.text(KEY) else {
        return Ok(Vec::new());
    };
    text.split(',').map(str::trim).filter(|word| !word.is_empty()).map(|word| parse_word(KEY, word)).collect()
}
