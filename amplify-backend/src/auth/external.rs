//! Federated sign-in: social providers, OIDC and SAML, with the hosted UI domain
//! and the OAuth settings of the web client.

use cfn_types::cognito::user_pool_identity_provider::{CfnUserPoolIdentityProvider, CfnUserPoolIdentityProviderProps};
use constructs::{IConstruct, Value};
use indexmap::IndexMap;

use super::secret_fetcher::SecretFetcher;

/// A provider's client secret: the name of a backend secret (set with
/// `ampx sandbox secret set NAME`). The template never carries the value: a
/// `Custom::SecretFetcherResource` reads it from SSM Parameter Store at deploy time
/// and the provider's details take it with `Fn::GetAtt` (see `SecretFetcher`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretRef(pub String);

/// `SecretRef` from a secret name.
pub fn secret_ref(name: &str) -> SecretRef {
    SecretRef(name.to_string())
}

/// An OAuth 2.0 social provider (Google, Facebook, Login with Amazon).
#[derive(Clone, Debug, Default)]
pub struct OAuthProvider {
    /// The app's client id at the provider.
    pub client_id: String,
    /// The app's client secret.
    pub client_secret: Option<SecretRef>,
    /// Scopes to ask the provider for.
    pub scopes: Vec<String>,
    /// Provider attribute -> user pool attribute.
    pub attribute_mapping: IndexMap<String, String>,
}

/// Sign in with Apple.
#[derive(Clone, Debug, Default)]
pub struct AppleProvider {
    /// The services id.
    pub client_id: String,
    /// The team id.
    pub team_id: String,
    /// The key id.
    pub key_id: String,
    /// The private key.
    pub private_key: Option<SecretRef>,
    /// Scopes.
    pub scopes: Vec<String>,
}

/// An OpenID Connect provider.
#[derive(Clone, Debug, Default)]
pub struct OidcProvider {
    /// The provider name shown in the hosted UI.
    pub name: String,
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: Option<SecretRef>,
    /// The issuer URL.
    pub issuer_url: String,
    /// Scopes (`openid` is added).
    pub scopes: Vec<String>,
}

/// Where a SAML provider's metadata comes from.
#[derive(Clone, Debug)]
pub enum SamlMetadata {
    /// A URL to fetch it from.
    Url(String),
    /// The XML itself.
    File(String),
}

/// A SAML provider.
#[derive(Clone, Debug)]
pub struct SamlProvider {
    /// The provider name.
    pub name: String,
    /// Its metadata.
    pub metadata: SamlMetadata,
}

/// Federated sign-in settings.
#[derive(Clone, Debug, Default)]
pub struct ExternalProviders {
    /// Google.
    pub google: Option<OAuthProvider>,
    /// Facebook.
    pub facebook: Option<OAuthProvider>,
    /// Login with Amazon.
    pub login_with_amazon: Option<OAuthProvider>,
    /// Sign in with Apple.
    pub sign_in_with_apple: Option<AppleProvider>,
    /// OpenID Connect providers.
    pub oidc: Vec<OidcProvider>,
    /// A SAML provider.
    pub saml: Option<SamlProvider>,
    /// OAuth scopes of the web client (`openid`, `email`, `profile`, ...).
    pub scopes: Vec<String>,
    /// Where the hosted UI sends users after sign-in.
    pub callback_urls: Vec<String>,
    /// Where it sends them after sign-out.
    pub logout_urls: Vec<String>,
    /// The hosted UI's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`).
    /// Default: Amplify's, 20 hex digits of a hash of the backend's identifier,
    /// unique to the backend and the same at every deployment.
    pub domain_prefix: Option<String>,
}

impl ExternalProviders {
    /// The provider names Cognito knows them by, as the web client lists them.
    pub(crate) fn provider_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.google.is_some() {
            out.push("Google".to_string());
        }
        if self.facebook.is_some() {
            out.push("Facebook".to_string());
        }
        if self.login_with_amazon.is_some() {
            out.push("LoginWithAmazon".to_string());
        }
        if self.sign_in_with_apple.is_some() {
            out.push("SignInWithApple".to_string());
        }
        out.extend(self.oidc.iter().map(|o| o.name.clone()));
        out.extend(self.saml.iter().map(|s| s.name.clone()));
        out
    }

    /// Amplify's names for `socialProviders` in the outputs.
    pub(crate) fn social_provider_names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.google.is_some() {
            out.push("GOOGLE");
        }
        if self.facebook.is_some() {
            out.push("FACEBOOK");
        }
        if self.login_with_amazon.is_some() {
            out.push("LOGIN_WITH_AMAZON");
        }
        if self.sign_in_with_apple.is_some() {
            out.push("SIGN_IN_WITH_APPLE");
        }
        out
    }

    /// The names of the backend secrets the providers use, in provider order.
    pub(crate) fn secret_names(&self) -> Vec<String> {
        let oauth = [&self.google, &self.facebook, &self.login_with_amazon];
        oauth
            .into_iter()
            .flatten()
            .filter_map(|p| p.client_secret.as_ref())
            .chain(self.sign_in_with_apple.iter().filter_map(|a| a.private_key.as_ref()))
            .chain(self.oidc.iter().filter_map(|o| o.client_secret.as_ref()))
            .map(|s| s.0.clone())
            .collect()
    }
}

