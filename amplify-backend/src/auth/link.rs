//! What the other categories use of auth, whether `define_auth` made it or
//! `reference_auth` names existing resources: the pools, and the roles that
//! storage and data rules grant to.

use constructs::Value;
use indexmap::IndexMap;

use super::resources::AuthResources;

/// The auth resources other categories refer to. Role values are role *names*
/// (what `AWS::IAM::Policy.Roles` takes).
#[derive(Clone, Debug)]
pub(crate) struct SharedAuth {
    /// The user pool's id.
    pub(crate) user_pool_id: Value,
    /// The identity pool's id.
    pub(crate) identity_pool_id: Value,
    /// Whether the identity pool may admit guests.
    pub(crate) guest_access: bool,
    /// The role of signed-in users.
    pub(crate) authenticated_role: Value,
    /// The role of guests.
    pub(crate) unauthenticated_role: Value,
    /// Each group's role, by group name.
    pub(crate) group_roles: IndexMap<String, Value>,
}

impl SharedAuth {
    /// The resources `define_auth` made.
    pub(crate) fn defined(r: &AuthResources, guest_access: bool) -> SharedAuth {
        SharedAuth {
            user_pool_id: r.user_pool.ref_(),
            identity_pool_id: r.identity_pool.ref_(),
            guest_access,
            authenticated_role: r.authenticated_user_iam_role.ref_(),
            unauthenticated_role: r.unauthenticated_user_iam_role.ref_(),
            group_roles: r.groups.iter().map(|(name, g)| (name.clone(), g.role.ref_())).collect(),
        }
    }
}
