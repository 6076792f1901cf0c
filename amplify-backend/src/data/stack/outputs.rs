//! What the root stack publishes for `amplify_outputs.json` (`AWS::Amplify::GraphQL`):
//! the endpoint, region, authorization types, API key and model introspection.

use constructs::{Asset, Aws, Value};

use super::api::ApiResources;
use super::text_asset::INLINE_LIMIT;
use crate::data::ir::Ir;
use crate::outputs::MODEL_INTROSPECTION_OUTPUT;
pub use crate::outputs::MODEL_INTROSPECTION_S3_URI_OUTPUT;
use crate::Backend;

/// The metadata group of the data outputs.
pub const GROUP: &str = "AWS::Amplify::GraphQL";

/// The outputs, as (name, value) pairs, in the order Amplify lists them.
pub fn outputs(ir: &Ir, api: &ApiResources, introspection: &str, asset: &Asset) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = vec![
        ("awsAppsyncApiId".into(), api.graphql_api.attr_api_id()),
        ("awsAppsyncApiEndpoint".into(), api.graphql_api.attr_graph_ql_url()),
        ("awsAppsyncAuthenticationType".into(), ir.modes.default.appsync_name().into()),
        ("awsAppsyncRegion".into(), Aws::region()),
    ];
    if !ir.modes.additional.is_empty() {
        let types: Vec<&str> = ir.modes.additional.iter().map(|m| m.appsync_name()).collect();
        out.push(("awsAppsyncAdditionalAuthenticationTypes".into(), types.join(",").into()));
    }
    if let Some(key) = &api.api_key {
        out.push(("awsAppsyncApiKey".into(), key.attr_api_key()));
    }
    if introspection.len() <= INLINE_LIMIT {
        out.push((MODEL_INTROSPECTION_OUTPUT.into(), introspection.into()));
    } else {
        out.push((MODEL_INTROSPECTION_S3_URI_OUTPUT.into(), asset.s3_object_url()));
    }
    out
}

/// Adds the outputs to the root stack.
pub fn publish(backend: &Backend, outputs: Vec<(String, Value)>) {
    backend.add_stack_outputs(GROUP, outputs);
}
