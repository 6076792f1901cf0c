//! Groups (from the template): ListGroups, GetGroup, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser and ListUsersInGroup.

use serde_json::{json, Value};

use crate::cognito::config::GroupConfig;
use crate::cognito::errors::{CognitoError, ErrorKind, Result};
use crate::cognito::request::Req;
use crate::cognito::{Pool, UserPools};

fn group<'a>(pool: &'a Pool, name: &str) -> Result<&'a GroupConfig> {
    pool.config
        .groups
        .iter()
        .find(|g| g.name == name)
        .ok_or_else(|| CognitoError::new(ErrorKind::ResourceNotFound, "Group not found."))
}

/// Cognito's `GroupType`.
fn group_type(pools: &UserPools, pool: &Pool, g: &GroupConfig) -> Value {
    let mut out = json!({
        "GroupName": g.name,
        "UserPoolId": pool.config.pool_id,
        // Groups come from the template; they exist since the pools started.
        "CreationDate": pools.started,
        "LastModifiedDate": pools.started,
    });
    if let Some(d) = &g.description {
        out["Description"] = json!(d);
    }
    if let Some(p) = g.precedence {
        out["Precedence"] = json!(p);
    }
    if let Some(r) = &g.role_arn {
        out["RoleArn"] = json!(r);
    }
    out
}

/// One page of `items`: `Limit` (1-60, default 60) from the index in `NextToken`.
fn page<T: Clone>(req: &Req, items: &[T]) -> Result<(Vec<T>, Option<String>)> {
    let limit = req.opt_i64("Limit")?.unwrap_or(60);
    if !(0..=60).contains(&limit) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
        ));
    }
    let limit = if limit == 0 { 60 } else { limit as usize };
    let start = match req.opt_str("NextToken")? {
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= items.len())
            .ok_or_else(|| CognitoError::invalid_parameter("Invalid next token"))?,
        None => 0,
    };
    let end = (start + limit).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((items[start..end].to_vec(), next))
}

fn with_next(mut v: Value, next: Option<String>) -> Value {
    if let Some(n) = next {
        v["NextToken"] = json!(n);
    }
    v
}

pub(crate) fn list_groups(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let all: Vec<Value> = pool.config.groups.iter().map(|g| group_type(pools, pool, g)).collect();
    let (groups, next) = page(&req, &all)?;
    Ok(with_next(json!({"Groups": groups}), next))
}

pub(crate) fn get_group(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let g = group(pool, req.str("GroupName")?)?;
    Ok(json!({"Group": group_type(pools, pool, g)}))
}

fn change_membership(pools: &UserPools, req: Req, add: bool) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let name = group(pool, req.str("GroupName")?)?.name.clone();
    let found = pools.require_user(pool, req.str("Username")?)?;
    let modified = pools.now_f64();
    pools.store.update_user(
        &pool.config.pool_id,
        &found.key,
        |user| {
            user.groups.retain(|g| *g != name);
            if add {
                user.groups.push(name.clone());
            }
            user.modified = modified;
            Ok(())
        },
        |_, _| None,
    )?;
    Ok(json!({}))
}

pub(crate) fn admin_add_user_to_group(pools: &UserPools, req: Req) -> Result<Value> {
    change_membership(pools, req, true)
}

pub(crate) fn admin_remove_user_from_group(pools: &UserPools, req: Req) -> Result<Value> {
    change_membership(pools, req, false)
}

pub(crate) fn admin_list_groups_for_user(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let user = pools.require_user(pool, req.str("Username")?)?.user;
    let all: Vec<Value> = crate::cognito::tokens::user_groups(&pool.config, &user)
        .into_iter()
        .map(|g| group_type(pools, pool, g))
        .collect();
    let (groups, next) = page(&req, &all)?;
    Ok(with_next(json!({"Groups": groups}), next))
}

pub(crate) fn list_users_in_group(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let name = group(pool, req.str("GroupName")?)?.name.clone();
    let all: Vec<Value> = pools
        .store
        .users(&pool.config.pool_id)?
        .into_iter()
        .filter(|(_, u)| u.groups.contains(&name))
        .map(|(_, u)| u.user_type(None))
        .collect();
    let (users, next) = page(&req, &all)?;
    Ok(with_next(json!({"Users": users}), next))
}
