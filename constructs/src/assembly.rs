//! The cloud assembly: `manifest.json`, `tree.json`, templates, asset manifests
//! and staged assets, in the layout the CDK CLI reads (schema 55.0.0).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value as Json};

use crate::asset::{asset_data, Packaging};
use crate::error::SynthError;
use crate::nested_stack::ASSETS_BUCKET;
use crate::node::Node;
use crate::synth::Synth;

/// The cloud assembly schema version we write.
pub const MANIFEST_VERSION: &str = "55.0.0";
const QUALIFIER: &str = "hnb659fds";

/// One synthesized template.
#[derive(Clone, Debug)]
pub struct StackArtifact {
    /// The stack's construct path.
    pub construct_path: String,
    /// The artifact id (top-level stacks) or unique id (nested stacks).
    pub artifact_id: String,
    /// The CloudFormation stack name (top-level stacks).
    pub stack_name: String,
    /// The template's file name in the assembly.
    pub template_file: String,
    /// The template.
    pub template: Json,
    /// SHA-256 of the template file.
    pub template_hash: String,
    pub(crate) template_bytes: Vec<u8>,
    /// Whether this is a nested stack.
    pub nested: bool,
    /// The construct path of the parent stack, for nested stacks.
    pub parent: Option<String>,
}

impl StackArtifact {
    /// How many resources the template declares.
    pub fn resource_count(&self) -> usize {
        self.template.get("Resources").and_then(Json::as_object).map_or(0, |m| m.len())
    }
}

enum Content {
    Bytes(Vec<u8>),
    CopyFile(PathBuf),
    CopyDir(PathBuf),
}

/// A synthesized cloud assembly, in memory until [`write`](Self::write).
pub struct CloudAssembly {
    /// Every template, top-level and nested, in tree order.
    pub stacks: Vec<StackArtifact>,
    /// `manifest.json`.
    pub manifest: Json,
    /// `tree.json`.
    pub tree: Json,
    files: Vec<(String, Content)>,
}

impl std::fmt::Debug for CloudAssembly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudAssembly")
            .field("stacks", &self.stacks.iter().map(|s| &s.construct_path).collect::<Vec<_>>())
            .finish()
    }
}

impl CloudAssembly {
    /// A stack by stack name, artifact id or construct path.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks
            .iter()
            .find(|s| (!s.nested && s.stack_name == name) || s.artifact_id == name || s.construct_path == name)
    }

    /// A template by stack name, artifact id or construct path.
    pub fn template(&self, name: &str) -> Option<&Json> {
        self.stack(name).map(|s| &s.template)
    }

    /// The relative names of every file the assembly writes.
    pub fn file_names(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Writes the assembly to `dir`. A non-empty directory that is not a cloud
    /// assembly is never touched; in an old assembly, stale files are replaced.
    pub fn write(&self, dir: &Path) -> Result<(), SynthError> {
        let err = |e: std::io::Error, what: &Path| {
            SynthError::single(&what.display().to_string(), format!("cannot write the cloud assembly: {e}"))
        };
        prepare_outdir(dir)?;
        for (name, content) in &self.files {
            let dest = dir.join(name);
            match content {
                Content::Bytes(b) => std::fs::write(&dest, b).map_err(|e| err(e, &dest))?,
                Content::CopyFile(src) => {
                    std::fs::copy(src, &dest).map_err(|e| err(e, src))?;
                }
                Content::CopyDir(src) => copy_dir(src, &dest).map_err(|e| err(e, src))?,
            }
        }
        Ok(())
    }

    /// A short report: each stack with its resource count and file.
    pub fn summary(&self, dir: &Path) -> String {
        let total: usize = self.stacks.iter().map(StackArtifact::resource_count).sum();
        let mut s = format!(
            "Synthesized {} stack{} ({total} resources) into {}\n",
            self.stacks.len(),
            if self.stacks.len() == 1 { "" } else { "s" },
            dir.display()
        );
        let label = |st: &StackArtifact| format!("{}{}", if st.nested { "  " } else { "" }, st.construct_path);
        let width = self.stacks.iter().map(|st| label(st).len()).max().unwrap_or(0);
        for st in &self.stacks {
            let _ = writeln!(
                s,
                "  {:<width$}  {:>4} resources  {}",
                label(st),
                st.resource_count(),
                dir.join(&st.template_file).display()
            );
        }
        s
    }
}

/// Pretty JSON with a one-space indent, as the CDK writes templates.
pub(crate) fn template_bytes(template: &Json) -> Vec<u8> {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    serde::Serialize::serialize(template, &mut ser).expect("JSON values always serialize");
    out
}

