//! InitiateAuth, AdminInitiateAuth and RespondToAuthChallenge: SRP, plain
//! password, refresh tokens, and the new-password challenge of users an
//! administrator created.

use crate::cognito::triggers::TriggerCall;
use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::common::{random_token, sha256_hex, Found};
use crate::cognito::attributes;
use crate::cognito::challenges::Challenge;
use crate::cognito::config::ClientConfig;
use crate::cognito::errors::{CognitoError, ErrorKind, Result};
use crate::cognito::policy;
use crate::cognito::request::{param, Req};
use crate::cognito::srp::{self, ServerEphemeral, Verifier};
use crate::cognito::user::UserStatus;
use crate::cognito::{Pool, UserPools};

const FLOW_NOT_ENABLED: &str = "Auth flow not enabled for this client";

pub(crate) fn initiate_auth(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    let flow = req.str("AuthFlow")?;
    let params = req.map("AuthParameters")?;
    match flow {
        "USER_SRP_AUTH" => {
            require_flow(client, "ALLOW_USER_SRP_AUTH")?;
            start_srp(pools, pool, client, &params)
        }
        "USER_PASSWORD_AUTH" => {
            require_flow(client, "ALLOW_USER_PASSWORD_AUTH")?;
            password_auth(pools, pool, client, &params)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            require_flow(client, "ALLOW_REFRESH_TOKEN_AUTH")?;
            refresh(pools, pool, client, &params)
        }
        other => unsupported_flow(other),
    }
}

pub(crate) fn admin_initiate_auth(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let (client_pool, client) = &pools.client(req.str("ClientId")?)?;
    if client_pool.config.pool_id != pool.config.pool_id {
        return Err(CognitoError::new(
            ErrorKind::ResourceNotFound,
            format!("User pool client {} does not exist.", client.client_id),
        ));
    }
    let params = req.map("AuthParameters")?;
    match req.str("AuthFlow")? {
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            require_flow(client, "ALLOW_ADMIN_USER_PASSWORD_AUTH")?;
            password_auth(pools, pool, client, &params)
        }
        "USER_SRP_AUTH" => {
            require_flow(client, "ALLOW_USER_SRP_AUTH")?;
            start_srp(pools, pool, client, &params)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            require_flow(client, "ALLOW_REFRESH_TOKEN_AUTH")?;
            refresh(pools, pool, client, &params)
        }
        other => unsupported_flow(other),
    }
}

fn require_flow(client: &ClientConfig, flow: &str) -> Result<()> {
    if client.allows(flow) {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter(FLOW_NOT_ENABLED))
    }
}

fn unsupported_flow(flow: &str) -> Result<Value> {
    Err(match flow {
        "CUSTOM_AUTH" => CognitoError::invalid_parameter(
            "Custom auth lambda trigger is not configured for the user pool.",
        ),
        "USER_AUTH" => CognitoError::invalid_parameter(
            "USER_AUTH (choice-based sign-in) is not available in local user pools; use USER_SRP_AUTH",
        ),
        other => CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, USER_AUTH]"
        )),
    })
}

