//! The identity pool: AWS credentials for signed-in users and guests, with a role
//! for each, and one per user group.

use cfn_types::cognito::identity_pool::{CfnIdentityPool, CfnIdentityPoolProps, CognitoIdentityProviderProperty};
use cfn_types::cognito::identity_pool_role_attachment::{
    CfnIdentityPoolRoleAttachment, CfnIdentityPoolRoleAttachmentProps, RoleMappingProperty,
};
use cfn_types::iam::role::{CfnRole, CfnRoleProps};
use constructs::{Aws, IConstruct, Value};

use crate::iam::Trust;
use indexmap::IndexMap;

/// `cognito-idp.<region>.amazonaws.com/<pool id>`.
pub(crate) fn provider_name(user_pool_id: &Value) -> Value {
    Value::concat(["cognito-idp.".into(), Aws::region(), ".amazonaws.com/".into(), user_pool_id.clone()])
}

pub(crate) fn identity_pool(
    scope: &impl IConstruct,
    prefix: &str,
    user_pool_id: &Value,
    client_id: &Value,
    allow_guests: bool,
    login_providers: Option<Value>,
) -> CfnIdentityPool {
    CfnIdentityPool::new(
        scope,
        &format!("{prefix}IdentityPool"),
        CfnIdentityPoolProps {
            allow_unauthenticated_identities: allow_guests.into(),
            cognito_identity_providers: Some(
                vec![CognitoIdentityProviderProperty {
                    client_id: client_id.clone().into(),
                    provider_name: provider_name(user_pool_id).into(),
                    ..Default::default()
                }]
                .into(),
            ),
            // Social providers' domains -> client ids; empty, as Amplify writes it, without them.
            supported_login_providers: Some(
                login_providers.unwrap_or_else(|| Value::object(Vec::<(String, Value)>::new())),
            ),
            ..Default::default()
        },
    )
}

/// A role identities of the pool assume: `amr` is `authenticated` or `unauthenticated`.
pub(crate) fn identity_role(scope: &impl IConstruct, id: &str, identity_pool_id: &Value, amr: &str) -> CfnRole {
    let trust = Trust::CognitoIdentity { identity_pool_id: identity_pool_id.clone(), amr: amr.to_string() }.document();
    // Under a scope named `id`, as the CDK's Role nests its L1: the same logical IDs.
    let holder = constructs::Construct::new(scope, id);
    CfnRole::new(&holder, "Resource", CfnRoleProps { assume_role_policy_document: trust, ..Default::default() })
}

/// Ties the roles to the pool; tokens pick the role (group roles through the
/// `cognito:preferred_role` claim), falling back to the authenticated role.
pub(crate) fn role_attachment(
    scope: &impl IConstruct,
    prefix: &str,
    identity_pool_id: &Value,
    user_pool_id: &Value,
    client_id: &Value,
    authenticated: &CfnRole,
    unauthenticated: &CfnRole,
) -> CfnIdentityPoolRoleAttachment {
    let provider = Value::concat([provider_name(user_pool_id), ":".into(), client_id.clone()]);
    let mut mappings = IndexMap::new();
    mappings.insert(
        "UserPoolWebClientRoleMapping".to_string(),
        RoleMappingProperty {
            ambiguous_role_resolution: Some("AuthenticatedRole".into()),
            identity_provider: Some(provider.into()),
            r#type: "Token".into(),
            ..Default::default()
        },
    );
    CfnIdentityPoolRoleAttachment::new(
        scope,
        &format!("{prefix}IdentityPoolRoleAttachment"),
        CfnIdentityPoolRoleAttachmentProps {
            identity_pool_id: identity_pool_id.clone().into(),
            role_mappings: Some(mappings.into()),
            roles: Some(
                [("unauthenticated", unauthenticated.get_att("Arn")), ("authenticated", authenticated.get_att("Arn"))]
                    .into(),
            ),
        },
    )
}
