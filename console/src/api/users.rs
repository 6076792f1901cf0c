//! User management over the local user pool's admin calls: list and search,
//! create (with a temporary password, or confirmed at once), confirm,
//! disable, enable, delete, set a password, add to and remove from groups,
//! and "sign in as", which issues the user's tokens: without their password
//! for a local pool, from a real sign-in (`{"password", "newPassword"?}`, or
//! the password the console set) for a deployed one.
//! Cognito's errors are answered with their own type and words.
//!
//! The pool is `?pool=<id>`, or the backend's first.

use std::sync::Arc;

use axum::extract::{Path, Query, State as AxumState};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::backend::SignIn;
use crate::error::{ApiError, ApiResult};
use crate::State;

/// `?pool=` on every call.
#[derive(Debug, Default, Deserialize)]
pub struct PoolQuery {
    pool: Option<String>,
    /// `ListUsers`' filter (`email ^= "ann"`), or plain text: a username prefix.
    filter: Option<String>,
    /// The page after this one (`ListUsers`' `PaginationToken`).
    next: Option<String>,
}

async fn pool_id(state: &State, asked: Option<&str>) -> ApiResult<(String, Vec<String>)> {
    let pools = state.backend().overview().await?.user_pools;
    let found = match asked {
        Some(id) => pools.into_iter().find(|p| p.id == id),
        None => pools.into_iter().next(),
    };
    found.map(|p| (p.id, p.username_attributes)).ok_or_else(|| match asked {
        Some(id) => ApiError::not_found(format!("the backend has no user pool {id}")),
        None => ApiError::not_found("the backend has no user pool (define auth to manage users)"),
    })
}

async fn call(state: &State, target: &str, body: Value) -> ApiResult<Value> {
    state.backend().user_pool(target, body).await
}

/// Plain text searches by prefix what users sign in with (the username, or
/// the email where the pool signs in with it); text with an operator is
/// Cognito's filter syntax, passed as is.
fn filter_of(text: &str, sign_in_attribute: &str) -> String {
    if text.contains('=') {
        text.to_string()
    } else {
        format!("{sign_in_attribute} ^= \"{}\"", text.replace('"', ""))
    }
}

fn sign_in_attribute(username_attributes: &[String]) -> &'static str {
    if username_attributes.iter().any(|a| a == "email") {
        "email"
    } else {
        "username"
    }
}

/// `GET /api/users`: one page of users, each with its groups.
pub async fn list(AxumState(state): AxumState<Arc<State>>, Query(q): Query<PoolQuery>) -> ApiResult<Json<Value>> {
    let (pool, attributes) = pool_id(&state, q.pool.as_deref()).await?;
    let mut body = json!({"UserPoolId": pool, "Limit": 60});
    if let Some(f) = q.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        body["Filter"] = json!(filter_of(f, sign_in_attribute(&attributes)));
    }
    if let Some(next) = &q.next {
        body["PaginationToken"] = json!(next);
    }
    let mut out = call(&state, "ListUsers", body).await?;
    if let Some(users) = out.get_mut("Users").and_then(Value::as_array_mut) {
        for user in users {
            let name = user["Username"].as_str().unwrap_or_default().to_string();
            let groups = call(&state, "AdminListGroupsForUser", json!({"UserPoolId": pool, "Username": name})).await?;
            let names: Vec<Value> =
                groups["Groups"].as_array().into_iter().flatten().map(|g| g["GroupName"].clone()).collect();
            user["Groups"] = Value::Array(names);
        }
    }
    Ok(Json(json!({"pool": pool, "users": out["Users"], "next": out.get("PaginationToken")})))
}

/// `POST /api/users`'s body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    username: String,
    password: String,
    /// Confirmed at once with `password` as their own; else `password` is
    /// temporary and must be changed at the first sign-in.
    #[serde(default)]
    confirmed: bool,
    /// More attributes (`email` is set, and verified, from a username with `@`).
    #[serde(default)]
    attributes: serde_json::Map<String, Value>,
}

/// `POST /api/users`: `AdminCreateUser` (no message sent), then for a
/// confirmed user `AdminSetUserPassword` with `Permanent`.
pub async fn create(
    AxumState(state): AxumState<Arc<State>>,
    Query(q): Query<PoolQuery>,
    Json(user): Json<NewUser>,
) -> ApiResult<Json<Value>> {
    let (pool, _) = pool_id(&state, q.pool.as_deref()).await?;
    if user.username.trim().is_empty() || user.password.is_empty() {
        return Err(ApiError::bad_request("InvalidParameterException", "a user needs a username and a password"));
    }
    let mut attributes = user.attributes.clone();
    if user.username.contains('@') && !attributes.contains_key("email") {
        attributes.insert("email".into(), json!(user.username));
    }
    if attributes.contains_key("email") && !attributes.contains_key("email_verified") {
        attributes.insert("email_verified".into(), json!("true"));
    }
    let list: Vec<Value> = attributes
        .iter()
        .map(|(k, v)| json!({"Name": k, "Value": v.as_str().map_or_else(|| v.to_string(), str::to_string)}))
        .collect();
    let created = call(
        &state,
        "AdminCreateUser",
        json!({"UserPoolId": pool, "Username": user.username, "TemporaryPassword": user.password,
            "UserAttributes": list, "MessageAction": "SUPPRESS"}),
    )
    .await?;
    let username = created["User"]["Username"].as_str().unwrap_or(&user.username).to_string();
    if user.confirmed {
        call(
            &state,
            "AdminSetUserPassword",
            json!({"UserPoolId": pool, "Username": username, "Password": user.password, "Permanent": true}),
        )
        .await?;
    }
    let got = call(&state, "AdminGetUser", json!({"UserPoolId": pool, "Username": username})).await?;
    Ok(Json(got))
}

