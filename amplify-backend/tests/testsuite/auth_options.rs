//! The auth options closed by issue 18: senders (SES, SNS options, custom
//! sender functions with their KMS key), passwordless sign-in (email and SMS
//! codes, passkeys, the `USER_AUTH` flow, `passwordlessOptions`), invitation and
//! MFA messages, the sixth account recovery, `name`, the derived hosted UI
//! domain, and every access action with `AMPLIFY_AUTH_USERPOOL_ID`. Each is
//! checked for its meaning, and the templates pass cfn-lint without errors or
//! warnings.

use crate::function_support;
use crate::lint_support;

use std::path::PathBuf;

use amplify_backend::auth::{
    auth_access, define_auth, AccountRecovery, AuthAction, AuthProps, CustomSender, EmailLogin, EmailSender,
    ExternalProviders, LoginWith, MfaMode, MultiFactor, OAuthProvider, PasswordlessOptions, PhoneLogin,
    PreferredChallenge, Senders, SesEmail, SmsSender, SnsSms, UserInvitation, UserVerification, WebAuthn,
};
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};
use amplify_backend::{Backend, BackendIdentifier, IntoDefinitions};
use constructs::assertions::{Match, Template};
use constructs::{App, AppProps, CloudAssembly, IConstruct};
use function_support::{nested, one, root, scratch, synth, ROOT};
use serde_json::{json, Value as Json};

fn handler(name: &str) -> FunctionDefinition {
    define_function(FunctionProps {
        name: name.into(),
        entry: "tests/fixtures/functions/say-hello/handler.ts".into(),
        ..Default::default()
    })
}

fn email() -> EmailLogin {
    EmailLogin::default()
}

fn ses() -> SesEmail {
    SesEmail {
        from_email: "no-reply@example.com".into(),
        from_name: Some("Chat App".into()),
        reply_to: Some("support@example.com".into()),
    }
}

fn backend<D: IntoDefinitions>(definitions: D) -> Backend<D::Built> {
    function_support::backend(definitions)
}

fn auth_template(assembly: &CloudAssembly) -> Template {
    Template::from_json(assembly.template(&format!("{ROOT}/auth")).unwrap().clone())
}

/// The synthesis error's text.
fn refused(props: AuthProps) -> String {
    let backend = backend((define_auth(props),));
    backend.app().synth_in_memory().expect_err("refused").to_string()
}

/// cfn-lint's errors and warnings for every template of the backend.
fn lint<P>(name: &str, backend: &Backend<P>) -> Vec<String> {
    let dir = scratch(&format!("auth-options-{name}"));
    backend.app().set_outdir(&dir);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    lint_support::cfn_lint_findings(&files)
}

// ---- senders ----------------------------------------------------------------

#[test]
fn ses_sends_email_from_the_verified_address_and_makes_email_mfa_possible() {
    let props = AuthProps {
        login_with: LoginWith::email(),
        multifactor: Some(MultiFactor { mode: MfaMode::Optional, email: true, totp: true, ..Default::default() }),
        senders: Senders { email: Some(EmailSender::Ses(ses())), ..Default::default() },
        ..Default::default()
    };
    let backend = backend((define_auth(props.clone()),));
    let assembly = synth(&backend);
    let t = auth_template(&assembly);
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "EmailConfiguration": {
                "EmailSendingAccount": "DEVELOPER",
                "From": "Chat App <no-reply@example.com>",
                "ReplyToEmailAddress": "support@example.com",
                "SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ses:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":identity/no-reply@example.com"]]}
            },
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
        }),
    );
    let findings = lint("ses", &backend);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn email_mfa_without_ses_is_refused_with_the_fix() {
    let err = refused(AuthProps {
        login_with: LoginWith::email(),
        multifactor: Some(MultiFactor { mode: MfaMode::Required, email: true, ..Default::default() }),
        ..Default::default()
    });
    assert!(err.contains("amplifyAuth"), "names the construct: {err}");
    assert!(err.contains("multifactor.email needs Amazon SES"), "{err}");
    assert!(err.contains("senders.email to EmailSender::Ses"), "gives the fix: {err}");
}

