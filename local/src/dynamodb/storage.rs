//! The redb database under the store: one redb table of items per DynamoDB
//! table, one of entries per secondary index, and one of table definitions.
//! Keys are [`keycode`](super::keycode) encodings, so redb's byte order is
//! DynamoDB's key order. Every write transaction commits durably.

use std::ops::Bound;
use std::path::{Path, PathBuf};

use redb::backends::InMemoryBackend;
use redb::{
    Database, DatabaseError, ReadTransaction, ReadableTable, StorageError, TableDefinition as RedbTable, TableError,
    WriteTransaction,
};

use super::error::{DynamoError, StoreError};
use super::keycode::{encode, encode_key};
use super::table::{IndexDefinition, TableDefinition};
use super::value::{item_from_json, item_to_json, Item};

/// Table definitions by table name, as JSON.
const DEFINITIONS: RedbTable<&str, &str> = RedbTable::new("definitions");

/// The name of the file the store keeps in its directory.
pub const STORE_FILE: &str = "dynamodb.redb";

fn items_table(table: &str) -> String {
    format!("items/{table}")
}

fn index_table(table: &str, index: &str) -> String {
    format!("index/{table}/{index}")
}

fn db_error(error: impl std::fmt::Display) -> DynamoError {
    DynamoError::internal(format!("the local data store failed: {error}"))
}

/// The open database.
pub struct Storage {
    db: Database,
}

impl Storage {
    /// Opens (or creates) the store file in `dir`.
    pub fn open(dir: &Path) -> Result<Storage, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        let path = dir.join(STORE_FILE);
        let db = Database::create(&path).map_err(|error| open_error(&path, error))?;
        let storage = Storage { db };
        // Reading the definitions walks the file's root structures: a damaged
        // file is reported now, not on the first request.
        storage.definitions().map_err(|e| StoreError::Damaged { path: path.clone(), detail: e.message })?;
        Ok(storage)
    }

    /// A store that lives in memory only.
    pub fn in_memory() -> Result<Storage, StoreError> {
        let db = Database::builder()
            .create_with_backend(InMemoryBackend::new())
            .map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(Storage { db })
    }

    /// A read-only snapshot.
    pub fn read(&self) -> Result<Reader, DynamoError> {
        Ok(Reader { txn: self.db.begin_read().map_err(db_error)? })
    }

    /// A write transaction; nothing is visible until [`Writer::commit`].
    pub fn write(&self) -> Result<Writer, DynamoError> {
        Ok(Writer { txn: self.db.begin_write().map_err(db_error)? })
    }

    /// Every stored table definition.
    pub fn definitions(&self) -> Result<Vec<TableDefinition>, DynamoError> {
        let txn = self.db.begin_read().map_err(db_error)?;
        let table = match txn.open_table(DEFINITIONS) {
            Ok(table) => table,
            Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(db_error(e)),
        };
        let mut out = Vec::new();
        for entry in table.iter().map_err(db_error)? {
            let (name, json) = entry.map_err(db_error)?;
            let definition = serde_json::from_str(json.value())
                .map_err(|e| db_error(format!("the stored definition of table {} is unreadable: {e}", name.value())))?;
            out.push(definition);
        }
        Ok(out)
    }
}

fn open_error(path: &Path, error: DatabaseError) -> StoreError {
    let damaged = |detail: String| StoreError::Damaged { path: path.to_path_buf(), detail };
    match error {
        DatabaseError::DatabaseAlreadyOpen => StoreError::InUse { path: path.to_path_buf() },
        DatabaseError::Storage(StorageError::Io(source)) => match source.kind() {
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData => damaged(source.to_string()),
            _ => StoreError::Io { path: path.to_path_buf(), source },
        },
        DatabaseError::Storage(StorageError::Corrupted(detail)) => damaged(detail),
        DatabaseError::UpgradeRequired(version) => damaged(format!("it was written in file format {version}")),
        other => damaged(other.to_string()),
    }
}

/// Where a table's or index's entries live.
fn entries_name(table: &TableDefinition, index: Option<&IndexDefinition>) -> String {
    match index {
        Some(index) => index_table(&table.name, &index.name),
        None => items_table(&table.name),
    }
}

