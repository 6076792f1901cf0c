//! Reading a cloud assembly (`manifest.json` schema 55 and older): the stacks in
//! deployment order, their templates, and the file assets each stack needs,
//! nested templates included. Any CDK app's assembly reads the same way.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use constructs::{BootstrapSettings, DefaultStackSynthesizer};
use serde_json::Value as Json;

use crate::errors::{Error, Result};

/// A top-level stack of the assembly.
#[derive(Clone, Debug)]
pub struct Stack {
    /// The artifact id in the manifest.
    pub artifact_id: String,
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The template file.
    pub template_file: PathBuf,
    /// The template, parsed.
    pub template: Json,
    /// The template as written (what CloudFormation receives).
    pub template_body: String,
    /// Where the template is published, as `(bucket, key)` with `${AWS::...}`
    /// placeholders; CloudFormation reads it there when it is too big to send inline.
    pub template_object: Option<(String, String)>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Termination protection.
    pub termination_protection: bool,
    /// Artifact ids of the stacks deployed before this one.
    pub dependencies: Vec<String>,
    /// The file assets this stack needs (nested templates, code, the template).
    pub assets: Vec<FileAsset>,
    /// Construct paths by logical id, from the manifest's metadata.
    pub paths: HashMap<String, String>,
    /// What the stack needs from `cdk bootstrap` (qualifier-derived names), as
    /// the manifest records them; the CDK's defaults for an assembly that
    /// records none (older synthesizers).
    pub bootstrap: BootstrapSettings,
}

impl Stack {
    /// Whether an Amplify backend made it: it carries Amplify's deployment tag
    /// or declares `AWS::Amplify::*` metadata for `amplify_outputs.json`.
    pub fn is_amplify_backend(&self) -> bool {
        self.tags.contains_key("amplify:deployment-type")
            || self
                .template
                .get("Metadata")
                .and_then(Json::as_object)
                .is_some_and(|m| m.keys().any(|k| k.starts_with("AWS::Amplify::")))
    }
}

/// How a file asset is uploaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packaging {
    /// A file, as it is.
    File,
    /// A directory, zipped at publish time.
    Zip,
}

/// A file or directory to upload to the bootstrap bucket.
#[derive(Clone, Debug)]
pub struct FileAsset {
    /// The asset id (its content hash).
    pub id: String,
    /// A name for messages.
    pub display_name: String,
    /// The file or directory.
    pub source: PathBuf,
    /// File or zip.
    pub packaging: Packaging,
    /// The bucket, with `${AWS::AccountId}`-style placeholders.
    pub bucket: String,
    /// The key in the bucket.
    pub object_key: String,
}

/// A cloud assembly read from disk.
#[derive(Clone, Debug)]
pub struct Assembly {
    /// The directory.
    pub dir: PathBuf,
    /// Top-level stacks, each after the stacks it depends on.
    pub stacks: Vec<Stack>,
    /// Nested templates by their object key in the bootstrap bucket.
    nested: HashMap<String, Json>,
}

const STACK: &str = "aws:cloudformation:stack";
const ASSET_MANIFEST: &str = "cdk:asset-manifest";
/// Artifacts with nothing to deploy.
const IGNORED: &[&str] = &["cdk:tree", "cdk:cloud-assembly-metadata"];
/// CloudFormation's limit on stack names.
pub const MAX_STACK_NAME: usize = 128;

impl Assembly {
    /// Reads `dir/manifest.json` and everything it points at.
    pub fn read(dir: &Path) -> Result<Assembly> {
        let fail = |reason: String| Error::Assembly { dir: dir.to_path_buf(), reason };
        let manifest = read_json(&dir.join("manifest.json")).map_err(&fail)?;
        let artifacts = manifest
            .get("artifacts")
            .and_then(Json::as_object)
            .ok_or_else(|| fail("manifest.json has no `artifacts` object".into()))?;

        let mut stacks = Vec::new();
        let mut nested = HashMap::new();
        for (id, artifact) in artifacts {
            let kind = artifact.get("type").and_then(Json::as_str).unwrap_or_default();
            match kind {
                STACK => {
                    let (stack, templates) = read_stack(dir, id, artifact, artifacts).map_err(&fail)?;
                    nested.extend(templates);
                    stacks.push(stack);
                }
                ASSET_MANIFEST => {}
                k if IGNORED.contains(&k) => {}
                other => {
                    return Err(fail(format!(
                        "artifact '{id}' has type '{other}', which ampx does not deploy (nested assemblies and \
                         stages are not supported); deploy it with the CDK CLI"
                    )))
                }
            }
        }
        let stacks = order(stacks).map_err(&fail)?;
        Ok(Assembly { dir: dir.to_path_buf(), stacks, nested })
    }

