//! Bundling a JavaScript or TypeScript entry as Amplify does: esbuild from npm,
//! run by Node.js, with Amplify's options (bundle, platform `node`, ESM, the
//! target of the runtime, minified, source map, `.node` addons as files, npm
//! packages from the project's `node_modules`, the AWS SDK included).
//!
//! Bundles are cached in amplify-backend's cache by what went into them: the
//! key is esbuild's version and the options, and a bundle is reused only while
//! every file esbuild read (and the project's `package.json`, `tsconfig.json`
//! and lock files) has the content it had.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::esbuild::{self, Esbuild};
use super::props::Runtime;
use super::staging::StagedFile;

/// The program Node.js runs to drive esbuild.
const DRIVER: &str = include_str!("bundle_driver.mjs");

/// Lets CommonJS packages bundled into an ES module load Node.js built-ins
/// (`require("fs")`) and read `__filename`/`__dirname`, as Amplify's shim does.
/// Set on `globalThis`, so no name of the bundle can clash with them.
const ESM_BANNER: &str = "import { createRequire as __amplifyCreateRequire } from 'node:module';\
import { fileURLToPath as __amplifyFileURLToPath } from 'node:url';\
import { dirname as __amplifyDirname } from 'node:path';\
globalThis.require ??= __amplifyCreateRequire(import.meta.url);\
globalThis.__filename ??= __amplifyFileURLToPath(import.meta.url);\
globalThis.__dirname ??= __amplifyDirname(globalThis.__filename);";

/// Project files that change a bundle without being among esbuild's inputs.
const PROJECT_FILES: [&str; 6] =
    ["package.json", "tsconfig.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock"];

/// How to bundle an entry.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// The runtime: its Node.js version is esbuild's target.
    pub(crate) runtime: Runtime,
    /// Minify the code (Amplify's default).
    pub(crate) minify: bool,
    /// The function's name: `$amplify/env/<name>` resolves to its environment
    /// module (see [`super::typed_env`]).
    pub(crate) function: String,
}

/// A bundled entry.
#[derive(Debug)]
pub(crate) struct Bundle {
    /// The module Lambda loads (`index.mjs`, or `index.cjs` for a CommonJS entry).
    pub(crate) main: String,
    /// The files: the module, its source map and any `.node` addons.
    pub(crate) files: Vec<StagedFile>,
    /// What the module exports.
    pub(crate) exports: Vec<String>,
}

/// What the driver reports.
#[derive(Debug, Deserialize)]
struct Report {
    ok: bool,
    inputs: Vec<String>,
    outputs: Vec<String>,
    exports: Vec<String>,
    errors: Vec<Message>,
}

/// An esbuild error.
#[derive(Debug, Deserialize)]
struct Message {
    text: String,
    file: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
}

/// A cached bundle's record: the files it was made from, with their content
/// hashes (`None`: the file did not exist), and what it holds.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    inputs: Vec<(PathBuf, Option<String>)>,
    outputs: Vec<String>,
    exports: Vec<String>,
}

/// Bundles `entry` (an absolute path), from the cache when nothing it was made
/// from has changed.
pub(crate) fn bundle(entry: &Path, options: &Options) -> Result<Bundle, String> {
    let entry_dir = entry.parent().unwrap_or(Path::new("."));
    super::packages::ensure_installed(&project_root(entry))?;
    let esbuild = esbuild::find(entry_dir)?;
    bundle_with(entry, options, &esbuild, "node", &esbuild::cache_root().join("bundles"))
}

