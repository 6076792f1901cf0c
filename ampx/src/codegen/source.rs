//! Where a cloud assembly keeps what the generators read: the model introspection
//! (a root stack output, inline or as the S3 URI of a staged file asset) and the
//! API's GraphQL schema (the `AWS::AppSync::GraphQLSchema` definition, inline or a
//! staged asset). Only the assembly's files are read; nothing is deployed or called.

use std::path::{Path, PathBuf};

use amplify_backend::outputs::{MODEL_INTROSPECTION_OUTPUT, MODEL_INTROSPECTION_S3_URI_OUTPUT};
use serde_json::Value as Json;

use super::introspection::Introspection;
use super::sdl::Sdl;
use crate::assembly::{self, Assembly, Stack};
use crate::errors::{Error, Result};

/// The data API of a synthesized backend.
pub struct DataApi {
    /// The model introspection.
    pub introspection: Introspection,
    /// The GraphQL schema.
    pub sdl: Sdl,
}

/// Reads the data API from the assembly in `dir`; `None` when the backend has none
/// (no stack has the model introspection output).
///
/// # Errors
///
/// [`Error::Assembly`] when the assembly cannot be read, or holds an introspection
/// or schema that does not parse.
pub fn read(dir: &Path) -> Result<Option<DataApi>> {
    let assembly = Assembly::read(dir)?;
    let fail = |reason: String| Error::Assembly { dir: dir.to_path_buf(), reason };
    let Some(text) = introspection_text(&assembly).map_err(&fail)? else { return Ok(None) };
    let introspection: Introspection =
        serde_json::from_str(&text).map_err(|e| fail(format!("the model introspection is not readable: {e}")))?;
    if introspection.version != 1 {
        return Err(fail(format!(
            "the model introspection has version {}; this ampx reads version 1",
            introspection.version
        )));
    }
    let sdl = match schema_text(&assembly).map_err(&fail)? {
        Some(text) => Sdl::parse(&text).map_err(|e| fail(format!("the API's GraphQL schema does not parse: {e}")))?,
        None => return Err(fail("the assembly has no AWS::AppSync::GraphQLSchema with a definition".into())),
    };
    Ok(Some(DataApi { introspection, sdl }))
}

fn introspection_text(assembly: &Assembly) -> std::result::Result<Option<String>, String> {
    for stack in &assembly.stacks {
        let outputs = stack.template.get("Outputs");
        let value = |name: &str| outputs.and_then(|o| o.get(name)).and_then(|o| o.get("Value"));
        if let Some(text) = value(MODEL_INTROSPECTION_OUTPUT).and_then(Json::as_str) {
            return Ok(Some(text.to_string()));
        }
        if let Some(uri) = value(MODEL_INTROSPECTION_S3_URI_OUTPUT) {
            let path = asset_file(assembly, uri)
                .ok_or_else(|| format!("{MODEL_INTROSPECTION_S3_URI_OUTPUT} names no file asset of the assembly"))?;
            return read_file(&path).map(Some);
        }
    }
    Ok(None)
}

fn schema_text(assembly: &Assembly) -> std::result::Result<Option<String>, String> {
    for stack in &assembly.stacks {
        if let Some(text) = schema_in(assembly, &stack.template)? {
            return Ok(Some(text));
        }
    }
    Ok(None)
}

/// The schema definition in `template` or the templates nested in it.
fn schema_in(assembly: &Assembly, template: &Json) -> std::result::Result<Option<String>, String> {
    for (id, resource) in assembly::resources(template) {
        if assembly::resource_type(resource) == "AWS::AppSync::GraphQLSchema" {
            let props = resource.get("Properties");
            if let Some(text) = props.and_then(|p| p.get("Definition")).and_then(Json::as_str) {
                return Ok(Some(text.to_string()));
            }
            if let Some(location) = props.and_then(|p| p.get("DefinitionS3Location")) {
                let path = asset_file(assembly, location)
                    .ok_or_else(|| format!("{id}: DefinitionS3Location names no file asset of the assembly"))?;
                return read_file(&path).map(Some);
            }
        }
        if let Some(nested) = assembly.nested_template(resource) {
            if let Some(text) = schema_in(assembly, nested)? {
                return Ok(Some(text));
            }
        }
    }
    Ok(None)
}

/// The file of the asset whose object key a URI (a string or an intrinsic) names.
fn asset_file(assembly: &Assembly, uri: &Json) -> Option<PathBuf> {
    let text = uri.to_string();
    assembly
        .stacks
        .iter()
        .flat_map(|s: &Stack| &s.assets)
        .find(|a| !a.object_key.is_empty() && text.contains(&a.object_key))
        .map(|a| a.source.clone())
}

fn read_file(path: &Path) -> std::result::Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}
