//! A resolver run the way AppSync runs it: unit resolvers (request, data source,
//! response) and pipeline resolvers (before step, each function's request, data
//! source and response, after step), sharing `ctx.stash` and chaining
//! `ctx.prev.result`.

use serde_json::{json, Value};

use super::context::{Context, Evaluation, Phase};
use super::engine::Code;
use super::errors::{GraphQlError, ResolverError};
use super::run::Run;
use super::Runtime;

/// Where a handler's request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    /// AppSync's `NONE` data source: the result is the request's `payload`.
    None,
    /// A data source by name, handed to the `invoke` callback.
    Named(String),
}

/// One function of a pipeline.
#[derive(Clone, Debug)]
pub struct PipelineFunction {
    pub code: Code,
    pub data_source: DataSource,
}

/// A field's resolver.
#[derive(Clone, Debug)]
pub enum ResolverCode {
    Unit {
        code: Code,
        data_source: DataSource,
    },
    /// `code` holds the before (request) and after (response) steps.
    Pipeline {
        code: Code,
        functions: Vec<PipelineFunction>,
    },
}

/// The field's value and everything the run reported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResolverOutcome {
    /// The field's value (null when a handler raised an error).
    pub result: Value,
    /// `util.appendError` errors, then the error that stopped the run
    /// (`util.error`, `util.unauthorized`), if one did.
    pub errors: Vec<GraphQlError>,
    /// `ctx.stash` at the end, as JSON text (read with [`ResolverOutcome::stash`]:
    /// the data API never needs it, so it is not parsed unless asked).
    stash_text: Option<String>,
    pub subscription_filter: Option<Value>,
    pub invalidation_filter: Option<Value>,
    pub invalidation: Option<Value>,
}

impl ResolverOutcome {
    /// `ctx.stash` as the run left it.
    pub fn stash(&self) -> Value {
        self.stash_text.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null)
    }

    fn absorb(&mut self, ev: &mut Evaluation) {
        self.errors.append(&mut ev.errors);
        for (mine, theirs) in [
            (&mut self.subscription_filter, &mut ev.subscription_filter),
            (&mut self.invalidation_filter, &mut ev.invalidation_filter),
            (&mut self.invalidation, &mut ev.invalidation),
        ] {
            if theirs.is_some() {
                *mine = theirs.take();
            }
        }
    }

    /// The outcome once `code`'s `handler` ended the run: the field is null
    /// when it raised, its value otherwise.
    fn finish(
        mut self,
        run: &Run,
        last: (&Code, &'static str),
        raised: Option<GraphQlError>,
    ) -> Result<ResolverOutcome, ResolverError> {
        self.result = if raised.is_some() { Value::Null } else { run.value(last.0, last.1)? };
        self.errors.extend(raised);
        self.stash_text = run.stash_text(last.0)?;
        Ok(self)
    }
}

/// Callback for data source requests: the data source's name and the request
/// object a handler returned; answers the data source's result or error.
pub type Invoke<'a> = dyn FnMut(&str, Value) -> Result<Value, GraphQlError> + 'a;

/// Sends the request `code`'s request handler made to `source`, setting
/// `ctx.result` and `ctx.error` for the response handler.
fn call(source: &DataSource, code: &Code, run: &Run, invoke: &mut Invoke<'_>) -> Result<(), ResolverError> {
    let request = run.value(code, "request")?;
    let (result, error) = match source {
        DataSource::None => (request.get("payload").cloned().unwrap_or(Value::Null), None),
        DataSource::Named(name) => match invoke(name, request) {
            Ok(v) => (v, None),
            Err(e) => (Value::Null, Some(json!({ "message": e.message, "type": e.error_type }))),
        },
    };
    run.set_result(code, Some(&result), error.as_ref())
}

/// Runs `resolver` for one field. A handler's `util.error` ends the run with the
/// field null and the error in `errors`; a JavaScript fault is a [`ResolverError`].
pub fn run_resolver(
    _rt: &Runtime,
    resolver: &ResolverCode,
    mut ctx: Context,
    invoke: &mut Invoke<'_>,
) -> Result<ResolverOutcome, ResolverError> {
    let mut out = ResolverOutcome::default();
    ctx.result = None;
    ctx.error = None;
    let code = match resolver {
        ResolverCode::Unit { code, .. } | ResolverCode::Pipeline { code, .. } => code,
    };
    let run = Run::begin(code.name(), &ctx)?;
    // Runs one handler and folds what it reported into `out`.
    let step = |code: &Code, phase: Phase, out: &mut ResolverOutcome| {
        let mut ev = run.step(code, phase.handler())?;
        out.absorb(&mut ev);
        Ok::<_, ResolverError>(ev)
    };
    const REQUEST: &str = "request";
    const RESPONSE: &str = "response";
    match resolver {
        ResolverCode::Unit { code, data_source } => {
            let req = step(code, Phase::Request, &mut out)?;
            if req.raised.is_some() || req.early_return {
                return out.finish(&run, (code, REQUEST), req.raised);
            }
            call(data_source, code, &run, invoke)?;
            let res = step(code, Phase::Response, &mut out)?;
            out.finish(&run, (code, RESPONSE), res.raised)
        }
        ResolverCode::Pipeline { code, functions } => {
            let before = step(code, Phase::Request, &mut out)?;
            if before.raised.is_some() {
                return out.finish(&run, (code, REQUEST), before.raised);
            }
            // `ctx.prev.result` is the value of the last handler that ended a step.
            run.promote(code)?;
            if !before.early_return {
                for f in functions {
                    run.set_result(&f.code, None, None)?;
                    let req = step(&f.code, Phase::Request, &mut out)?;
                    if req.raised.is_some() {
                        return out.finish(&run, (&f.code, REQUEST), req.raised);
                    }
                    if req.early_return {
                        // The data source and the response handler are skipped.
                        run.promote(&f.code)?;
                        if req.skip_to_end {
                            break;
                        }
                        continue;
                    }
                    call(&f.data_source, &f.code, &run, invoke)?;
                    let res = step(&f.code, Phase::Response, &mut out)?;
                    if res.raised.is_some() {
                        return out.finish(&run, (&f.code, RESPONSE), res.raised);
                    }
                    run.promote(&f.code)?;
                    if res.early_return && res.skip_to_end {
                        break;
                    }
                }
            }
            run.set_result(code, None, None)?;
            let after = step(code, Phase::Response, &mut out)?;
            out.finish(&run, (code, RESPONSE), after.raised)
        }
    }
}
