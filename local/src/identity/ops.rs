//! The Cognito Identity operations Amplify's `fetchAuthSession` needs:
//! `GetId`, `GetCredentialsForIdentity` and `GetOpenIdToken`.

use serde_json::{json, Map, Value};

use super::caller::Principal;
use super::config::{IdentityPoolConfig, Provider};
use super::credentials::IDENTITY_CREDENTIALS_SECONDS;
use super::errors::{ErrorKind, IdentityError, Result};
use super::roles::{role_for_guest, role_for_login};
use super::store::{login_key, Identity};
use super::IdentityPools;

/// The operations served, for messages and docs.
pub const OPERATIONS: [&str; 3] = ["GetId", "GetCredentialsForIdentity", "GetOpenIdToken"];

pub(crate) fn dispatch(service: &IdentityPools, target: &str, body: &Value) -> Result<Value> {
    match target {
        "GetId" => get_id(service, body),
        "GetCredentialsForIdentity" => get_credentials(service, body),
        "GetOpenIdToken" => get_open_id_token(service, body),
        other => Err(IdentityError::new(
            ErrorKind::UnknownOperation,
            format!("{other} is not served locally; the operations are {}", OPERATIONS.join(", ")),
        )),
    }
}

fn required<'a>(body: &'a Value, name: &str) -> Result<&'a str> {
    body.get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).ok_or_else(|| {
        IdentityError::invalid(format!(
            "1 validation error detected: Value at '{name}' failed to satisfy constraint: Member must not be null"
        ))
    })
}

fn pool(service: &IdentityPools, id: &str) -> Result<IdentityPoolConfig> {
    service
        .pools()
        .iter()
        .find(|p| p.pool_id == id)
        .cloned()
        .ok_or_else(|| IdentityError::not_found(format!("IdentityPool '{id}' not found.")))
}

/// A login that checked out: its provider and the token's claims.
struct Login {
    provider: Provider,
    claims: Map<String, Value>,
    sub: String,
}

impl Login {
    fn key(&self, pool_id: &str) -> String {
        login_key(pool_id, &self.provider.provider_name, &self.sub)
    }
}

/// Verifies the `Logins` map: each key names a user pool of the identity
/// pool's providers (as `cognito-idp.<region>.amazonaws.com/<pool id>`, or
/// the local issuer without its scheme, which Amplify derives from the
/// token), and each token is an ID token that pool issued to the provider's
/// client. Answers the first login, or `None` without logins.
fn logins(service: &IdentityPools, pool: &IdentityPoolConfig, body: &Value) -> Result<Option<Login>> {
    let map = match body.get("Logins") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(m)) if m.is_empty() => return Ok(None),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(IdentityError::invalid("Logins must be a map of provider names to tokens")),
    };
    let Some(user_pools) = &service.user_pools else {
        return Err(IdentityError::not_authorized("Invalid login token. This backend has no user pool."));
    };
    let mut first = None;
    for (key, token) in map {
        let token = token.as_str().ok_or_else(|| IdentityError::invalid(format!("Logins.{key} must be a token")))?;
        let claims = user_pools.verify(token).map_err(|e| {
            let why = e.message();
            let why = if why.contains("expired") { "Token expired.".to_string() } else { why };
            IdentityError::not_authorized(format!("Invalid login token. {why}"))
        })?;
        if claims.get("token_use").and_then(Value::as_str) != Some("id") {
            return Err(IdentityError::not_authorized("Invalid login token. Not an ID token."));
        }
        let iss = claims.get("iss").and_then(Value::as_str).unwrap_or_default();
        let issuer_key = iss.split_once("://").map_or(iss, |(_, rest)| rest);
        let aud = claims.get("aud").and_then(Value::as_str).unwrap_or_default();
        let provider = pool
            .providers
            .iter()
            .find(|p| {
                (key == &p.provider_name || key == issuer_key) && iss.ends_with(&format!("/{}", p.user_pool_id()))
            })
            .ok_or_else(|| {
                IdentityError::not_authorized(format!("Invalid login token. Issuer doesn't match providerName {key}"))
            })?;
        if aud != provider.client_id {
            return Err(IdentityError::not_authorized(format!(
                "Invalid login token. Incorrect token audience: {aud} is not a client of identity pool {}",
                pool.pool_id
            )));
        }
        let sub = claims.get("sub").and_then(Value::as_str).unwrap_or_default().to_string();
        if first.is_none() {
            first = Some(Login { provider: provider.clone(), claims, sub });
        }
    }
    Ok(first)
}

fn new_identity_id(service: &IdentityPools) -> String {
    format!("{}:{}", service.region, uuid::Uuid::new_v4())
}

