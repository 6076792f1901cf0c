//! Reading request parameters, with DynamoDB's errors for missing or
//! ill-typed ones, and checking keys against a table's schema.

use std::sync::Arc;

use serde_json::Value;

use crate::dynamodb::error::DynamoError;
use crate::dynamodb::storage::item_key;
use crate::dynamodb::store::Store;
use crate::dynamodb::table::{is_empty_key, KeySchema, TableDefinition};
use crate::dynamodb::value::{item_from_json, AttributeValue, Item};

/// DynamoDB's error for a required parameter left out (`field` in lowerCamelCase).
pub fn missing(field: &str) -> DynamoError {
    DynamoError::validation(format!(
        "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
    ))
}

/// An optional string parameter.
pub fn string<'a>(request: &'a Value, name: &str) -> Result<Option<&'a str>, DynamoError> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(DynamoError::new("SerializationException", format!("{name} must be a string"))),
    }
}

/// An optional boolean parameter.
pub fn boolean(request: &Value, name: &str) -> Result<Option<bool>, DynamoError> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(DynamoError::new("SerializationException", format!("{name} must be a boolean"))),
    }
}

/// The table a request names (`TableName`), which must exist.
pub fn table(store: &Store, request: &Value) -> Result<Arc<TableDefinition>, DynamoError> {
    let name = string(request, "TableName")?.ok_or_else(|| missing("tableName"))?;
    table_named(store, name)
}

/// The table called `name`, which must exist.
pub fn table_named(store: &Store, name: &str) -> Result<Arc<TableDefinition>, DynamoError> {
    store.table(name).ok_or_else(DynamoError::not_found)
}

fn key_mismatch() -> DynamoError {
    DynamoError::validation("The provided key element does not match the schema")
}

fn empty_key(name: &str) -> DynamoError {
    DynamoError::validation(format!(
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {name}"
    ))
}

/// Checks the key sizes DynamoDB allows.
fn check_key_sizes(schema: &KeySchema, item: &Item) -> Result<(), DynamoError> {
    if item.get(&schema.partition.name).is_some_and(|v| v.size() > 2048) {
        return Err(DynamoError::validation(
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
        ));
    }
    if let Some(sort) = &schema.sort {
        if item.get(&sort.name).is_some_and(|v| v.size() > 1024) {
            return Err(DynamoError::validation(
                "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
            ));
        }
    }
    Ok(())
}

/// A `Key` parameter: exactly the table's key attributes, of their types.
/// Returns the storage key and the key as an item.
pub fn key(table: &TableDefinition, json: Option<&Value>) -> Result<(Vec<u8>, Item), DynamoError> {
    let json = json.ok_or_else(|| missing("key"))?;
    let key = item_from_json(json)?;
    let expected = table.key.attributes().count();
    if key.len() != expected {
        return Err(key_mismatch());
    }
    for attribute in table.key.attributes() {
        let value = key.get(&attribute.name).ok_or_else(key_mismatch)?;
        if !attribute.kind.matches(value) {
            return Err(key_mismatch());
        }
        if is_empty_key(value) {
            return Err(empty_key(&attribute.name));
        }
    }
    check_key_sizes(&table.key, &key)?;
    let bytes = item_key(table, &key).ok_or_else(key_mismatch)?;
    Ok((bytes, key))
}

/// An item to store: it must hold the table's key attributes with their types.
pub fn item_keys(table: &TableDefinition, item: &Item) -> Result<Vec<u8>, DynamoError> {
    for attribute in table.key.attributes() {
        let value = item.get(&attribute.name).ok_or_else(|| {
            DynamoError::validation(format!(
                "One or more parameter values were invalid: Missing the key {} in the item",
                attribute.name
            ))
        })?;
        if !attribute.kind.matches(value) {
            return Err(DynamoError::validation(format!(
                "One or more parameter values were invalid: Type mismatch for key {} expected: {} actual: {}",
                attribute.name,
                attribute.kind.name(),
                value.type_name()
            )));
        }
        if is_empty_key(value) {
            return Err(empty_key(&attribute.name));
        }
    }
    check_key_sizes(&table.key, item)?;
    Ok(item_key(table, item).expect("key attributes were just checked"))
}

/// The table's key attributes of an item (its `Key`).
pub fn key_of(table: &TableDefinition, item: &Item) -> Item {
    table.key.attributes().filter_map(|a| Some((a.name.clone(), item.get(&a.name)?.clone()))).collect()
}

/// A list parameter's elements.
pub fn list<'a>(request: &'a Value, name: &str, field: &str) -> Result<&'a Vec<Value>, DynamoError> {
    match request.get(name) {
        None | Some(Value::Null) => Err(missing(field)),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(DynamoError::new("SerializationException", format!("{name} must be a list"))),
    }
}

/// A scalar attribute value as DynamoDB prints it in messages.
pub fn show(value: &AttributeValue) -> String {
    value.to_json().to_string()
}
