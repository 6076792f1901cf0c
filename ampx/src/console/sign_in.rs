//! "Sign in as" on a deployed user pool. Cognito mints a user's tokens only
//! for a sign-in with their password, so the console signs in as the app
//! does: `USER_SRP_AUTH` for the app client the outputs name (Amplify's
//! client allows SRP and refresh, not plain passwords), with the SRP client
//! arithmetic of the `local` crate (the same code its user pools are judged
//! by against Amplify JS). A temporary password meets Cognito's
//! `NEW_PASSWORD_REQUIRED`, answered only with a new password the developer
//! gives. The console remembers the passwords it set itself (creating a
//! user, setting a password) so that "sign in as" needs no typing for them.
//!
//! Sessions are kept by the tokens handed to the page: a request with one
//! runs with the session's current tokens, renewed with the refresh token
//! when they are about to expire.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use ampx_console::{ApiError, ApiResult};
use aws_smithy_types::base64;
use local::cognito::srp;
use serde_json::{json, Value};
use tokio::sync::Mutex as AsyncMutex;

use super::signed::{Signer, Signing};

/// Tokens are renewed this long before they expire.
pub const RENEW_BEFORE: Duration = Duration::from_secs(300);

const TARGET: &str = "AWSCognitoIdentityProviderService";

/// One user's signed-in session.
#[derive(Debug)]
struct Session {
    id_token: String,
    access_token: String,
    refresh_token: String,
    expires_at: Instant,
}

/// Which of a session's tokens the page holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Id,
    Access,
}

/// A session, shared by its ID and access tokens.
type Shared = Arc<AsyncMutex<Session>>;

/// The sign-ins the console made on one user pool, and the passwords it set.
pub struct SignIns {
    signer: Signer,
    endpoint: String,
    pool_id: String,
    client_id: String,
    renew_before: Duration,
    sessions: Mutex<HashMap<String, (Kind, Shared)>>,
    passwords: Mutex<HashMap<String, String>>,
}

fn refused(kind: &str, message: String) -> ApiError {
    ApiError { status: 400, kind: kind.into(), message }
}

impl SignIns {
    /// Sign-ins on `pool_id` for the app client `client_id`, through the
    /// user pools' `endpoint`.
    pub fn new(signer: Signer, endpoint: String, pool_id: String, client_id: String) -> SignIns {
        SignIns {
            signer,
            endpoint,
            pool_id,
            client_id,
            renew_before: RENEW_BEFORE,
            sessions: Mutex::default(),
            passwords: Mutex::default(),
        }
    }

    /// Renews tokens this long before they expire (default [`RENEW_BEFORE`]).
    pub fn renew_before(mut self, renew_before: Duration) -> SignIns {
        self.renew_before = renew_before;
        self
    }

    /// Notes the password the console set for `usernames` (the name asked
    /// for and the pool's own for it).
    pub fn remember(&self, usernames: &[&str], password: &str) {
        let mut passwords = self.passwords.lock().unwrap_or_else(|e| e.into_inner());
        for name in usernames.iter().filter(|n| !n.is_empty()) {
            passwords.insert(name.to_string(), password.to_string());
        }
    }

    fn remembered(&self, username: &str) -> Option<String> {
        self.passwords.lock().unwrap_or_else(|e| e.into_inner()).get(username).cloned()
    }

    async fn call(&self, operation: &str, body: Value) -> ApiResult<Value> {
        let target = format!("{TARGET}.{operation}");
        self.signer.json_call_as(&Signing::Unsigned, "cognito-idp", &self.endpoint, &target, &body).await
    }

