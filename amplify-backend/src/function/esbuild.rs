//! Finding esbuild, the npm package Amplify bundles functions with: the
//! project's own copy first, then `NODE_PATH`, then a copy of the pinned version
//! that amplify-backend installs with npm into its cache on first use.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// The esbuild version installed into the cache when the project has none.
/// Keep it equal to `scripts/tools-node/package.json`.
pub(crate) const PINNED_VERSION: &str = "0.28.2";

/// An installed esbuild package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Esbuild {
    /// The package directory (`.../node_modules/esbuild`).
    pub(crate) dir: PathBuf,
    /// Its `version` from `package.json`.
    pub(crate) version: String,
}

/// The esbuild that bundles code under `start`: the first
/// `node_modules/esbuild` in `start` or a directory above it, else one in a
/// `NODE_PATH` directory, else the pinned version in the cache, installed now
/// if missing.
pub(crate) fn find(start: &Path) -> Result<Esbuild, String> {
    let node_path = std::env::var_os("NODE_PATH").unwrap_or_default();
    if let Some(found) = find_installed(start, &node_path) {
        return Ok(found);
    }
    install_pinned(&cache_root().join("esbuild").join(PINNED_VERSION))
}

/// The project's or `NODE_PATH`'s esbuild, if any.
pub(crate) fn find_installed(start: &Path, node_path: &std::ffi::OsStr) -> Option<Esbuild> {
    let project = start.ancestors().map(|dir| dir.join("node_modules"));
    let node_path = std::env::split_paths(node_path).filter(|p| !p.as_os_str().is_empty());
    project.chain(node_path).find_map(|modules| read_package(&modules.join("esbuild")))
}

/// The esbuild package in `dir`, if it is one.
fn read_package(dir: &Path) -> Option<Esbuild> {
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    (json["name"] == "esbuild").then(|| Esbuild {
        dir: dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
        version: json["version"].as_str().unwrap_or("unknown").to_string(),
    })
}

/// The pinned esbuild under `prefix` (`<prefix>/node_modules/esbuild`),
/// installed with npm first if it is not there. npm installs into a directory
/// of its own that is renamed into place, so a concurrent or interrupted
/// install never leaves a half-installed copy behind.
pub(crate) fn install_pinned(prefix: &Path) -> Result<Esbuild, String> {
    if let Some(found) = read_package(&prefix.join("node_modules/esbuild")) {
        return Ok(found);
    }
    let parent = prefix.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| format!("cannot create the cache '{}': {e}", parent.display()))?;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let tmp =
        parent.join(format!(".{PINNED_VERSION}.{}.{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let package = format!("esbuild@{PINNED_VERSION}");
    let output = Command::new(npm())
        .arg("install")
        .arg("--prefix")
        .arg(&tmp)
        // npm's own cache first: a machine that installed it once needs no network.
        .args([package.as_str(), "--prefer-offline", "--no-save", "--no-audit", "--no-fund", "--loglevel=error"])
        .output();
    let cleanup = || {
        let _ = std::fs::remove_dir_all(&tmp);
    };
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            cleanup();
            return Err(if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "bundling needs esbuild, and the project has none: install it (`npm install --save-dev esbuild`), \
                     or install npm (it comes with Node.js, https://nodejs.org) so that amplify-backend can install \
                     {package} into {}",
                    prefix.display()
                )
            } else {
                format!("cannot run npm to install {package}: {e}")
            });
        }
    };
    if !output.status.success() {
        cleanup();
        return Err(format!(
            "`npm install {package}` into {} failed ({}): {}; or install esbuild in the project \
             (`npm install --save-dev esbuild`)",
            prefix.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    if std::fs::rename(&tmp, prefix).is_err() {
        // Another program installed it first; keep its copy.
        cleanup();
    }
    read_package(&prefix.join("node_modules/esbuild"))
        .ok_or_else(|| format!("npm installed {package}, but {} holds no esbuild package", prefix.display()))
}

/// npm's command (`npm.cmd` on Windows, where `npm` is a batch file).
pub(crate) fn npm() -> &'static str {
    if cfg!(windows) {
        "npm.cmd"
    } else {
        "npm"
    }
}

/// amplify-backend's cache: `AMPLIFY_BACKEND_CACHE_DIR`, else the user's cache
/// directory (`$XDG_CACHE_HOME`, `~/.cache`, `%LOCALAPPDATA%`) with
/// `amplify-backend` below it, else the temporary directory.
pub(crate) fn cache_root() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("AMPLIFY_BACKEND_CACHE_DIR") {
        return dir;
    }
    let user_cache = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Caches"))
    } else {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|h| h.join(".cache")))
    };
    user_cache.unwrap_or_else(std::env::temp_dir).join("amplify-backend")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join("amplify-function-tests").join(format!("esbuild-{name}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn fake_package(modules: &Path, version: &str) {
        let dir = modules.join("esbuild");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("package.json"), format!(r#"{{"name":"esbuild","version":"{version}"}}"#)).unwrap();
    }

    #[test]
    fn the_nearest_project_copy_wins_then_node_path() {
        let d = scratch("find");
        let src = d.join("project/amplify/functions/say-hello");
        std::fs::create_dir_all(&src).unwrap();
        let global = d.join("global");
        fake_package(&global, "0.1.0");
        let node_path = std::env::join_paths([d.join("missing"), global.clone()]).unwrap();
        assert_eq!(find_installed(&src, &node_path).unwrap().version, "0.1.0");
        fake_package(&d.join("project/node_modules"), "0.2.0");
        assert_eq!(find_installed(&src, &node_path).unwrap().version, "0.2.0");
        fake_package(&d.join("project/amplify/node_modules"), "0.3.0");
        assert_eq!(find_installed(&src, &node_path).unwrap().version, "0.3.0");
    }

    #[test]
    fn another_package_named_esbuild_is_not_taken() {
        let d = scratch("other");
        let dir = d.join("node_modules/esbuild");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("package.json"), r#"{"name":"esbuild-wasm","version":"9"}"#).unwrap();
        assert_eq!(find_installed(&d, std::ffi::OsStr::new("")), None);
    }

    #[test]
    fn the_pin_is_the_one_the_tests_install() {
        let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/tools-node/package.json");
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(tools).unwrap()).unwrap();
        assert_eq!(json["dependencies"]["esbuild"], PINNED_VERSION);
    }

    #[test]
    fn npm_installs_the_pinned_version_once() {
        let d = scratch("npm");
        let prefix = d.join("esbuild").join(PINNED_VERSION);
        let installed = install_pinned(&prefix).unwrap_or_else(|e| panic!("{e} (npm is needed for this test)"));
        assert_eq!(installed.version, PINNED_VERSION);
        assert!(installed.dir.starts_with(prefix.canonicalize().unwrap()), "{}", installed.dir.display());
        assert!(installed.dir.join("lib/main.js").is_file());
        let leftovers: Vec<_> = std::fs::read_dir(d.join("esbuild")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, [std::ffi::OsString::from(PINNED_VERSION)], "no temporary install is left");
        assert_eq!(install_pinned(&prefix).unwrap(), installed);
    }

    #[test]
    fn an_installed_pinned_copy_is_reused() {
        let d = scratch("pinned");
        fake_package(&d.join("prefix/node_modules"), PINNED_VERSION);
        // No npm runs: the copy is there.
        assert_eq!(install_pinned(&d.join("prefix")).unwrap().version, PINNED_VERSION);
    }
}