    /// A stack by name.
    pub fn stack(&self, stack_name: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.stack_name == stack_name)
    }

    /// The nested template a parent's `AWS::CloudFormation::Stack` resource points at.
    pub fn nested_template(&self, resource: &Json) -> Option<&Json> {
        nested_template_key(resource).and_then(|key| self.nested.get(&key))
    }

    /// A hash of what deploying the assembly sets up: each stack's name, template
    /// and tags. Nested templates and file assets are in it through their
    /// content-hash object keys, which the templates name.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for stack in &self.stacks {
            for part in [stack.stack_name.as_str(), stack.template_body.as_str()] {
                hasher.update(part.len().to_le_bytes());
                hasher.update(part.as_bytes());
            }
            for (key, value) in &stack.tags {
                hasher.update(format!("{}:{key}={value};", key.len()).as_bytes());
            }
            for asset in &stack.assets {
                hasher.update(format!("{}@{}/{};", asset.id, asset.bucket, asset.object_key).as_bytes());
            }
        }
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// How many resources the assembly declares, nested stacks included.
    pub fn resource_count(&self) -> usize {
        self.stacks.iter().map(|s| self.resource_count_of(&s.template)).sum()
    }

    /// How many resources a template declares, with its nested stacks' resources.
    pub fn resource_count_of(&self, template: &Json) -> usize {
        resources(template).map(|(_, r)| 1 + self.nested_template(r).map_or(0, |t| self.resource_count_of(t))).sum()
    }
}

/// The resources of a template, by logical id.
pub fn resources(template: &Json) -> impl Iterator<Item = (&String, &Json)> {
    template.get("Resources").and_then(Json::as_object).into_iter().flatten()
}

/// The resource's type.
pub fn resource_type(resource: &Json) -> &str {
    resource.get("Type").and_then(Json::as_str).unwrap_or_default()
}

/// The object key of a nested stack's template: the last path segment of its
/// `TemplateURL`, whether that is a string or the CDK's `Fn::Join`.
pub fn nested_template_key(resource: &Json) -> Option<String> {
    if resource_type(resource) != "AWS::CloudFormation::Stack" {
        return None;
    }
    let url = resource.get("Properties")?.get("TemplateURL")?;
    let last = match url {
        Json::String(s) => s.as_str(),
        other => other.get("Fn::Join")?.get(1)?.as_array()?.last()?.as_str()?,
    };
    let key = last.rsplit('/').next()?;
    (!key.is_empty()).then(|| key.to_string())
}

