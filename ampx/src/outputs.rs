//! `amplify_outputs.json`: read from the deployed root stack's outputs and its
//! template's metadata, written for the frontend.

use std::collections::BTreeMap;
use std::path::PathBuf;

use amplify_backend::outputs::FormatVersion;
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
    /// `amplify_outputs.mjs`: an ES module whose default export is the document.
    Mjs,
    /// `amplify_outputs.ts`: the same module, for TypeScript projects.
    Ts,
    /// `amplify_outputs.json`, asked for by a mobile project: the Gen 2 document
    /// serves mobile clients as it is, so this is the JSON file.
    JsonMobile,
}

impl Format {
    /// The file's name in this format.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json | Format::JsonMobile => "amplify_outputs.json",
            Format::Dart => "amplify_outputs.dart",
            Format::Mjs => "amplify_outputs.mjs",
            Format::Ts => "amplify_outputs.ts",
        }
    }

    /// The file's text for the document `json` (pretty-printed JSON), as
    /// Amplify's Gen 2 formatter writes each format.
    pub fn render(self, json: &str) -> String {
        let trimmed = json.trim_end();
        match self {
            Format::Json | Format::JsonMobile => json.to_string(),
            // A raw string: `$` in the document is not interpolated.
            Format::Dart => format!("const amplifyConfig = r'''{trimmed}''';\n"),
            Format::Mjs | Format::Ts => format!("const amplifyConfig = {trimmed}\nexport default amplifyConfig;\n"),
        }
    }
}

/// Where the file goes and how it is written: the directory, the format and
/// the format version (`--outputs-out-dir`, `--outputs-format`, `--outputs-version`).
#[derive(Clone, Debug)]
pub struct Destination {
    /// The directory (created when missing).
    pub dir: PathBuf,
    /// JSON, Dart for Flutter, or a JavaScript/TypeScript module.
    pub format: Format,
    /// The document's format version.
    pub version: FormatVersion,
}

impl Destination {
    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(self.format.file_name())
    }
}

/// Reads the stack and writes the file at `to`; returns its path. `hint` says
/// what to do when the stack does not exist.
pub async fn generate(aws: &Aws, stack_name: &str, to: &Destination, hint: &str) -> Result<PathBuf> {
    let stack = deployed::describe(aws, stack_name).await?.ok_or_else(|| Error::StackNotFound {
        stack: stack_name.into(),
        region: aws.region.clone(),
        hint: hint.into(),
    })?;
    let template = deployed::template(aws, &stack.id).await?;
    let metadata = template.get("Metadata").cloned().unwrap_or_else(|| Json::Object(Default::default()));
    let missing = missing_outputs(&metadata, &stack.outputs);
    if !missing.is_empty() {
        return Err(Error::Outputs {
            stack: stack_name.into(),
            reason: format!(
                "the stack has no output {}, which its template declares for amplify_outputs.json; nothing was \
                 written. Deploy again; some emulators (moto among them) leave a change-set deployment's outputs \
                 out, and `--method direct` avoids that",
                missing.join(", ")
            ),
        });
    }
    let mut stack_outputs = stack.outputs.clone();
    download_staged_introspection(aws, &mut stack_outputs).await?;
    let json = amplify_outputs(&stack_outputs, &metadata, to.version)
        .map_err(|reason| Error::Outputs { stack: stack_name.into(), reason })?;
    let text = to.format.render(&json);
    std::fs::create_dir_all(&to.dir).map_err(Error::io("cannot create", &to.dir))?;
    let path = to.path();
    std::fs::write(&path, text).map_err(Error::io("cannot write", &path))?;
    Ok(path)
}

/// The outputs the template's `AWS::Amplify::*` metadata lists that the stack
/// does not have (each group lists outputs the root stack declares).
fn missing_outputs(metadata: &Json, outputs: &BTreeMap<String, String>) -> Vec<String> {
    let mut missing: Vec<String> = metadata
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(group, _)| group.starts_with("AWS::Amplify::"))
        .filter_map(|(_, entry)| entry.get("stackOutputs")?.as_array())
        .flatten()
        .filter_map(Json::as_str)
        .filter(|key| !outputs.contains_key(*key))
        .map(str::to_string)
        .collect();
    missing.sort();
    missing.dedup();
    missing
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
fn amplify_outputs(
    stack_outputs: &BTreeMap<String, String>,
    metadata: &Json,
    version: FormatVersion,
) -> std::result::Result<String, String> {
    amplify_backend::outputs::from_stack_outputs(stack_outputs, metadata)
        .map(|outputs| outputs.to_json_pretty_as(version))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_format_holds_the_same_document() {
        let doc = "{\n  \"version\": \"1.4\"\n}\n";
        assert_eq!(Format::Json.render(doc), doc);
        assert_eq!(Format::JsonMobile.render(doc), doc);
        assert_eq!(Format::JsonMobile.file_name(), "amplify_outputs.json");
        assert_eq!(Format::Dart.render(doc), "const amplifyConfig = r'''{\n  \"version\": \"1.4\"\n}''';\n");
        let module = "const amplifyConfig = {\n  \"version\": \"1.4\"\n}\nexport default amplifyConfig;\n";
        assert_eq!(Format::Mjs.render(doc), module);
        assert_eq!(Format::Ts.render(doc), module);
        assert_eq!((Format::Mjs.file_name(), Format::Ts.file_name()), ("amplify_outputs.mjs", "amplify_outputs.ts"));
    }

    #[test]
    fn outputs_the_metadata_lists_must_be_there() {
        let metadata = json!({
            "AWS::Amplify::Storage": {"version": "1", "stackOutputs": ["bucketName", "storageRegion"]},
            "AWS::Amplify::Auth": {"version": "1", "stackOutputs": ["userPoolId"]},
            "Other": {"stackOutputs": ["ignored"]},
        });
        let some = BTreeMap::from([("bucketName".to_string(), "b".to_string())]);
        assert_eq!(missing_outputs(&metadata, &some), ["storageRegion", "userPoolId"]);
        let all: BTreeMap<String, String> =
            ["bucketName", "storageRegion", "userPoolId"].map(|k| (k.to_string(), "v".to_string())).into();
        assert!(missing_outputs(&metadata, &all).is_empty());
    }
}
