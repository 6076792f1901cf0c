//! ListUsers, with Cognito's filter syntax (`email ^= "a"`, `username = "b"`)
//! and pagination.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::cognito::errors::{CognitoError, Result};
use crate::cognito::request::Req;
use crate::cognito::user::User;
use crate::cognito::UserPools;

/// The attributes ListUsers can filter on.
const SEARCHABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

/// One parsed filter.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Filter {
    pub attribute: String,
    pub prefix: bool,
    pub value: String,
}

fn parse_error() -> CognitoError {
    CognitoError::invalid_parameter("Error while parsing filter.")
}

/// Parses `attribute = "value"` or `attribute ^= "value"` (spaces optional,
/// `\"` and `\\` escape inside the quotes).
pub(crate) fn parse_filter(text: &str) -> Result<Filter> {
    let text = text.trim();
    let op_at = text.find(['=', '^']).ok_or_else(parse_error)?;
    let attribute = text[..op_at].trim();
    let rest = &text[op_at..];
    let (prefix, rest) = if let Some(r) = rest.strip_prefix("^=") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (false, r)
    } else {
        return Err(parse_error());
    };
    if attribute.is_empty() || attribute.contains(char::is_whitespace) {
        return Err(parse_error());
    }
    let quoted = rest.trim();
    let inner = quoted.strip_prefix('"').and_then(|r| r.strip_suffix('"')).ok_or_else(parse_error)?;
    let mut value = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.push(chars.next().ok_or_else(parse_error)?),
            '"' => return Err(parse_error()),
            c => value.push(c),
        }
    }
    if !SEARCHABLE.contains(&attribute) {
        return Err(CognitoError::invalid_parameter(format!("Invalid search attribute: {attribute}")));
    }
    Ok(Filter { attribute: attribute.to_string(), prefix, value })
}

impl Filter {
    fn matches(&self, user: &User, case_sensitive_username: bool) -> bool {
        let actual: Option<String> = match self.attribute.as_str() {
            "username" => Some(user.username.clone()),
            "cognito:user_status" => Some(user.status.as_str().to_string()),
            "status" => Some(if user.enabled { "Enabled" } else { "Disabled" }.to_string()),
            other => user.attribute(other).map(String::from),
        };
        let Some(actual) = actual else {
            return false;
        };
        let (actual, wanted) = if self.attribute == "username" && !case_sensitive_username {
            (actual.to_lowercase(), self.value.to_lowercase())
        } else {
            (actual, self.value.clone())
        };
        if self.prefix {
            actual.starts_with(&wanted)
        } else {
            actual == wanted
        }
    }
}

pub(crate) fn list_users(pools: &UserPools, req: Req) -> Result<Value> {
    let pool = &pools.pool(req.str("UserPoolId")?)?;
    let limit = req.opt_i64("Limit")?.unwrap_or(60);
    if !(0..=60).contains(&limit) {
        return Err(CognitoError::invalid_parameter(
            "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
        ));
    }
    let limit = if limit == 0 { 60 } else { limit as usize };
    let filter = match req.opt_str("Filter")? {
        Some(f) if !f.trim().is_empty() => Some(parse_filter(f)?),
        _ => None,
    };
    let after = match req.opt_str("PaginationToken")? {
        Some(token) => Some(
            URL_SAFE_NO_PAD
                .decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| CognitoError::invalid_parameter("Invalid pagination token"))?,
        ),
        None => None,
    };
    let wanted = req.opt_strings("AttributesToGet")?;
    let case_sensitive = pool.config.case_sensitive;
    let matching: Vec<(String, User)> = pools
        .store
        .users(&pool.config.pool_id)?
        .into_iter()
        .filter(|(key, _)| after.as_ref().is_none_or(|a| key > a))
        .filter(|(_, user)| filter.as_ref().is_none_or(|f| f.matches(user, case_sensitive)))
        .collect();
    let page = &matching[..matching.len().min(limit)];
    let users: Vec<Value> = page.iter().map(|(_, user)| user.user_type(wanted.as_deref())).collect();
    let mut response = json!({"Users": users});
    if matching.len() > limit {
        let last = &page[page.len() - 1].0;
        response["PaginationToken"] = json!(URL_SAFE_NO_PAD.encode(last));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_with_or_without_spaces_and_escapes() {
        assert_eq!(
            parse_filter(r#"email ^= "a""#).unwrap(),
            Filter { attribute: "email".into(), prefix: true, value: "a".into() }
        );
        assert_eq!(
            parse_filter(r#"username="bob""#).unwrap(),
            Filter { attribute: "username".into(), prefix: false, value: "bob".into() }
        );
        assert_eq!(parse_filter(r#"name = "say \"hi\"""#).unwrap().value, r#"say "hi""#);
        assert_eq!(parse_filter(r#"cognito:user_status = "CONFIRMED""#).unwrap().attribute, "cognito:user_status");
    }

    #[test]
    fn malformed_filters_are_refused() {
        for bad in [r#"email ^= a"#, r#"email "a""#, r#"= "a""#, r#"email == "a""#, r#"email = "a"b""#] {
            let err = parse_filter(bad).unwrap_err();
            assert_eq!(err.message(), "Error while parsing filter.", "{bad}");
        }
        let err = parse_filter(r#"custom:team = "x""#).unwrap_err();
        assert!(err.message().contains("Invalid search attribute"), "{err}");
    }
}
