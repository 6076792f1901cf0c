//! One conditional single-item write (Put, Update, Delete or a bare
//! ConditionCheck), shared by the item calls and TransactWriteItems: checked
//! when parsed, then applied to the item as stored.

use std::sync::Arc;

use serde_json::Value;

use super::request::{self, string};
use crate::dynamodb::error::DynamoError;
use crate::dynamodb::expr::ast::{Condition, Path, UpdateAction};
use crate::dynamodb::expr::eval::evaluate;
use crate::dynamodb::expr::names::Substitutions;
use crate::dynamodb::expr::parser::{parse_condition, parse_update, ExpressionKind};
use crate::dynamodb::expr::projection::project;
use crate::dynamodb::expr::update::apply;
use crate::dynamodb::storage::Writer;
use crate::dynamodb::store::Store;
use crate::dynamodb::table::TableDefinition;
use crate::dynamodb::value::{item_from_json, item_size, item_to_json, Item, MAX_ITEM_SIZE};

/// Which old or new attributes a write returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

/// What the write does to the item.
#[derive(Debug, Clone)]
pub enum Change {
    Put(Item),
    Update(Vec<UpdateAction>),
    Delete,
    Check,
}

/// A parsed, checked single-item write.
#[derive(Debug, Clone)]
pub struct Write {
    pub table: Arc<TableDefinition>,
    pub key: Vec<u8>,
    pub key_item: Item,
    pub change: Change,
    pub condition: Option<Condition>,
    pub return_values: ReturnValues,
    /// `ReturnValuesOnConditionCheckFailure: ALL_OLD`.
    pub old_on_failure: bool,
}

/// What applying a write to the stored item came to.
pub enum Outcome {
    /// The condition held; `new` is the item to store (`None`: delete it).
    Applied { old: Option<Item>, new: Option<Item> },
    /// The condition did not hold.
    ConditionFailed { old: Option<Item> },
}

/// The request shape a write comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    Put,
    Update,
    Delete,
    ConditionCheck,
}

fn return_values(request: &Value, allowed: &[(&str, ReturnValues)]) -> Result<ReturnValues, DynamoError> {
    match string(request, "ReturnValues")? {
        None => Ok(ReturnValues::None),
        Some(text) => allowed
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, value)| *value)
            .ok_or_else(|| DynamoError::validation("Return values set to invalid value")),
    }
}

impl Write {
    /// Parses and checks a write request (or a transaction item's body).
    pub fn parse(store: &Store, kind: WriteKind, request: &Value) -> Result<Write, DynamoError> {
        let table = request::table(store, request)?;
        let mut subs = Substitutions::from_request(request)?;
        let mut any_expression = false;
        let condition = match string(request, "ConditionExpression")? {
            Some(source) => {
                any_expression = true;
                Some(parse_condition(source, ExpressionKind::Condition, &mut subs)?)
            }
            None if kind == WriteKind::ConditionCheck => return Err(request::missing("conditionExpression")),
            None => None,
        };
        let (key, key_item, change, return_values) = match kind {
            WriteKind::Put => {
                let item = item_from_json(request.get("Item").ok_or_else(|| request::missing("item"))?)?;
                let key = request::item_keys(&table, &item)?;
                if item_size(&item) > MAX_ITEM_SIZE {
                    return Err(DynamoError::validation("Item size has exceeded the maximum allowed size"));
                }
                table.check_index_keys(&item)?;
                let rv = return_values(request, &[("NONE", ReturnValues::None), ("ALL_OLD", ReturnValues::AllOld)])?;
                let key_item = request::key_of(&table, &item);
                (key, key_item, Change::Put(item), rv)
            }
            WriteKind::Update => {
                let (key, key_item) = request::key(&table, request.get("Key"))?;
                let actions = match string(request, "UpdateExpression")? {
                    Some(source) => {
                        any_expression = true;
                        parse_update(source, &mut subs)?
                    }
                    None => Vec::new(),
                };
                if let Some(action) = actions.iter().find(|a| table.key.contains(a.path().root())) {
                    return Err(DynamoError::validation(format!(
                        "One or more parameter values were invalid: Cannot update attribute {}. This attribute is part of the key",
                        action.path().root()
                    )));
                }
                let rv = return_values(
                    request,
                    &[
                        ("NONE", ReturnValues::None),
                        ("ALL_OLD", ReturnValues::AllOld),
                        ("UPDATED_OLD", ReturnValues::UpdatedOld),
                        ("ALL_NEW", ReturnValues::AllNew),
                        ("UPDATED_NEW", ReturnValues::UpdatedNew),
                    ],
                )?;
                (key, key_item, Change::Update(actions), rv)
            }
            WriteKind::Delete => {
                let (key, key_item) = request::key(&table, request.get("Key"))?;
                let rv = return_values(request, &[("NONE", ReturnValues::None), ("ALL_OLD", ReturnValues::AllOld)])?;
                (key, key_item, Change::Delete, rv)
            }
            WriteKind::ConditionCheck => {
                let (key, key_item) = request::key(&table, request.get("Key"))?;
                (key, key_item, Change::Check, ReturnValues::None)
            }
        };
        subs.check_all_used(any_expression)?;
        let old_on_failure = match string(request, "ReturnValuesOnConditionCheckFailure")? {
            None | Some("NONE") => false,
            Some("ALL_OLD") => true,
            Some(other) => {
                return Err(DynamoError::validation(format!(
                    "1 validation error detected: Value '{other}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"
                )))
            }
        };
        Ok(Write { table, key, key_item, change, condition, return_values, old_on_failure })
    }

