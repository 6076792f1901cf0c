//! The console's calls to a sandbox's data API (AppSync) as the identity the
//! page chose: the developer's own IAM credentials (the admin), a user's
//! pool token (renewed by [`SignIns`]), the API key, or identity pool
//! credentials (a guest's or a signed-in user's, SigV4-signed). The same
//! identity opens the realtime handshake and signs each subscription's
//! `start`, as AppSync requires of every mode.

use std::sync::Arc;

use ampx_console::backend::relay::{self, Amend};
use ampx_console::backend::{GraphQlRequest, Identity, Request, Response};
use ampx_console::{ApiError, ApiResult};
use aws_credential_types::Credentials;
use serde_json::{json, Value};

use super::identity_pool::IdentityPool;
use super::realtime;
use super::sign_in::SignIns;
use super::signed::{Outgoing, Signer, Signing};

/// How one request is authorized.
enum Auth {
    /// SigV4 with the developer's credentials.
    Developer,
    /// SigV4 with identity pool credentials.
    Iam(Credentials),
    /// A user pool token in `Authorization`.
    Token(String),
    /// The API key in `x-api-key`.
    ApiKey(String),
    /// Nothing.
    None,
}

/// A sandbox's data API, for the console.
pub struct DataApi {
    /// `https://<api>/graphql`.
    pub url: String,
    api_key: Option<String>,
    signer: Signer,
    sign_ins: Option<Arc<SignIns>>,
    identity_pool: Option<IdentityPool>,
    tls: Arc<rustls::ClientConfig>,
}

impl DataApi {
    /// The API at `url`.
    pub fn new(
        url: String,
        api_key: Option<String>,
        signer: Signer,
        sign_ins: Option<Arc<SignIns>>,
        identity_pool: Option<IdentityPool>,
        tls: Arc<rustls::ClientConfig>,
    ) -> DataApi {
        DataApi { url, api_key, signer, sign_ins, identity_pool, tls }
    }

    async fn token(&self, token: &str) -> ApiResult<String> {
        match &self.sign_ins {
            Some(s) => s.current(token).await,
            None => Ok(token.to_string()),
        }
    }

    async fn auth(&self, identity: &Identity) -> ApiResult<Auth> {
        Ok(match identity {
            Identity::Admin => Auth::Developer,
            Identity::UserPool { token } => Auth::Token(self.token(token).await?),
            Identity::ApiKey => Auth::ApiKey(self.api_key.clone().ok_or_else(|| {
                ApiError::bad_request("NoApiKey", "the data API has no API key (its schema allows no apiKey mode)")
            })?),
            Identity::Iam { id_token } => {
                let pool = self.identity_pool.as_ref().ok_or_else(|| {
                    ApiError::bad_request("NoIdentityPool", "the sandbox has no identity pool (its outputs name none)")
                })?;
                let current = match id_token {
                    Some(t) => Some(self.token(t).await?),
                    None => None,
                };
                Auth::Iam(pool.credentials(id_token.as_deref(), current.as_deref()).await?)
            }
            Identity::None => Auth::None,
        })
    }

    /// The API's `host` (with a port when it has one), as AppSync's
    /// realtime messages name it.
    fn host(&self) -> String {
        self.url.parse::<http::Uri>().ok().and_then(|u| u.authority().map(ToString::to_string)).unwrap_or_default()
    }

    /// Runs `request`; answers AppSync's body (`{data, errors}`).
    pub async fn graphql(&self, request: GraphQlRequest, identity: &Identity) -> ApiResult<Value> {
        let variables = Some(request.variables).filter(|v| !v.is_null()).unwrap_or_else(|| json!({}));
        let body = json!({"query": request.query, "variables": variables, "operationName": request.operation_name});
        let mut headers = vec![("content-type", "application/json".to_string())];
        let signing = match self.auth(identity).await? {
            Auth::Developer => Signing::Developer,
            Auth::Iam(c) => Signing::As(c),
            Auth::Token(t) => {
                headers.push(("authorization", t));
                Signing::Unsigned
            }
            Auth::ApiKey(k) => {
                headers.push(("x-api-key", k));
                Signing::Unsigned
            }
            Auth::None => Signing::Unsigned,
        };
        let request = Outgoing { service: "appsync", url: &self.url, headers, body: body.to_string().into_bytes() };
        let (status, bytes) = self.signer.post(request, &signing).await?;
        serde_json::from_slice(&bytes).map_err(|_| ApiError {
            status: 502,
            kind: "AppSync".into(),
            message: format!("the data API answered {status}: {}", String::from_utf8_lossy(&bytes)),
        })
    }