/// USER_SRP_AUTH's first step: the PASSWORD_VERIFIER challenge.
fn start_srp(
    pools: &UserPools,
    pool: &Pool,
    client: &ClientConfig,
    params: &BTreeMap<String, String>,
) -> Result<Value> {
    let name = param(params, "USERNAME")?;
    let a_hex = param(params, "SRP_A")?;
    let client_public =
        srp::from_hex(a_hex).ok_or_else(|| CognitoError::invalid_parameter("SRP_A must be a hexadecimal number"))?;
    let found = pools.lookup(pool, name)?;
    let (username, verifier) = match &found {
        Some(found) => {
            pools.check_secret_hash(
                pool,
                client,
                &[name, &found.user.username],
                params.get("SECRET_HASH").map(String::as_str),
            )?;
            (Some(found.user.username.clone()), found.user.verifier())
        }
        None if client.prevent_user_existence_errors => {
            // A decoy challenge that no password answers.
            (None, Verifier::new(pool.config.pool_name(), name, &random_token(32)))
        }
        None => return Err(CognitoError::user_not_found()),
    };
    let user_id_for_srp = username.clone().unwrap_or_else(|| name.to_string());
    let ephemeral = ServerEphemeral::new(&verifier.verifier);
    let secret_block = STANDARD.encode({
        let mut block = vec![0u8; 96];
        aws_lc_rs::rand::fill(&mut block).expect("the system random source works");
        block
    });
    let parameters = json!({
        "SALT": srp::to_hex(&verifier.salt),
        "SECRET_BLOCK": secret_block,
        "SRP_B": srp::to_hex(&ephemeral.public),
        "USERNAME": user_id_for_srp,
        "USER_ID_FOR_SRP": user_id_for_srp,
    });
    pools.challenges.insert(
        secret_block,
        Challenge::PasswordVerifier {
            pool_id: pool.config.pool_id.clone(),
            client_id: client.client_id.clone(),
            username,
            user_id_for_srp,
            ephemeral,
            client_public,
        },
        pools.now(),
    );
    Ok(json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": parameters}))
}

/// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH.
fn password_auth(
    pools: &UserPools,
    pool: &Pool,
    client: &ClientConfig,
    params: &BTreeMap<String, String>,
) -> Result<Value> {
    let name = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    let Some(found) = pools.lookup(pool, name)? else {
        return Err(if client.prevent_user_existence_errors {
            CognitoError::incorrect_credentials()
        } else {
            CognitoError::user_not_found()
        });
    };
    pools.check_secret_hash(
        pool,
        client,
        &[name, &found.user.username],
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    if !found.user.verifier().matches(pool.config.pool_name(), &found.user.username, password) {
        return Err(CognitoError::incorrect_credentials());
    }
    after_password(pools, pool, client, found)
}

/// What follows a correct password: the user's state decides between
/// tokens, the new-password challenge and an error.
fn after_password(pools: &UserPools, pool: &Pool, client: &ClientConfig, found: Found) -> Result<Value> {
    let user = &found.user;
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    let call = |name, source| TriggerCall {
        name,
        source,
        user,
        client_id: Some(&client.client_id),
        request: json!({"validationData": {}}),
    };
    pools.run_trigger(pool, call("PreAuthentication", "PreAuthentication_Authentication"))?;
    match user.status {
        UserStatus::Unconfirmed => Err(CognitoError::new(ErrorKind::UserNotConfirmed, "User is not confirmed.")),
        UserStatus::ResetRequired => {
            Err(CognitoError::new(ErrorKind::PasswordResetRequired, "Password reset required for the user"))
        }
        UserStatus::ForceChangePassword => {
            if user.temporary_password_expires.is_some_and(|t| t <= pools.now()) {
                return Err(CognitoError::not_authorized(
                    "Temporary password has expired and must be reset by an administrator.",
                ));
            }
            let session = random_token(192);
            let missing = attributes::missing_required(&pool.config, |n| user.attributes.contains_key(n));
            let required: Vec<String> = missing.iter().map(|n| format!("userAttributes.{n}")).collect();
            let visible: serde_json::Map<String, Value> =
                user.attributes.iter().filter(|(n, _)| *n != "sub").map(|(n, v)| (n.clone(), json!(v))).collect();
            pools.challenges.insert(
                session.clone(),
                Challenge::NewPasswordRequired {
                    pool_id: pool.config.pool_id.clone(),
                    client_id: client.client_id.clone(),
                    username: user.username.clone(),
                },
                pools.now(),
            );
            Ok(json!({
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": session,
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": user.username,
                    "requiredAttributes": serde_json::to_string(&required).expect("strings serialize"),
                    "userAttributes": Value::Object(visible).to_string(),
                },
            }))
        }
        UserStatus::Confirmed => {
            let signed_in = pools.sign_in(pool, client, user)?;
            pools.run_trigger(pool, call("PostAuthentication", "PostAuthentication_Authentication"))?;
            Ok(signed_in)
        }
    }
}

/// REFRESH_TOKEN_AUTH: new ID and access tokens for a live session.
fn refresh(pools: &UserPools, pool: &Pool, client: &ClientConfig, params: &BTreeMap<String, String>) -> Result<Value> {
    refresh_tokens(pools, pool, client, params, true)
}

fn refresh_tokens(
    pools: &UserPools,
    pool: &Pool,
    client: &ClientConfig,
    params: &BTreeMap<String, String>,
    check_hash: bool,
) -> Result<Value> {
    let token = param(params, "REFRESH_TOKEN")?;
    let invalid = || CognitoError::not_authorized("Invalid Refresh Token");
    let session = pools.store.session_by_refresh(&sha256_hex(token))?.ok_or_else(invalid)?;
    if session.client_id != client.client_id || session.pool_id != pool.config.pool_id {
        return Err(invalid());
    }
    if session.refresh_expires <= pools.now() {
        return Err(CognitoError::not_authorized("Refresh Token has expired"));
    }
    let key = pool.config.username_key(&session.username);
    let user = pools.store.user(&pool.config.pool_id, &key)?.ok_or_else(CognitoError::user_not_found)?;
    if check_hash {
        pools.check_secret_hash(pool, client, &[&user.username], params.get("SECRET_HASH").map(String::as_str))?;
    }
    if !user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    let result =
        pools.tokens(pool, client, &user, &session.origin_jti, session.auth_time, "TokenGeneration_RefreshTokens")?;
    Ok(json!({"AuthenticationResult": result, "ChallengeParameters": {}}))
}

/// The newer refresh call (Amplify v6 uses it): the same as
/// REFRESH_TOKEN_AUTH, with the client secret itself instead of a hash.
pub(crate) fn get_tokens_from_refresh_token(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    require_flow(client, "ALLOW_REFRESH_TOKEN_AUTH")?;
    if let Some(secret) = pool.secrets.get(&client.client_id) {
        if req.opt_str("ClientSecret")? != Some(secret.as_str()) {
            return Err(CognitoError::not_authorized(format!(
                "Unable to verify secret for client {}",
                client.client_id
            )));
        }
    }
    let mut params = BTreeMap::new();
    params.insert("REFRESH_TOKEN".to_string(), req.str("RefreshToken")?.to_string());
    let mut out = refresh_tokens(pools, pool, client, &params, false)?;
    if let Some(map) = out.as_object_mut() {
        map.remove("ChallengeParameters");
    }
    Ok(out)
}

pub(crate) fn respond_to_auth_challenge(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    let name = req.str("ChallengeName")?;
    let responses = req.map("ChallengeResponses")?;
    match name {
        "PASSWORD_VERIFIER" => password_verifier(pools, pool, client, &responses),
        "NEW_PASSWORD_REQUIRED" => {
            let session = req
                .opt_str("Session")?
                .ok_or_else(|| CognitoError::invalid_parameter("Missing required parameter Session"))?;
            new_password(pools, pool, client, session, &responses)
        }
        other => {
            Err(CognitoError::invalid_parameter(format!("The challenge {other} is not available in local user pools")))
        }
    }
}

fn session_error(expired: bool) -> CognitoError {
    CognitoError::not_authorized(if expired {
        "Invalid session for the user, session is expired."
    } else {
        "Invalid session for the user."
    })
}

fn password_verifier(
    pools: &UserPools,
    pool: &Pool,
    client: &ClientConfig,
    responses: &BTreeMap<String, String>,
) -> Result<Value> {
    let block_b64 = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature_b64 = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let sent_username = param(responses, "USERNAME")?;
    if srp::parse_timestamp(timestamp).is_none() {
        return Err(CognitoError::invalid_parameter("TIMESTAMP must look like `Sun Dec 6 06:36:47 UTC 2026`"));
    }
    let challenge = pools.challenges.take(block_b64, pools.now()).map_err(session_error)?;
    let Challenge::PasswordVerifier { pool_id, client_id, username, user_id_for_srp, ephemeral, client_public } =
        challenge
    else {
        return Err(session_error(false));
    };
    if pool_id != pool.config.pool_id || client_id != client.client_id {
        return Err(session_error(false));
    }
    let Some(username) = username else {
        return Err(CognitoError::incorrect_credentials());
    };
    let key = pool.config.username_key(&username);
    let user = pools.store.user(&pool.config.pool_id, &key)?.ok_or_else(CognitoError::incorrect_credentials)?;
    pools.check_secret_hash(
        pool,
        client,
        &[sent_username, &user.username],
        responses.get("SECRET_HASH").map(String::as_str),
    )?;
    let verifier = user.verifier();
    let proven = (|| {
        let session_key = ephemeral.session_key(&client_public, &verifier.verifier)?;
        let block = STANDARD.decode(block_b64).ok()?;
        let signature = STANDARD.decode(signature_b64).ok()?;
        srp::verify_claim(&session_key, pool.config.pool_name(), &user_id_for_srp, &block, timestamp, &signature)
            .then_some(())
    })();
    if proven.is_none() {
        return Err(CognitoError::incorrect_credentials());
    }
    after_password(pools, pool, client, Found { key, user })
}

fn new_password(
    pools: &UserPools,
    pool: &Pool,
    client: &ClientConfig,
    session: &str,
    responses: &BTreeMap<String, String>,
) -> Result<Value> {
    let now = pools.now();
    let challenge = pools.challenges.take(session, now).map_err(session_error)?;
    let Challenge::NewPasswordRequired { pool_id, client_id, username } = challenge.clone() else {
        return Err(session_error(false));
    };
    if pool_id != pool.config.pool_id || client_id != client.client_id {
        return Err(session_error(false));
    }
    let attempt = (|| {
        let password = param(responses, "NEW_PASSWORD")?;
        policy::check(&pool.config.password_policy, password, "NEW_PASSWORD")?;
        let given: Vec<(String, String)> = responses
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("userAttributes.").map(|name| (name.to_string(), v.clone())))
            .collect();
        let key = pool.config.username_key(&username);
        let modified = pools.now_f64();
        let verifier = Verifier::new(pool.config.pool_name(), &username, password);
        pools.store.update_user(
            &pool.config.pool_id,
            &key,
            |user| {
                // Attributes not set yet may be set now, even immutable ones.
                let (fresh, existing): (Vec<_>, Vec<_>) =
                    given.iter().cloned().partition(|(n, _)| !user.attributes.contains_key(n));
                attributes::check_writable(&pool.config, Some(client), &fresh, true)?;
                attributes::check_writable(&pool.config, Some(client), &existing, false)?;
                for (n, v) in given.iter().cloned() {
                    user.attributes.insert(n, v);
                }
                attributes::check_required(&pool.config, |n| user.attributes.contains_key(n))?;
                user.set_verifier(&verifier);
                user.status = UserStatus::Confirmed;
                user.temporary_password_expires = None;
                user.modified = modified;
                Ok(user.clone())
            },
            |_, _| None,
        )
    })();
    match attempt {
        Ok(user) => pools.sign_in(pool, client, &user),
        Err(err) => {
            // A refused password does not end the challenge: the user may try again.
            if err.kind().is_some_and(|k| k != ErrorKind::UserNotFound) {
                pools.challenges.insert(session.to_string(), challenge, now);
            }
            Err(err)
        }
    }
}