    /// Works out the write against the stored item `old`, without storing anything.
    pub fn evaluate(&self, old: Option<Item>) -> Result<Outcome, DynamoError> {
        if let Some(condition) = &self.condition {
            if !evaluate(condition, old.as_ref().unwrap_or(&Item::new())) {
                return Ok(Outcome::ConditionFailed { old });
            }
        }
        let new = match &self.change {
            Change::Put(item) => Some(item.clone()),
            Change::Delete => None,
            Change::Check => old.clone(),
            Change::Update(actions) => {
                let mut item = old.clone().unwrap_or_else(|| self.key_item.clone());
                apply(actions, &mut item)?;
                if item_size(&item) > MAX_ITEM_SIZE {
                    return Err(DynamoError::validation("Item size to update has exceeded the maximum allowed size"));
                }
                self.table.check_index_keys(&item)?;
                Some(item)
            }
        };
        Ok(Outcome::Applied { old, new })
    }

    /// Stores the outcome of [`Write::evaluate`].
    pub fn store(&self, writer: &Writer, old: Option<&Item>, new: Option<&Item>) -> Result<(), DynamoError> {
        match (&self.change, new) {
            (Change::Check, _) => Ok(()),
            (_, Some(new)) => writer.put(&self.table, &self.key, new, old),
            (_, None) => match old {
                Some(old) => writer.delete(&self.table, &self.key, old),
                None => Ok(()),
            },
        }
    }

    /// The error for a failed condition, with the old item when it was asked for.
    pub fn condition_failed(&self, old: Option<&Item>) -> DynamoError {
        DynamoError::condition_failed(old.filter(|_| self.old_on_failure).map(item_to_json))
    }

    /// The `Attributes` to return, if any.
    pub fn returned(&self, old: Option<&Item>, new: Option<&Item>) -> Option<Value> {
        let paths = |include_removed: bool| -> Vec<Path> {
            match &self.change {
                Change::Update(actions) => actions
                    .iter()
                    .filter(|a| include_removed || !matches!(a, UpdateAction::Remove(_)))
                    .map(|a| a.path().clone())
                    .collect(),
                _ => Vec::new(),
            }
        };
        let attributes = match self.return_values {
            ReturnValues::None => None,
            ReturnValues::AllOld => old.cloned(),
            ReturnValues::AllNew => new.cloned(),
            ReturnValues::UpdatedOld => old.map(|o| project(o, &paths(true))),
            ReturnValues::UpdatedNew => new.map(|n| project(n, &paths(false))),
        };
        attributes.filter(|a| !a.is_empty()).map(|a| item_to_json(&a))
    }
}

/// Runs one write in its own durable transaction and answers like the item calls.
pub fn run_single(store: &Store, kind: WriteKind, request: &Value) -> Result<Value, DynamoError> {
    let write = Write::parse(store, kind, request)?;
    let writer = store.storage().write()?;
    let old = writer.get(&write.table, &write.key)?;
    match write.evaluate(old)? {
        Outcome::ConditionFailed { old } => Err(write.condition_failed(old.as_ref())),
        Outcome::Applied { old, new } => {
            write.store(&writer, old.as_ref(), new.as_ref())?;
            writer.commit()?;
            let mut response = serde_json::json!({});
            if let Some(attributes) = write.returned(old.as_ref(), new.as_ref()) {
                response["Attributes"] = attributes;
            }
            Ok(response)
        }
    }
}