    /// Signs `username` in with `password` (else the one the console set),
    /// answering `NEW_PASSWORD_REQUIRED` with `new_password`; answers
    /// Cognito's `AuthenticationResult`.
    pub async fn sign_in(
        &self,
        username: &str,
        password: Option<&str>,
        new_password: Option<&str>,
    ) -> ApiResult<Value> {
        let password = match password.filter(|p| !p.is_empty()) {
            Some(p) => p.to_string(),
            None => self.remembered(username).ok_or_else(|| {
                refused(
                    "PasswordNeeded",
                    format!(
                        "a deployed user pool issues {username}'s tokens only to a sign-in with their password; give \
                         it (the console knows only the passwords it set itself)"
                    ),
                )
            })?,
        };
        let pool_name = self.pool_id.split_once('_').map_or(self.pool_id.as_str(), |(_, name)| name);
        let client = srp::Client::new();
        let started = self
            .call(
                "InitiateAuth",
                json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": self.client_id,
                    "AuthParameters": {"USERNAME": username, "SRP_A": srp::to_hex(&client.public)}}),
            )
            .await?;
        let challenge = &started["ChallengeParameters"];
        if started["ChallengeName"] != "PASSWORD_VERIFIER" {
            return Err(unexpected(username, &started));
        }
        let text = |k: &str| challenge[k].as_str().unwrap_or_default().to_string();
        let (user_id, secret_block) = (text("USER_ID_FOR_SRP"), text("SECRET_BLOCK"));
        let bad = || ApiError {
            status: 502,
            kind: "SrpChallenge".into(),
            message: format!("the user pool's PASSWORD_VERIFIER challenge is malformed: {challenge}"),
        };
        let salt = srp::from_hex(&text("SALT")).ok_or_else(bad)?;
        let server_public = srp::from_hex(&text("SRP_B")).ok_or_else(bad)?;
        let block = base64::decode(&secret_block).map_err(|_| bad())?;
        let key = client.session_key(pool_name, &user_id, &password, &salt, &server_public).ok_or_else(bad)?;
        let timestamp = srp::format_timestamp(UNIX_EPOCH.elapsed().map_or(0, |d| d.as_secs() as i64));
        let signature = srp::claim_signature(&key, pool_name, &user_id, &block, &timestamp);
        let mut answer = self
            .call(
                "RespondToAuthChallenge",
                json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": self.client_id,
                    "ChallengeResponses": {"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
                        "TIMESTAMP": timestamp, "PASSWORD_CLAIM_SIGNATURE": base64::encode(signature)}}),
            )
            .await?;
        if answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED" {
            let Some(new_password) = new_password.filter(|p| !p.is_empty()) else {
                return Err(ApiError {
                    status: 409,
                    kind: "NewPasswordRequired".into(),
                    message: format!(
                        "{username}'s password is temporary: the user pool asks for a new one at the first sign-in; \
                         give newPassword, or set a permanent password for them"
                    ),
                });
            };
            answer = self
                .call(
                    "RespondToAuthChallenge",
                    json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": self.client_id,
                        "Session": answer["Session"],
                        "ChallengeResponses": {"USERNAME": user_id, "NEW_PASSWORD": new_password}}),
                )
                .await?;
            self.remember(&[username, &user_id], new_password);
        }
        let result = answer
            .get("AuthenticationResult")
            .filter(|r| r.is_object())
            .ok_or_else(|| unexpected(username, &answer))?;
        self.keep(result)?;
        Ok(result.clone())
    }

    /// Keeps a new session under the tokens handed out.
    fn keep(&self, result: &Value) -> ApiResult<()> {
        let text = |k: &str| result[k].as_str().unwrap_or_default().to_string();
        let session = Session {
            id_token: text("IdToken"),
            access_token: text("AccessToken"),
            refresh_token: text("RefreshToken"),
            expires_at: expiry(result),
        };
        if session.access_token.is_empty() || session.refresh_token.is_empty() {
            return Err(ApiError {
                status: 502,
                kind: "CognitoAnswer".into(),
                message: format!("the user pool's AuthenticationResult lacks tokens: {result}"),
            });
        }
        let (id, access) = (session.id_token.clone(), session.access_token.clone());
        let session = Arc::new(AsyncMutex::new(session));
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.insert(id, (Kind::Id, session.clone()));
        sessions.insert(access, (Kind::Access, session));
        Ok(())
    }

    /// The current token for one the page holds: the same, renewed with
    /// the session's refresh token when it is about to expire. A token the
    /// console did not issue is used as it is.
    pub async fn current(&self, token: &str) -> ApiResult<String> {
        let found = self.sessions.lock().unwrap_or_else(|e| e.into_inner()).get(token).cloned();
        let Some((kind, session)) = found else { return Ok(token.to_string()) };
        let mut session = session.lock().await;
        if session.expires_at.saturating_duration_since(Instant::now()) <= self.renew_before {
            let renewed = self
                .call(
                    "InitiateAuth",
                    json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": self.client_id,
                        "AuthParameters": {"REFRESH_TOKEN": session.refresh_token}}),
                )
                .await
                .map_err(|e| ApiError {
                    message: format!("the session's tokens expired and could not be renewed: {}", e.message),
                    ..e
                })?;
            let result = &renewed["AuthenticationResult"];
            let text = |k: &str| result[k].as_str().map(str::to_string);
            let (Some(id), Some(access)) = (text("IdToken"), text("AccessToken")) else {
                return Err(unexpected("the session", &renewed));
            };
            session.id_token = id;
            session.access_token = access;
            if let Some(refresh) = text("RefreshToken") {
                session.refresh_token = refresh;
            }
            session.expires_at = expiry(result);
        }
        Ok(match kind {
            Kind::Id => session.id_token.clone(),
            Kind::Access => session.access_token.clone(),
        })
    }
}

/// When a result's tokens expire (`ExpiresIn` seconds from now; an hour,
/// Cognito's default, when it is missing).
fn expiry(result: &Value) -> Instant {
    Instant::now() + Duration::from_secs(result["ExpiresIn"].as_u64().unwrap_or(3600))
}

/// A sign-in the console cannot finish (MFA, a custom challenge, ...).
fn unexpected(username: &str, answer: &Value) -> ApiError {
    match answer["ChallengeName"].as_str() {
        Some(challenge) => ApiError {
            status: 501,
            kind: "ChallengeNotSupported".into(),
            message: format!(
                "{username}'s sign-in asks for the {challenge} challenge, which the console does not answer; act as \
                 the admin, or turn the challenge off for this user"
            ),
        },
        None => ApiError {
            status: 502,
            kind: "CognitoAnswer".into(),
            message: format!("the user pool answered neither tokens nor a challenge: {answer}"),
        },
    }
}
