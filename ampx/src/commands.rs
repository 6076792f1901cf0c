//! Running a parsed command line: what every command shares (the working
//! directory, AWS options, Ctrl-C), and the small commands.

use std::path::{Path, PathBuf};
use std::time::Instant;

use amplify_backend::BackendIdentifier;

use crate::aws::{ApiCalls, Aws, AwsOptions};
use crate::cli::{
    Cli, Command, DevSubcommand, GenerateCommand, SandboxSubcommand, SecretCommand, SeedCommand, SynthArgs,
};
use crate::errors::{Error, Result};
use crate::interrupt::Interrupt;
use crate::synth::{self, AppSource};
use crate::{dev, outputs, pipeline, project, prompt, sandbox, secrets};

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
            Some(SandboxSubcommand::Seed { command: None, identifier }) => {
                let id = sandbox_identifier(&ctx.cwd, identifier.as_deref())?;
                crate::seed::run(&ctx.cwd, &crate::seed::Target::Sandbox(id))
            }
            Some(SandboxSubcommand::Seed { command: Some(SeedCommand::GeneratePolicy { identifier }), .. }) => {
                let id = sandbox_identifier(&ctx.cwd, identifier.as_deref())?;
                let aws = Aws::connect(&ctx.aws).await?;
                let policy = crate::seed::policy(&aws, &id).await?;
                println!("{}", serde_json::to_string_pretty(&policy).unwrap_or_default());
                Ok(())
            }
        },
        Command::PipelineDeploy(args) => pipeline::run(&ctx, args).await,
        Command::Info => {
            print!("{}", crate::info::report(&ctx.cwd));
            Ok(())
        }
        Command::Dev(args) => match args.command {
            None => dev::run(&ctx, args).await,
            Some(DevSubcommand::Secret(command)) => crate::dev_secret::run(&ctx, command),
            Some(DevSubcommand::Invoke { name, event, schedule }) => {
                let event = match (event, schedule) {
                    (Some(text), _) => crate::dev_invoke::Event::Json(text),
                    (None, true) => crate::dev_invoke::Event::Schedule,
                    (None, false) => crate::dev_invoke::Event::Default,
                };
                crate::dev_invoke::run(&ctx, &name, event).await
            }
            Some(DevSubcommand::Seed) => {
                let state = crate::dev::DevState::read(&ctx.cwd)?;
                if !state.is_running() {
                    return Err(Error::Local(format!(
                        "`ampx dev` is not running in {} (start it first)",
                        ctx.cwd.display()
                    )));
                }
                let (Some((namespace, name)), Some(ca_cert)) = (state.sandbox, state.ca_cert) else {
                    return Err(Error::Local("the running `ampx dev` is older than this ampx; restart it".into()));
                };
                let id = amplify_backend::BackendIdentifier::sandbox(&namespace, &name);
                crate::seed::run(&ctx.cwd, &crate::seed::Target::Dev { id, ca_cert })
            }
        },
        Command::Console(args) => crate::console::run(&ctx, args).await,
        Command::Generate(GenerateCommand::Outputs(args)) => {
            let destination = args.destination();
            let (stack, hint) = match (args.stack, args.branch, args.app_id) {
                (Some(stack), _, _) => {
                    // CloudFormation would only say "validation error"; say which rule.
                    crate::assembly::validate_stack_name(&stack)?;
                    (stack, "check the name and the region (`aws cloudformation list-stacks`)".to_string())
                }
                (None, Some(branch), Some(app_id)) => (
                    branch_identifier(&app_id, &branch)?.stack_name(),
                    format!("deploy it with `ampx pipeline-deploy --branch {branch} --app-id {app_id}`"),
                ),
                _ => {
                    let id = sandbox_identifier(&ctx.cwd, args.identifier.as_deref())?;
                    let flags = identifier_flags(args.identifier.as_deref());
                    let other = if flags.is_empty() { ", or name another sandbox with --identifier NAME" } else { "" };
                    (id.stack_name(), format!("deploy it with `ampx sandbox{flags}`{other}"))
                }
            };
            let aws = Aws::connect(&ctx.aws).await?;
            let path = outputs::generate(&aws, &stack, &destination, &hint).await?;
            println!("Wrote {} from {stack}", path.display());
            Ok(())
        }
        Command::Generate(GenerateCommand::Types(args)) => {
            let assembly = codegen_assembly(&ctx, &args.source).await?;
            let path = crate::codegen::generate_types(&assembly, &args.out_dir)?;
            println!("Wrote {}", path.display());
            Ok(())
        }
        Command::Generate(GenerateCommand::GraphqlClientCode(args)) => {
            let assembly = codegen_assembly(&ctx, &args.source).await?;
            let options = crate::codegen::statements::Options {
                target: args.statement_target,
                max_depth: args.statement_max_depth,
                typename_introspection: args.statement_typename_introspection,
            };
            for path in crate::codegen::generate_graphql_client_code(&assembly, &args.out, &options)? {
                println!("Wrote {}", path.display());
            }
            Ok(())
        }
    }
}

/// The assembly the code generators read: the given directory, or the program's
/// output, synthesized for the user's sandbox.
async fn codegen_assembly(ctx: &Context, args: &crate::cli::AssemblyArgs) -> Result<PathBuf> {
    let source = AppSource::resolve(args.app.as_deref(), &ctx.cwd)?;
    if let AppSource::Assembly(dir) = source {
        return Ok(dir);
    }
    let id = sandbox_identifier(&ctx.cwd, None)?;
    Ok(synth::synthesize(&source, &args.assembly_dir, &id, None).await?.dir)
}

