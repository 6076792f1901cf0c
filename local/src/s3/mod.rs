//! Local S3: an S3-compatible endpoint for each `AWS::S3::Bucket` of the
//! assembly, path-style (`<origin>/<bucket>/<key>`), with the access rules
//! the templates give each caller.
//!
//! - [s3s](https://crates.io/crates/s3s) speaks the protocol: routing, S3's
//!   XML and error codes, SigV4 header and presigned-URL verification.
//! - `service` holds the operations: Put/Get (ranges, conditions)/Head/
//!   Delete/DeleteObjects/Copy, ListObjectsV2 ([`listing`]) and multipart
//!   uploads, over a persistent [`store`] (redb metadata, files for bytes).
//! - `access` maps each operation to its IAM action and resource, and
//!   [`rules`] decides it with the role policies and bucket policies of the
//!   assembly ([`policy`] is the evaluator). Callers are found by access key
//!   id through a [`Principals`] implementation (the local identity pool).
//! - [`cors`] applies each bucket's `CorsConfiguration`.
//! - Each object created (put, copy, completed multipart upload) or removed is
//!   reported to the listener set with [`LocalS3::set_object_events`] (the
//!   backend's bucket triggers), as S3 sends its event notifications.
//!
//! ```no_run
//! # async fn run(assembly: &local::assembly::Assembly) -> Result<(), local::s3::StorageError> {
//! use std::sync::Arc;
//! use local::s3::{LocalS3, S3Options, StaticPrincipals};
//! let principals = Arc::new(StaticPrincipals::new());
//! let s3 = LocalS3::open(".amplify/local/s3".as_ref(), assembly, principals.clone(), S3Options::default())?;
//! let guest = principals.mint("arn:aws:iam::000000000000:role/unauthRole", Some("us-east-1:guest-id"));
//! let app = s3.router(); // serve it, and sign requests with `guest`'s keys
//! # Ok(()) }
//! ```

mod access;
mod body;
pub mod bucket;
pub mod cors;
mod error;
pub mod listing;
mod notify;
pub mod policy;
mod principal;
pub mod rules;
mod service;
pub mod store;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{Method, Request, StatusCode};
use s3s::service::{S3Service, S3ServiceBuilder};

pub use bucket::{BucketConfig, CorsRule};
pub use error::StorageError;
pub use principal::{Principal, Principals, StaticPrincipals};
pub use rules::AccessRules;
pub use store::ObjectStore;

use crate::assembly::Assembly;
use crate::lambda::ObjectEvents;

/// Settings of the local S3 service.
#[derive(Clone, Debug)]
pub struct S3Options {
    /// The account in role ARNs and principals.
    pub account_id: String,
    /// The region `GetBucketLocation` answers.
    pub region: String,
    /// Whether requests arrive over TLS (`aws:SecureTransport`; the CDK's
    /// bucket policies deny everything without it).
    pub secure_transport: bool,
}

impl Default for S3Options {
    fn default() -> Self {
        S3Options { account_id: "000000000000".into(), region: "us-east-1".into(), secure_transport: true }
    }
}

/// What a reload swaps: the buckets and their rules.
#[derive(Debug)]
pub(crate) struct Served {
    pub buckets: BTreeMap<String, BucketConfig>,
    pub rules: AccessRules,
}

/// The state every part of the service reads.
pub(crate) struct Shared {
    pub store: ObjectStore,
    pub principals: Arc<dyn Principals>,
    pub secure_transport: bool,
    pub region: String,
    served: RwLock<Arc<Served>>,
    /// Who hears of object changes (the buckets' trigger functions).
    events: RwLock<Option<Arc<dyn ObjectEvents>>>,
}

impl Shared {
    pub(crate) fn served(&self) -> Arc<Served> {
        self.served.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The local S3 service of one assembly.
#[derive(Clone)]
pub struct LocalS3 {
    shared: Arc<Shared>,
    service: S3Service,
    account_id: String,
}

fn served(assembly: &Assembly, account_id: &str) -> Result<Served, StorageError> {
    Ok(Served { buckets: bucket::buckets(assembly), rules: AccessRules::from_assembly(assembly, account_id)? })
}

impl LocalS3 {
    /// Opens the object store in `dir` and serves the buckets of `assembly`,
    /// finding callers through `principals`.
    pub fn open(
        dir: &Path,
        assembly: &Assembly,
        principals: Arc<dyn Principals>,
        options: S3Options,
    ) -> Result<LocalS3, StorageError> {
        let shared = Arc::new(Shared {
            store: ObjectStore::open(dir)?,
            principals,
            secure_transport: options.secure_transport,
            region: options.region,
            served: RwLock::new(Arc::new(served(assembly, &options.account_id)?)),
            events: RwLock::new(None),
        });
        let mut builder = S3ServiceBuilder::new(service::Objects(shared.clone()));
        builder.set_auth(access::Gate(shared.clone()));
        builder.set_access(access::Gate(shared.clone()));
        Ok(LocalS3 { service: builder.build(), shared, account_id: options.account_id })
    }

    /// Swaps in the buckets and rules of `assembly`; objects are kept (a
    /// removed bucket's objects stay on disk until a reset).
    pub fn reload(&self, assembly: &Assembly) -> Result<(), StorageError> {
        let next = Arc::new(served(assembly, &self.account_id)?);
        *self.shared.served.write().unwrap_or_else(|e| e.into_inner()) = next;
        Ok(())
    }

    /// Sets who hears of each object created or removed (S3's event
    /// notifications): the backend hands its bucket triggers here.
    pub fn set_object_events(&self, events: Option<Arc<dyn ObjectEvents>>) {
        self.shared.set_events(events);
    }

    /// The buckets served, by name.
    pub fn buckets(&self) -> BTreeMap<String, BucketConfig> {
        self.shared.served().buckets.clone()
    }

    /// Whether `path` (`/<bucket>` or `/<bucket>/<key>`) names a bucket served.
    pub fn serves(&self, path: &str) -> bool {
        let bucket = path.trim_start_matches('/').split('/').next().unwrap_or_default();
        !bucket.is_empty() && self.shared.served().buckets.contains_key(bucket)
    }

    /// Answers one HTTP request (path-style), CORS included.
    pub async fn handle(&self, request: Request<Body>) -> Response {
        let bucket = request.uri().path().trim_start_matches('/').split('/').next().unwrap_or_default().to_string();
        let cors = self.shared.served().buckets.get(&bucket).map(|b| b.cors.clone()).unwrap_or_default();
        if request.method() == Method::OPTIONS {
            return cors::preflight(&cors, request.headers());
        }
        let method = request.method().clone();
        let origin = request.headers().get(http::header::ORIGIN).and_then(|o| o.to_str().ok()).map(str::to_string);
        let mut response = match self.service.call(request.map(s3s::Body::http_body_unsync)).await {
            Ok(r) => r.map(Body::new),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("local S3: {e:?}")).into_response(),
        };
        cors::decorate(&cors, &method, origin.as_deref(), response.headers_mut());
        response
    }

    /// A router that serves only S3 (for tests and tools); the backend
    /// sends a request here when [`LocalS3::serves`] its path.
    pub fn router(&self) -> axum::Router {
        let s3 = self.clone();
        axum::Router::new().fallback(move |request: Request<Body>| {
            let s3 = s3.clone();
            async move { s3.handle(request).await }
        })
    }

    /// The object store (for tests and tools).
    pub fn store(&self) -> &ObjectStore {
        &self.shared.store
    }
}
