//! User pool Lambda triggers.

use crate::function::FunctionDefinition;

/// The functions Cognito calls at points of the sign-up and sign-in flows.
#[derive(Clone, Default)]
pub struct Triggers {
    /// Before a sign-up is accepted.
    pub pre_sign_up: Option<FunctionDefinition>,
    /// After a user confirms the account.
    pub post_confirmation: Option<FunctionDefinition>,
    /// Before a sign-in.
    pub pre_authentication: Option<FunctionDefinition>,
    /// After a sign-in.
    pub post_authentication: Option<FunctionDefinition>,
    /// To customize verification and invitation messages.
    pub custom_message: Option<FunctionDefinition>,
    /// Before tokens are issued (add claims).
    pub pre_token_generation: Option<FunctionDefinition>,
    /// Custom challenge flow: which challenge comes next.
    pub define_auth_challenge: Option<FunctionDefinition>,
    /// Custom challenge flow: create a challenge.
    pub create_auth_challenge: Option<FunctionDefinition>,
    /// Custom challenge flow: check an answer.
    pub verify_auth_challenge_response: Option<FunctionDefinition>,
    /// Migrate users from another directory at sign-in.
    pub user_migration: Option<FunctionDefinition>,
}

impl Triggers {
    /// `(LambdaConfig property name, function)` for each trigger that is set.
    pub(crate) fn all(&self) -> Vec<(&'static str, &FunctionDefinition)> {
        [
            ("PreSignUp", &self.pre_sign_up),
            ("PostConfirmation", &self.post_confirmation),
            ("PreAuthentication", &self.pre_authentication),
            ("PostAuthentication", &self.post_authentication),
            ("CustomMessage", &self.custom_message),
            ("PreTokenGeneration", &self.pre_token_generation),
            ("DefineAuthChallenge", &self.define_auth_challenge),
            ("CreateAuthChallenge", &self.create_auth_challenge),
            ("VerifyAuthChallengeResponse", &self.verify_auth_challenge_response),
            ("UserMigration", &self.user_migration),
        ]
        .into_iter()
        .filter_map(|(k, f)| f.as_ref().map(|f| (k, f)))
        .collect()
    }
}
