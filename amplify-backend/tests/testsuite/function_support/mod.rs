//! Shared by the function tests: an app with Amplify's context, fixtures, scratch
//! directories and template lookups.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};
use amplify_backend::{Backend, IntoDefinitions};
use constructs::{App, CloudAssembly, IConstruct};
use serde_json::Value as Json;

pub const ROOT: &str = "amplify-chatapp-dev-sandbox-de98f094bc";

/// An app deployed as the reference's sandbox (`chatapp`/`dev`).
pub fn app() -> App {
    crate::data_support::sandbox_app()
}

pub fn backend<D: IntoDefinitions>(definitions: D) -> Backend<D::Built> {
    Backend::build(app(), definitions)
}

/// A fixture under tests/fixtures/functions.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/functions").join(name)
}

/// The reference's `say-hello`: `handler.ts`, bundled with esbuild.
pub fn say_hello() -> FunctionDefinition {
    define_function(FunctionProps {
        name: "say-hello".into(),
        entry: "tests/fixtures/functions/say-hello/handler.ts".into(),
        ..Default::default()
    })
}

/// A fresh, empty directory of its own (named after the test, so that each run
/// replaces the last one's instead of piling up).
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join("amplify-function-tests").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

pub fn synth<P>(backend: &Backend<P>) -> CloudAssembly {
    backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"))
}

/// The template of a category stack (`function`, `data`, ...).
pub fn nested<'a, P>(assembly: &'a CloudAssembly, backend: &Backend<P>, stack: &str) -> &'a Json {
    let path = format!("{}/{stack}", backend.root_stack().node().path());
    &assembly.stack(&path).unwrap_or_else(|| panic!("no stack {path}")).template
}

pub fn root(assembly: &CloudAssembly) -> &Json {
    assembly.template(ROOT).unwrap()
}

/// The resources of a type in a template, by logical ID.
pub fn of_type<'a>(template: &'a Json, ty: &str) -> Vec<(&'a String, &'a Json)> {
    template["Resources"].as_object().unwrap().iter().filter(|(_, r)| r["Type"] == ty).collect()
}

/// The one resource of a type.
pub fn one<'a>(template: &'a Json, ty: &str) -> (&'a String, &'a Json) {
    let all = of_type(template, ty);
    assert_eq!(all.len(), 1, "expected one {ty}, found {}", all.len());
    all[0]
}

/// The SHA-256 of a directory as content-hashed assets define it: each file's
/// relative path, a NUL, its length (u64 LE) and its bytes, in path order.
pub fn dir_hash(dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    let mut h = Sha256::new();
    for rel in files {
        let bytes = std::fs::read(dir.join(&rel)).unwrap();
        h.update(rel.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The host's Rust target (`x86_64-unknown-linux-gnu`).
pub fn host_target() -> String {
    let out = std::process::Command::new("rustc").arg("-vV").output().expect("rustc runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("rustc -vV names the host")
}

/// The pinned Node modules of `scripts/install-tools` (esbuild, graphql,
/// debug, ...), or a failure that says how to install them.
pub fn tools_node_modules() -> PathBuf {
    let dir = std::env::var_os("TOOLS_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/node/node_modules"));
    assert!(
        dir.join("esbuild/package.json").is_file(),
        "esbuild is missing from {}: run scripts/install-tools (or set TOOLS_NODE_MODULES)",
        dir.display()
    );
    dir
}

/// A copy of the `ts-project` fixture in a scratch directory, its
/// `node_modules` the pinned tools (as `npm install` would leave a project).
pub fn ts_project(name: &str) -> PathBuf {
    let modules = tools_node_modules();
    let dir = scratch(name);
    copy_dir(&fixture("ts-project"), &dir);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&modules, dir.join("node_modules")).unwrap();
    #[cfg(windows)]
    std::os::windows::fs::symlink_dir(&modules, dir.join("node_modules")).unwrap();
    dir
}

/// Synthesizes `backend` into `out` (replaced) and returns the directory of
/// function `name`'s code asset.
pub fn synth_code_dir<P>(backend: &Backend<P>, out: &Path, name: &str) -> (CloudAssembly, PathBuf) {
    let _ = std::fs::remove_dir_all(out);
    backend.app().set_outdir(out);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let asset = backend.functions().get(name).expect("the function").resources().code.expect("a code asset");
    (assembly, out.join(format!("asset.{}", asset.hash())))
}
