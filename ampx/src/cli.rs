//! The command line: commands, flags and their help.

use std::path::PathBuf;

use amplify_backend::outputs::FormatVersion;
use clap::{Args, Parser, Subcommand};

use crate::codegen::statements::StatementTarget;
use crate::deploy::Method;
use crate::outputs::{Destination, Format};

/// Amplify Gen 2 for Rust backends: synthesize, deploy and manage them with
/// CloudFormation.
#[derive(Debug, Parser)]
#[command(name = "ampx", version, propagate_version = true)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options for every command.
#[derive(Debug, Args)]
pub struct Global {
    /// AWS profile to use (default: AWS_PROFILE, or `default`).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Endpoint for every AWS service, e.g. a local emulator (default: AWS_ENDPOINT_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Also print timings and the API calls made.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the backend program and write its cloud assembly.
    Synth(SynthArgs),
    /// Deploy a personal cloud sandbox, and redeploy it when the backend changes.
    Sandbox(SandboxCommand),
    /// Deploy a branch of an Amplify app (for CI).
    PipelineDeploy(PipelineArgs),
    /// Generate files from a deployed backend.
    #[command(subcommand)]
    Generate(GenerateCommand),
    /// Run the backend locally (data API, realtime, user pools) with no AWS account,
    /// reloading it when the backend changes.
    Dev(DevArgs),
    /// Print the system, tool and package versions a bug report needs.
    Info,
    /// Serve the web console (data, users, files, functions) for a deployed
    /// sandbox on 127.0.0.1, working with your AWS credentials.
    Console(crate::console::ConsoleArgs),
}

/// `ampx dev [secret ... | invoke NAME]`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DevArgs {
    /// Managing the local secrets, or running a function.
    #[command(subcommand)]
    pub command: Option<DevSubcommand>,
    /// The program and the output directory.
    #[command(flatten)]
    pub app: AppArgs,
    /// Synthesize as this sandbox (default: your user name).
    #[arg(long)]
    pub identifier: Option<String>,
    /// The HTTPS port to serve on (0 picks a free one).
    #[arg(long, default_value_t = 4443)]
    pub port: u16,
    /// Where to write amplify_outputs.json (and the data types).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub outputs_out_dir: PathBuf,
    /// Start with empty tables and no users (deletes .amplify/local's stores).
    #[arg(long)]
    pub reset: bool,
    /// The web console's port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub console_port: u16,
    /// Do not serve the web console.
    #[arg(long)]
    pub no_console: bool,
}

/// The subcommands of `ampx dev`.
#[derive(Debug, Subcommand)]
pub enum DevSubcommand {
    /// Manage the secrets functions read under `ampx dev` (kept in
    /// .amplify/local, never sent anywhere), as `ampx sandbox secret` does in AWS.
    #[command(subcommand)]
    Secret(SecretCommand),
    /// Run a function of the running `ampx dev` once, as a schedule or another
    /// caller would, and print its answer.
    Invoke {
        /// The function's name (`say-hello`).
        name: String,
        /// The event (JSON). Default: EventBridge's scheduled event when the
        /// function has a schedule, else `{}`.
        #[arg(long)]
        event: Option<String>,
        /// Run it as its schedule does (EventBridge's scheduled event, or the
        /// rule's input); fails if the function has no schedule.
        #[arg(long, conflicts_with = "event")]
        schedule: bool,
    },
    /// Run the seed program (amplify/seed/seed.ts, with tsx) against the running
    /// `ampx dev`, which it reaches through amplify_outputs.json.
    Seed,
}

/// Where the cloud assembly comes from.
#[derive(Debug, Args)]
pub struct AppArgs {
    /// The backend program as a shell command (`cargo run -p chat`), or a directory
    /// holding a synthesized cloud assembly. Default: the project's bin that depends
    /// on amplify-backend.
    #[arg(long, value_name = "COMMAND|DIR")]
    pub app: Option<String>,
    /// Where the program writes the assembly.
    #[arg(long, value_name = "DIR", default_value = ".amplify/artifacts/cdk.out")]
    pub out_dir: PathBuf,
}

/// `ampx synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// The program and the output directory.
    #[command(flatten)]
    pub app: AppArgs,
    /// Synthesize for this sandbox (default: your user name).
    #[arg(long, conflicts_with_all = ["branch", "app_id"])]
    pub identifier: Option<String>,
    /// Synthesize for this branch (with --app-id).
    #[arg(long, requires = "app_id")]
    pub branch: Option<String>,
    /// The Amplify app id (with --branch).
    #[arg(long, requires = "branch")]
    pub app_id: Option<String>,
}

/// `ampx sandbox [delete | secret ...]`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SandboxCommand {
    /// Deleting the sandbox or managing its secrets.
    #[command(subcommand)]
    pub command: Option<SandboxSubcommand>,
    /// Deploying it.
    #[command(flatten)]
    pub args: SandboxArgs,
}

