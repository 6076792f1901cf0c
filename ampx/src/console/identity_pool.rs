//! Identity pool credentials for the console's IAM identities, as Amplify's
//! `fetchAuthSession` gets them: `GetId`, then `GetCredentialsForIdentity`,
//! for a guest (no logins) or a signed-in user (their ID token as the user
//! pool's login). Each identity keeps its identity id, and its credentials
//! until shortly before they expire.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use ampx_console::{ApiError, ApiResult};
use aws_credential_types::Credentials;
use aws_sdk_cognitoidentity::Client;
use aws_smithy_http_client::tls;
use tokio::sync::Mutex;

use super::Reach;
use crate::aws::Aws;

/// Credentials are renewed this long before they expire.
const RENEW_BEFORE: Duration = Duration::from_secs(300);

/// One identity pool, for the console.
pub struct IdentityPool {
    client: Client,
    pool_id: String,
    /// The user pool's login name (`cognito-idp.<region>.amazonaws.com/<pool id>`).
    provider: Option<String>,
    /// By who asked (`""` for the guest, else the page's ID token): the
    /// identity id and the latest credentials.
    kept: Mutex<HashMap<String, (String, Option<Credentials>)>>,
}

fn failed(operation: &str, e: impl std::error::Error) -> ApiError {
    let text = aws_sdk_cognitoidentity::error::DisplayErrorContext(&e).to_string();
    ApiError { status: 502, kind: format!("CognitoIdentity.{operation}"), message: text }
}

impl IdentityPool {
    /// The identity pool `pool_id`, trusting the user pool `user_pool_id`
    /// (when the outputs name one) in `region`.
    pub fn new(
        aws: &Aws,
        reach: &Reach,
        pool_id: String,
        user_pool_id: Option<&str>,
        region: &str,
    ) -> ApiResult<IdentityPool> {
        let mut config = aws_sdk_cognitoidentity::config::Builder::from(&aws.sdk);
        if let Some(url) = reach.cognito_identity_url(aws) {
            config = config.endpoint_url(url);
        }
        if let Some(pem) = &reach.extra_ca_pem {
            let trust = tls::TrustStore::empty().with_native_roots(true).with_pem_certificate(pem.clone());
            let context = tls::TlsContext::builder().with_trust_store(trust).build().map_err(|e| ApiError {
                status: 502,
                kind: "TlsSetup".into(),
                message: format!("the extra CA: {e}"),
            })?;
            let http = aws_smithy_http_client::Builder::new()
                .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::AwsLc))
                .tls_context(context)
                .build_https();
            config = config.http_client(http);
        }
        let provider = user_pool_id.map(|p| format!("cognito-idp.{region}.{}/{p}", aws.url_suffix()));
        Ok(IdentityPool { client: Client::from_conf(config.build()), pool_id, provider, kept: Mutex::default() })
    }

    /// Credentials for the guest (`id_token` `None`) or the user whose ID
    /// token is `id_token` (the current one; `asked_with` is the one the
    /// page holds, which names the identity across renewals).
    pub async fn credentials(&self, asked_with: Option<&str>, id_token: Option<&str>) -> ApiResult<Credentials> {
        let key = asked_with.unwrap_or_default().to_string();
        let mut kept = self.kept.lock().await;
        if let Some((_, Some(c))) = kept.get(&key) {
            let fresh = c.expiry().is_none_or(|t| t > SystemTime::now() + RENEW_BEFORE);
            if fresh {
                return Ok(c.clone());
            }
        }
        let logins: Option<HashMap<String, String>> = match id_token {
            None => None,
            Some(token) => {
                let provider = self.provider.clone().ok_or_else(|| {
                    ApiError::bad_request(
                        "NoUserPool",
                        "the identity pool trusts no user pool in the outputs; act as a guest",
                    )
                })?;
                Some(HashMap::from([(provider, token.to_string())]))
            }
        };
        let identity_id = match kept.get(&key) {
            Some((id, _)) => id.clone(),
            None => {
                let got = self
                    .client
                    .get_id()
                    .identity_pool_id(&self.pool_id)
                    .set_logins(logins.clone())
                    .send()
                    .await
                    .map_err(|e| failed("GetId", e))?;
                got.identity_id().unwrap_or_default().to_string()
            }
        };
        let out = self
            .client
            .get_credentials_for_identity()
            .identity_id(&identity_id)
            .set_logins(logins)
            .send()
            .await
            .map_err(|e| failed("GetCredentialsForIdentity", e))?;
        let c = out.credentials().ok_or_else(|| ApiError {
            status: 502,
            kind: "CognitoIdentity.GetCredentialsForIdentity".into(),
            message: format!("no credentials for identity {identity_id}"),
        })?;
        let expiry = c.expiration().and_then(|t| SystemTime::try_from(*t).ok());
        let credentials = Credentials::new(
            c.access_key_id().unwrap_or_default(),
            c.secret_key().unwrap_or_default(),
            c.session_token().map(str::to_string),
            expiry,
            "cognito-identity",
        );
        kept.insert(key, (identity_id, Some(credentials.clone())));
        Ok(credentials)
    }
}
