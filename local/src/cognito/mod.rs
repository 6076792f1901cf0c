//! Cognito user pools (the Identity Provider JSON 1.1 protocol), with the pool
//! settings of the assembly's templates.
//!
//! [`UserPools`] holds every pool of one assembly over one persistent store;
//! [`UserPools::handle`] answers one API call, [`router`] serves them over HTTP
//! the way Amplify's client calls Cognito (`userPoolEndpoint`), and
//! [`UserPools::verify`] checks the tokens the pools issued (for the data API).
//! Codes and temporary passwords are not delivered: they go to the
//! [`EventSink`] given at [`UserPools::open`].

pub mod attributes;
mod challenges;
pub mod config;
pub mod errors;
pub mod events;
mod http;
mod impersonate;
mod ops;
mod policy;
mod request;
pub mod srp;
mod store;
pub(crate) mod tokens;
pub mod triggers;
pub mod user;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use challenges::Challenges;
pub use config::{ClientConfig, GroupConfig, PasswordPolicy, PoolConfig};
pub use errors::{CognitoError, ErrorKind};
pub use events::{DeliveryMedium, EventSink, MessagePurpose, MessageSent};
pub use http::router;
pub use ops::common::secret_hash;
pub use ops::operation_names;
use store::Store;
use tokens::{SigningKey, TokenProblem};
pub use triggers::TriggerInvoker;

/// The store's file name inside the directory given to [`UserPools::open`].
pub const STORE_FILE: &str = "cognito.redb";

/// One pool at run time: its settings, signing key and client secrets.
pub(crate) struct Pool {
    pub config: PoolConfig,
    pub key: SigningKey,
    pub secrets: HashMap<String, String>,
}

/// All user pools of one assembly, over one store. `Send + Sync`: share it in
/// an `Arc`.
pub struct UserPools {
    pools: RwLock<Vec<Arc<Pool>>>,
    store: Store,
    events: EventSink,
    challenges: Challenges,
    endpoint: RwLock<String>,
    clock_offset: AtomicI64,
    started: f64,
    triggers: RwLock<Option<Arc<dyn TriggerInvoker>>>,
}