/// Checks a stack name against CloudFormation's rules before any call is made.
pub fn validate_stack_name(name: &str) -> Result<()> {
    let invalid = |reason: String| Err(Error::InvalidStackName { name: name.into(), reason });
    if name.len() > MAX_STACK_NAME {
        return invalid(format!(
            "it is {} characters long and CloudFormation allows at most {MAX_STACK_NAME}; use a shorter stack \
             name, identifier or branch",
            name.len()
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return invalid("it must start with a letter".into());
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
        return invalid(format!("'{c}' is not allowed; use letters, digits and hyphens only"));
    }
    Ok(())
}

fn read_json(path: &Path) -> std::result::Result<Json, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

type NestedTemplates = HashMap<String, Json>;

fn read_stack(
    dir: &Path,
    id: &str,
    artifact: &Json,
    artifacts: &serde_json::Map<String, Json>,
) -> std::result::Result<(Stack, NestedTemplates), String> {
    let props = artifact.get("properties").cloned().unwrap_or(Json::Null);
    let template_file = props
        .get("templateFile")
        .and_then(Json::as_str)
        .ok_or_else(|| format!("stack artifact '{id}' has no properties.templateFile"))?;
    let template_path = dir.join(template_file);
    let template_body =
        std::fs::read_to_string(&template_path).map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
    let template: Json = serde_json::from_str(&template_body)
        .map_err(|e| format!("{} is not valid JSON: {e}", template_path.display()))?;
    let stack_name = props.get("stackName").and_then(Json::as_str).unwrap_or(id).to_string();

    let mut dependencies = Vec::new();
    let mut assets = Vec::new();
    let mut nested = HashMap::new();
    let mut bootstrap = None;
    for dep in artifact.get("dependencies").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str) {
        let Some(target) = artifacts.get(dep) else {
            return Err(format!("stack '{id}' depends on '{dep}', which is not in the manifest"));
        };
        match target.get("type").and_then(Json::as_str) {
            Some(STACK) => dependencies.push(dep.to_string()),
            Some(ASSET_MANIFEST) => {
                let file = target
                    .get("properties")
                    .and_then(|p| p.get("file"))
                    .and_then(Json::as_str)
                    .ok_or_else(|| format!("asset manifest '{dep}' has no properties.file"))?;
                let asset_manifest = read_json(&dir.join(file))?;
                let (file_assets, templates) = read_asset_manifest(dir, file, &asset_manifest)?;
                assets.extend(file_assets);
                nested.extend(templates);
                if artifact.get("properties").is_some_and(|p| p.get("bootstrapStackVersionSsmParameter").is_some()) {
                    let manifest = serde_json::json!({ "artifacts": { id: artifact } });
                    bootstrap = Some(BootstrapSettings::from_manifest(&manifest, id, &asset_manifest)?);
                }
            }
            _ => {}
        }
    }

    let template_object = props
        .get("stackTemplateAssetObjectUrl")
        .and_then(Json::as_str)
        .and_then(|u| u.strip_prefix("s3://"))
        .and_then(|u| u.split_once('/'))
        .map(|(b, k)| (b.to_string(), k.to_string()));

    let tags = props
        .get("tags")
        .and_then(Json::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default();

    let mut paths = HashMap::new();
    for (path, entries) in artifact.get("metadata").and_then(Json::as_object).into_iter().flatten() {
        for e in entries.as_array().into_iter().flatten() {
            if e.get("type").and_then(Json::as_str) == Some("aws:cdk:logicalId") {
                if let Some(logical_id) = e.get("data").and_then(Json::as_str) {
                    paths.insert(logical_id.to_string(), path.trim_start_matches('/').to_string());
                }
            }
        }
    }

    let stack = Stack {
        artifact_id: id.to_string(),
        stack_name,
        template_file: template_path,
        template,
        template_body,
        template_object,
        tags,
        termination_protection: props.get("terminationProtection").and_then(Json::as_bool).unwrap_or(false),
        dependencies,
        assets,
        paths,
        bootstrap: bootstrap.unwrap_or_else(|| DefaultStackSynthesizer::default().settings()),
    };
    Ok((stack, nested))
}

fn read_asset_manifest(
    dir: &Path,
    file: &str,
    manifest: &Json,
) -> std::result::Result<(Vec<FileAsset>, NestedTemplates), String> {
    if manifest.get("dockerImages").and_then(Json::as_object).is_some_and(|m| !m.is_empty()) {
        return Err(format!("{file} lists Docker image assets, which ampx does not publish; use the CDK CLI"));
    }
    let mut assets = Vec::new();
    let mut nested = HashMap::new();
    for (id, entry) in manifest.get("files").and_then(Json::as_object).into_iter().flatten() {
        let source = entry.get("source").ok_or_else(|| format!("{file}: asset {id} has no source"))?;
        let path = source
            .get("path")
            .and_then(Json::as_str)
            .ok_or_else(|| format!("{file}: asset {id} has no source.path (executable assets are not supported)"))?;
        let packaging = match source.get("packaging").and_then(Json::as_str).unwrap_or("file") {
            "file" => Packaging::File,
            "zip" => Packaging::Zip,
            other => return Err(format!("{file}: asset {id} has unknown packaging '{other}'")),
        };
        let display_name = entry.get("displayName").and_then(Json::as_str).unwrap_or(id).to_string();
        for dest in entry.get("destinations").and_then(Json::as_object).into_iter().flat_map(|m| m.values()) {
            let field = |name: &str| {
                dest.get(name)
                    .and_then(Json::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("{file}: asset {id} has a destination without {name}"))
            };
            let asset = FileAsset {
                id: id.clone(),
                display_name: display_name.clone(),
                source: dir.join(path),
                packaging,
                bucket: field("bucketName")?,
                object_key: field("objectKey")?,
            };
            if path.ends_with(".nested.template.json") {
                nested.insert(asset.object_key.clone(), read_json(&asset.source)?);
            }
            assets.push(asset);
        }
    }
    Ok((assets, nested))
}

/// Orders stacks so that each comes after its dependencies; the manifest's order
/// is kept otherwise.
fn order(stacks: Vec<Stack>) -> std::result::Result<Vec<Stack>, String> {
    let mut remaining = stacks;
    let mut done: Vec<Stack> = Vec::new();
    while !remaining.is_empty() {
        let ready = remaining
            .iter()
            .position(|s| s.dependencies.iter().all(|d| done.iter().any(|x| &x.artifact_id == d)))
            .ok_or_else(|| {
                let names: Vec<&str> = remaining.iter().map(|s| s.artifact_id.as_str()).collect();
                format!("the stacks {} depend on each other in a cycle", names.join(", "))
            })?;
        done.push(remaining.remove(ready));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_key_from_cdk_join() {
        let r = json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": {"Fn::Join": ["", [
            "https://s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/",
            {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}, "/abc.json"]]}}});
        assert_eq!(nested_template_key(&r).as_deref(), Some("abc.json"));
        let plain = json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://b.s3.amazonaws.com/k/x.json"}});
        assert_eq!(nested_template_key(&plain).as_deref(), Some("x.json"));
    }

    #[test]
    fn stack_names_are_checked() {
        assert!(validate_stack_name("amplify-app-dev-sandbox-0123456789").is_ok());
        let long = format!("a{}", "b".repeat(128));
        let err = validate_stack_name(&long).unwrap_err().to_string();
        assert!(err.contains("129 characters") && err.contains("at most 128"), "{err}");
        assert!(validate_stack_name("1abc").is_err());
        assert!(validate_stack_name("my_stack").unwrap_err().to_string().contains("'_'"));
    }
}
