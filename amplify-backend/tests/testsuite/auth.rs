//! define_auth: the reference email-login user pool, identity pool and roles, the
//! root outputs, groups, phone login, MFA, external providers and validation.

use amplify_backend::auth::{
    define_auth, AccountRecovery, Auth, AuthProps, EmailLogin, ExternalProviders, LoginWith, MfaMode, MultiFactor,
    OAuthProvider, UserAttribute,
};
use amplify_backend::Backend;
use constructs::assertions::{Match, Template};
use constructs::{App, CloudAssembly, IConstruct};
use serde_json::{json, Value};

fn app() -> App {
    crate::data_support::sandbox_app()
}

fn synth(props: AuthProps) -> (Backend<(Auth,)>, CloudAssembly) {
    let backend = Backend::build(app(), (define_auth(props),));
    let out = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    (backend, out)
}

fn auth_template(out: &CloudAssembly) -> Template {
    Template::from_json(out.template("amplify-chatapp-dev-sandbox-de98f094bc/auth").unwrap().clone())
}

fn reference(file: &str) -> Value {
    let path = format!("{}/../reference/amplify-gen2-chat/output/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn email_login_matches_the_reference_user_pool_and_identity_pool() {
    let (_, out) = synth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let ours = out.template("amplify-chatapp-dev-sandbox-de98f094bc/auth").unwrap();
    let theirs = reference("amplifychatappdevsandboxde98f094bcauthA21A77AF.nested.template.json");
    // The same resources, with the same logical IDs.
    let ids = |t: &Value| {
        let mut v: Vec<String> =
            t["Resources"].as_object().unwrap().keys().filter(|k| *k != "CDKMetadata").cloned().collect();
        v.sort();
        v
    };
    assert_eq!(ids(ours), ids(&theirs));
    // Every property of the user pool (verification messages included) and of the web
    // client (its OAuth flows, scopes and callback URL included), as Amplify writes them.
    for id in ["amplifyAuthUserPool4BA7F805", "amplifyAuthUserPoolAppClient2626C6F8"] {
        assert_eq!(ours["Resources"][id]["Properties"], theirs["Resources"][id]["Properties"], "{id}");
    }
    for id in ["amplifyAuthauthenticatedUserRoleD8DA3689", "amplifyAuthunauthenticatedUserRole2B524D9E"] {
        assert_eq!(ours["Resources"][id]["Properties"], theirs["Resources"][id]["Properties"], "{id}");
    }
    let attachment = "amplifyAuthIdentityPoolRoleAttachment045F17C8";
    assert_eq!(ours["Resources"][attachment]["Properties"], theirs["Resources"][attachment]["Properties"]);
    let ip = "amplifyAuthIdentityPool3FDE84CC";
    for key in ["AllowUnauthenticatedIdentities", "CognitoIdentityProviders", "SupportedLoginProviders"] {
        assert_eq!(ours["Resources"][ip]["Properties"][key], theirs["Resources"][ip]["Properties"][key], "{key}");
    }
    // The same nested outputs, so the root reads them with the same names.
    let outputs = |t: &Value| {
        let mut v: Vec<String> = t["Outputs"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
        v.sort();
        v
    };
    let root_refs: Vec<String> = outputs(&theirs).into_iter().filter(|o| !o.contains("UserRole")).collect();
    for o in root_refs {
        assert!(outputs(ours).contains(&o), "missing nested output {o}");
    }
}

#[test]
fn root_outputs_are_named_and_formatted_as_amplify_does() {
    let (backend, out) = synth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let root = out.template(&backend.root_stack().stack_name()).unwrap();
    let reference = reference("amplify-chatapp-dev-sandbox-de98f094bc.template.json");
    for key in [
        "userPoolId",
        "webClientId",
        "identityPoolId",
        "authRegion",
        "allowUnauthenticatedIdentities",
        "signupAttributes",
        "usernameAttributes",
        "verificationMechanisms",
        "passwordPolicyMinLength",
        "passwordPolicyRequirements",
        "mfaConfiguration",
        "mfaTypes",
        "passwordlessOptions",
        "socialProviders",
        "oauthCognitoDomain",
        "oauthScope",
        "oauthRedirectSignIn",
        "oauthRedirectSignOut",
        "oauthResponseType",
        "oauthClientId",
        "groups",
    ] {
        assert_eq!(root["Outputs"][key], reference["Outputs"][key], "{key}");
    }
    let listed = root["Metadata"]["AWS::Amplify::Auth"]["stackOutputs"].as_array().unwrap();
    assert!(listed.contains(&json!("userPoolId")) && listed.contains(&json!("groups")));
}

#[test]
fn verification_messages_default_to_amplifys_for_codes_links_and_sms() {
    use amplify_backend::auth::{PhoneLogin, VerificationStyle};
    let (_, out) = synth(AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin { verification_email_style: VerificationStyle::Link, ..Default::default() }),
            phone: Some(PhoneLogin::default()),
            ..Default::default()
        },
        ..Default::default()
    });
    let sms = "The verification code to your new account is {####}";
    auth_template(&out).has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "SmsVerificationMessage": sms,
            "VerificationMessageTemplate": {
                "DefaultEmailOption": "CONFIRM_WITH_LINK",
                "EmailMessageByLink": "Verify your account by clicking on {##Verify Email##}",
                "EmailSubjectByLink": "Verify your new account",
                "SmsMessage": sms
            }
        }),
    );
}

