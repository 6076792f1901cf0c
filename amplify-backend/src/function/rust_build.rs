//! Building a Rust crate into the `bootstrap` binary of a `provided.al2023`
//! function, with `cargo lambda`, `cargo zigbuild` or `cargo build --target`.
//! Only a function whose entry is a crate builds, and only when the backend is
//! built; every failure says what to install.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::props::{RustBuild, RustBuilder};

/// Builds the crate in `crate_dir` for `target` and returns the binary's path.
/// Errors are reported under the function's name by the caller.
pub(crate) fn build(crate_dir: &Path, opts: &RustBuild, target: &str) -> Result<PathBuf, String> {
    let fail = |what: String| format!("cannot build the Rust crate {}: {what}", crate_dir.display());
    let builder = match opts.builder {
        RustBuilder::Auto if on_path("cargo-lambda") => RustBuilder::CargoLambda,
        RustBuilder::Auto if on_path("cargo-zigbuild") => RustBuilder::Zigbuild,
        RustBuilder::Auto => RustBuilder::Cargo,
        b => b,
    };
    // Every builder needs the target's standard library (rustup installs it;
    // cargo-lambda installs it by itself). Zig only replaces the linker, and
    // cargo-zigbuild's glibc suffix (`.2.17`) is not part of the target's name.
    if builder != RustBuilder::CargoLambda {
        let rust_target =
            if builder == RustBuilder::Zigbuild { target.split('.').next().unwrap_or(target) } else { target };
        target_installed(crate_dir, rust_target).map_err(fail)?;
    }
    let mut cmd = Command::new(cargo());
    match builder {
        RustBuilder::CargoLambda => cmd.args(["lambda", "build"]),
        RustBuilder::Zigbuild => cmd.arg("zigbuild"),
        _ => cmd.arg("build"),
    };
    cmd.args(["--release", "--target", target, "--message-format=json-render-diagnostics"]);
    cmd.arg("--manifest-path").arg(crate_dir.join("Cargo.toml"));
    if let Some(bin) = &opts.bin {
        cmd.args(["--bin", bin]);
    }
    if !opts.features.is_empty() {
        cmd.args(["--features", &opts.features.join(",")]);
    }
    // From the crate's directory, so its `.cargo/config.toml` and
    // `rust-toolchain.toml` apply as when the user builds it by hand.
    cmd.current_dir(crate_dir);
    let shown = describe(&cmd);
    // A first build compiles every dependency, which takes a while; say why nothing moves.
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| crate_dir.join("target"));
    if !target_dir.join(target).join("release").is_dir() {
        eprintln!("building the Rust crate {} for {target} for the first time ({shown})", crate_dir.display());
    }
    let out = cmd
        .output()
        .map_err(|e| fail(format!("`{shown}` did not start ({e}); install Rust from https://rustup.rs")))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(fail(format!("`{shown}` failed. {}\n{}", diagnose(&stderr, target, builder), tail(&stderr, 15))));
    }
    let bins = executables(&String::from_utf8_lossy(&out.stdout), opts.bin.as_deref());
    match bins.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(fail(format!(
            "`{shown}` built no binary; a function needs a bin target (src/main.rs){}",
            opts.bin.as_ref().map(|b| format!(" named '{b}'")).unwrap_or_default()
        ))),
        many => Err(fail(format!(
            "the crate has {} binaries; choose one with FunctionProps::rust.bin ({})",
            many.len(),
            many.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// `cargo` from PATH (through rustup, so the crate's `rust-toolchain.toml` counts,
/// as for the `rustc` asked about the target), else the Cargo running the backend.
fn cargo() -> OsString {
    if on_path("cargo") {
        return "cargo".into();
    }
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// Whether the target's standard library is installed, asking the rustc that
/// would build the crate.
fn target_installed(crate_dir: &Path, target: &str) -> Result<(), String> {
    let out = Command::new("rustc")
        .args(["--print", "target-libdir", "--target", target])
        .current_dir(crate_dir)
        .output()
        .map_err(|e| format!("rustc did not start ({e}); install Rust from https://rustup.rs"))?;
    if !out.status.success() {
        return Err(format!(
            "rustc does not know the target '{target}': {}",
            String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or_default()
        ));
    }
    let libdir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !libdir.is_dir() && on_path("rustup") {
        // As the esbuild for TypeScript handlers is installed on first use: a
        // fresh machine synthesizes without a manual step.
        eprintln!("installing the Rust target {target} (rustup target add {target}), which Lambda functions build for");
        let added = Command::new("rustup").args(["target", "add", target]).current_dir(crate_dir).output();
        if let Ok(o) = &added {
            if !o.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&o.stderr).trim());
            }
        }
    }
    if !libdir.is_dir() {
        return Err(format!(
            "the Rust target {target} is not installed; run `rustup target add {target}` (cargo-lambda, \
             https://www.cargo-lambda.info, adds it by itself)"
        ));
    }
    Ok(())
}

/// A hint for the usual cross-compiling failures.
fn diagnose(stderr: &str, target: &str, builder: RustBuilder) -> String {
    if let Some(linker) = stderr.split("linker `").nth(1).and_then(|s| s.split('`').next()) {
        if stderr.contains("not found") {
            return format!(
                "The linker `{linker}` for {target} is not installed or not on PATH. Install it (for the musl \
                 targets: musl-tools on Debian/Ubuntu for x86_64, a musl cross toolchain for aarch64), or let Zig \
                 link: `cargo install cargo-zigbuild` plus Zig (https://ziglang.org), or cargo-lambda \
                 (https://www.cargo-lambda.info)."
            );
        }
    }
    if stderr.contains("no such command: `zigbuild`") || stderr.contains("no such command: `lambda`") {
        let tool = if builder == RustBuilder::Zigbuild { "cargo-zigbuild" } else { "cargo-lambda" };
        return format!("{tool} is not installed; run `cargo install {tool}` or use RustBuilder::Cargo.");
    }
    if stderr.contains("can't find crate for `core`") || stderr.contains("can't find crate for `std`") {
        return format!("The Rust target {target} is not installed; run `rustup target add {target}`.");
    }
    if stderr.contains("Could not find specification for target") || stderr.contains("could not find specification") {
        return format!("'{target}' is not a Rust target; leave FunctionProps::rust.target unset for the default.");
    }
    "Cargo's messages follow.".to_string()
}

/// The executables Cargo reports building (JSON messages on stdout).
fn executables(stdout: &str, bin: Option<&str>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let Some(exe) = msg["executable"].as_str() else { continue };
        let is_bin = msg["target"]["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "bin"));
        if is_bin && bin.is_none_or(|b| msg["target"]["name"] == b) {
            out.push(PathBuf::from(exe));
        }
    }
    out
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().to_string();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linker_and_target_failures_get_hints() {
        let linker = "error: linker `aarch64-linux-musl-gcc` not found\n  |\n  = note: No such file or directory";
        assert!(diagnose(linker, "aarch64-unknown-linux-musl", RustBuilder::Cargo).contains("cargo-zigbuild"));
        let core = "error[E0463]: can't find crate for `core`";
        assert!(diagnose(core, "x86_64-unknown-linux-musl", RustBuilder::Cargo)
            .contains("rustup target add x86_64-unknown-linux-musl"));
    }

    #[test]
    fn executables_come_from_cargo_messages() {
        let stdout = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"x"},"executable":null}
{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"hello"},"executable":"/t/release/hello"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(executables(stdout, None), vec![PathBuf::from("/t/release/hello")]);
        assert!(executables(stdout, Some("other")).is_empty());
    }
}