/// `DELETE /api/users/{username}`.
pub async fn delete(
    AxumState(state): AxumState<Arc<State>>,
    Path(username): Path<String>,
    Query(q): Query<PoolQuery>,
) -> ApiResult<Json<Value>> {
    let (pool, _) = pool_id(&state, q.pool.as_deref()).await?;
    call(&state, "AdminDeleteUser", json!({"UserPoolId": pool, "Username": username})).await?;
    Ok(Json(json!({"deleted": username})))
}

/// The body of `POST /api/users/{username}/{action}`.
#[derive(Debug, Default, Deserialize)]
pub struct ActionBody {
    /// `password`: the new password; `sign-in-as`: the user's password.
    password: Option<String>,
    /// `password`: whether it is the user's own (else they must change it).
    #[serde(default)]
    permanent: bool,
    /// `add-to-group` and `remove-from-group`.
    group: Option<String>,
    /// `sign-in-as`: the password to set when the pool asks for a new one.
    #[serde(rename = "newPassword")]
    new_password: Option<String>,
}

fn need<'a>(value: &'a Option<String>, what: &str, action: &str) -> ApiResult<&'a str> {
    value.as_deref().filter(|v| !v.is_empty()).ok_or_else(|| {
        ApiError::bad_request("InvalidParameterException", format!("`{action}` needs `{what}` in its body"))
    })
}

/// `POST /api/users/{username}/{action}`: `confirm`, `disable`, `enable`,
/// `password`, `add-to-group`, `remove-from-group`, `sign-out` or `sign-in-as`.
pub async fn act(
    AxumState(state): AxumState<Arc<State>>,
    Path((username, action)): Path<(String, String)>,
    Query(q): Query<PoolQuery>,
    body: Option<Json<ActionBody>>,
) -> ApiResult<Json<Value>> {
    let (pool, _) = pool_id(&state, q.pool.as_deref()).await?;
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let user = json!({"UserPoolId": pool, "Username": username});
    let with = |extra: Value| {
        let mut b = user.clone();
        if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        b
    };
    let (target, request) = match action.as_str() {
        "confirm" => ("AdminConfirmSignUp", user.clone()),
        "disable" => ("AdminDisableUser", user.clone()),
        "enable" => ("AdminEnableUser", user.clone()),
        "sign-out" => ("AdminUserGlobalSignOut", user.clone()),
        "password" => (
            "AdminSetUserPassword",
            with(json!({"Password": need(&body.password, "password", &action)?, "Permanent": body.permanent})),
        ),
        "add-to-group" => ("AdminAddUserToGroup", with(json!({"GroupName": need(&body.group, "group", &action)?}))),
        "remove-from-group" => {
            ("AdminRemoveUserFromGroup", with(json!({"GroupName": need(&body.group, "group", &action)?})))
        }
        "sign-in-as" => {
            let with = SignIn { password: body.password.clone(), new_password: body.new_password.clone() };
            let tokens = state.backend().sign_in_as(&pool, &username, &with).await?;
            return Ok(Json(json!({"username": username, "tokens": tokens})));
        }
        other => {
            return Err(ApiError::not_found(format!(
                "no user action `{other}` (confirm, disable, enable, password, add-to-group, remove-from-group, sign-out, sign-in-as)"
            )))
        }
    };
    call(&state, target, request).await?;
    let got = call(&state, "AdminGetUser", user).await?;
    Ok(Json(got))
}

/// `GET /api/groups`: the pool's groups.
pub async fn groups(AxumState(state): AxumState<Arc<State>>, Query(q): Query<PoolQuery>) -> ApiResult<Json<Value>> {
    let (pool, _) = pool_id(&state, q.pool.as_deref()).await?;
    let out = call(&state, "ListGroups", json!({"UserPoolId": pool})).await?;
    Ok(Json(json!({"pool": pool, "groups": out["Groups"]})))
}

#[cfg(test)]
mod tests {
    use super::filter_of;

    #[test]
    fn plain_text_searches_by_username_prefix() {
        assert_eq!(filter_of("ann", "username"), "username ^= \"ann\"");
        assert_eq!(filter_of("a\"nn", "email"), "email ^= \"ann\"");
        assert_eq!(filter_of("name = \"Ann\"", "email"), "name = \"Ann\"");
    }
}
