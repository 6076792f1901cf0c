//! Administrator calls on one user: AdminCreateUser, AdminGetUser,
//! AdminDeleteUser, AdminConfirmSignUp, AdminDisableUser, AdminEnableUser,
//! AdminSetUserPassword and AdminUpdateUserAttributes.

use serde_json::{json, Value};

use super::common::username_attribute_conflict;
use super::signup;
use crate::cognito::attributes;
use crate::cognito::errors::{CognitoError, ErrorKind, Result};
use crate::cognito::events::{DeliveryMedium, MessagePurpose, MessageSent};
use crate::cognito::policy;
use crate::cognito::request::Req;
use crate::cognito::srp::Verifier;
use crate::cognito::user::{User, UserStatus};
use crate::cognito::{Pool, UserPools};

pub(crate) fn admin_create_user(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let cfg = &pool.config;
    let username = req.str("Username")?;
    let action = req.opt_str("MessageAction")?;
    let mediums = req.opt_strings("DesiredDeliveryMediums")?.unwrap_or_else(|| vec!["EMAIL".to_string()]);
    for medium in &mediums {
        if medium != "EMAIL" && medium != "SMS" {
            return Err(CognitoError::invalid_parameter(format!(
                "DesiredDeliveryMediums has `{medium}`; use EMAIL or SMS"
            )));
        }
    }
    let password = match req.opt_str("TemporaryPassword")? {
        Some(p) => {
            policy::check(&cfg.password_policy, p, "temporaryPassword")?;
            p.to_string()
        }
        None => policy::temporary_password(&cfg.password_policy),
    };
    let expires = pools.now() + i64::from(cfg.password_policy.temporary_password_validity_days) * 86_400;
    let suppress = action == Some("SUPPRESS");
    let user = match action {
        Some("RESEND") => {
            let found = pools.require_user(pool, username)?;
            check_deliverable(&found.user, &mediums)?;
            let verifier = Verifier::new(cfg.pool_name(), &found.user.username, &password);
            let modified = pools.now_f64();
            pools.store.update_user(
                &cfg.pool_id,
                &found.key,
                |user| {
                    if user.status != UserStatus::ForceChangePassword {
                        return Err(CognitoError::new(
                            ErrorKind::UnsupportedUserState,
                            format!("Resend not possible. {} status is not FORCE_CHANGE_PASSWORD", user.username),
                        ));
                    }
                    user.set_verifier(&verifier);
                    user.temporary_password_expires = Some(expires);
                    user.modified = modified;
                    Ok(user.clone())
                },
                |_, _| None,
            )?
        }
        None | Some("SUPPRESS") => {
            let attributes = req.attributes("UserAttributes")?;
            let mut new =
                signup::new_user(pools, pool, None, username, &attributes, &password, UserStatus::ForceChangePassword)?;
            new.user.temporary_password_expires = Some(expires);
            if !suppress {
                check_deliverable(&new.user, &mediums)?;
            }
            signup::insert(pools, pool, &new)?;
            new.user
        }
        Some(other) => {
            return Err(CognitoError::invalid_parameter(format!("MessageAction is `{other}`; use RESEND or SUPPRESS")))
        }
    };
    if !suppress {
        send_invitation(pools, pool, &user, &mediums, &password);
    }
    Ok(json!({"User": user.user_type(None)}))
}

fn medium_attribute(medium: &str) -> (&'static str, DeliveryMedium) {
    if medium == "SMS" {
        ("phone_number", DeliveryMedium::Sms)
    } else {
        ("email", DeliveryMedium::Email)
    }
}

/// An invitation needs an address for at least one of the mediums asked for.
fn check_deliverable(user: &User, mediums: &[String]) -> Result<()> {
    if mediums.iter().any(|m| user.attribute(medium_attribute(m).0).is_some()) {
        Ok(())
    } else {
        Err(CognitoError::invalid_parameter("User has no attribute matching desired delivery mediums"))
    }
}

