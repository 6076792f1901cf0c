//! The QuickJS engines: one per thread, kept for the thread's life. Code is
//! compiled to bytecode once ([`compile`]); each engine loads a code's bytecode
//! the first time it runs it and keeps its handlers, so a request only hands
//! over `ctx` and calls a function (see [`super::run`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use rquickjs::loader::{BuiltinResolver, Loader};
use rquickjs::{Context as JsContext, Ctx, Exception, Function, Module, Object, Persistent, Value, WriteOptions};

use super::ids;
use super::parse;
use super::properties;
use super::stringify;
use super::time;

/// The runtime's own modules: the two resolver code may import and the internal
/// ones behind them.
const MODULES: [(&str, &str); 6] = [
    ("appsync:state", include_str!("modules/state.js")),
    ("appsync:dynamodb-values", include_str!("modules/dynamodb_values.js")),
    ("appsync:transform", include_str!("modules/transform.js")),
    ("@aws-appsync/utils", include_str!("modules/utils.js")),
    ("@aws-appsync/utils/dynamodb", include_str!("modules/dynamodb.js")),
    ("appsync:invoke", include_str!("modules/invoke.js")),
];

/// How long one handler may run before it is stopped.
pub(super) const TIME_LIMIT: Duration = Duration::from_secs(5);
const MEMORY_LIMIT: usize = 256 << 20;
const STACK_LIMIT: usize = 1 << 20;
/// Past this many loaded codes a thread's engine starts afresh (QuickJS cannot
/// unload a module), so reloading code in a long `ampx dev` session stays bounded.
const MAX_LOADED: usize = 20_000;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Compiled resolver or function code: its name and QuickJS bytecode. Cheap to
/// clone; any thread can run it.
#[derive(Clone)]
pub struct Code(Arc<CodeInner>);

struct CodeInner {
    id: u64,
    name: String,
    bytecode: Vec<u8>,
}

impl Code {
    /// The name given to [`compile`](super::Runtime::compile).
    pub fn name(&self) -> &str {
        &self.0.name
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Code").field("name", &self.0.name).field("bytes", &self.0.bytecode.len()).finish()
    }
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Resolver runs under way on this thread: they hold values of its engine,
    /// so the engine is not replaced meanwhile.
    static RUNS: Cell<usize> = const { Cell::new(0) };
}

struct Handlers {
    request: Option<Persistent<Function<'static>>>,
    response: Option<Persistent<Function<'static>>>,
}

pub(super) struct Engine {
    // Fields drop in order: the values kept alive in the context go first.
    pub(super) invoke: Persistent<Function<'static>>,
    loaded: HashMap<u64, Handlers>,
    pub(super) context: JsContext,
    runtime: rquickjs::Runtime,
}

/// Declares the runtime's modules from their source, in every context that
/// imports them (rquickjs's `BuiltinLoader` hands each out only once).
struct RuntimeModules;

impl Loader for RuntimeModules {
    fn load<'js>(&mut self, ctx: &Ctx<'js>, name: &str) -> rquickjs::Result<Module<'js, rquickjs::module::Declared>> {
        match MODULES.iter().find(|(n, _)| *n == name) {
            Some((_, source)) => Module::declare(ctx.clone(), name, *source),
            None => Err(rquickjs::Error::new_loading(name)),
        }
    }
}

pub(super) fn js_err(e: rquickjs::Error) -> String {
    e.to_string()
}

/// The message and stack of the pending exception (or of `e`).
pub(super) fn exception(ctx: &Ctx<'_>, e: rquickjs::Error) -> (String, Option<String>) {
    if matches!(e, rquickjs::Error::Exception) {
        let v = ctx.catch();
        if let Some(ex) = v.as_exception() {
            let name: Option<String> = ex.get("name").ok();
            let message = ex.message().unwrap_or_default();
            let message = match name {
                Some(n) if !n.is_empty() => format!("{n}: {message}"),
                _ => message,
            };
            return (message, ex.stack());
        }
        let text =
            v.as_string().and_then(|s| s.to_string().ok()).unwrap_or_else(|| format!("uncaught {}", v.type_name()));
        return (text, None);
    }
    (e.to_string(), None)
}