impl UserPools {
    /// Opens the pools' store in `dir` (created if missing; the file is
    /// [`STORE_FILE`]), making each pool's signing key and client secrets the
    /// first time. `events` receives the codes and passwords Cognito would send.
    pub fn open(dir: &Path, pools: Vec<PoolConfig>, events: EventSink) -> Result<UserPools, CognitoError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| CognitoError::store(dir, format!("cannot create the directory: {e}")))?;
        let store = Store::open(&dir.join(STORE_FILE))?;
        let runtime = build_pools(&store, pools)?;
        let started = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        Ok(UserPools {
            pools: RwLock::new(runtime),
            store,
            events,
            challenges: Challenges::default(),
            endpoint: RwLock::new("http://localhost".to_string()),
            clock_offset: AtomicI64::new(0),
            started,
            triggers: RwLock::new(None),
        })
    }

    /// Applies new settings (a reloaded assembly): pools, clients and groups
    /// are replaced, users and their sign-ins kept. A pool that keeps its id
    /// keeps its signing key, so tokens issued before stay valid; calls
    /// already running finish on the settings they started with.
    pub fn reconfigure(&self, pools: Vec<PoolConfig>) -> Result<(), CognitoError> {
        let runtime = build_pools(&self.store, pools)?;
        *self.pools.write().unwrap_or_else(|e| e.into_inner()) = runtime;
        Ok(())
    }

    /// The pools as they are now (an `Arc` per pool, so a call keeps the
    /// settings it started with across a [`reconfigure`](Self::reconfigure)).
    pub(crate) fn current(&self) -> Vec<Arc<Pool>> {
        self.pools.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Sets the base URL the pools are served at (e.g. `http://127.0.0.1:4001`),
    /// which becomes the tokens' issuer: `<endpoint>/<pool id>`, so that
    /// `<issuer>/.well-known/jwks.json` is where the keys are served.
    pub fn set_endpoint(&self, endpoint: &str) {
        let mut current = self.endpoint.write().unwrap_or_else(|e| e.into_inner());
        *current = endpoint.trim_end_matches('/').to_string();
    }

    /// The issuer (`iss`) of the tokens of `pool_id`.
    pub fn issuer(&self, pool_id: &str) -> String {
        let endpoint = self.endpoint.read().unwrap_or_else(|e| e.into_inner());
        format!("{endpoint}/{pool_id}")
    }

    /// One JSON 1.1 call: `target` is the operation name without the
    /// `AWSCognitoIdentityProviderService.` prefix.
    pub fn handle(&self, target: &str, body: &Value) -> Result<Value, CognitoError> {
        if !body.is_object() {
            return Err(CognitoError::new(ErrorKind::Serialization, "The request body must be a JSON object"));
        }
        ops::dispatch(self, target, body)
    }

    /// Verifies a token one of the pools issued (signature, expiry, token_use,
    /// that its sign-in was not revoked and its user still exists and is
    /// enabled) and returns its claims.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, CognitoError> {
        let invalid = || CognitoError::not_authorized("Invalid token");
        let kid = tokens::kid_of(token).ok_or_else(invalid)?;
        let pool = self.current().into_iter().find(|p| p.key.kid == kid).ok_or_else(invalid)?;
        let claims = pool.key.decode(token, self.now()).map_err(|p| match p {
            TokenProblem::Expired => CognitoError::not_authorized("Token has expired."),
            TokenProblem::Invalid => invalid(),
        })?;
        let token_use = claims.get("token_use").and_then(Value::as_str);
        if !matches!(token_use, Some("id" | "access")) {
            return Err(invalid());
        }
        // The port may differ between runs; the signature already proves the
        // pool issued it, so only the pool part of the issuer must match.
        let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
        if !iss.ends_with(&format!("/{}", pool.config.pool_id)) {
            return Err(invalid());
        }
        ops::common::check_session(self, &pool, &claims)?;
        Ok(claims)
    }

    /// The JWKS of `pool_id` (`{"keys": [..]}`), or `None` for an unknown pool.
    pub fn jwks(&self, pool_id: &str) -> Option<Value> {
        self.current().iter().find(|p| p.config.pool_id == pool_id).map(|p| json!({"keys": [p.key.jwk()]}))
    }

    /// The secret of a client made with `GenerateSecret`, to show the developer.
    pub fn client_secret(&self, client_id: &str) -> Option<String> {
        self.current().iter().find_map(|p| p.secrets.get(client_id).cloned())
    }

    /// The pools' settings, as they are now.
    pub fn pools(&self) -> Vec<PoolConfig> {
        self.current().iter().map(|p| p.config.clone()).collect()
    }

    /// Moves the pools' clock forward by `seconds`, so tests can see codes and
    /// tokens expire without waiting.
    pub fn advance_clock(&self, seconds: i64) {
        self.clock_offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Unix seconds, on the pools' clock.
    pub(crate) fn now(&self) -> i64 {
        let real = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        real + self.clock_offset.load(Ordering::SeqCst)
    }

    /// Unix seconds with fraction, as Cognito's dates are.
    pub(crate) fn now_f64(&self) -> f64 {
        let real = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        let t = real + self.clock_offset.load(Ordering::SeqCst) as f64;
        (t * 1000.0).round() / 1000.0
    }
}

/// Each pool's run-time state: its signing key and client secrets, made the
/// first time a pool or client is seen and kept in the store after that.
fn build_pools(store: &Store, pools: Vec<PoolConfig>) -> Result<Vec<Arc<Pool>>, CognitoError> {
    let mut seen_pools = std::collections::HashSet::new();
    let mut seen_clients = std::collections::HashSet::new();
    let mut runtime = Vec::new();
    for config in pools {
        if !seen_pools.insert(config.pool_id.clone()) {
            return Err(CognitoError::Config(format!("user pool {} is configured twice", config.pool_id)));
        }
        let mut secrets = HashMap::new();
        for client in &config.clients {
            if !seen_clients.insert(client.client_id.clone()) {
                return Err(CognitoError::Config(format!("user pool client {} is configured twice", client.client_id)));
            }
            if client.generate_secret {
                let secret = store.meta_or_insert(&format!("client-secret/{}", client.client_id), || {
                    ops::common::random_secret().into_bytes()
                })?;
                secrets.insert(client.client_id.clone(), String::from_utf8_lossy(&secret).into_owned());
            }
        }
        let key = SigningKey::load_or_create(store, &config.pool_id)?;
        runtime.push(Arc::new(Pool { config, key, secrets }));
    }
    Ok(runtime)
}
