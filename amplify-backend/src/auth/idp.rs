//! The identity providers of the pool (`AWS::Cognito::UserPoolIdentityProvider`),
//! with the details each type takes, as the CDK's provider constructs write them,
//! and the login providers the identity pool trusts.

use cfn_types::cognito::user_pool_identity_provider::{CfnUserPoolIdentityProvider, CfnUserPoolIdentityProviderProps};
use constructs::{IConstruct, Value};
use indexmap::IndexMap;

use super::external::{AttributeMapping, Credential, ExternalProviders, SamlMetadata, SamlSigningAlgorithm, SecretRef};
use super::secret_fetcher::SecretFetcher;

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

/// Resolves settings to template values: secrets become the fetcher's attributes.
struct Resolver<'a>(Option<&'a SecretFetcher>);

impl Resolver<'_> {
    fn secret(&self, s: &Option<SecretRef>) -> Value {
        match (self.0, s) {
            (Some(f), Some(SecretRef(name))) => f.value(name),
            _ => Value::Null,
        }
    }

    fn credential(&self, c: &Credential) -> Value {
        match c {
            Credential::Value(v) => v.as_str().into(),
            Credential::Secret(s) => self.secret(&Some(s.clone())),
        }
    }
}

/// The login providers of the identity pool (`SupportedLoginProviders`): each
/// social provider's domain with the app's client id, as Amplify sets them.
pub(crate) fn login_providers(p: &ExternalProviders, secrets: Option<&SecretFetcher>) -> Value {
    let r = Resolver(secrets);
    Value::object(p.social().iter().map(|s| (s.domain.to_string(), r.credential(s.client_id))).collect::<Vec<_>>())
}

/// Adds one `AWS::Cognito::UserPoolIdentityProvider` per provider. With
/// `map_email` (email login without phone login, as Amplify decides) every
/// provider but SAML fills `email` from the provider's `email`, unless the
/// user's mapping says otherwise.
pub(crate) fn build_providers(
    scope: &impl IConstruct,
    p: &ExternalProviders,
    user_pool_id: &Value,
    secrets: Option<&SecretFetcher>,
    map_email: bool,
) -> Vec<CfnUserPoolIdentityProvider> {
    let r = Resolver(secrets);
    let mut out = Vec::new();
    let mut add =
        |name: &str, ty: &str, details: Vec<(&str, Value)>, mapping: IndexMap<String, String>, ids: &[String]| {
            let details: IndexMap<String, Value> =
                details.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.to_string(), v)).collect();
            let mapping: IndexMap<String, Value> = mapping.into_iter().map(|(k, v)| (k, v.into())).collect();
            out.push(CfnUserPoolIdentityProvider::new(
                scope,
                &format!("{}IdP", constructs::names::remove_non_alphanumeric(name)),
                CfnUserPoolIdentityProviderProps {
                    provider_name: name.into(),
                    provider_type: Value::from(ty).into(),
                    provider_details: Value::Object(details).into(),
                    attribute_mapping: (!mapping.is_empty()).then(|| Value::Object(mapping).into()),
                    idp_identifiers: (!ids.is_empty()).then(|| ids.to_vec().into()),
                    user_pool_id: user_pool_id.clone().into(),
                },
            ));
        };
    let mapped = |user: &AttributeMapping| -> IndexMap<String, String> {
        let mut m = IndexMap::new();
        if map_email {
            m.insert("email".to_string(), "email".to_string());
        }
        m.extend(user.iter().map(|(k, v)| (k.clone(), v.clone())));
        m
    };
    let scopes = |s: &[String], sep: &str, default: &str| -> Value {
        if s.is_empty() {
            default.into()
        } else {
            s.join(sep).into()
        }
    };
    let oauth = [
        ("Google", &p.google, " ", "profile"),
        ("Facebook", &p.facebook, ",", "public_profile"),
        ("LoginWithAmazon", &p.login_with_amazon, " ", "profile"),
    ];
    for (name, provider, sep, default_scope) in oauth {
        let Some(o) = provider else { continue };
        let version = o.api_version.as_deref().map_or(Value::Null, Value::from);
        add(
            name,
            name,
            vec![
                ("client_id", r.credential(&o.client_id)),
                ("client_secret", r.secret(&o.client_secret)),
                ("authorize_scopes", scopes(&o.scopes, sep, default_scope)),
                ("api_version", version),
            ],
            mapped(&o.attribute_mapping),
            &[],
        );
    }
    if let Some(a) = &p.sign_in_with_apple {
        add(
            "SignInWithApple",
            "SignInWithApple",
            vec![
                ("client_id", r.credential(&a.client_id)),
                ("team_id", r.credential(&a.team_id)),
                ("key_id", r.credential(&a.key_id)),
                ("private_key", r.secret(&a.private_key)),
                ("authorize_scopes", scopes(&a.scopes, " ", "name")),
            ],
            mapped(&a.attribute_mapping),
            &[],
        );
    }
    for o in &p.oidc {
        let mut s = o.scopes.clone();
        if !s.iter().any(|x| x == "openid") {
            s.insert(0, "openid".into());
        }
        let mut details = vec![
            ("client_id", r.credential(&o.client_id)),
            ("client_secret", r.secret(&o.client_secret)),
            ("oidc_issuer", o.issuer_url.as_str().into()),
            ("attributes_request_method", o.attribute_request_method.as_str().into()),
            ("authorize_scopes", s.join(" ").into()),
        ];
        if let Some(e) = &o.endpoints {
            details.extend([
                ("authorize_url", e.authorization.as_str().into()),
                ("token_url", e.token.as_str().into()),
                ("attributes_url", e.user_info.as_str().into()),
                ("jwks_uri", e.jwks_uri.as_str().into()),
            ]);
        }
        add(&o.name, "OIDC", details, mapped(&o.attribute_mapping), &o.identifiers);
    }
    if let Some(s) = &p.saml {
        let metadata = match &s.metadata {
            SamlMetadata::Url(u) => ("MetadataURL", u.as_str().into()),
            SamlMetadata::File(x) => ("MetadataFile", x.as_str().into()),
        };
        // Cognito's defaults are left unwritten, as the CDK leaves them.
        let flag = |on: bool| if on { Value::from("true") } else { Value::Null };
        let signing = match s.request_signing_algorithm {
            Some(SamlSigningAlgorithm::RsaSha256) => Value::from("rsa-sha256"),
            None => Value::Null,
        };
        let details = vec![
            ("IDPSignout", if s.idp_signout { "true" } else { "false" }.into()),
            metadata,
            ("EncryptedResponses", flag(s.encrypted_responses)),
            ("RequestSigningAlgorithm", signing),
            ("IDPInit", flag(s.idp_initiated)),
        ];
        add(&s.name, "SAML", details, s.attribute_mapping.clone(), &s.identifiers);
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
