//! Validation: checks a [`Schema`] against the backend and resolves it into an [`Ir`].
//! Every problem is collected (none stops the pass), each naming its model or type
//! and field and how to fix it.

mod collisions;
mod fields;
pub(crate) mod handler_code;
mod identifiers;
mod models;
mod modes;
mod operations;
mod relationships;
mod rules;

use std::collections::HashMap;

use super::auth_modes::{AuthorizationModes, DataContext};
use super::error::{DataError, DataErrors};
use super::ir::{Ir, IrCustomType, IrEnum};
use super::schema::custom_operation::OperationType;
use super::schema::{Schema, SchemaItem};

/// What kind of item a schema name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Model,
    Enum,
    CustomType,
    Operation(OperationType),
}

impl ItemKind {
    fn describe(self) -> &'static str {
        match self {
            ItemKind::Model => "a model",
            ItemKind::Enum => "an enum",
            ItemKind::CustomType => "a custom type",
            ItemKind::Operation(OperationType::Query) => "a custom query",
            ItemKind::Operation(OperationType::Mutation) => "a custom mutation",
            ItemKind::Operation(OperationType::Subscription) => "a custom subscription",
        }
    }
}

/// The schema's items by name (the first of duplicates).
pub(crate) struct Catalog<'s> {
    items: HashMap<&'s str, (ItemKind, &'s SchemaItem)>,
}

impl<'s> Catalog<'s> {
    fn new(schema: &'s Schema) -> Self {
        let mut items = HashMap::new();
        for (name, item) in &schema.items {
            let kind = match item {
                SchemaItem::Model(_) => ItemKind::Model,
                SchemaItem::Enum(_) => ItemKind::Enum,
                SchemaItem::CustomType(_) => ItemKind::CustomType,
                SchemaItem::Operation(op) => ItemKind::Operation(op.op_type),
            };
            items.entry(name.as_str()).or_insert((kind, item));
        }
        Catalog { items }
    }

    pub(crate) fn kind(&self, name: &str) -> Option<ItemKind> {
        self.items.get(name).map(|(k, _)| *k)
    }

    pub(crate) fn item(&self, name: &str) -> Option<&'s SchemaItem> {
        self.items.get(name).map(|(_, i)| *i)
    }
}

/// Collects errors.
#[derive(Default)]
pub(crate) struct Diagnostics {
    errors: Vec<DataError>,
}

impl Diagnostics {
    pub(crate) fn error(&mut self, path: impl Into<String>, message: impl Into<String>, fix: impl Into<String>) {
        self.error_with_code(crate::codes::DATA_SCHEMA, path, message, fix);
    }

    /// The errors collected.
    pub(crate) fn into_errors(self) -> Vec<DataError> {
        self.errors
    }

    pub(crate) fn error_with_code(
        &mut self,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.errors.push(DataError { path: path.into(), message: message.into(), fix: fix.into(), code });
    }
}

/// Enums and custom types declared in place, hoisted to named types.
#[derive(Default)]
pub(crate) struct Hoisted {
    pub(crate) enums: Vec<IrEnum>,
    pub(crate) custom_types: Vec<IrCustomType>,
}

/// Named data sources a custom handler may use (added with the data resource).
pub type DataSourceNames<'a> = &'a [String];

/// Checks `schema` and resolves it. `data_sources` are the names of data sources
/// added by name (HTTP endpoints, DynamoDB tables).
pub fn validate(
    schema: &Schema,
    modes: &AuthorizationModes,
    context: &DataContext,
    data_sources: DataSourceNames<'_>,
) -> Result<Ir, DataErrors> {
    validate_with_resolvers(schema, modes, context, data_sources, &[])
}

/// [`validate`], where the queries and mutations `added_resolvers` names
/// (`Query.search`) get their resolver from `add_resolver` and need no handler.
pub fn validate_with_resolvers(
    schema: &Schema,
    modes: &AuthorizationModes,
    context: &DataContext,
    data_sources: DataSourceNames<'_>,
    added_resolvers: &[String],
) -> Result<Ir, DataErrors> {
    let mut diag = Diagnostics::default();
    let catalog = Catalog::new(schema);
    identifiers::check_items(schema, &mut diag);
    let enabled = modes::resolve(modes, context, &mut diag);
    let mut hoisted = Hoisted::default();

    let rule_cx = rules::RuleContext { modes: &enabled, context };
    let schema_rules = rules::schema_rules(&schema.rules, &rule_cx, &mut diag);

    let mut enums = Vec::new();
    let mut custom_types = Vec::new();
    let mut models = Vec::new();
    let mut operations = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (name, item) in &schema.items {
        if !seen.insert(name.as_str()) {
            continue; // reported by identifiers::check_items
        }
        match item {
            SchemaItem::Enum(e) => enums.push(fields::resolve_enum(name, &e.values, &mut diag)),
            SchemaItem::CustomType(c) => {
                let mut fx = fields::FieldCx { catalog: &catalog, diag: &mut diag, hoisted: &mut hoisted };
                custom_types.push(fields::resolve_custom_type(&mut fx, name, &c.fields));
            }
            SchemaItem::Model(m) => {
                let mut fx = fields::FieldCx { catalog: &catalog, diag: &mut diag, hoisted: &mut hoisted };
                if let Some(model) = models::resolve(&mut fx, &rule_cx, name, m, &schema_rules.model_rules) {
                    models.push(model);
                }
            }
            SchemaItem::Operation(_) => {}
        }
    }
    relationships::resolve(&catalog, &mut models, &mut diag);
    for (name, item) in &schema.items {
        if let SchemaItem::Operation(op) = item {
            let mut fx = fields::FieldCx { catalog: &catalog, diag: &mut diag, hoisted: &mut hoisted };
            let cx = operations::OperationCx {
                rules: &rule_cx,
                schema_rules: &schema_rules.model_rules,
                data_sources,
                added_resolvers,
            };
            if let Some(op) = operations::resolve(&mut fx, &cx, name, op, &models) {
                operations.push(op);
            }
        }
    }
    enums.extend(hoisted.enums);
    custom_types.extend(hoisted.custom_types);
    operations::add_event_invocation_response(&operations, &mut custom_types, &mut diag);
    fields::mark_input_types(&models, &operations, &mut custom_types);

    let ir = Ir::new(models, enums, custom_types, operations, enabled, schema_rules.function_access);
    collisions::check(&ir, &mut diag);
    if diag.errors.is_empty() {
        Ok(ir)
    } else {
        Err(DataErrors(diag.errors))
    }
}
