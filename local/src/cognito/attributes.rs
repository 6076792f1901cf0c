//! User attributes: the pool's schema (standard attributes every pool has,
//! plus the template's custom ones) and the checks Cognito applies to values.

use serde_json::Value;

use super::config::{ClientConfig, PoolConfig, Props};
use super::errors::{CognitoError, Result};

/// OpenID Connect's standard claims, which every pool has.
pub const STANDARD: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

/// One attribute of a pool's schema.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributeSchema {
    /// `email`, or `custom:<name>` for custom attributes.
    pub name: String,
    /// `String`, `Number`, `DateTime` or `Boolean`.
    pub data_type: String,
    pub required: bool,
    pub mutable: bool,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
}

impl AttributeSchema {
    fn standard(name: &str) -> AttributeSchema {
        AttributeSchema {
            name: name.to_string(),
            data_type: match name {
                "email_verified" | "phone_number_verified" => "Boolean",
                "updated_at" => "Number",
                _ => "String",
            }
            .to_string(),
            required: false,
            mutable: name != "sub",
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
        }
    }

    /// True for `custom:` attributes.
    pub fn is_custom(&self) -> bool {
        self.name.starts_with("custom:")
    }
}

/// The schema from the `Schema` property: every standard attribute, with the
/// template's overrides, then the custom attributes.
pub(crate) fn schema_from_props(schema: Option<&Value>, context: &str) -> Result<Vec<AttributeSchema>> {
    let mut out: Vec<AttributeSchema> = STANDARD.iter().map(|n| AttributeSchema::standard(n)).collect();
    let entries = match schema {
        None | Some(Value::Null) => return Ok(out),
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(CognitoError::Config(format!("{context}: Schema must be a list"))),
    };
    for (i, entry) in entries.iter().enumerate() {
        let p = Props::new(entry, format!("{context} Schema[{i}]"))?;
        let Some(raw) = p.string("Name")? else {
            return Err(p.error("Name", "is required"));
        };
        let bare = raw.strip_prefix("custom:").unwrap_or(&raw);
        let required = p.bool("Required")?.unwrap_or(false);
        let mutable = p.bool("Mutable")?.unwrap_or(true);
        let string_limits = p.object("StringAttributeConstraints")?;
        let number_limits = p.object("NumberAttributeConstraints")?;
        let len = |key: &str| -> Result<Option<usize>> {
            Ok(match &string_limits {
                Some(s) => s.integer(key)?.map(|n| n.max(0) as usize),
                None => None,
            })
        };
        let num = |key: &str| -> Result<Option<f64>> {
            Ok(match &number_limits {
                Some(s) => s.integer(key)?.map(|n| n as f64),
                None => None,
            })
        };
        let (min_length, max_length, min_value, max_value) =
            (len("MinLength")?, len("MaxLength")?, num("MinValue")?, num("MaxValue")?);
        if STANDARD.contains(&bare) && !raw.starts_with("custom:") {
            let attr = out.iter_mut().find(|a| a.name == bare).expect("standard attributes are all present");
            attr.required = required;
            attr.mutable = mutable;
            attr.min_length = min_length.or(attr.min_length);
            attr.max_length = max_length.or(attr.max_length);
        } else {
            if required {
                return Err(p.error("Required", "cannot be true for a custom attribute"));
            }
            let data_type = p.string("AttributeDataType")?.unwrap_or_else(|| "String".to_string());
            if !["String", "Number", "DateTime", "Boolean"].contains(&data_type.as_str()) {
                return Err(p.error("AttributeDataType", "must be String, Number, DateTime or Boolean"));
            }
            let name = format!("custom:{bare}");
            if out.iter().any(|a| a.name == name) {
                return Err(p.error("Name", &format!("`{name}` is declared twice")));
            }
            out.push(AttributeSchema {
                name,
                data_type,
                required,
                mutable,
                min_length,
                max_length,
                min_value,
                max_value,
            });
        }
    }
    Ok(out)
}

fn schema_error(name: &str, problem: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!("Attributes did not conform to the schema: {name}: {problem}"))
}

