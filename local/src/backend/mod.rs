//! [`LocalBackend`]: every local service for one cloud assembly on one HTTPS
//! port — the data API and its realtime WebSocket, the user pools, their keys,
//! the identity pools, the functions and the buckets — over the stores in a data directory (`.amplify/local`), which survive
//! restarts and reloads.
//!
//! ```no_run
//! # async fn run() -> Result<(), local::backend::BackendError> {
//! use local::backend::{Auth, LocalBackend, Options};
//! let backend = LocalBackend::start(Options::new("cdk.out", ".amplify/local")).await?;
//! let alice = backend.sign_up_and_sign_in("alice@example.com", "Passw0rd!Passw0rd")?;
//! let body = backend.graphql("{ listChats { items { id } } }", serde_json::json!({}), Auth::UserPool(alice.access_token)).await?;
//! # Ok(()) }
//! ```
//!
//! Reloading ([`LocalBackend::reload`]) swaps the schema, resolvers and tables
//! (new tables and indexes are created, items kept), and the user and identity
//! pools' settings (users and identities kept); realtime connections open at a
//! reload are closed, so that clients reconnect to the new API.

mod client;
mod iam;
mod pools;
mod principals;
mod role_credentials;
mod runtime;
mod server;
mod serving;
mod store;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

pub use client::{Auth, Tokens};
pub use iam::DataApiIam;
pub use pools::{pool_configs, PoolTokens};
pub use runtime::JsRuntime;
pub use server::{COGNITO_PATH, IDENTITY_PATH};
pub use store::{create_tables, numbers_as_strings, StoreApi};

use crate::appsync::tls::{LocalCa, TlsError};
use crate::appsync::{DataApi, DataApiError, Services};
use crate::assembly::{Assembly, AssemblyError, LocalEnv};
use crate::cognito::{CognitoError, EventSink, MessageSent, UserPools};
use crate::dynamodb::{Store, StoreError};
use crate::identity::{identity_pool_configs, IdentityError, IdentityPools};
use crate::lambda::triggers::{bucket_triggers, schedules_of, StorageTriggers};
use crate::lambda::{ConfigProblem, Lambda, LambdaOptions, LogSink, ObjectEvents, Schedule};
use crate::s3::{LocalS3, Principals, S3Options, StaticPrincipals, StorageError};
use server::{Current, Served};
use serving::Serving;

