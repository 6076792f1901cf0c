//! Entries relative to the file that declares them, as Amplify resolves a
//! relative `entry` against the directory of the `resource.ts` that calls
//! `defineFunction`.

use std::path::{Path, PathBuf};

/// A path relative to the source file this macro is written in, as an absolute
/// [`PathBuf`]: `entry!("handler.ts")` in `amplify/functions/say-hello/resource.rs`
/// is that directory's `handler.ts`, whatever the current directory of the
/// program. Use it for [`FunctionProps::entry`](crate::function::FunctionProps::entry)
/// and [`a::handler::custom`](crate::data::a::handler::custom).
///
/// ```
/// use amplify_backend::entry;
///
/// let path = entry!("handler.ts");
/// assert!(path.is_absolute());
/// // This example is compiled from the file that declares `entry!`.
/// assert!(path.parent().unwrap().join("entry.rs").is_file(), "{}", path.display());
/// ```
#[macro_export]
macro_rules! entry {
    ($path:expr) => {
        $crate::function::entry_path(file!(), env!("CARGO_MANIFEST_DIR"), $path)
    };
}

/// What [`entry!`](crate::entry!) expands to: `entry` joined to the directory of
/// `caller_file` (a `file!()`, relative to the workspace Cargo compiled the crate
/// in) in the crate at `manifest_dir` (its `CARGO_MANIFEST_DIR`). An absolute
/// `entry` is returned as it is.
///
/// `file!()` is relative to the workspace root, which is `manifest_dir` or one of
/// the directories above it: the first of them that holds `caller_file` is taken.
pub fn entry_path(caller_file: &str, manifest_dir: &str, entry: impl AsRef<Path>) -> PathBuf {
    let entry = entry.as_ref();
    if entry.is_absolute() {
        return entry.to_path_buf();
    }
    let file = Path::new(caller_file);
    let manifest_dir = Path::new(manifest_dir);
    let caller = if file.is_absolute() {
        file.to_path_buf()
    } else {
        manifest_dir
            .ancestors()
            .map(|dir| dir.join(file))
            .find(|candidate| candidate.is_file())
            // The sources are gone (a program copied elsewhere): the path still
            // says where the entry was expected, for synthesis to report.
            .unwrap_or_else(|| manifest_dir.join(file))
    };
    caller.parent().unwrap_or(manifest_dir).join(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_relative_file_is_found_above_the_crate() {
        let d = std::env::temp_dir().join("amplify-function-tests").join("entry-workspace");
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("examples/app/amplify/fn")).unwrap();
        std::fs::write(d.join("examples/app/amplify/fn/resource.rs"), "").unwrap();
        let manifest = d.join("examples/app");
        let path = entry_path("examples/app/amplify/fn/resource.rs", manifest.to_str().unwrap(), "handler.ts");
        assert_eq!(path, d.join("examples/app/amplify/fn/handler.ts"));
        // A crate that is its own workspace: file!() is relative to the crate.
        let path = entry_path("amplify/fn/resource.rs", manifest.to_str().unwrap(), "../x/handler.ts");
        assert_eq!(path, d.join("examples/app/amplify/fn/../x/handler.ts"));
    }

    #[test]
    fn absolute_paths_are_kept() {
        let abs = std::env::temp_dir().join("h.ts");
        assert_eq!(entry_path("src/lib.rs", "/nowhere", &abs), abs);
        assert_eq!(entry_path("/src/app/lib.rs", "/nowhere", "h.ts"), Path::new("/src/app/h.ts"));
    }
}