#[test]
fn the_web_client_outputs_give_amplify_outputs_no_oauth_without_a_domain() {
    let (backend, out) = synth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let root = out.template(&backend.root_stack().stack_name()).unwrap();
    assert_eq!(root["Outputs"]["oauthRedirectSignIn"]["Value"], "https://example.com");
    let outputs = amplify_backend::outputs::from_template(root).expect("builds");
    let auth = outputs.auth.expect("auth");
    assert!(auth.oauth.is_none(), "no hosted UI domain and no logout URL: no `oauth`, as Amplify writes it");
    assert!(auth.passwordless.is_none());
}

#[test]
fn custom_verification_email_groups_attributes_and_mfa() {
    let (backend, out) = synth(AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin {
                verification_email_subject: Some("Welcome! Verify your email".into()),
                verification_email_body: Some(|code| format!("Use this code: {code}")),
                ..Default::default()
            }),
            ..Default::default()
        },
        user_attributes: [
            ("given_name".to_string(), UserAttribute::required()),
            ("custom:team".to_string(), UserAttribute { mutable: true, max: Some(20), ..Default::default() }),
        ]
        .into_iter()
        .collect(),
        multifactor: Some(MultiFactor { mode: MfaMode::Optional, totp: true, sms: true, ..Default::default() }),
        account_recovery: Some(AccountRecovery::EmailOnly),
        groups: vec!["ADMINS".into(), "EDITORS".into()],
        ..Default::default()
    });
    let t = auth_template(&out);
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "EmailVerificationSubject": "Welcome! Verify your email",
            "EmailVerificationMessage": "Use this code: {####}",
            "VerificationMessageTemplate": {"EmailSubject": "Welcome! Verify your email", "DefaultEmailOption": "CONFIRM_WITH_CODE"},
            "MfaConfiguration": "OPTIONAL",
            "EnabledMfas": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
        }),
    );
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        Match::object_like([(
            "Schema",
            Match::array_with([
                json!({"Name": "email", "Required": true, "Mutable": true}),
                json!({"Name": "given_name", "Required": true, "Mutable": true}),
                json!({"Name": "team", "Required": false, "Mutable": true, "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "20"}}),
            ]),
        )]),
    );
    // SMS MFA needs a role Cognito can publish with.
    t.has_resource_properties(
        "AWS::IAM::Role",
        Match::object_like([("Policies", Match::array_with([json!({"PolicyName": "sns-publish"})]))]),
    );
    t.resource_count_is("AWS::Cognito::UserPoolGroup", 2);
    t.has_resource_properties("AWS::Cognito::UserPoolGroup", json!({"GroupName": "EDITORS", "Precedence": 1}));
    let (auth,) = backend.parts();
    assert_eq!(
        auth.resources().groups["ADMINS"].role.logical_id(),
        auth.resources().groups["ADMINS"].role.logical_id()
    );
    let root = out.template(&backend.root_stack().stack_name()).unwrap();
    assert_eq!(
        root["Outputs"]["groups"]["Value"],
        "[{\"ADMINS\":{\"precedence\":0}},{\"EDITORS\":{\"precedence\":1}}]"
    );
    assert_eq!(root["Outputs"]["mfaTypes"]["Value"], "[\"SMS\",\"TOTP\"]");
    assert_eq!(root["Outputs"]["signupAttributes"]["Value"], "[\"email\",\"given_name\"]");
}

