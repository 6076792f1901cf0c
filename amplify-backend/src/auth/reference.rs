//! `reference_auth`: an existing user pool, app client, identity pool and its
//! roles become the backend's auth (Amplify's `referenceAuth`). Nothing Cognito
//! is created; outputs, storage and data rules and function grants work as
//! with `define_auth`.
//!
//! ```
//! use amplify_backend::auth::{reference_auth, ReferenceAuthProps};
//! use amplify_backend::Backend;
//!
//! let auth = reference_auth(ReferenceAuthProps {
//!     user_pool_id: "us-east-1_AbCdEfGhI".into(),
//!     user_pool_client_id: "1example23456789".into(),
//!     identity_pool_id: "us-east-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d".into(),
//!     auth_role_arn: "arn:aws:iam::123456789012:role/AuthRole".into(),
//!     unauth_role_arn: "arn:aws:iam::123456789012:role/UnauthRole".into(),
//!     groups: [("ADMINS".to_string(), "arn:aws:iam::123456789012:role/AdminsRole".to_string())].into(),
//!     ..Default::default()
//! });
//! let backend = Backend::build(constructs::App::with_props(Default::default()), (auth,));
//! let (auth,) = backend.parts();
//! assert_eq!(auth.resources().groups.len(), 1);
//! ```
//!
//! As in Amplify, the settings `amplify_outputs.json` needs (sign-up and
//! username attributes, password policy, MFA, OAuth, groups) are read from
//! Cognito while the stack deploys, by a `Custom::AmplifyRefAuth` resource (see
//! [`reference_initializer`](super::reference_initializer)). It also checks that
//! the resources belong together (the client is a web client of the pool, the
//! pool and client are a provider of the identity pool, the roles are the
//! identity pool's, each group's role is its role in the pool), so a wrong id
//! fails the deployment with the reason instead of deploying a broken app.

use constructs::{fns, Construct, IConstruct, Value};
use indexmap::IndexMap;

use super::access::{self, AuthAccess, UserPoolRef};
use super::link::SharedAuth;
use super::reference_initializer::{self, Initializer};
use crate::backend::{Backend, Category, Definition, FunctionLink};
use crate::codes;

/// The existing resources (Amplify's `ReferenceAuthProps`).
#[derive(Clone, Default)]
pub struct ReferenceAuthProps {
    /// The user pool's id (`us-east-1_AbCdEfGhI`).
    pub user_pool_id: String,
    /// The id of the pool's web client (one without a secret).
    pub user_pool_client_id: String,
    /// The identity pool's id (`us-east-1:<uuid>`).
    pub identity_pool_id: String,
    /// The ARN of the identity pool's role for signed-in users.
    pub auth_role_arn: String,
    /// The ARN of the identity pool's role for guests.
    pub unauth_role_arn: String,
    /// The user groups rules may name, each with the ARN of its role.
    pub groups: IndexMap<String, String>,
    /// Functions' access to the user pool, as in `define_auth`.
    pub access: Vec<AuthAccess>,
}

/// A referenced role: its ARN, and its name (what policies attach to).
#[derive(Clone, Debug)]
pub struct ReferencedRole {
    /// The role's ARN, as given.
    pub arn: String,
    /// The role's name (the ARN's last path segment).
    pub name: String,
}

/// What `reference_auth` refers to, and the one resource it makes.
#[derive(Clone, Debug)]
pub struct ReferenceAuthResources {
    /// The user pool's id.
    pub user_pool_id: String,
    /// The user pool's ARN (in the deploying account and region).
    pub user_pool_arn: Value,
    /// The web client's id.
    pub user_pool_client_id: String,
    /// The identity pool's id.
    pub identity_pool_id: String,
    /// The role of signed-in users.
    pub authenticated_user_iam_role: ReferencedRole,
    /// The role of guests.
    pub unauthenticated_user_iam_role: ReferencedRole,
    /// Group roles, by group name.
    pub groups: IndexMap<String, ReferencedRole>,
    /// The custom resource that checks the resources and reads their settings.
    pub initializer: Initializer,
}