#[test]
fn bad_sender_settings_are_refused() {
    let err = refused(AuthProps {
        login_with: LoginWith::email(),
        senders: Senders {
            email: Some(EmailSender::Ses(SesEmail { from_email: "not an address".into(), ..Default::default() })),
            sms: Some(SmsSender::Sns(SnsSms { external_id: Some("x".into()), ..Default::default() })),
        },
        ..Default::default()
    });
    assert!(err.contains("from_email 'not an address' is not an email address"), "{err}");
    assert!(err.contains("needs both external_id and sns_caller_arn"), "{err}");
}

#[test]
fn sns_options_use_the_given_role_region_and_external_id() {
    let role = "arn:aws:iam::123456789012:role/cognito-sms";
    let props = AuthProps {
        login_with: LoginWith::phone(),
        senders: Senders {
            sms: Some(SmsSender::Sns(SnsSms {
                external_id: Some("chat-sms".into()),
                sns_caller_arn: Some(role.into()),
                sns_region: Some("us-west-2".into()),
            })),
            ..Default::default()
        },
        ..Default::default()
    };
    let backend = backend((define_auth(props),));
    let assembly = synth(&backend);
    let t = auth_template(&assembly);
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({"SmsConfiguration": {"SnsCallerArn": role, "ExternalId": "chat-sms", "SnsRegion": "us-west-2"}}),
    );
    // Your role replaces the one define_auth would make.
    t.resource_count_is("AWS::IAM::Role", 2);
    assert!(backend.parts().0.resources().sms_role.is_none());
    let findings = lint("sns", &backend);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn custom_senders_get_cognitos_messages_encrypted_with_one_key() {
    let (mailer, texter) = (handler("mailer"), handler("texter"));
    let props = AuthProps {
        login_with: LoginWith::email(),
        senders: Senders {
            email: Some(EmailSender::Custom(CustomSender { handler: mailer.clone(), kms_key_arn: None })),
            sms: Some(SmsSender::Custom(CustomSender { handler: texter.clone(), kms_key_arn: None })),
        },
        ..Default::default()
    };
    let backend = backend((mailer, texter, define_auth(props)));
    let assembly = synth(&backend);
    let auth = nested(&assembly, &backend, "auth");
    let (_, pool) = one(auth, "AWS::Cognito::UserPool");
    let config = &pool["Properties"]["LambdaConfig"];
    assert_eq!(config["CustomEmailSender"]["LambdaVersion"], "V1_0");
    assert_eq!(config["CustomSMSSender"]["LambdaVersion"], "V1_0");
    assert!(config["KMSKeyID"].is_object(), "the key made for them: {config}");
    // The key lives with the first sender (its stack), rotated.
    let key = backend.parts().2.resources().custom_sender_key.clone().expect("a key is made");
    let function_stack = assembly.template(&format!("{ROOT}/function")).unwrap();
    let made = &function_stack["Resources"][key.logical_id()];
    assert_eq!(made["Type"], "AWS::KMS::Key");
    assert_eq!(made["Properties"]["EnableKeyRotation"], true);
    // Each sender may decrypt with it, and Cognito may invoke each.
    for name in ["mailer", "texter"] {
        let role = backend.functions().get(name).unwrap().resources().role.logical_id();
        let policies: Vec<&Json> = function_stack["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::IAM::Policy" && r["Properties"]["Roles"] == json!([{"Ref": role}]))
            .collect();
        let statements: Vec<&Json> =
            policies.iter().flat_map(|p| p["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap()).collect();
        assert!(
            statements.iter().any(|s| s["Action"].as_array().is_some_and(|a| a.contains(&json!("kms:Decrypt")))
                && s["Resource"] == json!({"Fn::GetAtt": [key.logical_id(), "Arn"]})),
            "{name}: {statements:#?}"
        );
    }
    let permissions = auth["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| {
            r["Type"] == "AWS::Lambda::Permission" && r["Properties"]["Principal"] == "cognito-idp.amazonaws.com"
        })
        .count();
    assert_eq!(permissions, 2);
    let findings = lint("custom-senders", &backend);
    assert!(findings.is_empty(), "{findings:#?}");

    // A key given is used as it is, and two different keys are refused.
    let mailer = handler("mailer");
    let given = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let props = AuthProps {
        login_with: LoginWith::email(),
        senders: Senders {
            email: Some(EmailSender::Custom(CustomSender { handler: mailer.clone(), kms_key_arn: Some(given.into()) })),
            ..Default::default()
        },
        ..Default::default()
    };
    let backend = self::backend((mailer, define_auth(props.clone())));
    let assembly = synth(&backend);
    let (_, pool) = one(nested(&assembly, &backend, "auth"), "AWS::Cognito::UserPool");
    assert_eq!(pool["Properties"]["LambdaConfig"]["KMSKeyID"], given);
    assert!(backend.parts().1.resources().custom_sender_key.is_none());
    let mut two = props;
    two.senders.sms = Some(SmsSender::Custom(CustomSender {
        handler: handler("mailer"),
        kms_key_arn: Some("arn:aws:kms:us-east-1:123456789012:key/other".into()),
    }));
    let err = self::backend((handler("mailer"), define_auth(two))).app().synth_in_memory().unwrap_err().to_string();
    assert!(err.contains("name different KMS keys") && err.contains("give both the same kms_key_arn"), "{err}");
}

// ---- passwordless --------------------------------------------------------------

fn passwordless() -> AuthProps {
    AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin { otp_login: true, ..email() }),
            phone: Some(PhoneLogin { otp_login: true, ..Default::default() }),
            web_authn: Some(WebAuthn { relying_party_id: None, user_verification: UserVerification::Required }),
            ..Default::default()
        },
        passwordless_options: PasswordlessOptions { preferred_challenge: Some(PreferredChallenge::WebAuthn) },
        ..Default::default()
    }
}

