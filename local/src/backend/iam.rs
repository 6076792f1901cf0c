//! The data API's IAM seam ([`IamVerifier`]) over the local
//! [`IdentityPools`]: a SigV4-signed request is checked against the
//! credentials the identity pools (or a function's role) were issued, and the
//! caller's role policies decide which top-level fields it may run, as
//! AppSync's `@aws_iam` does. Amplify's resolvers then apply the schema's
//! rules (guest, `authenticated("identityPool")`, functions with
//! `allow.resource`).

use std::sync::Arc;

use crate::appsync::{AuthFailure, FieldPolicy, IamIdentity, IamVerifier};
use crate::assembly::Assembly;
use crate::identity::{Caller, Context, Decision, IdentityPools, PathEncoding, Principal, SigV4Error, SignedRequest};

/// The action AppSync authorizes each top-level field with.
const GRAPHQL_ACTION: &str = "appsync:GraphQL";

/// SigV4 verification for one data API.
pub struct DataApiIam {
    identity: Arc<IdentityPools>,
    api_arn: String,
    path: String,
}

impl DataApiIam {
    /// The verifier for the assembly's GraphQL API, served at `graphql_url`;
    /// `None` when the assembly has no API.
    pub fn new(identity: Arc<IdentityPools>, assembly: &Assembly, graphql_url: &str) -> Option<DataApiIam> {
        let api = assembly.of_type("AWS::AppSync::GraphQLApi").next()?;
        let api_arn = api.str_attribute("Arn")?.to_string();
        let path = url::Url::parse(graphql_url).map_or_else(|_| "/graphql".to_string(), |u| u.path().to_string());
        Some(DataApiIam { identity, api_arn, path })
    }
}

/// AppSync's error types for refused signatures.
fn failure(e: SigV4Error) -> AuthFailure {
    let error_type = match e.code {
        "SignatureDoesNotMatch" | "InvalidSignatureException" => "InvalidSignatureException",
        "UnrecognizedClientException" => "UnrecognizedClientException",
        "ExpiredTokenException" => "ExpiredTokenException",
        "IncompleteSignature" => "IncompleteSignatureException",
        _ => "UnauthorizedException",
    };
    AuthFailure { error_type, message: e.message }
}

impl IamVerifier for DataApiIam {
    fn verify(&self, header: &dyn Fn(&str) -> Option<String>, body: &[u8]) -> Result<IamIdentity, AuthFailure> {
        // A POST to the data URL signs its path; Amplify's realtime handshake
        // signs `<data url>/connect` with the body `{}`.
        let connect = format!("{}/connect", self.path.trim_end_matches('/'));
        let mut refused = None;
        for path in [self.path.as_str(), connect.as_str()] {
            let request = SignedRequest { method: "POST", path, query: "", header, body: Some(body) };
            match self.identity.who(&request, "appsync", PathEncoding::Double) {
                Ok(caller) => {
                    let implied = implied_grant(&self.identity, &caller);
                    let identity = caller.appsync_identity("127.0.0.1");
                    let policy = CallerPolicy {
                        caller,
                        identity: self.identity.clone(),
                        api_arn: self.api_arn.clone(),
                        implied,
                    };
                    return Ok(IamIdentity { identity, policy: Arc::new(policy) });
                }
                Err(e) if e.code == "SignatureDoesNotMatch" => refused = Some(e),
                Err(e) => return Err(failure(e)),
            }
        }
        Err(failure(refused.unwrap_or_else(|| SigV4Error { code: "SignatureDoesNotMatch", message: String::new() })))
    }
}

/// Amplify's data construct attaches a policy to the identity pool's roles
/// that opens the fields their rules name (`UnauthRolePolicy01`,
/// `AuthRolePolicy01`). An assembly whose identity pool roles have no
/// `appsync:GraphQL` statement at all did not say, so those roles reach
/// every field and the resolvers' rules decide alone; any statement about
/// the action, allow or deny, is evaluated as written instead.
fn implied_grant(identity: &IdentityPools, caller: &Caller) -> bool {
    matches!(caller.principal, Principal::Identity { .. })
        && identity.is_pool_role(&caller.role_arn)
        && !identity.policies().names_action(&caller.role_arn, GRAPHQL_ACTION)
}

/// One caller's `appsync:GraphQL` permissions.
#[derive(Debug)]
struct CallerPolicy {
    caller: Caller,
    identity: Arc<IdentityPools>,
    api_arn: String,
    implied: bool,
}

impl FieldPolicy for CallerPolicy {
    fn allows(&self, type_name: &str, field_name: &str) -> bool {
        let resource = format!("{}/types/{type_name}/fields/{field_name}", self.api_arn);
        match self.identity.authorize(&self.caller, GRAPHQL_ACTION, &resource, &Context::new()) {
            Decision::Allow => true,
            Decision::ExplicitDeny => false,
            Decision::ImplicitDeny => self.implied,
        }
    }
}
