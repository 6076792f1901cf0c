//! The APPSYNC_JS resolver runtime, in an embedded JavaScript engine (QuickJS).
//!
//! [`Runtime::compile`] checks code against AppSync's restrictions and compiles
//! it to bytecode once; [`Runtime::evaluate`] runs one handler with a [`Context`];
//! [`run_resolver`] runs a whole unit or pipeline resolver the way AppSync does,
//! calling back for each data source request. The modules resolver code imports
//! (`@aws-appsync/utils`, `@aws-appsync/utils/dynamodb`) are JavaScript in
//! `modules/`, with ids, base64 and date formatting done in Rust.

mod check;
mod context;
mod engine;
mod errors;
mod ids;
mod parse;
mod pipeline;
mod properties;
mod run;
mod shared_json;
mod stringify;
mod time;

pub use check::MODULES;
pub use context::{AuthType, Context, Evaluation, Info, Phase};
pub use engine::Code;
pub use errors::{GraphQlError, LoadError, ResolverError, Violation};
pub use pipeline::{run_resolver, DataSource, PipelineFunction, ResolverCode, ResolverOutcome};
pub use shared_json::SharedJson;

/// Compiles and runs APPSYNC_JS code. Cheap to clone and share: each thread that
/// evaluates code keeps its own engine, so threads never wait on each other.
#[derive(Clone, Debug, Default)]
pub struct Runtime {
    _private: (),
}

impl Runtime {
    pub fn new() -> Runtime {
        Runtime::default()
    }

    /// Parses `code`, checks AppSync's restrictions, and compiles it. `name` is
    /// shown in errors (`Query.getChat`, `function AuthFunction`). Every
    /// violation is reported, each with its line and column.
    pub fn compile(&self, name: &str, code: &str) -> Result<Code, LoadError> {
        let violations = check::check(code);
        if !violations.is_empty() {
            return Err(LoadError { name: name.to_string(), violations });
        }
        engine::compile(name, code).map_err(|message| LoadError {
            name: name.to_string(),
            violations: vec![Violation { line: 1, column: 1, rule: "load", message }],
        })
    }

    /// Runs the `phase` handler of `code` with `ctx`.
    pub fn evaluate(&self, code: &Code, phase: Phase, ctx: &Context) -> Result<Evaluation, ResolverError> {
        let run = run::Run::begin(code.name(), ctx)?;
        let mut ev = run.step(code, phase.handler())?;
        ev.value = run.value(code, phase.handler())?;
        ev.stash = run.stash(code)?;
        Ok(ev)
    }
}
