//! User pool Lambda triggers: the pool's `LambdaConfig` names a function for
//! points of its flows, and the pool calls it with Cognito's trigger event
//! (`version`, `triggerSource`, `region`, `userPoolId`, `userName`,
//! `callerContext`, `request`, `response`) and reads the `response` back.
//!
//! Run locally: `PreSignUp`, `PostConfirmation`, `PreAuthentication`,
//! `PostAuthentication`, `PreTokenGeneration` (claims added, overridden or
//! suppressed in the ID token, groups overridden) and `CustomMessage` (the
//! message shown with the code). A failing trigger fails the call with
//! `UserLambdaValidationException`, as Cognito does.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::errors::{CognitoError, ErrorKind, Result};
use super::user::User;
use super::{Pool, UserPools};

/// Runs a trigger's function: its ARN and the event in; the event it
/// returns (or the error it raised: type and message) out. The local Lambda
/// service implements it.
pub trait TriggerInvoker: Send + Sync {
    /// Invokes `function` with `event`.
    fn invoke(&self, function: &str, event: &Value) -> std::result::Result<Value, (String, String)>;
}

/// The `LambdaConfig` keys this service calls (others are reported when the
/// pool is configured and never called).
pub const RUN_LOCALLY: &[&str] = &[
    "PreSignUp",
    "PostConfirmation",
    "PreAuthentication",
    "PostAuthentication",
    "PreTokenGeneration",
    "CustomMessage",
];

/// `LambdaConfig` as trigger name -> function ARN (`PreTokenGenerationConfig`'s
/// `LambdaArn` stands for `PreTokenGeneration`).
pub fn lambda_config(pool_props: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(Value::Object(config)) = pool_props.get("LambdaConfig") else { return out };
    for (k, v) in config {
        match (k.as_str(), v) {
            ("PreTokenGenerationConfig", c) => {
                if let Some(arn) = c.get("LambdaArn").and_then(Value::as_str) {
                    out.insert("PreTokenGeneration".into(), arn.to_string());
                }
            }
            (_, Value::String(arn)) => {
                out.insert(k.clone(), arn.clone());
            }
            _ => {}
        }
    }
    out
}

/// The user's attributes as a trigger sees them (`sub` included, flags as strings).
fn user_attributes(user: &User) -> Value {
    let mut m = Map::new();
    m.insert("sub".into(), json!(user.sub()));
    for (k, v) in &user.attributes {
        m.insert(k.clone(), json!(v));
    }
    m.insert("cognito:user_status".into(), json!(user.status.as_str()));
    Value::Object(m)
}

/// One trigger call.
pub(crate) struct TriggerCall<'a> {
    /// The `LambdaConfig` key (`PreSignUp`).
    pub name: &'a str,
    /// `triggerSource` (`PreSignUp_SignUp`).
    pub source: &'a str,
    /// The user.
    pub user: &'a User,
    /// `callerContext.clientId`, when a client made the call.
    pub client_id: Option<&'a str>,
    /// `request` fields besides `userAttributes`.
    pub request: Value,
}

impl UserPools {
    /// Calls the pool's function for triggers (the local Lambda service).
    pub fn set_triggers(&self, invoker: Arc<dyn TriggerInvoker>) {
        *self.triggers.write().unwrap_or_else(|e| e.into_inner()) = Some(invoker);
    }

