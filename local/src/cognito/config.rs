//! A user pool's settings, read from the CloudFormation properties of
//! `AWS::Cognito::UserPool`, `AWS::Cognito::UserPoolClient` and
//! `AWS::Cognito::UserPoolGroup`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use super::attributes::{self, AttributeSchema};
use super::errors::{CognitoError, Result};

/// One user pool with its app clients and groups.
#[derive(Clone, Debug)]
pub struct PoolConfig {
    /// `<region>_<name>`.
    pub pool_id: String,
    /// Attributes that replace the username (`email`, `phone_number`).
    pub username_attributes: Vec<String>,
    /// Attributes that can sign in in place of the username.
    pub alias_attributes: Vec<String>,
    /// Whether `Alice` and `alice` are different users.
    pub case_sensitive: bool,
    pub password_policy: PasswordPolicy,
    /// Attributes whose code is sent on sign-up (`email`, `phone_number`).
    pub auto_verified_attributes: Vec<String>,
    /// Attributes whose new value waits for verification before it replaces the old.
    pub verify_before_update: Vec<String>,
    /// Standard and custom attributes with their rules.
    pub schema: Vec<AttributeSchema>,
    /// `OFF`, `ON` or `OPTIONAL`; accepted, not enforced (no MFA locally).
    pub mfa_configuration: String,
    /// Only administrators create users (SignUp is refused).
    pub admin_create_user_only: bool,
    pub clients: Vec<ClientConfig>,
    pub groups: Vec<GroupConfig>,
    /// `LambdaConfig`: trigger name (`PreSignUp`) -> function ARN.
    pub triggers: BTreeMap<String, String>,
}

/// `Policies.PasswordPolicy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub minimum_length: usize,
    pub require_lowercase: bool,
    pub require_uppercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: u32,
}

impl Default for PasswordPolicy {
    /// Cognito's policy when the template sets none.
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 8,
            require_lowercase: true,
            require_uppercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

/// One app client.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub client_id: String,
    /// `ALLOW_*` names; legacy names are normalised to them.
    pub explicit_auth_flows: Vec<String>,
    pub access_token_validity: Duration,
    pub id_token_validity: Duration,
    pub refresh_token_validity: Duration,
    /// The client has a secret; calls must carry SECRET_HASH.
    pub generate_secret: bool,
    /// `PreventUserExistenceErrors: ENABLED`.
    pub prevent_user_existence_errors: bool,
    /// Attributes the client may read; `None` means all.
    pub read_attributes: Option<Vec<String>>,
    /// Attributes the client may write; `None` means all mutable ones.
    pub write_attributes: Option<Vec<String>>,
}

impl ClientConfig {
    /// True if the client allows `flow` (an `ALLOW_*` name).
    pub fn allows(&self, flow: &str) -> bool {
        self.explicit_auth_flows.iter().any(|f| f == flow)
    }
}

/// One group.
#[derive(Clone, Debug)]
pub struct GroupConfig {
    pub name: String,
    pub description: Option<String>,
    pub precedence: Option<i64>,
    pub role_arn: Option<String>,
}

