//! Who signed a request: the credentials' principal (an identity pool
//! identity, or a role assumed directly, as a function's execution role is)
//! and its role, as AppSync's `ctx.identity` and IAM's condition keys see it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::policy::{role_name, Context};

/// The principal behind a set of credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    /// An identity of an identity pool, guest or signed in.
    Identity {
        /// The identity pool id.
        pool_id: String,
        /// The identity id (`<region>:<uuid>`).
        identity_id: String,
        /// Signed in (`authenticated`) or a guest (`unauthenticated`).
        authenticated: bool,
        /// The login it signed in with: (provider name, the token's `sub`).
        login: Option<(String, String)>,
    },
    /// A role assumed directly, such as a function's execution role.
    Role {
        /// The role session name (the function's name).
        session_name: String,
    },
}

/// The caller of a signed request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    /// The role the credentials were issued for.
    pub role_arn: String,
    /// The role's unique id (`AROA...`), part of `aws:userid`.
    pub role_id: String,
    /// The account in ARNs.
    pub account_id: String,
    /// Who.
    pub principal: Principal,
}

/// The session name Cognito Identity gives the roles it assumes.
const COGNITO_SESSION: &str = "CognitoIdentityCredentials";

impl Caller {
    fn session_name(&self) -> &str {
        match &self.principal {
            Principal::Identity { .. } => COGNITO_SESSION,
            Principal::Role { session_name } => session_name,
        }
    }

    /// The assumed-role ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
    pub fn user_arn(&self) -> String {
        format!("arn:aws:sts::{}:assumed-role/{}/{}", self.account_id, role_name(&self.role_arn), self.session_name())
    }

    /// `aws:userid`: `<role id>:<session>`.
    pub fn user_id(&self) -> String {
        format!("{}:{}", self.role_id, self.session_name())
    }

    /// The identity id, for an identity pool caller.
    pub fn identity_id(&self) -> Option<&str> {
        match &self.principal {
            Principal::Identity { identity_id, .. } => Some(identity_id),
            Principal::Role { .. } => None,
        }
    }

    /// AppSync's `ctx.identity` for an IAM-signed request.
    pub fn appsync_identity(&self, source_ip: &str) -> Value {
        let (pool, id, auth_type, provider) = match &self.principal {
            Principal::Identity { pool_id, identity_id, authenticated, login } => {
                let provider = login.as_ref().map(|(name, sub)| {
                    // Cognito's form: the provider, then the provider and the user.
                    format!("\"{name}\",\"{name}:CognitoSignIn:{sub}\"")
                });
                let auth = if *authenticated { "authenticated" } else { "unauthenticated" };
                (json!(pool_id), json!(identity_id), json!(auth), json!(provider))
            }
            Principal::Role { .. } => (Value::Null, Value::Null, Value::Null, Value::Null),
        };
        json!({
            "accountId": self.account_id,
            "cognitoIdentityPoolId": pool,
            "cognitoIdentityId": id,
            "cognitoIdentityAuthType": auth_type,
            "cognitoIdentityAuthProvider": provider,
            "sourceIp": [source_ip],
            "userArn": self.user_arn(),
            "username": self.user_id(),
        })
    }

    /// The condition keys IAM sets for this caller
    /// (`cognito-identity.amazonaws.com:sub` and the others).
    pub fn policy_context(&self) -> Context {
        let mut c = Context::new();
        let mut set = |k: &str, v: &str| {
            c.insert(k.to_string(), vec![v.to_string()]);
        };
        set("aws:userid", &self.user_id());
        set("aws:PrincipalArn", &self.role_arn);
        set("aws:PrincipalAccount", &self.account_id);
        if let Principal::Identity { pool_id, identity_id, authenticated, login } = &self.principal {
            set("cognito-identity.amazonaws.com:sub", identity_id);
            set("cognito-identity.amazonaws.com:aud", pool_id);
            let mut amr = vec![if *authenticated { "authenticated" } else { "unauthenticated" }.to_string()];
            if let Some((name, sub)) = login {
                amr.push(name.clone());
                amr.push(format!("{name}:CognitoSignIn:{sub}"));
            }
            c.insert("cognito-identity.amazonaws.com:amr".into(), amr);
        }
        c
    }
}
