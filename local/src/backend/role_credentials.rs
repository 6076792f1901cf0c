//! Functions' credentials: the local identity service mints them for each
//! function's execution role when its process starts, so that what the
//! function signs (data API calls, S3 requests) is judged as that role.

use std::sync::{Arc, Weak};

use crate::identity::IdentityPools;
use crate::lambda::{CredentialSource, Credentials, FunctionConfig};

/// The identity service as the Lambda service's [`CredentialSource`]. Held
/// weakly: the user pools call the Lambda service (triggers) and the identity
/// service holds the user pools, so a strong handle would make a cycle that
/// keeps the stores open after the backend stops.
pub(crate) struct RoleCredentials(Weak<IdentityPools>);

impl RoleCredentials {
    pub(crate) fn new(identity: &Arc<IdentityPools>) -> RoleCredentials {
        RoleCredentials(Arc::downgrade(identity))
    }
}

impl CredentialSource for RoleCredentials {
    fn credentials(&self, function: &FunctionConfig) -> Option<Credentials> {
        let role = function.role_arn.as_deref()?;
        // A stopped backend, or a store that cannot be written, leaves the
        // function with placeholder credentials, which every local service
        // refuses by name.
        let issued = self.0.upgrade()?.credentials_for_role(role, &function.name).ok()?;
        Some(Credentials {
            access_key_id: issued.access_key_id,
            secret_access_key: issued.secret_access_key,
            session_token: Some(issued.session_token),
        })
    }
}