/// [`bundle`] with the esbuild, the Node.js command and the cache given.
pub(crate) fn bundle_with(
    entry: &Path,
    options: &Options,
    esbuild: &Esbuild,
    node: &str,
    cache: &Path,
) -> Result<Bundle, String> {
    let root = project_root(entry);
    let commonjs = entry.extension().is_some_and(|e| e == "cjs" || e == "cts");
    let main = if commonjs { "index.cjs" } else { "index.mjs" };
    let mut build = json!({
        "absWorkingDir": root,
        "entryPoints": [entry],
        // A path in the project, so that the source map names sources by their
        // place in the project wherever the cache is; nothing is written there.
        "outfile": root.join(main),
        "bundle": true,
        "platform": "node",
        "format": if commonjs { "cjs" } else { "esm" },
        "target": target(options.runtime),
        "minify": options.minify,
        "sourcemap": true,
        "loader": {".node": "file"},
    });
    if !commonjs {
        build["banner"] = json!({ "js": ESM_BANNER });
    }
    let amplify_env = json!({
        "prefix": super::typed_env::IMPORT_PREFIX,
        "name": options.function,
        "contents": super::typed_env::RUNTIME_CONTENT,
    });
    let key = {
        let mut h = Sha256::new();
        let env = amplify_env.to_string();
        for part in [DRIVER, &esbuild.dir.to_string_lossy(), &esbuild.version, &build.to_string(), &env] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        constructs::names::hex(&h.finalize())
    };
    let dir = cache.join(&key);
    if let Some(manifest) = cached(&dir) {
        return read_bundle(&dir, main, manifest);
    }

    std::fs::create_dir_all(cache).map_err(|e| format!("cannot create the cache '{}': {e}", cache.display()))?;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let tmp = cache.join(format!(".{key}.{}.{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let result = run_driver(node, esbuild, &build, &amplify_env, &tmp.join("out")).and_then(|report| {
        if !report.ok {
            return Err(describe_errors(entry, &report.errors));
        }
        let mut inputs: Vec<PathBuf> = report.inputs.iter().map(|i| root.join(i)).filter(|p| p.is_file()).collect();
        inputs.extend(PROJECT_FILES.iter().map(|f| root.join(f)));
        let manifest = Manifest {
            inputs: inputs.into_iter().map(|p| (p.clone(), file_hash(&p))).collect(),
            outputs: report.outputs,
            exports: report.exports,
        };
        let text = serde_json::to_string(&manifest).map_err(|e| e.to_string())?;
        std::fs::write(tmp.join("manifest.json"), text).map_err(|e| format!("cannot write the bundle cache: {e}"))?;
        Ok(manifest)
    });
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    // Replace a stale copy; when another program just stored the same bundle,
    // keep its copy.
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::rename(&tmp, &dir).is_err() {
        let bundle = read_bundle(&tmp, main, manifest);
        let _ = std::fs::remove_dir_all(&tmp);
        return bundle;
    }
    read_bundle(&dir, main, manifest)
}

/// esbuild's target for a runtime (`nodejs22.x` runs `node22`), as the CDK's
/// `NodejsFunction` derives it.
fn target(runtime: Runtime) -> String {
    let name = runtime.as_str();
    let version: String = name.trim_start_matches("nodejs").chars().take_while(char::is_ascii_digit).collect();
    format!("node{version}")
}

/// The directory of the nearest `package.json` above `entry`, else the entry's
/// directory: where esbuild works and the source map's paths start.
fn project_root(entry: &Path) -> PathBuf {
    let dir = entry.parent().unwrap_or(Path::new("."));
    dir.ancestors().find(|d| d.join("package.json").is_file()).unwrap_or(dir).to_path_buf()
}

/// The manifest in `dir` if every input still has the recorded content.
fn cached(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    manifest.inputs.iter().all(|(path, hash)| file_hash(path) == *hash).then_some(manifest)
}

fn file_hash(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(constructs::names::hex(&Sha256::digest(&bytes)))
}

fn read_bundle(dir: &Path, main: &str, manifest: Manifest) -> Result<Bundle, String> {
    let files = manifest
        .outputs
        .iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join("out").join(name))
                .map_err(|e| format!("cannot read the bundled '{name}' in {}: {e}", dir.display()))?;
            Ok(StagedFile { name: name.clone(), bytes, executable: false })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Bundle { main: main.to_string(), files, exports: manifest.exports })
}

