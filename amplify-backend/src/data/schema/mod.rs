//! The schema a backend declares with the `a` builder: models, enums, custom types and
//! custom operations, with their authorization rules. Plain data; `validate` checks it
//! and resolves it into the form the generators read.

pub mod auth_rule;
pub mod authorization;
pub mod custom_operation;
pub mod custom_type;
pub mod enum_type;
pub mod field;
pub mod index;
pub mod model;
pub mod names;
pub mod relationship;
pub mod validation;

use auth_rule::AuthRule;
use custom_operation::CustomOperation;
use custom_type::CustomType;
use enum_type::EnumType;
use model::Model;

/// Anything the schema declares by name.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaItem {
    /// A model.
    Model(Model),
    /// An enum.
    Enum(EnumType),
    /// A custom type.
    CustomType(CustomType),
    /// A custom query, mutation or subscription.
    Operation(CustomOperation),
}

impl From<Model> for SchemaItem {
    fn from(m: Model) -> Self {
        SchemaItem::Model(m)
    }
}
impl From<EnumType> for SchemaItem {
    fn from(e: EnumType) -> Self {
        SchemaItem::Enum(e)
    }
}
impl From<CustomType> for SchemaItem {
    fn from(c: CustomType) -> Self {
        SchemaItem::CustomType(c)
    }
}
impl From<CustomOperation> for SchemaItem {
    fn from(o: CustomOperation) -> Self {
        SchemaItem::Operation(o)
    }
}

/// A data schema: `a::schema! { ... }` (see [`a`](crate::data::a)). Items keep
/// their declaration order, which is the order of the generated types.
///
/// [`Schema::add`] adds an item to a schema built in steps:
///
/// ```
/// use amplify_backend::data::a;
///
/// let schema = a::schema([("Post", a::model([("title", a::string()), ("status", a::ref_("Status"))]))])
///     .add("Status", a::enum_type(["DRAFT", "PUBLISHED"]))
///     .authorization(|allow| [allow.public_api_key()]);
/// # let _ = schema;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub(crate) items: Vec<(String, SchemaItem)>,
    pub(crate) rules: Vec<AuthRule>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Schema::default()
    }

    /// Adds an item (a model, enum, custom type or custom operation).
    pub fn add(mut self, name: impl Into<String>, item: impl Into<SchemaItem>) -> Self {
        self.items.push((name.into(), item.into()));
        self
    }

    /// The items, in declaration order.
    pub fn items(&self) -> &[(String, SchemaItem)] {
        &self.items
    }

    /// The schema-level rules.
    pub fn rules(&self) -> &[AuthRule] {
        &self.rules
    }
}

/// `a::schema! { Name: item, ... }`: a [`Schema`] of models, enums, custom types
/// and custom operations, mixed, in order, as Amplify's `a.schema({ Name: item })`.
/// A name that is not a Rust identifier (a keyword) is written as a string:
/// `"type": a::model(...)`. See the [`a`](crate::data::a) module.
#[doc(hidden)]
#[macro_export]
macro_rules! __a_schema {
    ($($name:tt : $item:expr),* $(,)?) => {
        $crate::data::Schema::new() $(.add($crate::__a_schema_name!($name), $item))*
    };
}

/// The name of an `a::schema!` item: an identifier or a string literal.
#[doc(hidden)]
#[macro_export]
macro_rules! __a_schema_name {
    ($name:ident) => {
        stringify!($name)
    };
    ($name:literal) => {
        $name
    };
}
