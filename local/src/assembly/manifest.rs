//! The cloud assembly's `manifest.json` and its asset manifests: which
//! top-level stacks there are, their template files, and where each file
//! asset (nested templates, resolver code) lives on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::AssemblyError;

/// A top-level stack the manifest names.
#[derive(Clone, Debug)]
pub struct StackArtifact {
    /// The artifact id, which is the stack name.
    pub name: String,
    /// The template file, relative to the assembly directory.
    pub template_file: String,
}

#[derive(Deserialize)]
struct RawManifest {
    // A JSON map keeps the manifest's artifact order (preserve_order).
    #[serde(default)]
    artifacts: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct RawAssetManifest {
    #[serde(default)]
    files: HashMap<String, RawFileAsset>,
}

#[derive(Deserialize)]
struct RawFileAsset {
    source: RawSource,
    #[serde(default)]
    destinations: HashMap<String, RawDestination>,
}

#[derive(Deserialize)]
struct RawSource {
    path: Option<String>,
}

#[derive(Deserialize)]
struct RawDestination {
    #[serde(rename = "objectKey")]
    object_key: String,
}

/// The stacks and file assets of one assembly directory.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Top-level stacks in manifest order.
    pub stacks: Vec<StackArtifact>,
    /// S3 object key (as the templates name it) to the asset on disk.
    pub assets_by_key: HashMap<String, PathBuf>,
}

impl Manifest {
    /// Reads `manifest.json` in `dir` and every asset manifest it lists.
    pub fn read(dir: &Path) -> Result<Manifest, AssemblyError> {
        let path = dir.join("manifest.json");
        let raw: RawManifest = read_json(&path)?;
        let mut manifest = Manifest::default();
        for (id, artifact) in &raw.artifacts {
            let kind = artifact.get("type").and_then(|t| t.as_str()).unwrap_or("");
            let file = artifact.pointer("/properties/file").and_then(|f| f.as_str());
            match kind {
                "aws:cloudformation:stack" => {
                    let template_file = artifact
                        .pointer("/properties/templateFile")
                        .and_then(|f| f.as_str())
                        .ok_or_else(|| AssemblyError::Invalid {
                            file: path.clone(),
                            message: format!("stack artifact `{id}` has no properties.templateFile"),
                        })?;
                    manifest.stacks.push(StackArtifact { name: id.clone(), template_file: template_file.to_string() });
                }
                "cdk:asset-manifest" => {
                    let file = file.ok_or_else(|| AssemblyError::Invalid {
                        file: path.clone(),
                        message: format!("asset manifest artifact `{id}` has no properties.file"),
                    })?;
                    manifest.read_assets(dir, &dir.join(file))?;
                }
                _ => {}
            }
        }
        Ok(manifest)
    }

    fn read_assets(&mut self, dir: &Path, path: &Path) -> Result<(), AssemblyError> {
        let raw: RawAssetManifest = read_json(path)?;
        for asset in raw.files.into_values() {
            // Zipped directories (Lambda code) are recorded too, so a reference to
            // them resolves; only file assets are read as text.
            let Some(source) = asset.source.path else { continue };
            for destination in asset.destinations.into_values() {
                self.assets_by_key.insert(destination.object_key, dir.join(&source));
            }
        }
        Ok(())
    }

    /// The asset a template URL or `s3://bucket/key` location points at: the
    /// last path segment is the object key the asset manifest publishes to.
    pub fn asset_for_url(&self, url: &str) -> Option<&Path> {
        let key = url.rsplit('/').next()?;
        self.assets_by_key.get(key).map(PathBuf::as_path)
    }
}

/// Reads and parses one JSON file, naming it in the error.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, AssemblyError> {
    let text = std::fs::read_to_string(path).map_err(|e| AssemblyError::Io { file: path.to_path_buf(), source: e })?;
    serde_json::from_str(&text).map_err(|e| AssemblyError::Invalid { file: path.to_path_buf(), message: e.to_string() })
}