/// Why the local backend could not start or reload.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The port is taken or cannot be bound.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why, and what to do.
        reason: String,
    },
    /// The assembly cannot be read.
    #[error(transparent)]
    Assembly(#[from] AssemblyError),
    /// The DynamoDB store cannot be opened or a table not created.
    #[error("local DynamoDB store: {0}")]
    Store(#[from] StoreError),
    /// The user pools cannot be opened or configured, or a call failed.
    #[error("local Cognito: {0}")]
    Cognito(#[from] CognitoError),
    /// The identity pools cannot be opened or configured.
    #[error("local Cognito identity pools: {0}")]
    Identity(#[from] IdentityError),
    /// The data API cannot be built from the assembly.
    #[error("local data API: {0}")]
    DataApi(#[from] DataApiError),
    /// The buckets' store or rules cannot be opened or read.
    #[error("local S3: {0}")]
    Storage(#[from] StorageError),
    /// The local certificate authority cannot be made or read.
    #[error("local TLS certificate: {0}")]
    Tls(#[from] TlsError),
    /// Anything else, said in words.
    #[error("{0}")]
    Config(String),
}

/// Where and what to serve.
#[derive(Clone)]
pub struct Options {
    /// The synthesized cloud assembly (`cdk.out`).
    pub assembly_dir: PathBuf,
    /// Where the stores and the local CA live (`.amplify/local`).
    pub data_dir: PathBuf,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// The address to listen on (the certificate is for 127.0.0.1 and localhost).
    pub host: IpAddr,
    /// The region in ids and ARNs.
    pub region: String,
    /// Also receives every code or temporary password the pools "send".
    pub events: Option<EventSink>,
    /// Where functions' log lines go (default: stderr, `[name] line`).
    pub function_logs: Option<LogSink>,
    /// Who signed an S3 request (the local identity pool's credentials);
    /// `None`: credentials minted with [`LocalBackend::s3_principals`] only.
    pub principals: Option<Arc<dyn Principals>>,
}

impl Options {
    /// 127.0.0.1, a free port, us-east-1.
    pub fn new(assembly_dir: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Options {
        Options {
            assembly_dir: assembly_dir.into(),
            data_dir: data_dir.into(),
            port: 0,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            region: "us-east-1".into(),
            events: None,
            function_logs: None,
            principals: None,
        }
    }
}

/// The directories inside the data directory.
const DYNAMODB_DIR: &str = "dynamodb";
const COGNITO_DIR: &str = "cognito";
const IDENTITY_DIR: &str = "identity";
/// The account id in local ARNs.
const ACCOUNT_ID: &str = "000000000000";
const CA_DIR: &str = "ca";
const LAMBDA_DIR: &str = "lambda";
const S3_DIR: &str = "s3";

/// The running local services. Dropping it stops the server.
pub struct LocalBackend {
    addr: SocketAddr,
    env: LocalEnv,
    ca_cert_path: PathBuf,
    store: Arc<Store>,
    pools: Arc<UserPools>,
    identity: Arc<IdentityPools>,
    runtime: Arc<JsRuntime>,
    s3: LocalS3,
    minted: Arc<StaticPrincipals>,
    current: Current,
    assembly: RwLock<Arc<Assembly>>,
    sent: Arc<Mutex<Vec<MessageSent>>>,
    lambda: Lambda,
    function_problems: RwLock<Vec<ConfigProblem>>,
    storage_triggers: Arc<StorageTriggers>,
    server: Option<Serving>,
}

fn bind_error(addr: SocketAddr, e: &std::io::Error) -> BackendError {
    let reason = if e.kind() == std::io::ErrorKind::AddrInUse {
        format!(
            "port {} is already in use by another program; stop it, or pick another port (0 picks a free one)",
            addr.port()
        )
    } else {
        e.to_string()
    };
    BackendError::Bind { addr, reason }
}

impl LocalBackend {
    /// Deletes the stores in `data_dir` (tables, items, users, identities, credentials, objects); the local CA
    /// is kept, since browsers and tools were told to trust it.
    pub fn reset(data_dir: &Path) -> Result<(), BackendError> {
        for dir in [DYNAMODB_DIR, COGNITO_DIR, S3_DIR, IDENTITY_DIR] {
            let path = data_dir.join(dir);
            match std::fs::remove_dir_all(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(BackendError::Config(format!("cannot delete {}: {e}", path.display()))),
            }
        }
        Ok(())
    }

    /// Binds the port, reads the assembly, opens the stores, creates the
    /// tables and pools, and serves. Must run inside a Tokio runtime.
    pub async fn start(options: Options) -> Result<LocalBackend, BackendError> {
        let addr = SocketAddr::new(options.host, options.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| bind_error(addr, &e))?;
        let addr = listener.local_addr().map_err(|e| bind_error(addr, &e))?;
        let origin = format!("https://{addr}");
        let env = LocalEnv {
            region: options.region.clone(),
            account_id: ACCOUNT_ID.into(),
            graphql_url: Some(format!("{origin}/graphql")),
        };
        let assembly = Assembly::load(&options.assembly_dir, &env)?;

        let store = Arc::new(Store::open(&options.data_dir.join(DYNAMODB_DIR))?);
        create_tables(&store, &assembly)?;

        let sent = Arc::new(Mutex::new(Vec::new()));
        let sink = {
            let (sent, forward) = (sent.clone(), options.events.clone());
            EventSink::new(move |m: &MessageSent| {
                sent.lock().unwrap_or_else(|e| e.into_inner()).push(m.clone());
                if let Some(f) = &forward {
                    f.send(m.clone());
                }
            })
        };
        let configs = pool_configs(&assembly)?;
        let pools = Arc::new(UserPools::open(&options.data_dir.join(COGNITO_DIR), configs, sink)?);
        pools.set_endpoint(&format!("{origin}{COGNITO_PATH}"));

        let identity_configs = identity_pool_configs(&assembly)?;
        let identity = Arc::new(IdentityPools::open(
            &options.data_dir.join(IDENTITY_DIR),
            identity_configs,
            Some(pools.clone()),
            &options.region,
            ACCOUNT_ID,
        )?);
        identity.set_roles(&assembly);

        let ca = LocalCa::load_or_create(&options.data_dir.join(CA_DIR))?;
        let lambda = start_lambda(&options, &origin, &ca.ca_cert_path, &identity)?;
        let function_problems = lambda.load(&assembly);
        pools.set_triggers(Arc::new(lambda.clone()));
        let storage_triggers = Arc::new(StorageTriggers {
            lambda: lambda.clone(),
            triggers: RwLock::new(bucket_triggers(&assembly)),
            region: options.region.clone(),
        });

        let runtime = Arc::new(JsRuntime::default());
        let served = build_api(&assembly, &store, &pools, &identity, &runtime, &lambda)?;
        let current: Current = Arc::new(RwLock::new(served));

        // S3 requests signed with credentials minted here (tests, tools) or
        // issued by the local identity pools.
        let minted = Arc::new(StaticPrincipals::new());
        let principals: Arc<dyn Principals> = match &options.principals {
            Some(p) => p.clone(),
            None => Arc::new(principals::Either(minted.clone(), identity.clone())),
        };
        let s3_options =
            S3Options { account_id: env.account_id.clone(), region: env.region.clone(), secure_transport: true };
        let s3 = LocalS3::open(&options.data_dir.join(S3_DIR), &assembly, principals, s3_options)?;
        s3.set_object_events(Some(storage_triggers.clone()));

        let router = server::router(pools.clone(), identity.clone(), s3.clone(), current.clone());
        let server = Serving::start(listener, router, ca.server_config.clone())?;
        Ok(LocalBackend {
            addr,
            env,
            ca_cert_path: ca.ca_cert_path,
            store,
            pools,
            identity,
            runtime,
            s3,
            minted,
            current,
            assembly: RwLock::new(Arc::new(assembly)),
            sent,
            lambda,
            function_problems: RwLock::new(function_problems),
            storage_triggers,
            server: Some(server),
        })
    }

    /// Stops serving and waits until the server has let go of the stores, so
    /// that the data directory can be opened again in this process (dropping
    /// the backend stops it too, without waiting). Connections still open
    /// (a realtime WebSocket) hold the stores until they close.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
    }

    /// Reads the assembly in `assembly_dir` again and swaps in its schema,
    /// resolvers, tables, user and identity pool settings, roles, functions
    /// and buckets, keeping the data, users and identities; on an error in the
    /// assembly the running backend is left as it was. Answers warnings (none
    /// today; kept for settings that cannot be applied while running).
    pub fn reload(&self, assembly_dir: &Path) -> Result<Vec<String>, BackendError> {
        let assembly = Assembly::load(assembly_dir, &self.env)?;
        let configs = pool_configs(&assembly)?;
        let identity_configs = identity_pool_configs(&assembly)?;
        let served = build_api(&assembly, &self.store, &self.pools, &self.identity, &self.runtime, &self.lambda)?;
        self.s3.reload(&assembly)?;
        create_tables(&self.store, &assembly)?;
        // A new client's secret is written to the store here, so this can
        // fail; it comes before anything is swapped.
        self.pools.reconfigure(configs)?;
        self.identity.reconfigure(identity_configs);
        self.identity.set_roles(&assembly);
        *self.function_problems.write().unwrap_or_else(|e| e.into_inner()) = self.lambda.load(&assembly);
        *self.storage_triggers.triggers.write().unwrap_or_else(|e| e.into_inner()) = bucket_triggers(&assembly);
        let old = std::mem::replace(&mut *self.current.write().unwrap_or_else(|e| e.into_inner()), served);
        if let Some(old) = old {
            old.api.retire();
        }
        *self.assembly.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(assembly);
        Ok(Vec::new())
    }

    /// The address served (with the port picked when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `https://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// The data API's URL (`<origin>/graphql`).
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.origin())
    }

    /// The realtime URL Amplify derives from the data URL.
    pub fn realtime_url(&self) -> String {
        crate::assembly::realtime_url(&self.graphql_url())
    }

    /// Amplify's `Auth.Cognito.userPoolEndpoint`.
    pub fn user_pool_endpoint(&self) -> String {
        format!("{}{COGNITO_PATH}", self.origin())
    }

    /// What Amplify JS Storage takes as `options.customEndpoint`: the
    /// origin without its scheme (`127.0.0.1:<port>`); Amplify adds `https://`.
    pub fn storage_endpoint(&self) -> String {
        self.addr.to_string()
    }

    /// The buckets served.
    pub fn s3(&self) -> &LocalS3 {
        &self.s3
    }

    /// Principals for S3 requests minted by the caller (tests, tools), used
    /// when [`Options::principals`] is `None`.
    pub fn s3_principals(&self) -> &Arc<StaticPrincipals> {
        &self.minted
    }

    /// Amplify's `Auth.Cognito.identityPoolEndpoint`.
    pub fn identity_pool_endpoint(&self) -> String {
        format!("{}{IDENTITY_PATH}", self.origin())
    }

    /// The first identity pool's id, if the backend has one.
    pub fn identity_pool_id(&self) -> Option<String> {
        self.identity.pools().first().map(|p| p.pool_id.clone())
    }

    /// The identity pools, and the IAM side of the backend: who signed a
    /// request, what a role may do, credentials for a function's role.
    pub fn identity_pools(&self) -> &Arc<IdentityPools> {
        &self.identity
    }

    /// The local CA's certificate (PEM): trust it in the browser, or point
    /// `NODE_EXTRA_CA_CERTS` at it.
    pub fn ca_cert_path(&self) -> &Path {
        &self.ca_cert_path
    }

    /// The assembly being served.
    pub fn assembly(&self) -> Arc<Assembly> {
        self.assembly.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Resource types the local services do not run, with their counts.
    pub fn not_emulated(&self) -> BTreeMap<String, usize> {
        self.assembly().not_emulated()
    }

    /// The data API being served, if the assembly has one.
    pub fn data_api(&self) -> Option<DataApi> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).as_ref().map(|s| s.api.clone())
    }

    /// The data API's first API key, if it has one.
    pub fn api_key(&self) -> Option<String> {
        self.data_api()?.auth().api_keys.first().map(|k| k.key.clone())
    }

    /// The user pools.
    pub fn user_pools(&self) -> &Arc<UserPools> {
        &self.pools
    }

    /// The DynamoDB store.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The local Lambda service running the assembly's functions.
    pub fn lambda(&self) -> &Lambda {
        &self.lambda
    }

    /// The functions that cannot run locally, each with why.
    pub fn function_problems(&self) -> Vec<ConfigProblem> {
        self.function_problems.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// What the local S3 calls after each object change (set at start): it
    /// runs the buckets' notification functions.
    pub fn storage_events(&self) -> Arc<dyn ObjectEvents> {
        self.storage_triggers.clone()
    }

    /// The assembly's schedules (run on demand with [`Lambda::invoke`] and
    /// [`Schedule::event`]).
    pub fn schedules(&self) -> Vec<Schedule> {
        schedules_of(&self.assembly())
    }

    /// Every code and temporary password the pools "sent", oldest first.
    pub fn messages(&self) -> Vec<MessageSent> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn build_api(
    assembly: &Assembly,
    store: &Arc<Store>,
    pools: &Arc<UserPools>,
    identity: &Arc<IdentityPools>,
    runtime: &Arc<JsRuntime>,
    lambda: &Lambda,
) -> Result<Option<Served>, BackendError> {
    if assembly.of_type("AWS::AppSync::GraphQLApi").next().is_none() {
        return Ok(None);
    }
    let url = assembly
        .of_type("AWS::AppSync::GraphQLApi")
        .find_map(|a| a.str_attribute("GraphQLUrl"))
        .unwrap_or("/graphql")
        .to_string();
    let iam = DataApiIam::new(identity.clone(), assembly, &url);
    let services = Services {
        store: Arc::new(StoreApi(store.clone())),
        tokens: Some(Arc::new(PoolTokens(pools.clone()))),
        runtime: runtime.clone(),
        iam: iam.map(|v| Arc::new(v) as Arc<dyn crate::appsync::IamVerifier>),
        lambda: Some(Arc::new(lambda.clone())),
    };
    let api = DataApi::from_assembly(assembly, services)?;
    Ok(Some(Served { router: api.router(), api }))
}

/// The Lambda service, its functions pointed at this backend: the user pool
/// and S3 endpoints, the local CA so that Node.js trusts the backend's HTTPS,
/// and credentials for each function's role from the identity service.
fn start_lambda(
    options: &Options,
    origin: &str,
    ca_cert: &Path,
    identity: &Arc<IdentityPools>,
) -> Result<Lambda, BackendError> {
    let mut lambda_options = LambdaOptions::new(options.data_dir.join(LAMBDA_DIR));
    lambda_options.region = options.region.clone();
    lambda_options.credentials = Some(Arc::new(role_credentials::RoleCredentials::new(identity)));
    if let Some(logs) = &options.function_logs {
        lambda_options.logs = logs.clone();
    }
    let env = &mut lambda_options.environment;
    env.insert("NODE_EXTRA_CA_CERTS".into(), ca_cert.display().to_string());
    env.insert("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER".into(), format!("{origin}{COGNITO_PATH}"));
    // Path-style, as the local S3 serves buckets (`<origin>/<bucket>/<key>`).
    env.insert("AWS_ENDPOINT_URL_S3".into(), origin.to_string());
    Lambda::start(lambda_options).map_err(|e| BackendError::Config(e.to_string()))
}
