//! Access grants from functions to the user pool: `allow.resource(func).to(..)`.
//! Each granted function gets Amplify's `AMPLIFY_AUTH_USERPOOL_ID` (after the
//! category's name) and a policy with the Cognito actions of its grant.

use constructs::{Construct, Node, Value};

use crate::backend::Backend;
use crate::codes;
use crate::function::{resource_references, FunctionDefinition};
use crate::iam::{self, PolicyStatement};

/// What a function may do with the user pool, in Amplify's action names: five
/// groups of actions, then one action each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthAction {
    /// Create, read, update, enable, disable and delete users.
    ManageUsers,
    /// Create, read, update and delete groups.
    ManageGroups,
    /// Add users to groups and remove them.
    ManageGroupMembership,
    /// Read and forget users' devices.
    ManageUserDevices,
    /// Reset passwords and set new ones.
    ManagePasswordRecovery,
    /// Link a user to a federated identity.
    ManageProviderForUser,
    /// Add a user to a group.
    AddUserToGroup,
    /// Create a group.
    CreateGroup,
    /// Create a user.
    CreateUser,
    /// Delete a group.
    DeleteGroup,
    /// Delete a user.
    DeleteUser,
    /// Delete attributes of a user.
    DeleteUserAttributes,
    /// Disable a user.
    DisableUser,
    /// Enable a user.
    EnableUser,
    /// Forget a user's device.
    ForgetDevice,
    /// Read a user's device.
    GetDevice,
    /// Read a group.
    GetGroup,
    /// Read a user.
    GetUser,
    /// List users.
    ListUsers,
    /// List the users of a group.
    ListUsersInGroup,
    /// List groups.
    ListGroups,
    /// List a user's devices.
    ListDevices,
    /// List the groups of a user.
    ListGroupsForUser,
    /// Remove a user from a group.
    RemoveUserFromGroup,
    /// Reset a user's password.
    ResetUserPassword,
    /// Set a user's MFA preference.
    SetUserMfaPreference,
    /// Set a user's password.
    SetUserPassword,
    /// Set a user's settings.
    SetUserSettings,
    /// Remember or forget a device.
    UpdateDeviceStatus,
    /// Update a group.
    UpdateGroup,
    /// Update a user's attributes.
    UpdateUserAttributes,
}

impl AuthAction {
    /// Every action, in Amplify's order.
    pub const ALL: [AuthAction; 31] = {
        use AuthAction::*;
        [
            ManageUsers,
            ManageGroups,
            ManageGroupMembership,
            ManageUserDevices,
            ManagePasswordRecovery,
            ManageProviderForUser,
            AddUserToGroup,
            CreateGroup,
            CreateUser,
            DeleteGroup,
            DeleteUser,
            DeleteUserAttributes,
            DisableUser,
            EnableUser,
            ForgetDevice,
            GetDevice,
            GetGroup,
            GetUser,
            ListUsers,
            ListUsersInGroup,
            ListGroups,
            ListDevices,
            ListGroupsForUser,
            RemoveUserFromGroup,
            ResetUserPassword,
            SetUserMfaPreference,
            SetUserPassword,
            SetUserSettings,
            UpdateDeviceStatus,
            UpdateGroup,
            UpdateUserAttributes,
        ]
    };

