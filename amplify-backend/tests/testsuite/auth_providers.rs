//! Federated sign-in beyond Google: Facebook, Login with Amazon, Apple, OIDC and
//! SAML become identity providers of the pool, the web client lists them all, and
//! the outputs tell the frontend the social ones and the hosted UI's settings.

use crate::function_support;

use amplify_backend::auth::{
    define_auth, secret_ref, AppleProvider, AuthProps, EmailLogin, ExternalProviders, LoginWith, OAuthProvider,
    OidcProvider, SamlMetadata, SamlProvider,
};
use amplify_backend::outputs::{from_template, IdentityProvider, OAuthResponseType};
use constructs::assertions::{Match, Template};
use function_support::{backend, ROOT};
use serde_json::json;

fn providers() -> ExternalProviders {
    ExternalProviders {
        facebook: Some(OAuthProvider {
            client_id: "fb-id".into(),
            client_secret: Some(secret_ref("FACEBOOK_SECRET")),
            scopes: vec!["public_profile".into(), "email".into()],
            attribute_mapping: [("email".to_string(), "email".to_string())].into_iter().collect(),
            ..Default::default()
        }),
        login_with_amazon: Some(OAuthProvider {
            client_id: "amzn-id".into(),
            client_secret: Some(secret_ref("AMAZON_SECRET")),
            ..Default::default()
        }),
        sign_in_with_apple: Some(AppleProvider {
            client_id: "com.example.chat".into(),
            team_id: "TEAM123".into(),
            key_id: "KEY456".into(),
            private_key: Some(secret_ref("APPLE_KEY")),
            scopes: vec!["email".into()],
            ..Default::default()
        }),
        oidc: vec![OidcProvider {
            name: "Okta".into(),
            client_id: "okta-id".into(),
            client_secret: Some(secret_ref("OKTA_SECRET")),
            issuer_url: "https://example.okta.com".into(),
            scopes: vec!["email".into()],
            ..Default::default()
        }],
        saml: Some(SamlProvider {
            name: "Corp".into(),
            metadata: SamlMetadata::Url("https://idp.example.com/metadata.xml".into()),
            ..Default::default()
        }),
        callback_urls: vec!["https://chat.example.com/".into()],
        logout_urls: vec!["https://chat.example.com/bye".into()],
        domain_prefix: Some("chat-example".into()),
        ..Default::default()
    }
}

/// A client secret as the template carries it: fetched at deploy time (see auth_secrets.rs).
fn fetched(fetcher: &str, name: &str) -> serde_json::Value {
    json!({"Fn::GetAtt": [fetcher, name]})
}

#[test]
fn every_kind_of_provider_joins_the_pool_and_the_web_client() {
    let auth = define_auth(AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin::default()),
            external_providers: Some(providers()),
            ..Default::default()
        },
        ..Default::default()
    });
    let backend = backend((auth,));
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let t = Template::from_json(assembly.template(&format!("{ROOT}/auth")).unwrap().clone());
    let pool = json!({"Ref": backend.parts().0.resources().user_pool.logical_id()});
    let fetcher =
        backend.parts().0.resources().secret_fetcher.as_ref().expect("a secret fetcher").resource.logical_id();
    let ssm = |name: &str| fetched(&fetcher, name);

    t.resource_count_is("AWS::Cognito::UserPoolIdentityProvider", 5);
    for (name, ty, details) in [
        (
            "Facebook",
            "Facebook",
            json!({"client_id": "fb-id", "client_secret": ssm("FACEBOOK_SECRET"), "authorize_scopes": "public_profile,email"}),
        ),
        (
            "LoginWithAmazon",
            "LoginWithAmazon",
            json!({"client_id": "amzn-id", "client_secret": ssm("AMAZON_SECRET"), "authorize_scopes": "profile"}),
        ),
        (
            "SignInWithApple",
            "SignInWithApple",
            json!({"client_id": "com.example.chat", "team_id": "TEAM123", "key_id": "KEY456",
                   "private_key": ssm("APPLE_KEY"), "authorize_scopes": "email"}),
        ),
        (
            "Okta",
            "OIDC",
            json!({"client_id": "okta-id", "client_secret": ssm("OKTA_SECRET"), "oidc_issuer": "https://example.okta.com",
                   "attributes_request_method": "GET", "authorize_scopes": "openid email"}),
        ),
        ("Corp", "SAML", json!({"IDPSignout": "false", "MetadataURL": "https://idp.example.com/metadata.xml"})),
    ] {
        t.has_resource_properties(
            "AWS::Cognito::UserPoolIdentityProvider",
            Match::object_like([
                ("ProviderName", json!(name).into()),
                ("ProviderType", json!(ty).into()),
                ("ProviderDetails", Match::exact(details)),
                ("UserPoolId", pool.clone().into()),
            ]),
        );
    }
    t.has_resource_properties(
        "AWS::Cognito::UserPoolIdentityProvider",
        json!({"ProviderName": "Facebook", "AttributeMapping": {"email": "email"}}),
    );
    t.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        json!({
            "SupportedIdentityProviders": ["COGNITO", "Facebook", "LoginWithAmazon", "SignInWithApple", "Okta", "Corp"],
            "CallbackURLs": ["https://chat.example.com/"],
            "LogoutURLs": ["https://chat.example.com/bye"],
            "AllowedOAuthFlows": ["code"]
        }),
    );
    t.has_resource_properties("AWS::Cognito::UserPoolDomain", json!({"Domain": "chat-example", "UserPoolId": pool}));

    // The frontend hears of the social providers and the hosted UI.
    let outputs = from_template(assembly.template(ROOT).unwrap()).expect("outputs");
    let oauth = outputs.auth.and_then(|a| a.oauth).expect("an oauth section");
    assert_eq!(
        oauth.identity_providers,
        [IdentityProvider::Facebook, IdentityProvider::LoginWithAmazon, IdentityProvider::SignInWithApple]
    );
    assert_eq!(oauth.redirect_sign_in_uri, ["https://chat.example.com/"]);
    assert_eq!(oauth.redirect_sign_out_uri, ["https://chat.example.com/bye"]);
    assert_eq!(oauth.response_type, OAuthResponseType::Code);
}
