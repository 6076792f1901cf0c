//! The settings of each external provider (issue 18, item 4): attribute mappings
//! (with Amplify's automatic `email`), client ids and Apple's ids from backend
//! secrets, OIDC endpoints, identifiers and attribute request method, SAML
//! identifiers, sign-out, signing and encryption, Facebook's API version, and the
//! social providers the identity pool trusts. Each reaches the template with its
//! meaning, the templates pass cfn-lint, and bad settings are refused by name.

use crate::function_support;
use crate::lint_support;

use std::path::PathBuf;

use amplify_backend::auth::{
    define_auth, secret_ref, AppleProvider, AttributeRequestMethod, AuthProps, ExternalProviders, LoginWith,
    OAuthProvider, OidcEndpoints, OidcProvider, PhoneLogin, SamlMetadata, SamlProvider, SamlSigningAlgorithm,
};
use constructs::assertions::{Match, Template};
use function_support::{backend, scratch, ROOT};
use serde_json::{json, Value as Json};

fn mapping(pairs: &[(&str, &str)]) -> amplify_backend::auth::AttributeMapping {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn providers() -> ExternalProviders {
    ExternalProviders {
        google: Some(OAuthProvider {
            client_id: secret_ref("GOOGLE_CLIENT_ID").into(),
            client_secret: Some(secret_ref("GOOGLE_CLIENT_SECRET")),
            attribute_mapping: mapping(&[("given_name", "given_name"), ("picture", "picture")]),
            ..Default::default()
        }),
        facebook: Some(OAuthProvider {
            client_id: "fb-id".into(),
            client_secret: Some(secret_ref("FACEBOOK_SECRET")),
            api_version: Some("v17.0".into()),
            ..Default::default()
        }),
        sign_in_with_apple: Some(AppleProvider {
            client_id: "com.example.chat".into(),
            team_id: secret_ref("APPLE_TEAM_ID").into(),
            key_id: secret_ref("APPLE_KEY_ID").into(),
            private_key: Some(secret_ref("APPLE_KEY")),
            attribute_mapping: mapping(&[("name", "name")]),
            ..Default::default()
        }),
        oidc: vec![OidcProvider {
            name: "Okta".into(),
            client_id: secret_ref("OKTA_CLIENT_ID").into(),
            client_secret: Some(secret_ref("OKTA_SECRET")),
            issuer_url: "https://example.okta.com".into(),
            endpoints: Some(OidcEndpoints {
                authorization: "https://example.okta.com/authorize".into(),
                token: "https://example.okta.com/token".into(),
                user_info: "https://example.okta.com/userinfo".into(),
                jwks_uri: "https://example.okta.com/keys".into(),
            }),
            identifiers: vec!["example.com".into()],
            attribute_request_method: AttributeRequestMethod::Post,
            // The user's mapping wins over Amplify's automatic `email`.
            attribute_mapping: mapping(&[("email", "mail"), ("custom:tenant", "tid")]),
            ..Default::default()
        }],
        saml: Some(SamlProvider {
            name: "Corp".into(),
            metadata: SamlMetadata::File("<md:EntityDescriptor/>".into()),
            identifiers: vec!["corp.example.com".into()],
            idp_signout: true,
            encrypted_responses: true,
            request_signing_algorithm: Some(SamlSigningAlgorithm::RsaSha256),
            idp_initiated: true,
            attribute_mapping: mapping(&[(
                "email",
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            )]),
        }),
        callback_urls: vec!["https://chat.example.com/".into()],
        logout_urls: vec!["https://chat.example.com/bye".into()],
        ..Default::default()
    }
}

fn props(external: ExternalProviders) -> AuthProps {
    AuthProps {
        login_with: LoginWith { external_providers: Some(external), ..LoginWith::email() },
        ..Default::default()
    }
}

/// The provider named `name`'s properties.
fn provider<'a>(template: &'a Json, name: &str) -> &'a Json {
    let resources = template["Resources"].as_object().unwrap();
    let found = resources
        .values()
        .find(|r| r["Type"] == "AWS::Cognito::UserPoolIdentityProvider" && r["Properties"]["ProviderName"] == name);
    &found.unwrap_or_else(|| panic!("no provider {name}"))["Properties"]
}

