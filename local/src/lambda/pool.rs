//! The warm pool of one function: idle execution environments are reused for
//! the next call, a new one starts (a cold start) when none is idle, and one
//! that timed out or crashed is stopped, as Lambda does.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;

use super::config::FunctionConfig;
use super::environment::{Environment, Failure};
use super::launch::Launcher;
use super::logs::LogSink;
use super::runtime_api::{FunctionError, Outcome};
use super::InvokeError;

/// How long a cold environment may take to start, on top of the function's
/// timeout (Lambda's init phase has its own 10 s limit).
pub const INIT_LIMIT: Duration = Duration::from_secs(10);

/// One function and its idle environments.
pub struct FunctionPool {
    /// The function.
    pub config: FunctionConfig,
    idle: Mutex<Vec<Environment>>,
}

/// What one invocation gave, with how it went.
#[derive(Debug)]
pub struct Invoked {
    /// The handler's response, as the runtime posted it.
    pub payload: Bytes,
    /// Whether a new environment was started for it.
    pub cold: bool,
    /// From the event's arrival to the answer.
    pub duration: Duration,
}

impl FunctionPool {
    /// A pool with no environment yet.
    pub fn new(config: FunctionConfig) -> FunctionPool {
        FunctionPool { config, idle: Mutex::new(Vec::new()) }
    }

    /// Stops the idle environments (the next call starts a new one).
    pub fn retire_idle(&self) -> usize {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        let n = idle.len();
        idle.clear();
        n
    }

    /// How many environments are idle.
    pub fn idle_count(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn take_idle(&self) -> Option<Environment> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(env) = idle.pop() {
            if env.is_healthy() {
                return Some(env);
            }
        }
        None
    }

    /// Runs one event. `process_env` gives a new environment's variables.
    pub async fn invoke(
        &self,
        launcher: &Launcher,
        process_env: impl FnOnce() -> std::collections::BTreeMap<String, String>,
        logs: &LogSink,
        payload: Bytes,
    ) -> Result<Invoked, InvokeError> {
        let f = &self.config;
        let started = Instant::now();
        let timeout = Duration::from_secs(f.timeout_seconds.max(1));
        let (env, cold) = match self.take_idle() {
            Some(env) => (env, false),
            None => {
                let (program, args) = launcher.command(f).map_err(|m| InvokeError::Service(m.clone()))?;
                let env = Environment::start(f, &program, &args, &process_env(), logs).await.map_err(|e| match e {
                    Failure::Start(m) => InvokeError::Service(m),
                    other => InvokeError::Service(format!("{other:?}")),
                })?;
                (env, true)
            }
        };
        let request_id = uuid::Uuid::new_v4().to_string();
        let limit = if cold { timeout + INIT_LIMIT } else { timeout };
        let outcome = env.invoke(&request_id, &f.arn, payload, limit).await;
        let duration = started.elapsed();
        let result = match outcome {
            Ok(Outcome::Response(payload)) => Ok(Invoked { payload, cold, duration }),
            Ok(Outcome::Error(e)) => Err(InvokeError::Function(e)),
            Err(Failure::Timeout) => {
                let message = format!("Task timed out after {}.00 seconds", f.timeout_seconds.max(1));
                logs.note(&f.display_name, format!("{request_id} {message}"), true);
                Err(InvokeError::Function(FunctionError {
                    error_type: "Sandbox.Timedout".into(),
                    message: format!("RequestId: {request_id} Error: {message}"),
                    stack_trace: vec![],
                }))
            }
            Err(Failure::Init(e)) => {
                logs.note(&f.display_name, format!("init failed: {}: {}", e.error_type, e.message), true);
                Err(InvokeError::Function(e))
            }
            Err(Failure::Exited(status)) => {
                let message = format!("RequestId: {request_id} Error: Runtime exited with {status}");
                logs.note(&f.display_name, message.clone(), true);
                Err(InvokeError::Function(FunctionError {
                    error_type: "Runtime.ExitError".into(),
                    message,
                    stack_trace: vec![],
                }))
            }
            Err(Failure::Start(m)) => Err(InvokeError::Service(m)),
        };
        logs.note(
            &f.display_name,
            format!(
                "REPORT RequestId: {request_id} Duration: {:.2} ms{}{}",
                duration.as_secs_f64() * 1000.0,
                if cold { " (cold start)" } else { "" },
                if result.is_err() { " Status: error" } else { "" }
            ),
            false,
        );
        if env.is_healthy() {
            self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(env);
        }
        result
    }
}
