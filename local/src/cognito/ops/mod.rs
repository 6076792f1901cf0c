//! The API operations, one file per family, and the table that routes a
//! target name to its handler.

mod admin;
mod auth;
pub(crate) mod common;
mod groups;
mod list_users;
mod password;
mod sessions;
mod signup;
mod user;

use serde_json::Value;

use super::errors::{CognitoError, ErrorKind, Result};
use super::request::Req;
use super::UserPools;

type Handler = fn(&UserPools, Req) -> Result<Value>;

/// Every operation this service answers.
const OPERATIONS: &[(&str, Handler)] = &[
    ("SignUp", signup::sign_up),
    ("ConfirmSignUp", signup::confirm_sign_up),
    ("ResendConfirmationCode", signup::resend_confirmation_code),
    ("InitiateAuth", auth::initiate_auth),
    ("AdminInitiateAuth", auth::admin_initiate_auth),
    ("RespondToAuthChallenge", auth::respond_to_auth_challenge),
    ("GetTokensFromRefreshToken", auth::get_tokens_from_refresh_token),
    ("GetUser", user::get_user),
    ("UpdateUserAttributes", user::update_user_attributes),
    ("DeleteUserAttributes", user::delete_user_attributes),
    ("VerifyUserAttribute", user::verify_user_attribute),
    ("GetUserAttributeVerificationCode", user::get_user_attribute_verification_code),
    ("DeleteUser", user::delete_user),
    ("ChangePassword", password::change_password),
    ("ForgotPassword", password::forgot_password),
    ("ConfirmForgotPassword", password::confirm_forgot_password),
    ("GlobalSignOut", sessions::global_sign_out),
    ("RevokeToken", sessions::revoke_token),
    ("AdminUserGlobalSignOut", sessions::admin_user_global_sign_out),
    ("AdminCreateUser", admin::admin_create_user),
    ("AdminGetUser", admin::admin_get_user),
    ("AdminDeleteUser", admin::admin_delete_user),
    ("AdminConfirmSignUp", admin::admin_confirm_sign_up),
    ("AdminDisableUser", admin::admin_disable_user),
    ("AdminEnableUser", admin::admin_enable_user),
    ("AdminSetUserPassword", admin::admin_set_user_password),
    ("AdminUpdateUserAttributes", admin::admin_update_user_attributes),
    ("ListUsers", list_users::list_users),
    ("ListGroups", groups::list_groups),
    ("GetGroup", groups::get_group),
    ("AdminAddUserToGroup", groups::admin_add_user_to_group),
    ("AdminRemoveUserFromGroup", groups::admin_remove_user_from_group),
    ("AdminListGroupsForUser", groups::admin_list_groups_for_user),
    ("ListUsersInGroup", groups::list_users_in_group),
];

/// The names of the operations answered, for documentation and tests.
pub fn operation_names() -> impl Iterator<Item = &'static str> {
    OPERATIONS.iter().map(|(name, _)| *name)
}

pub(crate) fn dispatch(pools: &UserPools, target: &str, body: &Value) -> Result<Value> {
    match OPERATIONS.iter().find(|(name, _)| *name == target) {
        Some((_, handler)) => handler(pools, Req(body)),
        None => Err(CognitoError::new(
            ErrorKind::UnknownOperation,
            format!("The operation {target} is not supported by the local user pools"),
        )),
    }
}
