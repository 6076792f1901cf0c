//! Federated sign-in settings: social providers, OIDC and SAML, with the hosted
//! UI domain and the OAuth settings of the web client. `idp.rs` turns them into
//! resources.

use indexmap::IndexMap;

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

/// A provider setting that Amplify takes from `secret()` (client ids, Apple's team
/// and key ids): a value written in the backend, or a backend secret fetched at
/// deploy time like the client secrets. `"id".into()` and `secret_ref("ID").into()`
/// both make one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// Written in the template as it is.
    Value(String),
    /// Read from SSM Parameter Store while the stack deploys.
    Secret(SecretRef),
}

impl Default for Credential {
    fn default() -> Self {
        Credential::Value(String::new())
    }
}

impl From<&str> for Credential {
    fn from(v: &str) -> Self {
        Credential::Value(v.to_string())
    }
}

impl From<String> for Credential {
    fn from(v: String) -> Self {
        Credential::Value(v)
    }
}

impl From<SecretRef> for Credential {
    fn from(s: SecretRef) -> Self {
        Credential::Secret(s)
    }
}

impl Credential {
    pub(crate) fn secret(&self) -> Option<&SecretRef> {
        match self {
            Credential::Secret(s) => Some(s),
            Credential::Value(_) => None,
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Credential::Value(v) if v.is_empty())
    }
}

/// User pool attribute -> the provider's attribute that fills it. Keys are the
/// pool's names (`email`, `given_name`, `custom:tier`); Amplify's TypeScript
/// spells the standard ones in camelCase (`givenName`) and puts custom ones under
/// `custom`, which come to the same resource.
pub type AttributeMapping = IndexMap<String, String>;

/// An OAuth 2.0 social provider (Google, Facebook, Login with Amazon).
#[derive(Clone, Debug, Default)]
pub struct OAuthProvider {
    /// The app's client id at the provider.
    pub client_id: Credential,
    /// The app's client secret.
    pub client_secret: Option<SecretRef>,
    /// Scopes to ask the provider for.
    pub scopes: Vec<String>,
    /// Which provider attribute fills which pool attribute. With email login (and
    /// no phone login) `email` is mapped from the provider's `email` unless set here.
    pub attribute_mapping: AttributeMapping,
    /// Facebook only: the Graph API version (`v17.0`); Facebook's oldest by default.
    pub api_version: Option<String>,
}

/// Sign in with Apple.
#[derive(Clone, Debug, Default)]
pub struct AppleProvider {
    /// The services id.
    pub client_id: Credential,
    /// The team id.
    pub team_id: Credential,
    /// The key id.
    pub key_id: Credential,
    /// The private key.
    pub private_key: Option<SecretRef>,
    /// Scopes.
    pub scopes: Vec<String>,
    /// As [`OAuthProvider::attribute_mapping`].
    pub attribute_mapping: AttributeMapping,
}

/// How Cognito asks an OIDC provider's userInfo endpoint for attributes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AttributeRequestMethod {
    /// `GET` (the default).
    #[default]
    Get,
    /// `POST`.
    Post,
}

impl AttributeRequestMethod {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AttributeRequestMethod::Get => "GET",
            AttributeRequestMethod::Post => "POST",
        }
    }
}

/// An OIDC provider's endpoints, when they are not discovered from the issuer.
#[derive(Clone, Debug, Default)]
pub struct OidcEndpoints {
    /// The authorization endpoint.
    pub authorization: String,
    /// The token endpoint.
    pub token: String,
    /// The userInfo endpoint.
    pub user_info: String,
    /// The JSON Web Key Set.
    pub jwks_uri: String,
}

/// An OpenID Connect provider.
#[derive(Clone, Debug, Default)]
pub struct OidcProvider {
    /// The provider name shown in the hosted UI (3 to 32 characters).
    pub name: String,
    /// Client id.
    pub client_id: Credential,
    /// Client secret.
    pub client_secret: Option<SecretRef>,
    /// The issuer URL.
    pub issuer_url: String,
    /// Scopes (`openid` is added).
    pub scopes: Vec<String>,
    /// Endpoints; discovered from the issuer's `.well-known` document when unset.
    pub endpoints: Option<OidcEndpoints>,
    /// Identifiers (email domains) that send users of a multi-tenant app to this provider.
    pub identifiers: Vec<String>,
    /// How attributes are requested.
    pub attribute_request_method: AttributeRequestMethod,
    /// As [`OAuthProvider::attribute_mapping`].
    pub attribute_mapping: AttributeMapping,
}

/// Where a SAML provider's metadata comes from.
#[derive(Clone, Debug)]
pub enum SamlMetadata {
    /// A URL to fetch it from.
    Url(String),
    /// The XML itself.
    File(String),
}