#[test]
fn each_provider_setting_reaches_its_identity_provider() {
    let backend = backend((define_auth(props(providers())),));
    let dir = scratch("auth-federation");
    backend.app().set_outdir(&dir);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let template = assembly.template(&format!("{ROOT}/auth")).unwrap().clone();
    let (auth,) = backend.parts();
    let fetcher = auth.resources().secret_fetcher.as_ref().expect("a secret fetcher").resource.logical_id();
    let ssm = |name: &str| json!({"Fn::GetAtt": [fetcher, name]});

    // Client ids and Apple's ids come from secrets, never written in the template.
    let google = provider(&template, "Google");
    assert_eq!(google["ProviderDetails"]["client_id"], ssm("GOOGLE_CLIENT_ID"));
    assert_eq!(google["AttributeMapping"], json!({"email": "email", "given_name": "given_name", "picture": "picture"}));
    let facebook = provider(&template, "Facebook");
    assert_eq!(
        facebook["ProviderDetails"],
        json!({"client_id": "fb-id", "client_secret": ssm("FACEBOOK_SECRET"), "authorize_scopes": "public_profile", "api_version": "v17.0"})
    );
    let apple = provider(&template, "SignInWithApple");
    assert_eq!(
        apple["ProviderDetails"],
        json!({"client_id": "com.example.chat", "team_id": ssm("APPLE_TEAM_ID"), "key_id": ssm("APPLE_KEY_ID"),
               "private_key": ssm("APPLE_KEY"), "authorize_scopes": "name"})
    );
    assert_eq!(apple["AttributeMapping"], json!({"email": "email", "name": "name"}));

    let okta = provider(&template, "Okta");
    assert_eq!(
        okta["ProviderDetails"],
        json!({
            "client_id": ssm("OKTA_CLIENT_ID"), "client_secret": ssm("OKTA_SECRET"),
            "oidc_issuer": "https://example.okta.com", "attributes_request_method": "POST", "authorize_scopes": "openid",
            "authorize_url": "https://example.okta.com/authorize", "token_url": "https://example.okta.com/token",
            "attributes_url": "https://example.okta.com/userinfo", "jwks_uri": "https://example.okta.com/keys"
        })
    );
    assert_eq!(okta["IdpIdentifiers"], json!(["example.com"]));
    assert_eq!(okta["AttributeMapping"], json!({"email": "mail", "custom:tenant": "tid"}));

    // SAML gets no automatic email: its attribute names are the IdP's claim URIs.
    let corp = provider(&template, "Corp");
    assert_eq!(
        corp["ProviderDetails"],
        json!({"IDPSignout": "true", "MetadataFile": "<md:EntityDescriptor/>", "EncryptedResponses": "true",
               "RequestSigningAlgorithm": "rsa-sha256", "IDPInit": "true"})
    );
    assert_eq!(corp["IdpIdentifiers"], json!(["corp.example.com"]));
    assert_eq!(
        corp["AttributeMapping"],
        json!({"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"})
    );

    // The fetcher reads every secret, ids included, and nothing else.
    let t = Template::from_json(template.clone());
    let names: Vec<String> = template["Resources"][&fetcher]["Properties"]["Secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "GOOGLE_CLIENT_ID",
            "GOOGLE_CLIENT_SECRET",
            "FACEBOOK_SECRET",
            "APPLE_TEAM_ID",
            "APPLE_KEY_ID",
            "APPLE_KEY",
            "OKTA_CLIENT_ID",
            "OKTA_SECRET"
        ]
    );

    // The identity pool trusts the social providers' tokens for their client ids, as Amplify's does.
    t.has_resource_properties(
        "AWS::Cognito::IdentityPool",
        Match::object_like([(
            "SupportedLoginProviders",
            Match::exact(json!({
                "accounts.google.com": ssm("GOOGLE_CLIENT_ID"),
                "graph.facebook.com": "fb-id",
                "appleid.apple.com": "com.example.chat"
            })),
        )]),
    );

    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let findings = lint_support::cfn_lint_findings(&files);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn email_is_mapped_for_you_only_when_email_is_the_only_identifier() {
    let google = || ExternalProviders {
        google: Some(OAuthProvider { client_id: "g".into(), ..Default::default() }),
        oidc: vec![OidcProvider {
            name: "Okta".into(),
            client_id: "o".into(),
            issuer_url: "https://example.okta.com".into(),
            ..Default::default()
        }],
        callback_urls: vec!["https://chat.example.com/".into()],
        ..Default::default()
    };
    let template = |p: AuthProps| {
        let backend = backend((define_auth(p),));
        let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
        assembly.template(&format!("{ROOT}/auth")).unwrap().clone()
    };
    let email_only = template(props(google()));
    for name in ["Google", "Okta"] {
        assert_eq!(provider(&email_only, name)["AttributeMapping"], json!({"email": "email"}), "{name}");
    }
    let with_phone = template(AuthProps {
        login_with: LoginWith {
            phone: Some(PhoneLogin::default()),
            external_providers: Some(google()),
            ..LoginWith::email()
        },
        ..Default::default()
    });
    for name in ["Google", "Okta"] {
        assert!(provider(&with_phone, name).get("AttributeMapping").is_none(), "{name}");
    }
    // Without social providers the identity pool trusts none.
    let okta_only = template(props(ExternalProviders { google: None, ..google() }));
    assert_eq!(
        okta_only["Resources"]
            .as_object()
            .unwrap()
            .values()
            .find(|r| r["Type"] == "AWS::Cognito::IdentityPool")
            .unwrap()["Properties"]["SupportedLoginProviders"],
        json!({})
    );
}

