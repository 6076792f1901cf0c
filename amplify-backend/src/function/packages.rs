//! The project's npm packages, installed before the first bundle of a fresh
//! clone: a handler that imports a package needs `node_modules`, and a clone
//! has only `package.json` and its lock.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// Runs `npm ci` in `root` when its `package.json` names packages, its lock
/// is there and `node_modules` is not. A project without a lock is left to
/// the developer (`npm install` would choose versions for them).
pub(crate) fn ensure_installed(root: &Path) -> Result<(), String> {
    // Functions bundle in parallel; one install per project is enough.
    static INSTALLING: Mutex<()> = Mutex::new(());
    let manifest = root.join("package.json");
    let Ok(text) = std::fs::read_to_string(&manifest) else { return Ok(()) };
    let Ok(package) = serde_json::from_str::<serde_json::Value>(&text) else { return Ok(()) };
    let names_packages = ["dependencies", "devDependencies"]
        .iter()
        .any(|k| package.get(k).and_then(|d| d.as_object()).is_some_and(|d| !d.is_empty()));
    if !names_packages {
        return Ok(());
    }
    let _guard = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    if root.join("node_modules").is_dir() {
        return Ok(());
    }
    if !root.join("package-lock.json").is_file() {
        return Err(format!(
            "{} names npm packages but they are not installed: run `npm install` in {}",
            manifest.display(),
            root.display()
        ));
    }
    eprintln!("installing the npm packages of {} (npm ci), which the functions bundle", manifest.display());
    let output = Command::new(super::esbuild::npm())
        .current_dir(root)
        .args(["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"])
        .output()
        .map_err(|e| {
            format!("cannot run npm (it comes with Node.js) to install the packages of {}: {e}", manifest.display())
        })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`npm ci` in {} failed ({}): {}; run it yourself to see why",
            root.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_without_packages_or_already_installed_is_left_alone() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(ensure_installed(d.path()), Ok(()), "no package.json");
        std::fs::write(d.path().join("package.json"), r#"{"name": "x", "type": "module"}"#).unwrap();
        assert_eq!(ensure_installed(d.path()), Ok(()), "no packages named");
        std::fs::write(d.path().join("package.json"), r#"{"dependencies": {"left-pad": "1.3.0"}}"#).unwrap();
        std::fs::create_dir(d.path().join("node_modules")).unwrap();
        assert_eq!(ensure_installed(d.path()), Ok(()), "installed already");
    }

    #[test]
    fn packages_without_a_lock_are_the_developers_to_install() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("package.json"), r#"{"dependencies": {"left-pad": "1.3.0"}}"#).unwrap();
        let err = ensure_installed(d.path()).unwrap_err();
        assert!(err.contains("run `npm install` in"), "{err}");
        assert!(!d.path().join("node_modules").exists(), "nothing installed behind the developer's back");
    }

    #[test]
    fn a_locked_project_is_installed_with_npm_ci() {
        let d = tempfile::tempdir().unwrap();
        // A local package: npm ci installs it with no network.
        std::fs::create_dir(d.path().join("greet")).unwrap();
        std::fs::write(d.path().join("greet/package.json"), r#"{"name": "greet", "version": "1.0.0"}"#).unwrap();
        std::fs::write(d.path().join("package.json"), r#"{"name": "p", "dependencies": {"greet": "file:greet"}}"#)
            .unwrap();
        let install = Command::new(super::super::esbuild::npm())
            .current_dir(d.path())
            .args(["install", "--package-lock-only", "--no-audit", "--no-fund", "--loglevel=error"])
            .status()
            .expect("npm runs (install Node.js)");
        assert!(install.success());
        assert!(!d.path().join("node_modules").exists());
        ensure_installed(d.path()).unwrap();
        assert!(d.path().join("node_modules/greet/package.json").exists());
    }
}
