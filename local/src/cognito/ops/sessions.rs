//! Ending sign-ins: GlobalSignOut, AdminUserGlobalSignOut and RevokeToken.

use serde_json::{json, Value};

use super::common::sha256_hex;
use crate::cognito::errors::{CognitoError, ErrorKind, Result};
use crate::cognito::request::Req;
use crate::cognito::UserPools;

pub(crate) fn global_sign_out(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    let pool_id = access.pool.config.pool_id.clone();
    let username = access.user.username;
    pools.store.revoke_sessions(|s| s.pool_id == pool_id && s.username == username)?;
    Ok(json!({}))
}

pub(crate) fn admin_user_global_sign_out(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let found = pools.require_user(pool, req.str("Username")?)?;
    let pool_id = pool.config.pool_id.clone();
    pools.store.revoke_sessions(|s| s.pool_id == pool_id && s.username == found.user.username)?;
    Ok(json!({}))
}

/// Revokes a refresh token and every token issued from it. An unknown token
/// is not an error (RFC 7009): there is nothing left to revoke.
pub(crate) fn revoke_token(pools: &UserPools, req: Req) -> Result<Value> {
    let token = req.str("Token")?;
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    if let Some(secret) = pool.secrets.get(&client.client_id) {
        if req.opt_str("ClientSecret")? != Some(secret.as_str()) {
            return Err(CognitoError::not_authorized(format!(
                "Unable to verify secret for client {}",
                client.client_id
            )));
        }
    }
    if token.split('.').count() == 3 {
        return Err(CognitoError::new(ErrorKind::UnsupportedTokenType, "Unsupported token type"));
    }
    let Some(session) = pools.store.session_by_refresh(&sha256_hex(token))? else {
        return Ok(json!({}));
    };
    if session.client_id != client.client_id {
        return Err(CognitoError::not_authorized("The token was issued to another client"));
    }
    pools.store.revoke_sessions(|s| s.origin_jti == session.origin_jti)?;
    Ok(json!({}))
}
