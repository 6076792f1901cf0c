//! Resolved models and fields.

use super::rule::Rule;
use crate::data::naming::{self, ModelNames};
use crate::data::schema::field::{DefaultValue, Scalar};
use crate::data::schema::index::Projection;
use crate::data::schema::relationship::RelationshipKind;
use crate::data::schema::validation::ValidationRule;

/// What a field's values are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// A scalar.
    Scalar(Scalar),
    /// An enum, by GraphQL name.
    Enum(String),
    /// A custom type, by GraphQL name.
    CustomType(String),
    /// A model (relationship fields only).
    Model(String),
}

impl TypeRef {
    /// The GraphQL type name.
    pub fn graphql_name(&self) -> &str {
        match self {
            TypeRef::Scalar(s) => s.graphql_name(),
            TypeRef::Enum(n) | TypeRef::CustomType(n) | TypeRef::Model(n) => n,
        }
    }
}

/// Why a field exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldOrigin {
    /// Declared in the schema.
    Declared,
    /// The implicit `id` identifier.
    Id,
    /// The implicit `createdAt` / `updatedAt`.
    Timestamp,
    /// Added for an owner or group-field rule.
    AuthField,
}

/// A relationship, resolved against both models.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IrRelation {
    /// has_many, has_one or belongs_to.
    pub kind: RelationshipKind,
    /// The related model.
    pub related: String,
    /// The reference fields (on the related model for has_many/has_one, on this model
    /// for belongs_to).
    pub references: Vec<String>,
    /// The parent's identifier fields the references line up with (this model's for
    /// has_many/has_one, the related model's for belongs_to).
    pub parent_key: Vec<String>,
    /// For has_many/has_one: the index on the related model's table that finds the
    /// children (`gsi-Chat.messages`).
    pub index: Option<String>,
}

/// A resolved field.
#[derive(Clone, Debug, PartialEq)]
pub struct IrField {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Value required (`T!`).
    pub required: bool,
    /// A list.
    pub array: bool,
    /// The list itself required (`[T]!`).
    pub array_required: bool,
    /// The default the create mutation applies.
    pub default: Option<DefaultValue>,
    /// Field-level rules, when the field has its own.
    pub rules: Option<Vec<Rule>>,
    /// Why the field exists.
    pub origin: FieldOrigin,
    /// The relationship, for relationship fields.
    pub relation: Option<IrRelation>,
    /// What create and update check on its input value, in order.
    pub validations: Vec<ValidationRule>,
}

impl IrField {
    /// A plain field.
    pub fn new(name: &str, ty: TypeRef, origin: FieldOrigin) -> Self {
        IrField {
            name: name.to_string(),
            ty,
            required: false,
            array: false,
            array_required: false,
            default: None,
            rules: None,
            origin,
            relation: None,
            validations: Vec::new(),
        }
    }

    /// Whether it is a relationship field (not stored in the item).
    pub fn is_relationship(&self) -> bool {
        self.relation.is_some()
    }

    /// The scalar, if it is one.
    pub fn scalar(&self) -> Option<Scalar> {
        match self.ty {
            TypeRef::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The GraphQL type as written in an object type: `String!`, `[Int]`, ...
    pub fn graphql_type(&self) -> String {
        type_expression(self.ty.graphql_name(), self.required, self.array, self.array_required)
    }
}

/// `T`, `T!`, `[T]`, `[T!]!` ...
pub fn type_expression(name: &str, required: bool, array: bool, array_required: bool) -> String {
    let inner = if required { format!("{name}!") } else { name.to_string() };
    if array {
        if array_required {
            format!("[{inner}]!")
        } else {
            format!("[{inner}]")
        }
    } else {
        inner
    }
}

/// A table's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimaryKey {
    /// The partition key field.
    pub partition_key: String,
    /// The sort key fields (several are stored joined in one attribute).
    pub sort_keys: Vec<String>,
    /// Whether `.identifier(...)` named fields other than `["id"]`.
    pub custom: bool,
    /// Whether `.identifier(...)` was given at all.
    pub explicit: bool,
}

impl PrimaryKey {
    /// All key fields, partition key first.
    pub fn fields(&self) -> Vec<String> {
        std::iter::once(self.partition_key.clone()).chain(self.sort_keys.iter().cloned()).collect()
    }

