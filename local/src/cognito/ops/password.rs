//! ChangePassword, ForgotPassword and ConfirmForgotPassword.

use serde_json::{json, Value};

use super::common::{delivery_details, store_code, take_code, RESET_CODE_SECONDS};
use crate::cognito::attributes::is_email;
use crate::cognito::errors::{CognitoError, Result};
use crate::cognito::events::MessagePurpose;
use crate::cognito::policy;
use crate::cognito::request::Req;
use crate::cognito::srp::Verifier;
use crate::cognito::user::UserStatus;
use crate::cognito::UserPools;

pub(crate) fn change_password(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    let previous = req.str("PreviousPassword")?;
    let proposed = req.str("ProposedPassword")?;
    let cfg = &access.pool.config;
    if !access.user.verifier().matches(cfg.pool_name(), &access.user.username, previous) {
        return Err(CognitoError::incorrect_credentials());
    }
    policy::check(&cfg.password_policy, proposed, "proposedPassword")?;
    let verifier = Verifier::new(cfg.pool_name(), &access.user.username, proposed);
    let modified = pools.now_f64();
    pools.store.update_user(
        &cfg.pool_id,
        &access.key,
        |user| {
            user.set_verifier(&verifier);
            user.modified = modified;
            Ok(())
        },
        |_, _| None,
    )?;
    Ok(json!({}))
}

pub(crate) fn forgot_password(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    let username = req.str("Username")?;
    let Some(found) = pools.lookup(pool, username)? else {
        if client.prevent_user_existence_errors {
            let attr = if is_email(username) { "email" } else { "phone_number" };
            return Ok(json!({"CodeDeliveryDetails": delivery_details(attr, username)}));
        }
        return Err(CognitoError::user_not_found());
    };
    pools.check_secret_hash(pool, client, &[username, &found.user.username], req.opt_str("SecretHash")?)?;
    if !found.user.enabled {
        return Err(CognitoError::not_authorized("User is disabled."));
    }
    // The code goes to a verified address only: it proves who the user is.
    let target = ["email", "phone_number"].into_iter().find_map(|attr| {
        found.user.attribute(attr).filter(|_| found.user.is_verified(attr)).map(|v| (attr, v.to_string()))
    });
    let Some((attr, destination)) = target else {
        return Err(CognitoError::invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        ));
    };
    let code = policy::code();
    let expires = pools.now() + RESET_CODE_SECONDS;
    let user = pools.store.update_user(
        &pool.config.pool_id,
        &found.key,
        |user| {
            store_code(user, "forgot", &code, attr, expires);
            Ok(user.clone())
        },
        |_, _| None,
    )?;
    let details = pools.send_code(pool, &user, attr, &destination, MessagePurpose::ForgotPassword, &code);
    Ok(json!({"CodeDeliveryDetails": details}))
}

pub(crate) fn confirm_forgot_password(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    let username = req.str("Username")?;
    let code = req.str("ConfirmationCode")?;
    let password = req.str("Password")?;
    let Some(found) = pools.lookup(pool, username)? else {
        return Err(if client.prevent_user_existence_errors {
            CognitoError::code_mismatch()
        } else {
            CognitoError::user_not_found()
        });
    };
    pools.check_secret_hash(pool, client, &[username, &found.user.username], req.opt_str("SecretHash")?)?;
    let cfg = &pool.config;
    let now = pools.now();
    let modified = pools.now_f64();
    let verifier = Verifier::new(cfg.pool_name(), &found.user.username, password);
    pools.store.update_user(
        &cfg.pool_id,
        &found.key,
        |user| {
            take_code(user, "forgot", code, now)?;
            policy::check(&cfg.password_policy, password, "password")?;
            user.set_verifier(&verifier);
            if matches!(user.status, UserStatus::ResetRequired | UserStatus::ForceChangePassword) {
                user.status = UserStatus::Confirmed;
                user.temporary_password_expires = None;
            }
            user.modified = modified;
            Ok(())
        },
        |_, _| None,
    )?;
    Ok(json!({}))
}