/// The built referenced auth, as `backend.parts()` hands it back.
#[derive(Clone, Debug)]
pub struct ReferenceAuth {
    resources: ReferenceAuthResources,
}

impl ReferenceAuth {
    /// The referenced resources.
    pub fn resources(&self) -> &ReferenceAuthResources {
        &self.resources
    }
}

/// `reference_auth`'s definition, for `define_backend`.
#[derive(Clone)]
pub struct ReferenceAuthDefinition {
    props: ReferenceAuthProps,
}

/// Uses existing Cognito resources as the backend's auth (Amplify's `referenceAuth`).
pub fn reference_auth(props: ReferenceAuthProps) -> ReferenceAuthDefinition {
    ReferenceAuthDefinition { props }
}

/// The scope's id, as `define_auth`'s: a backend has one auth.
const SCOPE_ID: &str = "amplifyAuth";

impl Definition for ReferenceAuthDefinition {
    type Built = ReferenceAuth;

    fn category(&self) -> Category {
        Category::Auth
    }

    fn needs(&self) -> &'static [Category] {
        &[Category::Function]
    }

    fn function_links(&self) -> Vec<FunctionLink> {
        self.props.access.iter().map(|a| FunctionLink::uses(a.function.name(), Category::Auth)).collect()
    }

    fn build(self, backend: &mut Backend) -> ReferenceAuth {
        let p = self.props;
        let stack = backend.stack(Category::Auth);
        let scope = Construct::new(&stack, SCOPE_ID);
        constructs::Tags::of(&scope).add("amplify:friendly-name", SCOPE_ID);
        let problems = codes::from_messages(codes::AUTH_PROPS, validate(&p));
        if !problems.is_empty() {
            scope.node().add_check(move || problems.clone());
        }
        let role = |arn: &str| ReferencedRole { arn: arn.to_string(), name: role_name(arn).unwrap_or_default() };
        let groups: IndexMap<String, ReferencedRole> = p.groups.iter().map(|(g, arn)| (g.clone(), role(arn))).collect();
        let user_pool_arn = fns::sub_with(
            "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${pool}",
            [("pool", Value::from(p.user_pool_id.as_str()))],
        );
        let initializer = reference_initializer::build(&scope, &p, user_pool_arn.clone());
        let resources = ReferenceAuthResources {
            user_pool_id: p.user_pool_id.clone(),
            user_pool_arn: user_pool_arn.clone(),
            user_pool_client_id: p.user_pool_client_id.clone(),
            identity_pool_id: p.identity_pool_id.clone(),
            authenticated_user_iam_role: role(&p.auth_role_arn),
            unauthenticated_user_iam_role: role(&p.unauth_role_arn),
            groups,
            initializer,
        };
        let pool = UserPoolRef { id: p.user_pool_id.as_str().into(), arn: user_pool_arn };
        access::grant(backend, scope.node(), &pool, SCOPE_ID, &p.access, &[]);
        backend.add_stack_outputs("AWS::Amplify::Auth", reference_initializer::outputs(&resources));
        let shared = SharedAuth {
            user_pool_id: p.user_pool_id.as_str().into(),
            identity_pool_id: p.identity_pool_id.as_str().into(),
            // Whether the pool admits guests is read at deploy time; rules for
            // guests are allowed, and only work if it does.
            guest_access: true,
            authenticated_role: resources.authenticated_user_iam_role.name.as_str().into(),
            unauthenticated_role: resources.unauthenticated_user_iam_role.name.as_str().into(),
            group_roles: resources.groups.iter().map(|(g, r)| (g.clone(), r.name.as_str().into())).collect(),
        };
        backend.built_mut().auth.get_or_insert(shared);
        ReferenceAuth { resources }
    }
}

/// The name of the role an IAM role ARN names (`arn:aws:iam::123456789012:role/path/Name` -> `Name`).
pub(crate) fn role_name(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, "iam", "", account, resource] = parts.as_slice() else { return None };
    let ok_account = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    let ok_name = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    (!partition.is_empty() && ok_account && ok_name).then(|| name.to_string())
}

