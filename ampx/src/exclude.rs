//! `ampx sandbox --exclude`: paths and glob patterns the watcher ignores, as
//! Amplify's: relative to the current directory or absolute, a file, a
//! directory (everything below it) or a glob (`**/*.test.rs`).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::errors::{Error, Result};

/// What `--exclude` ignores.
#[derive(Clone, Debug)]
pub struct Exclude {
    set: GlobSet,
}

impl Default for Exclude {
    fn default() -> Self {
        Exclude { set: GlobSet::empty() }
    }
}

impl Exclude {
    /// The patterns, relative ones resolved against `cwd`. A bad glob is an
    /// error that names it.
    pub fn new(patterns: &[String], cwd: &Path) -> Result<Exclude> {
        let mut set = GlobSetBuilder::new();
        for pattern in patterns {
            let absolute = if Path::new(pattern).is_absolute() { PathBuf::from(pattern) } else { cwd.join(pattern) };
            let text = absolute.to_string_lossy().trim_end_matches('/').to_string();
            // The path itself, and everything below it when it is a directory.
            for p in [text.clone(), format!("{text}/**")] {
                set.add(glob(&p).map_err(|e| Error::Watch {
                    path: cwd.to_path_buf(),
                    reason: format!("--exclude '{pattern}' is not a path or glob: {e}"),
                })?);
            }
        }
        let set =
            set.build().map_err(|e| Error::Watch { path: cwd.to_path_buf(), reason: format!("--exclude: {e}") })?;
        Ok(Exclude { set })
    }

    /// Whether `path` (absolute) is excluded.
    pub fn matches(&self, path: &Path) -> bool {
        self.set.is_match(path)
    }
}

/// `*` stays within one path component, `**` crosses them.
fn glob(pattern: &str) -> std::result::Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_directories_and_globs_are_excluded_relative_to_the_current_directory() {
        let cwd = Path::new("/project");
        let exclude = Exclude::new(
            &["amplify/seed".into(), "/project/notes.md".into(), "**/*.test.rs".into(), "amplify/*.tmp".into()],
            cwd,
        )
        .unwrap();
        assert!(exclude.matches(Path::new("/project/amplify/seed")));
        assert!(exclude.matches(Path::new("/project/amplify/seed/data/users.json")), "below an excluded directory");
        assert!(exclude.matches(Path::new("/project/notes.md")));
        assert!(exclude.matches(Path::new("/project/amplify/functions/a/handler.test.rs")));
        assert!(exclude.matches(Path::new("/project/amplify/x.tmp")));
        assert!(!exclude.matches(Path::new("/project/amplify/deep/x.tmp")), "`*` stays in one directory");
        assert!(!exclude.matches(Path::new("/project/amplify/backend.rs")));
        assert!(!exclude.matches(Path::new("/project/amplify/seeds.rs")), "a prefix of a name is not the name");
        assert!(!Exclude::default().matches(Path::new("/project/notes.md")));
    }

    #[test]
    fn a_bad_glob_is_named() {
        let err = Exclude::new(&["amplify/[".into()], Path::new("/p")).unwrap_err().to_string();
        assert!(err.contains("--exclude 'amplify/[' is not a path or glob"), "{err}");
    }
}
