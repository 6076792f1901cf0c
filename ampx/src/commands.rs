//! Running a parsed command line: what every command shares (the working
//! directory, AWS options, Ctrl-C), and the small commands.

use std::path::{Path, PathBuf};
use std::time::Instant;

use amplify_backend::BackendIdentifier;

use crate::aws::{ApiCalls, Aws, AwsOptions};
use crate::cli::{Cli, Command, GenerateCommand, SandboxSubcommand, SecretCommand, SynthArgs};
use crate::errors::{Error, Result};
use crate::interrupt::Interrupt;
use crate::synth::{self, AppSource};
use crate::{outputs, pipeline, project, prompt, sandbox, secrets};

/// What every command runs with.
#[derive(Clone, Debug)]
pub struct Context {
    /// The working directory.
    pub cwd: PathBuf,
    /// How to reach AWS.
    pub aws: AwsOptions,
    /// Print timings and API calls.
    pub verbose: bool,
    /// Ctrl-C presses.
    pub interrupt: Interrupt,
}

impl Context {
    /// Prints how long `started` ago was, and the API calls since `before`.
    pub fn report(&self, what: &str, started: Instant, aws: &Aws, before: &std::collections::BTreeMap<String, u32>) {
        if self.verbose {
            eprintln!(
                "{what} in {:.2}s, {}",
                started.elapsed().as_secs_f64(),
                ApiCalls::describe(&aws.calls.since(before))
            );
        }
    }
}

/// Runs the command.
pub async fn run(cli: Cli) -> Result<()> {
    let ctx = Context {
        cwd: std::env::current_dir().map_err(Error::io("cannot read the current directory", "."))?,
        aws: AwsOptions { profile: cli.global.profile, endpoint_url: cli.global.endpoint_url },
        verbose: cli.global.verbose,
        interrupt: Interrupt::install(),
    };
    match cli.command {
        Command::Synth(args) => run_synth(&ctx, args).await,
        Command::Sandbox(s) => match s.command {
            None => sandbox::run(&ctx, s.args).await,
            Some(SandboxSubcommand::Delete { identifier, yes }) => {
                sandbox::delete(&ctx, &sandbox_identifier(&ctx.cwd, identifier.as_deref())?, yes).await
            }
            Some(SandboxSubcommand::Secret(command)) => run_secret(&ctx, command).await,
        },
        Command::PipelineDeploy(args) => pipeline::run(&ctx, args).await,
        Command::Generate(GenerateCommand::Outputs(args)) => {
            let stack = match (args.stack, args.branch, args.app_id) {
                (Some(stack), _, _) => stack,
                (None, Some(branch), Some(app_id)) => branch_identifier(&app_id, &branch)?.stack_name(),
                _ => sandbox_identifier(&ctx.cwd, None)?.stack_name(),
            };
            let aws = Aws::connect(&ctx.aws).await?;
            let path = outputs::generate(&aws, &stack, &args.out_dir, args.format).await?;
            println!("Wrote {} from {stack}", path.display());
            Ok(())
        }
    }
}

