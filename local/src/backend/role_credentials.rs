//! Functions' credentials: the local identity service mints them for each
//! function's execution role when its process starts, so that what the
//! function signs (data API calls, S3 requests) is judged as that role.

use crate::identity::IdentityPools;
use crate::lambda::{CredentialSource, Credentials, FunctionConfig};

impl CredentialSource for IdentityPools {
    fn credentials(&self, function: &FunctionConfig) -> Option<Credentials> {
        let role = function.role_arn.as_deref()?;
        // A store that cannot be written leaves the function with placeholder
        // credentials, which every local service refuses by name.
        let issued = self.credentials_for_role(role, &function.name).ok()?;
        Some(Credentials {
            access_key_id: issued.access_key_id,
            secret_access_key: issued.secret_access_key,
            session_token: Some(issued.session_token),
        })
    }
}
