//! The console over `ampx dev`'s in-process services: data requests go
//! through the data API's own authorization, user calls to the local user
//! pool's JSON handler, files to the local S3 store (as the bucket's owner,
//! with the bucket's notifications), functions to the local Lambda service
//! and the log book the backend writes to.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::Uri;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use local::appsync::AuthMode;
use local::backend::{Auth, LocalBackend, Tokens};
use local::identity::{sigv4, Credentials};
use local::lambda::ObjectEvent;
use local::s3::store::{ObjectHeaders, ObjectMeta};
use md5::{Digest, Md5};
use serde_json::{json, Value};
use tower::ServiceExt;

use super::{
    ConsoleBackend, DataSummary, Download, GraphQlRequest, GroupSummary, Identity, Listing, ObjectSummary, Overview,
    PoolSummary, SignIn, LISTING_PAGE,
};
use crate::error::{ApiError, ApiResult};
use crate::logs::LogBook;

/// The data API's modes, as Amplify's client names them.
const MODES: [(AuthMode, &str); 5] = [
    (AuthMode::UserPools, "userPool"),
    (AuthMode::ApiKey, "apiKey"),
    (AuthMode::Iam, "iam"),
    (AuthMode::Oidc, "oidc"),
    (AuthMode::Lambda, "lambda"),
];

/// A function's output is read on its own task and may trail its answer by
/// a moment: lines arriving this long after it still count.
const TRAILING: Duration = Duration::from_millis(300);

/// Credentials are renewed this long before they expire.
const RENEW_SECONDS: i64 = 300;

/// `ampx dev`'s backend, for the console.
pub struct LocalConsoleBackend {
    backend: Arc<LocalBackend>,
    logs: LogBook,
    /// IAM credentials by identity: one guest (or admin) session per run,
    /// not a new identity per request.
    credentials: Mutex<HashMap<Identity, Credentials>>,
}

impl LocalConsoleBackend {
    /// The console's view of `backend`; `logs` is the book its function log
    /// lines are written to.
    pub fn new(backend: Arc<LocalBackend>, logs: LogBook) -> LocalConsoleBackend {
        LocalConsoleBackend { backend, logs, credentials: Mutex::default() }
    }

    /// The credentials an IAM identity signs with.
    fn credentials(&self, identity: &Identity) -> ApiResult<Credentials> {
        let now = self.backend.identity_pools().now();
        let mut cache = self.credentials.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.get(identity).filter(|c| c.expiration - RENEW_SECONDS > now) {
            return Ok(c.clone());
        }
        let refused = |e: &dyn std::fmt::Display| ApiError::bad_request("NoCredentials", e.to_string());
        let got = match identity {
            Identity::Admin => self.backend.identity_pools().admin_credentials("console").map_err(|e| refused(&e))?,
            Identity::Iam { id_token } => {
                let got = match id_token {
                    Some(t) => self.backend.user_credentials(&Tokens {
                        id_token: t.clone(),
                        access_token: String::new(),
                        refresh_token: String::new(),
                    }),
                    None => self.backend.guest_credentials(),
                };
                got.map_err(|e| refused(&e))?.1
            }
            _ => return Err(ApiError::internal("only IAM identities have credentials")),
        };
        cache.insert(identity.clone(), got.clone());
        Ok(got)
    }

    fn auth(&self, identity: &Identity) -> ApiResult<Auth> {
        Ok(match identity {
            Identity::UserPool { token } => Auth::UserPool(token.clone()),
            Identity::ApiKey => Auth::ApiKey(self.backend.api_key().ok_or_else(|| {
                ApiError::bad_request("NoApiKey", "the data API has no API key (its schema allows no apiKey mode)")
            })?),
            Identity::Iam { .. } | Identity::Admin => Auth::Iam(self.credentials(identity)?),
            Identity::None => Auth::None,
        })
    }

    /// SigV4 headers for a POST of `body` to the data API's `path`, as
    /// AppSync's realtime handshake (`<data path>/connect`, `{}`) and
    /// `start` messages (the data path, the request) carry them.
    fn signed(&self, identity: &Identity, path: &str, body: &str) -> ApiResult<Value> {
        let c = self.credentials(identity)?;
        let own = vec![
            ("accept".to_string(), "application/json, text/javascript".to_string()),
            ("content-encoding".to_string(), "amz-1.0".to_string()),
            ("content-type".to_string(), "application/json; charset=UTF-8".to_string()),
            ("host".to_string(), self.backend.addr().to_string()),
        ];
        let identity_pools = self.backend.identity_pools();
        let keys = (c.access_key_id.as_str(), c.secret_access_key.as_str(), Some(c.session_token.as_str()));
        let signed = sigv4::sign_headers(
            "POST",
            path,
            "",
            &own,
            body.as_bytes(),
            keys,
            identity_pools.region(),
            "appsync",
            identity_pools.now(),
        );
        Ok(Value::Object(own.into_iter().chain(signed).map(|(k, v)| (k, json!(v))).collect()))
    }