#[test]
fn passwordless_factors_passkeys_and_the_user_auth_flow() {
    let backend = backend((define_auth(passwordless()),));
    let assembly = synth(&backend);
    let t = auth_template(&assembly);
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]}},
            // AUTO in a sandbox: passkeys for localhost.
            "WebAuthnRelyingPartyID": "localhost",
            "WebAuthnUserVerification": "required"
        }),
    );
    t.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        json!({"ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"]}),
    );
    // The output as Amplify writes it, and the file's section from it.
    let root = root(&assembly);
    let output: Json = serde_json::from_str(root["Outputs"]["passwordlessOptions"]["Value"].as_str().unwrap()).unwrap();
    assert_eq!(
        output,
        json!({"emailOtpEnabled": true, "smsOtpEnabled": true,
            "webAuthn": {"relyingPartyId": "localhost", "userVerification": "required"},
            "preferredChallenge": "WEB_AUTHN"})
    );
    let file = amplify_backend::outputs::from_template(root).expect("builds");
    let section = serde_json::to_value(file.auth.unwrap().passwordless.unwrap()).unwrap();
    assert_eq!(
        section,
        json!({"email_otp_enabled": true, "sms_otp_enabled": true,
            "web_authn": {"relying_party_id": "localhost", "user_verification": "required"},
            "preferred_challenge": "WEB_AUTHN"})
    );
    let findings = lint("passwordless", &backend);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_branch_binds_passkeys_to_its_amplify_hosting_domain() {
    let app = App::with_props(AppProps {
        context: [
            ("amplify-backend-namespace".to_string(), json!("d1abc")),
            ("amplify-backend-name".to_string(), json!("main")),
            ("amplify-backend-type".to_string(), json!("branch")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let props = AuthProps {
        login_with: LoginWith { web_authn: Some(WebAuthn::default()), ..LoginWith::email() },
        ..Default::default()
    };
    let backend = Backend::build(app, (define_auth(props),));
    let stack = BackendIdentifier::branch("d1abc", "main").stack_name();
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let t = Template::from_json(assembly.template(&format!("{stack}/auth")).unwrap().clone());
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "WebAuthnRelyingPartyID": "main.d1abc.amplifyapp.com",
            "WebAuthnUserVerification": "preferred",
            "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
        }),
    );
}

#[test]
fn without_passwordless_nothing_changes() {
    let backend = backend((define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() }),));
    let assembly = synth(&backend);
    let t = auth_template(&assembly);
    t.has_resource_properties(
        "AWS::Cognito::UserPool",
        Match::object_like([
            ("WebAuthnRelyingPartyID", Match::absent()),
            ("Policies", Match::object_like([("SignInPolicy", Match::absent())])),
        ]),
    );
    t.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        json!({"ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    );
    assert_eq!(root(&assembly)["Outputs"]["passwordlessOptions"]["Value"], "");
}

#[test]
fn a_preferred_challenge_that_is_not_enabled_is_refused() {
    let err = refused(AuthProps {
        login_with: LoginWith::email(),
        passwordless_options: PasswordlessOptions { preferred_challenge: Some(PreferredChallenge::EmailOtp) },
        ..Default::default()
    });
    assert!(err.contains("preferred_challenge is EMAIL_OTP, which is not enabled (enabled: PASSWORD)"), "{err}");
    assert!(err.contains("set login_with.email.otp_login"), "{err}");
    let mut bad_party = passwordless();
    bad_party.login_with.web_authn =
        Some(WebAuthn { relying_party_id: Some("https://x".into()), ..Default::default() });
    assert!(refused(bad_party).contains("relying_party_id 'https://x' must be a domain"));
}

// ---- messages, recovery, name, hosted UI ----------------------------------------

#[test]
fn invitation_and_mfa_messages_carry_cognitos_placeholders() {
    let props = AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin {
                user_invitation: Some(UserInvitation {
                    email_subject: Some("Welcome to Chat".into()),
                    email_body: Some(|user, code| format!("Hi {user}, your temporary password is {code}")),
                    sms_message: Some(|user, code| format!("{user}: {code}")),
                }),
                ..email()
            }),
            phone: Some(PhoneLogin::default()),
            ..Default::default()
        },
        multifactor: Some(MultiFactor {
            mode: MfaMode::Optional,
            sms: true,
            sms_message: Some(|code| format!("Your Chat code is {code}")),
            ..Default::default()
        }),
        account_recovery: Some(AccountRecovery::PhoneWithoutMfaAndEmail),
        ..Default::default()
    };
    let backend = backend((define_auth(props),));
    let assembly = synth(&backend);
    auth_template(&assembly).has_resource_properties(
        "AWS::Cognito::UserPool",
        json!({
            "AdminCreateUserConfig": {"InviteMessageTemplate": {
                "EmailSubject": "Welcome to Chat",
                "EmailMessage": "Hi {username}, your temporary password is {####}",
                "SMSMessage": "{username}: {####}"
            }},
            "SmsAuthenticationMessage": "Your Chat code is {####}",
            "AccountRecoverySetting": {"RecoveryMechanisms": [
                {"Name": "verified_phone_number", "Priority": 1}, {"Name": "verified_email", "Priority": 2}
            ]}
        }),
    );
    let findings = lint("messages", &backend);
    assert!(findings.is_empty(), "{findings:#?}");

    let err = refused(AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin {
                user_invitation: Some(UserInvitation {
                    email_body: Some(|_, code| format!("Your password is {code}")),
                    ..Default::default()
                }),
                ..email()
            }),
            ..Default::default()
        },
        ..Default::default()
    });
    assert!(err.contains("user_invitation.email_body does not contain {username}"), "{err}");
}