/// The Rust side of `util`: ids, base64 and date formatting.
fn install_host(ctx: &Ctx<'_>) -> rquickjs::Result<()> {
    let host = Object::new(ctx.clone())?;
    host.set("uuid", Function::new(ctx.clone(), || uuid::Uuid::new_v4().to_string())?)?;
    host.set("ulid", Function::new(ctx.clone(), ids::ulid)?)?;
    host.set("ksuid", Function::new(ctx.clone(), ids::ksuid)?)?;
    host.set(
        "base64Encode",
        Function::new(ctx.clone(), |s: String| base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))?,
    )?;
    host.set(
        "base64Decode",
        Function::new(ctx.clone(), |ctx: Ctx<'_>, s: String| {
            base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| Exception::throw_message(&ctx, &format!("util.base64Decode: {e}")))
        })?,
    )?;
    host.set(
        "formatMillis",
        Function::new(ctx.clone(), |ctx: Ctx<'_>, ms: f64, pattern: String, zone: String| {
            time::format_millis(ms, &pattern, &zone).map_err(|e| Exception::throw_message(&ctx, &e))
        })?,
    )?;
    host.set(
        "parseFormatted",
        Function::new(ctx.clone(), |ctx: Ctx<'_>, text: String, pattern: String, zone: String| {
            time::parse_formatted(&text, &pattern, &zone)
                .map(|ms| ms as f64)
                .map_err(|e| Exception::throw_message(&ctx, &e))
        })?,
    )?;
    host.set(
        "parseIso",
        Function::new(ctx.clone(), |ctx: Ctx<'_>, text: String| {
            time::parse_iso(&text).map(|ms| ms as f64).map_err(|e| Exception::throw_message(&ctx, &e))
        })?,
    )?;
    host.set("definer", Function::new(ctx.clone(), properties::definer)?)?;
    host.set("settle", Function::new(ctx.clone(), properties::settle)?)?;
    host.set("stringify", Function::new(ctx.clone(), stringify::stringify)?)?;
    host.set("parse", Function::new(ctx.clone(), parse::parse)?)?;
    ctx.globals().set("__appsyncHost", host)
}

/// Declares and evaluates the module `name` from `bytes` (bytecode) in `ctx`.
fn load_module<'js>(ctx: &Ctx<'js>, bytecode: &[u8]) -> rquickjs::Result<Object<'js>> {
    // SAFETY: the bytes come from `Module::write` in `compile`, by this same
    // QuickJS build.
    let declared = unsafe { Module::load(ctx.clone(), bytecode)? };
    let (module, promise) = declared.eval()?;
    promise.finish::<()>()?;
    module.namespace()
}

fn handler<'js>(namespace: &Object<'js>, name: &str) -> rquickjs::Result<Option<Function<'js>>> {
    let v: Value = namespace.get(name)?;
    Ok(v.into_function())
}