#[test]
fn bad_provider_settings_are_refused_with_the_fix() {
    let bad = ExternalProviders {
        google: Some(OAuthProvider {
            client_id: "g".into(),
            api_version: Some("v17.0".into()),
            attribute_mapping: mapping(&[("givenName", "given_name"), ("shoe_size", "size")]),
            ..Default::default()
        }),
        sign_in_with_apple: Some(AppleProvider { client_id: "com.example".into(), ..Default::default() }),
        oidc: vec![
            OidcProvider {
                name: "Ok".into(),
                client_id: "o".into(),
                issuer_url: "https://example.okta.com".into(),
                endpoints: Some(OidcEndpoints {
                    authorization: "http://example.okta.com/a".into(),
                    ..Default::default()
                }),
                identifiers: vec!["bad/identifier".into()],
                ..Default::default()
            },
            OidcProvider {
                name: "Google".into(),
                client_id: "x".into(),
                issuer_url: "https://x".into(),
                ..Default::default()
            },
        ],
        saml: Some(SamlProvider { name: "Corp".into(), ..Default::default() }),
        callback_urls: vec!["https://chat.example.com/".into()],
        ..Default::default()
    };
    let backend = backend((define_auth(props(bad)),));
    let err = backend.app().synth_in_memory().expect_err("refused").to_string();
    for expected in [
        "external_providers.google.api_version is a Facebook setting",
        "write 'given_name', the user pool's name, for 'givenName'",
        "'shoe_size' is not a user pool attribute",
        "sign_in_with_apple has no team_id",
        "sign_in_with_apple has no key_id",
        "external_providers.oidc 'Ok': a provider name has 3 to 32 characters, and this has 2",
        "endpoints.authorization 'http://example.okta.com/a' must be an https:// URL",
        "endpoints.token '' must be an https:// URL",
        "identifier 'bad/identifier' must be 1 to 40 letters",
        "two external providers are named 'Google'",
        "external_providers.saml 'Corp' has no metadata",
    ] {
        assert!(err.contains(expected), "missing «{expected}» in:\n{err}");
    }
}
