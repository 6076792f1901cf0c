//! Backend secrets that a resource property needs at deploy time (the client
//! secrets of federated sign-in), read by a Lambda-backed custom resource.
//!
//! CloudFormation resolves `{{resolve:ssm-secure:...}}` only in a fixed list of
//! properties (database and directory passwords, and a few more); Cognito's
//! `ProviderDetails` is not one of them, nor are custom resource properties, so
//! a template carrying such a reference fails to deploy. Amplify reads the
//! SecureString parameters with a `Custom::SecretFetcherResource` and passes the
//! values on with `Fn::GetAtt`; so do we:
//!
//! - one resource per auth stack fetches every secret it needs; the attribute
//!   named after a secret (`Fn::GetAtt [SecretFetcherResource, GOOGLE_CLIENT_SECRET]`)
//!   holds its value, and the response sets `NoEcho`, so CloudFormation masks it;
//! - each secret is read from the backend's own path
//!   ([`BackendIdentifier::secret_path`], where `ampx sandbox secret set` writes),
//!   then from the app's shared path (`/amplify/shared/<appId>/<NAME>`);
//! - the handler's role may call `ssm:GetParameters` on exactly those parameters;
//! - the handler is a few lines of Node.js inlined in the template (`ZipFile`), so
//!   there is no asset to build or upload, and it uses the AWS SDK the runtime
//!   ships;
//! - CloudFormation calls the handler again only when the resource's properties
//!   change. A changed value is picked up when the synthesizing tool sets the
//!   context `secretLastUpdated` (Amplify's key; e.g. the newest modification
//!   time of the backend's secrets), which is copied into a property. Without it
//!   the template stays byte-identical between runs, as synthesis must.

use cfn_types::iam::policy::CfnPolicy;
use cfn_types::iam::role::CfnRole;
use cfn_types::lambda::function::{CfnFunction, CfnFunctionProps, CodeProperty, Runtime};
use constructs::{cfn, fns, CfnResource, Construct, IConstruct, Value};

use crate::iam::{self, PolicyStatement};
use crate::identifier::BackendIdentifier;

/// The custom resource type, as Amplify names it.
pub const RESOURCE_TYPE: &str = "Custom::SecretFetcherResource";

/// The context key whose value, when set, makes the resource fetch again.
pub const LAST_UPDATED_CONTEXT: &str = "secretLastUpdated";

/// The handler's source, inlined as `index.js`.
pub const HANDLER: &str = include_str!("secret_fetcher.js");

/// The resources that fetch an auth stack's secrets.
#[derive(Clone, Debug)]
pub struct SecretFetcher {
    /// The handler's role (CloudWatch Logs, plus [`SecretFetcher::policy`]).
    pub role: CfnRole,
    /// `ssm:GetParameters` on exactly the secrets' parameters.
    pub policy: CfnPolicy,
    /// The Node.js handler.
    pub handler: CfnFunction,
    /// The `Custom::SecretFetcherResource`; one attribute per secret.
    pub resource: CfnResource,
}

impl SecretFetcher {
    /// The value of secret `name`, as a token for a property (never the value itself).
    pub fn value(&self, name: &str) -> Value {
        self.resource.get_att(name)
    }
}

/// Adds the fetcher of `names` (deduplicated, in order) to `scope`.
pub(crate) fn build(scope: &impl IConstruct, id: &BackendIdentifier, names: &[String]) -> SecretFetcher {
    let provider = Construct::new(scope, "SecretFetcherResourceProviderLambda");
    let role = iam::service_role(
        &provider,
        "ServiceRole",
        iam::Service::Lambda,
        vec![iam::managed_policy_arn("service-role/AWSLambdaBasicExecutionRole")],
    );
    let mut unique: Vec<&str> = Vec::new();
    for name in names {
        if !unique.contains(&name.as_str()) {
            unique.push(name);
        }
    }
    let paths = unique.iter().flat_map(|n| [id.secret_path(n), id.shared_secret_path(n)]);
    let read = PolicyStatement::allow(["ssm:GetParameters"], paths.map(|p| parameter_arn(&p)));
    let policy = iam::attach(&provider, "ReadSecrets", vec![role.ref_()], &[read]);
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
            description: Some(
                "Reads the backend secrets of Amplify auth from SSM Parameter Store at deploy time".into(),
            ),
            ..Default::default()
        },
    );

    let resource = CfnResource::new(scope, "SecretFetcherResource", RESOURCE_TYPE);
    resource.set_property("ServiceToken", handler.attr_arn());
    resource.set_property("DeploymentType", id.deployment_type.as_str());
    let secrets: Vec<Value> = unique
        .iter()
        .map(|n| cfn!({"Name": (*n), "Path": (id.secret_path(n)), "SharedPath": (id.shared_secret_path(n))}))
        .collect();
    resource.set_property("Secrets", Value::Array(secrets));
    if let Some(stamp) = scope.node().try_get_context(LAST_UPDATED_CONTEXT) {
        let stamp = stamp.as_str().map(str::to_string).unwrap_or_else(|| stamp.to_string());
        resource.set_property("SecretLastUpdated", stamp);
    }
    // The handler must be allowed to read before CloudFormation calls it.
    resource.add_depends_on(&policy);
    SecretFetcher { role, policy, handler, resource }
}

/// The ARN of a parameter path (which starts with `/`), in the deploying account and region.
fn parameter_arn(path: &str) -> Value {
    fns::sub(format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{path}"))
}