impl Default for SamlMetadata {
    /// An empty URL, which validation refuses: give one of the two.
    fn default() -> Self {
        SamlMetadata::Url(String::new())
    }
}

/// How Cognito signs its SAML requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SamlSigningAlgorithm {
    /// RSA with SHA-256.
    RsaSha256,
}

/// A SAML provider.
#[derive(Clone, Debug, Default)]
pub struct SamlProvider {
    /// The provider name (3 to 32 characters).
    pub name: String,
    /// Its metadata.
    pub metadata: SamlMetadata,
    /// Identifiers (email domains) that send users of a multi-tenant app to this provider.
    pub identifiers: Vec<String>,
    /// Sign users out of the IdP too when they sign out of the pool.
    pub idp_signout: bool,
    /// Require encrypted assertions.
    pub encrypted_responses: bool,
    /// Sign the requests sent to the IdP.
    pub request_signing_algorithm: Option<SamlSigningAlgorithm>,
    /// Accept sign-ins the IdP starts (IdP-initiated SAML).
    pub idp_initiated: bool,
    /// User pool attribute -> SAML attribute (no `email` is mapped for you).
    pub attribute_mapping: AttributeMapping,
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
    /// The social providers that are set: Cognito's name, Amplify's output name,
    /// the identity pool's login domain, and the settings.
    pub(crate) fn social(&self) -> Vec<Social<'_>> {
        let oauth = [
            ("Google", "GOOGLE", "accounts.google.com", &self.google),
            ("Facebook", "FACEBOOK", "graph.facebook.com", &self.facebook),
            ("LoginWithAmazon", "LOGIN_WITH_AMAZON", "www.amazon.com", &self.login_with_amazon),
        ];
        let mut out: Vec<Social> = oauth
            .into_iter()
            .filter_map(|(cognito, output, domain, p)| {
                p.as_ref().map(|p| Social { cognito, output, domain, client_id: &p.client_id })
            })
            .collect();
        if let Some(a) = &self.sign_in_with_apple {
            let (cognito, output, domain) = ("SignInWithApple", "SIGN_IN_WITH_APPLE", "appleid.apple.com");
            out.push(Social { cognito, output, domain, client_id: &a.client_id });
        }
        out
    }

    /// The provider names Cognito knows them by, as the web client lists them.
    pub(crate) fn provider_names(&self) -> Vec<String> {
        let mut out: Vec<String> = self.social().iter().map(|s| s.cognito.to_string()).collect();
        out.extend(self.oidc.iter().map(|o| o.name.clone()));
        out.extend(self.saml.iter().map(|s| s.name.clone()));
        out
    }

    /// Amplify's names for `socialProviders` in the outputs.
    pub(crate) fn social_provider_names(&self) -> Vec<&'static str> {
        self.social().iter().map(|s| s.output).collect()
    }

    /// The names of the backend secrets the providers use, in provider order.
    pub(crate) fn secret_names(&self) -> Vec<String> {
        let mut out: Vec<&SecretRef> = Vec::new();
        for p in [&self.google, &self.facebook, &self.login_with_amazon].into_iter().flatten() {
            out.extend(p.client_id.secret().into_iter().chain(&p.client_secret));
        }
        if let Some(a) = &self.sign_in_with_apple {
            out.extend([&a.client_id, &a.team_id, &a.key_id].into_iter().filter_map(Credential::secret));
            out.extend(&a.private_key);
        }
        for o in &self.oidc {
            out.extend(o.client_id.secret().into_iter().chain(&o.client_secret));
        }
        out.into_iter().map(|s| s.0.clone()).collect()
    }

    /// What CloudFormation or Cognito would refuse, each with its fix.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, p) in
            [("google", &self.google), ("facebook", &self.facebook), ("login_with_amazon", &self.login_with_amazon)]
        {
            let Some(p) = p else { continue };
            if p.client_id.is_empty() {
                out.push(format!(
                    "external_providers.{name} has no client_id; set the app's client id at the provider"
                ));
            }
            if p.api_version.is_some() && name != "facebook" {
                out.push(format!(
                    "external_providers.{name}.api_version is a Facebook setting; remove it (only Facebook takes an API version)"
                ));
            }
            out.extend(mapping_problems(&format!("external_providers.{name}"), &p.attribute_mapping));
        }
        if let Some(a) = &self.sign_in_with_apple {
            for (field, v) in [("client_id", &a.client_id), ("team_id", &a.team_id), ("key_id", &a.key_id)] {
                if v.is_empty() {
                    out.push(format!("external_providers.sign_in_with_apple has no {field}; Apple needs it"));
                }
            }
            out.extend(mapping_problems("external_providers.sign_in_with_apple", &a.attribute_mapping));
        }
        let mut names = Vec::new();
        for o in &self.oidc {
            let at = format!("external_providers.oidc '{}'", o.name);
            out.extend(name_problem(&at, &o.name));
            if o.client_id.is_empty() {
                out.push(format!("{at} has no client_id; set the app's client id at the provider"));
            }
            if o.issuer_url.is_empty() {
                out.push(format!("{at} has no issuer_url; set the provider's issuer"));
            }
            if let Some(e) = &o.endpoints {
                let parts = [
                    ("authorization", &e.authorization),
                    ("token", &e.token),
                    ("user_info", &e.user_info),
                    ("jwks_uri", &e.jwks_uri),
                ];
                for (field, url) in parts {
                    if !url.starts_with("https://") {
                        out.push(format!("{at}: endpoints.{field} '{url}' must be an https:// URL (Cognito needs all four endpoints when any is given)"));
                    }
                }
            }
            out.extend(mapping_problems(&at, &o.attribute_mapping));
            names.push(o.name.as_str());
        }
        if let Some(s) = &self.saml {
            let at = format!("external_providers.saml '{}'", s.name);
            out.extend(name_problem(&at, &s.name));
            if matches!(&s.metadata, SamlMetadata::Url(v) | SamlMetadata::File(v) if v.is_empty()) {
                out.push(format!("{at} has no metadata; set SamlMetadata::Url(url) or SamlMetadata::File(xml)"));
            }
            out.extend(mapping_problems(&at, &s.attribute_mapping));
            names.push(s.name.as_str());
        }
        let social: Vec<&str> = self.social().iter().map(|s| s.cognito).collect();
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) || social.contains(n) {
                out.push(format!(
                    "two external providers are named '{n}'; give each OIDC and SAML provider its own name"
                ));
            }
        }
        let identifiers =
            self.oidc.iter().flat_map(|o| &o.identifiers).chain(self.saml.iter().flat_map(|s| &s.identifiers));
        for id in identifiers {
            let allowed = |c: char| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=.@-".contains(c);
            if id.is_empty() || id.chars().count() > 40 || !id.chars().all(allowed) {
                out.push(format!(
                    "identifier '{id}' must be 1 to 40 letters, digits, spaces or _+=.@- (Cognito's rule)"
                ));
            }
        }
        out
    }
}

