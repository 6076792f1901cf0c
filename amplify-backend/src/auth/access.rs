//! Access grants from functions to the user pool: `allow.resource(func).to(..)`.

use crate::function::FunctionDefinition;

/// What a function may do with the user pool, in Amplify's action names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// Add a user to a group.
    AddUserToGroup,
    /// Create a user.
    CreateUser,
    /// Delete a user.
    DeleteUser,
    /// Read a user.
    GetUser,
    /// List users.
    ListUsers,
    /// List groups.
    ListGroups,
    /// List the groups of a user.
    ListGroupsForUser,
    /// List the users of a group.
    ListUsersInGroup,
    /// Remove a user from a group.
    RemoveUserFromGroup,
    /// Update a user's attributes.
    UpdateUserAttributes,
}

impl AuthAction {
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
            AddUserToGroup => &["cognito-idp:AdminAddUserToGroup"],
            CreateUser => &["cognito-idp:AdminCreateUser"],
            DeleteUser => &["cognito-idp:AdminDeleteUser"],
            GetUser => &["cognito-idp:AdminGetUser"],
            ListUsers => &["cognito-idp:ListUsers"],
            ListGroups => &["cognito-idp:ListGroups"],
            ListGroupsForUser => &["cognito-idp:AdminListGroupsForUser"],
            ListUsersInGroup => &["cognito-idp:ListUsersInGroup"],
            RemoveUserFromGroup => &["cognito-idp:AdminRemoveUserFromGroup"],
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
