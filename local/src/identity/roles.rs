//! Which role a signed-in identity gets: the provider's role mapping (the
//! token's `cognito:preferred_role`, set from user pool group roles, or the
//! first matching rule), else the pool's authenticated role.

use serde_json::{Map, Value};

use super::config::{IdentityPoolConfig, MappingKind, MatchType, Provider};
use super::errors::{IdentityError, Result};

fn claim_text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    match claims.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn rule_matches(match_type: MatchType, actual: Option<&str>, expected: &str) -> bool {
    match (match_type, actual) {
        (MatchType::Equals, Some(a)) => a == expected,
        (MatchType::Contains, Some(a)) => a.contains(expected),
        (MatchType::StartsWith, Some(a)) => a.starts_with(expected),
        (MatchType::NotEqual, Some(a)) => a != expected,
        // A claim the token does not have matches nothing, not even NotEqual.
        (_, None) => false,
    }
}

fn default_role(pool: &IdentityPoolConfig) -> Result<String> {
    pool.authenticated_role.clone().ok_or_else(|| {
        IdentityError::invalid(format!(
            "Identity pool {} has no authenticated role; attach one with an IdentityPoolRoleAttachment",
            pool.pool_id
        ))
    })
}

/// The role for a user of `provider` whose verified token has `claims`;
/// `custom_role` is `CustomRoleArn` of GetCredentialsForIdentity.
pub fn role_for_login(
    pool: &IdentityPoolConfig,
    provider: &Provider,
    claims: &Map<String, Value>,
    custom_role: Option<&str>,
) -> Result<String> {
    let key = format!("{}:{}", provider.provider_name, provider.client_id);
    let mapping =
        pool.role_mappings.iter().find(|m| m.identity_provider == key || m.identity_provider == provider.provider_name);
    let Some(mapping) = mapping else { return default_role(pool) };
    let picked = match &mapping.kind {
        MappingKind::Token => {
            let roles: Vec<String> = match claims.get("cognito:roles") {
                Some(Value::Array(r)) => r.iter().filter_map(Value::as_str).map(str::to_string).collect(),
                _ => vec![],
            };
            match custom_role {
                Some(asked) if roles.iter().any(|r| r == asked) => Some(asked.to_string()),
                Some(asked) => {
                    return Err(IdentityError::not_authorized(format!(
                        "The role {asked} is not one of the token's cognito:roles"
                    )))
                }
                None => claims
                    .get("cognito:preferred_role")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| (roles.len() == 1).then(|| roles[0].clone())),
            }
        }
        MappingKind::Rules(rules) => rules
            .iter()
            .find(|r| rule_matches(r.match_type, claim_text(claims, &r.claim).as_deref(), &r.value))
            .map(|r| r.role_arn.clone()),
    };
    match picked {
        Some(role) => Ok(role),
        None if mapping.fall_back_to_authenticated => default_role(pool),
        None => Err(IdentityError::invalid(
            "Ambiguous role mapping rules for: ".to_string() + &key + " (AmbiguousRoleResolution is Deny)",
        )),
    }
}

/// The role of a guest of `pool`.
pub fn role_for_guest(pool: &IdentityPoolConfig) -> Result<String> {
    if !pool.allow_unauthenticated {
        return Err(IdentityError::not_authorized("Unauthenticated access is not supported for this identity pool."));
    }
    pool.unauthenticated_role.clone().ok_or_else(|| {
        IdentityError::invalid(format!(
            "Identity pool {} has no unauthenticated role; attach one with an IdentityPoolRoleAttachment",
            pool.pool_id
        ))
    })
}
