//! The settings of each identity pool, read from the assembly: the
//! `AWS::Cognito::IdentityPool` (guests allowed, the user pool clients it
//! trusts) and its `AWS::Cognito::IdentityPoolRoleAttachment` (default roles,
//! role mappings).

use serde_json::Value;

use super::errors::{IdentityError, Result};
use crate::assembly::{Assembly, Resource};

/// A user pool client the identity pool accepts tokens from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// `cognito-idp.<region>.amazonaws.com/<user pool id>`.
    pub provider_name: String,
    /// The app client id (the id token's `aud`).
    pub client_id: String,
}

impl Provider {
    /// The user pool id, the last part of the provider name.
    pub fn user_pool_id(&self) -> &str {
        self.provider_name.rsplit('/').next().unwrap_or_default()
    }
}

/// How a rule compares a claim (`MatchType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchType {
    /// `Equals`
    Equals,
    /// `Contains`
    Contains,
    /// `StartsWith`
    StartsWith,
    /// `NotEqual`
    NotEqual,
}

/// One rule of a `Rules` mapping: the first that matches picks the role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingRule {
    /// The claim compared.
    pub claim: String,
    /// How.
    pub match_type: MatchType,
    /// With what.
    pub value: String,
    /// The role it grants.
    pub role_arn: String,
}

/// How a mapping picks a role (`Type`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingKind {
    /// `Token`: the token's `cognito:preferred_role` (user pool group roles).
    Token,
    /// `Rules`: the first matching rule.
    Rules(Vec<MappingRule>),
}

/// A role mapping for one provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleMapping {
    /// `<provider name>:<client id>` (or the provider name alone).
    pub identity_provider: String,
    /// Token or rules.
    pub kind: MappingKind,
    /// `AmbiguousRoleResolution`: `true` for `AuthenticatedRole`, `false` for `Deny`.
    pub fall_back_to_authenticated: bool,
}

/// One identity pool's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityPoolConfig {
    /// The local pool id (`<region>:<uuid>`).
    pub pool_id: String,
    /// The template's logical id (for messages).
    pub logical_id: String,
    /// `AllowUnauthenticatedIdentities`.
    pub allow_unauthenticated: bool,
    /// `CognitoIdentityProviders`.
    pub providers: Vec<Provider>,
    /// The `authenticated` role's ARN.
    pub authenticated_role: Option<String>,
    /// The `unauthenticated` role's ARN.
    pub unauthenticated_role: Option<String>,
    /// `RoleMappings`.
    pub role_mappings: Vec<RoleMapping>,
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn mapping(element: &str, key: &str, m: &Value) -> Result<RoleMapping> {
    let bad = |what: String| IdentityError::config(element, format!("role mapping {key}: {what}"));
    let identity_provider = str_at(m, "IdentityProvider").unwrap_or(key).to_string();
    let fall_back_to_authenticated = match str_at(m, "AmbiguousRoleResolution") {
        None | Some("AuthenticatedRole") => true,
        Some("Deny") => false,
        Some(other) => return Err(bad(format!("AmbiguousRoleResolution {other} is not AuthenticatedRole or Deny"))),
    };
    let kind = match str_at(m, "Type") {
        Some("Token") => MappingKind::Token,
        Some("Rules") => {
            let rules = m.get("RulesConfiguration").and_then(|r| r.get("Rules")).and_then(Value::as_array);
            let mut out = Vec::new();
            for (i, r) in rules.into_iter().flatten().enumerate() {
                let field =
                    |k: &str| str_at(r, k).map(str::to_string).ok_or_else(|| bad(format!("rule {i} has no {k}")));
                let match_type = match field("MatchType")?.as_str() {
                    "Equals" => MatchType::Equals,
                    "Contains" => MatchType::Contains,
                    "StartsWith" => MatchType::StartsWith,
                    "NotEqual" => MatchType::NotEqual,
                    other => {
                        return Err(bad(format!(
                            "rule {i} has MatchType {other}; use Equals, Contains, StartsWith or NotEqual"
                        )))
                    }
                };
                out.push(MappingRule {
                    claim: field("Claim")?,
                    match_type,
                    value: field("Value")?,
                    role_arn: field("RoleARN")?,
                });
            }
            if out.is_empty() {
                return Err(bad("a Rules mapping needs RulesConfiguration.Rules".into()));
            }
            MappingKind::Rules(out)
        }
        other => return Err(bad(format!("Type {other:?} is not Token or Rules"))),
    };
    Ok(RoleMapping { identity_provider, kind, fall_back_to_authenticated })
}

fn pool_config(pool: &Resource, attachment: Option<&Resource>) -> Result<IdentityPoolConfig> {
    let element = format!("IdentityPool {}", pool.logical_id);
    let providers = pool
        .properties
        .get("CognitoIdentityProviders")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let name = str_at(p, "ProviderName").unwrap_or_default().to_string();
            let client = str_at(p, "ClientId").unwrap_or_default().to_string();
            if name.is_empty() || client.is_empty() {
                Err(IdentityError::config(
                    &element,
                    "each CognitoIdentityProviders entry needs ProviderName and ClientId",
                ))
            } else {
                Ok(Provider { provider_name: name, client_id: client })
            }
        })
        .collect::<Result<Vec<_>>>()?;
    // CloudFormation takes the boolean or its string form.
    let allow_unauthenticated = pool
        .properties
        .get("AllowUnauthenticatedIdentities")
        .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
    let mut config = IdentityPoolConfig {
        pool_id: pool.reference.clone(),
        logical_id: pool.logical_id.clone(),
        allow_unauthenticated,
        providers,
        authenticated_role: None,
        unauthenticated_role: None,
        role_mappings: Vec::new(),
    };
    if let Some(a) = attachment {
        let element = format!("IdentityPoolRoleAttachment {}", a.logical_id);
        let roles = a.properties.get("Roles");
        config.authenticated_role = roles.and_then(|r| str_at(r, "authenticated")).map(str::to_string);
        config.unauthenticated_role = roles.and_then(|r| str_at(r, "unauthenticated")).map(str::to_string);
        if let Some(Value::Object(mappings)) = a.properties.get("RoleMappings") {
            for (key, m) in mappings {
                config.role_mappings.push(mapping(&element, key, m)?);
            }
        }
    }
    Ok(config)
}

/// Every identity pool of the assembly with its role attachment.
pub fn identity_pool_configs(assembly: &Assembly) -> Result<Vec<IdentityPoolConfig>> {
    let mut out = Vec::new();
    for pool in assembly.of_type("AWS::Cognito::IdentityPool") {
        let attachments: Vec<&Resource> = assembly
            .of_type("AWS::Cognito::IdentityPoolRoleAttachment")
            .filter(|a| a.str_property("IdentityPoolId") == Some(pool.reference.as_str()))
            .collect();
        if attachments.len() > 1 {
            return Err(IdentityError::config(
                format!("IdentityPool {}", pool.logical_id),
                "has more than one IdentityPoolRoleAttachment; CloudFormation allows one per pool",
            ));
        }
        out.push(pool_config(pool, attachments.first().copied())?);
    }
    Ok(out)
}