/// Runs the driver with Node.js: it writes the bundle into `out_dir`.
fn run_driver(
    node: &str,
    esbuild: &Esbuild,
    build: &serde_json::Value,
    amplify_env: &serde_json::Value,
    out_dir: &Path,
) -> Result<Report, String> {
    let request = json!({ "esbuild": esbuild.dir, "options": build, "amplifyEnv": amplify_env, "outDir": out_dir });
    let mut child = Command::new(node)
        .args(["--input-type=module", "--eval", DRIVER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "bundling JavaScript and TypeScript needs Node.js, and `{node}` is not on PATH: install Node.js \
                     18 or later (https://nodejs.org), or give entry a directory, which is deployed as it is"
                )
            } else {
                format!("cannot run `{node}`: {e}")
            }
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(request.to_string().as_bytes()).map_err(|e| format!("cannot talk to `{node}`: {e}"))?;
    }
    let output = child.wait_with_output().map_err(|e| format!("`{node}` failed: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match serde_json::from_str::<Report>(&stdout) {
        Ok(report) if output.status.success() => Ok(report),
        _ => Err(format!(
            "esbuild {} ({}) did not run under `{node}` ({}): {}",
            esbuild.version,
            esbuild.dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// esbuild's errors as `file:line:column: text`, the file as esbuild names it
/// (relative to the project root).
fn describe_errors(entry: &Path, errors: &[Message]) -> String {
    let described: Vec<String> = errors
        .iter()
        .map(|m| match (&m.file, m.line) {
            (Some(file), Some(line)) => format!("{file}:{line}:{}: {}", m.column.unwrap_or(0), m.text),
            _ => m.text.clone(),
        })
        .collect();
    format!("esbuild cannot bundle '{}': {}", entry.display(), described.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_the_runtime_node_version() {
        assert_eq!(target(Runtime::Node18), "node18");
        assert_eq!(target(Runtime::Node20), "node20");
        assert_eq!(target(Runtime::Node24), "node24");
    }

    #[test]
    fn a_missing_node_is_named_with_the_fix() {
        let d = std::env::temp_dir().join("amplify-function-tests").join("bundle-no-node");
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("handler.ts"), "export const handler = async () => 1;").unwrap();
        let esbuild = Esbuild { dir: d.join("node_modules/esbuild"), version: "0.0.0".into() };
        let options = Options { runtime: Runtime::Node22, minify: true, function: "f".into() };
        let err = bundle_with(&d.join("handler.ts"), &options, &esbuild, "no-such-node-binary", &d.join("cache"))
            .unwrap_err();
        assert!(err.contains("needs Node.js") && err.contains("`no-such-node-binary` is not on PATH"), "{err}");
        assert!(!d.join("cache").read_dir().unwrap().any(|e| e.is_ok()), "a failed bundle leaves nothing in the cache");
    }

    #[test]
    fn a_cached_bundle_lasts_while_its_inputs_keep_their_content() {
        let d = std::env::temp_dir().join("amplify-function-tests").join("bundle-cached");
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        let (input, tsconfig) = (d.join("handler.ts"), d.join("tsconfig.json"));
        std::fs::write(&input, "export const handler = 1;").unwrap();
        let manifest = Manifest {
            inputs: vec![(input.clone(), file_hash(&input)), (tsconfig.clone(), None)],
            outputs: vec![],
            exports: vec!["handler".into()],
        };
        std::fs::write(d.join("manifest.json"), serde_json::to_string(&manifest).unwrap()).unwrap();
        assert!(cached(&d).is_some());
        std::fs::write(&tsconfig, "{}").unwrap();
        assert!(cached(&d).is_none(), "a project file that appeared");
        std::fs::remove_file(&tsconfig).unwrap();
        assert!(cached(&d).is_some());
        std::fs::write(&input, "export const handler = 2;").unwrap();
        assert!(cached(&d).is_none(), "an input that changed");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let errors = [
            Message { text: "Expected \";\"".into(), file: Some("src/h.ts".into()), line: Some(3), column: Some(7) },
            Message { text: "no location".into(), file: None, line: None, column: None },
        ];
        let s = describe_errors(Path::new("/p/src/h.ts"), &errors);
        assert_eq!(s, "esbuild cannot bundle '/p/src/h.ts': src/h.ts:3:7: Expected \";\"; no location");
    }
}
