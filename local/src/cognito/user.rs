//! The stored user record.

use std::collections::BTreeMap;

use num_bigint::BigUint;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::srp::Verifier;

/// Cognito's `UserStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ForceChangePassword,
    ResetRequired,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ResetRequired => "RESET_REQUIRED",
        }
    }
}

/// A one-time code that was "sent" to the user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingCode {
    pub code: String,
    /// Unix seconds after which the code is refused.
    pub expires: i64,
    /// The attribute the code went to (`email`, `phone_number`).
    #[serde(default)]
    pub attribute: Option<String>,
}

/// One user of one pool.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    /// The username as created (a UUID in pools that sign in by email or phone).
    pub username: String,
    /// Attribute values by name, `sub` included.
    pub attributes: BTreeMap<String, String>,
    pub status: UserStatus,
    pub enabled: bool,
    /// Unix seconds (with fraction).
    pub created: f64,
    pub modified: f64,
    /// SRP salt and verifier, hex: the password itself is never kept.
    pub salt: String,
    pub verifier: String,
    /// When a temporary password (from AdminCreateUser) stops working.
    #[serde(default)]
    pub temporary_password_expires: Option<i64>,
    #[serde(default)]
    pub groups: Vec<String>,
    /// Outstanding codes by purpose: `signup`, `forgot`, `verify:<attribute>`.
    #[serde(default)]
    pub codes: BTreeMap<String, PendingCode>,
    /// New values of attributes that wait for verification before they apply.
    #[serde(default)]
    pub pending_attributes: BTreeMap<String, String>,
}

impl User {
    /// The SRP verifier of the current password.
    pub fn verifier(&self) -> Verifier {
        Verifier {
            salt: BigUint::parse_bytes(self.salt.as_bytes(), 16).unwrap_or_default(),
            verifier: BigUint::parse_bytes(self.verifier.as_bytes(), 16).unwrap_or_default(),
        }
    }

    /// Replaces the password's verifier.
    pub fn set_verifier(&mut self, verifier: &Verifier) {
        self.salt = verifier.salt.to_str_radix(16);
        self.verifier = verifier.verifier.to_str_radix(16);
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    pub fn sub(&self) -> &str {
        self.attribute("sub").unwrap_or_default()
    }

    /// True if `attr` (`email`, `phone_number`) is marked verified.
    pub fn is_verified(&self, attr: &str) -> bool {
        self.attribute(&format!("{attr}_verified")) == Some("true")
    }

    /// Attributes as Cognito lists them: `[{"Name": .., "Value": ..}]`.
    pub fn attribute_list(&self, keep: impl Fn(&str) -> bool) -> Value {
        Value::Array(
            self.attributes
                .iter()
                .filter(|(name, _)| keep(name))
                .map(|(name, value)| json!({"Name": name, "Value": value}))
                .collect(),
        )
    }

    /// Cognito's `UserType`, as ListUsers and AdminCreateUser return it.
    pub fn user_type(&self, attributes_to_get: Option<&[String]>) -> Value {
        let attributes =
            self.attribute_list(|name| attributes_to_get.is_none_or(|wanted| wanted.iter().any(|w| w == name)));
        json!({
            "Username": self.username,
            "Attributes": attributes,
            "UserCreateDate": self.created,
            "UserLastModifiedDate": self.modified,
            "Enabled": self.enabled,
            "UserStatus": self.status.as_str(),
        })
    }
}
