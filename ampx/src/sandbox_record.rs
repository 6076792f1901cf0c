//! Which stacks a sandbox deployed, kept in the project (`.amplify/sandbox/`), so
//! that `ampx sandbox delete` finds a backend whose stacks are not named after
//! the sandbox (a plain constructs app names its own).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::errors::{Error, Result};

/// The stacks of one sandbox in one region, in deployment order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The region.
    pub region: String,
    /// Stack names, in deployment order.
    pub stacks: Vec<String>,
}

fn path(cwd: &Path, sandbox: &str) -> PathBuf {
    cwd.join(".amplify").join("sandbox").join(format!("{sandbox}.json"))
}

/// Records the stacks deployed for `sandbox`.
pub fn save(cwd: &Path, sandbox: &str, record: &Record) -> Result<()> {
    let file = path(cwd, sandbox);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(Error::io("cannot create", dir))?;
    }
    let text = serde_json::to_string_pretty(record).unwrap_or_default();
    std::fs::write(&file, text).map_err(Error::io("cannot write", &file))
}

/// The stacks recorded for `sandbox` in `region`, if any.
pub fn load(cwd: &Path, sandbox: &str, region: &str) -> Option<Record> {
    let text = std::fs::read_to_string(path(cwd, sandbox)).ok()?;
    serde_json::from_str::<Record>(&text).ok().filter(|r| r.region == region)
}

/// Forgets the sandbox's stacks (after they were deleted).
pub fn remove(cwd: &Path, sandbox: &str) {
    let _ = std::fs::remove_file(path(cwd, sandbox));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_per_region() {
        let dir = tempfile::tempdir().unwrap();
        let record = Record { region: "eu-west-1".into(), stacks: vec!["Hello".into()] };
        save(dir.path(), "dev", &record).unwrap();
        assert_eq!(load(dir.path(), "dev", "eu-west-1"), Some(record));
        assert_eq!(load(dir.path(), "dev", "us-east-1"), None, "another region's stacks are not these");
        remove(dir.path(), "dev");
        assert_eq!(load(dir.path(), "dev", "eu-west-1"), None);
    }
}