fn pretty(v: &Json) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).expect("JSON values always serialize");
    b.push(b'\n');
    b
}

fn is_assembly_file(name: &str) -> bool {
    name == "manifest.json"
        || name == "tree.json"
        || name == "cdk.out"
        || name.ends_with(".template.json")
        || name.ends_with(".assets.json")
        || name.ends_with(".metadata.json")
        || name.starts_with("asset.")
}

fn prepare_outdir(dir: &Path) -> Result<(), SynthError> {
    let fail = |m: String| SynthError::single(&dir.display().to_string(), m);
    if dir.exists() {
        let entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| fail(format!("cannot read the output directory: {e}")))?
            .filter_map(Result::ok)
            .collect();
        let is_assembly = entries.iter().any(|e| e.file_name() == "manifest.json" || e.file_name() == "cdk.out");
        // The CDK CLI holds a `synth.lock` (or `read.*.lock`) in the directory while it runs the app.
        let foreign = entries.iter().any(|e| !e.file_name().to_string_lossy().ends_with(".lock"));
        if foreign && !is_assembly {
            return Err(fail(
                "the output directory is not empty and is not a cloud assembly; choose another directory (CDK_OUTDIR) or empty it".into(),
            ));
        }
        for e in entries {
            let name = e.file_name().to_string_lossy().to_string();
            if is_assembly_file(&name) {
                let p = e.path();
                let r = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
                r.map_err(|err| fail(format!("cannot remove the stale file '{name}': {err}")))?;
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create the output directory: {e}")))
}

fn copy_dir(src: &Path, dest: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dest)?;
    for entry in std::fs::read_dir(src)? {
        let entry = entry?;
        let to = dest.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to)?;
        } else {
            std::fs::copy(entry.path(), to)?;
        }
    }
    Ok(())
}

fn role(kind: &str) -> String {
    format!("arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/cdk-{QUALIFIER}-{kind}-role-${{AWS::AccountId}}-${{AWS::Region}}")
}

fn file_asset(display: &str, path: &str, packaging: &str, object_key: &str) -> Json {
    json!({
        "displayName": display,
        "source": { "path": path, "packaging": packaging },
        "destinations": {
            "current_account-current_region": {
                "bucketName": ASSETS_BUCKET,
                "objectKey": object_key,
                "assumeRoleArn": role("file-publishing"),
            }
        }
    })
}

