//! The file from a deployed root stack.

use std::collections::BTreeMap;

use serde_json::Value;

use super::build::build;
use super::metadata::Metadata;
use super::source::{OutputValue, OutputValues};
use super::{AmplifyOutputs, OutputsError};

/// Builds `amplify_outputs.json` from a deployed Amplify root stack.
///
/// `stack_outputs` are the stack's outputs (`OutputKey` -> `OutputValue`).
/// `template_metadata` is the template's `Metadata` section; its
/// `AWS::Amplify::Auth`, `AWS::Amplify::GraphQL`, `AWS::Amplify::Storage` and
/// `AWS::Amplify::Custom` groups say which categories exist and which outputs
/// belong to each. The whole template, or either one as a JSON string (as
/// `GetTemplateSummary` returns it), is accepted too. Other groups
/// (`AWS::Amplify::Function`, `AWS::Amplify::Platform`, ...) add nothing to the file.
///
/// The mapping follows Amplify's client config generator. Outputs a group does
/// not list are ignored and empty values mean "not set". JSON-encoded outputs
/// (`signupAttributes`, `buckets`, `customOutputs`, ...) are decoded, and
/// `customOutputs` is deep-merged in last. Values Amplify would pass through
/// unchecked but that the file cannot hold (an unknown MFA mode, say) are errors.
///
/// # Errors
///
/// [`OutputsError::MissingOutput`] when a group lacks an output the file needs
/// (such as `userPoolId`), [`OutputsError::InvalidJson`] and
/// [`OutputsError::InvalidValue`] for unusable values,
/// [`OutputsError::Conflict`] when custom outputs overwrite a value, and
/// [`OutputsError::InvalidMetadata`] for malformed metadata.
///
/// # Example
///
/// ```
/// use std::collections::BTreeMap;
/// use amplify_backend::outputs::{from_stack_outputs, AuthorizationType};
/// use serde_json::json;
///
/// let metadata = json!({
///     "AWS::Amplify::GraphQL": {
///         "version": "1",
///         "stackOutputs": ["awsAppsyncApiEndpoint", "awsAppsyncRegion", "awsAppsyncAuthenticationType"]
///     }
/// });
/// let stack_outputs = BTreeMap::from([
///     ("awsAppsyncApiEndpoint".to_string(), "https://abc.appsync-api.us-east-1.amazonaws.com/graphql".to_string()),
///     ("awsAppsyncRegion".to_string(), "us-east-1".to_string()),
///     ("awsAppsyncAuthenticationType".to_string(), "API_KEY".to_string()),
/// ]);
///
/// let outputs = from_stack_outputs(&stack_outputs, &metadata)?;
/// let data = outputs.data.as_ref().expect("the GraphQL group gives a data section");
/// assert_eq!(data.default_authorization_type, AuthorizationType::ApiKey);
/// assert!(outputs.to_json_pretty().starts_with("{\n  \"version\": \"1.5\",\n  \"data\": {"));
/// # Ok::<(), amplify_backend::outputs::OutputsError>(())
/// ```
pub fn from_stack_outputs(
    stack_outputs: &BTreeMap<String, String>,
    template_metadata: &Value,
) -> Result<AmplifyOutputs, OutputsError> {
    let metadata = Metadata::read(template_metadata)?;
    let values: OutputValues =
        stack_outputs.iter().map(|(key, value)| (key.clone(), OutputValue::Known(value.clone()))).collect();
    build(&metadata, &values)
}
