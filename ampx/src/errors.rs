//! The errors a user meets, each saying what went wrong and what to do about it.

use std::path::PathBuf;

/// Everything `ampx` can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No credentials were found by the standard provider chain.
    #[error(
        "no AWS credentials found: set AWS_PROFILE (or pass --profile), or set AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY, or run `aws configure` ({detail})"
    )]
    NoCredentials {
        /// What the credential chain said.
        detail: String,
    },

    /// No region in the environment, the profile or on the command line.
    #[error("no AWS region: set AWS_REGION, or add `region = ...` to your AWS profile")]
    NoRegion,

    /// The CDK bootstrap stack is missing or too old.
    #[error(
        "the account {account} is not bootstrapped in {region} ({detail}); \
         run `cdk bootstrap aws://{account}/{region}` once, then retry"
    )]
    NotBootstrapped {
        /// The account.
        account: String,
        /// The region.
        region: String,
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
    #[error("secret {name} is not set for this backend ({path}); set it with `ampx sandbox secret set {name}`")]
    SecretNotFound {
        /// The secret's name.
        name: String,
        /// Its SSM path.
        path: String,
    },

    /// Any other AWS error, with the operation that failed.
    #[error("{operation} failed: {message}")]
    Aws {
        /// Service and operation, e.g. `CloudFormation.CreateChangeSet`.
        operation: String,
        /// The service's message.
        message: String,
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

    /// The user said no, or pressed Ctrl-C.
    #[error("{0}")]
    Cancelled(String),
}

/// `ampx`'s result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { action, path, source }
    }
}
