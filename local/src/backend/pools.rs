//! The data API's token seam ([`TokenVerifier`]) over the local
//! [`UserPools`], and the pools' settings read from the assembly.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::appsync::TokenVerifier;
use crate::assembly::Assembly;
use crate::cognito::{CognitoError, PoolConfig, UserPools};

/// The [`UserPools`] as the data API's [`TokenVerifier`].
#[derive(Clone)]
pub struct PoolTokens(pub Arc<UserPools>);

impl TokenVerifier for PoolTokens {
    fn verify(&self, token: &str) -> Result<Map<String, Value>, String> {
        // The pools say "Token has expired." for an expired token, which the
        // data API turns into AppSync's own message.
        self.0.verify(token).map_err(|e| e.message())
    }
}

/// Every `AWS::Cognito::UserPool` of the assembly, with the clients and groups
/// whose `UserPoolId` names it.
pub fn pool_configs(assembly: &Assembly) -> Result<Vec<PoolConfig>, CognitoError> {
    let of_pool = |resource_type: &'static str, pool_id: &str| {
        let pool_id = pool_id.to_string();
        assembly.of_type(resource_type).filter(move |r| r.str_property("UserPoolId") == Some(pool_id.as_str()))
    };
    let mut pools = Vec::new();
    for pool in assembly.of_type("AWS::Cognito::UserPool") {
        let id = pool.reference.as_str();
        let clients = of_pool("AWS::Cognito::UserPoolClient", id)
            .map(|c| (c.reference.clone(), Value::Object(c.properties.clone())))
            .collect();
        let groups = of_pool("AWS::Cognito::UserPoolGroup", id).map(|g| Value::Object(g.properties.clone())).collect();
        pools.push(PoolConfig::from_cloudformation(id, &Value::Object(pool.properties.clone()), clients, groups)?);
    }
    Ok(pools)
}