/// One social provider, as [`ExternalProviders::social`] lists it.
pub(crate) struct Social<'a> {
    /// Cognito's provider name and type.
    pub cognito: &'static str,
    /// Amplify's name in the outputs.
    pub output: &'static str,
    /// The identity pool's login provider domain.
    pub domain: &'static str,
    /// The app's client id.
    pub client_id: &'a Credential,
}

fn name_problem(at: &str, name: &str) -> Option<String> {
    let n = name.chars().count();
    if !(3..=32).contains(&n) {
        return Some(format!("{at}: a provider name has 3 to 32 characters, and this has {n}"));
    }
    (name.starts_with('_') || name.ends_with('_') || name.chars().any(char::is_whitespace))
        .then(|| format!("{at}: a provider name may not contain spaces nor start or end with '_'"))
}

/// Amplify's TypeScript keys for the standard attributes, with the pool's names.
const CAMEL_CASE: &[(&str, &str)] = &[
    ("emailVerified", "email_verified"),
    ("familyName", "family_name"),
    ("givenName", "given_name"),
    ("middleName", "middle_name"),
    ("fullname", "name"),
    ("phoneNumber", "phone_number"),
    ("profilePicture", "picture"),
    ("preferredUsername", "preferred_username"),
    ("profilePage", "profile"),
    ("timezone", "zoneinfo"),
    ("lastUpdateTime", "updated_at"),
];

fn mapping_problems(at: &str, mapping: &AttributeMapping) -> Vec<String> {
    let mut out = Vec::new();
    for (pool, provider) in mapping {
        let standard = super::props::STANDARD_ATTRIBUTES.contains(&pool.as_str())
            || ["email_verified", "phone_number_verified"].contains(&pool.as_str());
        let custom = pool.strip_prefix("custom:").is_some_and(|n| !n.is_empty());
        if let Some((_, name)) = CAMEL_CASE.iter().find(|(camel, _)| camel == pool) {
            out.push(format!("{at}.attribute_mapping: write '{name}', the user pool's name, for '{pool}'"));
        } else if !standard && !custom {
            out.push(format!(
                "{at}.attribute_mapping: '{pool}' is not a user pool attribute; use a standard one ({}) or 'custom:<name>'",
                super::props::STANDARD_ATTRIBUTES.join(", ")
            ));
        }
        if provider.is_empty() {
            out.push(format!("{at}.attribute_mapping: '{pool}' maps from an empty provider attribute"));
        }
    }
    out
}
