//! The `access` rules of a bucket, built the way Amplify reads:
//! `access(|allow| [("photos/*", vec![allow.authenticated.to([Read, Write])])])`.

use crate::function::FunctionDefinition;

/// What a grantee may do under a path, in Amplify's action names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StorageAction {
    /// Download and list: the same as [`Get`](Self::Get) and [`List`](Self::List).
    Read,
    /// Download objects (`s3:GetObject`).
    Get,
    /// List objects (`s3:ListBucket`, limited to the path by an `s3:prefix` condition).
    List,
    /// Upload objects (`s3:PutObject`).
    Write,
    /// Delete objects (`s3:DeleteObject`).
    Delete,
}

impl StorageAction {
    /// The action's name in `amplify_outputs.json` and in Amplify's API.
    pub fn as_str(self) -> &'static str {
        match self {
            StorageAction::Read => "read",
            StorageAction::Get => "get",
            StorageAction::List => "list",
            StorageAction::Write => "write",
            StorageAction::Delete => "delete",
        }
    }
}

/// Who a rule is for.
#[derive(Clone, Debug)]
pub enum Grantee {
    /// Signed-in users (the identity pool's authenticated role).
    Authenticated,
    /// Guests (the identity pool's unauthenticated role).
    Guest,
    /// Members of user groups (each group's role).
    Groups(Vec<String>),
    /// The owner of a `{entity_id}` path: `"identity"`, the Cognito identity id.
    Entity(String),
    /// A function of the backend (its execution role).
    Resource(FunctionDefinition),
}

/// One access rule: a grantee and its actions.
#[derive(Clone, Debug)]
pub struct AccessRule {
    /// Who.
    pub grantee: Grantee,
    /// What, in the order given.
    pub actions: Vec<StorageAction>,
}

/// A grantee waiting for its actions: `allow.authenticated` in
/// `allow.authenticated.to([Read])`.
#[derive(Clone, Debug)]
pub struct Grant {
    grantee: Grantee,
}

impl Grant {
    /// The rule giving this grantee `actions`.
    pub fn to(&self, actions: impl IntoIterator<Item = StorageAction>) -> AccessRule {
        AccessRule { grantee: self.grantee.clone(), actions: actions.into_iter().collect() }
    }
}

/// The `allow` of an access callback.
#[derive(Clone, Debug)]
pub struct Allow {
    /// Signed-in users.
    pub authenticated: Grant,
    /// Guests (users who have not signed in).
    pub guest: Grant,
}

impl Allow {
    fn new() -> Self {
        Allow { authenticated: Grant { grantee: Grantee::Authenticated }, guest: Grant { grantee: Grantee::Guest } }
    }

    /// Members of user groups defined in `define_auth`.
    pub fn groups<S: Into<String>>(&self, groups: impl IntoIterator<Item = S>) -> Grant {
        Grant { grantee: Grantee::Groups(groups.into_iter().map(Into::into).collect()) }
    }

    /// The owner of the files under a `{entity_id}` path; `"identity"` (the only
    /// kind Amplify supports) is the user's Cognito identity id.
    pub fn entity(&self, entity: &str) -> Grant {
        Grant { grantee: Grantee::Entity(entity.to_string()) }
    }

    /// A function of the backend. It also gets the bucket name in its environment
    /// as `<NAME>_BUCKET_NAME` (`MEDIA_BUCKET_NAME` for a bucket named `media`).
    pub fn resource(&self, function: &FunctionDefinition) -> Grant {
        Grant { grantee: Grantee::Resource(function.clone()) }
    }
}

/// The access rules of a bucket: for each path, in the order given, who may do
/// what. Build it with [`access`].
#[derive(Clone, Debug, Default)]
pub struct StorageAccess {
    pub(crate) paths: Vec<(String, Vec<AccessRule>)>,
}

impl StorageAccess {
    /// The paths and their rules, in the order given.
    pub fn paths(&self) -> &[(String, Vec<AccessRule>)] {
        &self.paths
    }

    /// Whether no rule was given.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

/// Access rules from a callback, as Amplify's `access: (allow) => ({ ... })`.
///
/// ```
/// use amplify_backend::storage::{access, StorageAction::*};
/// let rules = access(|allow| {
///     [
///         ("photos/*", vec![allow.authenticated.to([Read, Write])]),
///         (
///             "profile-pictures/{entity_id}/*",
///             vec![allow.guest.to([Read]), allow.entity("identity").to([Read, Write, Delete])],
///         ),
///         ("admin/*", vec![allow.groups(["ADMINS"]).to([Read, Write, Delete])]),
///     ]
/// });
/// assert_eq!(rules.paths().len(), 3);
/// ```
pub fn access<P, I>(rules: impl FnOnce(&Allow) -> I) -> StorageAccess
where
    P: Into<String>,
    I: IntoIterator<Item = (P, Vec<AccessRule>)>,
{
    let allow = Allow::new();
    StorageAccess { paths: rules(&allow).into_iter().map(|(p, r)| (p.into(), r)).collect() }
}
