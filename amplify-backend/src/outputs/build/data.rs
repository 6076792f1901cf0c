//! `data` from the `AWS::Amplify::GraphQL` outputs.

use serde_json::{Map, Value};

use crate::outputs::model::{AuthorizationType, Data};
use crate::outputs::source::{parse_json, parse_word, Group, OutputValue};
use crate::outputs::OutputsError;

/// The output that names the model schema in S3 (`s3://bucket/key`), Amplify's
/// name: Amplify's `ampx generate outputs` downloads the schema and derives
/// `model_introspection` from it.
pub const MODEL_SCHEMA_S3_URI_OUTPUT: &str = "amplifyApiModelSchemaS3Uri";

/// The output that carries `model_introspection` inline (an older layout of our
/// data category; still read).
pub const MODEL_INTROSPECTION_OUTPUT: &str = "amplifyApiModelIntrospection";

/// The output that names our generated model introspection JSON in S3, beside
/// the model schema. Whoever reads the deployed stack downloads it and passes its
/// text as [`MODEL_INTROSPECTION_OUTPUT`] (`ampx generate outputs` does), so
/// `amplify_outputs.json` holds the schema itself, as Amplify's does. Amplify's
/// tools ignore this output.
pub const MODEL_INTROSPECTION_S3_URI_OUTPUT: &str = "amplifyApiModelIntrospectionS3Uri";

pub(crate) fn data(group: &Group) -> Result<Data, OutputsError> {
    const DEFAULT_TYPE: &str = "awsAppsyncAuthenticationType";
    Ok(Data {
        aws_region: group.required("awsAppsyncRegion")?,
        url: group.required("awsAppsyncApiEndpoint")?,
        model_introspection: model_introspection(group)?,
        api_key: group.text("awsAppsyncApiKey").map(str::to_owned),
        default_authorization_type: parse_word(DEFAULT_TYPE, &group.required(DEFAULT_TYPE)?)?,
        authorization_types: additional_types(group)?,
    })
}

/// Inline, or staged in S3 and downloaded by the caller into the inline output (which
/// the metadata does not list then). A deployed S3 URI without the download is an
/// error rather than a file without the schema the JS client needs.
fn model_introspection(group: &Group) -> Result<Option<Map<String, Value>>, OutputsError> {
    if let Some(inline) = group.json(MODEL_INTROSPECTION_OUTPUT)? {
        return Ok(Some(inline));
    }
    let Some(OutputValue::Known(uri)) = group.value(MODEL_INTROSPECTION_S3_URI_OUTPUT) else {
        return Ok(None);
    };
    match group.values.get(MODEL_INTROSPECTION_OUTPUT) {
        Some(OutputValue::Known(text)) => parse_json(MODEL_INTROSPECTION_OUTPUT, text).map(Some),
        _ => Err(OutputsError::invalid(
            MODEL_INTROSPECTION_S3_URI_OUTPUT,
            format!(
                "the model introspection schema is staged at {uri}; download it and pass its text as the \
                 `{MODEL_INTROSPECTION_OUTPUT}` output (`ampx generate outputs` does)"
            ),
        )),
    }
}

/// Comma-separated; absent means none (Amplify would leave the required field out).
fn additional_types(group: &Group) -> Result<Vec<AuthorizationType>, OutputsError> {
    const KEY: &str = "awsAppsyncAdditionalAuthenticationTypes";
    let Some(text) = group.text(KEY) else {
        return Ok(Vec::new());
    };
    text.split(',').map(str::trim).filter(|word| !word.is_empty()).map(|word| parse_word(KEY, word)).collect()
}