    /// The `authorization` object of a realtime message for `identity`: the
    /// handshake's (`connect`, signing `<url>/connect` with `{}`) or a
    /// `start`'s (signing the URL with the subscription's `data`).
    pub async fn authorization(&self, identity: &Identity, connect: bool, data: &str) -> ApiResult<Value> {
        let host = self.host();
        let url = if connect { format!("{}/connect", self.url.trim_end_matches('/')) } else { self.url.clone() };
        let body = if connect { "{}" } else { data };
        Ok(match self.auth(identity).await? {
            Auth::Developer => self.signed(None, &host, &url, body).await?,
            Auth::Iam(c) => self.signed(Some(&c), &host, &url, body).await?,
            Auth::Token(t) => json!({"host": host, "Authorization": t}),
            Auth::ApiKey(k) => json!({"host": host, "x-api-key": k}),
            Auth::None => json!({"host": host}),
        })
    }

    /// The headers of a SigV4-signed `POST` of `body` to `url`, as Amplify
    /// signs realtime messages (with `credentials`, else the developer's).
    async fn signed(&self, credentials: Option<&Credentials>, host: &str, url: &str, body: &str) -> ApiResult<Value> {
        let own = vec![
            ("accept", "application/json, text/javascript".to_string()),
            ("content-encoding", "amz-1.0".to_string()),
            ("content-type", "application/json; charset=UTF-8".to_string()),
            ("host", host.to_string()),
        ];
        let signature = match credentials {
            Some(c) => self.signer.sign_with(c, "appsync", url, &own, body.as_bytes())?,
            None => self.signer.sign("appsync", url, &own, body.as_bytes()).await?,
        };
        let all = own.into_iter().map(|(k, v)| (k.to_string(), v)).chain(signature);
        Ok(Value::Object(all.map(|(k, v)| (k, json!(v))).collect()))
    }

    /// Relays the page's upgrade to the API's realtime endpoint, opened as
    /// `identity`; each `start` the page sends without `authorization` gets
    /// the identity's.
    pub async fn realtime(self: Arc<Self>, identity: &Identity, upgrade: Request) -> ApiResult<Response> {
        let headers = self.authorization(identity, true, "{}").await?;
        let upstream = realtime::connect(&realtime::realtime_url(&self.url), &headers, self.tls.clone()).await?;
        let (api, identity) = (self.clone(), identity.clone());
        let amend: Amend = Box::new(move |text| {
            let (api, identity) = (api.clone(), identity.clone());
            Box::pin(async move { api.amend(&identity, text).await })
        });
        relay::relay(upgrade, upstream, amend).await
    }

    /// A `start` without `payload.extensions.authorization` gets the
    /// identity's; anything else passes as it is.
    async fn amend(&self, identity: &Identity, text: String) -> Result<String, String> {
        let Ok(mut message) = serde_json::from_str::<Value>(&text) else { return Ok(text) };
        let start = message["type"] == "start" && message["payload"].is_object();
        if !start || !message["payload"]["extensions"]["authorization"].is_null() {
            return Ok(text);
        }
        let data = message["payload"]["data"].as_str().unwrap_or("{}").to_string();
        let authorization = self.authorization(identity, false, &data).await.map_err(|e| e.message)?;
        message["payload"]["extensions"] = json!({"authorization": authorization});
        Ok(message.to_string())
    }
}
