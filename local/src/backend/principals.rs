//! Who signed an S3 request: credentials a caller minted for tests and tools,
//! else those the local identity pools issued (guests, signed-in users,
//! functions' roles).

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use crate::identity::IdentityPools;
use crate::s3::{Principal, Principals, StaticPrincipals};

/// Minted credentials first, then the identity pools'.
pub(crate) struct Either(pub Arc<StaticPrincipals>, pub Arc<IdentityPools>);

impl Principals for Either {
    fn resolve(&self, access_key_id: &str) -> Option<Principal> {
        if let Some(p) = self.0.resolve(access_key_id) {
            return Some(p);
        }
        let issued = self.1.issued(access_key_id)?;
        let expires = u64::try_from(issued.credentials.expiration).ok().map(|s| UNIX_EPOCH + Duration::from_secs(s));
        Some(Principal {
            access_key_id: issued.credentials.access_key_id.clone(),
            secret_access_key: issued.credentials.secret_access_key.clone(),
            session_token: Some(issued.credentials.session_token.clone()),
            role_arn: issued.caller.role_arn.clone(),
            identity_id: issued.caller.identity_id().map(str::to_string),
            expires,
        })
    }
}
