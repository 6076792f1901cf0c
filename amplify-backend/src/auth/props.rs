//! What `define_auth` takes: login methods, attributes, MFA, recovery, groups,
//! triggers and access grants.

use indexmap::IndexMap;

use super::access::AuthAccess;
use super::external::ExternalProviders;
use super::triggers::Triggers;

/// The options of [`define_auth`](super::define_auth).
#[derive(Clone, Default)]
pub struct AuthProps {
    /// How users sign in.
    pub login_with: LoginWith,
    /// Extra user attributes, standard (`given_name`) or custom (`custom:team`).
    pub user_attributes: IndexMap<String, UserAttribute>,
    /// Multi-factor authentication; off when not set.
    pub multifactor: Option<MultiFactor>,
    /// How a user who forgot the password gets back in; chosen from the login
    /// methods when not set.
    pub account_recovery: Option<AccountRecovery>,
    /// Password rules; 8 characters with every character class when not set.
    pub password_policy: Option<PasswordPolicy>,
    /// User groups, in order of precedence (the first is 0).
    pub groups: Vec<String>,
    /// Lambda triggers of the user pool.
    pub triggers: Triggers,
    /// What functions may do with the user pool.
    pub access: Vec<AuthAccess>,
    /// Disallows guest (unauthenticated) identities in the identity pool.
    pub disable_guest_access: bool,
}

/// Login methods.
#[derive(Clone, Default)]
pub struct LoginWith {
    /// Sign in with an email address.
    pub email: Option<EmailLogin>,
    /// Sign in with a phone number.
    pub phone: Option<PhoneLogin>,
    /// Sign in with a user name (alongside email or phone, which become aliases).
    pub username: bool,
    /// Federated sign-in (Google, Facebook, Apple, Amazon, OIDC, SAML).
    pub external_providers: Option<ExternalProviders>,
}

impl LoginWith {
    /// Email login with the default verification message.
    pub fn email() -> Self {
        LoginWith { email: Some(EmailLogin::default()), ..Default::default() }
    }

    /// Phone login with the default verification message.
    pub fn phone() -> Self {
        LoginWith { phone: Some(PhoneLogin::default()), ..Default::default() }
    }
}

/// Whether a verification email carries a code or a link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VerificationStyle {
    /// A code the user types in.
    #[default]
    Code,
    /// A link the user follows.
    Link,
}

/// Email login options.
#[derive(Clone, Default)]
pub struct EmailLogin {
    /// Code (default) or link.
    pub verification_email_style: VerificationStyle,
    /// The subject of the verification email (Amplify's default: "Verify your new
    /// account").
    pub verification_email_subject: Option<String>,
    /// The body, given the placeholder Cognito replaces with the code (or link).
    /// Amplify's defaults: "The verification code to your new account is {####}",
    /// or "Verify your account by clicking on {##Verify Email##}".
    pub verification_email_body: Option<fn(&str) -> String>,
}

/// Phone login options.
#[derive(Clone, Default)]
pub struct PhoneLogin {
    /// The verification SMS, given the code placeholder (Amplify's default: "The
    /// verification code to your new account is {####}").
    pub verification_message: Option<fn(&str) -> String>,
}

/// A user attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct UserAttribute {
    /// Must be given at sign-up.
    pub required: bool,
    /// Can be changed after sign-up.
    pub mutable: bool,
    /// The type, for custom attributes (standard ones have theirs).
    pub data_type: AttributeType,
    /// Length (strings) or value (numbers) bounds, for custom attributes.
    pub min: Option<i64>,
    /// Upper bound, for custom attributes.
    pub max: Option<i64>,
}

impl Default for UserAttribute {
    fn default() -> Self {
        UserAttribute { required: false, mutable: true, data_type: AttributeType::String, min: None, max: None }
    }
}

impl UserAttribute {
    /// A required, mutable attribute.
    pub fn required() -> Self {
        UserAttribute { required: true, ..Default::default() }
    }
}

/// Custom attribute types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeType {
    /// Text.
    String,
    /// An integer.
    Number,
    /// true/false.
    Boolean,
    /// A date and time.
    DateTime,
}

impl AttributeType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AttributeType::String => "String",
            AttributeType::Number => "Number",
            AttributeType::Boolean => "Boolean",
            AttributeType::DateTime => "DateTime",
        }
    }
}

/// Whether MFA is required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MfaMode {
    /// Never asked.
    Off,
    /// Users may turn it on.
    Optional,
    /// Every user must use it.
    Required,
}

/// Multi-factor authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiFactor {
    /// Off, optional or required.
    pub mode: MfaMode,
    /// Authenticator apps (TOTP).
    pub totp: bool,
    /// Codes by SMS.
    pub sms: bool,
    /// Codes by email (needs an SES-verified sender in production).
    pub email: bool,
}

/// Account recovery methods, in Amplify's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountRecovery {
    /// A verified email only.
    EmailOnly,
    /// A verified phone, not shared with MFA.
    PhoneOnlyWithoutMfa,
    /// Phone first, then email.
    PhoneAndEmail,
    /// Email first, then a phone not used for MFA.
    EmailAndPhoneWithoutMfa,
    /// Only an administrator can recover an account.
    None,
}

/// Password rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// 6 to 99.
    pub min_length: u8,
    /// At least one digit.
    pub require_numbers: bool,
    /// At least one lower-case letter.
    pub require_lowercase: bool,
    /// At least one upper-case letter.
    pub require_uppercase: bool,
    /// At least one symbol.
    pub require_symbols: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 8,
            require_numbers: true,
            require_lowercase: true,
            require_uppercase: true,
            require_symbols: true,
        }
    }
}

/// Cognito's standard attributes (OpenID Connect claims).
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];
