//! Older format versions of the file, for frontends pinned to an older client
//! library (`--outputs-version`).
//!
//! The model is version 1.5; each older version is the same document without the
//! fields that version did not know yet, as Amplify's generator writes it:
//!
//! | version | what it lacks compared with the next one |
//! |---|---|
//! | 1.4 | nothing (1.5 only widened `notifications`) |
//! | 1.3 | `auth.passwordless` |
//! | 1.2 | `auth.groups` |
//! | 1.1 | `storage.buckets[].paths` |
//! | 1 | `storage.buckets` |
//!
//! Version 0, Gen 1's `amplifyconfiguration.json`, is another file altogether and
//! is not written.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use super::AmplifyOutputs;

/// A format version of `amplify_outputs.json` (`"1"` to `"1.5"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FormatVersion {
    /// `"1"`: one bucket, no `buckets` list.
    V1,
    /// `"1.1"`: every bucket, without access paths.
    V1_1,
    /// `"1.2"`: buckets with their access paths.
    V1_2,
    /// `"1.3"`: user pool groups.
    V1_3,
    /// `"1.4"`: passwordless sign-in.
    V1_4,
    /// `"1.5"`: the current version (the default).
    #[default]
    V1_5,
}

impl FormatVersion {
    /// Every version, oldest first.
    pub const ALL: [FormatVersion; 6] = [Self::V1, Self::V1_1, Self::V1_2, Self::V1_3, Self::V1_4, Self::V1_5];

    /// The version as the file and the command line write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "1",
            Self::V1_1 => "1.1",
            Self::V1_2 => "1.2",
            Self::V1_3 => "1.3",
            Self::V1_4 => "1.4",
            Self::V1_5 => "1.5",
        }
    }
}

impl fmt::Display for FormatVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a version string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownFormatVersion(String);

impl FromStr for FormatVersion {
    type Err = UnknownFormatVersion;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(found) = Self::ALL.into_iter().find(|v| v.as_str() == text) {
            return Ok(found);
        }
        let known = Self::ALL.map(Self::as_str).join(", ");
        Err(UnknownFormatVersion(if text == "0" {
            format!(
                "version 0 is Gen 1's amplifyconfiguration.json, which is not written; frontends on Amplify \
                 JS v6 and the Gen 2 libraries read amplify_outputs.json: use one of {known}"
            )
        } else {
            format!("unknown amplify_outputs.json version {text:?}; use one of {known}")
        }))
    }
}

impl AmplifyOutputs {
    /// The document as format `version` holds it: [`Self::to_json_pretty`] for
    /// 1.5, and for older versions the same without the fields they lack.
    pub fn to_json_pretty_as(&self, version: FormatVersion) -> String {
        if version == FormatVersion::V1_5 {
            return self.to_json_pretty();
        }
        let mut document =
            serde_json::to_value(self).expect("AmplifyOutputs serializes infallibly: every map key is a string");
        downgrade(&mut document, version);
        let mut text = serde_json::to_string_pretty(&document).expect("a JSON value serializes");
        text.push('\n');
        text
    }
}

/// Removes what `version` does not know and sets the version field.
fn downgrade(document: &mut Value, version: FormatVersion) {
    document["version"] = version.as_str().into();
    if let Some(auth) = document.get_mut("auth").and_then(Value::as_object_mut) {
        if version < FormatVersion::V1_4 {
            auth.remove("passwordless");
        }
        if version < FormatVersion::V1_3 {
            auth.remove("groups");
        }
    }
    if let Some(storage) = document.get_mut("storage").and_then(Value::as_object_mut) {
        if version < FormatVersion::V1_1 {
            storage.remove("buckets");
        } else if version < FormatVersion::V1_2 {
            for bucket in storage.get_mut("buckets").and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(bucket) = bucket.as_object_mut() {
                    bucket.remove("paths");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn full() -> AmplifyOutputs {
        serde_json::from_value(json!({
            "version": "1.5",
            "auth": {
                "aws_region": "us-east-1", "user_pool_id": "us-east-1_abc", "user_pool_client_id": "client",
                "groups": [{"ADMINS": {"precedence": 0}}],
                "passwordless": {"email_otp_enabled": true, "preferred_challenge": "EMAIL_OTP"}
            },
            "storage": {
                "aws_region": "us-east-1", "bucket_name": "b",
                "buckets": [{"name": "media", "bucket_name": "b", "aws_region": "us-east-1",
                    "paths": {"public/*": {"guest": ["get"]}}}]
            }
        }))
        .expect("a 1.5 document")
    }

    fn as_version(version: &str) -> Value {
        let text = full().to_json_pretty_as(version.parse().unwrap());
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn each_version_drops_what_it_does_not_know() {
        let latest = as_version("1.5");
        assert_eq!(latest, serde_json::to_value(full()).unwrap());
        let v14 = as_version("1.4");
        assert_eq!(v14["version"], "1.4");
        assert_eq!(v14["auth"]["passwordless"]["email_otp_enabled"], true);
        let v13 = as_version("1.3");
        assert!(v13["auth"].get("passwordless").is_none() && v13["auth"]["groups"].is_array());
        let v12 = as_version("1.2");
        assert!(v12["auth"].get("groups").is_none());
        assert_eq!(v12["storage"]["buckets"][0]["paths"]["public/*"]["guest"], json!(["get"]));
        let v11 = as_version("1.1");
        assert!(v11["storage"]["buckets"][0].get("paths").is_none());
        assert_eq!(v11["storage"]["buckets"][0]["name"], "media");
        let v1 = as_version("1");
        assert_eq!(v1["version"], "1");
        assert!(v1["storage"].get("buckets").is_none());
        assert_eq!(v1["storage"]["bucket_name"], "b");
        assert_eq!(v1["auth"]["user_pool_id"], "us-east-1_abc");
    }

    #[test]
    fn version_zero_and_unknown_versions_are_refused_with_the_choices() {
        let zero = "0".parse::<FormatVersion>().unwrap_err().to_string();
        assert!(zero.contains("amplifyconfiguration.json") && zero.contains("1, 1.1, 1.2, 1.3, 1.4, 1.5"), "{zero}");
        let other = "2".parse::<FormatVersion>().unwrap_err().to_string();
        assert!(other.starts_with("unknown amplify_outputs.json version \"2\""), "{other}");
        assert_eq!("1.3".parse::<FormatVersion>(), Ok(FormatVersion::V1_3));
    }
}