    fn data_path(&self) -> String {
        url::Url::parse(&self.backend.graphql_url()).map_or_else(|_| "/graphql".into(), |u| u.path().to_string())
    }

    fn bucket(&self, bucket: &str) -> ApiResult<()> {
        if self.backend.s3().buckets().contains_key(bucket) {
            Ok(())
        } else {
            Err(ApiError::not_found(format!("the backend has no bucket {bucket}")))
        }
    }

    fn function(&self, name: &str) -> ApiResult<String> {
        self.backend
            .lambda()
            .find(name)
            .map(|f| f.display_name)
            .ok_or_else(|| ApiError::not_found(format!("the backend has no function {name}")))
    }
}

fn storage(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("local S3: {e}"))
}

/// Writes `bytes` to a new file and syncs it: the object is acknowledged
/// only once its bytes are on disk.
fn write_synced(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[async_trait]
impl ConsoleBackend for LocalConsoleBackend {
    async fn overview(&self) -> ApiResult<Overview> {
        let backend = &self.backend;
        let iam = backend.data_api().is_some_and(|api| api.auth().enabled(AuthMode::Iam));
        let auth_modes = backend.data_api().map_or_else(Vec::new, |api| {
            MODES.iter().filter(|(m, _)| api.auth().enabled(*m)).map(|(_, name)| name.to_string()).collect()
        });
        let user_pools = backend
            .user_pools()
            .pools()
            .iter()
            .map(|p| PoolSummary {
                id: p.pool_id.clone(),
                username_attributes: p.username_attributes.clone(),
                groups: p
                    .groups
                    .iter()
                    .map(|g| GroupSummary { name: g.name.clone(), description: g.description.clone() })
                    .collect(),
                password_minimum_length: Some(p.password_policy.minimum_length as u64),
            })
            .collect();
        Ok(Overview {
            kind: "local".into(),
            data: DataSummary {
                available: backend.data_api().is_some(),
                auth_modes,
                api_key: backend.api_key().is_some(),
                identity_pool: backend.identity_pool_id().is_some(),
                admin: iam,
            },
            user_pools,
            buckets: backend.s3().buckets().into_keys().collect(),
            functions: backend.lambda().functions().into_iter().map(|f| f.display_name).collect(),
            sign_in_as: true,
            sign_in_needs_password: false,
        })
    }

    async fn graphql(&self, request: GraphQlRequest, identity: &Identity) -> ApiResult<Value> {
        let api = self
            .backend
            .data_api()
            .ok_or_else(|| ApiError::not_found("this backend has no data API (define data to use the data manager)"))?;
        let variables = Some(request.variables).filter(|v| !v.is_null()).unwrap_or_else(|| json!({}));
        let body = json!({"query": request.query, "variables": variables, "operationName": request.operation_name})
            .to_string();
        let headers = match self.auth(identity)? {
            Auth::Iam(_) => self.signed(identity, &self.data_path(), &body)?,
            Auth::ApiKey(k) => json!({"x-api-key": k}),
            Auth::UserPool(t) => json!({"authorization": t}),
            Auth::None => json!({}),
        };
        let lookup = |h: &str| local::appsync::realtime::protocol::header_in(&headers, h);
        Ok(api.handle(&lookup, headers.clone(), body.as_bytes()).await.body)
    }

    async fn realtime(&self, identity: &Identity, mut upgrade: Request) -> ApiResult<Response> {
        let api = self.backend.data_api().ok_or_else(|| ApiError::not_found("this backend has no data API"))?;
        let host = self.backend.addr().to_string();
        let headers = match self.auth(identity)? {
            Auth::UserPool(token) => json!({"host": host, "Authorization": token}),
            Auth::ApiKey(key) => json!({"host": host, "x-api-key": key}),
            Auth::None => json!({"host": host}),
            Auth::Iam(_) => self.signed(identity, &format!("{}/connect", self.data_path()), "{}")?,
        };
        let header = STANDARD.encode(headers.to_string());
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("header", &header)
            .append_pair("payload", "e30=")
            .finish();
        let uri: Uri = format!("/graphql/realtime?{query}").parse().map_err(|e| ApiError::internal(format!("{e}")))?;
        *upgrade.uri_mut() = uri;
        match api.router().oneshot(upgrade).await {
            Ok(response) => Ok(response),
            Err(never) => match never {},
        }
    }

    async fn sign_subscription(&self, identity: &Identity, data: &str) -> ApiResult<Value> {
        let host = self.backend.addr().to_string();
        Ok(match self.auth(identity)? {
            Auth::UserPool(token) => json!({"host": host, "Authorization": token}),
            Auth::ApiKey(key) => json!({"host": host, "x-api-key": key}),
            Auth::None => json!({"host": host}),
            Auth::Iam(_) => self.signed(identity, &self.data_path(), data)?,
        })
    }

    async fn user_pool(&self, operation: &str, request: Value) -> ApiResult<Value> {
        Ok(self.backend.user_pools().handle(operation, &request)?)
    }

    async fn sign_in_as(&self, pool: &str, username: &str, _with: &SignIn) -> ApiResult<Value> {
        Ok(self.backend.user_pools().issue_tokens_for(pool, username)?)
    }

    async fn list_objects(&self, bucket: &str, prefix: &str) -> ApiResult<Listing> {
        self.bucket(bucket)?;
        let mut listing = Listing::default();
        self.backend
            .s3()
            .store()
            .scan(bucket, prefix, |key, meta| {
                let Some(rest) = key.strip_prefix(prefix) else { return false };
                match rest.find('/') {
                    Some(i) => {
                        let folder = format!("{prefix}{}", &rest[..=i]);
                        if listing.folders.last() != Some(&folder) {
                            listing.folders.push(folder);
                        }
                    }
                    None => listing.objects.push(ObjectSummary {
                        key: key.to_string(),
                        size: meta.size,
                        etag: meta.etag,
                        last_modified: meta.last_modified_ms,
                        content_type: meta.headers.content_type,
                    }),
                }
                listing.truncated = listing.objects.len() + listing.folders.len() >= LISTING_PAGE;
                !listing.truncated
            })
            .map_err(storage)?;
        Ok(listing)
    }

    async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Bytes,
        content_type: Option<String>,
    ) -> ApiResult<String> {
        self.bucket(bucket)?;
        let store = self.backend.s3().store();
        let (blob, path) = store.new_blob();
        if let Err(e) = write_synced(&path, &body) {
            let _ = std::fs::remove_file(&path);
            return Err(storage(format!("cannot write {}: {e}", path.display())));
        }
        let etag: String = Md5::digest(&body).iter().map(|b| format!("{b:02x}")).collect();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let meta = ObjectMeta {
            size: body.len() as u64,
            etag: etag.clone(),
            last_modified_ms: now as i64,
            headers: ObjectHeaders { content_type, ..Default::default() },
            blob,
        };
        store.put(bucket, key, &meta).map_err(storage)?;
        self.backend.storage_events().object_changed(&ObjectEvent {
            bucket: bucket.to_string(),
            key: key.to_string(),
            event_name: "ObjectCreated:Put".into(),
            size: Some(meta.size),
            etag: Some(etag.clone()),
            principal: None,
        });
        Ok(etag)
    }

    async fn get_object(&self, bucket: &str, key: &str) -> ApiResult<Download> {
        self.bucket(bucket)?;
        let store = self.backend.s3().store();
        let meta =
            store.get(bucket, key).map_err(storage)?.ok_or_else(|| ApiError::not_found(format!("no object {key}")))?;
        let bytes = tokio::fs::read(store.blob_path(&meta.blob)).await.map_err(storage)?;
        Ok(Download { bytes, content_type: meta.headers.content_type })
    }

    async fn delete_object(&self, bucket: &str, key: &str) -> ApiResult<()> {
        self.bucket(bucket)?;
        if !self.backend.s3().store().delete(bucket, key).map_err(storage)? {
            return Err(ApiError::not_found(format!("no object {key} in {bucket}")));
        }
        self.backend.storage_events().object_changed(&ObjectEvent {
            bucket: bucket.to_string(),
            key: key.to_string(),
            event_name: "ObjectRemoved:Delete".into(),
            size: None,
            etag: None,
            principal: None,
        });
        Ok(())
    }

    async fn functions(&self) -> ApiResult<Value> {
        let functions: Vec<Value> = self
            .backend
            .lambda()
            .functions()
            .into_iter()
            .map(|f| {
                json!({"name": f.display_name, "functionName": f.name, "runtime": f.runtime, "handler": f.handler,
                    "timeoutSeconds": f.timeout_seconds, "memoryMb": f.memory_mb})
            })
            .collect();
        let problems: Vec<String> = self.backend.function_problems().iter().map(ToString::to_string).collect();
        Ok(json!({"functions": functions, "problems": problems}))
    }

    async fn invoke(&self, function: &str, event: Value) -> ApiResult<Value> {
        let name = self.function(function)?;
        let mark = self.logs.last_seq();
        let started = std::time::Instant::now();
        let outcome = self.backend.lambda().invoke(&name, &event).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        tokio::time::sleep(TRAILING).await;
        let lines = self.logs.since(Some(&name), mark);
        let mut answer = json!({"function": name, "durationMs": elapsed_ms, "lines": lines});
        match outcome {
            Ok(result) => answer["result"] = result,
            Err(e) => answer["error"] = json!(e.to_string()),
        }
        Ok(answer)
    }

    async fn logs(&self, function: &str, since: u64) -> ApiResult<Value> {
        let name = self.function(function)?;
        let lines = self.logs.since(Some(&name), since);
        Ok(json!({"function": name, "lines": lines, "last": self.logs.last_seq()}))
    }
}
