//! The custom resource of `reference_auth` (`Custom::AmplifyRefAuth`, as
//! Amplify names it): a Node.js handler inlined in the template reads the
//! referenced user pool, client, groups and identity pool while the stack
//! deploys, fails the deployment when they do not belong together, and answers
//! the settings the auth outputs carry (each an attribute of the resource).
//!
//! Its role may only read: the five `cognito-idp` reads on the pool and the two
//! `cognito-identity` reads on the identity pool.

use cfn_types::iam::policy::CfnPolicy;
use cfn_types::iam::role::CfnRole;
use cfn_types::lambda::function::{CfnFunction, CfnFunctionProps, CodeProperty, Runtime};
use constructs::{fns, Aws, CfnResource, Construct, IConstruct, Value};

use super::reference::{ReferenceAuthProps, ReferenceAuthResources};
use crate::iam::{self, PolicyStatement};

/// The custom resource type, as Amplify names it.
pub const RESOURCE_TYPE: &str = "Custom::AmplifyRefAuth";

/// The handler's source, inlined as `index.js`.
pub const HANDLER: &str = include_str!("reference_initializer.js");

/// The outputs the handler reads from Cognito (each an attribute of the resource).
pub const READ_AT_DEPLOY: [&str; 16] = [
    "allowUnauthenticatedIdentities",
    "signupAttributes",
    "usernameAttributes",
    "verificationMechanisms",
    "passwordPolicyMinLength",
    "passwordPolicyRequirements",
    "mfaConfiguration",
    "mfaTypes",
    "socialProviders",
    "oauthCognitoDomain",
    "oauthScope",
    "oauthRedirectSignIn",
    "oauthRedirectSignOut",
    "oauthResponseType",
    "oauthClientId",
    "groups",
];

/// The resources that check the referenced auth and read its settings.
#[derive(Clone, Debug)]
pub struct Initializer {
    /// The handler's role (CloudWatch Logs, plus [`Initializer::policy`]).
    pub role: CfnRole,
    /// The Cognito reads.
    pub policy: CfnPolicy,
    /// The Node.js handler.
    pub handler: CfnFunction,
    /// The `Custom::AmplifyRefAuth` resource.
    pub resource: CfnResource,
}

/// Adds the initializer of `p` to `scope`.
pub(crate) fn build(scope: &impl IConstruct, p: &ReferenceAuthProps, user_pool_arn: Value) -> Initializer {
    let provider = Construct::new(scope, "AmplifyRefAuthCustomResourceProviderLambda");
    let role = iam::service_role(
        &provider,
        "ServiceRole",
        iam::Service::Lambda,
        vec![iam::managed_policy_arn("service-role/AWSLambdaBasicExecutionRole")],
    );
    let identity_pool_arn = fns::sub_with(
        "arn:${AWS::Partition}:cognito-identity:${AWS::Region}:${AWS::AccountId}:identitypool/${pool}",
        [("pool", Value::from(p.identity_pool_id.as_str()))],
    );
    let statements = [
        PolicyStatement::allow(
            [
                "cognito-idp:DescribeUserPool",
                "cognito-idp:DescribeUserPoolClient",
                "cognito-idp:GetUserPoolMfaConfig",
                "cognito-idp:ListGroups",
                "cognito-idp:ListIdentityProviders",
            ],
            [user_pool_arn],
        ),
        PolicyStatement::allow(
            ["cognito-identity:DescribeIdentityPool", "cognito-identity:GetIdentityPoolRoles"],
            [identity_pool_arn],
        ),
    ];
    let policy = iam::attach(&provider, "ReadAuth", vec![role.ref_()], &statements);
    let handler = CfnFunction::new(
        &provider,
        "Resource",
        CfnFunctionProps {
            code: CodeProperty { zip_file: Some(HANDLER.into()), ..Default::default() }.into(),
            handler: Some("index.handler".into()),
            runtime: Some(Runtime::Nodejs22X.into()),
            role: role.attr_arn().into(),
            timeout: Some(30.into()),
            memory_size: Some(128.into()),
            description: Some("Checks the Cognito resources of reference_auth and reads their settings".into()),
            ..Default::default()
        },
    );
    let resource = CfnResource::new(scope, "AmplifyRefAuthCustomResource", RESOURCE_TYPE);
    resource.set_property("ServiceToken", handler.attr_arn());
    resource.set_property("UserPoolId", p.user_pool_id.as_str());
    resource.set_property("UserPoolClientId", p.user_pool_client_id.as_str());
    resource.set_property("IdentityPoolId", p.identity_pool_id.as_str());
    resource.set_property("AuthRoleArn", p.auth_role_arn.as_str());
    resource.set_property("UnauthRoleArn", p.unauth_role_arn.as_str());
    let groups: Vec<(String, Value)> = p.groups.iter().map(|(g, arn)| (g.clone(), arn.as_str().into())).collect();
    resource.set_property("Groups", Value::object(groups));
    resource.set_property("Region", Aws::region());
    // The handler must be allowed to read before CloudFormation calls it.
    resource.add_depends_on(&policy);
    Initializer { role, policy, handler, resource }
}

/// The root outputs of referenced auth: the ids as given, the rest read at deploy time.
pub(crate) fn outputs(r: &ReferenceAuthResources) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = vec![
        ("userPoolId".into(), r.user_pool_id.as_str().into()),
        ("webClientId".into(), r.user_pool_client_id.as_str().into()),
        ("identityPoolId".into(), r.identity_pool_id.as_str().into()),
        ("authRegion".into(), Aws::region()),
    ];
    out.extend(READ_AT_DEPLOY.iter().map(|name| (name.to_string(), r.initializer.resource.get_att(name))));
    out
}
