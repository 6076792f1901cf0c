//! The persistent object store: metadata (objects, multipart uploads and
//! their parts) in one redb file, bytes as files beside it. A write lands in
//! a new, fsynced file first and is acknowledged once the metadata naming it
//! is committed; a replaced or deleted object's file is removed after that.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use super::error::StorageError;

/// (bucket, key) → object JSON.
const OBJECTS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("objects");
/// upload id → upload JSON.
const UPLOADS: TableDefinition<&str, &[u8]> = TableDefinition::new("uploads");
/// (upload id, part number) → part JSON.
const PARTS: TableDefinition<(&str, u32), &[u8]> = TableDefinition::new("parts");

/// The metadata file's name inside the store directory.
pub const STORE_FILE: &str = "objects.redb";
const BLOBS_DIR: &str = "blobs";

type Result<T> = std::result::Result<T, StorageError>;

/// The headers an object keeps and answers with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectHeaders {
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Content-Encoding`.
    pub content_encoding: Option<String>,
    /// `Content-Disposition`.
    pub content_disposition: Option<String>,
    /// `Content-Language`.
    pub content_language: Option<String>,
    /// `Cache-Control`.
    pub cache_control: Option<String>,
    /// User metadata (`x-amz-meta-*`), names lower-cased.
    pub metadata: BTreeMap<String, String>,
}

/// One stored object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectMeta {
    /// Its length in bytes.
    pub size: u64,
    /// The ETag without quotes: the MD5 in hex, or for a multipart object
    /// the MD5 of the parts' MD5s and `-<parts>`.
    pub etag: String,
    /// Unix milliseconds.
    pub last_modified_ms: i64,
    /// Its headers.
    pub headers: ObjectHeaders,
    /// The file holding its bytes, inside the blobs directory.
    pub blob: String,
}

/// A multipart upload in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// The bucket.
    pub bucket: String,
    /// The key it will complete to.
    pub key: String,
    /// Unix milliseconds.
    pub initiated_ms: i64,
    /// The headers the object will have.
    pub headers: ObjectHeaders,
}

/// One uploaded part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The part's MD5 in hex.
    pub etag: String,
    /// Its length.
    pub size: u64,
    /// Unix milliseconds.
    pub last_modified_ms: i64,
    /// The file holding its bytes.
    pub blob: String,
}

/// The object store of one data directory.
pub struct ObjectStore {
    db: Database,
    dir: PathBuf,
}

impl std::fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStore").field("dir", &self.dir).finish()
    }
}

impl ObjectStore {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<ObjectStore> {
        std::fs::create_dir_all(dir.join(BLOBS_DIR)).map_err(|e| StorageError::store(dir, e))?;
        let path = dir.join(STORE_FILE);
        let db = Database::create(&path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => {
                StorageError::store(&path, "is in use by another process (is another `ampx dev` running?)")
            }
            other => StorageError::store(
                &path,
                format!("cannot be opened: {other}; run `ampx dev --reset` to start from an empty store"),
            ),
        })?;
        let store = ObjectStore { db, dir: dir.to_path_buf() };
        let txn = store.db.begin_write().map_err(|e| store.fail(e))?;
        txn.open_table(OBJECTS).map_err(|e| store.fail(e))?;
        txn.open_table(UPLOADS).map_err(|e| store.fail(e))?;
        txn.open_table(PARTS).map_err(|e| store.fail(e))?;
        txn.commit().map_err(|e| store.fail(e))?;
        Ok(store)
    }

    fn fail(&self, e: impl Into<redb::Error>) -> StorageError {
        StorageError::store(self.dir.join(STORE_FILE), e.into())
    }

    fn decode<T: for<'de> Deserialize<'de>>(&self, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes)
            .map_err(|e| StorageError::store(self.dir.join(STORE_FILE), format!("holds a damaged record: {e}")))
    }

    fn encode<T: Serialize>(value: &T) -> Vec<u8> {
        serde_json::to_vec(value).expect("records serialize")
    }

    /// A fresh file name for new bytes, and its path.
    pub fn new_blob(&self) -> (String, PathBuf) {
        let name = uuid::Uuid::new_v4().simple().to_string();
        let path = self.blob_path(&name);
        (name, path)
    }

    /// Where a blob's bytes are.
    pub fn blob_path(&self, name: &str) -> PathBuf {
        self.dir.join(BLOBS_DIR).join(name)
    }

    fn remove_blob(&self, name: &str) {
        // A file left behind costs disk, not correctness: nothing names it.
        let _ = std::fs::remove_file(self.blob_path(name));
    }

    /// The object at `key`.
    pub fn get(&self, bucket: &str, key: &str) -> Result<Option<ObjectMeta>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(OBJECTS).map_err(|e| self.fail(e))?;
        let found = table.get((bucket, key)).map_err(|e| self.fail(e))?;
        found.map(|v| self.decode(v.value())).transpose()
    }

    /// Stores `meta` at `key` (its blob already written and synced),
    /// replacing what was there.
    pub fn put(&self, bucket: &str, key: &str, meta: &ObjectMeta) -> Result<()> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let old = {
            let mut table = txn.open_table(OBJECTS).map_err(|e| self.fail(e))?;
            let old = table.insert((bucket, key), Self::encode(meta).as_slice()).map_err(|e| self.fail(e))?;
            old.map(|v| self.decode::<ObjectMeta>(v.value())).transpose()?
        };
        txn.commit().map_err(|e| self.fail(e))?;
        if let Some(old) = old.filter(|o| o.blob != meta.blob) {
            self.remove_blob(&old.blob);
        }
        Ok(())
    }

    /// Deletes the object at `key`; answers whether there was one.
    pub fn delete(&self, bucket: &str, key: &str) -> Result<bool> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let old = {
            let mut table = txn.open_table(OBJECTS).map_err(|e| self.fail(e))?;
            let old = table.remove((bucket, key)).map_err(|e| self.fail(e))?;
            old.map(|v| self.decode::<ObjectMeta>(v.value())).transpose()?
        };
        txn.commit().map_err(|e| self.fail(e))?;
        match old {
            Some(old) => {
                self.remove_blob(&old.blob);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Visits the bucket's objects in key order from `from` (inclusive),
    /// until `visit` answers false.
    pub fn scan(&self, bucket: &str, from: &str, mut visit: impl FnMut(&str, ObjectMeta) -> bool) -> Result<()> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(OBJECTS).map_err(|e| self.fail(e))?;
        for entry in table.range((bucket, from)..).map_err(|e| self.fail(e))? {
            let (k, v) = entry.map_err(|e| self.fail(e))?;
            let (b, key) = k.value();
            if b != bucket {
                break;
            }
            let key = key.to_string();
            if !visit(&key, self.decode(v.value())?) {
                break;
            }
        }
        Ok(())
    }

    /// Starts a multipart upload; answers its id.
    pub fn create_upload(&self, upload: &Upload) -> Result<String> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        txn.open_table(UPLOADS)
            .map_err(|e| self.fail(e))?
            .insert(id.as_str(), Self::encode(upload).as_slice())
            .map_err(|e| self.fail(e))?;
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(id)
    }

    /// The upload with `id`.
    pub fn upload(&self, id: &str) -> Result<Option<Upload>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(UPLOADS).map_err(|e| self.fail(e))?;
        let found = table.get(id).map_err(|e| self.fail(e))?;
        found.map(|v| self.decode(v.value())).transpose()
    }

    /// Records part `number` of upload `id`, replacing an earlier one.
    pub fn put_part(&self, id: &str, number: u32, part: &Part) -> Result<()> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let old = {
            let mut table = txn.open_table(PARTS).map_err(|e| self.fail(e))?;
            let old = table.insert((id, number), Self::encode(part).as_slice()).map_err(|e| self.fail(e))?;
            old.map(|v| self.decode::<Part>(v.value())).transpose()?
        };
        txn.commit().map_err(|e| self.fail(e))?;
        if let Some(old) = old {
            self.remove_blob(&old.blob);
        }
        Ok(())
    }

    /// The parts of upload `id`, by part number.
    pub fn parts(&self, id: &str) -> Result<Vec<(u32, Part)>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(PARTS).map_err(|e| self.fail(e))?;
        let mut out = Vec::new();
        for entry in table.range((id, 0)..=(id, u32::MAX)).map_err(|e| self.fail(e))? {
            let (k, v) = entry.map_err(|e| self.fail(e))?;
            out.push((k.value().1, self.decode(v.value())?));
        }
        Ok(out)
    }

    /// Ends upload `id`: its record and parts go. With `object`, the object
    /// is stored in the same transaction (a completed upload).
    pub fn finish_upload(&self, id: &str, object: Option<(&str, &str, &ObjectMeta)>) -> Result<()> {
        let parts = self.parts(id)?;
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let replaced = {
            txn.open_table(UPLOADS).map_err(|e| self.fail(e))?.remove(id).map_err(|e| self.fail(e))?;
            let mut table = txn.open_table(PARTS).map_err(|e| self.fail(e))?;
            for (n, _) in &parts {
                table.remove((id, *n)).map_err(|e| self.fail(e))?;
            }
            match object {
                Some((bucket, key, meta)) => {
                    let mut objects = txn.open_table(OBJECTS).map_err(|e| self.fail(e))?;
                    let old = objects.insert((bucket, key), Self::encode(meta).as_slice()).map_err(|e| self.fail(e))?;
                    old.map(|v| self.decode::<ObjectMeta>(v.value())).transpose()?
                }
                None => None,
            }
        };
        txn.commit().map_err(|e| self.fail(e))?;
        for (_, part) in parts {
            self.remove_blob(&part.blob);
        }
        if let Some(old) = replaced {
            self.remove_blob(&old.blob);
        }
        Ok(())
    }

    /// Uploads in progress in `bucket`, oldest first.
    pub fn uploads(&self, bucket: &str) -> Result<Vec<(String, Upload)>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(UPLOADS).map_err(|e| self.fail(e))?;
        let mut out = Vec::new();
        for entry in table.iter().map_err(|e| self.fail(e))? {
            let (k, v) = entry.map_err(|e| self.fail(e))?;
            let upload: Upload = self.decode(v.value())?;
            if upload.bucket == bucket {
                out.push((k.value().to_string(), upload));
            }
        }
        out.sort_by_key(|(_, u)| u.initiated_ms);
        Ok(out)
    }
}