pub(crate) fn build_assembly(root: &Node, s: &Synth, stacks: Vec<StackArtifact>) -> CloudAssembly {
    let mut files: Vec<(String, Content)> = Vec::new();
    let mut artifacts = Map::new();
    let order = top_level_order(s);
    for &ti in &order {
        let top = &stacks[ti];
        let mut assets = Map::new();
        for (si, st) in s.stacks.iter().enumerate() {
            if st.top != ti {
                continue;
            }
            let art = &stacks[si];
            files.push((art.template_file.clone(), Content::Bytes(art.template_bytes.clone())));
            if art.nested {
                assets.insert(
                    art.template_hash.clone(),
                    file_asset(
                        &format!("{} Nested Stack Template", art.construct_path),
                        &art.template_file,
                        "file",
                        &format!("{}.json", art.template_hash),
                    ),
                );
            }
            for a in &st.assets {
                let d = asset_data(a).expect("indexed as an asset");
                let staged = d.staged_name();
                if !files.iter().any(|(n, _)| *n == staged) {
                    let content = match d.packaging {
                        Packaging::File => Content::CopyFile(d.source.clone()),
                        Packaging::Zip => Content::CopyDir(d.source.clone()),
                    };
                    files.push((staged.clone(), content));
                }
                let packaging = if d.packaging == Packaging::Zip { "zip" } else { "file" };
                assets.insert(d.hash.clone(), file_asset(a.path(), &staged, packaging, &d.object_key()));
            }
        }
        assets.insert(
            top.template_hash.clone(),
            file_asset(
                &format!("{} Template", top.stack_name),
                &top.template_file,
                "file",
                &format!("{}.json", top.template_hash),
            ),
        );
        let assets_id = format!("{}.assets", top.artifact_id);
        let assets_file = format!("{}.assets.json", top.artifact_id);
        files.push((
            assets_file.clone(),
            Content::Bytes(pretty(&json!({"version": MANIFEST_VERSION, "files": assets, "dockerImages": {}}))),
        ));
        artifacts.insert(
            assets_id.clone(),
            json!({
                "type": "cdk:asset-manifest",
                "properties": {
                    "file": assets_file,
                    "requiresBootstrapStackVersion": 6,
                    "bootstrapStackVersionSsmParameter": format!("/cdk-bootstrap/{QUALIFIER}/version"),
                }
            }),
        );
        let data = &s.stacks[ti].data;
        let mut props = json!({
            "templateFile": top.template_file,
            "terminationProtection": data.termination_protection.get(),
            "validateOnSynth": false,
            "assumeRoleArn": role("deploy"),
            "cloudFormationExecutionRoleArn": role("cfn-exec"),
            "stackTemplateAssetObjectUrl": format!("s3://{ASSETS_BUCKET}/{}.json", top.template_hash),
            "requiresBootstrapStackVersion": 6,
            "bootstrapStackVersionSsmParameter": format!("/cdk-bootstrap/{QUALIFIER}/version"),
            "additionalDependencies": [assets_id],
        });
        if top.stack_name != top.artifact_id {
            props["stackName"] = json!(top.stack_name);
        }
        let tags = data.tags.borrow();
        if !tags.is_empty() {
            props["tags"] = json!(tags.clone());
        }
        let mut deps: Vec<String> = Vec::new();
        for (a, b, _) in &s.stack_deps {
            if *a == ti && !deps.contains(&stacks[*b].artifact_id) {
                deps.push(stacks[*b].artifact_id.clone());
            }
        }
        deps.push(assets_id);
        let mut metadata = Map::new();
        for (si, st) in s.stacks.iter().enumerate() {
            if st.top != ti {
                continue;
            }
            let _ = si;
            for e in &st.elements {
                if e.element().is_some_and(|el| matches!(el.body, crate::element::Body::Resource(_))) {
                    metadata.insert(
                        format!("/{}", e.path()),
                        json!([{"type": "aws:cdk:logicalId", "data": s.logical_id_of(e)}]),
                    );
                }
            }
        }
        artifacts.insert(
            top.artifact_id.clone(),
            json!({
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": props,
                "dependencies": deps,
                "metadata": metadata,
                "displayName": top.construct_path,
            }),
        );
    }
    artifacts.insert("Tree".into(), json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}));
    let manifest = json!({"version": MANIFEST_VERSION, "artifacts": artifacts});
    let tree = json!({"version": "tree-0.1", "tree": tree_node(root, s)});
    files.push(("manifest.json".into(), Content::Bytes(pretty(&manifest))));
    files.push(("tree.json".into(), Content::Bytes(serde_json::to_vec(&tree).expect("JSON values always serialize"))));
    files.push(("cdk.out".into(), Content::Bytes(format!("{{\"version\":\"{MANIFEST_VERSION}\"}}").into_bytes())));
    CloudAssembly { stacks, manifest, tree, files }
}

/// Top-level stacks, each after the stacks it depends on (tree order otherwise).
fn top_level_order(s: &Synth) -> Vec<usize> {
    let tops: Vec<usize> = (0..s.stacks.len()).filter(|i| s.stacks[*i].parent.is_none()).collect();
    let mut out: Vec<usize> = Vec::new();
    let mut visiting = Vec::new();
    fn visit(i: usize, s: &Synth, out: &mut Vec<usize>, visiting: &mut Vec<usize>) {
        if out.contains(&i) || visiting.contains(&i) {
            return;
        }
        visiting.push(i);
        for (a, b, _) in &s.stack_deps {
            if *a == i {
                visit(*b, s, out, visiting);
            }
        }
        out.push(i);
    }
    for t in tops {
        visit(t, s, &mut out, &mut visiting);
    }
    out
}

fn tree_node(node: &Node, s: &Synth) -> Json {
    let mut o = Map::new();
    o.insert("id".into(), json!(if node.scope().is_none() { "App" } else { node.id() }));
    o.insert("path".into(), json!(node.path()));
    let children = node.children();
    if !children.is_empty() {
        let mut c = Map::new();
        for child in children {
            c.insert(child.id().to_string(), tree_node(&child, s));
        }
        o.insert("children".into(), Json::Object(c));
    }
    if let Some(r) = crate::resource::CfnResource::from_node(node) {
        o.insert(
            "attributes".into(),
            json!({
                "aws:cdk:cloudformation:type": r.resource_type(),
                "aws:cdk:cloudformation:logicalId": s.logical_id_of(node),
            }),
        );
    }
    if let Some(fqn) = node.construct_info() {
        o.insert("constructInfo".into(), json!({"fqn": fqn, "version": env!("CARGO_PKG_VERSION")}));
    }
    Json::Object(o)
}
