//! Authorization as AppSync does it: which mode signed a request (API key,
//! Cognito user pool token, IAM, ...), and which modes may read each field
//! (`@aws_api_key`, `@aws_cognito_user_pools(cognito_groups:)`, ... on the
//! field, else on its type, else the API's default mode).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_graphql_parser::types::ConstDirective;
use async_graphql_parser::Positioned;
use serde_json::{json, Map, Value};

/// An authorization mode, as the template's `AuthenticationType` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthMode {
    /// `API_KEY`
    ApiKey,
    /// `AMAZON_COGNITO_USER_POOLS`
    UserPools,
    /// `AWS_IAM`
    Iam,
    /// `OPENID_CONNECT`
    Oidc,
    /// `AWS_LAMBDA`
    Lambda,
}

impl AuthMode {
    /// The mode a template's `AuthenticationType` names.
    pub fn from_template(name: &str) -> Option<AuthMode> {
        Some(match name {
            "API_KEY" => AuthMode::ApiKey,
            "AMAZON_COGNITO_USER_POOLS" => AuthMode::UserPools,
            "AWS_IAM" => AuthMode::Iam,
            "OPENID_CONNECT" => AuthMode::Oidc,
            "AWS_LAMBDA" => AuthMode::Lambda,
            _ => return None,
        })
    }

    /// The directive that grants this mode.
    pub fn directive(self) -> &'static str {
        match self {
            AuthMode::ApiKey => "aws_api_key",
            AuthMode::UserPools => "aws_cognito_user_pools",
            AuthMode::Iam => "aws_iam",
            AuthMode::Oidc => "aws_oidc",
            AuthMode::Lambda => "aws_lambda",
        }
    }

    /// What `util.authType()` answers.
    pub fn auth_type(self) -> &'static str {
        match self {
            AuthMode::ApiKey => "API Key Authorization",
            AuthMode::Iam => "IAM Authorization",
            AuthMode::UserPools => "User Pool Authorization",
            AuthMode::Oidc => "Open ID Connect Authorization",
            AuthMode::Lambda => "Lambda Authorization",
        }
    }
}

/// Verifies a Cognito user pool JWT against the local pool's keys; answers
/// its claims. (`cognito::UserPools` implements it.)
pub trait TokenVerifier: Send + Sync {
    /// The token's claims, or why it is not valid (an expired token's error
    /// mentions "expired").
    fn verify(&self, token: &str) -> Result<Map<String, Value>, String>;
}

/// What an IAM caller's policies let it call. AppSync checks `appsync:GraphQL`
/// on each top-level field (`.../types/Query/fields/getTodo`) it runs.
pub trait FieldPolicy: Send + Sync + std::fmt::Debug {
    /// Whether the caller may run the top-level field `type_name.field_name`.
    fn allows(&self, type_name: &str, field_name: &str) -> bool;
}

/// The caller of a SigV4-signed request.
#[derive(Clone, Debug)]
pub struct IamIdentity {
    /// `ctx.identity` (`accountId`, `cognitoIdentityPoolId`, `userArn`, ...).
    pub identity: Value,
    /// What the caller's role may call.
    pub policy: Arc<dyn FieldPolicy>,
}

/// Verifies a SigV4-signed request (the `POST` of `/graphql`, or the realtime
/// handshake and `start` headers, which sign `<data url>/connect` and the
/// data URL); answers the caller.
pub trait IamVerifier: Send + Sync {
    /// The caller, or why the signature is refused.
    fn verify(&self, header: &dyn Fn(&str) -> Option<String>, body: &[u8]) -> Result<IamIdentity, AuthFailure>;
}

/// An API key and its expiry (seconds since the epoch).
#[derive(Clone, Debug)]
pub struct ApiKey {
    /// The key (`da2-...`).
    pub key: String,
    /// When it expires; `None` is AppSync's default of seven days after
    /// creation, which a local run never reaches.
    pub expires: Option<i64>,
}