#[test]
fn phone_login_uses_phone_numbers_and_an_sms_role() {
    let (_, out) = synth(AuthProps { login_with: LoginWith::phone(), ..Default::default() });
    let t = auth_template(&out);
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "UsernameAttributes": ["phone_number"],
            "AutoVerifiedAttributes": ["phone_number"],
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1}]},
        }),
    );
    t.has_resource_properties("AWS::Cognito::UserPool", Match::object_like([("SmsConfiguration", Match::any_value())]));
}

#[test]
fn external_providers_add_identity_providers_a_domain_and_oauth() {
    let (backend, out) = synth(AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin::default()),
            external_providers: Some(ExternalProviders {
                google: Some(OAuthProvider {
                    client_id: "google-id".into(),
                    client_secret: Some(amplify_backend::auth::secret_ref("GOOGLE_CLIENT_SECRET")),
                    scopes: vec!["email".into()],
                    ..Default::default()
                }),
                callback_urls: vec!["http://localhost:3000/".into()],
                logout_urls: vec!["http://localhost:3000/signout".into()],
                domain_prefix: Some("chatapp-dev".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    });
    let t = auth_template(&out);
    // Read at deploy time by a custom resource (auth_secrets.rs has the details).
    let fetcher = backend.parts().0.resources().secret_fetcher.as_ref().unwrap().resource.logical_id();
    t.has_resource_properties(
        "AWS::Cognito::UserPoolIdentityProvider",
        json!({
            "ProviderName": "Google",
            "ProviderType": "Google",
            "ProviderDetails": {
                "client_id": "google-id",
                "client_secret": {"Fn::GetAtt": [fetcher, "GOOGLE_CLIENT_SECRET"]},
                "authorize_scopes": "email"
            }
        }),
    );
    t.has_resource_properties("AWS::Cognito::UserPoolDomain", json!({"Domain": "chatapp-dev"}));
    t.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        json!({"AllowedOAuthFlows": ["code"], "CallbackURLs": ["http://localhost:3000/"], "SupportedIdentityProviders": ["COGNITO", "Google"]}),
    );
    let root = out.template(&backend.root_stack().stack_name()).unwrap();
    assert_eq!(root["Outputs"]["socialProviders"]["Value"], "[\"GOOGLE\"]");
    assert_eq!(root["Outputs"]["oauthRedirectSignIn"]["Value"], "http://localhost:3000/");
    // No secret value anywhere: only the SSM paths, in the fetcher's properties.
    assert!(!serde_json::to_string(&out.stacks.iter().map(|s| &s.template).collect::<Vec<_>>())
        .unwrap()
        .contains("secret-value"));
}

#[test]
fn impossible_settings_are_reported_together() {
    let backend = Backend::build(
        app(),
        (define_auth(AuthProps {
            login_with: LoginWith::default(),
            user_attributes: [("favorite_color".to_string(), UserAttribute::default())].into_iter().collect(),
            multifactor: Some(MultiFactor { mode: MfaMode::Required, ..Default::default() }),
            password_policy: Some(amplify_backend::auth::PasswordPolicy { min_length: 4, ..Default::default() }),
            groups: vec!["A".into(), "A".into()],
            ..Default::default()
        }),),
    );
    let err = backend.app().synth_in_memory().unwrap_err();
    for text in [
        "no login method",
        "'favorite_color' is not a standard attribute",
        "no factor is enabled",
        "min_length 4",
        "group 'A' is listed twice",
    ] {
        assert!(err.mentions(text), "missing '{text}' in {err}");
    }
    assert!(err.problems.iter().all(|p| p.path.ends_with("/auth/amplifyAuth")), "{err}");
    let _ = backend.root_stack().node();
}