    /// Runs `call` if the pool has that trigger, answering the function's
    /// `response` (or `None` when there is no trigger).
    pub(crate) fn run_trigger(&self, pool: &Pool, call: TriggerCall<'_>) -> Result<Option<Value>> {
        let Some(function) = pool.config.triggers.get(call.name) else { return Ok(None) };
        let invoker = self.triggers.read().unwrap_or_else(|e| e.into_inner()).clone();
        let Some(invoker) = invoker else {
            return Err(CognitoError::new(
                ErrorKind::UserLambdaValidation,
                format!("{} failed: no local Lambda service runs the pool's triggers", call.name),
            ));
        };
        let mut request = match call.request {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        request.insert("userAttributes".into(), user_attributes(call.user));
        let event = json!({
            "version": "1",
            "triggerSource": call.source,
            "region": pool.config.region(),
            "userPoolId": pool.config.pool_id,
            "userName": call.user.username,
            "callerContext": {"awsSdkVersion": "aws-sdk-local", "clientId": call.client_id.unwrap_or("CLIENT_ID_NOT_APPLICABLE")},
            "request": request,
            "response": {},
        });
        match invoker.invoke(function, &event) {
            Ok(answer) => Ok(Some(answer.get("response").cloned().unwrap_or(Value::Null))),
            Err((_, message)) => Err(CognitoError::new(
                ErrorKind::UserLambdaValidation,
                format!("{} failed with error {message}.", call.name),
            )),
        }
    }
}

/// `claimsOverrideDetails` of a `PreTokenGeneration` response, applied to the
/// ID token's claims (and groups to both tokens).
pub(crate) fn apply_claims_override(details: &Value, id: &mut Map<String, Value>, access: &mut Map<String, Value>) {
    // Claims a trigger may not change, as Cognito protects them.
    const PROTECTED: &[&str] = &[
        "acr",
        "amr",
        "aud",
        "auth_time",
        "azp",
        "at_hash",
        "exp",
        "iat",
        "iss",
        "jti",
        "nbf",
        "nonce",
        "origin_jti",
        "sub",
        "token_use",
        "cognito:username",
        "event_id",
    ];
    let allowed = |k: &str| !PROTECTED.contains(&k) && !k.starts_with("cognito:");
    if let Some(Value::Object(add)) = details.get("claimsToAddOrOverride") {
        for (k, v) in add {
            if allowed(k) {
                id.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(Value::Array(suppress)) = details.get("claimsToSuppress") {
        for k in suppress.iter().filter_map(Value::as_str) {
            if allowed(k) {
                id.remove(k);
            }
        }
    }
    if let Some(groups) = details.get("groupOverrideDetails").filter(|g| g.is_object()) {
        if let Some(list) = groups.get("groupsToOverride").and_then(Value::as_array) {
            id.insert("cognito:groups".into(), Value::Array(list.clone()));
            access.insert("cognito:groups".into(), Value::Array(list.clone()));
        }
        if let Some(roles) = groups.get("iamRolesToOverride").and_then(Value::as_array) {
            id.insert("cognito:roles".into(), Value::Array(roles.clone()));
        }
        if let Some(role) = groups.get("preferredRole").and_then(Value::as_str) {
            id.insert("cognito:preferred_role".into(), json!(role));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_overrides_change_what_cognito_lets_them_change() {
        let mut id = Map::new();
        id.insert("sub".into(), json!("s"));
        id.insert("email".into(), json!("a@b.c"));
        id.insert("name".into(), json!("Ann"));
        let mut access = Map::new();
        let details = json!({
            "claimsToAddOrOverride": {"tenant": "t1", "sub": "forged", "cognito:groups": ["admin"]},
            "claimsToSuppress": ["name", "exp"],
            "groupOverrideDetails": {"groupsToOverride": ["editors"], "preferredRole": "arn:aws:iam::1:role/r"},
        });
        apply_claims_override(&details, &mut id, &mut access);
        assert_eq!(id["tenant"], "t1");
        assert_eq!(id["sub"], "s", "protected claims stay");
        assert!(!id.contains_key("name"));
        assert_eq!(id["cognito:groups"], json!(["editors"]), "groups change through groupOverrideDetails only");
        assert_eq!(access["cognito:groups"], json!(["editors"]));
        assert_eq!(id["cognito:preferred_role"], "arn:aws:iam::1:role/r");
    }

    #[test]
    fn lambda_config_names_each_trigger() {
        let props = json!({"LambdaConfig": {
            "PostConfirmation": "arn:aws:lambda:us-east-1:0:function:a",
            "PreTokenGenerationConfig": {"LambdaArn": "arn:aws:lambda:us-east-1:0:function:b", "LambdaVersion": "V2_0"},
        }});
        let config = lambda_config(&props);
        assert_eq!(config["PostConfirmation"], "arn:aws:lambda:us-east-1:0:function:a");
        assert_eq!(config["PreTokenGeneration"], "arn:aws:lambda:us-east-1:0:function:b");
    }
}
