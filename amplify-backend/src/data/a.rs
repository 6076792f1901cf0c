//! `a`: the schema builder, named and shaped after Amplify's `a` so a schema reads
//! the same in Rust:
//!
//! ```
//! use amplify_backend::data::{a, Authorization};
//!
//! let schema = a::schema([
//!     ("Chat", a::model([("name", a::string()), ("messages", a::has_many("Message", "chatId"))])),
//!     ("Message", a::model([
//!         ("text", a::string()),
//!         ("chatId", a::id()),
//!         ("chat", a::belongs_to("Chat", "chatId")),
//!     ])),
//! ])
//! .authorization(|allow| [allow.owner()]);
//! # let _ = schema;
//! ```
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

/// A schema from named items, in order (see [`Schema::add`] to mix kinds).
pub fn schema<N, I>(items: impl IntoIterator<Item = (N, I)>) -> Schema
where
    N: Into<String>,
    I: Into<SchemaItem>,
{
    Schema { items: items.into_iter().map(|(n, i)| (n.into(), i.into())).collect(), rules: Vec::new() }
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

    use crate::data::schema::custom_operation::{Handler, JsCode};

    /// The Lambda function `name` (its `define_function` name) runs the operation. It
    /// receives `{typeName, fieldName, arguments, identity, source, request, prev}`.
    pub fn function(name: impl Into<String>) -> Handler {
        Handler::Function(name.into())
    }

    /// An APPSYNC_JS file (exporting `request` and `response`) runs the operation, on
    /// the `NONE` data source unless `.data_source(...)` names one.
    pub fn custom(entry: impl Into<PathBuf>) -> Handler {
        Handler::Custom { code: JsCode::File(entry.into()), data_source: None }
    }

    /// Like [`custom`], with the code itself (say from `include_str!`).
    pub fn custom_inline(code: impl Into<String>) -> Handler {
        Handler::Custom { code: JsCode::Inline(code.into()), data_source: None }
    }
}
