//! The persistent store: identities, their logins, and the credentials issued,
//! in one redb file. Every acknowledged write is a committed transaction.

use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use super::credentials::Issued;
use super::errors::{IdentityError, Result};

/// identity id → identity JSON.
const IDENTITIES: TableDefinition<&str, &[u8]> = TableDefinition::new("identities");
/// `<pool id>|<provider name>|<sub>` → identity id.
const LOGINS: TableDefinition<&str, &str> = TableDefinition::new("logins");
/// access key id → issued credentials JSON.
const CREDENTIALS: TableDefinition<&str, &[u8]> = TableDefinition::new("credentials");
/// Values made once and kept (the OpenID token signing key).
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// One identity of a pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Its pool.
    pub pool_id: String,
    /// The logins linked to it (`<provider name>|<sub>`); empty for a guest.
    pub logins: Vec<String>,
    /// When it was made (Unix seconds).
    pub created: i64,
}

/// The key a login is linked under.
pub fn login_key(pool_id: &str, provider: &str, sub: &str) -> String {
    format!("{pool_id}|{provider}|{sub}")
}

/// The redb file of the identity pools.
pub(crate) struct Store {
    db: Database,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let db = Database::create(path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => IdentityError::Store {
                path: path.display().to_string(),
                message: "is in use by another process (is another `ampx dev` running?)".into(),
            },
            other => IdentityError::store(path, format!("cannot be opened: {other}")),
        })?;
        let store = Store { db, path: path.to_path_buf() };
        let txn = store.db.begin_write().map_err(|e| store.fail(e))?;
        txn.open_table(IDENTITIES).map_err(|e| store.fail(e))?;
        txn.open_table(LOGINS).map_err(|e| store.fail(e))?;
        txn.open_table(CREDENTIALS).map_err(|e| store.fail(e))?;
        txn.open_table(META).map_err(|e| store.fail(e))?;
        txn.commit().map_err(|e| store.fail(e))?;
        Ok(store)
    }

    fn fail(&self, e: impl Into<redb::Error>) -> IdentityError {
        IdentityError::store(&self.path, e.into())
    }

    fn decode<T: for<'de> Deserialize<'de>>(&self, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| IdentityError::store(&self.path, format!("damaged record: {e}")))
    }

    fn encode<T: Serialize>(value: &T) -> Vec<u8> {
        serde_json::to_vec(value).expect("records serialize")
    }

    /// The identity `id`.
    pub fn identity(&self, id: &str) -> Result<Option<Identity>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(IDENTITIES).map_err(|e| self.fail(e))?;
        let found = table.get(id).map_err(|e| self.fail(e))?;
        found.map(|v| self.decode(v.value())).transpose()
    }

    /// The identity a login is linked to.
    pub fn identity_of_login(&self, login: &str) -> Result<Option<String>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(LOGINS).map_err(|e| self.fail(e))?;
        let found = table.get(login).map_err(|e| self.fail(e))?;
        Ok(found.map(|v| v.value().to_string()))
    }

    /// Stores `identity` under `id` and links each of its logins to it, in one
    /// transaction. A login already linked elsewhere keeps its identity: the
    /// answer is the identity the first login is linked to after the write.
    pub fn put_identity(&self, id: &str, identity: &Identity) -> Result<String> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let linked = {
            let mut logins = txn.open_table(LOGINS).map_err(|e| self.fail(e))?;
            let mut owner = None;
            for login in &identity.logins {
                let existing = logins.get(login.as_str()).map_err(|e| self.fail(e))?.map(|v| v.value().to_string());
                match existing {
                    Some(other) if other != id => {
                        owner.get_or_insert(other);
                    }
                    _ => {
                        logins.insert(login.as_str(), id).map_err(|e| self.fail(e))?;
                    }
                }
            }
            owner
        };
        if let Some(other) = linked {
            // Dropping the transaction discards the links made above.
            return Ok(other);
        }
        {
            let mut identities = txn.open_table(IDENTITIES).map_err(|e| self.fail(e))?;
            identities.insert(id, Self::encode(identity).as_slice()).map_err(|e| self.fail(e))?;
        }
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(id.to_string())
    }

    /// Records issued credentials.
    pub fn put_credentials(&self, issued: &Issued) -> Result<()> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        {
            let mut table = txn.open_table(CREDENTIALS).map_err(|e| self.fail(e))?;
            let key = issued.credentials.access_key_id.as_str();
            table.insert(key, Self::encode(issued).as_slice()).map_err(|e| self.fail(e))?;
        }
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(())
    }

    /// The credentials with `access_key_id`.
    pub fn credentials(&self, access_key_id: &str) -> Result<Option<Issued>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(CREDENTIALS).map_err(|e| self.fail(e))?;
        let found = table.get(access_key_id).map_err(|e| self.fail(e))?;
        found.map(|v| self.decode(v.value())).transpose()
    }

    /// Deletes credentials that expired before `before`; answers how many.
    pub fn prune_credentials(&self, before: i64) -> Result<usize> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let removed = {
            let mut table = txn.open_table(CREDENTIALS).map_err(|e| self.fail(e))?;
            let mut stale = Vec::new();
            for entry in table.iter().map_err(|e| self.fail(e))? {
                let (k, v) = entry.map_err(|e| self.fail(e))?;
                let expired = self.decode::<Issued>(v.value()).map_or(true, |i| i.credentials.expiration < before);
                if expired {
                    stale.push(k.value().to_string());
                }
            }
            for k in &stale {
                table.remove(k.as_str()).map_err(|e| self.fail(e))?;
            }
            stale.len()
        };
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(removed)
    }

    /// The value under `key`, made by `make` and stored the first time.
    pub fn meta_or_insert(&self, key: &str, make: impl FnOnce() -> Vec<u8>) -> Result<Vec<u8>> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let value = {
            let mut table = txn.open_table(META).map_err(|e| self.fail(e))?;
            let existing = table.get(key).map_err(|e| self.fail(e))?.map(|v| v.value().to_vec());
            match existing {
                Some(v) => v,
                None => {
                    let v = make();
                    table.insert(key, v.as_slice()).map_err(|e| self.fail(e))?;
                    v
                }
            }
        };
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(value)
    }
}