impl PoolConfig {
    /// The pool's settings from the template's properties. `pool_id` is the
    /// id the local service gives the pool (`<region>_<name>`); `clients`
    /// pairs each client id with its properties.
    pub fn from_cloudformation(
        pool_id: &str,
        pool_props: &Value,
        clients: Vec<(String, Value)>,
        groups: Vec<Value>,
    ) -> Result<PoolConfig> {
        let Some((region, name)) = pool_id.split_once('_') else {
            return Err(CognitoError::Config(format!(
                "user pool id `{pool_id}` must look like `<region>_<name>` (e.g. `us-east-1_abc123`)"
            )));
        };
        if region.is_empty() || name.is_empty() {
            return Err(CognitoError::Config(format!("user pool id `{pool_id}` must look like `<region>_<name>`")));
        }
        let props = Props::new(pool_props, format!("user pool {pool_id}"))?;
        let username_attributes = props.strings("UsernameAttributes")?;
        let alias_attributes = props.strings("AliasAttributes")?;
        for attr in &username_attributes {
            if attr != "email" && attr != "phone_number" {
                return Err(props.error("UsernameAttributes", "lists only `email` and `phone_number`"));
            }
        }
        for attr in &alias_attributes {
            if !["email", "phone_number", "preferred_username"].contains(&attr.as_str()) {
                return Err(
                    props.error("AliasAttributes", "lists only `email`, `phone_number` and `preferred_username`")
                );
            }
        }
        if !username_attributes.is_empty() && !alias_attributes.is_empty() {
            return Err(props.error("AliasAttributes", "cannot be set together with UsernameAttributes"));
        }
        // Cognito's API default is case-sensitive usernames when the template says nothing.
        let case_sensitive = match props.object("UsernameConfiguration")? {
            Some(cfg) => cfg.bool("CaseSensitive")?.unwrap_or(true),
            None => true,
        };
        let password_policy = match props.object("Policies")? {
            Some(policies) => match policies.object("PasswordPolicy")? {
                Some(p) => PasswordPolicy::from_props(&p)?,
                None => PasswordPolicy::default(),
            },
            None => PasswordPolicy::default(),
        };
        let verify_before_update = match props.object("UserAttributeUpdateSettings")? {
            Some(s) => s.strings("AttributesRequireVerificationBeforeUpdate")?,
            None => Vec::new(),
        };
        let schema = attributes::schema_from_props(pool_props.get("Schema"), &props.context)?;
        let admin_create_user_only = match props.object("AdminCreateUserConfig")? {
            Some(cfg) => cfg.bool("AllowAdminCreateUserOnly")?.unwrap_or(false),
            None => false,
        };
        let mut password_policy = password_policy;
        // The older place for the temporary password's lifetime.
        if let Some(cfg) = props.object("AdminCreateUserConfig")? {
            if let Some(days) = cfg.integer("UnusedAccountValidityDays")? {
                if pool_props.pointer("/Policies/PasswordPolicy/TemporaryPasswordValidityDays").is_none() {
                    password_policy.temporary_password_validity_days = days as u32;
                }
            }
        }
        let clients = clients
            .into_iter()
            .map(|(id, props)| ClientConfig::from_cloudformation(&id, &props))
            .collect::<Result<Vec<_>>>()?;
        let groups = groups.iter().map(GroupConfig::from_cloudformation).collect::<Result<Vec<_>>>()?;
        Ok(PoolConfig {
            pool_id: pool_id.to_string(),
            username_attributes,
            alias_attributes,
            case_sensitive,
            password_policy,
            auto_verified_attributes: props.strings("AutoVerifiedAttributes")?,
            verify_before_update,
            schema,
            mfa_configuration: props.string("MfaConfiguration")?.unwrap_or_else(|| "OFF".into()),
            admin_create_user_only,
            clients,
            groups,
            triggers: super::triggers::lambda_config(pool_props),
        })
    }

    /// The part of the pool id after `_`, which SRP mixes into the password hash.
    pub fn pool_name(&self) -> &str {
        self.pool_id.split_once('_').map_or("", |(_, name)| name)
    }

    /// The region part of the pool id.
    pub fn region(&self) -> &str {
        self.pool_id.split_once('_').map_or("", |(region, _)| region)
    }

    /// True if users sign in with `attr` (`email`, `phone_number`) as their username.
    pub fn uses_as_username(&self, attr: &str) -> bool {
        self.username_attributes.iter().any(|a| a == attr)
    }

    /// The schema entry of `name` (`email`, `custom:team`), if the pool has it.
    pub fn attribute(&self, name: &str) -> Option<&AttributeSchema> {
        self.schema.iter().find(|a| a.name == name)
    }

