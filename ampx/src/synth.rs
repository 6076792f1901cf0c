//! Running the backend program with the CDK app protocol (`CDK_OUTDIR`,
//! `CDK_CONTEXT_JSON`) and reading the cloud assembly it writes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use amplify_backend::BackendIdentifier;
use serde_json::json;

use crate::assembly::Assembly;
use crate::errors::{Error, Result};
use crate::project::{self, BackendBin};

/// Where the cloud assembly comes from.
#[derive(Clone, Debug)]
pub enum AppSource {
    /// A directory that already holds a cloud assembly (`--app cdk.out`).
    Assembly(PathBuf),
    /// A command that writes one (`--app "cargo run -p chat"`), run by the shell.
    Command(String),
    /// The project's backend bin, found from Cargo metadata.
    Cargo(BackendBin),
}

impl AppSource {
    /// `--app` as the CDK reads it: a directory with a `manifest.json` is an
    /// assembly, anything else a command. Without it, the project's backend bin.
    pub fn resolve(app: Option<&str>, cwd: &Path) -> Result<AppSource> {
        match app {
            Some(app) if cwd.join(app).join("manifest.json").is_file() => Ok(AppSource::Assembly(cwd.join(app))),
            Some(app) => Ok(AppSource::Command(app.to_string())),
            None => project::find_backend_bin(cwd).map(AppSource::Cargo),
        }
    }

    /// Whether a program runs (and reads the context); a ready assembly does not.
    pub fn runs_program(&self) -> bool {
        !matches!(self, AppSource::Assembly(_))
    }

    /// What sandbox watches for changes.
    pub fn watch_root(&self, cwd: &Path) -> PathBuf {
        match self {
            AppSource::Cargo(bin) => bin.dir().to_path_buf(),
            AppSource::Assembly(dir) => dir.clone(),
            AppSource::Command(_) => cwd.to_path_buf(),
        }
    }
}

/// The context a backend program reads: the project's own context, as the CDK
/// CLI reads it from `cdk.context.json` and then `cdk.json`'s `context` (where
/// `@aws-cdk/core:bootstrapQualifier` sets a custom bootstrap qualifier), then
/// which deployment it is synthesized for, and when its secrets last changed
/// (when known). ampx's own keys win.
pub fn context_json(project_dir: &Path, id: &BackendIdentifier, secret_last_updated: Option<i64>) -> Result<String> {
    let mut context = project_context(project_dir)?;
    context.insert("amplify-backend-namespace".into(), json!(id.namespace));
    context.insert("amplify-backend-name".into(), json!(id.name));
    context.insert("amplify-backend-type".into(), json!(id.deployment_type.as_str()));
    if let Some(t) = secret_last_updated {
        context.insert(amplify_backend::auth::LAST_UPDATED_CONTEXT.into(), json!(t.to_string()));
    }
    Ok(serde_json::Value::Object(context).to_string())
}

/// `cdk.context.json`, overlaid with `cdk.json`'s `context`; empty when neither exists.
fn project_context(dir: &Path) -> Result<serde_json::Map<String, serde_json::Value>> {
    let mut context = serde_json::Map::new();
    for (file, key) in [("cdk.context.json", None), ("cdk.json", Some("context"))] {
        let path = dir.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io("cannot read", &path)(e)),
        };
        let bad = |why: String| Error::Synth(format!("{} {why}; fix it or remove it", path.display()));
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| bad(format!("is not valid JSON ({e})")))?;
        let value = match key {
            Some(key) => match value.get(key) {
                None => continue,
                Some(v) => v.clone(),
            },
            None => value,
        };
        let serde_json::Value::Object(map) = value else {
            return Err(bad(format!("has a {} that is not a JSON object", key.unwrap_or("context"))));
        };
        context.extend(map);
    }
    Ok(context)
}