/// Amplify's hosted UI domain prefix for a backend: the first 20 hex digits of
/// the SHA-512 of its deployment type, namespace and name.
pub(crate) fn stable_domain_prefix(id: &crate::BackendIdentifier) -> String {
    use sha2::{Digest, Sha512};
    let mut hash = Sha512::new();
    hash.update(id.deployment_type.as_str());
    hash.update(&id.namespace);
    hash.update(&id.name);
    constructs::names::hex(&hash.finalize()[..10])
}

fn secret_value(fetcher: Option<&SecretFetcher>, s: &Option<SecretRef>) -> Value {
    match (fetcher, s) {
        (Some(f), Some(SecretRef(name))) => f.value(name),
        _ => Value::Null,
    }
}

/// Adds one `AWS::Cognito::UserPoolIdentityProvider` per provider.
pub(crate) fn build_providers(
    scope: &impl IConstruct,
    p: &ExternalProviders,
    user_pool_id: &Value,
    secrets: Option<&SecretFetcher>,
) -> Vec<CfnUserPoolIdentityProvider> {
    let mut out = Vec::new();
    let mut add = |name: &str, ty: &str, details: Vec<(&str, Value)>, mapping: &IndexMap<String, String>| {
        let details: IndexMap<String, Value> =
            details.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.to_string(), v)).collect();
        let mapping: IndexMap<String, Value> = mapping.iter().map(|(k, v)| (k.clone(), v.as_str().into())).collect();
        out.push(CfnUserPoolIdentityProvider::new(
            scope,
            &format!("{}IdP", constructs::names::remove_non_alphanumeric(name)),
            CfnUserPoolIdentityProviderProps {
                provider_name: name.into(),
                provider_type: Value::from(ty).into(),
                provider_details: Value::Object(details).into(),
                attribute_mapping: (!mapping.is_empty()).then(|| Value::Object(mapping).into()),
                user_pool_id: user_pool_id.clone().into(),
                ..Default::default()
            },
        ));
    };
    let scopes = |s: &[String], sep: &str, default: &str| -> Value {
        if s.is_empty() {
            default.into()
        } else {
            s.join(sep).into()
        }
    };
    if let Some(g) = &p.google {
        add(
            "Google",
            "Google",
            vec![
                ("client_id", g.client_id.as_str().into()),
                ("client_secret", secret_value(secrets, &g.client_secret)),
                ("authorize_scopes", scopes(&g.scopes, " ", "profile")),
            ],
            &g.attribute_mapping,
        );
    }
    if let Some(f) = &p.facebook {
        add(
            "Facebook",
            "Facebook",
            vec![
                ("client_id", f.client_id.as_str().into()),
                ("client_secret", secret_value(secrets, &f.client_secret)),
                ("authorize_scopes", scopes(&f.scopes, ",", "public_profile")),
            ],
            &f.attribute_mapping,
        );
    }
    if let Some(a) = &p.login_with_amazon {
        add(
            "LoginWithAmazon",
            "LoginWithAmazon",
            vec![
                ("client_id", a.client_id.as_str().into()),
                ("client_secret", secret_value(secrets, &a.client_secret)),
                ("authorize_scopes", scopes(&a.scopes, " ", "profile")),
            ],
            &a.attribute_mapping,
        );
    }
    if let Some(a) = &p.sign_in_with_apple {
        add(
            "SignInWithApple",
            "SignInWithApple",
            vec![
                ("client_id", a.client_id.as_str().into()),
                ("team_id", a.team_id.as_str().into()),
                ("key_id", a.key_id.as_str().into()),
                ("private_key", secret_value(secrets, &a.private_key)),
                ("authorize_scopes", scopes(&a.scopes, " ", "name")),
            ],
            &IndexMap::new(),
        );
    }
    for o in &p.oidc {
        let mut s = o.scopes.clone();
        if !s.iter().any(|x| x == "openid") {
            s.insert(0, "openid".into());
        }
        add(
            &o.name,
            "OIDC",
            vec![
                ("client_id", o.client_id.as_str().into()),
                ("client_secret", secret_value(secrets, &o.client_secret)),
                ("oidc_issuer", o.issuer_url.as_str().into()),
                ("attributes_request_method", "GET".into()),
                ("authorize_scopes", s.join(" ").into()),
            ],
            &IndexMap::new(),
        );
    }
    if let Some(s) = &p.saml {
        let detail = match &s.metadata {
            SamlMetadata::Url(u) => ("MetadataURL", u.as_str().into()),
            SamlMetadata::File(x) => ("MetadataFile", x.as_str().into()),
        };
        add(&s.name, "SAML", vec![detail], &IndexMap::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_prefix_is_the_one_amplify_derives() {
        // Node: createHash('sha512').update('sandbox').update('chatapp').update('dev').digest('hex').slice(0, 20)
        let id = crate::BackendIdentifier::sandbox("chatapp", "dev");
        assert_eq!(stable_domain_prefix(&id), "fa91daf10f18a5845e6d");
    }
}