/// The storage key of an item in its table, if the item has the key attributes.
pub fn item_key(table: &TableDefinition, item: &Item) -> Option<Vec<u8>> {
    let (partition, sort) = table.key.values_in(item)?;
    Some(encode_key(partition, sort))
}

/// An item's entry key in an index: index key, then the table key (so equal
/// index keys stay distinct). `None` when the item lacks the index's keys.
fn index_entry_key(index: &IndexDefinition, table_key: &[u8], item: &Item) -> Option<Vec<u8>> {
    let (partition, sort) = index.key.values_in(item)?;
    let mut key = encode_key(partition, sort);
    key.extend_from_slice(table_key);
    Some(key)
}

/// The start of everything in an index partition or table partition.
pub fn partition_prefix(value: &super::value::AttributeValue) -> Vec<u8> {
    let mut out = Vec::new();
    encode(value, &mut out);
    out
}

fn decode_item(bytes: &[u8]) -> Result<Item, DynamoError> {
    let json: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| db_error(format!("a stored item is unreadable: {e}")))?;
    item_from_json(&json).map_err(|e| db_error(format!("a stored item is unreadable: {e}")))
}

fn encode_item(item: &Item) -> Vec<u8> {
    serde_json::to_vec(&item_to_json(item)).expect("JSON values always serialize")
}

/// A key and value as redb hands them out.
type RawEntry<'a> = (redb::AccessGuard<'a, &'static [u8]>, redb::AccessGuard<'a, &'static [u8]>);

/// One entry met by a range read: its storage key and the table key of its item.
pub struct Entry<'a> {
    pub key: &'a [u8],
    pub table_key: &'a [u8],
}

/// A consistent read-only view.
pub struct Reader {
    txn: ReadTransaction,
}

impl Reader {
    /// The item stored under `key` in `table`.
    pub fn get(&self, table: &TableDefinition, key: &[u8]) -> Result<Option<Item>, DynamoError> {
        let name = items_table(&table.name);
        let entries = match self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)) {
            Ok(entries) => entries,
            Err(TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(db_error(e)),
        };
        match entries.get(key).map_err(db_error)? {
            Some(bytes) => Ok(Some(decode_item(bytes.value())?)),
            None => Ok(None),
        }
    }

    /// Visits the entries of a table or index between `lower` and `upper`
    /// (forwards or backwards) until `visit` returns false.
    pub fn range(
        &self,
        table: &TableDefinition,
        index: Option<&IndexDefinition>,
        lower: Bound<Vec<u8>>,
        upper: Bound<Vec<u8>>,
        forward: bool,
        mut visit: impl FnMut(Entry<'_>) -> Result<bool, DynamoError>,
    ) -> Result<(), DynamoError> {
        let name = entries_name(table, index);
        let entries = match self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)) {
            Ok(entries) => entries,
            Err(TableError::TableDoesNotExist(_)) => return Ok(()),
            Err(e) => return Err(db_error(e)),
        };
        if let (Bound::Included(l) | Bound::Excluded(l), Bound::Included(u) | Bound::Excluded(u)) = (&lower, &upper) {
            if l > u {
                return Ok(());
            }
        }
        let bounds = (lower.as_ref().map(Vec::as_slice), upper.as_ref().map(Vec::as_slice));
        let range = entries.range::<&[u8]>(bounds).map_err(db_error)?;
        let mut step = |entry: Result<RawEntry<'_>, StorageError>| {
            let (key, value) = entry.map_err(db_error)?;
            let key = key.value();
            let table_key = if index.is_some() { value.value() } else { key };
            visit(Entry { key, table_key })
        };
        if forward {
            for entry in range {
                if !step(entry)? {
                    break;
                }
            }
        } else {
            for entry in range.rev() {
                if !step(entry)? {
                    break;
                }
            }
        }
        Ok(())
    }
}

/// A write transaction.
pub struct Writer {
    txn: WriteTransaction,
}

