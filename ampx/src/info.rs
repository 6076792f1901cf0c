//! `ampx info`: what a bug report needs, as Amplify's `ampx info` prints it:
//! the system, the tools a build uses, the versions of the project's
//! amplify crates and npm packages, and which AWS settings are in the
//! environment (names and non-secret values only).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// Crates whose versions matter to a report, when the project's lock has them.
const CRATES: [&str; 6] =
    ["amplify-backend", "amplify-function-runtime", "constructs", "cfn-types", "aws-config", "lambda_runtime"];

/// npm packages whose versions matter (TypeScript handlers and frontends).
const NPM_PACKAGES: [&str; 4] = ["esbuild", "typescript", "aws-amplify", "@aws-amplify/backend"];

/// Environment variables shown with their value: none is a credential.
const AWS_SETTINGS: [&str; 6] =
    ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SDK_LOAD_CONFIG"];

/// Credentials: only whether they are set is shown.
const AWS_SECRETS: [&str; 3] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/// The report for the project in `cwd`.
pub fn report(cwd: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "System:");
    let _ = writeln!(out, "  OS: {} {}", std::env::consts::OS, os_release().unwrap_or_default());
    let _ = writeln!(out, "  CPU: ({}) {}", cpus(), std::env::consts::ARCH);
    let _ = writeln!(out, "  Memory: {}", memory().unwrap_or_else(|| "unknown".into()));
    let _ = writeln!(out, "  Shell: {}", std::env::var("SHELL").unwrap_or_else(|_| "unknown".into()));
    let _ = writeln!(out, "Binaries:");
    let _ = writeln!(out, "  ampx: {}", env!("CARGO_PKG_VERSION"));
    for tool in ["rustc", "cargo", "cargo-lambda", "cargo-zigbuild", "node", "npm"] {
        let _ = writeln!(out, "  {tool}: {}", version_of(tool).unwrap_or_else(|| "Not Found".into()));
    }
    let _ = writeln!(out, "Crates (Cargo.lock):");
    let lock = find_up(cwd, "Cargo.lock");
    let packages = lock.as_deref().map(locked_packages).unwrap_or_default();
    for name in CRATES {
        let found: Vec<&str> = packages.iter().filter(|p| p.name == name).map(|p| p.version.as_str()).collect();
        let shown = if found.is_empty() { "Not Found".to_string() } else { found.join(", ") };
        let _ = writeln!(out, "  {name}: {shown}");
    }
    let _ = writeln!(out, "npm packages (node_modules):");
    for name in NPM_PACKAGES {
        let version = npm_version(cwd, name).unwrap_or_else(|| "Not Found".into());
        let _ = writeln!(out, "  {name}: {version}");
    }
    let _ = writeln!(out, "AWS environment variables:");
    for name in AWS_SETTINGS {
        let value = std::env::var(name).unwrap_or_else(|_| "<unset>".into());
        let _ = writeln!(out, "  {name} = {value}");
    }
    for name in AWS_SECRETS {
        let set = std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let _ = writeln!(out, "  {name}: {}", if set { "set" } else { "<unset>" });
    }
    out
}

#[derive(Debug, Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<LockedPackage>,
}

/// A package of a `Cargo.lock`.
#[derive(Debug, Deserialize, PartialEq)]
struct LockedPackage {
    name: String,
    version: String,
}

/// The packages a `Cargo.lock` lists (none when it cannot be read).
fn locked_packages(path: &Path) -> Vec<LockedPackage> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| toml::from_str::<Lock>(&text).ok())
        .map(|lock| lock.package)
        .unwrap_or_default()
}

/// `name` in `dir` or the nearest directory above it that has one.
fn find_up(dir: &Path, name: &str) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(name)).find(|p| p.is_file())
}

/// The version of npm package `name` Node.js would load from `cwd`.
fn npm_version(cwd: &Path, name: &str) -> Option<String> {
    let manifest =
        cwd.ancestors().map(|d| d.join("node_modules").join(name).join("package.json")).find(|p| p.is_file())?;
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(manifest).ok()?).ok()?;
    json["version"].as_str().map(str::to_string)
}

/// The first line `tool --version` prints.
fn version_of(tool: &str) -> Option<String> {
    let (program, args): (&str, &[&str]) = match tool {
        "cargo-lambda" => ("cargo", &["lambda", "--version"]),
        "cargo-zigbuild" => ("cargo", &["zigbuild", "--version"]),
        other => (other, &["--version"]),
    };
    let out = Command::new(program).args(args).output().ok().filter(|o| o.status.success())?;
    String::from_utf8_lossy(&out.stdout).lines().next().map(|l| l.trim().to_string()).filter(|l| !l.is_empty())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The distribution's name (Linux `/etc/os-release`).
fn os_release() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    let line = text.lines().find(|l| l.starts_with("PRETTY_NAME="))?;
    Some(line.trim_start_matches("PRETTY_NAME=").trim_matches('"').to_string())
}

/// Free and total memory (Linux `/proc/meminfo`).
fn memory() -> Option<String> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib = |key: &str| -> Option<u64> {
        let line = text.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let gib = |k: u64| k as f64 / 1024.0 / 1024.0;
    Some(format!("{:.2} GB / {:.2} GB", gib(kib("MemAvailable:")?), gib(kib("MemTotal:")?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_versions_are_read_from_cargo_lock() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("Cargo.lock");
        std::fs::write(
            &lock,
            "version = 4\n\n[[package]]\nname = \"amplify-backend\"\nversion = \"0.3.1\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        )
        .unwrap();
        let packages = locked_packages(&lock);
        assert_eq!(packages[0], LockedPackage { name: "amplify-backend".into(), version: "0.3.1".into() });
        assert_eq!(packages.len(), 2);
        assert!(locked_packages(&dir.path().join("missing.lock")).is_empty());
    }
}
