//! Secrets for directory handlers (Node.js and Python): the directory is staged
//! as a copy with the generated loader beside the user's code, and the loader
//! becomes the Lambda handler, as for a single file. The directory itself is
//! never written to.

use std::path::{Path, PathBuf};

use super::props::Language;
use super::shim;
use super::staging::{stage, StagedFile};

/// JavaScript files Node.js loads, in the order a module name is looked up.
const NODE_EXTENSIONS: [&str; 3] = ["mjs", "js", "cjs"];

/// Stages a copy of `dir` with the loader for `handler` (`module.function`) and
/// returns it with the loader's handler.
pub(crate) fn stage_with_loader(dir: &Path, handler: &str, language: Language) -> Result<(PathBuf, String), String> {
    let (module, function) = handler
        .rsplit_once('.')
        .ok_or_else(|| format!("handler '{handler}' is not `module.function`; the secrets loader needs both"))?;
    let (name, code) = match language {
        Language::Node => {
            let file = NODE_EXTENSIONS
                .iter()
                .map(|e| format!("{module}.{e}"))
                .find(|f| dir.join(f).is_file())
                .ok_or_else(|| format!("handler '{handler}' names no .mjs/.js/.cjs file in '{}'", dir.display()))?;
            (format!("{}.mjs", shim::MODULE), shim::node(&file, function))
        }
        Language::Python => (format!("{}.py", shim::MODULE), shim::python(module, function)),
        Language::Provided => {
            return Err("a bootstrap executable cannot be wrapped by the secrets loader".into());
        }
    };
    if dir.join(&name).exists() {
        return Err(format!(
            "'{}' already has a file named '{name}', which amplify-backend's secrets loader needs; rename it",
            dir.display()
        ));
    }
    let mut files = Vec::new();
    collect(dir, "", &mut files)
        .map_err(|e| format!("cannot copy '{}' to add the secrets loader: {e}", dir.display()))?;
    files.push(StagedFile { name, bytes: code.into_bytes(), executable: false });
    let staged = stage(&files).map_err(|e| format!("cannot stage a copy of '{}': {e}", dir.display()))?;
    Ok((staged, format!("{}.handler", shim::MODULE)))
}

/// Every file under `dir` (links followed), named by its path below the root.
fn collect(dir: &Path, prefix: &str, files: &mut Vec<StagedFile>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let path = entry.path();
        let meta = std::fs::metadata(&path)?;
        if meta.is_dir() {
            collect(&path, &format!("{name}/"), files)?;
        } else {
            files.push(StagedFile { name, bytes: std::fs::read(&path)?, executable: is_executable(&meta) });
        }
    }
    Ok(())
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join("amplify-function-tests").join(format!("dir-loader-{name}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn the_copy_holds_the_code_and_a_loader_that_imports_the_handler() {
        let d = scratch("node");
        std::fs::create_dir_all(d.join("src/lib")).unwrap();
        std::fs::write(d.join("src/app.js"), "exports.main = async () => 1;").unwrap();
        std::fs::write(d.join("src/lib/util.js"), "module.exports = 2;").unwrap();
        let (staged, handler) = stage_with_loader(&d, "src/app.main", Language::Node).unwrap();
        assert_eq!(handler, "amplify_ssm_env.handler");
        assert_eq!(std::fs::read_to_string(staged.join("src/lib/util.js")).unwrap(), "module.exports = 2;");
        let loader = std::fs::read_to_string(staged.join("amplify_ssm_env.mjs")).unwrap();
        assert!(loader.contains(r#"await import("./src/app.js")"#) && loader.contains(r#"mod["main"]"#), "{loader}");
        assert!(!d.join("amplify_ssm_env.mjs").exists(), "the user's directory is untouched");
    }

    #[test]
    fn a_file_in_the_loaders_place_is_refused() {
        let d = scratch("clash");
        std::fs::write(d.join("handler.py"), "def handler(e, c): return 1").unwrap();
        std::fs::write(d.join("amplify_ssm_env.py"), "").unwrap();
        let err = stage_with_loader(&d, "handler.handler", Language::Python).unwrap_err();
        assert!(err.contains("already has a file named 'amplify_ssm_env.py'"), "{err}");
    }
}
