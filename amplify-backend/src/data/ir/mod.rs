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

use std::collections::HashMap;

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

/// A validated schema. Built with [`Ir::new`], which indexes the models by name.
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
    /// Model name -> position in `models`. The generators look a model up per
    /// relationship and rule, so a linear search would make large schemas quadratic.
    model_index: HashMap<String, usize>,
}

impl Ir {
    /// A schema of these parts, with its models indexed by name.
    pub fn new(
        models: Vec<IrModel>,
        enums: Vec<IrEnum>,
        custom_types: Vec<IrCustomType>,
        operations: Vec<IrOperation>,
        modes: EnabledModes,
        function_access: Vec<FunctionAccess>,
    ) -> Self {
        let mut model_index = HashMap::with_capacity(models.len());
        for (i, m) in models.iter().enumerate() {
            // The first of two same-named models wins, as a search in order would.
            model_index.entry(m.name.clone()).or_insert(i);
        }
        Ir { models, enums, custom_types, operations, modes, function_access, model_index }
    }

    /// The model called `name`.
    pub fn model(&self, name: &str) -> Option<&IrModel> {
        let &i = self.model_index.get(name)?;
        match self.models.get(i) {
            Some(m) if m.name == name => Some(m),
            // `models` is public: if it changed since `new`, search it instead.
            _ => self.models.iter().find(|m| m.name == name),
        }
    }

    /// The custom type called `name`.
    pub fn custom_type(&self, name: &str) -> Option<&IrCustomType> {
        self.custom_types.iter().find(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use crate::data::auth_modes::{AuthorizationModes, DataContext};
    use crate::data::validate::validate;
    use crate::data::{a, Authorization};

    fn chat_ir() -> super::Ir {
        let schema = a::schema([
            ("Chat", a::model([("name", a::string())]).authorization(|allow| [allow.owner()])),
            ("Message", a::model([("text", a::string())]).authorization(|allow| [allow.owner()])),
        ]);
        match validate(&schema, &AuthorizationModes::user_pool(), &DataContext::with_auth(), &[]) {
            Ok(ir) => ir,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn models_are_found_by_name() {
        let ir = chat_ir();
        assert_eq!(ir.model("Message").map(|m| m.name.as_str()), Some("Message"));
        assert_eq!(ir.model("Chat").map(|m| m.name.as_str()), Some("Chat"));
        assert!(ir.model("Comment").is_none());
    }

    #[test]
    fn reordered_models_are_still_found() {
        // `models` is public: a caller may reorder it after validation.
        let mut ir = chat_ir();
        ir.models.reverse();
        assert_eq!(ir.model("Chat").map(|m| m.name.as_str()), Some("Chat"));
        assert_eq!(ir.model("Message").map(|m| m.name.as_str()), Some("Message"));
    }
}
