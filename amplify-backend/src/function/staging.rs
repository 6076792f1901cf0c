//! Staging directories for code that is not deployed from where it lies (a single
//! handler file, a secrets shim, a built `bootstrap`): named after their content,
//! so the same code stages once and a half-written directory is never seen.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

/// A file to stage.
#[derive(Debug)]
pub(crate) struct StagedFile {
    /// Its name in the directory.
    pub(crate) name: String,
    /// Its content.
    pub(crate) bytes: Vec<u8>,
    /// Whether it must be executable (a custom runtime's `bootstrap`).
    pub(crate) executable: bool,
}

/// Writes `files` into `<temp>/amplify-backend-staging/<sha256>/` and returns the
/// directory. Concurrent programs write to their own temporary directory and
/// rename it into place; the loser of a race keeps the winner's (identical) copy.
pub(crate) fn stage(files: &[StagedFile]) -> std::io::Result<PathBuf> {
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(f.name.as_bytes());
        hasher.update([0, u8::from(f.executable)]);
        hasher.update((f.bytes.len() as u64).to_le_bytes());
        hasher.update(&f.bytes);
    }
    let hash = constructs::names::hex(&hasher.finalize());
    let root = std::env::temp_dir().join("amplify-backend-staging");
    let dir = root.join(&hash);
    if dir.is_dir() {
        return Ok(dir);
    }
    std::fs::create_dir_all(&root)?;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let tmp = root.join(format!(".{hash}.{}.{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&tmp)?;
    for f in files {
        let path = tmp.join(&f.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.bytes)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if f.executable { 0o755 } else { 0o644 };
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
        }
    }
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => Ok(dir),
        Err(_) if dir.is_dir() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(dir)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_same_directory() {
        let files = || {
            vec![StagedFile { name: "a.mjs".into(), bytes: b"export const handler = 1;".to_vec(), executable: false }]
        };
        let a = stage(&files()).unwrap();
        let b = stage(&files()).unwrap();
        assert_eq!(a, b);
        assert_eq!(std::fs::read(a.join("a.mjs")).unwrap(), b"export const handler = 1;");
        let other = stage(&[StagedFile { name: "a.mjs".into(), bytes: b"2".to_vec(), executable: false }]).unwrap();
        assert_ne!(a, other);
    }
}
