//! One execution environment: a runtime process with its own Runtime API
//! port, started on a cold call and reused by the warm calls that follow, as
//! Lambda reuses a sandbox. It runs one invocation at a time.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use tokio::sync::{mpsc, oneshot, watch};

use super::config::FunctionConfig;
use super::logs::{forward, LogSink};
use super::runtime_api::{router, FunctionError, Invocation, Outcome, RuntimeApi};

/// Why an invocation got no answer from the runtime.
#[derive(Debug)]
pub enum Failure {
    /// The deadline passed; the environment was stopped.
    Timeout,
    /// The runtime reported `init/error`.
    Init(FunctionError),
    /// The process ended (exit status or signal, in words).
    Exited(String),
    /// The process could not be started.
    Start(String),
}

/// A running runtime process and its Runtime API.
pub struct Environment {
    queue: mpsc::Sender<Invocation>,
    api: Arc<RuntimeApi>,
    exited: watch::Receiver<Option<String>>,
    stop: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    healthy: AtomicBool,
}

impl Drop for Environment {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.server.abort();
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

impl Environment {
    /// Binds a Runtime API port and starts `program args` with `env` (plus
    /// `AWS_LAMBDA_RUNTIME_API`) in the function's code directory. Must run
    /// inside the Lambda service's Tokio runtime.
    pub async fn start(
        f: &FunctionConfig,
        program: &std::path::Path,
        args: &[std::path::PathBuf],
        env: &BTreeMap<String, String>,
        logs: &LogSink,
    ) -> Result<Environment, Failure> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| Failure::Start(format!("cannot bind a Runtime API port: {e}")))?;
        let addr = listener.local_addr().map_err(|e| Failure::Start(e.to_string()))?;
        let (queue, receiver) = mpsc::channel(1);
        let api = RuntimeApi::new(receiver);
        let app = router(api.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });

        let mut cmd = tokio::process::Command::new(program);
        cmd.args(args)
            .current_dir(&f.code_dir)
            // The developer's own AWS settings must not leak into a function
            // (it would reach real AWS): the environment below is the whole
            // AWS configuration it sees.
            .envs(std::env::vars().filter(|(k, _)| !k.starts_with("AWS_") && !k.starts_with("AMPLIFY_")))
            .env_remove("NODE_OPTIONS")
            .envs(env)
            .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().map_err(|e| {
            server.abort();
            Failure::Start(format!("cannot start {}: {e}", program.display()))
        })?;
        if let Some(out) = child.stdout.take() {
            tokio::spawn(forward(out, f.display_name.clone(), false, logs.clone()));
        }
        if let Some(err) = child.stderr.take() {
            tokio::spawn(forward(err, f.display_name.clone(), true, logs.clone()));
        }
        let (exited_tx, exited) = watch::channel(None);
        let (stop, stop_rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let status = tokio::select! {
                status = child.wait() => status,
                _ = stop_rx => {
                    let _ = child.start_kill();
                    child.wait().await
                }
            };
            let text = match status {
                Ok(s) => exit_text(s),
                Err(e) => format!("could not be waited for: {e}"),
            };
            exited_tx.send_replace(Some(text));
        });
        Ok(Environment { queue, api, exited, stop: Some(stop), server, healthy: AtomicBool::new(true) })
    }

    /// Whether it can take another invocation (no timeout or crash so far).
    pub fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::SeqCst) && self.exited.borrow().is_none()
    }

    /// Sends one event and waits for the runtime's outcome, at most `timeout`.
    /// A timeout or crash leaves the environment unhealthy (it is stopped).
    pub async fn invoke(
        &self,
        request_id: &str,
        arn: &str,
        payload: Bytes,
        timeout: Duration,
    ) -> Result<Outcome, Failure> {
        let (reply, answer) = oneshot::channel();
        let invocation = Invocation {
            request_id: request_id.to_string(),
            payload,
            deadline_ms: now_ms() + timeout.as_millis() as u64,
            arn: arn.to_string(),
            reply,
        };
        let mut exited = self.exited.clone();
        let mut init_error = self.api.init_error.subscribe();
        let result = tokio::time::timeout(timeout, async {
            if self.queue.send(invocation).await.is_err() {
                return Err(Failure::Exited("stopped".into()));
            }
            // The watch guards are not `Send`: each arm takes an owned copy.
            let init_failed = async { init_error.wait_for(Option::is_some).await.ok().and_then(|e| e.clone()) };
            let process_exited = async { exited.wait_for(Option::is_some).await.ok().and_then(|s| s.clone()) };
            tokio::select! {
                outcome = answer => outcome.map_err(|_| Failure::Exited("dropped the invocation".into())),
                e = init_failed => {
                    Err(Failure::Init(e.unwrap_or_else(|| FunctionError {
                        error_type: "Runtime.Unknown".into(), message: "init failed".into(), stack_trace: vec![],
                    })))
                }
                status = process_exited => {
                    // A runtime reporting init/error exits right after: prefer its report.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let reported = self.api.init_error.borrow().clone();
                    if let Some(e) = reported {
                        return Err(Failure::Init(e));
                    }
                    Err(Failure::Exited(status.unwrap_or_default()))
                }
            }
        })
        .await;
        let result = result.unwrap_or(Err(Failure::Timeout));
        if result.is_err() {
            self.healthy.store(false, Ordering::SeqCst);
        }
        result
    }
}

fn exit_text(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("signal {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "an unknown status".into(),
    }
}
