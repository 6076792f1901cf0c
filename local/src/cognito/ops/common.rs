//! What the operations share: finding pools, clients and users, checking
//! secret hashes and access tokens, sending codes and issuing tokens.

use std::sync::Arc;

use crate::cognito::triggers::TriggerCall;
use aws_lc_rs::{digest, hmac, rand};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Map, Value};

use super::super::config::ClientConfig;
use super::super::errors::{CognitoError, ErrorKind, Result};
use super::super::events::{self, DeliveryMedium, MessagePurpose, MessageSent};
use super::super::store::Session;
use super::super::tokens::{self, TokenInputs, TokenProblem};
use super::super::user::{PendingCode, User};
use super::super::{Pool, UserPools};

/// How long codes live: sign-up and attribute codes a day, reset codes an hour.
pub(crate) const SIGN_UP_CODE_SECONDS: i64 = 24 * 3600;
pub(crate) const RESET_CODE_SECONDS: i64 = 3600;

/// A client secret: 52 lower-case letters and digits, like Cognito's.
pub(crate) fn random_secret() -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 52];
    rand::fill(&mut bytes).expect("the system random source works");
    bytes.iter().map(|b| alphabet[*b as usize % alphabet.len()] as char).collect()
}

/// `n` random bytes, base64url.
pub(crate) fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::fill(&mut bytes).expect("the system random source works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of `s`, hex: how refresh tokens are kept.
pub(crate) fn sha256_hex(s: &str) -> String {
    digest::digest(&digest::SHA256, s.as_bytes()).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The SECRET_HASH a client with `secret` sends for `username`.
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let tag = hmac::sign(&key, format!("{username}{client_id}").as_bytes());
    STANDARD.encode(tag.as_ref())
}

/// A user found by a name a client sent, with the key it is stored under.
pub(crate) struct Found {
    pub key: String,
    pub user: User,
}

impl UserPools {
    pub(crate) fn pool(&self, pool_id: &str) -> Result<Arc<Pool>> {
        self.current().into_iter().find(|p| p.config.pool_id == pool_id).ok_or_else(|| {
            CognitoError::new(ErrorKind::ResourceNotFound, format!("User pool {pool_id} does not exist."))
        })
    }

    pub(crate) fn client(&self, client_id: &str) -> Result<(Arc<Pool>, ClientConfig)> {
        self.current()
            .into_iter()
            .find_map(|p| p.config.clients.iter().find(|c| c.client_id == client_id).cloned().map(|c| (p, c)))
            .ok_or_else(|| {
                CognitoError::new(ErrorKind::ResourceNotFound, format!("User pool client {client_id} does not exist."))
            })
    }

    /// For clients with a secret: `hash` must be the SECRET_HASH of one of
    /// `usernames` (the name the client sent, or the user's username).
    pub(crate) fn check_secret_hash(
        &self,
        pool: &Pool,
        client: &ClientConfig,
        usernames: &[&str],
        hash: Option<&str>,
    ) -> Result<()> {
        let Some(secret) = pool.secrets.get(&client.client_id) else {
            return Ok(());
        };
        let Some(hash) = hash else {
            return Err(CognitoError::not_authorized(format!(
                "Client {} is configured for secret but secret was not received",
                client.client_id
            )));
        };
        let ok = usernames.iter().any(|u| secret_hash(secret, u, &client.client_id) == hash);
        if ok {
            Ok(())
        } else {
            Err(CognitoError::not_authorized(format!("Unable to verify secret hash for client {}", client.client_id)))
        }
    }

    /// The user a client means by `name`: the username itself, or (as the
    /// pool allows) the email or phone number used as username, or a verified alias.
    pub(crate) fn lookup(&self, pool: &Pool, name: &str) -> Result<Option<Found>> {
        let cfg = &pool.config;
        let key = cfg.username_key(name);
        if let Some(user) = self.store.user(&cfg.pool_id, &key)? {
            return Ok(Some(Found { key, user }));
        }
        if cfg.username_attributes.is_empty() && cfg.alias_attributes.is_empty() {
            return Ok(None);
        }
        let same = |a: &str, b: &str| {
            if cfg.case_sensitive {
                a == b
            } else {
                a.to_lowercase() == b.to_lowercase()
            }
        };
        // A scan of the pool: local pools hold a handful of users, and a
        // second index would have to be kept in step on every attribute change.
        for (key, user) in self.store.users(&cfg.pool_id)? {
            let by_username_attr =
                cfg.username_attributes.iter().any(|attr| user.attribute(attr).is_some_and(|v| same(v, name)));
            let by_alias = cfg.alias_attributes.iter().any(|attr| {
                user.attribute(attr).is_some_and(|v| same(v, name))
                    && (attr == "preferred_username" || user.is_verified(attr))
            });
            if by_username_attr || by_alias {
                return Ok(Some(Found { key, user }));
            }
        }
        Ok(None)
    }

    /// Like [`lookup`](Self::lookup), failing with Cognito's "User does not exist.".
    pub(crate) fn require_user(&self, pool: &Pool, name: &str) -> Result<Found> {
        self.lookup(pool, name)?.ok_or_else(CognitoError::user_not_found)
    }

    /// The pool, client and user of an access token, which must be live.
    pub(crate) fn access_user(&self, token: &str) -> Result<Access> {
        let invalid = || CognitoError::not_authorized("Invalid Access Token");
        let kid = tokens::kid_of(token).ok_or_else(invalid)?;
        let pool = self.current().into_iter().find(|p| p.key.kid == kid).ok_or_else(invalid)?;
        let claims = pool.key.decode(token, self.now()).map_err(|p| match p {
            TokenProblem::Expired => CognitoError::not_authorized("Access Token has expired"),
            TokenProblem::Invalid => invalid(),
        })?;
        if claims.get("token_use").and_then(Value::as_str) != Some("access") {
            return Err(invalid());
        }
        let (session, found) = check_session(self, &pool, &claims)?;
        let (_, client) = self.client(&session.client_id)?;
        Ok(Access { pool, client, key: found.key, user: found.user })
    }

    /// Sends (to the event sink) a code for `purpose` to the user's
    /// `attribute`, whose value is `destination`; returns the code to store
    /// and Cognito's CodeDeliveryDetails.
    pub(crate) fn send_code(
        &self,
        pool: &Pool,
        user: &User,
        attribute: &str,
        destination: &str,
        purpose: MessagePurpose,
        code: &str,
    ) -> Value {
        let medium = DeliveryMedium::for_attribute(attribute);
        let message = self.custom_message(pool, user, &purpose, medium, code);
        self.events.send(MessageSent {
            pool_id: pool.config.pool_id.clone(),
            username: user.username.clone(),
            destination: destination.to_string(),
            medium,
            purpose,
            code: code.to_string(),
            message,
        });
        delivery_details(attribute, destination)
    }

    /// The text of a `CustomMessage` trigger for this message, code filled in.
    /// Its failure does not stop the code (locally nothing is delivered); it is
    /// shown in place of the message.
    fn custom_message(
        &self,
        pool: &Pool,
        user: &User,
        purpose: &MessagePurpose,
        medium: DeliveryMedium,
        code: &str,
    ) -> Option<String> {
        let source = match purpose {
            MessagePurpose::SignUp => "CustomMessage_SignUp",
            MessagePurpose::ForgotPassword => "CustomMessage_ForgotPassword",
            MessagePurpose::VerifyAttribute(_) => "CustomMessage_VerifyUserAttribute",
            MessagePurpose::Invitation => "CustomMessage_AdminCreateUser",
        };
        let call = TriggerCall {
            name: "CustomMessage",
            source,
            user,
            client_id: None,
            request: json!({"codeParameter": "{####}", "usernameParameter": "{username}", "linkParameter": "{##Click Here##}"}),
        };
        match self.run_trigger(pool, call) {
            Ok(Some(response)) => {
                let key = if medium == DeliveryMedium::Sms { "smsMessage" } else { "emailMessage" };
                let text = response.get(key).and_then(Value::as_str)?;
                Some(text.replace("{####}", code).replace("{username}", &user.username))
            }
            Ok(None) => None,
            Err(e) => Some(format!("<{}>", e.message())),
        }
    }

    /// Starts a session for `user` and issues its three tokens.
    pub(crate) fn sign_in(&self, pool: &Pool, client: &ClientConfig, user: &User) -> Result<Value> {
        let now = self.now();
        let origin_jti = uuid::Uuid::new_v4().to_string();
        let refresh_token = random_token(96);
        self.store.put_session(&Session {
            origin_jti: origin_jti.clone(),
            pool_id: pool.config.pool_id.clone(),
            username: user.username.clone(),
            client_id: client.client_id.clone(),
            refresh_hash: sha256_hex(&refresh_token),
            refresh_expires: now + client.refresh_token_validity.as_secs() as i64,
            auth_time: now,
        })?;
        let mut result = self.tokens(pool, client, user, &origin_jti, now, "TokenGeneration_Authentication")?;
        result["RefreshToken"] = json!(refresh_token);
        Ok(json!({"AuthenticationResult": result, "ChallengeParameters": {}}))
    }

    /// ID and access tokens for an existing session (sign-in or refresh).
    pub(crate) fn tokens(
        &self,
        pool: &Pool,
        client: &ClientConfig,
        user: &User,
        origin_jti: &str,
        auth_time: i64,
        source: &str,
    ) -> Result<Value> {
        let groups: Vec<&str> = tokens::user_groups(&pool.config, user).iter().map(|g| g.name.as_str()).collect();
        let call = TriggerCall {
            name: "PreTokenGeneration",
            source,
            user,
            client_id: Some(&client.client_id),
            request: json!({"groupConfiguration": {"groupsToOverride": groups, "iamRolesToOverride": [], "preferredRole": null}}),
        };
        let response = self.run_trigger(pool, call)?;
        let claims_override = response.as_ref().and_then(|r| r.get("claimsOverrideDetails")).filter(|d| d.is_object());
        let issuer = self.issuer(&pool.config.pool_id);
        let set = tokens::issue(&TokenInputs {
            key: &pool.key,
            issuer: &issuer,
            pool: &pool.config,
            client,
            user,
            origin_jti,
            auth_time,
            now: self.now(),
            claims_override,
        });
        Ok(json!({
            "AccessToken": set.access_token,
            "ExpiresIn": set.expires_in,
            "IdToken": set.id_token,
            "TokenType": "Bearer",
        }))
    }
}

/// What an access token gives an operation.
pub(crate) struct Access {
    pub pool: Arc<Pool>,
    pub client: ClientConfig,
    pub key: String,
    pub user: User,
}

/// Checks that a token's sign-in is live and its user exists and is enabled.
pub(crate) fn check_session(pools: &UserPools, pool: &Pool, claims: &Map<String, Value>) -> Result<(Session, Found)> {
    let revoked = || CognitoError::not_authorized("Access Token has been revoked");
    let origin = claims.get("origin_jti").and_then(Value::as_str).ok_or_else(revoked)?;
    let session = pools.store.session(origin)?.ok_or_else(revoked)?;
    let username = claims.get("username").or_else(|| claims.get("cognito:username")).and_then(Value::as_str);
    if session.pool_id != pool.config.pool_id || username != Some(session.username.as_str()) {
        return Err(revoked());
    }
    let key = pool.config.username_key(&session.username);
    let user = pools.store.user(&pool.config.pool_id, &key)?.ok_or_else(CognitoError::user_not_found)?;
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    Ok((session, Found { key, user }))
}

/// Cognito's CodeDeliveryDetails for a code sent to `attribute`.
pub(crate) fn delivery_details(attribute: &str, destination: &str) -> Value {
    let medium = DeliveryMedium::for_attribute(attribute);
    json!({
        "Destination": events::mask(destination, medium),
        "DeliveryMedium": medium.as_str(),
        "AttributeName": attribute,
    })
}

/// Stores a fresh code for `purpose` on `user`.
pub(crate) fn store_code(user: &mut User, purpose: &str, code: &str, attribute: &str, expires: i64) {
    user.codes.insert(
        purpose.to_string(),
        PendingCode { code: code.to_string(), expires, attribute: Some(attribute.to_string()) },
    );
}

/// Checks and consumes the code for `purpose`.
pub(crate) fn take_code(user: &mut User, purpose: &str, code: &str, now: i64) -> Result<PendingCode> {
    let Some(pending) = user.codes.get(purpose) else {
        return Err(CognitoError::code_mismatch());
    };
    if pending.code != code {
        return Err(CognitoError::code_mismatch());
    }
    if pending.expires <= now {
        return Err(CognitoError::expired_code());
    }
    Ok(user.codes.remove(purpose).expect("checked above"))
}

/// The attribute a sign-up code goes to: an auto-verified email, else phone number.
pub(crate) fn verification_target(pool: &Pool, user: &User) -> Option<(String, String)> {
    ["email", "phone_number"].into_iter().find_map(|attr| {
        let auto = pool.config.auto_verified_attributes.iter().any(|a| a == attr);
        match user.attribute(attr) {
            Some(value) if auto => Some((attr.to_string(), value.to_string())),
            _ => None,
        }
    })
}

/// In pools that sign in by email or phone number, those values identify
/// one user each: the error for a second user with the same value.
pub(crate) fn username_attribute_conflict(
    pool: &Pool,
    user: &User,
    other: &User,
    kind: ErrorKind,
) -> Option<CognitoError> {
    let cfg = &pool.config;
    cfg.username_attributes.iter().find_map(|attr| {
        let mine = user.attribute(attr)?;
        let theirs = other.attribute(attr)?;
        let same = if cfg.case_sensitive { mine == theirs } else { mine.to_lowercase() == theirs.to_lowercase() };
        same.then(|| CognitoError::new(kind, format!("An account with the given {attr} already exists.")))
    })
}