impl Engine {
    fn new() -> Result<Engine, String> {
        // Through Rust's global allocator: the one the binary chose.
        let runtime = rquickjs::Runtime::new_with_alloc(rquickjs::allocator::RustAllocator).map_err(js_err)?;
        runtime.set_memory_limit(MEMORY_LIMIT);
        runtime.set_max_stack_size(STACK_LIMIT);
        runtime
            .set_interrupt_handler(Some(Box::new(|| DEADLINE.with(|d| d.get().is_some_and(|at| Instant::now() > at)))));
        let mut resolver = BuiltinResolver::default();
        for (name, _) in MODULES {
            resolver.add_module(name);
        }
        runtime.set_loader(resolver, RuntimeModules);
        let context = JsContext::full(&runtime).map_err(js_err)?;
        let invoke = context.with(|ctx| {
            install_host(&ctx).map_err(js_err)?;
            let run = || -> rquickjs::Result<Function<'_>> {
                let promise = Module::import(&ctx, "appsync:invoke")?;
                let ns: Object = promise.finish()?;
                ns.get("invoke")
            };
            run().map(|f| Persistent::save(&ctx, f)).map_err(|e| exception(&ctx, e).0)
        })?;
        Ok(Engine { invoke, loaded: HashMap::new(), context, runtime })
    }

    /// This thread's engine, made on first use.
    pub(super) fn with<T>(f: impl FnOnce(&mut Engine) -> Result<T, String>) -> Result<T, String> {
        ENGINE.with(|cell| {
            let mut slot = cell.borrow_mut();
            if RUNS.get() == 0 && slot.as_ref().is_some_and(|e| e.loaded.len() >= MAX_LOADED) {
                *slot = None;
            }
            if slot.is_none() {
                *slot = Some(Engine::new()?);
            }
            f(slot.as_mut().expect("made above"))
        })
    }

    /// The `handler_name` function of `code`, loading the code into this
    /// engine the first time; `None` when the code exports no such function.
    pub(super) fn handler<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        code: &Code,
        handler_name: &str,
    ) -> Result<Option<Function<'js>>, String> {
        let handlers = match self.loaded.entry(code.0.id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let ns = load_module(ctx, &code.0.bytecode).map_err(|e| exception(ctx, e).0)?;
                let save = |h| handler(&ns, h).map(|f| f.map(|f| Persistent::save(ctx, f))).map_err(js_err);
                slot.insert(Handlers { request: save("request")?, response: save("response")? })
            }
        };
        let f = match handler_name {
            "request" => handlers.request.clone(),
            _ => handlers.response.clone(),
        };
        f.map(|f| f.restore(ctx).map_err(js_err)).transpose()
    }
}

/// Counts a resolver run under way on this thread while it lives.
pub(super) struct RunGuard(std::marker::PhantomData<*const ()>);

impl RunGuard {
    pub(super) fn new() -> RunGuard {
        RUNS.set(RUNS.get() + 1);
        RunGuard(std::marker::PhantomData)
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        RUNS.set(RUNS.get() - 1);
    }
}

/// Compiles checked source to bytecode, and evaluates it once in a scratch
/// context so that a failing top level or a missing handler shows at load time.
pub(crate) fn compile(name: &str, source: &str) -> Result<Code, String> {
    Engine::with(|engine| {
        let scratch = JsContext::full(&engine.runtime).map_err(js_err)?;
        let bytecode = scratch.with(|ctx| {
            install_host(&ctx).map_err(js_err)?;
            let declared = Module::declare(ctx.clone(), name, source).map_err(|e| exception(&ctx, e).0)?;
            let bytecode = declared.write(WriteOptions::default()).map_err(|e| exception(&ctx, e).0)?;
            let ns = with_deadline(|| load_module(&ctx, &bytecode)).map_err(|e| exception(&ctx, e).0)?;
            for h in ["request", "response"] {
                if handler(&ns, h).map_err(js_err)?.is_none() {
                    return Err(format!("the code exports no `{h}` function"));
                }
            }
            Ok(bytecode)
        })?;
        drop(scratch);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Ok(Code(Arc::new(CodeInner { id, name: name.to_string(), bytecode })))
    })
}

pub(super) fn with_deadline<T>(f: impl FnOnce() -> T) -> T {
    DEADLINE.with(|d| d.set(Some(Instant::now() + TIME_LIMIT)));
    let out = f();
    DEADLINE.with(|d| d.set(None));
    out
}

/// The first stack frame in the resolver's own code (`request (Query.getChat:4:12)`).
pub(super) fn location(stack: &str, name: &str) -> Option<String> {
    stack
        .lines()
        .map(|l| l.trim().trim_start_matches("at ").to_string())
        .find(|l| l.contains(&format!("({name}:")) || l.starts_with(&format!("{name}:")))
}
