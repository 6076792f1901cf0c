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

/// A data schema: `a::schema([...])`. Items keep their declaration order, which is
/// the order of the generated types.
///
/// A Rust array holds one type, so `a::schema([...])` takes models (or any one kind);
/// [`Schema::add`] adds items of the other kinds:
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
