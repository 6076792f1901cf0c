//! SigV4-signed HTTP calls with the user's AWS credentials, where the console
//! passes a protocol through rather than calling an SDK operation: Cognito user
//! pools' admin API (AWS JSON 1.1: a `POST` of a JSON document naming the
//! operation in `X-Amz-Target`, as the page speaks it to the local user pools
//! too), and AppSync's GraphQL endpoint. The credentials come
//! from the SDK's provider chain and the signature from the SDK's signer.

use std::time::SystemTime;

use aws_config::SdkConfig;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

use ampx_console::ApiError;

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// Signs and sends requests for one account and region.
#[derive(Clone)]
pub struct Signer {
    credentials: SharedCredentialsProvider,
    region: String,
    http: Client<Https, Full<Bytes>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("region", &self.region).finish_non_exhaustive()
    }
}

/// A request to send.
#[derive(Debug)]
pub struct Outgoing<'a> {
    /// The signing name (`cognito-idp`, `logs`, `appsync`).
    pub service: &'a str,
    /// The whole URL.
    pub url: &'a str,
    /// Headers besides `host` and the signature's.
    pub headers: Vec<(&'a str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// The HTTP status and the body of an answer.
pub type Answer = (u16, Vec<u8>);

/// Whose SigV4 signature a request carries.
#[derive(Clone, Debug)]
pub enum Signing {
    /// None: the request carries its own authorization, or needs none.
    Unsigned,
    /// The developer's (the SDK's credential provider chain).
    Developer,
    /// These credentials' (an identity pool's guest or user).
    As(Credentials),
}

fn failed(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError { status: 502, kind: "AwsRequestFailed".into(), message: format!("{what}: {e}") }
}

impl Signer {
    /// The signer for `config`'s credentials and region, trusting the
    /// system's certificate authorities.
    pub fn new(config: &SdkConfig) -> Result<Signer, ApiError> {
        Signer::with_tls(config, super::Reach::default().tls()?)
    }

    /// The signer for `config`'s credentials and region, trusting what
    /// `tls` trusts.
    pub fn with_tls(config: &SdkConfig, tls: std::sync::Arc<rustls::ClientConfig>) -> Result<Signer, ApiError> {
        let credentials =
            config.credentials_provider().ok_or_else(|| failed("AWS", "no credential provider is configured"))?;
        let region = config.region().map(ToString::to_string).ok_or_else(|| failed("AWS", "no region is set"))?;
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config((*tls).clone())
            .https_or_http()
            .enable_http1()
            .build();
        let http = Client::builder(TokioExecutor::new()).build(https);
        Ok(Signer { credentials, region, http })
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The SigV4 headers (`authorization`, `x-amz-date`, and
    /// `x-amz-security-token` for temporary credentials) of a `POST` of
    /// `body` to `url` with `headers`.
    pub async fn sign(
        &self,
        service: &str,
        url: &str,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, ApiError> {
        let credentials = self.credentials.provide_credentials().await.map_err(|e| failed("the AWS credentials", e))?;
        self.sign_with(&credentials, service, url, headers, body)
    }

    /// [`Signer::sign`] with `credentials` rather than the developer's.
    pub fn sign_with(
        &self,
        credentials: &Credentials,
        service: &str,
        url: &str,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, ApiError> {
        let identity = credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(service)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| failed("signing", e))?
            .into();
        let signable =
            SignableRequest::new("POST", url, headers.iter().map(|(k, v)| (*k, v.as_str())), SignableBody::Bytes(body))
                .map_err(|e| failed("signing", e))?;
        let (instructions, _) = sign(signable, &params).map_err(|e| failed("signing", e))?.into_parts();
        Ok(instructions.headers().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    /// Sends `request` signed as `signing` says; answers the status and body.
    pub async fn post(&self, request: Outgoing<'_>, signing: &Signing) -> Result<Answer, ApiError> {
        let uri: http::Uri = request.url.parse().map_err(|e| failed(request.url, e))?;
        let host = uri.authority().map(ToString::to_string).unwrap_or_default();
        let mut headers = request.headers;
        headers.push(("host", host));
        let signature = match signing {
            Signing::Unsigned => vec![],
            Signing::Developer => self.sign(request.service, request.url, &headers, &request.body).await?,
            Signing::As(c) => self.sign_with(c, request.service, request.url, &headers, &request.body)?,
        };
        let mut builder = http::Request::builder().method("POST").uri(uri);
        for (k, v) in headers.iter().map(|(k, v)| (k.to_string(), v.clone())).chain(signature) {
            builder = builder.header(k, v);
        }
        let outgoing = builder.body(Full::new(Bytes::from(request.body))).map_err(|e| failed(request.url, e))?;
        let response = self.http.request(outgoing).await.map_err(|e| failed(request.url, e))?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.map_err(|e| failed(request.url, e))?.to_bytes();
        Ok((status, body.to_vec()))
    }

    /// One AWS JSON 1.1 call: `target` is `<prefix>.<operation>`; an error
    /// answer becomes an [`ApiError`] with the service's type and message.
    pub async fn json_call(
        &self,
        service: &str,
        endpoint: &str,
        target: &str,
        body: &Value,
    ) -> Result<Value, ApiError> {
        self.json_call_as(&Signing::Developer, service, endpoint, target, body).await
    }

    /// [`Signer::json_call`], signed as `signing` says (unsigned for the
    /// public operations, such as `InitiateAuth`).
    pub async fn json_call_as(
        &self,
        signing: &Signing,
        service: &str,
        endpoint: &str,
        target: &str,
        body: &Value,
    ) -> Result<Value, ApiError> {
        let request = Outgoing {
            service,
            url: endpoint,
            headers: vec![("content-type", "application/x-amz-json-1.1".into()), ("x-amz-target", target.into())],
            body: body.to_string().into_bytes(),
        };
        let (status, bytes) = self.post(request, signing).await?;
        let answer: Value = if bytes.is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_slice(&bytes).map_err(|e| failed(target, format!("the answer is not JSON ({e})")))?
        };
        if (200..300).contains(&status) {
            return Ok(answer);
        }
        Err(service_error(status, &answer))
    }
}

/// A JSON 1.1 error (`{"__type": "ns#UsernameExistsException", "message"}`)
/// as the console's error, with the service's own type and words.
pub fn service_error(status: u16, answer: &Value) -> ApiError {
    let kind = answer["__type"].as_str().unwrap_or("UnknownError");
    let kind = kind.rsplit('#').next().unwrap_or(kind).to_string();
    let message = answer
        .get("message")
        .or_else(|| answer.get("Message"))
        .and_then(Value::as_str)
        .map_or_else(|| format!("the service answered {status}: {answer}"), str::to_string);
    ApiError { status: if status >= 500 { 502 } else { 400 }, kind, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn service_errors_keep_the_services_type_and_words() {
        let e = service_error(400, &json!({"__type": "com.amazonaws#UsernameExistsException", "message": "taken"}));
        assert_eq!((e.status, e.kind.as_str(), e.message.as_str()), (400, "UsernameExistsException", "taken"));
        let e = service_error(503, &json!({"__type": "ServiceUnavailable", "Message": "later"}));
        assert_eq!((e.status, e.kind.as_str(), e.message.as_str()), (502, "ServiceUnavailable", "later"));
    }
}