async fn run_synth(ctx: &Context, args: SynthArgs) -> Result<()> {
    let source = AppSource::resolve(args.app.app.as_deref(), &ctx.cwd)?;
    let id = match (args.branch, args.app_id) {
        (Some(branch), Some(app_id)) => branch_identifier(&app_id, &branch)?,
        _ => sandbox_identifier(&ctx.cwd, args.identifier.as_deref())?,
    };
    let started = Instant::now();
    let assembly = synth::synthesize(&source, &args.app.out_dir, &id).await?;
    print!("{}", synth::summary(&assembly));
    if ctx.verbose {
        eprintln!("synthesized in {:.2}s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

async fn run_secret(ctx: &Context, command: SecretCommand) -> Result<()> {
    let identifier = match &command {
        SecretCommand::Set { identifier, .. }
        | SecretCommand::Get { identifier, .. }
        | SecretCommand::List { identifier }
        | SecretCommand::Remove { identifier, .. } => identifier.clone(),
    };
    let id = sandbox_identifier(&ctx.cwd, identifier.as_deref())?;
    if let SecretCommand::Set { name, .. } = &command {
        // Check the name before asking for a value that would be thrown away.
        secrets::validate_name(name)?;
    }
    let aws = Aws::connect(&ctx.aws).await?;
    match command {
        SecretCommand::Set { name, .. } => {
            let value = prompt::read_secret(&format!("Value of {name}"))?;
            secrets::set(&aws, &id, &name, &value).await?;
            eprintln!("Set secret {name} of sandbox {}", id.name);
        }
        SecretCommand::Get { name, .. } => println!("{}", secrets::get(&aws, &id, &name).await?),
        SecretCommand::List { .. } => {
            let names = secrets::list(&aws, &id).await?;
            if names.is_empty() {
                eprintln!("No secrets in sandbox {} (set one with `ampx sandbox secret set NAME`)", id.name);
            }
            for name in names {
                println!("{name}");
            }
        }
        SecretCommand::Remove { name, .. } => {
            secrets::remove(&aws, &id, &name).await?;
            eprintln!("Removed secret {name} of sandbox {}", id.name);
        }
    }
    Ok(())
}

/// The sandbox's namespace: the backend bin's package name when the project has
/// one, otherwise the directory's name, so that deploy, delete and secrets agree.
pub fn namespace(cwd: &Path) -> String {
    project::find_backend_bin(cwd).map(|b| b.package).unwrap_or_else(|_| project::directory_namespace(cwd))
}

/// Most letters and digits of a sandbox name that the stack name keeps.
const MAX_SANDBOX_NAME: usize = 50;

/// The sandbox of this project named `identifier` (default: the user's name).
pub fn sandbox_identifier(cwd: &Path, identifier: Option<&str>) -> Result<BackendIdentifier> {
    let name = identifier.map(str::to_string).unwrap_or_else(project::user_name);
    let kept = name.chars().filter(char::is_ascii_alphanumeric).count();
    let invalid = |reason: String| Err(Error::InvalidName { what: "sandbox identifier", value: name.clone(), reason });
    if kept == 0 {
        return invalid("it needs letters or digits; pass --identifier NAME".into());
    }
    if kept > MAX_SANDBOX_NAME {
        return invalid(format!(
            "it is too long: the stack name keeps at most {MAX_SANDBOX_NAME} letters and digits of it; pass a shorter --identifier"
        ));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return invalid("use letters, digits, '-' and '_' only".into());
    }
    Ok(BackendIdentifier::sandbox(&namespace(cwd), &name))
}

/// A branch deployment of an Amplify app.
pub fn branch_identifier(app_id: &str, branch: &str) -> Result<BackendIdentifier> {
    if app_id.is_empty() || !app_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::InvalidName {
            what: "--app-id",
            value: app_id.into(),
            reason: "an Amplify app id has letters and digits only (like d1abcdefghij); see `aws amplify list-apps`"
                .into(),
        });
    }
    if !branch.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::InvalidName {
            what: "--branch",
            value: branch.into(),
            reason: "a branch name needs letters or digits".into(),
        });
    }
    Ok(BackendIdentifier::branch(app_id, branch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let id = sandbox_identifier(dir.path(), Some("dev")).unwrap();
        assert_eq!(id.name, "dev");
        let long = "x".repeat(51);
        let err = sandbox_identifier(dir.path(), Some(&long)).unwrap_err().to_string();
        assert!(err.contains("too long"), "{err}");
        assert!(sandbox_identifier(dir.path(), Some("a/b")).is_err());
        assert!(branch_identifier("d1abc", "feature/login").is_ok());
        assert!(branch_identifier("d1-abc", "main").unwrap_err().to_string().contains("--app-id"));
    }
}