/// Runs the program (unless the source is an assembly already) and reads the result.
pub async fn synthesize(
    source: &AppSource,
    out_dir: &Path,
    id: &BackendIdentifier,
    secret_last_updated: Option<i64>,
) -> Result<Assembly> {
    synthesize_with(source, out_dir, || context_json(&project_dir()?, id, secret_last_updated)).await
}

/// [`synthesize`] for `ampx dev`: Rust functions are built for this host
/// (amplify-backend's [`RUST_TARGET_CONTEXT`]), so that the local Lambda can
/// run them.
///
/// [`RUST_TARGET_CONTEXT`]: amplify_backend::function::RUST_TARGET_CONTEXT
pub async fn synthesize_for_host(source: &AppSource, out_dir: &Path, id: &BackendIdentifier) -> Result<Assembly> {
    synthesize_with(source, out_dir, || {
        let mut context: serde_json::Value = serde_json::from_str(&context_json(&project_dir()?, id, None)?)
            .map_err(|e| Error::Synth(format!("the context is not JSON: {e}")))?;
        // Without rustc no Rust function builds, and that build says so.
        if let Some(host) = host_triple() {
            context[amplify_backend::function::RUST_TARGET_CONTEXT] = json!(host);
        }
        Ok(context.to_string())
    })
    .await
}

/// The host's target triple, as `rustc -vV` names it.
pub fn host_triple() -> Option<String> {
    let out = std::process::Command::new("rustc").arg("-vV").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().find_map(|l| l.strip_prefix("host: ")).map(str::to_string)
}

async fn synthesize_with(source: &AppSource, out_dir: &Path, context: impl Fn() -> Result<String>) -> Result<Assembly> {
    let dir = match source {
        AppSource::Assembly(dir) => dir.clone(),
        AppSource::Command(command) => {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(command);
            run(cmd, command, out_dir, &context()?).await?;
            out_dir.to_path_buf()
        }
        AppSource::Cargo(bin) => {
            let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
            cmd.args(["run", "--quiet", "--manifest-path"]).arg(&bin.manifest_path).args(["--bin", &bin.bin]);
            let label = format!("cargo run -q -p {} --bin {}", bin.package, bin.bin);
            run(cmd, &label, out_dir, &context()?).await?;
            out_dir.to_path_buf()
        }
    };
    Assembly::read(&dir)
}

/// Where the CDK CLI would look for `cdk.json`: the current directory.
fn project_dir() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::Synth(format!("cannot read the current directory: {e}")))
}

/// Runs the program in the background (so a watcher keeps receiving events), with
/// its stderr shown as it comes (compile errors, synthesis errors) and its stdout
/// kept for when it fails.
async fn run(mut cmd: Command, label: &str, out_dir: &Path, context: &str) -> Result<()> {
    std::fs::create_dir_all(out_dir).map_err(Error::io("cannot create", out_dir))?;
    let out_dir = std::path::absolute(out_dir).map_err(Error::io("cannot resolve", out_dir))?;
    // An assembly from an earlier run must not pass for this run's.
    let manifest = out_dir.join("manifest.json");
    match std::fs::remove_file(&manifest) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io("cannot remove the earlier", manifest)(e));
        }
        _ => {}
    }
    cmd.env("CDK_OUTDIR", &out_dir).env("CDK_CONTEXT_JSON", context);
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
    let label = label.to_string();
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| Error::Synth(format!("the synthesis task failed: {e}")))?
        .map_err(|e| Error::Synth(format!("cannot start `{label}`: {e}")))?;
    if !output.status.success() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        return Err(Error::Synth(format!(
            "the backend program `{label}` failed ({}); fix the errors above and run again{}",
            output.status,
            if stdout.trim().is_empty() { String::new() } else { format!("\n{}", stdout.trim_end()) }
        )));
    }
    if !out_dir.join("manifest.json").is_file() {
        return Err(Error::Synth(format!(
            "`{label}` exited without writing a cloud assembly to {} (does it call App::synth or \
             define_backend, reading CDK_OUTDIR?)",
            out_dir.display()
        )));
    }
    Ok(())
}

