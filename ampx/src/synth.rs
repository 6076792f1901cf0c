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

/// The context a backend program reads: which deployment it is synthesized for,
/// and when its secrets last changed (when known).
pub fn context_json(id: &BackendIdentifier, secret_last_updated: Option<i64>) -> String {
    let mut context = json!({
        "amplify-backend-namespace": id.namespace,
        "amplify-backend-name": id.name,
        "amplify-backend-type": id.deployment_type.as_str(),
    });
    if let Some(t) = secret_last_updated {
        context[amplify_backend::auth::LAST_UPDATED_CONTEXT] = json!(t.to_string());
    }
    context.to_string()
}

/// Runs the program (unless the source is an assembly already) and reads the result.
pub async fn synthesize(
    source: &AppSource,
    out_dir: &Path,
    id: &BackendIdentifier,
    secret_last_updated: Option<i64>,
) -> Result<Assembly> {
    let dir = match source {
        AppSource::Assembly(dir) => dir.clone(),
        AppSource::Command(command) => {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(command);
            run(cmd, command, out_dir, &context_json(id, secret_last_updated)).await?;
            out_dir.to_path_buf()
        }
        AppSource::Cargo(bin) => {
            let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
            cmd.args(["run", "--quiet", "--manifest-path"]).arg(&bin.manifest_path).args(["--bin", &bin.bin]);
            let label = format!("cargo run -q -p {} --bin {}", bin.package, bin.bin);
            run(cmd, &label, out_dir, &context_json(id, secret_last_updated)).await?;
            out_dir.to_path_buf()
        }
    };
    Assembly::read(&dir)
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
