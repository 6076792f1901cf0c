//! Custom types: structured values stored inside a model item (or returned by a
//! custom operation), without a table of their own.

use super::field::Field;

/// A custom type: `a::custom_type([("lat", a::float()), ("lng", a::float())])`.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomType {
    pub(crate) fields: Vec<(String, Field)>,
}

impl CustomType {
    /// The fields, in order.
    pub fn fields(&self) -> &[(String, Field)] {
        &self.fields
    }
}
