//! What the root stack publishes for `amplify_outputs.json` (`AWS::Amplify::GraphQL`):
//! the endpoint, region, authorization types, API key and the model schema.
//!
//! The outputs carry Amplify's names, so Amplify's own `ampx generate outputs`
//! reads a backend deployed by ours: `amplifyApiModelSchemaS3Uri` names the model
//! schema (Amplify's generator derives `model_introspection` from it). Our `ampx`
//! reads the introspection we generated instead, staged beside it and named by
//! [`MODEL_INTROSPECTION_S3_URI_OUTPUT`], an output Amplify's tools ignore.

use constructs::{Asset, Aws, Value};

use super::api::ApiResources;
use crate::data::ir::Ir;
pub use crate::outputs::{MODEL_INTROSPECTION_S3_URI_OUTPUT, MODEL_SCHEMA_S3_URI_OUTPUT};
use crate::Backend;

/// The metadata group of the data outputs.
pub const GROUP: &str = "AWS::Amplify::GraphQL";

/// The outputs, as (name, value) pairs, in the order Amplify lists them.
pub fn outputs(ir: &Ir, api: &ApiResources, model_schema: &Asset, introspection: &Asset) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = vec![
        ("awsAppsyncApiId".into(), api.graphql_api.attr_api_id()),
        ("awsAppsyncApiEndpoint".into(), api.graphql_api.attr_graph_ql_url()),
        ("awsAppsyncAuthenticationType".into(), ir.modes.default.appsync_name().into()),
        ("awsAppsyncRegion".into(), Aws::region()),
        (MODEL_SCHEMA_S3_URI_OUTPUT.into(), model_schema.s3_object_url()),
    ];
    if !ir.modes.additional.is_empty() {
        let types: Vec<&str> = ir.modes.additional.iter().map(|m| m.appsync_name()).collect();
        out.push(("awsAppsyncAdditionalAuthenticationTypes".into(), types.join(",").into()));
    }
    if let Some(key) = &api.api_key {
        out.push(("awsAppsyncApiKey".into(), key.attr_api_key()));
    }
    out.push((MODEL_INTROSPECTION_S3_URI_OUTPUT.into(), introspection.s3_object_url()));
    out
}

/// Adds the outputs to the root stack.
pub fn publish(backend: &Backend, outputs: Vec<(String, Value)>) {
    backend.add_stack_outputs(GROUP, outputs);
}
