//! Cognito identity pools (the Cognito Identity JSON 1.1 protocol) and the
//! IAM side of the local backend: the credentials they issue, and who signed a
//! SigV4 request.
//!
//! [`IdentityPools`] holds every `AWS::Cognito::IdentityPool` of one assembly
//! over one persistent store. [`IdentityPools::handle`] answers `GetId`,
//! `GetCredentialsForIdentity` and `GetOpenIdToken` (what Amplify's
//! `fetchAuthSession` calls), [`router`] serves them as Amplify's
//! `Auth.Cognito.identityPoolEndpoint` expects. Guests get the pool's
//! unauthenticated role; signed-in users (a local user pool's ID token in
//! `Logins`) get the role their mapping picks (group roles through
//! `cognito:preferred_role`, or rules), else the authenticated role.
//!
//! Other services ask [`IdentityPools::who`] who signed a request (a caller
//! and its role), then [`IdentityPools::authorize`] whether the role's
//! policies in the assembly allow an action on a resource. Functions get
//! credentials for their execution role from
//! [`IdentityPools::credentials_for_role`].

pub mod caller;
pub mod config;
pub mod credentials;
pub mod errors;
mod http;
mod ops;
pub mod policy;
pub mod roles;
pub mod sigv4;
mod store;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

pub use caller::{Caller, Principal};
pub use config::{identity_pool_configs, IdentityPoolConfig};
pub use credentials::{Credentials, Issued};
pub use errors::{ErrorKind, IdentityError};
pub use http::router;
pub use policy::{Context, Decision, Policies};
pub use sigv4::{PathEncoding, SigV4Error, SignedRequest};

use crate::assembly::Assembly;
use crate::cognito::tokens::SigningKey;
use crate::cognito::UserPools;
use store::Store;

/// The store's file name inside the directory given to [`IdentityPools::open`].
pub const STORE_FILE: &str = "identity.redb";

/// The local administrator's role: outside every identity pool and allowed
/// every action, as the deployer's own IAM identity is in a sandbox account.
/// The console acts as it ("Admin"); AppSync's resolvers give an IAM caller
/// from no identity pool full access.
pub const ADMIN_ROLE_NAME: &str = "ampx-local-admin";

/// The roles of an assembly: their policies and unique ids, swapped on reload.
#[derive(Default)]
struct Roles {
    policies: Arc<Policies>,
    /// Role ARN → role id (`AROA...`).
    ids: HashMap<String, String>,
    /// The roles of the groups of the pools' user pools (which `Token`
    /// mappings hand out through `cognito:preferred_role`).
    group_roles: HashSet<String>,
}

impl std::fmt::Debug for IdentityPools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pools = self.pools();
        let ids: Vec<&str> = pools.iter().map(|p| p.pool_id.as_str()).collect();
        f.debug_struct("IdentityPools").field("pools", &ids).finish_non_exhaustive()
    }
}

/// All identity pools of one assembly, over one store. `Send + Sync`: share
/// it in an `Arc`.
pub struct IdentityPools {
    pools: RwLock<Arc<Vec<IdentityPoolConfig>>>,
    store: Store,
    user_pools: Option<Arc<UserPools>>,
    roles: RwLock<Roles>,
    region: String,
    account_id: String,
    openid_key: SigningKey,
    clock_offset: AtomicI64,
}