async fn run_synth(ctx: &Context, args: SynthArgs) -> Result<()> {
    let source = AppSource::resolve(args.app.app.as_deref(), &ctx.cwd)?;
    let id = match (args.branch, args.app_id) {
        (Some(branch), Some(app_id)) => branch_identifier(&app_id, &branch)?,
        _ => sandbox_identifier(&ctx.cwd, args.identifier.as_deref())?,
    };
    let started = Instant::now();
    let assembly = synth::synthesize(&source, &args.app.out_dir, &id, None).await?;
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
    let flags = identifier_flags(identifier.as_deref());
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
        SecretCommand::Get { name, .. } => {
            println!("{}", secrets::get(&aws, &id, &name).await.map_err(|e| e.naming(&flags))?)
        }
        SecretCommand::List { .. } => {
            let names = secrets::list(&aws, &id).await?;
            if names.is_empty() {
                eprintln!("No secrets in sandbox {} (set one with `ampx sandbox secret set NAME{flags}`)", id.name);
            }
            for name in names {
                println!("{name}");
            }
        }
        SecretCommand::Remove { name: Some(name), .. } => {
            secrets::remove(&aws, &id, &name).await.map_err(|e| e.naming(&flags))?;
            eprintln!("Removed secret {name} of sandbox {}", id.name);
        }
        SecretCommand::Remove { name: None, .. } => {
            let removed = secrets::remove_all(&aws, &id).await?;
            eprintln!("Removed {} secret(s) of sandbox {}: {}", removed.len(), id.name, removed.join(", "));
        }
    }
    Ok(())
}

/// The flags that name a sandbox in a hint: ` --identifier dev`, or nothing for
/// the default sandbox.
pub fn identifier_flags(identifier: Option<&str>) -> String {
    identifier.map(|i| format!(" --identifier {i}")).unwrap_or_default()
}

/// The sandbox's namespace: the backend bin's package name when the project has
/// one, otherwise the directory's name, so that deploy, delete and secrets agree.
pub fn namespace(cwd: &Path) -> String {
    project::find_backend_bin(cwd).map(|b| b.package).unwrap_or_else(|_| project::directory_namespace(cwd))
}

/// Amplify's limit on `--identifier` (letters, digits and hyphens).
const MAX_IDENTIFIER: usize = 15;

/// The sandbox of this project named `identifier` (default: the user's name).
///
/// A given `--identifier` follows Amplify's rule: 1 to 15 letters, digits and
/// hyphens. The user's name is taken as Amplify takes it: the stack name keeps
/// its first 50 letters and digits, and the secrets' path all of it.
pub fn sandbox_identifier(cwd: &Path, identifier: Option<&str>) -> Result<BackendIdentifier> {
    let name = match identifier {
        Some(given) => {
            check_identifier(given)?;
            given.to_string()
        }
        None => {
            let user = project::user_name();
            // SSM allows these in a path segment; anything else would break secrets.
            let usable = user.chars().any(|c| c.is_ascii_alphanumeric())
                && user.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !usable {
                return Err(Error::InvalidName {
                    what: "sandbox name (your user name)",
                    value: user,
                    reason: "it cannot name a sandbox; pass --identifier NAME (letters, digits and hyphens)".into(),
                });
            }
            user
        }
    };
    Ok(BackendIdentifier::sandbox(&namespace(cwd), &name))
}

fn check_identifier(given: &str) -> Result<()> {
    let invalid = |reason: String| Err(Error::InvalidName { what: "--identifier", value: given.into(), reason });
    if given.chars().count() > MAX_IDENTIFIER {
        return invalid(format!(
            "it is too long ({} characters); Amplify allows at most {MAX_IDENTIFIER} letters, digits and hyphens, \
             so pass a shorter one",
            given.chars().count()
        ));
    }
    if given.is_empty() || !given.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return invalid(format!("use 1 to {MAX_IDENTIFIER} letters, digits and hyphens (like dev or alice-2)"));
    }
    Ok(())
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
    fn identifiers_follow_amplifys_rule() {
        let dir = tempfile::tempdir().unwrap();
        let id = sandbox_identifier(dir.path(), Some("alice-2")).unwrap();
        assert_eq!(id.name, "alice-2");
        assert!(sandbox_identifier(dir.path(), Some(&"x".repeat(15))).is_ok());
        let err = sandbox_identifier(dir.path(), Some(&"x".repeat(16))).unwrap_err().to_string();
        assert!(err.contains("too long (16 characters)") && err.contains("at most 15"), "{err}");
        for bad in ["a/b", "dev_1", "", "dév"] {
            let err = sandbox_identifier(dir.path(), Some(bad)).unwrap_err().to_string();
            assert!(err.contains("--identifier") && err.contains("letters, digits and hyphens"), "{bad}: {err}");
        }
    }

    #[test]
    fn app_ids_and_branches_are_checked() {
        assert!(branch_identifier("d1abc", "feature/login").is_ok());
        assert!(branch_identifier("d1-abc", "main").unwrap_err().to_string().contains("--app-id"));
        assert!(branch_identifier("d1abc", "///").unwrap_err().to_string().contains("--branch"));
    }
}
