//! SignUp, ConfirmSignUp and ResendConfirmationCode, and the user creation
//! that AdminCreateUser shares.

use crate::cognito::triggers::TriggerCall;
use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::common::{
    delivery_details, store_code, take_code, username_attribute_conflict, verification_target, SIGN_UP_CODE_SECONDS,
};
use crate::cognito::attributes::{self, is_email, is_phone_number};
use crate::cognito::config::ClientConfig;
use crate::cognito::errors::{CognitoError, ErrorKind, Result};
use crate::cognito::events::MessagePurpose;
use crate::cognito::policy;
use crate::cognito::request::Req;
use crate::cognito::srp::Verifier;
use crate::cognito::user::{User, UserStatus};
use crate::cognito::{Pool, UserPools};

/// A user about to be stored, with the key it goes under.
pub(crate) struct NewUser {
    pub key: String,
    pub user: User,
}

/// Builds a new user from what a client or administrator sent: the username
/// rules of the pool, attribute checks, required attributes, the password's
/// verifier. The caller has checked the password against the policy.
pub(crate) fn new_user(
    pools: &UserPools,
    pool: &Pool,
    client: Option<&ClientConfig>,
    given_username: &str,
    given_attributes: &[(String, String)],
    password: &str,
    status: UserStatus,
) -> Result<NewUser> {
    let cfg = &pool.config;
    if given_username.is_empty() || given_username.chars().any(char::is_whitespace) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    attributes::check_writable(cfg, client, given_attributes, true)?;
    let mut attrs: BTreeMap<String, String> = given_attributes.iter().cloned().collect();
    let sub = uuid::Uuid::new_v4().to_string();
    let username = if !cfg.username_attributes.is_empty() {
        let attr = if cfg.uses_as_username("email") && is_email(given_username) {
            "email"
        } else if cfg.uses_as_username("phone_number") && is_phone_number(given_username) {
            "phone_number"
        } else {
            let expected = match (cfg.uses_as_username("email"), cfg.uses_as_username("phone_number")) {
                (true, true) => "either an email or a phone number",
                (true, false) => "an email",
                _ => "a phone number",
            };
            return Err(CognitoError::invalid_parameter(format!("Username should be {expected}.")));
        };
        match attrs.get(attr) {
            Some(value) if value != given_username => {
                return Err(CognitoError::invalid_parameter(format!(
                    "The {attr} attribute must match the username when {attr} is the username."
                )))
            }
            _ => {
                attrs.insert(attr.to_string(), given_username.to_string());
            }
        }
        // Such pools give each user a generated username, equal to its sub.
        sub.clone()
    } else {
        for (attr, looks_like, what) in
            [("email", is_email as fn(&str) -> bool, "email"), ("phone_number", is_phone_number, "phone number")]
        {
            if cfg.alias_attributes.iter().any(|a| a == attr) && looks_like(given_username) {
                return Err(CognitoError::invalid_parameter(format!(
                    "Username cannot be of {what} format, since user pool is configured for {attr} alias."
                )));
            }
        }
        given_username.to_string()
    };
    attributes::check_required(cfg, |name| attrs.contains_key(name))?;
    attrs.insert("sub".to_string(), sub);
    let now = pools.now_f64();
    let mut user = User {
        username: username.clone(),
        attributes: attrs,
        status,
        enabled: true,
        created: now,
        modified: now,
        salt: String::new(),
        verifier: String::new(),
        temporary_password_expires: None,
        groups: Vec::new(),
        codes: BTreeMap::new(),
        pending_attributes: BTreeMap::new(),
    };
    user.set_verifier(&Verifier::new(cfg.pool_name(), &username, password));
    Ok(NewUser { key: cfg.username_key(&username), user })
}

/// Stores a new user, refusing a taken username or email/phone username.
pub(crate) fn insert(pools: &UserPools, pool: &Pool, new: &NewUser) -> Result<()> {
    pools.store.insert_user(
        &pool.config.pool_id,
        &new.key,
        &new.user,
        || CognitoError::new(ErrorKind::UsernameExists, "User already exists"),
        |other| username_attribute_conflict(pool, &new.user, other, ErrorKind::UsernameExists),
    )
}

