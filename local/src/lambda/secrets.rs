//! The local secret store: what `ampx dev secret set NAME` writes and what
//! functions read, keyed by the SSM parameter name the sandbox would use
//! (`/amplify/<namespace>/<name>-<type>-<hash>/NAME`, or the shared
//! `/amplify/shared/<namespace>/NAME`), so the paths in a function's
//! `AMPLIFY_SSM_ENV_CONFIG` find them. One JSON file, readable only by its
//! owner; `--reset` keeps it, as deleting a sandbox's data keeps its secrets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The file inside the store's directory.
pub const SECRETS_FILE: &str = "secrets.json";

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("local secret store {}: {message}", path.display())]
pub struct SecretError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong and what to do.
    pub message: String,
}

/// One stored secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredSecret {
    /// The value.
    pub value: String,
    /// When it was last set (Unix seconds).
    pub last_modified: i64,
    /// How many times it was set (SSM's `Version`).
    pub version: u64,
}

/// The store in one directory. Every call reads the file, so a value set by
/// another process (`ampx dev secret set` while `ampx dev` runs) is seen.
#[derive(Clone, Debug)]
pub struct SecretStore {
    path: PathBuf,
}

impl SecretStore {
    /// The store in `dir` (the file is created on the first `set`).
    pub fn new(dir: &Path) -> SecretStore {
        SecretStore { path: dir.join(SECRETS_FILE) }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, message: impl Into<String>) -> SecretError {
        SecretError { path: self.path.clone(), message: message.into() }
    }

    fn read(&self) -> Result<BTreeMap<String, StoredSecret>, SecretError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| self.error(format!("is damaged ({e}); fix or delete it, then set the secrets again"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(self.error(format!("cannot be read: {e}"))),
        }
    }

    fn write(&self, all: &BTreeMap<String, StoredSecret>) -> Result<(), SecretError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.error(format!("cannot create its directory: {e}")))?;
        let text = serde_json::to_string_pretty(all).unwrap_or_default();
        // Written aside and renamed, so a reader never sees half a file.
        let tmp = self.path.with_extension("json.tmp");
        write_private(&tmp, text.as_bytes()).map_err(|e| self.error(format!("cannot be written: {e}")))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| self.error(format!("cannot be replaced: {e}")))
    }

    /// Sets (or replaces) the parameter `name`.
    pub fn set(&self, name: &str, value: &str) -> Result<(), SecretError> {
        let mut all = self.read()?;
        let version = all.get(name).map_or(1, |s| s.version + 1);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        all.insert(name.to_string(), StoredSecret { value: value.to_string(), last_modified: now, version });
        self.write(&all)
    }

    /// The parameter `name`, if set.
    pub fn get(&self, name: &str) -> Result<Option<StoredSecret>, SecretError> {
        Ok(self.read()?.remove(name))
    }

    /// The parameters directly under `prefix` (which ends with `/`), by name.
    pub fn list(&self, prefix: &str) -> Result<Vec<(String, StoredSecret)>, SecretError> {
        Ok(self
            .read()?
            .into_iter()
            .filter(|(name, _)| name.strip_prefix(prefix).is_some_and(|rest| !rest.contains('/')))
            .collect())
    }

    /// Removes the parameter `name`; answers whether it was there.
    pub fn remove(&self, name: &str) -> Result<bool, SecretError> {
        let mut all = self.read()?;
        let was = all.remove(name).is_some();
        if was {
            self.write(&all)?;
        }
        Ok(was)
    }

    /// When the file last changed (so running functions can be restarted
    /// with new values), if it exists.
    pub fn modified(&self) -> Option<SystemTime> {
        std::fs::metadata(&self.path).and_then(|m| m.modified()).ok()
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_list_remove() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::new(dir.path());
        assert_eq!(store.get("/amplify/a/b/KEY").unwrap(), None);
        store.set("/amplify/a/b/KEY", "one").unwrap();
        store.set("/amplify/a/b/KEY", "two").unwrap();
        store.set("/amplify/shared/a/OTHER", "x").unwrap();
        let got = store.get("/amplify/a/b/KEY").unwrap().unwrap();
        assert_eq!((got.value.as_str(), got.version), ("two", 2));
        let names: Vec<String> = store.list("/amplify/a/b/").unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["/amplify/a/b/KEY"]);
        assert!(store.remove("/amplify/a/b/KEY").unwrap());
        assert!(!store.remove("/amplify/a/b/KEY").unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner reads the secrets");
        }
    }

    #[test]
    fn a_damaged_file_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SECRETS_FILE), "{not json").unwrap();
        let store = SecretStore::new(dir.path());
        let err = store.set("/x/Y", "v").unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "{not json");
    }
}