fn get_id(service: &IdentityPools, body: &Value) -> Result<Value> {
    let pool = &pool(service, required(body, "IdentityPoolId")?)?;
    let identity_id = match logins(service, pool, body)? {
        None => {
            role_for_guest(pool)?;
            let id = new_identity_id(service);
            let identity = Identity { pool_id: pool.pool_id.clone(), logins: vec![], created: service.now() };
            service.store.put_identity(&id, &identity)?
        }
        Some(login) => {
            let key = login.key(&pool.pool_id);
            match service.store.identity_of_login(&key)? {
                Some(id) => id,
                None => {
                    let id = new_identity_id(service);
                    let identity =
                        Identity { pool_id: pool.pool_id.clone(), logins: vec![key], created: service.now() };
                    service.store.put_identity(&id, &identity)?
                }
            }
        }
    };
    Ok(json!({ "IdentityId": identity_id }))
}

/// The identity `IdentityId` names and the login that proves it, linking a
/// guest identity to its first login as Cognito does.
fn identity_and_login(service: &IdentityPools, body: &Value) -> Result<(String, IdentityPoolConfig, Option<Login>)> {
    let id = required(body, "IdentityId")?;
    let identity =
        service.store.identity(id)?.ok_or_else(|| IdentityError::not_found(format!("Identity '{id}' not found.")))?;
    let pool = pool(service, &identity.pool_id)?;
    let login = logins(service, &pool, body)?;
    let id = match &login {
        None if !identity.logins.is_empty() => {
            return Err(IdentityError::not_authorized(
                "Logins don't match. Please include at least one valid login for this identity or identity pool.",
            ))
        }
        None => id.to_string(),
        Some(login) => {
            let key = login.key(&pool.pool_id);
            if identity.logins.contains(&key) {
                id.to_string()
            } else if identity.logins.is_empty() {
                // A guest signing in: the login joins this identity, unless it
                // already has one of its own, which then wins.
                let linked = Identity { logins: vec![key], ..identity };
                service.store.put_identity(id, &linked)?
            } else {
                return Err(IdentityError::not_authorized(
                    "Logins don't match. Please include at least one valid login for this identity or identity pool.",
                ));
            }
        }
    };
    Ok((id, pool, login))
}

fn get_credentials(service: &IdentityPools, body: &Value) -> Result<Value> {
    let (identity_id, pool, login) = identity_and_login(service, body)?;
    let pool = &pool;
    let custom = body.get("CustomRoleArn").and_then(Value::as_str);
    let (role, principal) = match &login {
        None => {
            let role = role_for_guest(pool)?;
            let principal = Principal::Identity {
                pool_id: pool.pool_id.clone(),
                identity_id: identity_id.clone(),
                authenticated: false,
                login: None,
            };
            (role, principal)
        }
        Some(login) => {
            let role = role_for_login(pool, &login.provider, &login.claims, custom)?;
            let principal = Principal::Identity {
                pool_id: pool.pool_id.clone(),
                identity_id: identity_id.clone(),
                authenticated: true,
                login: Some((login.provider.provider_name.clone(), login.sub.clone())),
            };
            (role, principal)
        }
    };
    let c = service.issue(&role, principal, IDENTITY_CREDENTIALS_SECONDS)?;
    Ok(json!({
        "IdentityId": identity_id,
        "Credentials": {
            "AccessKeyId": c.access_key_id,
            "SecretKey": c.secret_access_key,
            "SessionToken": c.session_token,
            "Expiration": c.expiration,
        }
    }))
}

/// How long an OpenID token lasts (Cognito's default, ten minutes).
const OPEN_ID_TOKEN_SECONDS: i64 = 600;

fn get_open_id_token(service: &IdentityPools, body: &Value) -> Result<Value> {
    let (identity_id, pool, login) = identity_and_login(service, body)?;
    let pool = &pool;
    if login.is_none() {
        role_for_guest(pool)?;
    }
    let now = service.now();
    let mut amr = vec![json!(if login.is_some() { "authenticated" } else { "unauthenticated" })];
    if let Some(l) = &login {
        amr.push(json!(l.provider.provider_name));
        amr.push(json!(format!("{}:CognitoSignIn:{}", l.provider.provider_name, l.sub)));
    }
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(identity_id));
    claims.insert("aud".into(), json!(pool.pool_id));
    claims.insert("amr".into(), json!(amr));
    claims.insert("iss".into(), json!("https://cognito-identity.amazonaws.com"));
    claims.insert(
        "https://cognito-identity.amazonaws.com/identity-pool-arn".into(),
        json!(format!(
            "arn:aws:cognito-identity:{}:{}:identitypool/{}",
            service.region, service.account_id, pool.pool_id
        )),
    );
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + OPEN_ID_TOKEN_SECONDS));
    Ok(json!({ "IdentityId": identity_id, "Token": service.openid_key.sign(&claims) }))
}
