//! Tokens for a user without their password: the developer console's "sign in
//! as", so that the data manager and the playground can act as any user of a
//! local pool. Real Cognito has no such call; only local tools use it.

use serde_json::Value;

use super::errors::{CognitoError, ErrorKind};
use super::user::UserStatus;
use super::UserPools;

impl UserPools {
    /// Starts a session for `username` in `pool_id` through the pool's first
    /// app client, as a successful sign-in would (the same triggers run), and
    /// answers `AuthenticationResult` (ID, access and refresh tokens). The
    /// user must be enabled and confirmed with a permanent password.
    pub fn issue_tokens_for(&self, pool_id: &str, username: &str) -> Result<Value, CognitoError> {
        let pool = &self.pool(pool_id)?;
        let client = pool.config.clients.first().ok_or_else(|| {
            CognitoError::new(ErrorKind::ResourceNotFound, format!("User pool {pool_id} has no app client."))
        })?;
        let found = self.require_user(pool, username)?;
        let user = &found.user;
        if !user.enabled {
            return Err(CognitoError::not_authorized("User is disabled."));
        }
        if user.status != UserStatus::Confirmed {
            return Err(CognitoError::not_authorized(format!(
                "User {} is {}: confirm them and give them a permanent password first.",
                user.username,
                user.status.as_str()
            )));
        }
        let signed_in = self.sign_in(pool, client, user)?;
        Ok(signed_in.get("AuthenticationResult").cloned().unwrap_or(Value::Null))
    }
}
