//! The API's authorization modes: the default one and the additional ones AppSync
//! accepts.

use std::fmt;

/// An AppSync authorization mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthMode {
    /// Cognito user pool tokens (`userPool`).
    UserPool,
    /// IAM credentials, including the identity pool's (`iam` / `identityPool`).
    Iam,
    /// An API key (`apiKey`).
    ApiKey,
    /// OpenID Connect tokens (`oidc`).
    Oidc,
    /// A Lambda authorizer (`lambda`).
    Lambda,
}

impl AuthMode {
    /// AppSync's name (`AMAZON_COGNITO_USER_POOLS`, ...), as in `amplify_outputs.json`.
    pub fn appsync_name(self) -> &'static str {
        match self {
            AuthMode::UserPool => "AMAZON_COGNITO_USER_POOLS",
            AuthMode::Iam => "AWS_IAM",
            AuthMode::ApiKey => "API_KEY",
            AuthMode::Oidc => "OPENID_CONNECT",
            AuthMode::Lambda => "AWS_LAMBDA",
        }
    }

    /// The directive that admits this mode on a type or field.
    pub fn directive(self) -> &'static str {
        match self {
            AuthMode::UserPool => "@aws_cognito_user_pools",
            AuthMode::Iam => "@aws_iam",
            AuthMode::ApiKey => "@aws_api_key",
            AuthMode::Oidc => "@aws_oidc",
            AuthMode::Lambda => "@aws_lambda",
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.appsync_name())
    }
}

/// API key settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiKeyAuthorizationMode {
    /// Days until the key expires (1 to 365; Amplify's default is 7).
    pub expires_in_days: u32,
    /// A description for the key.
    pub description: Option<String>,
}

impl Default for ApiKeyAuthorizationMode {
    fn default() -> Self {
        ApiKeyAuthorizationMode { expires_in_days: 7, description: None }
    }
}

/// Lambda authorizer settings.
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaAuthorizationMode {
    /// The authorizer, by its `define_function` name.
    pub function: String,
    /// How long AppSync caches the authorizer's answer (seconds, 0 to 3600).
    pub time_to_live_in_seconds: u32,
}

/// OpenID Connect settings.
#[derive(Clone, Debug, PartialEq)]
pub struct OidcAuthorizationMode {
    /// A name for the provider.
    pub oidc_provider_name: String,
    /// The issuer URL.
    pub oidc_issuer_url: String,
    /// The client id, when tokens must be for this client.
    pub client_id: Option<String>,
    /// How long a token is valid after authentication (seconds).
    pub token_expiry_from_auth_in_seconds: u32,
    /// How long a token is valid after it was issued (seconds).
    pub token_expire_from_issue_in_seconds: u32,
}

/// `authorizationModes` of `defineData`.
///
/// ```
/// use amplify_backend::data::{ApiKeyAuthorizationMode, AuthMode, AuthorizationModes};
///
/// let modes = AuthorizationModes {
///     default_authorization_mode: Some(AuthMode::UserPool),
///     api_key_authorization_mode: Some(ApiKeyAuthorizationMode { expires_in_days: 30, description: None }),
///     ..Default::default()
/// };
/// # let _ = modes;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthorizationModes {
    /// The mode a request uses when it names none; the user pool when the backend
    /// has auth, IAM otherwise.
    pub default_authorization_mode: Option<AuthMode>,
    /// Enables API keys (needed by `allow.public_api_key()`).
    pub api_key_authorization_mode: Option<ApiKeyAuthorizationMode>,
    /// Enables a Lambda authorizer (needed by `allow.custom()`).
    pub lambda_authorization_mode: Option<LambdaAuthorizationMode>,
    /// Enables an OIDC provider (needed by rules with `Provider::Oidc`).
    pub oidc_authorization_mode: Option<OidcAuthorizationMode>,
}

impl AuthorizationModes {
    /// The user pool by default, with nothing else configured.
    pub fn user_pool() -> Self {
        AuthorizationModes { default_authorization_mode: Some(AuthMode::UserPool), ..Default::default() }
    }

    /// An API key by default, with Amplify's 7-day expiry.
    pub fn api_key() -> Self {
        AuthorizationModes {
            default_authorization_mode: Some(AuthMode::ApiKey),
            api_key_authorization_mode: Some(ApiKeyAuthorizationMode::default()),
            ..Default::default()
        }
    }
}

/// What the rest of the backend provides to the data API: auth resources and
/// functions. `define_backend` fills it in; tests build it by hand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataContext {
    /// The backend has a user pool (`define_auth`).
    pub user_pool: bool,
    /// The backend has an identity pool.
    pub identity_pool: bool,
    /// The identity pool admits unauthenticated (guest) identities.
    pub guest_access: bool,
    /// The backend's function names, when known; handlers and `allow.resource(...)`
    /// must name one of them.
    pub functions: Option<Vec<String>>,
}

impl DataContext {
    /// A backend with Amplify's default auth: a user pool and an identity pool that
    /// admits guests.
    pub fn with_auth() -> Self {
        DataContext { user_pool: true, identity_pool: true, guest_access: true, functions: None }
    }
}

/// The modes the API accepts, once resolved against the backend.
#[derive(Clone, Debug, PartialEq)]
pub struct EnabledModes {
    /// The default mode.
    pub default: AuthMode,
    /// The additional modes, in a stable order.
    pub additional: Vec<AuthMode>,
}

impl EnabledModes {
    /// Whether the API accepts `mode`.
    pub fn has(&self, mode: AuthMode) -> bool {
        self.default == mode || self.additional.contains(&mode)
    }

    /// Every accepted mode, the default first.
    pub fn all(&self) -> impl Iterator<Item = AuthMode> + '_ {
        std::iter::once(self.default).chain(self.additional.iter().copied())
    }
}
