//! The signed-in user's own calls: GetUser, UpdateUserAttributes,
//! DeleteUserAttributes, VerifyUserAttribute,
//! GetUserAttributeVerificationCode and DeleteUser.

use serde_json::{json, Value};

use super::common::{store_code, take_code, username_attribute_conflict, SIGN_UP_CODE_SECONDS};
use crate::cognito::attributes;
use crate::cognito::errors::{CognitoError, ErrorKind, Result};
use crate::cognito::events::MessagePurpose;
use crate::cognito::policy;
use crate::cognito::request::Req;
use crate::cognito::UserPools;

/// Attributes whose value can be verified with a code.
const VERIFIABLE: &[&str] = &["email", "phone_number"];

pub(crate) fn get_user(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    let attributes = access.user.attribute_list(|name| attributes::readable(Some(&access.client), name));
    Ok(json!({"Username": access.user.username, "UserAttributes": attributes}))
}

pub(crate) fn update_user_attributes(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    let given = req.attributes("UserAttributes")?;
    let pool = &access.pool;
    let cfg = &pool.config;
    attributes::check_writable(cfg, Some(&access.client), &given, false)?;
    let now = pools.now();
    let modified = pools.now_f64();
    // (attribute, destination, code) of each code to send once stored.
    let mut to_send = Vec::new();
    let user = pools.store.update_user(
        &cfg.pool_id,
        &access.key,
        |user| {
            for (name, value) in &given {
                let verifiable = VERIFIABLE.contains(&name.as_str());
                if !verifiable || user.attribute(name) == Some(value.as_str()) {
                    user.attributes.insert(name.clone(), value.clone());
                    continue;
                }
                let auto = cfg.auto_verified_attributes.iter().any(|a| a == name);
                let wait = cfg.verify_before_update.iter().any(|a| a == name);
                if auto && wait && user.attribute(name).is_some() {
                    // The old value stays until the new one is verified.
                    user.pending_attributes.insert(name.clone(), value.clone());
                } else {
                    user.attributes.insert(name.clone(), value.clone());
                    user.attributes.insert(format!("{name}_verified"), "false".into());
                    user.pending_attributes.remove(name);
                }
                if auto {
                    let code = policy::code();
                    store_code(user, &format!("verify:{name}"), &code, name, now + SIGN_UP_CODE_SECONDS);
                    to_send.push((name.clone(), value.clone(), code));
                }
            }
            attributes::check_required(cfg, |n| user.attributes.contains_key(n))?;
            user.modified = modified;
            Ok(user.clone())
        },
        |user, other| username_attribute_conflict(pool, user, other, ErrorKind::AliasExists),
    )?;
    let details: Vec<Value> = to_send
        .into_iter()
        .map(|(attr, destination, code)| {
            pools.send_code(pool, &user, &attr, &destination, MessagePurpose::VerifyAttribute(attr.clone()), &code)
        })
        .collect();
    Ok(json!({"CodeDeliveryDetailsList": details}))
}

pub(crate) fn delete_user_attributes(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    let names = req.opt_strings("UserAttributeNames")?.unwrap_or_default();
    let cfg = &access.pool.config;
    let modified = pools.now_f64();
    pools.store.update_user(
        &cfg.pool_id,
        &access.key,
        |user| {
            for name in &names {
                let Some(schema) = cfg.attribute(name) else {
                    return Err(CognitoError::invalid_parameter(format!(
                        "Attributes did not conform to the schema: {name}: Attribute does not exist in the schema."
                    )));
                };
                if schema.required || name == "sub" {
                    return Err(CognitoError::invalid_parameter(format!(
                        "Attributes did not conform to the schema: {name}: The attribute is required"
                    )));
                }
                if !schema.mutable {
                    return Err(CognitoError::invalid_parameter(format!(
                        "Cannot modify an already provided non-mutable attribute: {name}"
                    )));
                }
                user.attributes.remove(name);
                if VERIFIABLE.contains(&name.as_str()) {
                    user.attributes.remove(&format!("{name}_verified"));
                }
            }
            user.modified = modified;
            Ok(())
        },
        |_, _| None,
    )?;
    Ok(json!({}))
}

pub(crate) fn verify_user_attribute(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    let name = req.str("AttributeName")?;
    let code = req.str("Code")?;
    let pool = &access.pool;
    let now = pools.now();
    let modified = pools.now_f64();
    pools.store.update_user(
        &pool.config.pool_id,
        &access.key,
        |user| {
            take_code(user, &format!("verify:{name}"), code, now)?;
            if let Some(value) = user.pending_attributes.remove(name) {
                user.attributes.insert(name.to_string(), value);
            }
            user.attributes.insert(format!("{name}_verified"), "true".into());
            user.modified = modified;
            Ok(())
        },
        |user, other| username_attribute_conflict(pool, user, other, ErrorKind::AliasExists),
    )?;
    Ok(json!({}))
}

pub(crate) fn get_user_attribute_verification_code(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    let name = req.str("AttributeName")?;
    if !VERIFIABLE.contains(&name) {
        return Err(CognitoError::invalid_parameter(format!(
            "Only email and phone_number can be verified, not {name}"
        )));
    }
    let destination = access
        .user
        .pending_attributes
        .get(name)
        .or_else(|| access.user.attributes.get(name))
        .cloned()
        .ok_or_else(|| CognitoError::invalid_parameter(format!("The user has no {name} to verify")))?;
    let code = policy::code();
    let expires = pools.now() + SIGN_UP_CODE_SECONDS;
    let user = pools.store.update_user(
        &access.pool.config.pool_id,
        &access.key,
        |user| {
            store_code(user, &format!("verify:{name}"), &code, name, expires);
            Ok(user.clone())
        },
        |_, _| None,
    )?;
    let details = pools.send_code(
        &access.pool,
        &user,
        name,
        &destination,
        MessagePurpose::VerifyAttribute(name.to_string()),
        &code,
    );
    Ok(json!({"CodeDeliveryDetails": details}))
}

pub(crate) fn delete_user(pools: &UserPools, req: Req) -> Result<Value> {
    let access = pools.access_user(req.str("AccessToken")?)?;
    pools.store.delete_user(&access.pool.config.pool_id, &access.key, &access.user.username)?;
    Ok(json!({}))
}
