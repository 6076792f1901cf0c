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
    let mut stack_outputs = stack.outputs.clone();
    download_staged_introspection(aws, &mut stack_outputs).await?;
    let json = amplify_outputs(&stack_outputs, &metadata)
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

/// A model introspection schema too large to inline is staged in S3, its URI an
/// output; the file holds the schema itself (Amplify downloads its model schema the
/// same way), so its text goes in as the inline output.
async fn download_staged_introspection(aws: &Aws, stack_outputs: &mut BTreeMap<String, String>) -> Result<()> {
    use amplify_backend::outputs::{MODEL_INTROSPECTION_OUTPUT, MODEL_INTROSPECTION_S3_URI_OUTPUT};
    let Some(uri) = stack_outputs.get(MODEL_INTROSPECTION_S3_URI_OUTPUT).filter(|u| !u.is_empty()) else {
        return Ok(());
    };
    let text = crate::hotswap::read_s3(aws, uri).await?;
    stack_outputs.insert(MODEL_INTROSPECTION_OUTPUT.to_string(), text);
    Ok(())
}

/// The one place that knows how `amplify-backend` builds the document.
fn amplify_outputs(stack_outputs: &BTreeMap<String, String>, metadata: &Json) -> std::result::Result<String, String> {
    amplify_backend::outputs::from_stack_outputs(stack_outputs, metadata)
        .map(|outputs| outputs.to_json_pretty())
        .map_err(|e| e.to_string())
}