/// Who signed a request and how.
#[derive(Clone, Debug)]
pub struct RequestAuth {
    /// The mode that authorized the request.
    pub mode: AuthMode,
    /// `ctx.identity` (null for API keys).
    pub identity: Option<Value>,
    /// The `cognito:groups` of a user pool token.
    pub groups: Vec<String>,
    /// For IAM: what the caller's policies allow.
    pub policy: Option<Arc<dyn FieldPolicy>>,
}

impl RequestAuth {
    /// Whether the caller's IAM policies let it run a top-level field (always
    /// true for other modes, and for fields below the top level).
    pub fn policy_allows(&self, type_name: &str, field_name: &str) -> bool {
        self.mode != AuthMode::Iam
            || !matches!(type_name, "Query" | "Mutation" | "Subscription")
            || self.policy.as_ref().is_some_and(|p| p.allows(type_name, field_name))
    }
}

/// Why a request was refused before execution: AppSync's 401.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthFailure {
    /// `errorType`.
    pub error_type: &'static str,
    /// `message`.
    pub message: String,
}

impl AuthFailure {
    /// AppSync's `UnauthorizedException` with `message`.
    pub fn unauthorized(message: &str) -> AuthFailure {
        AuthFailure { error_type: "UnauthorizedException", message: message.to_string() }
    }
}

/// The API's authorization settings.
#[derive(Clone)]
pub struct AuthConfig {
    /// `AuthenticationType`.
    pub default_mode: AuthMode,
    /// `AdditionalAuthenticationProviders`.
    pub additional: Vec<AuthMode>,
    /// The API's keys.
    pub api_keys: Vec<ApiKey>,
    /// User pool token verification.
    pub tokens: Option<Arc<dyn TokenVerifier>>,
    /// SigV4 verification, when emulated.
    pub iam: Option<Arc<dyn IamVerifier>>,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl AuthConfig {
    /// Whether the API accepts `mode` at all.
    pub fn enabled(&self, mode: AuthMode) -> bool {
        self.default_mode == mode || self.additional.contains(&mode)
    }

    /// Finds the mode that signed the request from its headers (`header`
    /// looks a name up case-insensitively) and checks the credential.
    pub fn authenticate(
        &self,
        header: &dyn Fn(&str) -> Option<String>,
        body: &[u8],
    ) -> Result<RequestAuth, AuthFailure> {
        if let Some(key) = header("x-api-key") {
            if !self.enabled(AuthMode::ApiKey) {
                return Err(AuthFailure::unauthorized("You are not authorized to make this call."));
            }
            let found = self.api_keys.iter().find(|k| k.key == key);
            return match found {
                Some(k) if k.expires.is_none_or(|e| e > now()) => {
                    Ok(RequestAuth { mode: AuthMode::ApiKey, identity: None, groups: vec![], policy: None })
                }
                _ => Err(AuthFailure::unauthorized("You are not authorized to make this call.")),
            };
        }
        let Some(authorization) = header("authorization").filter(|a| !a.is_empty()) else {
            return Err(AuthFailure::unauthorized("Valid authorization header not provided."));
        };
        if authorization.starts_with("AWS4-HMAC-SHA256") {
            if !self.enabled(AuthMode::Iam) {
                return Err(AuthFailure::unauthorized("You are not authorized to make this call."));
            }
            let Some(iam) = &self.iam else {
                return Err(AuthFailure::unauthorized("IAM authorization is not emulated locally yet."));
            };
            return iam.verify(header, body).map(|caller| RequestAuth {
                mode: AuthMode::Iam,
                identity: Some(caller.identity),
                groups: vec![],
                policy: Some(caller.policy),
            });
        }
        if self.enabled(AuthMode::UserPools) {
            let token = authorization.strip_prefix("Bearer ").unwrap_or(&authorization);
            let verifier = self
                .tokens
                .as_ref()
                .ok_or_else(|| AuthFailure::unauthorized("Valid authorization header not provided."))?;
            return match verifier.verify(token) {
                Ok(claims) => Ok(user_pool_auth(claims)),
                Err(e) if e.to_lowercase().contains("expired") => Err(AuthFailure::unauthorized("Token has expired.")),
                Err(e) if token.split('.').count() != 3 => {
                    let _ = e;
                    Err(AuthFailure::unauthorized("Unable to parse JWT token."))
                }
                Err(_) => Err(AuthFailure::unauthorized("Valid authorization header not provided.")),
            };
        }
        Err(AuthFailure::unauthorized("Valid authorization header not provided."))
    }
}

/// `ctx.identity` for a user pool token, as AppSync builds it.
fn user_pool_auth(claims: Map<String, Value>) -> RequestAuth {
    let groups: Vec<String> = match claims.get("cognito:groups") {
        Some(Value::Array(g)) => g.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(s)) => s.split(',').map(|g| g.trim().to_string()).filter(|g| !g.is_empty()).collect(),
        _ => vec![],
    };
    let username = claims.get("cognito:username").or_else(|| claims.get("username")).cloned().unwrap_or(Value::Null);
    let identity = json!({
        "sub": claims.get("sub").cloned().unwrap_or(Value::Null),
        "issuer": claims.get("iss").cloned().unwrap_or(Value::Null),
        "username": username,
        "claims": Value::Object(claims.clone()),
        "sourceIp": ["127.0.0.1"],
        "defaultAuthStrategy": "ALLOW",
        "groups": if groups.is_empty() { Value::Null } else { json!(groups) },
    });
    RequestAuth { mode: AuthMode::UserPools, identity: Some(identity), groups, policy: None }
}

