//! `amplify_outputs.json`: read from the deployed root stack's outputs and its
//! template's metadata, written for the frontend.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::aws::Aws;
use crate::deployed;
use crate::errors::{Error, Result};

/// The file formats `generate outputs` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `amplify_outputs.json`, for JavaScript, Swift and Android.
    #[default]
    Json,
    /// `amplify_outputs.dart`, for Flutter: the same JSON in a Dart constant.
    Dart,
}

/// Reads the stack and writes the file in `out_dir`; returns its path.
pub async fn generate(aws: &Aws, stack_name: &str, out_dir: &Path, format: Format) -> Result<PathBuf> {
    let stack = deployed::describe(aws, stack_name).await?.ok_or_else(|| Error::StackNotFound {
        stack: stack_name.into(),
        region: aws.region.clone(),
        hint: "deploy it first (`ampx sandbox` or `ampx pipeline-deploy`), or check --stack, --branch, --app-id and \
               the region"
            .into(),
    })?;
    let template = deployed::template(aws, &stack.id).await?;
    let metadata = template.get("Metadata").cloned().unwrap_or_else(|| Json::Object(Default::default()));
    let json = amplify_outputs(&stack.outputs, &metadata)
        .map_err(|reason| Error::Outputs { stack: stack_name.into(), reason })?;
    let (file, text) = match format {
        Format::Json => ("amplify_outputs.json", json),
        Format::Dart => ("amplify_outputs.dart", format!("const amplifyConfig = r'''{}''';\n", json.trim_end())),
    };
    std::fs::create_dir_all(out_dir).map_err(Error::io("cannot create", out_dir))?;
    let path = out_dir.join(file);
    std::fs::write(&path, text).map_err(Error::io("cannot write", &path))?;
    Ok(path)
}

/// The one place that knows how `amplify-backend` builds the document.
fn amplify_outputs(stack_outputs: &BTreeMap<String, String>, metadata: &Json) -> std::result::Result<String, String> {
    amplify_backend::outputs::from_stack_outputs(stack_outputs, metadata)
        .map(|outputs| outputs.to_json_pretty())
        .map_err(|e| e.to_string())
}
