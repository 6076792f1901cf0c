//! A resolver run the way AppSync runs it: unit resolvers (request, data source,
//! response) and pipeline resolvers (before step, each function's request, data
//! source and response, after step), sharing `ctx.stash` and chaining
//! `ctx.prev.result`.

use serde_json::{json, Value};

use super::context::{Context, Evaluation, Phase};
use super::engine::Code;
use super::errors::{GraphQlError, ResolverError};
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
    /// `ctx.stash` at the end.
    pub stash: Value,
    pub subscription_filter: Option<Value>,
    pub invalidation_filter: Option<Value>,
    pub invalidation: Option<Value>,
}

impl ResolverOutcome {
    fn absorb(&mut self, ctx: &mut Context, ev: &mut Evaluation) {
        self.errors.append(&mut ev.errors);
        ctx.stash = std::mem::take(&mut ev.stash);
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

    fn finish(mut self, ctx: Context, result: Value, raised: Option<GraphQlError>) -> ResolverOutcome {
        self.result = if raised.is_some() { Value::Null } else { result };
        self.errors.extend(raised);
        self.stash = ctx.stash;
        self
    }
}

/// Callback for data source requests: the data source's name and the request
/// object a handler returned; answers the data source's result or error.
pub type Invoke<'a> = dyn FnMut(&str, Value) -> Result<Value, GraphQlError> + 'a;

/// Sends `request` to `source`, setting `ctx.result` and `ctx.error` for the
/// response handler.
fn call(source: &DataSource, request: Value, ctx: &mut Context, invoke: &mut Invoke<'_>) {
    let (result, error) = match source {
        DataSource::None => (request.get("payload").cloned().unwrap_or(Value::Null), None),
        DataSource::Named(name) => match invoke(name, request) {
            Ok(v) => (v, None),
            Err(e) => (Value::Null, Some(json!({ "message": e.message, "type": e.error_type }))),
        },
    };
    ctx.result = Some(result);
    ctx.error = error;
}

/// Runs `resolver` for one field. A handler's `util.error` ends the run with the
/// field null and the error in `errors`; a JavaScript fault is a [`ResolverError`].
pub fn run_resolver(
    rt: &Runtime,
    resolver: &ResolverCode,
    mut ctx: Context,
    invoke: &mut Invoke<'_>,
) -> Result<ResolverOutcome, ResolverError> {
    let mut out = ResolverOutcome::default();
    ctx.result = None;
    ctx.error = None;
    // Runs one handler and folds what it reported into `out`; `Err(raised)` when
    // it stopped the resolver.
    let step = |code: &Code, phase: Phase, ctx: &mut Context, out: &mut ResolverOutcome| {
        let mut ev = rt.evaluate(code, phase, ctx)?;
        out.absorb(ctx, &mut ev);
        Ok::<_, ResolverError>(ev)
    };
    match resolver {
        ResolverCode::Unit { code, data_source } => {
            let req = step(code, Phase::Request, &mut ctx, &mut out)?;
            if req.raised.is_some() || req.early_return {
                return Ok(out.finish(ctx, req.value, req.raised));
            }
            call(data_source, req.value, &mut ctx, invoke);
            let res = step(code, Phase::Response, &mut ctx, &mut out)?;
            Ok(out.finish(ctx, res.value, res.raised))
        }
        ResolverCode::Pipeline { code, functions } => {
            let before = step(code, Phase::Request, &mut ctx, &mut out)?;
            if before.raised.is_some() {
                return Ok(out.finish(ctx, Value::Null, before.raised));
            }
            let mut prev = before.value;
            if !before.early_return {
                for f in functions {
                    ctx.prev_result = Some(prev);
                    ctx.result = None;
                    ctx.error = None;
                    let req = step(&f.code, Phase::Request, &mut ctx, &mut out)?;
                    if req.raised.is_some() {
                        return Ok(out.finish(ctx, Value::Null, req.raised));
                    }
                    if req.early_return {
                        // The data source and the response handler are skipped.
                        prev = req.value;
                        if req.skip_to_end {
                            break;
                        }
                        continue;
                    }
                    call(&f.data_source, req.value, &mut ctx, invoke);
                    let res = step(&f.code, Phase::Response, &mut ctx, &mut out)?;
                    if res.raised.is_some() {
                        return Ok(out.finish(ctx, Value::Null, res.raised));
                    }
                    prev = res.value;
                    if res.early_return && res.skip_to_end {
                        break;
                    }
                }
            }
            ctx.prev_result = Some(prev);
            ctx.result = None;
            ctx.error = None;
            let after = step(code, Phase::Response, &mut ctx, &mut out)?;
            Ok(out.finish(ctx, after.value, after.raised))
        }
    }
}