    /// The key under which a username is stored (folded when case-insensitive).
    pub fn username_key(&self, username: &str) -> String {
        if self.case_sensitive {
            username.to_string()
        } else {
            username.to_lowercase()
        }
    }
}

impl PasswordPolicy {
    fn from_props(p: &Props) -> Result<PasswordPolicy> {
        let defaults = PasswordPolicy::default();
        let minimum_length = p.integer("MinimumLength")?.map_or(defaults.minimum_length, |n| n as usize);
        if !(6..=99).contains(&minimum_length) {
            return Err(p.error("MinimumLength", "must be between 6 and 99"));
        }
        Ok(PasswordPolicy {
            minimum_length,
            // A policy that is present but silent on a rule does not require it.
            require_lowercase: p.bool("RequireLowercase")?.unwrap_or(false),
            require_uppercase: p.bool("RequireUppercase")?.unwrap_or(false),
            require_numbers: p.bool("RequireNumbers")?.unwrap_or(false),
            require_symbols: p.bool("RequireSymbols")?.unwrap_or(false),
            temporary_password_validity_days: p
                .integer("TemporaryPasswordValidityDays")?
                .map_or(defaults.temporary_password_validity_days, |n| n as u32),
        })
    }
}

impl ClientConfig {
    /// A client's settings from its `AWS::Cognito::UserPoolClient` properties.
    pub fn from_cloudformation(client_id: &str, props: &Value) -> Result<ClientConfig> {
        let p = Props::new(props, format!("user pool client {client_id}"))?;
        let flows = p.strings("ExplicitAuthFlows")?;
        let explicit_auth_flows = if flows.is_empty() {
            ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"].map(String::from).to_vec()
        } else {
            let mut out = Vec::new();
            for flow in flows {
                let normalised = match flow.as_str() {
                    "ADMIN_NO_SRP_AUTH" => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                    "USER_PASSWORD_AUTH" => "ALLOW_USER_PASSWORD_AUTH",
                    "CUSTOM_AUTH_FLOW_ONLY" => "ALLOW_CUSTOM_AUTH",
                    other
                        if [
                            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                            "ALLOW_CUSTOM_AUTH",
                            "ALLOW_USER_PASSWORD_AUTH",
                            "ALLOW_USER_SRP_AUTH",
                            "ALLOW_REFRESH_TOKEN_AUTH",
                            "ALLOW_USER_AUTH",
                        ]
                        .contains(&other) =>
                    {
                        other
                    }
                    other => return Err(p.error("ExplicitAuthFlows", &format!("has unknown flow `{other}`"))),
                };
                out.push(normalised.to_string());
                // Legacy flow names imply SRP and refresh.
                if !flow.starts_with("ALLOW_") {
                    for implied in ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] {
                        out.push(implied.to_string());
                    }
                }
            }
            out.sort();
            out.dedup();
            out
        };
        let units = p.object("TokenValidityUnits")?;
        let unit = |key: &str, default: &str| -> Result<String> {
            Ok(match &units {
                Some(u) => u.string(key)?.unwrap_or_else(|| default.to_string()),
                None => default.to_string(),
            })
        };
        let access_token_validity = validity(
            &p,
            "AccessTokenValidity",
            &unit("AccessToken", "hours")?,
            Duration::from_secs(3600),
            (300, 86_400),
        )?;
        let id_token_validity =
            validity(&p, "IdTokenValidity", &unit("IdToken", "hours")?, Duration::from_secs(3600), (300, 86_400))?;
        let refresh_token_validity = validity(
            &p,
            "RefreshTokenValidity",
            &unit("RefreshToken", "days")?,
            Duration::from_secs(30 * 86_400),
            (3600, 3650 * 86_400),
        )?;
        let prevent = p.string("PreventUserExistenceErrors")?;
        let prevent_user_existence_errors = match prevent.as_deref() {
            None | Some("LEGACY") => false,
            Some("ENABLED") => true,
            Some(other) => {
                return Err(p.error("PreventUserExistenceErrors", &format!("is `{other}`; use `ENABLED` or `LEGACY`")))
            }
        };
        let list = |key: &str| -> Result<Option<Vec<String>>> { props.get(key).map(|_| p.strings(key)).transpose() };
        Ok(ClientConfig {
            client_id: client_id.to_string(),
            explicit_auth_flows,
            access_token_validity,
            id_token_validity,
            refresh_token_validity,
            generate_secret: p.bool("GenerateSecret")?.unwrap_or(false),
            prevent_user_existence_errors,
            read_attributes: list("ReadAttributes")?,
            write_attributes: list("WriteAttributes")?,
        })
    }
}

