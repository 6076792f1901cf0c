//! The store's public face: open it, define tables, run DynamoDB calls.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde_json::Value;

use super::error::{DynamoError, StoreError};
use super::ops;
use super::storage::{store_path, Storage};
use super::table::TableDefinition;

/// An embedded DynamoDB: tables defined from a template, items kept in one
/// redb file, requests and responses in DynamoDB's JSON shapes. `Send + Sync`;
/// share it behind an `Arc`.
pub struct Store {
    storage: Storage,
    tables: RwLock<BTreeMap<String, Arc<TableDefinition>>>,
}

impl Store {
    /// Opens the store kept in `dir` (created if missing). A damaged file is
    /// a [`StoreError::Damaged`] naming the file and the way out.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let storage = Storage::open(dir)?;
        Store::with_storage(storage, Some(store_path(dir)))
    }

    /// A store that keeps nothing once dropped (for tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::with_storage(Storage::in_memory()?, None)
    }

    fn with_storage(storage: Storage, path: Option<PathBuf>) -> Result<Store, StoreError> {
        let definitions = storage.definitions().map_err(|e| match &path {
            Some(path) => StoreError::Damaged { path: path.clone(), detail: e.message },
            None => StoreError::Database(e.message),
        })?;
        let tables = definitions.into_iter().map(|d| (d.name.clone(), Arc::new(d))).collect();
        Ok(Store { storage, tables: RwLock::new(tables) })
    }

    /// Deletes the store file in `dir`, whatever state it is in (`ampx dev --reset`).
    pub fn delete_files(dir: &Path) -> Result<(), StoreError> {
        let path = store_path(dir);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Io { path, source }),
        }
    }

    /// Creates `definition`'s table, or brings an existing one up to it: data
    /// is kept, new or changed indexes are built from the items. A changed
    /// primary key cannot be applied to stored items and is an error.
    pub fn create_table(&self, definition: &TableDefinition) -> Result<(), StoreError> {
        let mut tables = self.tables.write().unwrap_or_else(|e| e.into_inner());
        let existing = tables.get(&definition.name).cloned();
        if let Some(existing) = &existing {
            if existing.key != definition.key {
                return Err(StoreError::Conflict {
                    table: definition.name.clone(),
                    message: "its key schema changed since its items were stored".into(),
                });
            }
            if **existing == *definition {
                return Ok(());
            }
        }
        let fail = |e: DynamoError| StoreError::Database(e.message);
        let writer = self.storage.write().map_err(fail)?;
        writer.save_definition(definition).map_err(fail)?;
        for index in &definition.indexes {
            let unchanged = existing.as_ref().and_then(|e| e.index(&index.name)).is_some_and(|old| old == index);
            if !unchanged {
                writer.rebuild_index(definition, index).map_err(fail)?;
            }
        }
        writer.commit().map_err(fail)?;
        tables.insert(definition.name.clone(), Arc::new(definition.clone()));
        Ok(())
    }

    /// Deletes every table and item.
    pub fn reset(&self) -> Result<(), StoreError> {
        let mut tables = self.tables.write().unwrap_or_else(|e| e.into_inner());
        let fail = |e: DynamoError| StoreError::Database(e.message);
        let writer = self.storage.write().map_err(fail)?;
        writer.clear().map_err(fail)?;
        writer.commit().map_err(fail)?;
        tables.clear();
        Ok(())
    }

    /// The names of the defined tables, in byte order.
    pub fn table_names(&self) -> Vec<String> {
        self.tables.read().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect()
    }

    /// The definition of table `name`.
    pub fn table(&self, name: &str) -> Option<Arc<TableDefinition>> {
        self.tables.read().unwrap_or_else(|e| e.into_inner()).get(name).cloned()
    }

    /// Runs one DynamoDB API call given in its JSON protocol shape, e.g.
    /// `("PutItem", {"TableName": .., "Item": {..}})`, and answers in the
    /// response shape DynamoDB would.
    pub fn execute(&self, operation: &str, request: &Value) -> Result<Value, DynamoError> {
        if !request.is_object() {
            return Err(DynamoError::new("SerializationException", "the request body must be a JSON object"));
        }
        ops::execute(self, operation, request)
    }

    pub(crate) fn storage(&self) -> &Storage {
        &self.storage
    }
}