/// "Sends" the temporary password by each medium the user has an address for.
fn send_invitation(pools: &UserPools, pool: &Pool, user: &User, mediums: &[String], password: &str) {
    for medium in mediums {
        let (attr, medium) = medium_attribute(medium);
        if let Some(destination) = user.attribute(attr) {
            pools.events.send(MessageSent {
                pool_id: pool.config.pool_id.clone(),
                username: user.username.clone(),
                destination: destination.to_string(),
                medium,
                purpose: MessagePurpose::Invitation,
                code: password.to_string(),
                message: None,
            });
        }
    }
}

pub(crate) fn admin_get_user(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let user = pools.require_user(pool, req.str("Username")?)?.user;
    Ok(json!({
        "Username": user.username,
        "UserAttributes": user.attribute_list(|_| true),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    }))
}

pub(crate) fn admin_delete_user(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let found = pools.require_user(pool, req.str("Username")?)?;
    pools.store.delete_user(&pool.config.pool_id, &found.key, &found.user.username)?;
    Ok(json!({}))
}

/// Applies `f` to the user an admin call names.
fn admin_update(pools: &UserPools, req: Req, f: impl FnOnce(&mut User) -> Result<()>) -> Result<(String, User)> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let found = pools.require_user(pool, req.str("Username")?)?;
    let modified = pools.now_f64();
    let user = pools.store.update_user(
        &pool.config.pool_id,
        &found.key,
        |user| {
            f(user)?;
            user.modified = modified;
            Ok(user.clone())
        },
        |user, other| username_attribute_conflict(pool, user, other, ErrorKind::AliasExists),
    )?;
    Ok((pool.config.pool_id.clone(), user))
}

pub(crate) fn admin_confirm_sign_up(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool_id, user) = admin_update(pools, req, |user| {
        if user.status != UserStatus::Unconfirmed {
            return Err(CognitoError::not_authorized(format!(
                "User cannot be confirmed. Current status is {}",
                user.status.as_str()
            )));
        }
        user.status = UserStatus::Confirmed;
        user.codes.remove("signup");
        Ok(())
    })?;
    let pool = pools.pool(&pool_id)?;
    super::signup::post_confirmation(pools, &pool, &user, None)?;
    Ok(json!({}))
}

pub(crate) fn admin_disable_user(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool_id, user) = admin_update(pools, req, |user| {
        user.enabled = false;
        Ok(())
    })?;
    // Disabling also ends the user's sign-ins, as Cognito does.
    pools.store.revoke_sessions(|s| s.pool_id == pool_id && s.username == user.username)?;
    Ok(json!({}))
}

pub(crate) fn admin_enable_user(pools: &UserPools, req: Req) -> Result<Value> {
    admin_update(pools, req, |user| {
        user.enabled = true;
        Ok(())
    })?;
    Ok(json!({}))
}

pub(crate) fn admin_set_user_password(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let cfg = &pool.config;
    let password = req.str("Password")?;
    let permanent = req.opt_bool("Permanent")?.unwrap_or(false);
    policy::check(&cfg.password_policy, password, "password")?;
    let expires = pools.now() + i64::from(cfg.password_policy.temporary_password_validity_days) * 86_400;
    admin_update(pools, req, |user| {
        user.set_verifier(&Verifier::new(cfg.pool_name(), &user.username, password));
        if permanent {
            user.status = UserStatus::Confirmed;
            user.temporary_password_expires = None;
        } else {
            user.status = UserStatus::ForceChangePassword;
            user.temporary_password_expires = Some(expires);
        }
        Ok(())
    })?;
    Ok(json!({}))
}

pub(crate) fn admin_update_user_attributes(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let given = req.attributes("UserAttributes")?;
    attributes::check_writable(&pool.config, None, &given, false)?;
    admin_update(pools, req, |user| {
        for (name, value) in &given {
            let changed = user.attribute(name) != Some(value.as_str());
            user.attributes.insert(name.clone(), value.clone());
            // A new address is unverified unless the administrator says otherwise.
            let flag = format!("{name}_verified");
            if changed && (name == "email" || name == "phone_number") && !given.iter().any(|(n, _)| *n == flag) {
                user.attributes.insert(flag, "false".into());
            }
        }
        attributes::check_required(&pool.config, |n| user.attributes.contains_key(n))
    })?;
    Ok(json!({}))
}
