//! Passwordless sign-in: one-time codes by email or SMS and passkeys
//! (WebAuthn), offered through Cognito's choice-based `USER_AUTH` flow, and the
//! `passwordlessOptions` output the frontend reads.

use cfn_types::cognito::user_pool::AllowedFirstAuthFactors as Factor;

use crate::BackendIdentifier;

use super::props::AuthProps;

/// Passkey sign-in (Amplify's `loginWith.webAuthn`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebAuthn {
    /// The relying party: the domain passkeys are bound to. `None` is Amplify's
    /// `AUTO`: `localhost` in a sandbox, `<branch>.<appId>.amplifyapp.com` for a
    /// branch. Changing it invalidates every passkey users registered.
    pub relying_party_id: Option<String>,
    /// Whether the authenticator must verify the user (biometrics, PIN).
    pub user_verification: UserVerification,
}

/// WebAuthn user verification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UserVerification {
    /// Asked for when the authenticator can (the default).
    #[default]
    Preferred,
    /// Always.
    Required,
}

impl UserVerification {
    fn as_str(self) -> &'static str {
        match self {
            UserVerification::Preferred => "preferred",
            UserVerification::Required => "required",
        }
    }
}

/// Settings the frontend reads for passwordless sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordlessOptions {
    /// The challenge the frontend offers first; it must be enabled.
    pub preferred_challenge: Option<PreferredChallenge>,
}

/// A first sign-in factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreferredChallenge {
    /// A one-time code by email.
    EmailOtp,
    /// A one-time code by SMS.
    SmsOtp,
    /// A password (always enabled).
    Password,
    /// A passkey.
    WebAuthn,
}

impl PreferredChallenge {
    /// Cognito's name.
    pub fn as_str(self) -> &'static str {
        match self {
            PreferredChallenge::EmailOtp => "EMAIL_OTP",
            PreferredChallenge::SmsOtp => "SMS_OTP",
            PreferredChallenge::Password => "PASSWORD",
            PreferredChallenge::WebAuthn => "WEB_AUTHN",
        }
    }
}

/// The first factors a user may sign in with, in Cognito's names, when any
/// passwordless one is enabled (a password always stays allowed).
pub(crate) fn first_factors(p: &AuthProps) -> Option<Vec<Factor>> {
    let email = p.login_with.email.as_ref().is_some_and(|e| e.otp_login);
    let sms = p.login_with.phone.as_ref().is_some_and(|ph| ph.otp_login);
    let passkey = p.login_with.web_authn.is_some();
    if !(email || sms || passkey) {
        return None;
    }
    let factors =
        [(true, Factor::Password), (email, Factor::EmailOtp), (sms, Factor::SmsOtp), (passkey, Factor::WebAuthn)];
    Some(factors.into_iter().filter(|(on, _)| *on).map(|(_, factor)| factor).collect())
}

/// The relying party id and user verification of the pool, with passkeys.
pub(crate) fn web_authn_settings(p: &AuthProps, id: &BackendIdentifier) -> Option<(String, &'static str)> {
    let w = p.login_with.web_authn.as_ref()?;
    let party = match &w.relying_party_id {
        Some(party) if party != "AUTO" => party.clone(),
        _ => match id.deployment_type {
            crate::DeploymentType::Branch => format!("{}.{}.amplifyapp.com", id.name, id.namespace),
            crate::DeploymentType::Sandbox => "localhost".to_string(),
        },
    };
    Some((party, w.user_verification.as_str()))
}

/// `passwordlessOptions`, as Amplify writes it (camelCase JSON), or `""`.
pub(crate) fn output(p: &AuthProps, id: &BackendIdentifier) -> String {
    let mut out = serde_json::Map::new();
    if let Some(factors) = first_factors(p) {
        out.insert("emailOtpEnabled".into(), factors.contains(&Factor::EmailOtp).into());
        out.insert("smsOtpEnabled".into(), factors.contains(&Factor::SmsOtp).into());
        if let Some((party, verification)) = web_authn_settings(p, id) {
            out.insert(
                "webAuthn".into(),
                serde_json::json!({"relyingPartyId": party, "userVerification": verification}),
            );
        }
    }
    if let Some(challenge) = p.passwordless_options.preferred_challenge {
        out.insert("preferredChallenge".into(), challenge.as_str().into());
    }
    if out.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(out).to_string()
    }
}

/// Problems with the passwordless settings, each with its fix.
pub(crate) fn problems(p: &AuthProps) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(challenge) = p.passwordless_options.preferred_challenge {
        let enabled: Vec<String> =
            first_factors(p).unwrap_or_else(|| vec![Factor::Password]).iter().map(|f| f.as_str().to_string()).collect();
        if !enabled.iter().any(|f| f == challenge.as_str()) {
            let how = match challenge {
                PreferredChallenge::EmailOtp => "set login_with.email.otp_login",
                PreferredChallenge::SmsOtp => "set login_with.phone.otp_login",
                PreferredChallenge::WebAuthn => "set login_with.web_authn",
                PreferredChallenge::Password => "",
            };
            out.push(format!(
                "passwordless_options.preferred_challenge is {}, which is not enabled (enabled: {}); {how}, or \
                 prefer an enabled challenge",
                challenge.as_str(),
                enabled.join(", ")
            ));
        }
    }
    if let Some(party) = p.login_with.web_authn.as_ref().and_then(|w| w.relying_party_id.as_ref()) {
        let valid = !party.is_empty()
            && party.len() <= 63
            && party.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !valid {
            out.push(format!(
                "login_with.web_authn.relying_party_id '{party}' must be a domain of 1 to 63 letters, digits, dots \
                 and hyphens (such as app.example.com), or AUTO"
            ));
        }
    }
    out
}
