//! The seam to the APPSYNC_JS runtime (`appsync::js`): the executor talks to
//! resolver code only through [`ResolverRuntime`], so the runtime is wired in
//! here, in one place. The shapes mirror `js::Runtime`, `js::run_resolver`
//! and `js::Context`; an adapter is a dozen lines:
//!
//! ```ignore
//! impl ResolverRuntime for js::Runtime {
//!     fn compile(&self, name: &str, code: &str) -> Result<CompiledCode, String> {
//!         js::Runtime::compile(self, name, code).map(|c| Arc::new(c) as CompiledCode).map_err(|e| e.to_string())
//!     }
//!     fn run(&self, r: &ResolverCode, ctx: ResolverContext, invoke: &mut Invoke<'_>) -> Result<ResolverOutcome, String> {
//!         // map ResolverCode/ResolverContext onto js::ResolverCode/js::Context
//!         // (downcast each CompiledCode to js::Code), then js::run_resolver.
//!     }
//! }
//! ```

use std::any::Any;
use std::sync::Arc;

use serde_json::Value;

use super::auth::AuthMode;
use super::errors::GraphQlError;
pub use super::js::SharedJson;

/// Code compiled by the runtime, opaque to the executor.
pub type CompiledCode = Arc<dyn Any + Send + Sync>;

/// Where a handler's request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSourceRef {
    /// AppSync's `NONE`: the result is the request's `payload`.
    None,
    /// A data source by name, sent to the invoke callback.
    Named(String),
}

/// A field's resolver code.
#[derive(Clone)]
pub enum ResolverCode {
    /// A unit resolver: request, data source, response.
    Unit {
        /// The code.
        code: CompiledCode,
        /// Its data source.
        data_source: DataSourceRef,
    },
    /// A pipeline: before step, functions, after step.
    Pipeline {
        /// The before and after steps.
        code: CompiledCode,
        /// Each function's code and data source, in order.
        functions: Vec<(CompiledCode, DataSourceRef)>,
    },
}

/// `ctx.info`.
#[derive(Clone, Debug, Default)]
pub struct Info {
    /// The field's name.
    pub field_name: String,
    /// Its parent type.
    pub parent_type_name: String,
    /// The operation's variables.
    pub variables: Value,
    /// The selection set as paths (`items`, `items/id`).
    pub selection_set_list: Vec<String>,
    /// The selection set as GraphQL text.
    pub selection_set_graphql: String,
}

/// What resolver code sees as `ctx`.
#[derive(Clone, Debug)]
pub struct ResolverContext {
    /// `ctx.arguments`.
    pub arguments: Value,
    /// `ctx.identity` (shared by the request's fields).
    pub identity: Option<SharedJson>,
    /// `ctx.source`.
    pub source: Option<Value>,
    /// `ctx.stash` (empty object at start).
    pub stash: Value,
    /// `ctx.info`.
    pub info: Info,
    /// `ctx.request.headers` (shared by the request's fields).
    pub request_headers: SharedJson,
    /// `ctx.env`: the API's environment variables.
    pub env: SharedJson,
    /// The mode that signed the request (`util.authType()`).
    pub auth_type: AuthMode,
}

/// What a resolver run produced.
#[derive(Clone, Debug, Default)]
pub struct ResolverOutcome {
    /// The field's value.
    pub result: Value,
    /// Errors raised or appended.
    pub errors: Vec<GraphQlError>,
    /// `extensions.setSubscriptionFilter`'s filter, for subscription fields.
    pub subscription_filter: Option<Value>,
}

/// The data source callback: data source name and request object in, result
/// or error out.
pub type Invoke<'a> = dyn FnMut(&str, Value) -> Result<Value, GraphQlError> + 'a;

/// Compiles and runs resolver code.
pub trait ResolverRuntime: Send + Sync {
    /// Compiles `code`; `name` (such as `Query.getChat`) is shown in errors.
    fn compile(&self, name: &str, code: &str) -> Result<CompiledCode, String>;
    /// Runs one field's resolver. `Err` is a fault in the code (not a
    /// `util.error`, which is in the outcome's errors).
    fn run(
        &self,
        resolver: &ResolverCode,
        ctx: ResolverContext,
        invoke: &mut Invoke<'_>,
    ) -> Result<ResolverOutcome, String>;
}
