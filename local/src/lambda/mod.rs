//! Lambda functions, run locally: each `AWS::Lambda::Function` of the
//! assembly runs as a local process behind its own implementation of the
//! Lambda Runtime API, so any runtime that speaks it works: Node.js handlers
//! under the local `node` and Python handlers under `python3` (through our
//! bootstraps), and `provided` runtimes (a Rust `bootstrap` built for the
//! host) as they are.
//!
//! ```no_run
//! # async fn run(assembly: &local::assembly::Assembly) -> Result<(), Box<dyn std::error::Error>> {
//! use local::lambda::{Lambda, LambdaOptions};
//! let lambda = Lambda::start(LambdaOptions::new(".amplify/local/lambda"))?;
//! for problem in lambda.load(assembly) {
//!     eprintln!("{problem}");
//! }
//! let answer = lambda.invoke("say-hello", &serde_json::json!({"name": "Ada"})).await?;
//! # Ok(()) }
//! ```
//!
//! - [`config`]: what a function is, from its template resource;
//! - [`runtime_api`]: the Runtime API of one execution environment;
//! - [`launch`]: the program a runtime runs as (and the bootstraps);
//! - [`environment`]: one runtime process, reused while warm;
//! - [`pool`]: a function's warm environments, cold starts and timeouts;
//! - [`process_env`]: the variables a function sees (secrets, endpoints,
//!   credentials: the join point of the local IAM service);
//! - [`secrets`]: the local secret store (`ampx dev secret set`);
//! - `http`: the local SSM and Lambda Invoke endpoints;
//! - [`logs`]: functions' output, under their names;
//! - [`service`]: [`Lambda`], all of it on a runtime of its own;
//! - [`triggers`]: who calls functions: AppSync data sources, user pool
//!   triggers, storage notifications and schedules.

pub mod config;
pub mod environment;
mod http;
pub mod launch;
pub mod logs;
pub mod pool;
pub mod process_env;
pub mod runtime_api;
pub mod secrets;
pub mod service;
pub mod triggers;

pub use config::{functions_of, ConfigProblem, FunctionConfig, RuntimeKind};
pub use logs::{LogLine, LogSink};
pub use pool::Invoked;
pub use process_env::{CredentialSource, Credentials};
pub use runtime_api::FunctionError;
pub use secrets::{SecretError, SecretStore};
pub use service::{Lambda, LambdaOptions};
pub use triggers::{ObjectEvent, ObjectEvents, Schedule};

/// Why the Lambda service could not start.
#[derive(Debug, thiserror::Error)]
#[error("local Lambda: {0}")]
pub struct LambdaError(pub String);

/// Why an invocation gave no response.
#[derive(Debug, thiserror::Error)]
pub enum InvokeError {
    /// No function has this name or ARN.
    #[error("Function not found: {0}")]
    NotFound(String),
    /// The function failed: its handler threw, its runtime could not start
    /// it, it crashed or it timed out (`Sandbox.Timedout`), as Lambda reports it.
    #[error("{}: {}", .0.error_type, .0.message)]
    Function(FunctionError),
    /// The local service could not run it (a missing `node`, a binary for
    /// another host), in words.
    #[error("{0}")]
    Service(String),
}

impl InvokeError {
    /// `(errorType, errorMessage)`, as a caller such as AppSync reports them.
    pub fn parts(&self) -> (String, String) {
        match self {
            InvokeError::NotFound(_) => ("ResourceNotFoundException".into(), self.to_string()),
            InvokeError::Function(e) => (e.error_type.clone(), e.message.clone()),
            InvokeError::Service(m) => ("ServiceException".into(), m.clone()),
        }
    }
}