#[test]
fn phone_and_email_recovery_leaves_cognitos_legacy_order() {
    let backend = backend((define_auth(AuthProps {
        login_with: LoginWith { phone: Some(PhoneLogin::default()), ..LoginWith::email() },
        account_recovery: Some(AccountRecovery::PhoneAndEmail),
        ..Default::default()
    }),));
    let assembly = synth(&backend);
    auth_template(&assembly).has_resource_properties(
        "AWS::Cognito::UserPool",
        Match::object_like([("AccountRecoverySetting", Match::absent())]),
    );
}

#[test]
fn a_name_names_the_pool_and_starts_every_id() {
    let backend = backend((define_auth(AuthProps {
        name: Some("chatAuth".into()),
        login_with: LoginWith::email(),
        groups: vec!["ADMINS".into()],
        ..Default::default()
    }),));
    let assembly = synth(&backend);
    let t = auth_template(&assembly);
    t.has_resource_properties("AWS::Cognito::UserPool", json!({"UserPoolName": "chatAuth"}));
    let r = backend.parts().0.resources().clone();
    for (what, path) in [
        ("user pool", r.user_pool.node().path()),
        ("client", r.user_pool_client.node().path()),
        ("identity pool", r.identity_pool.node().path()),
        ("group", r.groups["ADMINS"].group.node().path()),
    ] {
        assert!(path.contains("/auth/chatAuth/chatAuth"), "{what}: {path}");
    }
    assert!(refused(AuthProps {
        name: Some("chat auth".into()),
        login_with: LoginWith::email(),
        ..Default::default()
    })
    .contains("auth name 'chat auth' must be 1 to 100 letters and digits"));
}

