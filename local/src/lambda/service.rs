//! [`Lambda`]: the local Lambda service. It runs on a Tokio runtime of its own
//! (so a caller blocked on a function, such as a resolver or a user pool
//! trigger, never stalls the processes it waits for), holds each function's
//! warm pool, and serves the local SSM and Lambda Invoke endpoints the
//! functions are pointed at.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use axum::body::Bytes;
use serde_json::Value;

use super::config::{functions_of, ConfigProblem, FunctionConfig};
use super::launch::Launcher;
use super::logs::LogSink;
use super::pool::{FunctionPool, Invoked};
use super::process_env::{process_env, CredentialSource, EnvContext};
use super::secrets::SecretStore;
use super::{InvokeError, LambdaError};
use crate::assembly::Assembly;

/// How the service is set up.
#[derive(Clone)]
pub struct LambdaOptions {
    /// Where the bootstrap scripts (`runtime/`) and the secret store live.
    pub data_dir: PathBuf,
    /// `AWS_REGION`.
    pub region: String,
    /// Where functions' log lines go.
    pub logs: LogSink,
    /// Variables every function gets: the local services' endpoints
    /// (`AWS_ENDPOINT_URL_S3`, ...), `NODE_EXTRA_CA_CERTS`.
    pub environment: BTreeMap<String, String>,
    /// Issues functions' local credentials (the local IAM service).
    pub credentials: Option<Arc<dyn CredentialSource>>,
}

impl LambdaOptions {
    /// us-east-1, logs to stderr, no extra variables, placeholder credentials.
    pub fn new(data_dir: impl Into<PathBuf>) -> LambdaOptions {
        LambdaOptions {
            data_dir: data_dir.into(),
            region: "us-east-1".into(),
            logs: LogSink::stderr(),
            environment: BTreeMap::new(),
            credentials: None,
        }
    }
}

/// The directory of the bootstrap scripts, inside the data directory.
const RUNTIME_DIR: &str = "runtime";

pub(crate) struct Inner {
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
    handle: tokio::runtime::Handle,
    launcher: Launcher,
    pub(crate) secrets: SecretStore,
    secrets_seen: Mutex<Option<SystemTime>>,
    functions: RwLock<Vec<Arc<FunctionPool>>>,
    pub(crate) parameters: RwLock<BTreeMap<String, String>>,
    pub(crate) options: LambdaOptions,
    endpoint: String,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which async callers may not do.
        if let Some(rt) = self.runtime.lock().unwrap_or_else(|e| e.into_inner()).take() {
            rt.shutdown_background();
        }
    }
}

/// The local Lambda service. Cheap to clone; the last clone dropped stops
/// every function process.
#[derive(Clone)]
pub struct Lambda {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Lambda {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lambda").field("endpoint", &self.inner.endpoint).finish()
    }
}