pub(crate) fn sign_up(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    let username = req.str("Username")?;
    let password = req.str("Password")?;
    pools.check_secret_hash(pool, client, &[username], req.opt_str("SecretHash")?)?;
    if pool.config.admin_create_user_only {
        return Err(CognitoError::not_authorized("SignUp is not permitted for this user pool"));
    }
    let attributes = req.attributes("UserAttributes")?;
    policy::check(&pool.config.password_policy, password, "password")?;
    let mut new = new_user(pools, pool, Some(client), username, &attributes, password, UserStatus::Unconfirmed)?;
    let validation: serde_json::Map<String, Value> =
        req.attributes("ValidationData")?.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
    let call = TriggerCall {
        name: "PreSignUp",
        source: "PreSignUp_SignUp",
        user: &new.user,
        client_id: Some(&client.client_id),
        request: json!({"validationData": validation, "clientMetadata": req.0.get("ClientMetadata").cloned().unwrap_or(json!({}))}),
    };
    let pre = pools.run_trigger(pool, call)?.unwrap_or(Value::Null);
    let flag = |k: &str| pre.get(k).and_then(Value::as_bool).unwrap_or(false);
    for (k, attr) in [("autoVerifyEmail", "email"), ("autoVerifyPhone", "phone_number")] {
        if flag(k) && new.user.attributes.contains_key(attr) {
            new.user.attributes.insert(format!("{attr}_verified"), "true".into());
        }
    }
    if flag("autoConfirmUser") {
        new.user.status = UserStatus::Confirmed;
        insert(pools, pool, &new)?;
        return Ok(json!({"UserConfirmed": true, "UserSub": new.user.sub()}));
    }
    let target = verification_target(pool, &new.user);
    let code = policy::code();
    if let Some((attr, _)) = &target {
        let expires = pools.now() + SIGN_UP_CODE_SECONDS;
        store_code(&mut new.user, "signup", &code, attr, expires);
    }
    insert(pools, pool, &new)?;
    let mut response = json!({"UserConfirmed": false, "UserSub": new.user.sub()});
    if let Some((attr, destination)) = target {
        response["CodeDeliveryDetails"] =
            pools.send_code(pool, &new.user, &attr, &destination, MessagePurpose::SignUp, &code);
    }
    Ok(response)
}

pub(crate) fn confirm_sign_up(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    let username = req.str("Username")?;
    let code = req.str("ConfirmationCode")?;
    let Some(found) = pools.lookup(pool, username)? else {
        // With existence errors prevented, an unknown user looks like a wrong code.
        return Err(if client.prevent_user_existence_errors {
            CognitoError::code_mismatch()
        } else {
            CognitoError::user_not_found()
        });
    };
    pools.check_secret_hash(pool, client, &[username, &found.user.username], req.opt_str("SecretHash")?)?;
    let now = pools.now();
    let modified = pools.now_f64();
    let confirmed = pools.store.update_user(
        &pool.config.pool_id,
        &found.key,
        |user| {
            if user.status != UserStatus::Unconfirmed {
                return Err(CognitoError::not_authorized(format!(
                    "User cannot be confirmed. Current status is {}",
                    user.status.as_str()
                )));
            }
            let pending = take_code(user, "signup", code, now)?;
            user.status = UserStatus::Confirmed;
            if let Some(attr) = pending.attribute {
                user.attributes.insert(format!("{attr}_verified"), "true".into());
            }
            user.modified = modified;
            Ok(user.clone())
        },
        |user, other| alias_conflict(pool, user, other),
    )?;
    // The user stays confirmed when the trigger fails, as in Cognito.
    post_confirmation(pools, pool, &confirmed, Some(&client.client_id))?;
    Ok(json!({}))
}

/// Runs the pool's `PostConfirmation` trigger for a user just confirmed.
pub(crate) fn post_confirmation(
    pools: &UserPools,
    pool: &Pool,
    user: &crate::cognito::user::User,
    client_id: Option<&str>,
) -> Result<()> {
    let call = TriggerCall {
        name: "PostConfirmation",
        source: "PostConfirmation_ConfirmSignUp",
        user,
        client_id,
        request: json!({"clientMetadata": {}}),
    };
    pools.run_trigger(pool, call).map(|_| ())
}

/// In alias pools, a verified email or phone number signs in one user only.
fn alias_conflict(
    pool: &Pool,
    user: &crate::cognito::user::User,
    other: &crate::cognito::user::User,
) -> Option<CognitoError> {
    pool.config.alias_attributes.iter().find_map(|attr| {
        if attr == "preferred_username" || !user.is_verified(attr) || !other.is_verified(attr) {
            return None;
        }
        (user.attribute(attr).is_some() && user.attribute(attr) == other.attribute(attr))
            .then(|| CognitoError::new(ErrorKind::AliasExists, format!("An account with the {attr} already exists.")))
    })
}

pub(crate) fn resend_confirmation_code(pools: &UserPools, req: Req) -> Result<Value> {
    let (pool, client) = &pools.client(req.str("ClientId")?)?;
    let username = req.str("Username")?;
    let Some(found) = pools.lookup(pool, username)? else {
        if client.prevent_user_existence_errors && is_email(username) {
            // A believable answer that reveals nothing.
            return Ok(json!({"CodeDeliveryDetails": delivery_details("email", username)}));
        }
        return Err(CognitoError::user_not_found());
    };
    pools.check_secret_hash(pool, client, &[username, &found.user.username], req.opt_str("SecretHash")?)?;
    if found.user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::invalid_parameter("User is already confirmed."));
    }
    let Some((attr, destination)) = verification_target(pool, &found.user) else {
        return Err(CognitoError::invalid_parameter("Auto verification not turned on."));
    };
    let code = policy::code();
    let expires = pools.now() + SIGN_UP_CODE_SECONDS;
    let user = pools.store.update_user(
        &pool.config.pool_id,
        &found.key,
        |user| {
            store_code(user, "signup", &code, &attr, expires);
            Ok(user.clone())
        },
        |_, _| None,
    )?;
    let details = pools.send_code(pool, &user, &attr, &destination, MessagePurpose::SignUp, &code);
    Ok(json!({"CodeDeliveryDetails": details}))
}