/// `ampx sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Which sandbox (default: your user name).
    #[arg(long)]
    pub identifier: Option<String>,
    /// Deploy once and exit instead of watching for changes.
    #[arg(long)]
    pub once: bool,
    /// The directory to watch for changes, with everything below it (default:
    /// the backend program's directory).
    #[arg(long, value_name = "DIR", conflicts_with = "once")]
    pub dir_to_watch: Option<PathBuf>,
    /// Paths or glob patterns the watcher ignores: files, directories (all
    /// below them) or globs such as `**/*.md`, relative to the current directory
    /// or absolute. Give several after one --exclude or repeat it.
    #[arg(long, value_name = "PATH", num_args = 1.., conflicts_with = "once")]
    pub exclude: Vec<String>,
    /// Always run a full deployment, even when only function code changed.
    #[arg(long)]
    pub no_hotswap: bool,
    /// How stacks are deployed: through change sets, or directly (no preview).
    #[arg(long, value_enum, default_value_t = Method::ChangeSet)]
    pub method: Method,
    /// Deploy in CloudFormation's Express mode: resources count as done before
    /// they finish stabilizing, for faster rounds.
    #[arg(long)]
    pub express: bool,
    /// Print the functions' CloudWatch logs while watching, paused during deployments.
    #[arg(long, conflicts_with = "once")]
    pub stream_function_logs: bool,
    /// Stream only the functions whose name matches this regular expression; repeat for several.
    #[arg(long, value_name = "REGEX", requires = "stream_function_logs", value_parser = crate::function_logs::parse_filter)]
    pub logs_filter: Vec<regex::Regex>,
    /// Append the streamed log lines to this file instead of printing them.
    #[arg(long, value_name = "FILE", requires = "stream_function_logs")]
    pub logs_out_file: Option<PathBuf>,
    /// The program and the output directory.
    #[command(flatten)]
    pub app: AppArgs,
    /// Where and how amplify_outputs.json is written after each deployment.
    #[command(flatten)]
    pub outputs: OutputsFileArgs,
    /// Also serve the web console for the sandbox (as `ampx console` does),
    /// updated after each deployment.
    #[arg(long, conflicts_with = "once")]
    pub console: bool,
}

/// `--outputs-out-dir`, `--outputs-format` and `--outputs-version`, as `ampx
/// sandbox` and `ampx pipeline-deploy` take them.
#[derive(Debug, Args)]
pub struct OutputsFileArgs {
    /// Where to write amplify_outputs.json.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub outputs_out_dir: PathBuf,
    /// The format of the outputs file.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub outputs_format: Format,
    /// The file's format version, for frontends on older client libraries: 1, 1.1,
    /// 1.2, 1.3, 1.4 or 1.5.
    #[arg(long, value_name = "VERSION", default_value_t = FormatVersion::V1_5)]
    pub outputs_version: FormatVersion,
}

impl OutputsFileArgs {
    /// Where the file goes.
    pub fn destination(&self) -> Destination {
        Destination { dir: self.outputs_out_dir.clone(), format: self.outputs_format, version: self.outputs_version }
    }
}

/// The subcommands of `ampx sandbox`.
#[derive(Debug, Subcommand)]
pub enum SandboxSubcommand {
    /// Delete the sandbox and everything in it.
    Delete {
        /// Which sandbox (default: your user name).
        #[arg(long)]
        identifier: Option<String>,
        /// Do not ask for confirmation.
        #[arg(short, long)]
        yes: bool,
    },
    /// Manage the sandbox's secrets (SSM SecureString parameters).
    #[command(subcommand)]
    Secret(SecretCommand),
    /// Run the seed program (amplify/seed/seed.ts, with tsx) against the sandbox.
    #[command(args_conflicts_with_subcommands = true)]
    Seed {
        /// Print the IAM policy the seed program needs instead.
        #[command(subcommand)]
        command: Option<SeedCommand>,
        /// Which sandbox (default: your user name).
        #[arg(long)]
        identifier: Option<String>,
    },
}

/// `ampx sandbox seed ...`.
#[derive(Debug, Subcommand)]
pub enum SeedCommand {
    /// Print the IAM policy a seed program needs against the deployed sandbox:
    /// creating users and adding them to groups, and its secrets.
    GeneratePolicy {
        /// Which sandbox (default: your user name).
        #[arg(long)]
        identifier: Option<String>,
    },
}

/// `ampx sandbox secret ...`.
#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Set a secret; the value is read from the terminal without echo (or from stdin).
    Set {
        /// The secret's name.
        name: String,
        /// Which sandbox (default: your user name).
        #[arg(long)]
        identifier: Option<String>,
    },
    /// Print a secret's value.
    Get {
        /// The secret's name.
        name: String,
        /// Which sandbox (default: your user name).
        #[arg(long)]
        identifier: Option<String>,
    },
    /// List the secrets' names.
    List {
        /// Which sandbox (default: your user name).
        #[arg(long)]
        identifier: Option<String>,
    },
    /// Remove a secret, or every secret of the sandbox with `--all`.
    Remove {
        /// The secret's name.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        name: Option<String>,
        /// Remove every secret of the sandbox (as Amplify's `--all`).
        #[arg(long)]
        all: bool,
        /// Which sandbox (default: your user name).
        #[arg(long)]
        identifier: Option<String>,
    },
}

