//! The persistent store: users, signed-in sessions and the pools' keys, in one
//! redb file. Every acknowledged write is a committed (fsynced) transaction.

use std::path::{Path, PathBuf};

use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use super::errors::{CognitoError, Result};
use super::user::User;

/// (pool id, username key) → user JSON.
const USERS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("users");
/// origin_jti → session JSON.
const SESSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("sessions");
/// SHA-256 of a refresh token (hex) → origin_jti.
const REFRESH: TableDefinition<&str, &str> = TableDefinition::new("refresh_tokens");
/// Keys, client secrets and other values made once and kept.
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// One sign-in: its refresh token and the tokens derived from it share its
/// `origin_jti`; revoking the session revokes them all.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    pub origin_jti: String,
    pub pool_id: String,
    /// The user's username (not the key; as created).
    pub username: String,
    pub client_id: String,
    pub refresh_hash: String,
    /// Unix seconds.
    pub refresh_expires: i64,
    pub auth_time: i64,
}

/// The redb file of one `ampx dev` project.
pub(crate) struct Store {
    db: Database,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let db = Database::create(path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => CognitoError::Config(format!(
                "user store {} is in use by another process (is another `ampx dev` running?)",
                path.display()
            )),
            other => CognitoError::store(path, format!("cannot be opened: {other}")),
        })?;
        let store = Store { db, path: path.to_path_buf() };
        // Create the tables once so that read transactions always find them.
        let txn = store.db.begin_write().map_err(|e| store.fail(e))?;
        txn.open_table(USERS).map_err(|e| store.fail(e))?;
        txn.open_table(SESSIONS).map_err(|e| store.fail(e))?;
        txn.open_table(REFRESH).map_err(|e| store.fail(e))?;
        txn.open_table(META).map_err(|e| store.fail(e))?;
        txn.commit().map_err(|e| store.fail(e))?;
        Ok(store)
    }

    fn fail(&self, e: impl Into<redb::Error>) -> CognitoError {
        CognitoError::store(&self.path, e.into())
    }

    fn decode<T: for<'de> Deserialize<'de>>(&self, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes)
            .map_err(|e| CognitoError::store(&self.path, format!("holds a damaged record: {e}")))
    }

    fn encode<T: Serialize>(value: &T) -> Vec<u8> {
        serde_json::to_vec(value).expect("records serialize")
    }

    /// The user stored under `key` in `pool`.
    pub fn user(&self, pool: &str, key: &str) -> Result<Option<User>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(USERS).map_err(|e| self.fail(e))?;
        let found = table.get((pool, key)).map_err(|e| self.fail(e))?;
        found.map(|v| self.decode(v.value())).transpose()
    }

    /// Every user of `pool`, ordered by key.
    pub fn users(&self, pool: &str) -> Result<Vec<(String, User)>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(USERS).map_err(|e| self.fail(e))?;
        self.scan(&table, pool)
    }

    fn scan(
        &self,
        table: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
        pool: &str,
    ) -> Result<Vec<(String, User)>> {
        let mut out = Vec::new();
        for entry in table.range((pool, "")..).map_err(|e| self.fail(e))? {
            let (k, v) = entry.map_err(|e| self.fail(e))?;
            let (p, key) = k.value();
            if p != pool {
                break;
            }
            out.push((key.to_string(), self.decode(v.value())?));
        }
        Ok(out)
    }

    /// Stores a new user; fails with `exists` if the key is taken, or with
    /// what `conflict` returns for another user (e.g. the same email).
    pub fn insert_user(
        &self,
        pool: &str,
        key: &str,
        user: &User,
        exists: impl FnOnce() -> CognitoError,
        conflict: impl Fn(&User) -> Option<CognitoError>,
    ) -> Result<()> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        {
            let mut table = txn.open_table(USERS).map_err(|e| self.fail(e))?;
            if table.get((pool, key)).map_err(|e| self.fail(e))?.is_some() {
                return Err(exists());
            }
            for (_, other) in self.scan(&table, pool)? {
                if let Some(err) = conflict(&other) {
                    return Err(err);
                }
            }
            table.insert((pool, key), Self::encode(user).as_slice()).map_err(|e| self.fail(e))?;
        }
        txn.commit().map_err(|e| self.fail(e))
    }

    /// Changes one user atomically. `f` returns an error to leave the user as
    /// it was; `conflict` is then asked about every other user of the pool.
    pub fn update_user<T>(
        &self,
        pool: &str,
        key: &str,
        f: impl FnOnce(&mut User) -> Result<T>,
        conflict: impl Fn(&User, &User) -> Option<CognitoError>,
    ) -> Result<T> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let out = {
            let mut table = txn.open_table(USERS).map_err(|e| self.fail(e))?;
            let current: Option<User> = match table.get((pool, key)).map_err(|e| self.fail(e))? {
                Some(guard) => Some(self.decode(guard.value())?),
                None => None,
            };
            let Some(mut user) = current else {
                return Err(CognitoError::user_not_found());
            };
            let out = f(&mut user)?;
            for (other_key, other) in self.scan(&table, pool)? {
                if other_key != key {
                    if let Some(err) = conflict(&user, &other) {
                        return Err(err);
                    }
                }
            }
            table.insert((pool, key), Self::encode(&user).as_slice()).map_err(|e| self.fail(e))?;
            out
        };
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(out)
    }

    /// Deletes a user and its sessions; false if there was none.
    pub fn delete_user(&self, pool: &str, key: &str, username: &str) -> Result<bool> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let existed = {
            let mut table = txn.open_table(USERS).map_err(|e| self.fail(e))?;
            let existed = table.remove((pool, key)).map_err(|e| self.fail(e))?.is_some();
            existed
        };
        self.remove_sessions(&txn, |s| s.pool_id == pool && s.username == username)?;
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(existed)
    }

    /// The value kept under `key`, made by `make` and stored the first time.
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

    /// Records a new session.
    pub fn put_session(&self, session: &Session) -> Result<()> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        {
            let mut sessions = txn.open_table(SESSIONS).map_err(|e| self.fail(e))?;
            sessions.insert(session.origin_jti.as_str(), Self::encode(session).as_slice()).map_err(|e| self.fail(e))?;
            let mut refresh = txn.open_table(REFRESH).map_err(|e| self.fail(e))?;
            refresh.insert(session.refresh_hash.as_str(), session.origin_jti.as_str()).map_err(|e| self.fail(e))?;
        }
        txn.commit().map_err(|e| self.fail(e))
    }

    /// The live session with this `origin_jti`.
    pub fn session(&self, origin_jti: &str) -> Result<Option<Session>> {
        let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
        let table = txn.open_table(SESSIONS).map_err(|e| self.fail(e))?;
        let found = table.get(origin_jti).map_err(|e| self.fail(e))?;
        found.map(|v| self.decode(v.value())).transpose()
    }

    /// The live session of a refresh token (by its hash).
    pub fn session_by_refresh(&self, refresh_hash: &str) -> Result<Option<Session>> {
        let origin = {
            let txn = self.db.begin_read().map_err(|e| self.fail(e))?;
            let table = txn.open_table(REFRESH).map_err(|e| self.fail(e))?;
            let found = table.get(refresh_hash).map_err(|e| self.fail(e))?;
            found.map(|v| v.value().to_string())
        };
        match origin {
            Some(origin) => self.session(&origin),
            None => Ok(None),
        }
    }

    /// Revokes the sessions `which` selects; returns how many.
    pub fn revoke_sessions(&self, which: impl Fn(&Session) -> bool) -> Result<usize> {
        let txn = self.db.begin_write().map_err(|e| self.fail(e))?;
        let n = self.remove_sessions(&txn, which)?;
        txn.commit().map_err(|e| self.fail(e))?;
        Ok(n)
    }

    fn remove_sessions(&self, txn: &redb::WriteTransaction, which: impl Fn(&Session) -> bool) -> Result<usize> {
        let mut sessions = txn.open_table(SESSIONS).map_err(|e| self.fail(e))?;
        let mut refresh = txn.open_table(REFRESH).map_err(|e| self.fail(e))?;
        let mut doomed = Vec::new();
        for entry in sessions.iter().map_err(|e| self.fail(e))? {
            let (_, v) = entry.map_err(|e| self.fail(e))?;
            let session: Session = self.decode(v.value())?;
            if which(&session) {
                doomed.push(session);
            }
        }
        for s in &doomed {
            sessions.remove(s.origin_jti.as_str()).map_err(|e| self.fail(e))?;
            refresh.remove(s.refresh_hash.as_str()).map_err(|e| self.fail(e))?;
        }
        Ok(doomed.len())
    }
}
