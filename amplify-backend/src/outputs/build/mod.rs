//! Turning a root stack's outputs into the file, one category per file.

mod auth;
mod custom;
mod data;
mod storage;

pub use data::{MODEL_INTROSPECTION_OUTPUT, MODEL_INTROSPECTION_S3_URI_OUTPUT, MODEL_SCHEMA_S3_URI_OUTPUT};

use super::metadata::{Metadata, AUTH, CUSTOM, GRAPHQL, STORAGE};
use super::source::OutputValues;
use super::{AmplifyOutputs, OutputsError};

/// Builds the file from every category the metadata lists; custom outputs are
/// merged in last.
pub(crate) fn build(metadata: &Metadata, values: &OutputValues) -> Result<AmplifyOutputs, OutputsError> {
    let mut outputs = AmplifyOutputs::default();
    if let Some(group) = metadata.group(AUTH, values) {
        outputs.auth = Some(auth::auth(&group)?);
    }
    if let Some(group) = metadata.group(GRAPHQL, values) {
        outputs.data = Some(data::data(&group)?);
    }
    if let Some(group) = metadata.group(STORAGE, values) {
        outputs.storage = Some(storage::storage(&group)?);
    }
    if let Some(group) = metadata.group(CUSTOM, values) {
        outputs = custom::merge_custom(outputs, &group)?;
    }
    Ok(outputs)
}
