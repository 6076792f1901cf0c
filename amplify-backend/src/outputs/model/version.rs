//! The `version` field: always the string `"1.5"`.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The file format version this crate writes and reads: `"1.5"`.
///
/// It is a unit type because the schema pins the value with `const`; reading a
/// file of any other version fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OutputsVersion;

impl OutputsVersion {
    /// The version as it appears in the file.
    pub const VALUE: &'static str = "1.5";

    /// The version as it appears in the file.
    pub fn as_str(self) -> &'static str {
        Self::VALUE
    }
}

impl fmt::Display for OutputsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::VALUE)
    }
}

impl Serialize for OutputsVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(Self::VALUE)
    }
}

impl<'de> Deserialize<'de> for OutputsVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let found = Cow::<'de, str>::deserialize(deserializer)?;
        if found == Self::VALUE {
            Ok(OutputsVersion)
        } else {
            Err(serde::de::Error::invalid_value(serde::de::Unexpected::Str(&found), &"the version \"1.5\""))
        }
    }
}

impl JsonSchema for OutputsVersion {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "outputs_version".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "const": Self::VALUE })
    }
}
