//! The cloud assembly: `manifest.json`, `tree.json`, templates, asset manifests
//! and staged assets, in the layout the CDK CLI reads (schema 55.0.0).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use serde_json::{json, Map, Value as Json};

use crate::asset::Packaging;
use crate::codes;
use crate::error::SynthError;
use crate::node::{IConstruct, Node};
use crate::synth::{StackDependency, StackId, Stacks};
use crate::synthesizer::BootstrapSettings;

/// The cloud assembly schema version we write.
pub const MANIFEST_VERSION: &str = "55.0.0";

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

/// A file of the assembly. Templates, the manifest and the tree are serialized
/// only when written: an assembly kept in memory holds each of them once, as JSON.
enum Content {
    Bytes(Vec<u8>),
    /// The template of `stacks[i]`.
    Template(usize),
    Manifest,
    Tree,
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
    /// The warnings synthesis reported (printed by [`App::synth`](crate::App::synth)).
    pub warnings: Vec<crate::Diagnostic>,
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

    /// Adds a file the assembly writes beside its own (written and moved into
    /// place with them, so a failure leaves none of them).
    pub fn add_file(&mut self, name: &str, bytes: Vec<u8>) {
        self.files.retain(|(n, _)| n != name);
        self.files.push((name.to_string(), Content::Bytes(bytes)));
    }

