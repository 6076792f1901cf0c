//! The server's own multi-threaded runtime. A resolver waits for a function
//! synchronously (AppSync's Lambda data source), and the function may call
//! the data API back (a function with data access): that call must be served
//! while the first one waits, whatever runtime started the backend (`ampx`
//! runs on a current-thread one, where waiting would stall everything).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use rustls::ServerConfig;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use super::BackendError;
use crate::appsync::tls::serve_tls;

/// How long [`Serving::stop`] waits for blocked tasks (a resolver waiting
/// for a function) before leaving them behind.
const SHUTDOWN: Duration = Duration::from_secs(5);

/// Serving `router` over TLS on a runtime of its own; dropping it stops.
pub(crate) struct Serving {
    runtime: Option<Runtime>,
    task: Option<JoinHandle<()>>,
}

impl Serving {
    /// Moves `listener` onto a new runtime and serves there.
    pub(crate) fn start(
        listener: TcpListener,
        router: Router,
        config: Arc<ServerConfig>,
    ) -> Result<Serving, BackendError> {
        let fail = |e: std::io::Error| BackendError::Config(format!("cannot start the server's runtime: {e}"));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("local-backend")
            .enable_all()
            .build()
            .map_err(fail)?;
        let listener = listener.into_std().map_err(fail)?;
        let task = runtime.spawn(async move {
            // Registered with this runtime's reactor, where it is polled.
            if let Ok(listener) = TcpListener::from_std(listener) {
                serve_tls(listener, router, config).await;
            }
        });
        Ok(Serving { runtime: Some(runtime), task: Some(task) })
    }

    /// Stops serving and waits until every task of the runtime (the accept
    /// loop, open connections) has let go of the router and its stores.
    pub(crate) async fn stop(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
        if let Some(runtime) = self.runtime.take() {
            // Shutting down blocks until the tasks are dropped: off the caller's thread.
            let _ = tokio::task::spawn_blocking(move || runtime.shutdown_timeout(SHUTDOWN)).await;
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        // Dropping a runtime blocks, which async callers may not do.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
