//! One resolver run's JavaScript side. The parts of `ctx` cross into the
//! engine once per run, as JSON text kept in a JavaScript object; each handler
//! parses only the parts it reads (into a fresh `ctx`, so handlers never share
//! objects). A handler's value and stash stay in that object as JSON text for
//! the next handler; only its report (errors, early return, filters), the
//! requests for data sources and the run's final value and stash come back to
//! Rust.

use rquickjs::{Object, Persistent};
use serde_json::Value;

use super::context::{Context, Evaluation};
use super::engine::{exception, js_err, location, with_deadline, Code, Engine, RunGuard, TIME_LIMIT};
use super::errors::ResolverError;

/// A run under way on this thread (not `Send`: it holds values of the
/// thread's engine, which stays in place while it lives).
pub(crate) struct Run {
    // Drops before the guard lets the engine go.
    state: Persistent<Object<'static>>,
    _guard: RunGuard,
}

fn text(v: &Value) -> String {
    // Values always serialize.
    serde_json::to_string(v).unwrap_or_default()
}

fn read(name: &str, handler: Option<&'static str>, json: &str) -> Result<Value, ResolverError> {
    serde_json::from_str(json).map_err(|e| ResolverError {
        name: name.to_string(),
        handler,
        message: format!("unreadable handler outcome: {e}"),
        location: None,
    })
}

impl Run {
    /// Hands `ctx` to this thread's engine. `name` (the resolver's) is shown
    /// if the engine cannot start.
    pub(crate) fn begin(name: &str, ctx: &Context) -> Result<Run, ResolverError> {
        let guard = RunGuard::new();
        let state = Engine::with(|engine| {
            engine.context.with(|js| {
                let state = Object::new(js.clone()).map_err(js_err)?;
                for (part, json) in ctx.parts() {
                    if let Some(json) = json {
                        state.set(part, &*json).map_err(js_err)?;
                    }
                }
                state.set("authType", ctx.auth_type.name()).map_err(js_err)?;
                Ok(Persistent::save(&js, state))
            })
        })
        .map_err(|message| ResolverError {
            name: name.to_string(),
            handler: None,
            message,
            location: None,
        })?;
        Ok(Run { state, _guard: guard })
    }

    /// Runs `handler_name` (`request` or `response`) of `code`. The outcome's
    /// value and stash are left in the run ([`Run::value`], [`Run::stash`]).
    pub(crate) fn step(&self, code: &Code, handler_name: &'static str) -> Result<Evaluation, ResolverError> {
        let fault = |message: String, location: Option<String>| ResolverError {
            name: code.name().to_string(),
            handler: Some(handler_name),
            message,
            location,
        };
        let report = Engine::with(|engine| {
            let invoke = engine.invoke.clone();
            engine.context.clone().with(|ctx| {
                let Some(f) = engine.handler(&ctx, code, handler_name)? else {
                    return Ok(Err(fault(format!("the code exports no `{handler_name}` function"), None)));
                };
                let invoke = invoke.restore(&ctx).map_err(js_err)?;
                let state = self.state.clone().restore(&ctx).map_err(js_err)?;
                match with_deadline(|| invoke.call::<_, String>((f, state))) {
                    Ok(s) => Ok(Ok(s)),
                    Err(e) => {
                        let (message, stack) = exception(&ctx, e);
                        let message = if message.contains("interrupted") {
                            format!("stopped after running longer than {} s", TIME_LIMIT.as_secs())
                        } else {
                            message
                        };
                        Ok(Err(fault(message, stack.and_then(|s| location(&s, code.name())))))
                    }
                }
            })
        })
        .map_err(|e| fault(e, None))??;
        parse_report(&report).map_err(|(message, stack)| fault(message, stack.and_then(|s| location(&s, code.name()))))
    }

    /// The JSON text the run holds as `part`, if any.
    fn get(&self, part: &str) -> Result<Option<String>, String> {
        Engine::with(|engine| {
            engine.context.with(|js| {
                let state = self.state.clone().restore(&js).map_err(js_err)?;
                state.get::<_, Option<String>>(part).map_err(js_err)
            })
        })
    }

    /// Sets (or with `None` clears) the JSON text of `part`.
    fn set(&self, part: &str, json: Option<String>) -> Result<(), String> {
        Engine::with(|engine| {
            engine.context.with(|js| {
                let state = self.state.clone().restore(&js).map_err(js_err)?;
                match json {
                    Some(json) => state.set(part, json),
                    None => state.remove(part),
                }
                .map_err(js_err)
            })
        })
    }

    /// The value `code`'s `handler_name` handler (the last one run) produced.
    pub(crate) fn value(&self, code: &Code, handler_name: &'static str) -> Result<Value, ResolverError> {
        let fault = |message| ResolverError {
            name: code.name().to_string(),
            handler: Some(handler_name),
            message,
            location: None,
        };
        let json = self.get("value").map_err(fault)?;
        json.map_or(Ok(Value::Null), |j| read(code.name(), Some(handler_name), &j))
    }

    /// `ctx.stash` as the last handler left it.
    pub(crate) fn stash(&self, code: &Code) -> Result<Value, ResolverError> {
        let json = self.stash_text(code)?;
        json.map_or(Ok(Value::Null), |j| read(code.name(), None, &j))
    }

    /// `ctx.stash` as the last handler left it, as JSON text.
    pub(crate) fn stash_text(&self, code: &Code) -> Result<Option<String>, ResolverError> {
        let fault = |message| ResolverError { name: code.name().to_string(), handler: None, message, location: None };
        self.get("stash").map_err(fault)
    }

    /// The last handler's value becomes `ctx.prev.result` for the next ones.
    pub(crate) fn promote(&self, code: &Code) -> Result<(), ResolverError> {
        let moved = Engine::with(|engine| {
            engine.context.with(|js| {
                let state = self.state.clone().restore(&js).map_err(js_err)?;
                let value: rquickjs::Value = state.get("value").map_err(js_err)?;
                state.set("prev", value).map_err(js_err)
            })
        });
        moved.map_err(|message| ResolverError { name: code.name().to_string(), handler: None, message, location: None })
    }

    /// Sets `ctx.result` and `ctx.error` (absent when `None`) for the next handlers.
    pub(crate) fn set_result(
        &self,
        code: &Code,
        result: Option<&Value>,
        error: Option<&Value>,
    ) -> Result<(), ResolverError> {
        let set = self.set("result", result.map(text)).and_then(|()| self.set("error", error.map(text)));
        set.map_err(|message| ResolverError { name: code.name().to_string(), handler: None, message, location: None })
    }
}

#[derive(serde::Deserialize)]
struct Fault {
    message: String,
    stack: Option<String>,
}

#[derive(serde::Deserialize)]
struct FaultOnly {
    fault: Fault,
}

fn parse_report(out: &str) -> Result<Evaluation, (String, Option<String>)> {
    if out.is_empty() {
        return Ok(Evaluation::default());
    }
    if out.starts_with("{\"fault\"") {
        let f: FaultOnly = serde_json::from_str(out).map_err(|e| (e.to_string(), None))?;
        return Err((f.fault.message, f.fault.stack));
    }
    serde_json::from_str(out).map_err(|e| (format!("unreadable handler outcome: {e}"), None))
}