    /// The relative names of every file the assembly writes.
    pub fn file_names(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Writes the assembly to `dir`. A non-empty directory that is not a cloud
    /// assembly is never touched; in an old assembly, stale files are replaced.
    ///
    /// Everything is written to a new directory beside `dir` first, and moved in
    /// only when all of it is written: a failure leaves `dir` as it was.
    pub fn write(&self, dir: &Path) -> Result<(), SynthError> {
        check_outdir(dir)?;
        let staging = staging_dir(dir)?;
        let result = self.write_files(staging.path()).and_then(|()| move_into(staging.path(), dir));
        // The staging directory is removed on drop, whatever happened.
        drop(staging);
        result
    }

    fn write_files(&self, dir: &Path) -> Result<(), SynthError> {
        let err = |e: std::io::Error, what: &Path| {
            SynthError::single(
                codes::WRITE_FAILED,
                &what.display().to_string(),
                format!("cannot write the cloud assembly: {e}"),
                "check the output directory's permissions and free space",
            )
        };
        for (name, content) in &self.files {
            let dest = dir.join(name);
            match content {
                Content::Bytes(b) => std::fs::write(&dest, b).map_err(|e| err(e, &dest))?,
                Content::Template(i) => {
                    write_json(&dest, &self.stacks[*i].template, Style::Template).map_err(|e| err(e, &dest))?
                }
                Content::Manifest => write_json(&dest, &self.manifest, Style::Pretty).map_err(|e| err(e, &dest))?,
                Content::Tree => write_json(&dest, &self.tree, Style::Compact).map_err(|e| err(e, &dest))?,
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

/// How a JSON file of the assembly is laid out.
#[derive(Clone, Copy)]
enum Style {
    /// Pretty with a one-space indent, as the CDK writes templates.
    Template,
    /// Pretty with two spaces and a final newline (manifests).
    Pretty,
    /// One line (`tree.json`).
    Compact,
}

fn serialize(v: &Json, style: Style, out: impl std::io::Write) -> std::io::Result<()> {
    let result = match style {
        Style::Template => {
            let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
            serde::Serialize::serialize(v, &mut serde_json::Serializer::with_formatter(out, fmt))
        }
        Style::Pretty => {
            let mut out = out;
            serde_json::to_writer_pretty(&mut out, v).and_then(|()| out.write_all(b"\n").map_err(serde_json::Error::io))
        }
        Style::Compact => serde_json::to_writer(out, v),
    };
    result.map_err(std::io::Error::other)
}

/// Writes one JSON file through a buffer (serialization writes a few bytes at a time).
fn write_json(dest: &Path, v: &Json, style: Style) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(dest)?);
    serialize(v, style, &mut file)?;
    file.flush()
}

/// Counts and hashes bytes as they are written, so that a template's size and
/// hash are known without keeping its text.
struct HashingWriter {
    hasher: Sha256,
    len: usize,
}

impl std::io::Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.len += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The SHA-256 (lower-case hex) and size in bytes of a template's file, exactly as
/// [`CloudAssembly::write`] writes it.
pub(crate) fn template_digest(template: &Json) -> (String, usize) {
    let mut sink = std::io::BufWriter::with_capacity(1 << 16, HashingWriter { hasher: Sha256::new(), len: 0 });
    // Neither the serializer (JSON values) nor the sink can fail.
    serialize(template, Style::Template, &mut sink).expect("JSON values always serialize");
    let sink = sink.into_inner().unwrap_or_else(|_| unreachable!("hashing never fails"));
    (crate::names::hex(&sink.hasher.finalize()), sink.len)
}

fn pretty(v: &Json) -> Vec<u8> {
    let mut b = Vec::new();
    serialize(v, Style::Pretty, &mut b).expect("JSON values always serialize");
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

fn outdir_error(dir: &Path, code: &str, message: String, fix: &str) -> SynthError {
    SynthError::single(code, &dir.display().to_string(), message, fix)
}

/// Refuses a non-empty directory that is not a cloud assembly.
fn check_outdir(dir: &Path) -> Result<(), SynthError> {
    if !dir.exists() {
        return Ok(());
    }
    let entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| {
            outdir_error(
                dir,
                codes::WRITE_FAILED,
                format!("cannot read the output directory: {e}"),
                "check its permissions",
            )
        })?
        .filter_map(Result::ok)
        .collect();
    let is_assembly = entries.iter().any(|e| e.file_name() == "manifest.json" || e.file_name() == "cdk.out");
    // The CDK CLI holds a `synth.lock` (or `read.*.lock`) in the directory while it runs the app.
    let foreign = entries.iter().any(|e| !e.file_name().to_string_lossy().ends_with(".lock"));
    if foreign && !is_assembly {
        return Err(outdir_error(
            dir,
            codes::OUTDIR_NOT_ASSEMBLY,
            "the output directory is not empty and is not a cloud assembly".into(),
            "choose another directory (CDK_OUTDIR) or empty it",
        ));
    }
    Ok(())
}

/// A new directory beside `dir` (on the same file system, so that moving out of
/// it is a rename), removed when dropped.
fn staging_dir(dir: &Path) -> Result<tempfile::TempDir, SynthError> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| {
        outdir_error(
            dir,
            codes::WRITE_FAILED,
            format!("cannot create a directory beside the output directory: {e}"),
            "check the permissions of the output directory's parent",
        )
    };
    std::fs::create_dir_all(&parent).map_err(fail)?;
    let name = dir.file_name().map_or_else(|| "cdk.out".into(), |n| n.to_string_lossy().to_string());
    tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").tempdir_in(&parent).map_err(fail)
}

/// Replaces the assembly in `dir` with the one written in `staging`: the whole
/// directory when there is none yet, else file by file (the CDK CLI's lock files
/// stay).
fn move_into(staging: &Path, dir: &Path) -> Result<(), SynthError> {
    let fail = |m: String| outdir_error(dir, codes::WRITE_FAILED, m, "check the output directory's permissions");
    if !dir.exists() {
        return std::fs::rename(staging, dir).map_err(|e| fail(format!("cannot move the assembly into place: {e}")));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the output directory: {e}")))?;
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().to_string();
        if is_assembly_file(&name) {
            let p = e.path();
            let r = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
            r.map_err(|err| fail(format!("cannot remove the stale file '{name}': {err}")))?;
        }
    }
    let written = std::fs::read_dir(staging).map_err(|e| fail(format!("cannot read the written assembly: {e}")))?;
    for e in written.filter_map(Result::ok) {
        std::fs::rename(e.path(), dir.join(e.file_name()))
            .map_err(|err| fail(format!("cannot move '{}' into place: {err}", e.file_name().to_string_lossy())))?;
    }
    Ok(())
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

/// A JSON object from its entries, moved in (`json!` would copy each value).
fn object<const N: usize>(entries: [(&str, Json); N]) -> Json {
    Json::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// An asset manifest entry: a file or directory of the assembly, published to
/// the stack's bootstrap bucket by its publishing role.
fn file_asset(display: &str, path: &str, packaging: &str, object_key: &str, bootstrap: &BootstrapSettings) -> Json {
    json!({
        "displayName": display,
        "source": { "path": path, "packaging": packaging },
        "destinations": {
            "current_account-current_region": {
                "bucketName": bootstrap.file_assets_bucket_name,
                "objectKey": object_key,
                "assumeRoleArn": bootstrap.file_asset_publishing_role_arn,
            }
        }
    })
}

/// Lays out the assembly: for each top-level stack (after those it depends on),
/// its templates, its assets and their manifest, and its manifest entry.
pub(crate) fn build_assembly(
    root: &Node,
    table: &Stacks,
    stack_deps: &[StackDependency],
    stacks: Vec<StackArtifact>,
) -> CloudAssembly {
    let mut files: Vec<(String, Content)> = Vec::new();
    let mut staged_names: HashSet<String> = HashSet::new();
    let mut artifacts = Map::new();
    for ti in top_level_order(table, stack_deps) {
        let top = &stacks[ti.index()];
        let data = &table[ti].stack.data;
        let bootstrap = data.synthesizer.settings();
        let mut assets = Map::new();
        for (si, st) in table.deployed_with(ti) {
            let art = &stacks[si.index()];
            files.push((art.template_file.clone(), Content::Template(si.index())));
            if art.nested {
                assets.insert(
                    art.template_hash.clone(),
                    file_asset(
                        &format!("{} Nested Stack Template", art.construct_path),
                        &art.template_file,
                        "file",
                        &format!("{}.json", art.template_hash),
                        &bootstrap,
                    ),
                );
            }
            for a in &st.assets {
                let d = a.data();
                let staged = d.staged_name();
                if staged_names.insert(staged.clone()) {
                    let content = match d.packaging {
                        Packaging::File => Content::CopyFile(d.source.clone()),
                        Packaging::Zip => Content::CopyDir(d.source.clone()),
                    };
                    files.push((staged.clone(), content));
                }
                let packaging = if d.packaging == Packaging::Zip { "zip" } else { "file" };
                assets.insert(
                    d.hash.clone(),
                    file_asset(a.node().path(), &staged, packaging, &d.object_key(), &bootstrap),
                );
            }
        }
        assets.insert(
            top.template_hash.clone(),
            file_asset(
                &format!("{} Template", top.stack_name),
                &top.template_file,
                "file",
                &format!("{}.json", top.template_hash),
                &bootstrap,
            ),
        );
        let assets_id = format!("{}.assets", top.artifact_id);
        let assets_file = format!("{}.assets.json", top.artifact_id);
        files.push((
            assets_file.clone(),
            Content::Bytes(pretty(&object([
                ("version", MANIFEST_VERSION.into()),
                ("files", Json::Object(assets)),
                ("dockerImages", json!({})),
            ]))),
        ));
        artifacts.insert(
            assets_id.clone(),
            json!({
                "type": "cdk:asset-manifest",
                "properties": {
                    "file": assets_file,
                    "requiresBootstrapStackVersion": bootstrap.requires_bootstrap_stack_version,
                    "bootstrapStackVersionSsmParameter": bootstrap.bootstrap_stack_version_ssm_parameter,
                }
            }),
        );
        let mut props = json!({
            "templateFile": top.template_file,
            "terminationProtection": data.termination_protection.get(),
            "validateOnSynth": false,
            "assumeRoleArn": bootstrap.deploy_role_arn,
            "cloudFormationExecutionRoleArn": bootstrap.cloud_formation_execution_role_arn,
            "stackTemplateAssetObjectUrl": format!("s3://{}/{}.json", bootstrap.file_assets_bucket_name, top.template_hash),
            "requiresBootstrapStackVersion": bootstrap.requires_bootstrap_stack_version,
            "bootstrapStackVersionSsmParameter": bootstrap.bootstrap_stack_version_ssm_parameter,
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
        for d in stack_deps.iter().filter(|d| d.dependent == ti) {
            let id = &stacks[d.dependency.index()].artifact_id;
            if !deps.contains(id) {
                deps.push(id.clone());
            }
        }
        deps.push(assets_id);
        let mut metadata = Map::new();
        for (si, _) in table.deployed_with(ti) {
            for e in table.elements_of(si).filter(|e| e.is_resource()) {
                let entry = object([("type", "aws:cdk:logicalId".into()), ("data", e.logical_id.as_str().into())]);
                metadata.insert(format!("/{}", e.node.path()), Json::Array(vec![entry]));
            }
        }
        artifacts.insert(
            top.artifact_id.clone(),
            object([
                ("type", "aws:cloudformation:stack".into()),
                ("environment", "aws://unknown-account/unknown-region".into()),
                ("properties", props),
                ("dependencies", deps.into()),
                ("metadata", Json::Object(metadata)),
                ("displayName", top.construct_path.as_str().into()),
            ]),
        );
    }
    artifacts.insert("Tree".into(), json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}));
    let manifest = object([("version", MANIFEST_VERSION.into()), ("artifacts", Json::Object(artifacts))]);
    let tree = object([("version", "tree-0.1".into()), ("tree", tree_node(root, table))]);
    files.push(("manifest.json".into(), Content::Manifest));
    files.push(("tree.json".into(), Content::Tree));
    files.push(("cdk.out".into(), Content::Bytes(format!("{{\"version\":\"{MANIFEST_VERSION}\"}}").into_bytes())));
    CloudAssembly { stacks, manifest, tree, files, warnings: Vec::new() }
}

/// Top-level stacks, each after the stacks it depends on (tree order otherwise).
fn top_level_order(table: &Stacks, deps: &[StackDependency]) -> Vec<StackId> {
    fn visit(i: StackId, deps: &[StackDependency], out: &mut Vec<StackId>, visiting: &mut Vec<StackId>) {
        if out.contains(&i) || visiting.contains(&i) {
            return;
        }
        visiting.push(i);
        for d in deps.iter().filter(|d| d.dependent == i) {
            visit(d.dependency, deps, out, visiting);
        }
        out.push(i);
    }
    let mut out = Vec::new();
    let mut visiting = Vec::new();
    for t in table.ids().filter(|s| table.parent(*s).is_none()) {
        visit(t, deps, &mut out, &mut visiting);
    }
    out
}

/// `tree.json`'s node for `root` and everything below it, built without
/// recursion (children first, each finished node handed to its parent).
fn tree_node(root: &Node, s: &Stacks) -> Json {
    struct Frame {
        node: Node,
        children: Vec<Node>,
        next: usize,
        built: Map<String, Json>,
    }
    let frame = |node: Node| {
        let children = node.children();
        // Sized up front: growing maps is most of the cost of a large tree.
        let built = Map::with_capacity(children.len());
        Frame { node, children, next: 0, built }
    };
    let mut stack = vec![frame(root.clone())];
    loop {
        let top = stack.last_mut().expect("the root frame is popped last");
        if let Some(child) = top.children.get(top.next).cloned() {
            top.next += 1;
            stack.push(frame(child));
            continue;
        }
        let done = stack.pop().expect("checked above");
        let id = done.node.id().to_string();
        let json = tree_entry(&done.node, done.built, s);
        match stack.last_mut() {
            Some(parent) => {
                parent.built.insert(id, json);
            }
            None => return json,
        }
    }
}

fn tree_entry(node: &Node, children: Map<String, Json>, s: &Stacks) -> Json {
    let mut o = Map::with_capacity(5);
    o.insert("id".into(), (if node.scope().is_none() { "App" } else { node.id() }).into());
    o.insert("path".into(), node.path().into());
    if !children.is_empty() {
        o.insert("children".into(), Json::Object(children));
    }
    if let Some(r) = crate::resource::CfnResource::from_node(node) {
        o.insert(
            "attributes".into(),
            object([
                ("aws:cdk:cloudformation:type", r.resource_type().into()),
                ("aws:cdk:cloudformation:logicalId", s.logical_id_of(node).into()),
            ]),
        );
    }
    if let Some(fqn) = node.construct_info() {
        o.insert("constructInfo".into(), json!({"fqn": fqn, "version": env!("CARGO_PKG_VERSION")}));
    }
    Json::Object(o)
}

#[cfg(test)]
mod tests {
    use crate::{App, AppProps, CfnResource, NestedStack, Stack};

    /// The files are serialized when written, not at synthesis: they must still be
    /// the CDK's layout, and each template must hash to the hash synthesis gave it.
    #[test]
    fn written_files_match_the_assembly_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::with_props(AppProps { outdir: Some(dir.path().join("out")), ..Default::default() });
        let stack = Stack::new(&app, "S");
        let nested = NestedStack::new(&stack, "N");
        let queue = CfnResource::new(&nested, "Queue", "AWS::SQS::Queue");
        CfnResource::new(&stack, "Topic", "AWS::SNS::Topic").set_property("DisplayName", queue.get_att("QueueName"));
        let out = app.synth().unwrap();
        let read = |name: &str| std::fs::read(dir.path().join("out").join(name)).unwrap();
        for st in &out.stacks {
            let bytes = read(&st.template_file);
            let mut expected = Vec::new();
            let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
            serde::Serialize::serialize(&st.template, &mut serde_json::Serializer::with_formatter(&mut expected, fmt))
                .unwrap();
            assert_eq!(bytes, expected, "{}", st.template_file);
            assert_eq!(crate::names::sha256_hex(&bytes), st.template_hash);
        }
        let mut manifest = serde_json::to_vec_pretty(&out.manifest).unwrap();
        manifest.push(b'\n');
        assert_eq!(read("manifest.json"), manifest);
        assert_eq!(read("tree.json"), serde_json::to_vec(&out.tree).unwrap());
        assert!(String::from_utf8(read("S.assets.json")).unwrap().ends_with("}\n"));
    }
}
