//! `CfnTag`: the `{"Key": .., "Value": ..}` tag shared by most resource types.

use constructs::Value;

use crate::render::{Renderer, ToCfn};
use crate::val::{Literal, Val};

/// A tag, `{"Key": key, "Value": value}`: the tag type of every schema whose tag
/// definition has exactly these two string properties.
///
/// Tags set with [`constructs::Tags::of`] are merged with these at synthesis.
///
/// ```
/// use cfn_types::CfnTag;
/// let tag = CfnTag::new("team", "web");
/// assert_eq!(tag.key.literal().map(String::as_str), Some("team"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct CfnTag {
    /// `Key` (String), required.
    pub key: Val<String>,
    /// `Value` (String), required.
    pub value: Val<String>,
}

impl CfnTag {
    /// A tag from a key and a value (literals or tokens).
    pub fn new(key: impl Into<Val<String>>, value: impl Into<Val<String>>) -> Self {
        CfnTag { key: key.into(), value: value.into() }
    }
}

impl ToCfn for CfnTag {
    fn to_cfn(&self, r: &mut Renderer) -> Value {
        let mut o = r.object();
        o.required("Key", &self.key);
        o.required("Value", &self.value);
        o.finish()
    }
}

impl Literal for CfnTag {}
