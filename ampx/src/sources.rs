//! The backend's sources as sandbox sees them: which paths count, and the
//! content of each, so that a file that was only opened, read or touched (or
//! saved unchanged) is not a change.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// Directories whose changes are ours or the build's, not the backend's.
const IGNORED_DIRS: &[&str] = &["target", ".git", ".amplify", "node_modules", "cdk.out"];

/// The sources under a root, with a content hash per file.
#[derive(Debug)]
pub struct Sources {
    root: PathBuf,
    ignored: Vec<PathBuf>,
    exclude: crate::exclude::Exclude,
    hashes: HashMap<PathBuf, [u8; 32]>,
}

impl Sources {
    /// Reads every source file under `root`, except those under `ignored`
    /// (absolute paths: the assembly directory, the outputs directory's files).
    pub fn scan(root: &Path, ignored: Vec<PathBuf>) -> Sources {
        Sources::scan_excluding(root, ignored, crate::exclude::Exclude::default())
    }

    /// [`Sources::scan`], also leaving out what `exclude` matches (`--exclude`).
    pub fn scan_excluding(root: &Path, ignored: Vec<PathBuf>, exclude: crate::exclude::Exclude) -> Sources {
        let mut sources = Sources { root: root.to_path_buf(), ignored, exclude, hashes: HashMap::new() };
        let mut found = Vec::new();
        sources.walk(root, &mut found);
        for path in found {
            if let Some(hash) = hash_file(&path) {
                sources.hashes.insert(path, hash);
            }
        }
        sources
    }

    /// Whether a path is a backend source: not build output, VCS data, the
    /// assembly, or the files sandbox writes itself. Directories are judged by
    /// their path below the root, so a root that is itself named `cdk.out`
    /// (`--app cdk.out`) still has sources.
    pub fn is_source(&self, path: &Path) -> bool {
        if self.ignored.iter().any(|p| path.starts_with(p)) || self.exclude.matches(path) {
            return false;
        }
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let in_ignored_dir = relative.components().any(|c| match c {
            Component::Normal(name) => IGNORED_DIRS.iter().any(|d| name == *d),
            _ => false,
        });
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        !in_ignored_dir
            && !name.starts_with("amplify_outputs.")
            && !name.starts_with(".#")
            && !name.ends_with('~')
            && !name.ends_with(".swp")
    }

    /// The paths among `candidates` whose content changed since last seen
    /// (created, written with different bytes, or removed); the record is updated.
    pub fn changed(&mut self, candidates: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
        let mut changed = Vec::new();
        for path in candidates {
            if !self.is_source(&path) {
                continue;
            }
            if path.is_dir() {
                // A directory created or moved in: every file in it is new.
                let mut found = Vec::new();
                self.walk(&path, &mut found);
                for file in found {
                    changed.extend(self.update(file));
                }
                continue;
            }
            // A directory removed or moved away: its files are gone.
            let gone: Vec<PathBuf> =
                self.hashes.keys().filter(|p| p.starts_with(&path) && **p != path && !p.exists()).cloned().collect();
            for file in gone {
                self.hashes.remove(&file);
                changed.push(file);
            }
            changed.extend(self.update(path));
        }
        changed.sort();
        changed.dedup();
        changed
    }

    /// Re-reads one file; returns it when its content differs from the record.
    fn update(&mut self, path: PathBuf) -> Option<PathBuf> {
        match hash_file(&path) {
            Some(hash) if self.hashes.get(&path) == Some(&hash) => None,
            Some(hash) => {
                self.hashes.insert(path.clone(), hash);
                Some(path)
            }
            None => self.hashes.remove(&path).map(|_| path),
        }
    }

    fn walk(&self, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if !self.is_source(&path) {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => self.walk(&path, out),
                Ok(t) if t.is_file() => out.push(path),
                _ => {}
            }
        }
    }
}

fn hash_file(path: &Path) -> Option<[u8; 32]> {
    let bytes = std::fs::read(path).ok()?;
    Some(Sha256::digest(&bytes).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_output_and_our_own_files_are_not_sources() {
        let sources = Sources {
            root: "/p".into(),
            ignored: vec![PathBuf::from("/p/out")],
            exclude: Default::default(),
            hashes: HashMap::new(),
        };
        assert!(sources.is_source(Path::new("/p/src/main.rs")));
        assert!(sources.is_source(Path::new("/p/functions/hello/index.js")));
        assert!(!sources.is_source(Path::new("/p/target/debug/app")));
        assert!(!sources.is_source(Path::new("/p/.amplify/artifacts/cdk.out/manifest.json")));
        assert!(!sources.is_source(Path::new("/p/amplify_outputs.json")));
        assert!(!sources.is_source(Path::new("/p/out/x")));
        let assembly =
            Sources { root: "/w/cdk.out".into(), ignored: vec![], exclude: Default::default(), hashes: HashMap::new() };
        assert!(assembly.is_source(Path::new("/w/cdk.out/manifest.json")), "the root's own name does not count");
    }

    #[test]
    fn only_content_changes_count() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(root.join("target")).unwrap();
        std::fs::write(root.join("src/main.rs"), "fn main() {}").unwrap();
        let mut sources = Sources::scan(root, vec![]);
        let main = root.join("src/main.rs");

        // Saved with the same bytes, touched, read: nothing changed.
        std::fs::write(&main, "fn main() {}").unwrap();
        std::fs::File::options().write(true).open(&main).unwrap().set_modified(std::time::SystemTime::now()).unwrap();
        let _ = std::fs::read(&main).unwrap();
        assert!(sources.changed([main.clone()]).is_empty());

        std::fs::write(&main, "fn main() { println!() }").unwrap();
        assert_eq!(sources.changed([main.clone(), main.clone()]), std::slice::from_ref(&main));
        assert!(sources.changed([main.clone()]).is_empty(), "seen once");

        std::fs::write(root.join("target/x"), "build").unwrap();
        assert!(sources.changed([root.join("target/x")]).is_empty());

        std::fs::create_dir_all(root.join("functions/hello")).unwrap();
        std::fs::write(root.join("functions/hello/index.js"), "1").unwrap();
        assert_eq!(sources.changed([root.join("functions")]), [root.join("functions/hello/index.js")]);
        std::fs::remove_dir_all(root.join("functions")).unwrap();
        assert_eq!(sources.changed([root.join("functions")]), [root.join("functions/hello/index.js")]);
        std::fs::remove_file(&main).unwrap();
        assert_eq!(sources.changed([main.clone()]), [main]);
    }
}
