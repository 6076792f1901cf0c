//! Sign in with email, with a friendlier verification email.

use amplify_backend::auth::{define_auth, AuthDefinition, AuthProps, EmailLogin, LoginWith};

pub fn auth() -> AuthDefinition {
    define_auth(AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin {
                verification_email_subject: Some("Welcome to chat! Verify your email".into()),
                verification_email_body: Some(|code| format!("Your chat verification code is {code}")),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    })
}
