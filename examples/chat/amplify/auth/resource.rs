//! Sign in with email, with a friendlier verification email; a function greets
//! each user once they confirm their account.

use amplify_backend::auth::{define_auth, AuthDefinition, AuthProps, EmailLogin, LoginWith, Triggers};
use amplify_backend::function::FunctionDefinition;

pub fn auth(post_confirmation: &FunctionDefinition) -> AuthDefinition {
    define_auth(AuthProps {
        login_with: LoginWith {
            email: Some(EmailLogin {
                verification_email_subject: Some("Welcome to chat! Verify your email".into()),
                verification_email_body: Some(|code| format!("Your chat verification code is {code}")),
                ..Default::default()
            }),
            ..Default::default()
        },
        triggers: Triggers { post_confirmation: Some(post_confirmation.clone()), ..Default::default() },
        ..Default::default()
    })
}