fn validity(p: &Props, key: &str, unit: &str, default: Duration, (min, max): (u64, u64)) -> Result<Duration> {
    let Some(value) = p.integer(key)? else {
        return Ok(default);
    };
    let seconds_per = match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        "days" => 86_400,
        other => {
            return Err(
                p.error("TokenValidityUnits", &format!("has unit `{other}`; use seconds, minutes, hours or days"))
            )
        }
    };
    let seconds = (value.max(0) as u64).saturating_mul(seconds_per);
    if !(min..=max).contains(&seconds) {
        return Err(p.error(key, &format!("is {value} {unit}; it must be between {min} and {max} seconds")));
    }
    Ok(Duration::from_secs(seconds))
}

impl GroupConfig {
    /// A group from its `AWS::Cognito::UserPoolGroup` properties.
    pub fn from_cloudformation(props: &Value) -> Result<GroupConfig> {
        let p = Props::new(props, "user pool group".to_string())?;
        let Some(name) = p.string("GroupName")? else {
            return Err(p.error("GroupName", "is required for a local user pool group"));
        };
        Ok(GroupConfig {
            name,
            description: p.string("Description")?,
            precedence: p.integer("Precedence")?,
            // The role is often a GetAtt; only a literal ARN can be shown.
            role_arn: props.get("RoleArn").and_then(Value::as_str).map(String::from),
        })
    }
}

/// Typed access to a CloudFormation properties object, with errors that name
/// the resource and the property.
pub(crate) struct Props<'a> {
    value: &'a serde_json::Map<String, Value>,
    pub(crate) context: String,
}

impl<'a> Props<'a> {
    pub(crate) fn new(value: &'a Value, context: String) -> Result<Props<'a>> {
        match value {
            Value::Object(map) => Ok(Props { value: map, context }),
            Value::Null => {
                static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
                    std::sync::LazyLock::new(serde_json::Map::new);
                Ok(Props { value: &EMPTY, context })
            }
            _ => Err(CognitoError::Config(format!("{context}: the properties must be an object"))),
        }
    }

    pub(crate) fn error(&self, key: &str, problem: &str) -> CognitoError {
        CognitoError::Config(format!("{}: {key} {problem}", self.context))
    }

    pub(crate) fn string(&self, key: &str) -> Result<Option<String>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.error(key, "must be a literal string")),
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            // Templates sometimes carry booleans as strings.
            Some(Value::String(s)) if s == "true" || s == "false" => Ok(Some(s == "true")),
            Some(_) => Err(self.error(key, "must be true or false")),
        }
    }

    pub(crate) fn integer(&self, key: &str) -> Result<Option<i64>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
            Some(Value::String(s)) if s.parse::<i64>().is_ok() => Ok(s.parse().ok()),
            Some(_) => Err(self.error(key, "must be a whole number")),
        }
    }

    pub(crate) fn strings(&self, key: &str) -> Result<Vec<String>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    item.as_str().map(String::from).ok_or_else(|| self.error(key, "must be a list of literal strings"))
                })
                .collect(),
            Some(_) => Err(self.error(key, "must be a list of strings")),
        }
    }

    pub(crate) fn object(&self, key: &str) -> Result<Option<Props<'a>>> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(Props::new(v, format!("{} {key}", self.context))?)),
            Some(_) => Err(self.error(key, "must be an object")),
        }
    }
}
