//! TransactGetItems and TransactWriteItems: all items read from one snapshot,
//! or all writes applied in one durable commit, or none.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::read::apply_projection;
use super::request::{self, string};
use super::write::{Outcome, Write, WriteKind};
use crate::dynamodb::error::DynamoError;
use crate::dynamodb::expr::names::Substitutions;
use crate::dynamodb::expr::parser::parse_projection;
use crate::dynamodb::store::Store;
use crate::dynamodb::value::{item_to_json, Item};

fn transact_items(request: &Value) -> Result<&Vec<Value>, DynamoError> {
    let items = request::list(request, "TransactItems", "transactItems")?;
    if items.is_empty() || items.len() > 100 {
        return Err(DynamoError::validation(format!(
            "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100 and greater than or equal to 1; it has {}",
            items.len()
        )));
    }
    Ok(items)
}

/// TransactGetItems.
pub fn transact_get_items(store: &Store, request: &Value) -> Result<Value, DynamoError> {
    let mut plans = Vec::new();
    for entry in transact_items(request)? {
        let get = entry.get("Get").ok_or_else(|| request::missing("transactItems.get"))?;
        let table = request::table(store, get)?;
        let mut subs = Substitutions::from_request(get)?;
        let projection = string(get, "ProjectionExpression")?.map(|p| parse_projection(p, &mut subs)).transpose()?;
        subs.check_all_used(projection.is_some())?;
        let (key, _) = request::key(&table, get.get("Key"))?;
        plans.push((table, key, projection));
    }
    let reader = store.storage().read()?;
    let mut responses = Vec::new();
    for (table, key, projection) in plans {
        responses.push(match reader.get(&table, &key)? {
            Some(item) => json!({ "Item": item_to_json(&apply_projection(&item, projection.as_deref())) }),
            None => json!({}),
        });
    }
    Ok(json!({ "Responses": responses }))
}

/// TransactWriteItems.
pub fn transact_write_items(store: &Store, request: &Value) -> Result<Value, DynamoError> {
    let mut writes = Vec::new();
    let mut targets = BTreeSet::new();
    for entry in transact_items(request)? {
        let kinds = [
            ("ConditionCheck", WriteKind::ConditionCheck),
            ("Put", WriteKind::Put),
            ("Update", WriteKind::Update),
            ("Delete", WriteKind::Delete),
        ];
        let mut present = kinds.iter().filter_map(|(name, kind)| entry.get(*name).map(|body| (*kind, body)));
        let (Some((kind, body)), None) = (present.next(), present.next()) else {
            return Err(DynamoError::validation("TransactItems can only contain one of Check, Put, Update or Delete"));
        };
        let write = Write::parse(store, kind, body)?;
        if !targets.insert((write.table.name.clone(), write.key.clone())) {
            return Err(DynamoError::validation("Transaction request cannot include multiple operations on one item"));
        }
        writes.push(write);
    }
    let writer = store.storage().write()?;
    let mut outcomes: Vec<(Option<Item>, Option<Item>)> = Vec::new();
    let mut reasons = Vec::new();
    let mut cancelled = false;
    for write in &writes {
        let old = writer.get(&write.table, &write.key)?;
        match write.evaluate(old) {
            Ok(Outcome::Applied { old, new }) => {
                reasons.push(json!({ "Code": "None" }));
                outcomes.push((old, new));
            }
            Ok(Outcome::ConditionFailed { old }) => {
                cancelled = true;
                let mut reason =
                    json!({ "Code": "ConditionalCheckFailed", "Message": "The conditional request failed" });
                if let Some(old) = old.as_ref().filter(|_| write.old_on_failure) {
                    reason["Item"] = item_to_json(old);
                }
                reasons.push(reason);
                outcomes.push((None, None));
            }
            Err(error) => {
                cancelled = true;
                reasons.push(json!({ "Code": "ValidationError", "Message": error.message }));
                outcomes.push((None, None));
            }
        }
    }
    if cancelled {
        // Dropping the writer without committing discards the transaction.
        let codes: Vec<&str> = reasons.iter().map(|r| r["Code"].as_str().unwrap_or("None")).collect();
        let mut error = DynamoError::new(
            "TransactionCanceledException",
            format!(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
                codes.join(", ")
            ),
        );
        error.cancellation_reasons = Some(Value::Array(reasons));
        return Err(error);
    }
    for (write, (old, new)) in writes.iter().zip(&outcomes) {
        write.store(&writer, old.as_ref(), new.as_ref())?;
    }
    writer.commit()?;
    Ok(json!({}))
}