/// Fails when the assembly is an Amplify backend's synthesized for another
/// sandbox or branch than `id` (a ready assembly, `--app DIR`, names its stacks
/// itself). Plain CDK apps' stacks keep the names they chose.
pub fn check_target(assembly: &Assembly, id: &BackendIdentifier) -> Result<()> {
    let expected = id.stack_name();
    let amplify: Vec<&str> =
        assembly.stacks.iter().filter(|s| s.is_amplify_backend()).map(|s| s.stack_name.as_str()).collect();
    if amplify.is_empty() || amplify.contains(&expected.as_str()) {
        return Ok(());
    }
    let what = match id.deployment_type.as_str() {
        "sandbox" => format!("sandbox {}", id.name),
        _ => format!("branch {}", id.name),
    };
    Err(Error::Synth(format!(
        "the assembly in {} is an Amplify backend for the stack {}, not for {what} (stack {expected}); synthesize it \
         for {what} (`ampx synth` with the same --identifier, or --branch and --app-id), or name the deployment it \
         was made for",
        assembly.dir.display(),
        amplify.join(", ")
    )))
}

/// What was synthesized: each stack with its resources, nested stacks counted in.
pub fn summary(assembly: &Assembly) -> String {
    let assets: usize = assembly.stacks.iter().map(|s| s.assets.len()).sum();
    let mut s = format!(
        "Synthesized {} stack{} ({} resources, {assets} file assets) into {}\n",
        assembly.stacks.len(),
        if assembly.stacks.len() == 1 { "" } else { "s" },
        assembly.resource_count(),
        assembly.dir.display()
    );
    for stack in &assembly.stacks {
        let nested = crate::assembly::resources(&stack.template)
            .filter(|(_, r)| crate::assembly::resource_type(r) == "AWS::CloudFormation::Stack")
            .count();
        let _ = writeln!(
            s,
            "  {}  {} resources{}",
            stack.stack_name,
            assembly.resource_count_of(&stack.template),
            if nested > 0 { format!(" ({nested} nested stacks)") } else { String::new() }
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(dir: &Path) -> serde_json::Value {
        let id = BackendIdentifier::sandbox("app", "dev");
        serde_json::from_str(&context_json(dir, &id, None).unwrap()).unwrap()
    }

    #[test]
    fn the_projects_cdk_json_context_reaches_the_program_under_ampxs_own_keys() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(context(dir.path())["amplify-backend-name"], "dev");
        assert!(context(dir.path()).get("@aws-cdk/core:bootstrapQualifier").is_none());

        std::fs::write(dir.path().join("cdk.context.json"), r#"{"a": "from context file", "b": "from context file"}"#)
            .unwrap();
        std::fs::write(
            dir.path().join("cdk.json"),
            r#"{"app": "x", "context": {"@aws-cdk/core:bootstrapQualifier": "team1", "b": "from cdk.json",
                "amplify-backend-name": "not this"}}"#,
        )
        .unwrap();
        let c = context(dir.path());
        assert_eq!(c["@aws-cdk/core:bootstrapQualifier"], "team1");
        assert_eq!(c["a"], "from context file");
        assert_eq!(c["b"], "from cdk.json");
        assert_eq!(c["amplify-backend-name"], "dev");
    }

    #[test]
    fn a_broken_cdk_json_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cdk.json"), r#"{"context": ["#).unwrap();
        let id = BackendIdentifier::sandbox("app", "dev");
        let err = context_json(dir.path(), &id, None).unwrap_err().to_string();
        assert!(err.contains("cdk.json is not valid JSON") && err.contains("fix it or remove it"), "{err}");
        std::fs::write(dir.path().join("cdk.json"), r#"{"context": 3}"#).unwrap();
        let err = context_json(dir.path(), &id, None).unwrap_err().to_string();
        assert!(err.contains("not a JSON object"), "{err}");
    }
}
