//! `a`: the schema builder, named and shaped after Amplify's `a` so a schema reads
//! the same in Rust. [`a::schema!`](crate::data::a::schema!) takes models, enums,
//! custom types and custom operations by name, as `a.schema({...})` does:
//!
//! ```
//! use amplify_backend::data::a;
//! use amplify_backend::function::{define_function, FunctionProps};
//!
//! let say_hello = define_function(FunctionProps { name: "say-hello".into(), ..Default::default() });
//! let schema = a::schema! {
//!     Status: a::enum_type(["OPEN", "CLOSED"]),
//!     Location: a::custom_type([("lat", a::float()), ("long", a::float())]),
//!     Chat: a::model([
//!         ("name", a::string()),
//!         ("status", a::ref_("Status")),
//!         ("messages", a::has_many("Message", "chatId")),
//!     ]),
//!     Message: a::model([
//!         ("text", a::string()),
//!         ("place", a::ref_("Location")),
//!         ("chatId", a::id()),
//!         ("chat", a::belongs_to("Chat", "chatId")),
//!     ]),
//!     sayHello: a::query()
//!         .arguments([("name", a::string())])
//!         .returns(a::string())
//!         .handler(a::handler::function(&say_hello)),
//! }
//! .authorization(|allow| [allow.owner()]);
//! assert_eq!(schema.items().len(), 5);
//! ```
//!
//! The function form, `a::schema([("Chat", a::model(...)), ...])`, takes a list
//! of one kind (a Rust array holds one type).
//!
//! Rust keywords get a trailing underscore: `a::ref_`, and `.for_` on subscriptions;
//! `a.enum` is `a::enum_type`.

use super::schema::custom_operation::{CustomOperation, OperationType};
use super::schema::custom_type::CustomType;
use super::schema::enum_type::EnumType;
use super::schema::field::{Field, FieldKind, Scalar};
use super::schema::model::Model;
use super::schema::names::IntoNames;
use super::schema::relationship::{Relationship, RelationshipKind};
use super::schema::{Schema, SchemaItem};

/// A schema from named items of one kind, in order. For a mix of models, enums,
/// custom types and custom operations, use [`schema!`](crate::data::a::schema!).
pub fn schema<N, I>(items: impl IntoIterator<Item = (N, I)>) -> Schema
where
    N: Into<String>,
    I: Into<SchemaItem>,
{
    Schema { items: items.into_iter().map(|(n, i)| (n.into(), i.into())).collect(), rules: Vec::new() }
}

#[doc(inline)]
pub use crate::__a_schema as schema;

/// One schema from several (Amplify's `a.combine([...])`, for example a schema
/// per team or per data source): the items of each, in order, each schema's
/// `.authorization(...)` applying to its own models and custom operations that
/// have no rules of their own, and `allow.resource(...)` grants to the whole API.
/// A name declared by two schemas is a validation error naming it; items of one
/// schema may refer to items of another.
///
/// ```
/// use amplify_backend::data::a;
///
/// let blog = a::schema([("Post", a::model([("title", a::string())]))]).authorization(|allow| [allow.public_api_key()]);
/// let shop = a::schema([("Order", a::model([("total", a::float())]))]).authorization(|allow| [allow.owner()]);
/// let schema = a::combine([blog, shop]);
/// assert_eq!(schema.items().len(), 2);
/// ```
pub fn combine(schemas: impl IntoIterator<Item = Schema>) -> Schema {
    use super::schema::auth_rule::Strategy;
    let mut out = Schema { items: Vec::new(), rules: Vec::new() };
    for schema in schemas {
        let (access, rules): (Vec<_>, Vec<_>) =
            schema.rules.into_iter().partition(|r| matches!(r.strategy(), Strategy::Resource(_)));
        out.rules.extend(access);
        // Custom operations take a schema's rules except item-level ones, as in one schema.
        let operation_rules: Vec<_> = rules
            .iter()
            .filter(|r| !matches!(r.strategy(), Strategy::Owner { .. } | Strategy::GroupsDefinedIn { .. }))
            .cloned()
            .collect();
        for (name, mut item) in schema.items {
            match &mut item {
                SchemaItem::Model(m) if m.rules.is_empty() => m.rules = rules.clone(),
                SchemaItem::Operation(op) if op.rules.is_empty() => op.rules = operation_rules.clone(),
                _ => {}
            }
            out.items.push((name, item));
        }
    }
    out
}

/// A model from named fields, in order.
pub fn model<N: Into<String>>(fields: impl IntoIterator<Item = (N, Field)>) -> Model {
    Model::new(fields.into_iter().map(|(n, f)| (n.into(), f)).collect())
}

/// A custom type from named fields. As a field of a model it is declared in place.
pub fn custom_type<N: Into<String>>(fields: impl IntoIterator<Item = (N, Field)>) -> CustomType {
    CustomType { fields: fields.into_iter().map(|(n, f)| (n.into(), f)).collect() }
}

/// A custom type declared in place, as a field (named `<Type><Field>`).
pub fn inline_custom_type<N: Into<String>>(fields: impl IntoIterator<Item = (N, Field)>) -> Field {
    Field::new(FieldKind::InlineCustomType(fields.into_iter().map(|(n, f)| (n.into(), f)).collect()))
}