#[test]
fn external_providers_get_amplifys_domain_prefix_when_none_is_given() {
    let backend = backend((define_auth(AuthProps {
        login_with: LoginWith {
            external_providers: Some(ExternalProviders {
                google: Some(OAuthProvider { client_id: "google-id".into(), ..Default::default() }),
                callback_urls: vec!["http://localhost:3000/".into()],
                logout_urls: vec!["http://localhost:3000/".into()],
                ..Default::default()
            }),
            ..LoginWith::email()
        },
        ..Default::default()
    }),));
    let assembly = synth(&backend);
    // sha512("sandbox" "chatapp" "dev"), 20 hex digits: what Amplify derives.
    auth_template(&assembly)
        .has_resource_properties("AWS::Cognito::UserPoolDomain", json!({"Domain": "fa91daf10f18a5845e6d"}));
    let file = amplify_backend::outputs::from_template(root(&assembly)).expect("builds");
    assert!(file.auth.unwrap().oauth.is_some(), "a domain gives the file its oauth section");
}

// ---- access ---------------------------------------------------------------------

#[test]
fn every_access_action_reaches_the_policy_and_the_pool_id_the_environment() {
    let admin = handler("admin");
    let props = AuthProps {
        login_with: LoginWith::email(),
        access: auth_access(|allow| vec![allow.resource(&admin).to(AuthAction::ALL)]),
        ..Default::default()
    };
    let backend = backend((admin, define_auth(props)));
    let assembly = synth(&backend);
    let function_stack = assembly.template(&format!("{ROOT}/function")).unwrap();
    let mut expected: Vec<&str> = AuthAction::ALL.iter().flat_map(|a| a.iam_actions().iter().copied()).collect();
    expected.sort_unstable();
    expected.dedup();
    assert!(
        expected.contains(&"cognito-idp:AdminLinkProviderForUser") && expected.contains(&"cognito-idp:UpdateGroup")
    );
    let granted: Vec<&Json> = function_stack["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::IAM::Policy")
        .flat_map(|p| p["Properties"]["PolicyDocument"]["Statement"].as_array().unwrap())
        .filter(|s| {
            s["Action"].as_array().is_some_and(|a| a.iter().any(|x| x.as_str().unwrap().starts_with("cognito-idp:")))
        })
        .collect();
    assert_eq!(granted.len(), 1, "{granted:#?}");
    let actions: Vec<&str> = granted[0]["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(actions, expected);
    let lambda = backend.functions().get("admin").unwrap().resources().lambda.logical_id();
    let variables = &function_stack["Resources"][lambda]["Properties"]["Environment"]["Variables"];
    let pool_id = &variables["AMPLIFY_AUTH_USERPOOL_ID"];
    assert!(pool_id["Ref"].is_string(), "the pool id, passed from the auth stack: {variables}");
    let findings = lint("access", &backend);
    assert!(findings.is_empty(), "{findings:#?}");
}
