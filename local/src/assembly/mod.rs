//! Reads a synthesized cloud assembly (`manifest.json`, the stack templates,
//! nested stacks and file assets) into a flat, typed list of resources with
//! intrinsics resolved as far as they can be without AWS: references and
//! attributes become local physical ids minted deterministically.
//!
//! ```no_run
//! let assembly = local::assembly::Assembly::load("cdk.out".as_ref(), &Default::default()).unwrap();
//! for (resource_type, count) in assembly.not_emulated() {
//!     eprintln!("not emulated locally: {resource_type} ({count})");
//! }
//! ```

mod intrinsics;
mod manifest;
pub mod resources;
mod stack;
mod template;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

pub use manifest::{Manifest, StackArtifact};
pub use resources::{emulation, realtime_url, Emulation, LocalEnv};

/// Why an assembly could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AssemblyError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not what the assembly format says it should be.
    #[error("{}: {message}", file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A template element could not be resolved.
    #[error("{} (stack {stack}), {element}: {message}", file.display())]
    Template {
        /// The template file.
        file: PathBuf,
        /// The stack path (top-level stack name, then nested stack logical ids).
        stack: String,
        /// The element, such as `Resources.Table.Properties`.
        element: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// One resource of the assembly, with properties resolved.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The top-level stack name, then the logical id of each nested stack
    /// resource on the way, joined by `/`.
    pub stack_path: String,
    /// The (local) name of the stack that declares it.
    pub stack_name: String,
    /// Its logical id in that stack.
    pub logical_id: String,
    /// Its CloudFormation type, such as `AWS::DynamoDB::Table`.
    pub resource_type: String,
    /// Its properties with intrinsics resolved (`AWS::NoValue` keys dropped).
    pub properties: Map<String, Value>,
    /// Its local physical id.
    pub physical_id: String,
    /// What `Ref` to it returns.
    pub reference: String,
    /// Its `Fn::GetAtt` attributes, as far as they are known locally.
    pub attributes: Map<String, Value>,
}

impl Resource {
    /// A string property.
    pub fn str_property(&self, name: &str) -> Option<&str> {
        self.properties.get(name).and_then(Value::as_str)
    }

    /// A string attribute (`ApiId`, `Arn`, `Name`, ...).
    pub fn str_attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).and_then(Value::as_str)
    }
}

/// A top-level stack's resolved outputs.
#[derive(Clone, Debug)]
pub struct StackOutputs {
    /// The stack name.
    pub name: String,
    /// Output name to resolved value.
    pub outputs: Map<String, Value>,
}

/// A read assembly.
#[derive(Debug)]
pub struct Assembly {
    /// The assembly directory.
    pub dir: PathBuf,
    /// Every resource of every stack, nested stacks flattened in place.
    pub resources: Vec<Resource>,
    /// Each top-level stack's outputs.
    pub stacks: Vec<StackOutputs>,
    manifest: Manifest,
}

impl Assembly {
    /// Reads the assembly in `dir` with the local account, region and endpoints
    /// of `env`.
    pub fn load(dir: &Path, env: &LocalEnv) -> Result<Assembly, AssemblyError> {
        // Asset paths are handed to processes that run in other directories
        // (a function runs in its asset's directory), so they must not be
        // relative to this one.
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let dir = absolute.as_path();
        let manifest = Manifest::read(dir)?;
        let loader = stack::Loader { manifest: &manifest, env, exports: Default::default() };
        let mut pending: Vec<&StackArtifact> = manifest.stacks.iter().collect();
        let mut loaded: Vec<(usize, stack::Loaded)> = Vec::new();
        // Stacks that import another's export load after it; retry until no
        // progress, then report the first missing export.
        loop {
            let mut progress = false;
            let mut still = Vec::new();
            let mut last_error = None;
            for artifact in pending {
                let scope = stack::StackScope::new(
                    &loader,
                    artifact.name.clone(),
                    artifact.name.clone(),
                    dir.join(&artifact.template_file),
                    Map::new(),
                )?;
                match scope.load() {
                    Ok(l) => {
                        let index = manifest.stacks.iter().position(|s| s.name == artifact.name).unwrap_or(0);
                        loaded.push((index, l));
                        progress = true;
                    }
                    Err(e) if e.to_string().contains(stack::MISSING_EXPORT) => {
                        last_error = Some(e);
                        still.push(artifact);
                    }
                    Err(e) => return Err(e),
                }
            }
            pending = still;
            if pending.is_empty() {
                break;
            }
            if !progress {
                return Err(last_error.expect("a pending stack has an error"));
            }
        }
        loaded.sort_by_key(|(i, _)| *i);
        let mut resources = Vec::new();
        let mut stacks = Vec::new();
        for (i, l) in loaded {
            resources.extend(l.resources);
            stacks.push(StackOutputs { name: manifest.stacks[i].name.clone(), outputs: l.outputs });
        }
        Ok(Assembly { dir: dir.to_path_buf(), resources, stacks, manifest })
    }

    /// Resources of one type, in assembly order.
    pub fn of_type<'a>(&'a self, resource_type: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.resource_type == resource_type)
    }

    /// Resource types no local service runs, with how many resources have each.
    pub fn not_emulated(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for r in &self.resources {
            if emulation(&r.resource_type) == Emulation::NotEmulated {
                *out.entry(r.resource_type.clone()).or_insert(0) += 1;
            }
        }
        out
    }

    /// The file an `s3://bucket/key` location (such as `CodeS3Location`) or a
    /// template URL points at.
    pub fn asset_path(&self, location: &str) -> Option<&Path> {
        self.manifest.asset_for_url(location)
    }

    /// The text of the file asset at `location`, naming `element` in the error.
    pub fn read_asset(&self, location: &str, element: &str) -> Result<String, AssemblyError> {
        let path = self.asset_path(location).ok_or_else(|| AssemblyError::Invalid {
            file: self.dir.join("manifest.json"),
            message: format!("{element}: {location} names no file asset of the assembly"),
        })?;
        std::fs::read_to_string(path).map_err(|e| AssemblyError::Io { file: path.to_path_buf(), source: e })
    }
}