    /// The IAM actions this grants (all `cognito-idp:` actions on the user pool).
    pub fn iam_actions(self) -> &'static [&'static str] {
        use AuthAction::*;
        match self {
            ManageUsers => &[
                "cognito-idp:AdminConfirmSignUp",
                "cognito-idp:AdminCreateUser",
                "cognito-idp:AdminDeleteUser",
                "cognito-idp:AdminDeleteUserAttributes",
                "cognito-idp:AdminDisableUser",
                "cognito-idp:AdminEnableUser",
                "cognito-idp:AdminGetUser",
                "cognito-idp:AdminListGroupsForUser",
                "cognito-idp:AdminRespondToAuthChallenge",
                "cognito-idp:AdminSetUserMFAPreference",
                "cognito-idp:AdminSetUserSettings",
                "cognito-idp:AdminUpdateUserAttributes",
                "cognito-idp:AdminUserGlobalSignOut",
            ],
            ManageGroups => &[
                "cognito-idp:CreateGroup",
                "cognito-idp:DeleteGroup",
                "cognito-idp:GetGroup",
                "cognito-idp:ListGroups",
                "cognito-idp:UpdateGroup",
            ],
            ManageGroupMembership => &["cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminRemoveUserFromGroup"],
            ManageUserDevices => &[
                "cognito-idp:AdminForgetDevice",
                "cognito-idp:AdminGetDevice",
                "cognito-idp:AdminListDevices",
                "cognito-idp:AdminUpdateDeviceStatus",
            ],
            ManagePasswordRecovery => &["cognito-idp:AdminResetUserPassword", "cognito-idp:AdminSetUserPassword"],
            ManageProviderForUser => &["cognito-idp:AdminLinkProviderForUser"],
            AddUserToGroup => &["cognito-idp:AdminAddUserToGroup"],
            CreateGroup => &["cognito-idp:CreateGroup"],
            CreateUser => &["cognito-idp:AdminCreateUser"],
            DeleteGroup => &["cognito-idp:DeleteGroup"],
            DeleteUser => &["cognito-idp:AdminDeleteUser"],
            DeleteUserAttributes => &["cognito-idp:AdminDeleteUserAttributes"],
            DisableUser => &["cognito-idp:AdminDisableUser"],
            EnableUser => &["cognito-idp:AdminEnableUser"],
            ForgetDevice => &["cognito-idp:AdminForgetDevice"],
            GetDevice => &["cognito-idp:AdminGetDevice"],
            GetGroup => &["cognito-idp:GetGroup"],
            GetUser => &["cognito-idp:AdminGetUser"],
            ListUsers => &["cognito-idp:ListUsers"],
            ListUsersInGroup => &["cognito-idp:ListUsersInGroup"],
            ListGroups => &["cognito-idp:ListGroups"],
            ListDevices => &["cognito-idp:AdminListDevices"],
            ListGroupsForUser => &["cognito-idp:AdminListGroupsForUser"],
            RemoveUserFromGroup => &["cognito-idp:AdminRemoveUserFromGroup"],
            ResetUserPassword => &["cognito-idp:AdminResetUserPassword"],
            SetUserMfaPreference => &["cognito-idp:AdminSetUserMFAPreference"],
            SetUserPassword => &["cognito-idp:AdminSetUserPassword"],
            SetUserSettings => &["cognito-idp:AdminSetUserSettings"],
            UpdateDeviceStatus => &["cognito-idp:AdminUpdateDeviceStatus"],
            UpdateGroup => &["cognito-idp:UpdateGroup"],
            UpdateUserAttributes => &["cognito-idp:AdminUpdateUserAttributes"],
        }
    }
}

/// One grant: a function and what it may do.
#[derive(Clone)]
pub struct AuthAccess {
    pub(crate) function: FunctionDefinition,
    pub(crate) actions: Vec<AuthAction>,
}

/// The `allow` of `access: |allow| ...`.
pub struct AuthAllow;

/// A grant being built: `allow.resource(&f).to([..])`.
pub struct AuthAccessBuilder {
    function: FunctionDefinition,
}

impl AuthAllow {
    /// Grants to a function.
    pub fn resource(&self, function: &FunctionDefinition) -> AuthAccessBuilder {
        AuthAccessBuilder { function: function.clone() }
    }
}

impl AuthAccessBuilder {
    /// These actions.
    pub fn to(self, actions: impl IntoIterator<Item = AuthAction>) -> AuthAccess {
        AuthAccess { function: self.function, actions: actions.into_iter().collect() }
    }
}

