//! What `define_auth` takes: login methods, attributes, MFA, recovery, groups,
//! triggers and access grants.

use indexmap::IndexMap;

use super::access::AuthAccess;
use super::external::ExternalProviders;
use super::passwordless::{PasswordlessOptions, WebAuthn};
use super::senders::Senders;
use super::triggers::Triggers;

/// The options of [`define_auth`](super::define_auth).
#[derive(Clone, Default)]
pub struct AuthProps {
    /// A name for the category's resources: the construct ids start with it
    /// and the user pool is named after it (Amplify's `name`). Default:
    /// `amplifyAuth`, and a user pool name CloudFormation picks.
    pub name: Option<String>,
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
    /// Who sends the pool's emails and SMS: Amazon SES, Amazon SNS options, or
    /// functions of the backend (Amplify's `senders`).
    pub senders: Senders,
    /// Passwordless sign-in settings the frontend reads (`preferredChallenge`).
    pub passwordless_options: PasswordlessOptions,
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
    /// Passkeys (WebAuthn) as a first sign-in factor; turns on the app client's
    /// `USER_AUTH` flow.
    pub web_authn: Option<WebAuthn>,
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
    /// The messages sent to users an administrator signs up.
    pub user_invitation: Option<UserInvitation>,
    /// Sign-in with a one-time code sent by email (passwordless); turns on the
    /// app client's `USER_AUTH` flow.
    pub otp_login: bool,
}

/// The messages sent to a user an administrator creates, each given the
/// placeholders Cognito replaces with the user name and the temporary password.
#[derive(Clone, Default)]
pub struct UserInvitation {
    /// The email's subject (Cognito's default: "Your temporary password").
    pub email_subject: Option<String>,
    /// The email's body, from `(username, code)`.
    pub email_body: Option<fn(&str, &str) -> String>,
    /// The SMS, from `(username, code)`.
    pub sms_message: Option<fn(&str, &str) -> String>,
}

/// Phone login options.
#[derive(Clone, Default)]
pub struct PhoneLogin {
    /// The verification SMS, given the code placeholder (Amplify's default: "The
    /// verification code to your new account is {####}").
    pub verification_message: Option<fn(&str) -> String>,
    /// Sign-in with a one-time code sent by SMS (passwordless); turns on the app
    /// client's `USER_AUTH` flow.
    pub otp_login: bool,
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MfaMode {
    /// Never asked.
    #[default]
    Off,
    /// Users may turn it on.
    Optional,
    /// Every user must use it.
    Required,
}

/// Multi-factor authentication.
#[derive(Clone, Debug, Default)]
pub struct MultiFactor {
    /// Off, optional or required.
    pub mode: MfaMode,
    /// Authenticator apps (TOTP).
    pub totp: bool,
    /// Codes by SMS.
    pub sms: bool,
    /// The SMS that carries the code, given the placeholder Cognito replaces
    /// with it (Amplify's `sms: { smsMessage }`); Cognito's default otherwise.
    pub sms_message: Option<fn(&str) -> String>,
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
    /// Phone first, then email, the phone even when it is also the MFA factor
    /// (not recommended): Cognito's legacy behaviour, so no recovery setting is
    /// written.
    PhoneAndEmail,
    /// Phone first, then email; a phone used for MFA does not recover.
    PhoneWithoutMfaAndEmail,
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