impl Lambda {
    /// Starts the service (its runtime, and the SSM and Invoke endpoints on a
    /// free 127.0.0.1 port). It has no functions until [`Lambda::load`].
    pub fn start(options: LambdaOptions) -> Result<Lambda, LambdaError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("local-lambda")
            .enable_all()
            .build()
            .map_err(|e| LambdaError(format!("cannot start the Lambda service's runtime: {e}")))?;
        let launcher = Launcher::install(&options.data_dir.join(RUNTIME_DIR)).map_err(|e| {
            LambdaError(format!("cannot write the runtimes' bootstrap scripts in {}: {e}", options.data_dir.display()))
        })?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| LambdaError(format!("cannot bind the local Lambda endpoint: {e}")))?;
        let addr = listener.local_addr().map_err(|e| LambdaError(e.to_string()))?;
        let handle = runtime.handle().clone();
        let lambda = Lambda {
            inner: Arc::new(Inner {
                runtime: Mutex::new(Some(runtime)),
                handle: handle.clone(),
                launcher,
                secrets: SecretStore::new(&options.data_dir),
                secrets_seen: Mutex::new(None),
                functions: RwLock::new(Vec::new()),
                parameters: RwLock::new(BTreeMap::new()),
                endpoint: format!("http://{addr}"),
                options,
            }),
        };
        // The server holds a weak handle: it must not keep the service alive.
        let router = super::http::router(Arc::downgrade(&lambda.inner));
        handle.spawn(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                let _ = axum::serve(listener, router).await;
            }
        });
        Ok(lambda)
    }

    /// Takes the assembly's functions (and its SSM parameters). A function
    /// whose settings and code are unchanged keeps its warm environments;
    /// the others start fresh on their next call. Answers the functions
    /// that cannot run locally.
    pub fn load(&self, assembly: &Assembly) -> Vec<ConfigProblem> {
        let (configs, problems) = functions_of(assembly);
        let mut functions = self.inner.functions.write().unwrap_or_else(|e| e.into_inner());
        let next: Vec<Arc<FunctionPool>> = configs
            .into_iter()
            .map(|c| match functions.iter().find(|p| p.config == c) {
                Some(same) => same.clone(),
                None => Arc::new(FunctionPool::new(c)),
            })
            .collect();
        *functions = next;
        let mut parameters = BTreeMap::new();
        for p in assembly.of_type("AWS::SSM::Parameter") {
            if let (Some(name), Some(value)) = (p.str_property("Name"), p.str_property("Value")) {
                parameters.insert(name.to_string(), value.to_string());
            }
        }
        *self.inner.parameters.write().unwrap_or_else(|e| e.into_inner()) = parameters;
        problems
    }

    /// The functions loaded.
    pub fn functions(&self) -> Vec<FunctionConfig> {
        self.inner.functions.read().unwrap_or_else(|e| e.into_inner()).iter().map(|p| p.config.clone()).collect()
    }

    /// The local SSM and Lambda endpoint (`http://127.0.0.1:<port>`).
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The secret store functions read.
    pub fn secrets(&self) -> &SecretStore {
        &self.inner.secrets
    }

    /// The function `name`: its display name (`say-hello`), function name,
    /// ARN or logical id.
    pub fn find(&self, name: &str) -> Option<FunctionConfig> {
        self.pool(name).map(|p| p.config.clone())
    }

    fn pool(&self, name: &str) -> Option<Arc<FunctionPool>> {
        self.inner.pool(name)
    }

    /// How many environments of `function` are idle (warm).
    pub fn warm_count(&self, function: &str) -> usize {
        self.pool(function).map_or(0, |p| p.idle_count())
    }

    /// Invokes `function` with `event` and waits for its answer (Lambda's
    /// `RequestResponse`). Callable from any runtime.
    pub async fn invoke(&self, function: &str, event: &Value) -> Result<Value, InvokeError> {
        let payload = Bytes::from(event.to_string());
        let inner = self.inner.clone();
        let function = function.to_string();
        let task = self.inner.handle.spawn(async move { inner.invoke(&function, payload).await });
        match task.await {
            Ok(r) => r.map(|i| response_value(&i.payload)),
            Err(e) => Err(InvokeError::Service(format!("the invocation failed: {e}"))),
        }
    }

    /// [`Lambda::invoke`] for synchronous callers (resolvers, user pool
    /// triggers). On a multi-threaded Tokio worker it lets the runtime move
    /// other tasks away while it waits.
    pub fn invoke_blocking(&self, function: &str, event: &Value) -> Result<Value, InvokeError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let inner = self.inner.clone();
        let function = function.to_string();
        let payload = Bytes::from(event.to_string());
        self.inner.handle.spawn(async move {
            let _ = tx.send(inner.invoke(&function, payload).await);
        });
        let wait = || rx.recv().unwrap_or_else(|_| Err(InvokeError::Service("the Lambda service stopped".into())));
        let result = match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(wait)
            }
            _ => wait(),
        };
        result.map(|i| response_value(&i.payload))
    }

    /// Invokes `function` without waiting (Lambda's `Event` type, as S3 and
    /// EventBridge call); a failure goes to the function's log.
    pub fn invoke_event(&self, function: &str, event: &Value) {
        let inner = self.inner.clone();
        let function = function.to_string();
        let payload = Bytes::from(event.to_string());
        self.inner.handle.spawn(async move {
            if let Err(e) = inner.invoke(&function, payload).await {
                let name = inner.pool(&function).map_or(function.clone(), |p| p.config.display_name.clone());
                inner.options.logs.note(&name, format!("asynchronous invocation failed: {e}"), true);
            }
        });
    }

    /// Invokes `function` and answers the raw response with timings (for
    /// benchmarks and the Invoke endpoint).
    pub async fn invoke_raw(&self, function: &str, payload: Bytes) -> Result<Invoked, InvokeError> {
        let inner = self.inner.clone();
        let function = function.to_string();
        let task = self.inner.handle.spawn(async move { inner.invoke(&function, payload).await });
        task.await.unwrap_or_else(|e| Err(InvokeError::Service(format!("the invocation failed: {e}"))))
    }

    /// Stops every idle environment (the next calls start cold).
    pub fn retire_all(&self) {
        for p in self.inner.functions.read().unwrap_or_else(|e| e.into_inner()).iter() {
            p.retire_idle();
        }
    }
}

/// A response as JSON; a runtime may post any bytes, which become a string.
fn response_value(payload: &[u8]) -> Value {
    serde_json::from_slice(payload).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(payload).into_owned()))
}

impl Inner {
    pub(crate) fn pool(&self, name: &str) -> Option<Arc<FunctionPool>> {
        let functions = self.functions.read().unwrap_or_else(|e| e.into_inner());
        // A qualified ARN (`...:function:name:$LATEST`) names the function too.
        let unqualified = name.strip_suffix(":$LATEST").unwrap_or(name);
        functions
            .iter()
            .find(|p| {
                let c = &p.config;
                c.arn == unqualified || c.name == unqualified || c.display_name == name || c.logical_id == name
            })
            .cloned()
    }

    /// New secret values reach functions at their next cold start, as with
    /// Lambda's; a change to the store retires the warm environments.
    fn check_secrets(&self) {
        let modified = self.secrets.modified();
        let mut seen = self.secrets_seen.lock().unwrap_or_else(|e| e.into_inner());
        if *seen != modified {
            if seen.is_some() || modified.is_some() {
                for p in self.functions.read().unwrap_or_else(|e| e.into_inner()).iter() {
                    p.retire_idle();
                }
            }
            *seen = modified;
        }
    }

    pub(crate) async fn invoke(&self, function: &str, payload: Bytes) -> Result<Invoked, InvokeError> {
        let pool = self.pool(function).ok_or_else(|| InvokeError::NotFound(function.to_string()))?;
        self.check_secrets();
        let endpoint = self.endpoint.clone();
        let parameters = self.parameters.read().unwrap_or_else(|e| e.into_inner()).clone();
        let env = || {
            process_env(
                &pool.config,
                &EnvContext {
                    region: &self.options.region,
                    common: &self.options.environment,
                    secrets: &self.secrets,
                    parameters: &parameters,
                    credentials: self.options.credentials.as_deref(),
                    logs: &self.options.logs,
                    ssm_endpoint: &endpoint,
                    lambda_endpoint: &endpoint,
                },
            )
        };
        pool.invoke(&self.launcher, env, &self.options.logs, payload).await
    }
}
