//! The built auth category: every L1 it made, so users can override anything.

use cfn_types::cognito::identity_pool::CfnIdentityPool;
use cfn_types::cognito::identity_pool_role_attachment::CfnIdentityPoolRoleAttachment;
use cfn_types::cognito::user_pool::CfnUserPool;
use cfn_types::cognito::user_pool_client::CfnUserPoolClient;
use cfn_types::cognito::user_pool_domain::CfnUserPoolDomain;
use cfn_types::cognito::user_pool_group::CfnUserPoolGroup;
use cfn_types::cognito::user_pool_identity_provider::CfnUserPoolIdentityProvider;
use cfn_types::iam::role::CfnRole;
use cfn_types::kms::key::CfnKey;
use indexmap::IndexMap;

use super::secret_fetcher::SecretFetcher;

/// A user group and the IAM role its members get from the identity pool.
#[derive(Clone, Debug)]
pub struct GroupResources {
    /// The `AWS::Cognito::UserPoolGroup`.
    pub group: CfnUserPoolGroup,
    /// The group's role.
    pub role: CfnRole,
}

/// The resources of the auth category.
#[derive(Clone, Debug)]
pub struct AuthResources {
    /// The user pool.
    pub user_pool: CfnUserPool,
    /// The web client the frontend signs in with.
    pub user_pool_client: CfnUserPoolClient,
    /// The identity pool that trades tokens for AWS credentials.
    pub identity_pool: CfnIdentityPool,
    /// The role of signed-in users.
    pub authenticated_user_iam_role: CfnRole,
    /// The role of guests.
    pub unauthenticated_user_iam_role: CfnRole,
    /// Ties the roles to the identity pool.
    pub identity_pool_role_attachment: CfnIdentityPoolRoleAttachment,
    /// User groups by name.
    pub groups: IndexMap<String, GroupResources>,
    /// The hosted UI domain, with external providers.
    pub user_pool_domain: Option<CfnUserPoolDomain>,
    /// External identity providers.
    pub identity_providers: Vec<CfnUserPoolIdentityProvider>,
    /// The role Cognito sends SMS with, for phone login or SMS MFA.
    pub sms_role: Option<CfnRole>,
    /// Reads the providers' client secrets at deploy time, when they have any.
    pub secret_fetcher: Option<SecretFetcher>,
    /// The KMS key Cognito encrypts messages for custom senders with, when
    /// `define_auth` made it (in the first sender function's stack).
    pub custom_sender_key: Option<CfnKey>,
}

/// The built auth category, as the backend hands it back ([`Backend::parts`](crate::Backend::parts)).
#[derive(Clone, Debug)]
pub struct Auth {
    pub(crate) resources: AuthResources,
}

impl Auth {
    /// Every L1 the category made.
    pub fn resources(&self) -> &AuthResources {
        &self.resources
    }
}
