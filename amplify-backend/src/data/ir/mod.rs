//! The resolved schema: what validation produces and every generator (SDL, model
//! introspection, resolvers, tables) reads. Names are checked, references resolved,
//! implicit fields (id, timestamps, owner fields) added and rules normalized, so the
//! generators need no error handling of their own.

mod model;
mod operation;
mod rule;

pub use model::{type_expression, FieldOrigin, IrField, IrIndex, IrModel, IrRelation, ModelOps, PrimaryKey, TypeRef};
pub use operation::{IrDataSource, IrHandler, IrOperation};
pub use rule::{FunctionAccess, Rule, RuleKind};

use super::auth_modes::EnabledModes;

/// An enum, declared or hoisted from an inline field.
#[derive(Clone, Debug, PartialEq)]
pub struct IrEnum {
    /// The GraphQL name.
    pub name: String,
    /// The values.
    pub values: Vec<String>,
}

/// A custom type, declared or hoisted from an inline field or return type.
#[derive(Clone, Debug, PartialEq)]
pub struct IrCustomType {
    /// The GraphQL name.
    pub name: String,
    /// The fields.
    pub fields: Vec<IrField>,
    /// Whether a model field or an operation argument uses it, so it needs an input type.
    pub used_as_input: bool,
}

impl IrCustomType {
    /// `LocationInput`: the input type mirroring it.
    pub fn input_name(&self) -> String {
        format!("{}Input", self.name)
    }
}

/// A validated schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Ir {
    /// Models, in declaration order.
    pub models: Vec<IrModel>,
    /// Enums, declared ones first, then hoisted ones.
    pub enums: Vec<IrEnum>,
    /// Custom types, declared ones first, then hoisted ones.
    pub custom_types: Vec<IrCustomType>,
    /// Custom queries, mutations and subscriptions.
    pub operations: Vec<IrOperation>,
    /// The authorization modes.
    pub modes: EnabledModes,
    /// Functions given access with `allow.resource(...)`.
    pub function_access: Vec<FunctionAccess>,
}

impl Ir {
    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&IrModel> {
        self.models.iter().find(|m| m.name == name)
    }

    /// The custom type called `name`.
    pub fn custom_type(&self, name: &str) -> Option<&IrCustomType> {
        self.custom_types.iter().find(|c| c.name == name)
    }
}