/// Builds access grants with Amplify's `allow` shape.
///
/// ```ignore
/// access: auth_access(|allow| vec![allow.resource(&admin_fn).to([AuthAction::ManageUsers])]),
/// ```
pub fn auth_access(f: impl FnOnce(&AuthAllow) -> Vec<AuthAccess>) -> Vec<AuthAccess> {
    f(&AuthAllow)
}

/// The variable a granted function reads the user pool id from: Amplify's
/// `<name>_USERPOOL_ID` in screaming snake case (`AMPLIFY_AUTH_USERPOOL_ID`).
pub fn user_pool_id_variable(category_name: &str) -> String {
    crate::function::resource_references::variable_name(&format!("{category_name}_USERPOOL_ID"))
}

/// The user pool grants are on: made by `define_auth` or named by `reference_auth`.
pub(crate) struct UserPoolRef {
    /// Its id.
    pub(crate) id: Value,
    /// Its ARN.
    pub(crate) arn: Value,
}

/// Gives functions the user pool actions they were granted, and the pool's id
/// in their environment. `called_by_pool` are the functions the pool invokes
/// (triggers, senders): the pool refers to them, so they must not refer to the
/// pool (a cycle); their grant is a policy of its own, and their events carry
/// the pool's id instead of the variable.
pub(crate) fn grant(
    backend: &Backend,
    errors: &Node,
    user_pool: &UserPoolRef,
    category_name: &str,
    access: &[AuthAccess],
    called_by_pool: &[&str],
) {
    // Amplify publishes the pool's id in SSM for auth with access grants.
    let reference = (!access.is_empty()).then(|| {
        let variable = user_pool_id_variable(category_name);
        let stack = backend.stack(crate::backend::Category::Auth);
        resource_references::publish(&stack, backend.identifier(), &variable, user_pool.id.clone())
    });
    for grant in access {
        let name = grant.function.name();
        let Some(function) = backend.functions().get(name) else {
            errors.add_error(
                codes::AUTH_FUNCTION,
                format!("auth access is granted to function '{name}', which is not in define_backend"),
                "add it there",
            );
            continue;
        };
        if grant.actions.is_empty() {
            errors.add_error(
                codes::AUTH_PROPS,
                format!("auth access for function '{name}' names no action"),
                "list at least one AuthAction in .to([...])",
            );
            continue;
        }
        let mut actions: Vec<&str> = grant.actions.iter().flat_map(|a| a.iam_actions().iter().copied()).collect();
        actions.sort_unstable();
        actions.dedup();
        let statement = PolicyStatement::allow(actions, [user_pool.arn.clone()]);
        if called_by_pool.contains(&name) {
            let home = Construct::new(function.stack(), &format!("{name}.UserPoolAccess"));
            iam::attach(&home, "Resource", vec![function.resources().role.ref_()], &[statement]);
        } else {
            function.add_to_role_policy(statement);
        }
        if let Some(reference) = &reference {
            // A function the pool invokes reads the id from SSM only (see above).
            let direct = (!called_by_pool.contains(&name)).then(|| user_pool.id.clone());
            resource_references::accept(function, reference, direct);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_is_named_as_amplify_names_it() {
        assert_eq!(user_pool_id_variable("amplifyAuth"), "AMPLIFY_AUTH_USERPOOL_ID");
        assert_eq!(user_pool_id_variable("myAuth2"), "MY_AUTH_2_USERPOOL_ID");
    }

    #[test]
    fn every_action_grants_cognito_actions_and_the_list_is_complete() {
        let unique: std::collections::HashSet<_> = AuthAction::ALL.iter().collect();
        assert_eq!(unique.len(), 31);
        for action in AuthAction::ALL {
            assert!(action.iam_actions().iter().all(|a| a.starts_with("cognito-idp:")), "{action:?}");
        }
    }
}