/// One mode a field allows, with the user pool groups it is limited to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModeGrant {
    /// The mode.
    pub mode: AuthMode,
    /// `cognito_groups:`; `None` is any signed-in user.
    pub groups: Option<Vec<String>>,
}

/// The modes that may read one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldAuth {
    /// The grants; empty denies every mode.
    pub grants: Vec<ModeGrant>,
}

fn grants(directives: &[Positioned<ConstDirective>], default_mode: AuthMode) -> Vec<ModeGrant> {
    let mut out = Vec::new();
    for d in directives {
        let name = d.node.name.node.as_str();
        let mode = match name {
            "aws_api_key" => AuthMode::ApiKey,
            "aws_iam" => AuthMode::Iam,
            "aws_oidc" => AuthMode::Oidc,
            "aws_lambda" => AuthMode::Lambda,
            "aws_cognito_user_pools" => AuthMode::UserPools,
            // The older directive: user pool groups under the default mode.
            "aws_auth" if default_mode == AuthMode::UserPools => AuthMode::UserPools,
            _ => continue,
        };
        let groups = d.node.get_argument("cognito_groups").map(|v| match &v.node {
            async_graphql::Value::List(items) => items
                .iter()
                .filter_map(|i| if let async_graphql::Value::String(s) = i { Some(s.clone()) } else { None })
                .collect(),
            async_graphql::Value::String(s) => vec![s.clone()],
            _ => vec![],
        });
        out.push(ModeGrant { mode, groups });
    }
    out
}

impl FieldAuth {
    /// The rule for a field: its own directives, else its type's, else the
    /// default mode alone.
    pub fn resolve(
        type_directives: &[Positioned<ConstDirective>],
        field_directives: &[Positioned<ConstDirective>],
        default_mode: AuthMode,
    ) -> FieldAuth {
        let own = grants(field_directives, default_mode);
        if !own.is_empty() {
            return FieldAuth { grants: own };
        }
        let of_type = grants(type_directives, default_mode);
        if !of_type.is_empty() {
            return FieldAuth { grants: of_type };
        }
        FieldAuth { grants: vec![ModeGrant { mode: default_mode, groups: None }] }
    }

    /// Whether the request may read the field.
    pub fn allows(&self, auth: &RequestAuth) -> bool {
        self.grants.iter().any(|g| {
            g.mode == auth.mode
                && match &g.groups {
                    None => true,
                    Some(groups) => groups.iter().any(|w| auth.groups.iter().any(|h| h == w)),
                }
        })
    }
}