/// `ampx pipeline-deploy`.
#[derive(Debug, Args)]
pub struct PipelineArgs {
    /// The Git branch.
    #[arg(long)]
    pub branch: String,
    /// The Amplify app id.
    #[arg(long)]
    pub app_id: String,
    /// Allow replacing or deleting this stateful resource (a logical id or a
    /// construct path); repeat for several.
    #[arg(long, value_name = "RESOURCE")]
    pub allow_destructive: Vec<String>,
    /// The program and the output directory.
    #[command(flatten)]
    pub app: AppArgs,
    /// Where and how amplify_outputs.json is written after the deployment.
    #[command(flatten)]
    pub outputs: OutputsFileArgs,
}

/// `ampx generate ...`.
#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Write amplify_outputs.json from a deployed backend.
    Outputs(OutputsArgs),
    /// Write amplify_data_schema.ts, whose `Schema` type `generateClient<Schema>()` takes.
    Types(TypesArgs),
    /// Write the API's queries, mutations and subscriptions as GraphQL statements
    /// (for clients without generateClient: Swift, Kotlin, Dart, plain GraphQL).
    GraphqlClientCode(GraphqlClientCodeArgs),
}

/// Where the code generators read the backend: a synthesized cloud assembly.
#[derive(Debug, Args)]
pub struct AssemblyArgs {
    /// The backend program as a shell command (`cargo run -p chat`), or a directory
    /// holding a synthesized cloud assembly. Default: the project's bin that depends
    /// on amplify-backend.
    #[arg(long, value_name = "COMMAND|DIR")]
    pub app: Option<String>,
    /// Where the program writes the assembly.
    #[arg(long, value_name = "DIR", default_value = ".amplify/artifacts/cdk.out")]
    pub assembly_dir: PathBuf,
}

/// `ampx generate types`.
#[derive(Debug, Args)]
pub struct TypesArgs {
    /// The backend.
    #[command(flatten)]
    pub source: AssemblyArgs,
    /// Where to write amplify_data_schema.ts.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,
}

/// `ampx generate outputs`.
#[derive(Debug, Args)]
pub struct OutputsArgs {
    /// Read this sandbox's stack (default: your user name).
    #[arg(long, conflicts_with_all = ["stack", "branch", "app_id"])]
    pub identifier: Option<String>,
    /// Read this stack (default: your sandbox).
    #[arg(long, conflicts_with_all = ["branch", "app_id"])]
    pub stack: Option<String>,
    /// Read this branch's stack (with --app-id).
    #[arg(long, requires = "app_id")]
    pub branch: Option<String>,
    /// The Amplify app id (with --branch).
    #[arg(long, requires = "branch")]
    pub app_id: Option<String>,
    /// Where to write the file.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,
    /// The file format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// The file's format version, for frontends on older client libraries: 1, 1.1,
    /// 1.2, 1.3, 1.4 or 1.5.
    #[arg(long, value_name = "VERSION", default_value_t = FormatVersion::V1_5)]
    pub outputs_version: FormatVersion,
}

impl OutputsArgs {
    /// Where the file goes.
    pub fn destination(&self) -> Destination {
        Destination { dir: self.out_dir.clone(), format: self.format, version: self.outputs_version }
    }
}

/// `ampx generate graphql-client-code`.
#[derive(Debug, Args)]
pub struct GraphqlClientCodeArgs {
    /// The backend.
    #[command(flatten)]
    pub source: AssemblyArgs,
    /// Where to write the files.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// The statements' language (TypeScript adds API.ts with their types).
    #[arg(long, value_enum, default_value_t = StatementTarget::Typescript)]
    pub statement_target: StatementTarget,
    /// How many levels of nested objects the selection sets include.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub statement_max_depth: u32,
    /// Whether selection sets ask for `__typename`.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub statement_typename_introspection: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sandbox_takes_flags_or_a_subcommand() {
        let cli = Cli::try_parse_from(["ampx", "sandbox", "--once", "--identifier", "me"]).unwrap();
        let Command::Sandbox(s) = cli.command else { panic!("sandbox") };
        assert!(s.args.once && s.command.is_none());
        let cli = Cli::try_parse_from(["ampx", "sandbox", "delete", "--yes"]).unwrap();
        let Command::Sandbox(s) = cli.command else { panic!("sandbox") };
        assert!(matches!(s.command, Some(SandboxSubcommand::Delete { yes: true, .. })));
        assert!(Cli::try_parse_from(["ampx", "generate", "outputs", "--stack", "S", "--branch", "main"]).is_err());
        assert!(Cli::try_parse_from(["ampx", "pipeline-deploy", "--branch", "main"]).is_err());
    }
}
