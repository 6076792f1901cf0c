//! `ampx dev`'s web console: one page (plain HTML, CSS and JavaScript,
//! embedded in the binary) and a small JSON API, served over plain HTTP on
//! 127.0.0.1, for the local backend's data, users, files and functions.
//!
//! - **Data manager**: tables and forms generated from the model
//!   introspection in `amplify_outputs.json`; every call goes through the data
//!   API (`/api/graphql`) as the identity the developer picks
//!   (a user signed in with "sign in as", the API key, identity-pool
//!   credentials, or none), so the schema's rules are seen at work.
//! - **Users**: the user pool's admin calls (create, confirm, disable, enable,
//!   delete, set a password, groups) and "sign in as", which issues a user's
//!   tokens without their password.
//! - **Storage**: each bucket listed by prefix; upload, download, delete.
//! - **Functions**: the functions, their recent log lines, a test invoke.
//! - **Playground**: GraphiQL (vendored from npm), with subscriptions over
//!   AppSync's realtime protocol through `/api/realtime`.
//!
//! Every request must carry the per-run token (in the URL the command prints,
//! then as a `SameSite=Strict` cookie), come to `127.0.0.1` or `localhost`
//! by name, and, when it names an `Origin`, come from the console's own.
//!
//! ```no_run
//! # async fn run(backend: std::sync::Arc<local::backend::LocalBackend>) -> Result<(), ampx_console::ConsoleError> {
//! use ampx_console::{Console, LogBook};
//! let logs = LogBook::default();
//! let console = Console::start(backend, logs, 0).await?;
//! console.set_outputs(serde_json::json!({"version": "1.4"}));
//! println!("console: {}", console.url());
//! # Ok(()) }
//! ```

mod api;
mod assets;
pub mod backend;
mod error;
mod guard;
mod logs;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, RwLock};

use local::backend::LocalBackend;
use serde_json::{json, Value};

pub use backend::{ConsoleBackend, Identity, LocalConsoleBackend};
pub use error::{ApiError, ApiResult};
pub use logs::{LogBook, LoggedLine};

/// Why the console could not start.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// The port is taken or cannot be bound.
    #[error("the console cannot listen on 127.0.0.1:{port}: {reason}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// Why, and what to do.
        reason: String,
    },
}

/// What the handlers share.
pub(crate) struct State {
    backend: RwLock<Arc<dyn ConsoleBackend>>,
    pub outputs: RwLock<Value>,
    pub token: String,
    pub port: u16,
}

impl State {
    /// The backend served at the moment.
    pub fn backend(&self) -> Arc<dyn ConsoleBackend> {
        self.backend.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn outputs(&self) -> Value {
        self.outputs.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The running console. Dropping it stops the server.
pub struct Console {
    addr: SocketAddr,
    state: Arc<State>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Console {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Console {
    /// Binds 127.0.0.1:`port` (0 picks a free one) and serves the console for
    /// `ampx dev`'s `backend`; `logs` is the book the backend's function log
    /// lines are written to. Must run inside a Tokio runtime.
    pub async fn start(backend: Arc<LocalBackend>, logs: LogBook, port: u16) -> Result<Console, ConsoleError> {
        Console::serve(Arc::new(LocalConsoleBackend::new(backend, logs)), port).await
    }

    /// Binds 127.0.0.1:`port` (0 picks a free one) and serves the console for
    /// any backend (a deployed sandbox's, from `ampx console`). Must run
    /// inside a Tokio runtime.
    pub async fn serve(backend: Arc<dyn ConsoleBackend>, port: u16) -> Result<Console, ConsoleError> {
        let bind = |e: std::io::Error| {
            let reason = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("port {port} is already in use; pick another console port (0 picks a free one)")
            } else {
                e.to_string()
            };
            ConsoleError::Bind { port, reason }
        };
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await.map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let state = Arc::new(State {
            backend: RwLock::new(backend),
            outputs: RwLock::new(json!({})),
            token: new_token(),
            port: addr.port(),
        });
        let router = api::router(state.clone())
            .merge(assets::router())
            .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard));
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                eprintln!("[console] stopped serving: {e}");
            }
        });
        Ok(Console { addr, state, server })
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL to open: the origin with the per-run token.
    pub fn url(&self) -> String {
        format!("{}/?token={}", self.origin(), self.state.token)
    }

    /// The per-run token (for tools that call the JSON API with the
    /// `x-console-token` header).
    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// Serves `backend` from now on (a sandbox redeployed); requests under
    /// way finish with the one they started with.
    pub fn set_backend(&self, backend: Arc<dyn ConsoleBackend>) {
        *self.state.backend.write().unwrap_or_else(|e| e.into_inner()) = backend;
    }

    /// Sets the `amplify_outputs.json` document the page builds itself from
    /// (models, buckets' access paths, auth settings); call it again after
    /// each reload.
    pub fn set_outputs(&self, outputs: Value) {
        *self.state.outputs.write().unwrap_or_else(|e| e.into_inner()) = outputs;
    }
}

/// 244 random bits, hex: unguessable by another local user or a web page.
fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}
