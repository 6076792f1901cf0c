//! The errors a user meets, each saying what went wrong and what to do about it.

use std::path::PathBuf;

/// Everything `ampx` can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No credentials were found.
    #[error("no AWS credentials found (tried {tried}); {fix}")]
    NoCredentials {
        /// The sources tried.
        tried: String,
        /// How to provide some.
        fix: String,
        /// What the credential chain said (shown with `-v`).
        detail: String,
    },

    /// Credentials that AWS refused or that have expired.
    #[error("{message}; {advice}")]
    CredentialsRefused {
        /// What AWS said.
        message: String,
        /// What to do.
        advice: String,
    },

    /// `--profile` names a profile the AWS files do not have.
    #[error(
        "there is no AWS profile '{profile}' in {files} (profiles there: {known}); create it with \
         `aws configure --profile {profile}`, or pass another --profile"
    )]
    UnknownProfile {
        /// The name given.
        profile: String,
        /// The files read.
        files: String,
        /// The profiles they have.
        known: String,
    },

    /// The endpoint did not answer.
    #[error(
        "cannot reach {endpoint} for {operation}: {reason}. Check the network, or that the emulator is running; \
         --endpoint-url or AWS_ENDPOINT_URL choose another endpoint"
    )]
    Unreachable {
        /// The call that got no answer.
        operation: String,
        /// The endpoint and what chose it.
        endpoint: String,
        /// Why, in a few words.
        reason: String,
        /// The SDK's account (shown with `-v`).
        detail: String,
    },

    /// No region in the environment, the profile or on the command line.
    #[error("no AWS region: set AWS_REGION, or add `region = ...` to your AWS profile")]
    NoRegion,

    /// The CDK bootstrap stack is missing or too old.
    #[error(
        "the account {account} is not bootstrapped in {region} ({detail}); \
         run `cdk bootstrap aws://{account}/{region}{qualifier_flag}` once, then retry"
    )]
    NotBootstrapped {
        /// The account.
        account: String,
        /// The region.
        region: String,
        /// ` --qualifier Q` when the assembly uses another qualifier than the CDK's default.
        qualifier_flag: String,
        /// What is missing.
        detail: String,
    },

    /// A stack of that name exists but belongs to something else.
    #[error(
        "stack {stack} already exists and {why}, so ampx will not take it over; delete it, or deploy \
         under another name (--identifier, or the stack name in the backend)"
    )]
    ForeignStack {
        /// The stack name.
        stack: String,
        /// What shows it is not this backend's.
        why: String,
    },

    /// A stack name CloudFormation would reject.
    #[error("stack name '{name}' is invalid: {reason}")]
    InvalidStackName {
        /// The name.
        name: String,
        /// Why.
        reason: String,
    },

    /// A sandbox identifier, branch or app id that cannot name a stack.
    #[error("{what} '{value}' is invalid: {reason}")]
    InvalidName {
        /// `--identifier`, `--branch`, ...
        what: &'static str,
        /// The value given.
        value: String,
        /// Why, and what to use instead.
        reason: String,
    },

    /// Another operation is running on the stack.
    #[error("stack {stack} is busy ({status}); wait for the operation in progress to finish, then retry")]
    StackBusy {
        /// The stack name.
        stack: String,
        /// Its status.
        status: String,
    },

    /// A stack in a failed state that CloudFormation will not update.
    #[error("stack {stack} is {status} ({reason}), and CloudFormation will not update it until {fix}; then run again")]
    StackStuck {
        /// The stack name.
        stack: String,
        /// Its status.
        status: String,
        /// CloudFormation's reason for it.
        reason: String,
        /// What to do.
        fix: String,
    },

    /// The deployment ran and failed.
    #[error("deployment of {stack} failed; the stack is now {status}\n{failures}")]
    DeployFailed {
        /// The stack name.
        stack: String,
        /// Its final status (the rollback status).
        status: String,
        /// The first failed resources and their reasons, one a line.
        failures: String,
    },

    /// CloudFormation reported success, but part of the deployment is missing.
    #[error(
        "{stack} reports {status}, but the deployment is incomplete:\n{problems}\nCloudFormation (or the emulator) \
         skipped or lost part of it; run the command again, and if that does not help, delete the stack and deploy \
         again"
    )]
    Incomplete {
        /// The root stack.
        stack: String,
        /// Its status.
        status: String,
        /// What is missing, one a line.
        problems: String,
    },

    /// CloudFormation refused the change set.
    #[error("CloudFormation rejected the template of {stack}: {reason}")]
    ChangeSetFailed {
        /// The stack name.
        stack: String,
        /// CloudFormation's reason, which names the resource at fault.
        reason: String,
    },

    /// A branch deployment would replace or delete stateful resources.
    #[error(
        "pipeline-deploy stopped before changing anything: it would replace or delete stateful resources \
         (their data would be lost):\n{list}\nIf that is intended, name each one with --allow-destructive \
         (logical id or construct path) and run again"
    )]
    Destructive {
        /// One resource a line.
        list: String,
    },

    /// A deployment would change a table's secondary indexes more than one DynamoDB
    /// update allows; CloudFormation would fail half-way and roll back.
    #[error(
        "{stack}: not deployed, since a DynamoDB table's indexes would change more than one update allows:\n{list}"
    )]
    IndexUpdates {
        /// The root stack.
        stack: String,
        /// One table a line, with how to split the change.
        list: String,
    },

    /// The stack to read or delete does not exist.
    #[error("stack {stack} does not exist in {region}; {hint}")]
    StackNotFound {
        /// The stack name.
        stack: String,
        /// The region looked in.
        region: String,
        /// What to do.
        hint: String,
    },

    /// The cloud assembly is missing or malformed.
    #[error("cannot read the cloud assembly in {dir}: {reason}")]
    Assembly {
        /// The assembly directory.
        dir: PathBuf,
        /// What is wrong.
        reason: String,
    },

    /// The backend program could not be found or failed.
    #[error("{0}")]
    Synth(String),

    /// Building `amplify_outputs.json` failed.
    #[error("cannot generate amplify_outputs.json from stack {stack}: {reason}")]
    Outputs {
        /// The stack read.
        stack: String,
        /// Why.
        reason: String,
    },

    /// A secret that does not exist.
    #[error("secret {name} is not set for this backend ({path}); set it with `ampx sandbox secret set {name}{flags}`")]
    SecretNotFound {
        /// The secret's name.
        name: String,
        /// Its SSM path.
        path: String,
        /// The flags that name the sandbox (` --identifier dev`), or nothing.
        flags: String,
    },

    /// Any other AWS error, with the operation that failed.
    #[error("{operation} failed: {message}{}", if advice.is_empty() { String::new() } else { format!("; {advice}") })]
    Aws {
        /// Service and operation, e.g. `CloudFormation.CreateChangeSet`.
        operation: String,
        /// The service's message.
        message: String,
        /// What to do, when the kind of failure says.
        advice: String,
    },

    /// Watching files failed.
    #[error("cannot watch {path}: {reason}")]
    Watch {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },

    /// A local file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },

    /// `--stream-function-logs` cannot find what to stream.
    #[error("cannot stream function logs: {0}")]
    FunctionLogs(String),

    /// The seed program is missing, cannot run, or failed.
    #[error("{0}")]
    Seed(String),

    /// The local services (`ampx dev`) could not start or reload.
    #[error("{0}")]
    Local(String),

    /// The user said no, or pressed Ctrl-C.
    #[error("{0}")]
    Cancelled(String),
}

/// `ampx`'s result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The SDK's own account of the failure, for `-v`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Error::NoCredentials { detail, .. } | Error::Unreachable { detail, .. } => Some(detail),
            _ => None,
        }
    }

    /// The error with its hints naming the sandbox by these flags
    /// (` --identifier dev`), so that a command it suggests works as printed.
    pub fn naming(self, flags: &str) -> Error {
        match self {
            Error::SecretNotFound { name, path, .. } => Error::SecretNotFound { name, path, flags: flags.into() },
            other => other,
        }
    }

    /// An I/O error on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { action, path, source }
    }
}
