//! File and directory assets: content-hashed, staged into the cloud assembly and
//! published to the CDK bootstrap bucket by `cdk deploy` or `ampx`.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::fns;
use crate::names::hex;
use crate::node::{IConstruct, Kind, Node};
use crate::stack::Stack;
use crate::synthesizer::DefaultStackSynthesizer;
use crate::value::Value;

/// How an asset is uploaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packaging {
    /// A file, uploaded as it is.
    File,
    /// A directory, zipped at publish time.
    Zip,
}

pub(crate) struct AssetData {
    pub(crate) source: PathBuf,
    pub(crate) hash: String,
    pub(crate) packaging: Packaging,
    pub(crate) extension: String,
}

impl AssetData {
    /// The file or directory name inside the assembly.
    pub(crate) fn staged_name(&self) -> String {
        format!("asset.{}{}", self.hash, self.extension)
    }

    /// The key in the bootstrap bucket.
    pub(crate) fn object_key(&self) -> String {
        match self.packaging {
            Packaging::File => format!("{}{}", self.hash, self.extension),
            Packaging::Zip => format!("{}.zip", self.hash),
        }
    }
}

/// A local file or directory that a template needs in S3 (Lambda code, say).
///
/// ```
/// use constructs::{App, Asset, Stack};
/// let dir = std::env::temp_dir().join("constructs-doc-asset");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("index.js"), "exports.handler = async () => 1;").unwrap();
/// let app = App::new();
/// let stack = Stack::new(&app, "S");
/// let code = Asset::new(&stack, "Code", &dir);
/// assert_eq!(code.hash().len(), 64);
/// ```
#[derive(Clone)]
pub struct Asset {
    node: Node,
    data: Rc<AssetData>,
}

impl Asset {
    /// Stages `path` (a file or a directory). A missing path is reported by
    /// synthesis with this construct's path.
    pub fn new(scope: &impl IConstruct, id: &str, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let (hash, packaging, extension, error) = match fingerprint(path) {
            Ok((hash, packaging)) => {
                let ext = match packaging {
                    Packaging::File => {
                        path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default()
                    }
                    Packaging::Zip => String::new(),
                };
                (hash, packaging, ext, None)
            }
            Err(e) => ("0".repeat(64), Packaging::File, String::new(), Some(e)),
        };
        let data = Rc::new(AssetData { source: path.to_path_buf(), hash, packaging, extension });
        let node = Node::new_child(scope.node(), id, Kind::Asset(data.clone()));
        if let Some(e) = error {
            node.add_error(
                crate::codes::ASSET_UNREADABLE,
                format!("cannot read asset '{}': {e}", path.display()),
                "check the path (relative paths are from the directory the program runs in)",
            );
        }
        Asset { node, data }
    }

    /// The SHA-256 of the content (for a directory: of its files' paths and bytes).
    pub fn hash(&self) -> &str {
        &self.data.hash
    }

    /// File or zip.
    pub fn packaging(&self) -> Packaging {
        self.data.packaging
    }

    /// The name of the bucket the asset is published to: its stack's
    /// [`file_assets_bucket_name`](crate::BootstrapSettings::file_assets_bucket_name).
    pub fn bucket_name(&self) -> Value {
        let bucket = match Stack::of(self) {
            Some(stack) => stack.bootstrap_settings().file_assets_bucket_name,
            // Outside a stack (reported by synthesis): the default bucket.
            None => DefaultStackSynthesizer::default().settings().file_assets_bucket_name,
        };
        fns::sub(bucket)
    }

    /// The object key in the bucket.
    pub fn object_key(&self) -> Value {
        self.data.object_key().into()
    }

    /// `s3://bucket/key`.
    pub fn s3_object_url(&self) -> Value {
        Value::concat(["s3://".into(), self.bucket_name(), "/".into(), self.object_key()])
    }
}

impl Asset {
    /// The asset a node is, if it is one.
    pub(crate) fn from_node(node: &Node) -> Option<Asset> {
        asset_data(node).map(|data| Asset { node: node.clone(), data })
    }

    pub(crate) fn data(&self) -> &AssetData {
        &self.data
    }
}

impl IConstruct for Asset {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// Hashes a file's bytes, or a directory's relative paths and file bytes in sorted
/// order, so that the hash changes exactly when the content does.
fn fingerprint(path: &Path) -> std::io::Result<(String, Packaging)> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        let bytes = std::fs::read(path)?;
        return Ok((hex(&Sha256::digest(&bytes)), Packaging::File));
    }
    let mut files = Vec::new();
    collect_files(path, path, &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for rel in files {
        let bytes = std::fs::read(path.join(&rel))?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok((hex(&hasher.finalize()), Packaging::Zip))
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let p = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(root, &p, out)?;
        } else {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

pub(crate) fn asset_data(node: &Node) -> Option<Rc<AssetData>> {
    match &node.0.kind {
        Kind::Asset(a) => Some(a.clone()),
        _ => None,
    }
}
