//! Who signed a request: the seam between the storage service and whatever
//! issues local credentials (the local identity pool for browsers, the
//! function runner for Lambda roles). The storage service only asks "which
//! principal owns this access key id?".

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::SystemTime;

/// The holder of one set of temporary credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// `AKIA...`/`ASIA...`: what the request's signature names.
    pub access_key_id: String,
    /// The key the signature is made with.
    pub secret_access_key: String,
    /// The session token the credentials came with; a request must carry the
    /// same (`x-amz-security-token`), as STS credentials require.
    pub session_token: Option<String>,
    /// The role the credentials act as (`arn:aws:iam::<account>:role/<name>`):
    /// its policies decide.
    pub role_arn: String,
    /// The Cognito identity id (`<region>:<uuid>`) for identity pool
    /// credentials: the value of `${cognito-identity.amazonaws.com:sub}`.
    pub identity_id: Option<String>,
    /// When the credentials stop working.
    pub expires: Option<SystemTime>,
}

impl Principal {
    /// The role's name (the ARN's last path segment), as `AWS::IAM::Policy`
    /// names roles.
    pub fn role_name(&self) -> &str {
        self.role_arn.rsplit('/').next().unwrap_or(&self.role_arn)
    }

    /// Whether the credentials have expired.
    pub fn expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|e| e <= now)
    }
}

/// Looks up the principal that owns an access key id.
pub trait Principals: Send + Sync + 'static {
    /// The principal, or `None` for a key nobody issued.
    fn resolve(&self, access_key_id: &str) -> Option<Principal>;
}

/// Principals held in memory: for tests, and for credentials handed out by a
/// caller that keeps no store of its own.
#[derive(Debug, Default)]
pub struct StaticPrincipals {
    by_key: RwLock<HashMap<String, Principal>>,
}

impl StaticPrincipals {
    /// Empty.
    pub fn new() -> StaticPrincipals {
        StaticPrincipals::default()
    }

    /// Adds (or replaces) a principal.
    pub fn insert(&self, principal: Principal) {
        self.by_key.write().unwrap_or_else(|e| e.into_inner()).insert(principal.access_key_id.clone(), principal);
    }

    /// Mints credentials for `role_arn` (and an identity id, for identity
    /// pool callers): random keys and a session token, valid for an hour.
    pub fn mint(&self, role_arn: &str, identity_id: Option<&str>) -> Principal {
        let id = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
        let principal = Principal {
            access_key_id: format!("ASIA{}", &id[..16]),
            secret_access_key: format!("{}{}", uuid::Uuid::new_v4().simple(), &id[16..24]),
            session_token: Some(format!("local-session-{}", uuid::Uuid::new_v4().simple())),
            role_arn: role_arn.to_string(),
            identity_id: identity_id.map(str::to_string),
            expires: Some(SystemTime::now() + std::time::Duration::from_secs(3600)),
        };
        self.insert(principal.clone());
        principal
    }
}

impl Principals for StaticPrincipals {
    fn resolve(&self, access_key_id: &str) -> Option<Principal> {
        self.by_key.read().unwrap_or_else(|e| e.into_inner()).get(access_key_id).cloned()
    }
}