impl IdentityPools {
    /// Opens the store in `dir` (created if missing; the file is
    /// [`STORE_FILE`]) for `pools`; `user_pools` verifies the ID tokens of
    /// signed-in users. Roles and their policies come from
    /// [`IdentityPools::set_roles`]; until then no role is allowed anything.
    pub fn open(
        dir: &Path,
        pools: Vec<IdentityPoolConfig>,
        user_pools: Option<Arc<UserPools>>,
        region: &str,
        account_id: &str,
    ) -> Result<IdentityPools, IdentityError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| IdentityError::store(dir, format!("cannot create the directory: {e}")))?;
        let store = Store::open(&dir.join(STORE_FILE))?;
        let der = store.meta_or_insert("openid-signing-key", SigningKey::generate_pkcs8)?;
        let openid_key = SigningKey::from_pkcs8(&der, "the identity pools")
            .map_err(|e| IdentityError::store(&dir.join(STORE_FILE), e.to_string()))?;
        let pools = IdentityPools {
            pools: RwLock::new(Arc::new(pools)),
            store,
            user_pools,
            roles: RwLock::default(),
            region: region.to_string(),
            account_id: account_id.to_string(),
            openid_key,
            clock_offset: AtomicI64::new(0),
        };
        // Credentials that expired a day ago are of no use to anyone.
        pools.store.prune_credentials(pools.now() - 86_400)?;
        Ok(pools)
    }

    /// Reads the roles and their policies from `assembly` again (on reload).
    pub fn set_roles(&self, assembly: &Assembly) {
        let pools = self.pools();
        let ids = assembly
            .of_type("AWS::IAM::Role")
            .filter_map(|r| Some((r.str_attribute("Arn")?.to_string(), r.str_attribute("RoleId")?.to_string())))
            .collect();
        let user_pools: HashSet<&str> =
            pools.iter().flat_map(|p| p.providers.iter().map(|p| p.user_pool_id())).collect();
        let group_roles = assembly
            .of_type("AWS::Cognito::UserPoolGroup")
            .filter(|g| g.str_property("UserPoolId").is_some_and(|id| user_pools.contains(id)))
            .filter_map(|g| g.str_property("RoleArn").map(str::to_string))
            .collect();
        let mut policies = Policies::from_assembly(assembly);
        policies.allow_all(ADMIN_ROLE_NAME);
        let roles = Roles { policies: Arc::new(policies), ids, group_roles };
        *self.roles.write().unwrap_or_else(|e| e.into_inner()) = roles;
    }

    /// The pools' settings, as they are now.
    pub fn pools(&self) -> Arc<Vec<IdentityPoolConfig>> {
        self.pools.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Applies new settings (a reloaded assembly): the pools' providers,
    /// roles and mappings are replaced; identities and the credentials
    /// issued to them are kept. Call [`set_roles`](Self::set_roles) after.
    pub fn reconfigure(&self, pools: Vec<IdentityPoolConfig>) {
        *self.pools.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(pools);
    }

    /// The region in identity ids and ARNs.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The policies of the assembly's roles.
    pub fn policies(&self) -> Arc<Policies> {
        self.roles.read().unwrap_or_else(|e| e.into_inner()).policies.clone()
    }

    /// One JSON 1.1 call: `target` is the operation name without the
    /// `AWSCognitoIdentityService.` prefix.
    pub fn handle(&self, target: &str, body: &Value) -> Result<Value, IdentityError> {
        if !body.is_object() {
            return Err(IdentityError::new(ErrorKind::Serialization, "The request body must be a JSON object"));
        }
        ops::dispatch(self, target, body)
    }

    /// Issues credentials for `role_arn` to a principal that assumes it
    /// directly (a function's execution role; `session_name` is the
    /// function's name). They are valid for 12 hours.
    pub fn credentials_for_role(&self, role_arn: &str, session_name: &str) -> Result<Credentials, IdentityError> {
        let principal = Principal::Role { session_name: session_name.to_string() };
        self.issue(role_arn, principal, credentials::ROLE_CREDENTIALS_SECONDS)
    }

    /// Credentials for the local administrator ([`ADMIN_ROLE_NAME`]), for
    /// `session_name` (who acts: `console`). Valid for 12 hours.
    pub fn admin_credentials(&self, session_name: &str) -> Result<Credentials, IdentityError> {
        let role_arn = format!("arn:aws:iam::{}:role/{ADMIN_ROLE_NAME}", self.account_id);
        self.credentials_for_role(&role_arn, session_name)
    }

    /// The credentials issued under `access_key_id`, with whose they are;
    /// `None` for a key never issued (or a store that cannot be read).
    pub fn issued(&self, access_key_id: &str) -> Option<Issued> {
        self.store.credentials(access_key_id).ok().flatten()
    }

    pub(crate) fn issue(
        &self,
        role_arn: &str,
        principal: Principal,
        lifetime: i64,
    ) -> Result<Credentials, IdentityError> {
        let role_id = self.roles.read().unwrap_or_else(|e| e.into_inner()).ids.get(role_arn).cloned();
        let caller = Caller {
            role_arn: role_arn.to_string(),
            role_id: role_id.unwrap_or_else(|| policy::role_name(role_arn).to_string()),
            account_id: self.account_id.clone(),
            principal,
        };
        let credentials = Credentials::mint(self.now(), lifetime);
        self.store.put_credentials(&Issued { credentials: credentials.clone(), caller })?;
        Ok(credentials)
    }

    /// Who signed `request` for `service`: checks the signature against the
    /// credentials issued here (key, session token, expiry, time window,
    /// region) and answers their caller.
    pub fn who(
        &self,
        request: &SignedRequest<'_>,
        service: &str,
        encoding: PathEncoding,
    ) -> Result<Caller, SigV4Error> {
        let invalid = || SigV4Error {
            code: "UnrecognizedClientException",
            message: "The security token included in the request is invalid.".into(),
        };
        let sig = sigv4::Signature::parse(request)?;
        let issued = self
            .store
            .credentials(&sig.access_key_id)
            .map_err(|e| SigV4Error { code: "InternalFailure", message: e.to_string() })?
            .ok_or_else(invalid)?;
        if sig.session_token.as_deref() != Some(issued.credentials.session_token.as_str()) {
            return Err(invalid());
        }
        let now = self.now();
        if now >= issued.credentials.expiration {
            return Err(SigV4Error {
                code: "ExpiredTokenException",
                message: "The security token included in the request is expired".into(),
            });
        }
        if sig.region != self.region || sig.service != service {
            return Err(SigV4Error {
                code: "SignatureDoesNotMatch",
                message: format!(
                    "Credential should be scoped to region {} and service {service}, not {}/{}",
                    self.region, sig.region, sig.service
                ),
            });
        }
        sigv4::verify(request, &sig, &issued.credentials.secret_access_key, now, encoding)?;
        Ok(issued.caller)
    }

    /// Whether the caller's role may do `action` on `resource`; `extra` adds
    /// request condition keys (`s3:prefix`, ...) to the caller's own.
    pub fn authorize(&self, caller: &Caller, action: &str, resource: &str, extra: &Context) -> Decision {
        let mut context = caller.policy_context();
        context.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.policies().evaluate(&caller.role_arn, action, resource, &context)
    }

    /// Whether `role_arn` is a role one of the pools hands out: default
    /// roles, the roles of rule mappings, and user pool group roles.
    pub fn is_pool_role(&self, role_arn: &str) -> bool {
        if self.roles.read().unwrap_or_else(|e| e.into_inner()).group_roles.contains(role_arn) {
            return true;
        }
        self.pools().iter().any(|p| {
            p.authenticated_role.as_deref() == Some(role_arn)
                || p.unauthenticated_role.as_deref() == Some(role_arn)
                || p.role_mappings.iter().any(|m| match &m.kind {
                    config::MappingKind::Rules(rules) => rules.iter().any(|r| r.role_arn == role_arn),
                    config::MappingKind::Token => false,
                })
        })
    }

    /// Moves the service's clock forward by `seconds`, so tests can see
    /// credentials expire without waiting.
    pub fn advance_clock(&self, seconds: i64) {
        self.clock_offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Unix seconds, on the service's clock.
    pub fn now(&self) -> i64 {
        let real = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        real + self.clock_offset.load(Ordering::SeqCst)
    }
}