/// Checks attributes a caller wants to set: each exists, may be written (by
/// the client when `client` is given; administrators may write any), and has a
/// valid value. `creating` allows immutable attributes (set once, at creation).
pub(crate) fn check_writable(
    pool: &PoolConfig,
    client: Option<&ClientConfig>,
    attributes: &[(String, String)],
    creating: bool,
) -> Result<()> {
    for (name, value) in attributes {
        let Some(schema) = pool.attribute(name) else {
            return Err(schema_error(name, "Attribute does not exist in the schema."));
        };
        if name == "sub" {
            return Err(CognitoError::invalid_parameter("Cannot modify the non-mutable attribute sub"));
        }
        if !creating && !schema.mutable {
            return Err(CognitoError::invalid_parameter(format!(
                "Cannot modify an already provided non-mutable attribute: {name}"
            )));
        }
        if let Some(client) = client {
            let allowed = match &client.write_attributes {
                Some(list) => list.iter().any(|a| a == name),
                // Without a list, clients write everything but the verified flags.
                None => !name.ends_with("_verified"),
            };
            if !allowed {
                return Err(CognitoError::not_authorized(format!(
                    "A client attempted to write unauthorized attribute {name}"
                )));
            }
        }
        check_value(schema, value)?;
    }
    Ok(())
}

fn check_value(schema: &AttributeSchema, value: &str) -> Result<()> {
    let name = schema.name.as_str();
    if value.chars().count() > schema.max_length.unwrap_or(2048) {
        return Err(schema_error(name, "String must be no longer than the attribute's maximum length"));
    }
    if let Some(min) = schema.min_length {
        if value.chars().count() < min {
            return Err(schema_error(name, "String must be at least the attribute's minimum length"));
        }
    }
    match name {
        "email" if !is_email(value) => return Err(CognitoError::invalid_parameter("Invalid email address format.")),
        "phone_number" if !is_phone_number(value) => {
            return Err(CognitoError::invalid_parameter("Invalid phone number format."))
        }
        _ => {}
    }
    match schema.data_type.as_str() {
        "Boolean" if value != "true" && value != "false" => {
            Err(schema_error(name, "Boolean value must be true or false"))
        }
        "Number" => {
            let n: f64 = value.parse().map_err(|_| schema_error(name, "Number value must be a number"))?;
            if schema.min_value.is_some_and(|min| n < min) || schema.max_value.is_some_and(|max| n > max) {
                return Err(schema_error(name, "Number is outside the attribute's range"));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Fails naming the first required attribute that `attributes` lacks.
pub(crate) fn check_required(pool: &PoolConfig, has: impl Fn(&str) -> bool) -> Result<()> {
    match missing_required(pool, has).first() {
        Some(name) => Err(schema_error(name, "The attribute is required")),
        None => Ok(()),
    }
}

/// The required attributes that `has` says are missing.
pub(crate) fn missing_required(pool: &PoolConfig, has: impl Fn(&str) -> bool) -> Vec<String> {
    pool.schema.iter().filter(|a| a.required && !has(&a.name)).map(|a| a.name.clone()).collect()
}

/// True if the client may read `name` (all attributes when it has no list).
pub(crate) fn readable(client: Option<&ClientConfig>, name: &str) -> bool {
    match client.and_then(|c| c.read_attributes.as_ref()) {
        Some(list) => name == "sub" || list.iter().any(|a| a == name),
        None => true,
    }
}

/// A plausible email address: one `@`, something either side, no spaces.
pub(crate) fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// E.164: `+` and up to 15 digits.
pub(crate) fn is_phone_number(value: &str) -> bool {
    value
        .strip_prefix('+')
        .is_some_and(|digits| (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn custom_attributes_get_their_prefix_and_standard_ones_their_rules() {
        let schema = schema_from_props(
            Some(&json!([
                {"Name": "email", "Required": true, "Mutable": true},
                {"Name": "team", "AttributeDataType": "String", "Mutable": true},
                {"Name": "level", "AttributeDataType": "Number",
                 "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "5"}}
            ])),
            "pool",
        )
        .unwrap();
        let email = schema.iter().find(|a| a.name == "email").unwrap();
        assert!(email.required);
        assert!(schema.iter().any(|a| a.name == "custom:team" && a.is_custom()));
        let level = schema.iter().find(|a| a.name == "custom:level").unwrap();
        assert!(check_value(level, "3").is_ok());
        assert!(check_value(level, "9").is_err());
        assert!(check_value(level, "x").is_err());
    }

    #[test]
    fn a_required_custom_attribute_is_a_config_error_naming_it() {
        let err = schema_from_props(Some(&json!([{"Name": "team", "Required": true}])), "pool p").unwrap_err();
        assert!(err.to_string().contains("Schema[0]: Required"), "{err}");
    }

    #[test]
    fn email_and_phone_formats() {
        assert!(is_email("a@b.co"));
        assert!(!is_email("a b@c"));
        assert!(!is_email("abc"));
        assert!(is_phone_number("+15555550100"));
        assert!(!is_phone_number("5555550100"));
    }
}