/// A user pool id: `<region>_<letters and digits>`.
fn is_user_pool_id(id: &str) -> bool {
    id.split_once('_').is_some_and(|(region, rest)| {
        is_region(region) && !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// An identity pool id: `<region>:<uuid>`.
fn is_identity_pool_id(id: &str) -> bool {
    id.split_once(':').is_some_and(|(region, uuid)| {
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        is_region(region) && groups == [8, 4, 4, 4, 12] && uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    })
}

fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Every problem with the props, each as `what is wrong; how to fix it`.
fn validate(p: &ReferenceAuthProps) -> Vec<String> {
    let mut out = Vec::new();
    if !is_user_pool_id(&p.user_pool_id) {
        out.push(format!(
            "reference_auth: user_pool_id {:?} is not a user pool id; give the pool's id as the Cognito console \
             shows it, such as \"us-east-1_AbCdEfGhI\"",
            p.user_pool_id
        ));
    }
    let client_ok = !p.user_pool_client_id.is_empty()
        && p.user_pool_client_id.len() <= 128
        && p.user_pool_client_id.chars().all(|c| c.is_ascii_alphanumeric());
    if !client_ok {
        out.push(format!(
            "reference_auth: user_pool_client_id {:?} is not an app client id; give the id of the pool's web \
             client (letters and digits)",
            p.user_pool_client_id
        ));
    }
    if !is_identity_pool_id(&p.identity_pool_id) {
        out.push(format!(
            "reference_auth: identity_pool_id {:?} is not an identity pool id; give it as \
             \"<region>:<uuid>\", such as \"us-east-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d\"",
            p.identity_pool_id
        ));
    }
    let region = |id: &str, sep: char| id.split_once(sep).map(|(r, _)| r.to_string());
    if let (Some(a), Some(b)) = (region(&p.user_pool_id, '_'), region(&p.identity_pool_id, ':')) {
        if is_user_pool_id(&p.user_pool_id) && is_identity_pool_id(&p.identity_pool_id) && a != b {
            out.push(format!(
                "reference_auth: the user pool is in {a} and the identity pool in {b}; reference pools of one \
                 region, the region the backend deploys to"
            ));
        }
    }
    let roles = [("auth_role_arn", &p.auth_role_arn), ("unauth_role_arn", &p.unauth_role_arn)];
    let group_roles = p.groups.iter().map(|(g, arn)| (g.as_str(), arn));
    for (what, arn) in roles.into_iter().chain(group_roles) {
        if role_name(arn).is_none() {
            let what = if what.ends_with("_arn") { what.to_string() } else { format!("the role of group {what:?}") };
            out.push(format!(
                "reference_auth: {what} {arn:?} is not an IAM role ARN; give it as \
                 \"arn:aws:iam::<account>:role/<name>\""
            ));
        }
    }
    for g in p.groups.keys() {
        if g.is_empty() || g.len() > 128 || g.chars().any(char::is_whitespace) {
            out.push(format!(
                "reference_auth: group name {g:?} is not a Cognito group name; use the group's name as the \
                 user pool lists it"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_come_from_the_arn_path() {
        assert_eq!(role_name("arn:aws:iam::123456789012:role/Auth").as_deref(), Some("Auth"));
        assert_eq!(role_name("arn:aws-cn:iam::123456789012:role/service/x/My.Role").as_deref(), Some("My.Role"));
        assert_eq!(role_name("arn:aws:iam::123456789012:user/Auth"), None);
        assert_eq!(role_name("arn:aws:iam::1234:role/Auth"), None);
        assert_eq!(role_name("Auth"), None);
    }

    #[test]
    fn pool_ids_are_recognized() {
        assert!(is_user_pool_id("eu-west-2_AbC123"));
        assert!(!is_user_pool_id("AbC123"));
        assert!(is_identity_pool_id("us-east-1:0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"));
        assert!(!is_identity_pool_id("us-east-1:not-a-uuid"));
    }
}
