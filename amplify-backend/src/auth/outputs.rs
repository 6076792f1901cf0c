//! The root stack outputs of the auth category, named and formatted as Amplify
//! writes them (lists as JSON strings, unset values as empty strings).

use constructs::{Aws, Value};

use super::props::{AuthProps, MfaMode};
use super::resources::AuthResources;
use super::user_pool::username_attributes;
use crate::BackendIdentifier;

fn json_list<S: AsRef<str>>(items: &[S]) -> Value {
    serde_json::to_string(&items.iter().map(|s| s.as_ref()).collect::<Vec<_>>()).unwrap_or_default().into()
}

pub(crate) fn auth_outputs(p: &AuthProps, id: &BackendIdentifier, r: &AuthResources) -> Vec<(String, Value)> {
    let login = username_attributes(p);
    let mut signup: Vec<String> = login.iter().map(|s| s.to_string()).collect();
    for (name, a) in &p.user_attributes {
        if a.required && !signup.contains(name) {
            signup.push(name.to_lowercase());
        }
    }
    let pw = p.password_policy.unwrap_or_default();
    let mut requirements = Vec::new();
    for (on, name) in [
        (pw.require_numbers, "REQUIRES_NUMBERS"),
        (pw.require_lowercase, "REQUIRES_LOWERCASE"),
        (pw.require_uppercase, "REQUIRES_UPPERCASE"),
        (pw.require_symbols, "REQUIRES_SYMBOLS"),
    ] {
        if on {
            requirements.push(name);
        }
    }
    let (mfa_config, mfa_types) = match &p.multifactor {
        None => ("OFF", vec![]),
        Some(m) => {
            let config = match m.mode {
                MfaMode::Off => "OFF",
                MfaMode::Optional => "OPTIONAL",
                MfaMode::Required => "ON",
            };
            let mut types = Vec::new();
            if m.mode != MfaMode::Off {
                if m.sms {
                    types.push("SMS");
                }
                if m.totp {
                    types.push("TOTP");
                }
                if m.email {
                    types.push("EMAIL");
                }
            }
            (config, types)
        }
    };
    let groups: Vec<serde_json::Value> =
        p.groups.iter().enumerate().map(|(i, g)| serde_json::json!({ g.as_str(): { "precedence": i } })).collect();
    let mut out: Vec<(String, Value)> = vec![
        ("userPoolId".into(), r.user_pool.ref_()),
        ("webClientId".into(), r.user_pool_client.ref_()),
        ("identityPoolId".into(), r.identity_pool.ref_()),
        ("authRegion".into(), Aws::region()),
        ("allowUnauthenticatedIdentities".into(), (if p.disable_guest_access { "false" } else { "true" }).into()),
        ("signupAttributes".into(), json_list(&signup)),
        ("usernameAttributes".into(), json_list(&login)),
        ("verificationMechanisms".into(), json_list(&login)),
        ("passwordPolicyMinLength".into(), pw.min_length.to_string().into()),
        ("passwordPolicyRequirements".into(), json_list(&requirements)),
        ("mfaConfiguration".into(), mfa_config.into()),
        ("mfaTypes".into(), json_list(&mfa_types)),
        ("passwordlessOptions".into(), super::passwordless::output(p, id).into()),
    ];
    let external = p.login_with.external_providers.as_ref();
    let social = external.map(|x| x.social_provider_names()).unwrap_or_default();
    out.push(("socialProviders".into(), if social.is_empty() { "".into() } else { json_list(&social) }));
    let domain = match &r.user_pool_domain {
        Some(domain) => Value::concat([domain.ref_(), ".auth.".into(), Aws::region(), ".amazoncognito.com".into()]),
        None => "".into(),
    };
    out.push(("oauthCognitoDomain".into(), domain));
    // The web client's OAuth settings, as Amplify publishes them even without a
    // hosted UI (amplify_outputs.json then has no `oauth`: there is no domain).
    let (callback_urls, logout_urls) = super::oauth_urls(external);
    out.push(("oauthScope".into(), json_list(&super::oauth_scopes(external))));
    out.push(("oauthRedirectSignIn".into(), callback_urls.join(",").into()));
    out.push(("oauthRedirectSignOut".into(), logout_urls.join(",").into()));
    out.push(("oauthResponseType".into(), "code".into()));
    out.push(("oauthClientId".into(), r.user_pool_client.ref_()));
    out.push(("groups".into(), serde_json::Value::Array(groups).to_string().into()));
    out
}