/// An enum from its values.
pub fn enum_type<S: Into<String>>(values: impl IntoIterator<Item = S>) -> EnumType {
    EnumType { values: values.into_iter().map(Into::into).collect() }
}

/// An enum declared in place, as a field (named `<Type><Field>`).
pub fn inline_enum<S: Into<String>>(values: impl IntoIterator<Item = S>) -> Field {
    Field::new(FieldKind::InlineEnum(values.into_iter().map(Into::into).collect()))
}

/// A reference to an enum, custom type (or, as a return type or data source, a model
/// or custom mutation) declared in the schema.
pub fn ref_(name: impl Into<String>) -> Field {
    Field::new(FieldKind::Ref(name.into()))
}

fn relationship(kind: RelationshipKind, related: &str, references: impl IntoNames) -> Field {
    Field::new(FieldKind::Relationship(Relationship {
        kind,
        related_model: related.to_string(),
        references: references.into_names(),
    }))
}

/// A list of `related` models whose `references` fields hold this model's identifier.
pub fn has_many(related: &str, references: impl IntoNames) -> Field {
    relationship(RelationshipKind::HasMany, related, references)
}

/// One `related` model whose `references` fields hold this model's identifier.
pub fn has_one(related: &str, references: impl IntoNames) -> Field {
    relationship(RelationshipKind::HasOne, related, references)
}

/// The `related` model whose identifier this model holds in `references`.
pub fn belongs_to(related: &str, references: impl IntoNames) -> Field {
    relationship(RelationshipKind::BelongsTo, related, references)
}

macro_rules! scalar_builders {
    ($($(#[$doc:meta])* $name:ident => $scalar:ident;)*) => {
        $($(#[$doc])* pub fn $name() -> Field { Field::new(FieldKind::Scalar(Scalar::$scalar)) })*
    };
}

scalar_builders! {
    /// `ID`.
    id => Id;
    /// `String`.
    string => String;
    /// `Int`.
    integer => Integer;
    /// `Float`.
    float => Float;
    /// `Boolean`.
    boolean => Boolean;
    /// `AWSDate`.
    date => Date;
    /// `AWSTime`.
    time => Time;
    /// `AWSDateTime`.
    datetime => DateTime;
    /// `AWSTimestamp`.
    timestamp => Timestamp;
    /// `AWSEmail`.
    email => Email;
    /// `AWSJSON`.
    json => Json;
    /// `AWSPhone`.
    phone => Phone;
    /// `AWSURL`.
    url => Url;
    /// `AWSIPAddress`.
    ip_address => IpAddress;
}

/// A custom query.
pub fn query() -> CustomOperation {
    CustomOperation::new(OperationType::Query)
}

/// A custom mutation.
pub fn mutation() -> CustomOperation {
    CustomOperation::new(OperationType::Mutation)
}

/// A custom subscription; say what it listens to with `.for_(...)`.
pub fn subscription() -> CustomOperation {
    CustomOperation::new(OperationType::Subscription)
}

/// Handlers for custom operations.
pub mod handler {
    use std::path::PathBuf;

    use crate::data::schema::custom_operation::{DataSourceRef, Handler, JsCode};
    use crate::function::FunctionRef;

    /// The Lambda `function` runs the operation: its definition (`&say_hello`, as
    /// in Amplify's `a.handler.function(sayHello)`) or its `define_function`
    /// name. It receives `{typeName, fieldName, arguments, identity, source,
    /// request, prev}`.
    pub fn function(function: impl FunctionRef) -> Handler {
        Handler::Function(function.function_name())
    }

    /// An APPSYNC_JS file (exporting `request` and `response`) runs the operation:
    /// `custom(entry)` on the `NONE` data source, or `custom((data_source, entry))`
    /// on a model's table (`a::ref_("Post")`) or a data source added by name, as
    /// Amplify's `a.handler.custom({ dataSource, entry })`. Write the path with
    /// [`entry!`](crate::entry!) to resolve it against the declaring file.
    pub fn custom(entry: impl CustomEntry) -> Handler {
        let (data_source, path) = entry.into_parts();
        Handler::Custom { code: JsCode::File(path), data_source }
    }

    /// What [`custom`] takes: a path, or `(data source, path)`.
    pub trait CustomEntry {
        /// The data source, if named, and the file.
        fn into_parts(self) -> (Option<DataSourceRef>, PathBuf);
    }

    macro_rules! path_entries {
        ($($t:ty),*) => {$(
            impl CustomEntry for $t {
                fn into_parts(self) -> (Option<DataSourceRef>, PathBuf) {
                    (None, self.into())
                }
            }
        )*};
    }
    path_entries!(&str, String, PathBuf, &std::path::Path, &PathBuf);

    impl<S: Into<DataSourceRef>, P: Into<PathBuf>> CustomEntry for (S, P) {
        fn into_parts(self) -> (Option<DataSourceRef>, PathBuf) {
            (Some(self.0.into()), self.1.into())
        }
    }

    /// Like [`custom`], with the code itself (say from `include_str!`).
    pub fn custom_inline(code: impl Into<String>) -> Handler {
        Handler::Custom { code: JsCode::Inline(code.into()), data_source: None }
    }
}
