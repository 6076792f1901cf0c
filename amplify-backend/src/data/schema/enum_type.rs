//! Enums: a closed set of string values.

/// An enum: `a::enum_type(["DRAFT", "PUBLISHED"])`. Declared in the schema it is a
/// named type that fields reference with `a::ref_("Status")`; declared as a field it
/// is named `<Type><Field>` (for example `PostStatus`).
#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    pub(crate) values: Vec<String>,
}

impl EnumType {
    /// The values, in order.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}
