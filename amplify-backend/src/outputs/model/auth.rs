//! The `auth` section: an Amazon Cognito user pool, its app client and
//! (optionally) an identity pool.

use indexmap::IndexMap;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize};

use super::common::{named_map, AwsRegion};

/// How users sign in, and the Cognito resources behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Auth {
    /// Region of the Cognito user pool and identity pool.
    #[schemars(with = "AwsRegion")]
    pub aws_region: String,
    /// Id of the user pool, such as `us-east-1_AbCdEf123`.
    pub user_pool_id: String,
    /// Id of the user pool app client the frontend signs in with.
    pub user_pool_client_id: String,
    /// Id of the identity pool that hands out AWS credentials, if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
    /// Rules a new password must meet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    /// Hosted sign-in (OAuth) settings, present when redirect URLs are configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuth>,
    /// Standard attributes a user must provide to sign up.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("minItems" = 0, "uniqueItems" = true))]
    pub standard_required_attributes: Option<Vec<StandardAttribute>>,
    /// Attributes a user may type as their user name when signing in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("minItems" = 1, "uniqueItems" = true))]
    pub username_attributes: Option<Vec<UsernameAttribute>>,
    /// Attributes Cognito verifies by sending a code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_verification_types: Option<Vec<VerificationType>>,
    /// Whether visitors who have not signed in get guest AWS credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub unauthenticated_identities_enabled: Option<bool>,
    /// Whether multi-factor authentication is off, optional or required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<MfaConfiguration>,
    /// Second factors a user can use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_methods: Option<Vec<MfaMethod>>,
    /// Sign-in without a password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passwordless: Option<Passwordless>,
    /// User pool groups; each list item maps group names to their settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "user_groups_schema")]
    pub groups: Option<Vec<IndexMap<String, UserGroupConfig>>>,
}

fn user_groups_schema(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": named_map::<UserGroupConfig>(generator, true)
    })
}

/// Password rules. Requirements that the backend does not set are `false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct PasswordPolicy {
    /// Fewest characters a password may have.
    #[schemars(range(min = 6, max = 99))]
    #[serde(deserialize_with = "password_length")]
    pub min_length: u32,
    /// A password needs at least one digit.
    pub require_numbers: bool,
    /// A password needs at least one lower-case letter.
    pub require_lowercase: bool,
    /// A password needs at least one upper-case letter.
    pub require_uppercase: bool,
    /// A password needs at least one symbol.
    pub require_symbols: bool,
}

/// Cognito accepts minimum lengths from 6 to 99, and so does the schema.
fn password_length<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let length = u32::deserialize(deserializer)?;
    if (6..=99).contains(&length) {
        Ok(length)
    } else {
        Err(serde::de::Error::invalid_value(serde::de::Unexpected::Unsigned(length.into()), &"a length from 6 to 99"))
    }
}

impl Default for PasswordPolicy {
    /// Cognito's default: at least 8 characters, no class of character required.
    fn default() -> Self {
        PasswordPolicy {
            min_length: 8,
            require_numbers: false,
            require_lowercase: false,
            require_uppercase: false,
            require_symbols: false,
        }
    }
}

/// Hosted UI / OAuth 2.0 settings of the user pool client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct OAuth {
    /// Social identity providers users can sign in with.
    #[schemars(extend("minItems" = 0, "uniqueItems" = true))]
    pub identity_providers: Vec<IdentityProvider>,
    /// Domain of the Cognito hosted UI (empty when none is set).
    pub domain: String,
    /// OAuth scopes the client asks for.
    #[schemars(extend("minItems" = 0, "uniqueItems" = true))]
    pub scopes: Vec<String>,
    /// Where the hosted UI sends the user back after sign-in.
    #[schemars(extend("minItems" = 1, "uniqueItems" = true))]
    pub redirect_sign_in_uri: Vec<String>,
    /// Where the hosted UI sends the user back after sign-out.
    #[schemars(extend("minItems" = 1, "uniqueItems" = true))]
    pub redirect_sign_out_uri: Vec<String>,
    /// OAuth flow: authorization code or implicit token.
    pub response_type: OAuthResponseType,
}

/// A social identity provider known to the client libraries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schemars(inline)]
pub enum IdentityProvider {
    Google,
    Facebook,
    LoginWithAmazon,
    SignInWithApple,
}

/// The OAuth `response_type` the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum OAuthResponseType {
    // Authorization code grant.
    Code,
    // Implicit grant.
    Token,
}

/// A Cognito standard user attribute (`$defs/amazon_cognito_standard_attributes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "amazon_cognito_standard_attributes")]
pub enum StandardAttribute {
    Address,
    Birthdate,
    Email,
    FamilyName,
    Gender,
    GivenName,
    Locale,
    MiddleName,
    Name,
    Nickname,
    PhoneNumber,
    Picture,
    PreferredUsername,
    Profile,
    Sub,
    UpdatedAt,
    Website,
    Zoneinfo,
}

/// What a user can type as their user name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum UsernameAttribute {
    Email,
    PhoneNumber,
    Username,
}

/// An attribute Cognito verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(inline)]
pub enum VerificationType {
    Email,
    PhoneNumber,
}

/// Whether multi-factor authentication is used (`NONE`, `OPTIONAL` or `REQUIRED` in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
#[schemars(inline)]
pub enum MfaConfiguration {
    // Never asked for.
    #[serde(rename = "NONE")]
    Off,
    // Users may turn it on.
    Optional,
    // Every user must use it.
    Required,
}

/// A second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
#[schemars(inline, transform = untyped_enum)]
pub enum MfaMethod {
    // A code sent by text message.
    Sms,
    // A code from an authenticator app.
    Totp,
    // A code sent by email.
    Email,
}

/// The reference lists MFA methods with `enum` alone, without `type`.
fn untyped_enum(schema: &mut Schema) {
    schema.remove("type");
}

/// Sign-in methods that need no password.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Passwordless {
    /// One-time codes by email are enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_otp_enabled: Option<bool>,
    /// One-time codes by text message are enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_otp_enabled: Option<bool>,
    /// Passkey (WebAuthn) settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn: Option<WebAuthn>,
    /// The challenge the client offers first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_challenge: Option<PreferredChallenge>,
}

/// Passkey (WebAuthn) settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct WebAuthn {
    /// The relying party, normally the app's domain.
    pub relying_party_id: String,
    /// Whether the authenticator must verify the user.
    pub user_verification: WebAuthnUserVerification,
}

/// WebAuthn user verification requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum WebAuthnUserVerification {
    // The authenticator must verify the user.
    Required,
    // Verification is asked for but not enforced.
    Preferred,
}

/// First sign-in challenge of a passwordless flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[schemars(inline)]
pub enum PreferredChallenge {
    // One-time code by email.
    EmailOtp,
    // One-time code by text message.
    SmsOtp,
    // A password.
    Password,
    // A passkey.
    WebAuthn,
}

/// Settings of one user pool group (`$defs/amplify_user_group_config`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "amplify_user_group_config")]
pub struct UserGroupConfig {
    /// Lower numbers win when a user is in several groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precedence: Option<i64>,
}
