//! BatchGetItem and BatchWriteItem. Everything is processed in one go, so
//! UnprocessedKeys and UnprocessedItems are always empty.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::read::apply_projection;
use super::request::{self, boolean, string};
use crate::dynamodb::error::DynamoError;
use crate::dynamodb::expr::names::Substitutions;
use crate::dynamodb::expr::parser::parse_projection;
use crate::dynamodb::store::Store;
use crate::dynamodb::value::{item_from_json, item_size, item_to_json, MAX_ITEM_SIZE};

fn request_items(request: &Value) -> Result<&Map<String, Value>, DynamoError> {
    let items = request.get("RequestItems").ok_or_else(|| request::missing("requestItems"))?;
    let items = items
        .as_object()
        .ok_or_else(|| DynamoError::new("SerializationException", "RequestItems must be an object"))?;
    if items.is_empty() {
        return Err(DynamoError::validation(
            "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    Ok(items)
}

fn duplicates() -> DynamoError {
    DynamoError::validation("Provided list of item keys contains duplicates")
}

/// BatchGetItem.
pub fn batch_get_item(store: &Store, request: &Value) -> Result<Value, DynamoError> {
    let tables = request_items(request)?;
    let mut plans = Vec::new();
    let mut total = 0;
    for (name, entry) in tables {
        let table = request::table_named(store, name)?;
        let mut subs = Substitutions::from_request(entry)?;
        let projection = string(entry, "ProjectionExpression")?.map(|p| parse_projection(p, &mut subs)).transpose()?;
        subs.check_all_used(projection.is_some())?;
        boolean(entry, "ConsistentRead")?;
        let keys = request::list(entry, "Keys", "keys")?;
        if keys.is_empty() {
            return Err(DynamoError::validation(
                "1 validation error detected: Value '[]' at 'requestItems.keys' failed to satisfy constraint: Member must have length greater than or equal to 1",
            ));
        }
        total += keys.len();
        let mut seen = BTreeSet::new();
        let mut parsed = Vec::new();
        for key in keys {
            let (bytes, _) = request::key(&table, Some(key))?;
            if !seen.insert(bytes.clone()) {
                return Err(duplicates());
            }
            parsed.push(bytes);
        }
        plans.push((table, projection, parsed));
    }
    if total > 100 {
        return Err(DynamoError::validation("Too many items requested for the BatchGetItem call"));
    }
    let reader = store.storage().read()?;
    let mut responses = Map::new();
    for (table, projection, keys) in plans {
        let mut found = Vec::new();
        for key in keys {
            if let Some(item) = reader.get(&table, &key)? {
                found.push(item_to_json(&apply_projection(&item, projection.as_deref())));
            }
        }
        responses.insert(table.name.clone(), Value::Array(found));
    }
    Ok(json!({ "Responses": responses, "UnprocessedKeys": {} }))
}

/// BatchWriteItem: every put and delete, atomically in one durable commit.
pub fn batch_write_item(store: &Store, request: &Value) -> Result<Value, DynamoError> {
    let tables = request_items(request)?;
    let mut writes = Vec::new();
    for (name, entries) in tables {
        let table = request::table_named(store, name)?;
        let entries = entries
            .as_array()
            .ok_or_else(|| DynamoError::new("SerializationException", "each table's requests must be a list"))?;
        let mut seen = BTreeSet::new();
        for entry in entries {
            let (key, item) = match (entry.get("PutRequest"), entry.get("DeleteRequest")) {
                (Some(put), None) => {
                    let item = item_from_json(put.get("Item").ok_or_else(|| request::missing("item"))?)?;
                    let key = request::item_keys(&table, &item)?;
                    if item_size(&item) > MAX_ITEM_SIZE {
                        return Err(DynamoError::validation("Item size has exceeded the maximum allowed size"));
                    }
                    table.check_index_keys(&item)?;
                    (key, Some(item))
                }
                (None, Some(delete)) => (request::key(&table, delete.get("Key"))?.0, None),
                _ => {
                    return Err(DynamoError::validation(
                        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                    ))
                }
            };
            if !seen.insert(key.clone()) {
                return Err(duplicates());
            }
            writes.push((table.clone(), key, item));
        }
    }
    if writes.len() > 25 {
        return Err(DynamoError::validation("Too many items requested for the BatchWriteItem call"));
    }
    let writer = store.storage().write()?;
    for (table, key, item) in &writes {
        let old = writer.get(table, key)?;
        match item {
            Some(item) => writer.put(table, key, item, old.as_ref())?,
            None => {
                if let Some(old) = old {
                    writer.delete(table, key, &old)?;
                }
            }
        }
    }
    writer.commit()?;
    Ok(json!({ "UnprocessedItems": {} }))
}