    /// The attribute holding the sort key: the field itself, or `a#b` for several.
    pub fn sort_attribute(&self) -> Option<String> {
        match self.sort_keys.len() {
            0 => None,
            1 => Some(self.sort_keys[0].clone()),
            _ => Some(naming::composite_key_attribute(&self.sort_keys)),
        }
    }
}

/// A global secondary index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IrIndex {
    /// The DynamoDB index name.
    pub name: String,
    /// The partition key field.
    pub partition_key: String,
    /// The sort key fields.
    pub sort_keys: Vec<String>,
    /// The query field, for declared indexes.
    pub query_field: Option<String>,
    /// Whether a relationship made it (no query field, not in the introspection).
    pub for_relationship: bool,
    /// Which attributes it copies.
    pub projection: Projection,
}

impl IrIndex {
    /// The attribute holding the sort key, as for [`PrimaryKey::sort_attribute`].
    pub fn sort_attribute(&self) -> Option<String> {
        match self.sort_keys.len() {
            0 => None,
            1 => Some(self.sort_keys[0].clone()),
            _ => Some(naming::composite_key_attribute(&self.sort_keys)),
        }
    }
}

/// Which generated operations a model has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelOps {
    /// `get<Model>`.
    pub get: bool,
    /// `list<Models>` and index queries.
    pub list: bool,
    /// `create<Model>`.
    pub create: bool,
    /// `update<Model>`.
    pub update: bool,
    /// `delete<Model>`.
    pub delete: bool,
    /// `onCreate<Model>`.
    pub on_create: bool,
    /// `onUpdate<Model>`.
    pub on_update: bool,
    /// `onDelete<Model>`.
    pub on_delete: bool,
}

impl ModelOps {
    /// Every operation.
    pub const ALL: ModelOps = ModelOps {
        get: true,
        list: true,
        create: true,
        update: true,
        delete: true,
        on_create: true,
        on_update: true,
        on_delete: true,
    };

    /// Whether any mutation is left.
    pub fn any_mutation(&self) -> bool {
        self.create || self.update || self.delete
    }

    /// Whether any subscription is left.
    pub fn any_subscription(&self) -> bool {
        self.on_create || self.on_update || self.on_delete
    }
}

/// A resolved model.
#[derive(Clone, Debug, PartialEq)]
pub struct IrModel {
    /// Its name.
    pub name: String,
    /// The names generated from it.
    pub names: ModelNames,
    /// Declared fields in order, then `id`, `createdAt`, `updatedAt` and auth fields
    /// when implicit: the object type's order.
    pub fields: Vec<IrField>,
    /// The table key.
    pub key: PrimaryKey,
    /// Declared indexes, then relationship indexes.
    pub indexes: Vec<IrIndex>,
    /// The model's rules (its own, or the schema's).
    pub rules: Vec<Rule>,
    /// The operations it has.
    pub ops: ModelOps,
}

impl IrModel {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&IrField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Fields stored in the item (not relationships).
    pub fn stored_fields(&self) -> impl Iterator<Item = &IrField> {
        self.fields.iter().filter(|f| !f.is_relationship())
    }

    /// Whether `name` is part of the primary key.
    pub fn is_key_field(&self, name: &str) -> bool {
        self.key.partition_key == name || self.key.sort_keys.iter().any(|k| k == name)
    }

    /// Whether create generates the `id` key field when the input omits it: the
    /// implicit `id`, or a declared string `id` that is the whole default key. The
    /// create input makes `id` optional exactly then.
    pub fn generates_id(&self) -> bool {
        self.is_key_field("id")
            && self.field("id").is_some_and(|f| {
                f.origin == FieldOrigin::Id
                    || (!self.key.custom && matches!(f.scalar(), Some(Scalar::Id | Scalar::String)) && !f.array)
            })
    }
}
