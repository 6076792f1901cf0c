//! `auth` from the `AWS::Amplify::Auth` outputs.

use crate::outputs::model::common::unique;
use crate::outputs::model::{
    Auth, IdentityProvider, MfaConfiguration, OAuth, PasswordPolicy, Passwordless, PreferredChallenge,
    UsernameAttribute, WebAuthn, WebAuthnUserVerification,
};
use crate::outputs::source::{parse_word, Group};
use crate::outputs::OutputsError;

pub(crate) fn auth(group: &Group) -> Result<Auth, OutputsError> {
    Ok(Auth {
        aws_region: group.required("authRegion")?,
        user_pool_id: group.required("userPoolId")?,
        user_pool_client_id: group.required("webClientId")?,
        identity_pool_id: group.text("identityPoolId").map(str::to_owned),
        password_policy: password_policy(group)?,
        oauth: oauth(group)?,
        standard_required_attributes: group.json("signupAttributes")?.map(unique),
        username_attributes: username_attributes(group)?,
        user_verification_types: group.json("verificationMechanisms")?.map(unique),
        unauthenticated_identities_enabled: unauthenticated_identities(group)?,
        mfa_configuration: mfa_configuration(group)?,
        mfa_methods: group.json("mfaTypes")?.map(unique),
        passwordless: group.json::<PasswordlessOutput>("passwordlessOptions")?.map(Passwordless::from),
        groups: group.json("groups")?,
    })
}

/// Present when either password output is; unset requirements are `false` and
/// the length defaults to Cognito's 8, as Amplify does.
fn password_policy(group: &Group) -> Result<Option<PasswordPolicy>, OutputsError> {
    const MIN_LENGTH: &str = "passwordPolicyMinLength";
    const REQUIREMENTS: &str = "passwordPolicyRequirements";
    let min_length = group.text(MIN_LENGTH);
    let requirements: Option<Vec<String>> = group.json(REQUIREMENTS)?;
    if min_length.is_none() && requirements.is_none() {
        return Ok(None);
    }
    let mut policy = PasswordPolicy::default();
    if let Some(text) = min_length {
        policy.min_length = match text.parse::<u32>() {
            Ok(length @ 6..=99) => length,
            _ => return Err(OutputsError::invalid(MIN_LENGTH, format!("{text:?} is not a length from 6 to 99"))),
        };
    }
    for requirement in requirements.unwrap_or_default() {
        match requirement.as_str() {
            "REQUIRES_NUMBERS" => policy.require_numbers = true,
            "REQUIRES_LOWERCASE" => policy.require_lowercase = true,
            "REQUIRES_UPPERCASE" => policy.require_uppercase = true,
            "REQUIRES_SYMBOLS" => policy.require_symbols = true,
            other => return Err(OutputsError::invalid(REQUIREMENTS, format!("unknown requirement {other:?}"))),
        }
    }
    Ok(Some(policy))
}

/// Cognito's `preferred_username` alias is what the file calls `username`.
fn username_attributes(group: &Group) -> Result<Option<Vec<UsernameAttribute>>, OutputsError> {
    const KEY: &str = "usernameAttributes";
    let Some(names) = group.json::<Vec<String>>(KEY)? else {
        return Ok(None);
    };
    let mut attributes = Vec::with_capacity(names.len());
    for name in names {
        attributes.push(match name.as_str() {
            "email" => UsernameAttribute::Email,
            "phone_number" => UsernameAttribute::PhoneNumber,
            "username" | "preferred_username" => UsernameAttribute::Username,
            other => return Err(OutputsError::invalid(KEY, format!("unknown username attribute {other:?}"))),
        });
    }
    // The schema asks for at least one item; an empty list means "not set".
    Ok(Some(unique(attributes)).filter(|list| !list.is_empty()))
}

fn unauthenticated_identities(group: &Group) -> Result<Option<bool>, OutputsError> {
    const KEY: &str = "allowUnauthenticatedIdentities";
    match group.text(KEY) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(OutputsError::invalid(KEY, format!("{other:?} is neither \"true\" nor \"false\""))),
    }
}

/// Cognito says `OFF`/`ON`/`OPTIONAL`; the file says `NONE`/`REQUIRED`/`OPTIONAL`.
fn mfa_configuration(group: &Group) -> Result<Option<MfaConfiguration>, OutputsError> {
    const KEY: &str = "mfaConfiguration";
    let Some(mode) = group.text(KEY) else {
        return Ok(None);
    };
    let mode = match mode {
        "OFF" => "NONE",
        "ON" => "REQUIRED",
        other => other,
    };
    parse_word(KEY, mode).map(Some)
}

/// Present when both redirect outputs are set, as in Amplify.
fn oauth(group: &Group) -> Result<Option<OAuth>, OutputsError> {
    let (Some(sign_in), Some(sign_out)) = (group.text("oauthRedirectSignIn"), group.text("oauthRedirectSignOut"))
    else {
        return Ok(None);
    };
    let providers: Vec<String> = group.json("socialProviders")?.unwrap_or_default();
    Ok(Some(OAuth {
        identity_providers: unique(providers.iter().filter_map(|name| identity_provider(name)).collect()),
        domain: group.text("oauthCognitoDomain").unwrap_or_default().to_owned(),
        scopes: unique(group.json("oauthScope")?.unwrap_or_default()),
        redirect_sign_in_uri: split_list(sign_in),
        redirect_sign_out_uri: split_list(sign_out),
        response_type: parse_word("oauthResponseType", &group.required("oauthResponseType")?)?,
    }))
}

/// The providers the client libraries know. Others in the list (OIDC and SAML
/// provider names) are left out, as Amplify does.
fn identity_provider(name: &str) -> Option<IdentityProvider> {
    match name {
        "GOOGLE" => Some(IdentityProvider::Google),
        "FACEBOOK" => Some(IdentityProvider::Facebook),
        "LOGIN_WITH_AMAZON" | "AMAZON" => Some(IdentityProvider::LoginWithAmazon),
        "SIGN_IN_WITH_APPLE" | "APPLE" => Some(IdentityProvider::SignInWithApple),
        _ => None,
    }
}

/// A comma-separated output as a list without empty or repeated items.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    unique(text.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect())
}

/// `passwordlessOptions` as Amplify's auth construct writes it: camelCase keys.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PasswordlessOutput {
    email_otp_enabled: Option<bool>,
    sms_otp_enabled: Option<bool>,
    web_authn: Option<WebAuthnOutput>,
    preferred_challenge: Option<PreferredChallenge>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WebAuthnOutput {
    relying_party_id: String,
    user_verification: WebAuthnUserVerification,
}

impl From<PasswordlessOutput> for Passwordless {
    fn from(o: PasswordlessOutput) -> Self {
        Passwordless {
            email_otp_enabled: o.email_otp_enabled,
            sms_otp_enabled: o.sms_otp_enabled,
            web_authn: o
                .web_authn
                .map(|w| WebAuthn { relying_party_id: w.relying_party_id, user_verification: w.user_verification }),
            preferred_challenge: o.preferred_challenge,
        }
    }
}