impl Writer {
    /// The item stored under `key` in `table`.
    pub fn get(&self, table: &TableDefinition, key: &[u8]) -> Result<Option<Item>, DynamoError> {
        let name = items_table(&table.name);
        let entries = self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
        let found = entries.get(key).map_err(db_error)?;
        found.map(|bytes| decode_item(bytes.value())).transpose()
    }

    /// Stores `item` under `key`, replacing `old` (if any) in every index.
    pub fn put(&self, table: &TableDefinition, key: &[u8], item: &Item, old: Option<&Item>) -> Result<(), DynamoError> {
        if let Some(old) = old {
            self.unindex(table, key, old)?;
        }
        let name = items_table(&table.name);
        let mut entries = self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
        entries.insert(key, encode_item(item).as_slice()).map_err(db_error)?;
        drop(entries);
        for index in &table.indexes {
            self.index_one(table, index, key, item)?;
        }
        Ok(())
    }

    /// Deletes the item `old` stored under `key`.
    pub fn delete(&self, table: &TableDefinition, key: &[u8], old: &Item) -> Result<(), DynamoError> {
        self.unindex(table, key, old)?;
        let name = items_table(&table.name);
        let mut entries = self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
        entries.remove(key).map_err(db_error)?;
        Ok(())
    }

    fn index_one(
        &self,
        table: &TableDefinition,
        index: &IndexDefinition,
        key: &[u8],
        item: &Item,
    ) -> Result<(), DynamoError> {
        if let Some(entry) = index_entry_key(index, key, item) {
            let name = index_table(&table.name, &index.name);
            let mut entries = self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
            entries.insert(entry.as_slice(), key).map_err(db_error)?;
        }
        Ok(())
    }

    fn unindex(&self, table: &TableDefinition, key: &[u8], old: &Item) -> Result<(), DynamoError> {
        for index in &table.indexes {
            if let Some(entry) = index_entry_key(index, key, old) {
                let name = index_table(&table.name, &index.name);
                let mut entries = self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
                entries.remove(entry.as_slice()).map_err(db_error)?;
            }
        }
        Ok(())
    }

    /// Records `table`'s definition and makes sure its redb tables exist.
    pub fn save_definition(&self, table: &TableDefinition) -> Result<(), DynamoError> {
        let json = serde_json::to_string(table).expect("definitions always serialize");
        self.txn
            .open_table(DEFINITIONS)
            .map_err(db_error)?
            .insert(table.name.as_str(), json.as_str())
            .map_err(db_error)?;
        let name = items_table(&table.name);
        self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
        Ok(())
    }

    /// Empties `index` and fills it from every item of `table` (a new index on
    /// a table with data, or one whose definition changed).
    pub fn rebuild_index(&self, table: &TableDefinition, index: &IndexDefinition) -> Result<(), DynamoError> {
        let name = index_table(&table.name, &index.name);
        self.txn.delete_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
        let mut entries = self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&name)).map_err(db_error)?;
        let items_name = items_table(&table.name);
        let items = self.txn.open_table(RedbTable::<&[u8], &[u8]>::new(&items_name)).map_err(db_error)?;
        for entry in items.iter().map_err(db_error)? {
            let (key, value) = entry.map_err(db_error)?;
            let item = decode_item(value.value())?;
            if let Some(entry_key) = index_entry_key(index, key.value(), &item) {
                entries.insert(entry_key.as_slice(), key.value()).map_err(db_error)?;
            }
        }
        Ok(())
    }

    /// Deletes every table, index and definition.
    pub fn clear(&self) -> Result<(), DynamoError> {
        let handles: Vec<redb::UntypedTableHandle> = self.txn.list_tables().map_err(db_error)?.collect();
        for handle in handles {
            self.txn.delete_table(handle).map_err(db_error)?;
        }
        Ok(())
    }

    /// Makes the transaction's changes durable, then visible.
    pub fn commit(self) -> Result<(), DynamoError> {
        self.txn.commit().map_err(db_error)
    }
}

/// The store file's path for a data directory.
pub fn store_path(dir: &Path) -> PathBuf {
    dir.join(STORE_FILE)
}
