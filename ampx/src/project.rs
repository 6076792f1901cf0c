//! Finding the backend program in a Cargo project: the one bin target of a
//! package that depends on `amplify-backend`, and the names derived from it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

use crate::errors::{Error, Result};

/// The backend program: a bin target of a package that depends on
/// `amplify-backend` or `constructs` (a plain constructs app), other than ampx.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendBin {
    /// The package name (the sandbox's namespace).
    pub package: String,
    /// The bin target.
    pub bin: String,
    /// The package's `Cargo.toml`.
    pub manifest_path: PathBuf,
}

impl BackendBin {
    /// The package's directory: what sandbox watches.
    pub fn dir(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// Finds the backend bin from `cargo metadata`, run in `cwd`.
pub fn find_backend_bin(cwd: &Path) -> Result<BackendBin> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(cwd)
        .output()
        .map_err(|e| Error::Synth(format!("cannot run `cargo metadata` to find the backend program: {e}")))?;
    if !output.status.success() {
        return Err(Error::Synth(format!(
            "`cargo metadata` failed in {} (is this a Cargo project? otherwise pass --app): {}",
            cwd.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let metadata: Json = serde_json::from_slice(&output.stdout)
        .map_err(|e| Error::Synth(format!("cannot read the output of `cargo metadata`: {e}")))?;
    choose(backend_bins(&metadata), cwd)
}

/// Libraries a backend program is written with.
const BACKEND_LIBRARIES: &[&str] = &["amplify-backend", "constructs"];

/// Every bin target of a workspace package that depends on a backend library,
/// ampx itself excepted (it uses amplify-backend's names, and deploys).
fn backend_bins(metadata: &Json) -> Vec<BackendBin> {
    let mut bins = Vec::new();
    for package in metadata.get("packages").and_then(Json::as_array).into_iter().flatten() {
        let depends = package.get("dependencies").and_then(Json::as_array).into_iter().flatten().any(|d| {
            d.get("name").and_then(Json::as_str).is_some_and(|n| BACKEND_LIBRARIES.contains(&n))
                && is_normal_dependency(d)
        });
        if !depends || package.get("name").and_then(Json::as_str) == Some("ampx") {
            continue;
        }
        let (Some(name), Some(manifest)) =
            (package.get("name").and_then(Json::as_str), package.get("manifest_path").and_then(Json::as_str))
        else {
            continue;
        };
        for target in package.get("targets").and_then(Json::as_array).into_iter().flatten() {
            let is_bin = target
                .get("kind")
                .and_then(Json::as_array)
                .is_some_and(|k| k.iter().any(|k| k.as_str() == Some("bin")));
            if let (true, Some(bin)) = (is_bin, target.get("name").and_then(Json::as_str)) {
                bins.push(BackendBin { package: name.into(), bin: bin.into(), manifest_path: manifest.into() });
            }
        }
    }
    bins
}

fn is_normal_dependency(dep: &Json) -> bool {
    matches!(dep.get("kind"), None | Some(Json::Null)) || dep.get("kind").and_then(Json::as_str) == Some("normal")
}

/// One bin, or the one in the package that contains `cwd`; otherwise an error
/// that lists the choices.
fn choose(bins: Vec<BackendBin>, cwd: &Path) -> Result<BackendBin> {
    match bins.len() {
        0 => {
            return Err(Error::Synth(
                "no bin target in this Cargo workspace depends on amplify-backend or constructs; add one \
                 (src/main.rs calling your backend), or pass --app \"<command>\" or --app <cloud assembly dir>"
                    .into(),
            ))
        }
        1 => return Ok(bins.into_iter().next().expect("one element")),
        _ => {}
    }
    let here: Vec<&BackendBin> = bins.iter().filter(|b| cwd.starts_with(b.dir())).collect();
    if let [only] = here.as_slice() {
        return Ok((*only).clone());
    }
    let choices: Vec<String> =
        bins.iter().map(|b| format!("  --app \"cargo run -q -p {} --bin {}\"", b.package, b.bin)).collect();
    Err(Error::Synth(format!(
        "several bin targets are backend programs; run ampx in one package's directory, or choose with:\n{}",
        choices.join("\n")
    )))
}

/// The sandbox's namespace when there is no backend bin: the directory's name.
pub fn directory_namespace(cwd: &Path) -> String {
    cwd.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "amplify".into())
}

/// The developer's name, for the default sandbox identifier.
pub fn user_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "sandbox".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn package(name: &str, dir: &str, deps: &[&str], bins: &[&str]) -> Json {
        json!({
            "name": name,
            "manifest_path": format!("{dir}/Cargo.toml"),
            "dependencies": deps.iter().map(|d| json!({"name": d, "kind": null})).collect::<Vec<_>>(),
            "targets": bins.iter().map(|b| json!({"name": b, "kind": ["bin"]})).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn picks_the_one_bin_that_depends_on_amplify_backend() {
        let meta = json!({"packages": [
            package("tool", "/w/tool", &["serde"], &["tool"]),
            package("chat", "/w/chat", &["amplify-backend"], &["chat"]),
        ]});
        let bin = choose(backend_bins(&meta), Path::new("/w")).unwrap();
        assert_eq!((bin.package.as_str(), bin.bin.as_str()), ("chat", "chat"));
        assert_eq!(bin.dir(), Path::new("/w/chat"));
    }

    #[test]
    fn constructs_apps_count_and_ampx_does_not() {
        let meta = json!({"packages": [
            package("ampx", "/w/ampx", &["amplify-backend", "aws-config"], &["ampx"]),
            package("chat", "/w/examples/chat", &["amplify-backend", "constructs"], &["chat"]),
            package("hello-constructs", "/w/examples/hello-constructs", &["constructs"], &["hello-constructs"]),
        ]});
        let err = choose(backend_bins(&meta), Path::new("/w")).unwrap_err().to_string();
        assert!(
            err.contains("-p chat --bin chat") && err.contains("-p hello-constructs --bin hello-constructs"),
            "{err}"
        );
        assert!(!err.contains("-p ampx"), "{err}");
    }

    #[test]
    fn several_bins_need_the_directory_or_a_flag() {
        let meta = json!({"packages": [
            package("a", "/w/a", &["amplify-backend"], &["a"]),
            package("b", "/w/b", &["amplify-backend"], &["b"]),
        ]});
        assert_eq!(choose(backend_bins(&meta), Path::new("/w/b/src")).unwrap().package, "b");
        let err = choose(backend_bins(&meta), Path::new("/w")).unwrap_err().to_string();
        assert!(err.contains("cargo run -q -p a --bin a") && err.contains("-p b --bin b"), "{err}");
        assert!(choose(vec![], Path::new("/w")).unwrap_err().to_string().contains("--app"));
    }
}
