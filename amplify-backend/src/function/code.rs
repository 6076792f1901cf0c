//! From `entry` to a directory Lambda can run: what kind of code it is, the
//! directory to publish as a content-hashed asset, and the handler.

use std::path::{Path, PathBuf};

use super::bundle;
use super::props::{Architecture, FunctionProps, Language, Runtime};
use super::rust_build;
use super::shim;
use super::staging::{stage, StagedFile};

/// Code ready to publish.
#[derive(Debug)]
pub(crate) struct Code {
    /// The directory to zip and upload.
    pub(crate) dir: PathBuf,
    /// The Lambda `Handler`.
    pub(crate) handler: String,
    /// The runtime.
    pub(crate) runtime: Runtime,
    /// Whether the code was bundled (rather than deployed as the user wrote it).
    pub(crate) bundled: bool,
}

/// JavaScript files Node.js loads, in the order a directory is searched.
const NODE_EXTENSIONS: [&str; 3] = ["mjs", "js", "cjs"];

/// Resolves `props.entry` (absolute, or relative to `base`). `with_secrets` adds
/// the secrets shim to a single-file Node.js or Python handler.
pub(crate) fn resolve(props: &FunctionProps, base: &Path, with_secrets: bool) -> Result<Code, String> {
    if props.entry.as_os_str().is_empty() {
        return Err("set FunctionProps::entry to the handler file, its directory or a Rust crate".into());
    }
    let entry = if props.entry.is_absolute() { props.entry.clone() } else { base.join(&props.entry) };
    let meta = std::fs::metadata(&entry).map_err(|e| {
        format!(
            "entry '{}' cannot be read ({e}){}",
            entry.display(),
            if props.entry.is_absolute() {
                String::new()
            } else {
                format!("; relative entries are resolved against {}", base.display())
            }
        )
    })?;
    if meta.is_dir() {
        if entry.join("Cargo.toml").is_file() {
            return rust(props, &entry);
        }
        let code = directory(props, &entry)?;
        if with_secrets && code.runtime.language() != Language::Provided {
            let (dir, handler) =
                super::dir_loader::stage_with_loader(&code.dir, &code.handler, code.runtime.language())?;
            return Ok(Code { dir, handler, ..code });
        }
        return Ok(code);
    }
    if entry.file_name().is_some_and(|n| n == "Cargo.toml") {
        return rust(props, entry.parent().unwrap_or(Path::new(".")));
    }
    file(props, &entry, with_secrets)
}

/// Whether `props.entry` is a single Node.js, TypeScript or Python file, or a
/// directory of Node.js or Python code: code that [`resolve`] wraps in the
/// generated loader when it has SSM values to read. Decided from the entry
/// alone, before anything is built (function placement needs it); code that
/// turns out unusable fails synthesis anyway.
pub(crate) fn gets_ssm_loader(props: &FunctionProps, base: &Path) -> bool {
    if props.entry.as_os_str().is_empty() {
        return false;
    }
    let entry = if props.entry.is_absolute() { props.entry.clone() } else { base.join(&props.entry) };
    if entry.is_dir() {
        return !entry.join("Cargo.toml").is_file()
            && directory(props, &entry).is_ok_and(|c| c.runtime.language() != Language::Provided);
    }
    let ext = entry.extension().map(|e| e.to_string_lossy().to_string()).unwrap_or_default();
    entry.is_file() && matches!(ext.as_str(), "mjs" | "js" | "cjs" | "ts" | "mts" | "cts" | "py")
}

/// A single handler file: JavaScript and TypeScript bundled with esbuild,
/// Python staged alone; with the secrets shim if the function has secrets.
fn file(props: &FunctionProps, entry: &Path, with_secrets: bool) -> Result<Code, String> {
    let ext = entry.extension().map(|e| e.to_string_lossy().to_string()).unwrap_or_default();
    let language = match ext.as_str() {
        "mjs" | "js" | "cjs" | "ts" | "mts" | "cts" => Language::Node,
        "py" => Language::Python,
        _ => {
            return Err(format!(
                "entry '{}' is not a .ts/.mts/.cts, .js/.mjs/.cjs or .py file, a directory or a Rust crate",
                entry.display()
            ))
        }
    };
    let runtime = runtime(props, language)?;
    let entry_stem = entry.file_stem().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let (mut files, module_file) = match language {
        Language::Node => {
            let options = bundle::Options { runtime, minify: props.bundling.minify, function: props.name.clone() };
            let bundled = bundle::bundle(entry, &options)?;
            let function = function_name(props, &[&entry_stem, "index"])?;
            if !bundled.exports.contains(&function) {
                return Err(format!(
                    "'{}' exports no '{function}' (it exports: {}); export the handler by that name{}",
                    entry.display(),
                    if bundled.exports.is_empty() { "nothing".to_string() } else { bundled.exports.join(", ") },
                    if ext == "js" && bundled.exports.iter().any(|e| e == "default") {
                        ", or name a CommonJS file (`exports.handler = ...`) .cjs"
                    } else {
                        ""
                    }
                ));
            }
            (bundled.files, bundled.main)
        }
        _ => {
            if entry_stem == shim::MODULE {
                return Err(format!(
                    "the entry file may not be named '{entry_stem}.py'; amplify-backend uses that name"
                ));
            }
            let bytes = std::fs::read(entry).map_err(|e| format!("cannot read '{}': {e}", entry.display()))?;
            let name = format!("{entry_stem}.py");
            (vec![StagedFile { name: name.clone(), bytes, executable: false }], name)
        }
    };
    let module = module_file.rsplit_once('.').map_or(module_file.as_str(), |(m, _)| m).to_string();
    let function = function_name(props, &[&entry_stem, &module])?;
    let handler = if with_secrets {
        let (shim_name, code) = match language {
            Language::Node => (format!("{}.mjs", shim::MODULE), shim::node(&module_file, &function)),
            _ => (format!("{}.py", shim::MODULE), shim::python(&module, &function)),
        };
        files.push(StagedFile { name: shim_name, bytes: code.into_bytes(), executable: false });
        format!("{}.handler", shim::MODULE)
    } else {
        format!("{module}.{function}")
    };
    let dir = stage(&files).map_err(|e| format!("cannot stage the code of '{}': {e}", entry.display()))?;
    Ok(Code { dir, handler, runtime, bundled: language == Language::Node })
}

/// The handler's function name: `handler`, or what `props.handler` names, with
/// or without one of the module names it may be given with.
fn function_name(props: &FunctionProps, modules: &[&str]) -> Result<String, String> {
    let function = match props.handler.as_deref() {
        None => "handler".to_string(),
        Some(h) => match h.rsplit_once('.') {
            Some((module, f)) if modules.contains(&module) => f.to_string(),
            Some((module, _)) => {
                return Err(format!(
                    "handler '{h}' names module '{module}', but the entry is '{}'; use '{}.<function>' or the function alone",
                    modules[0], modules[modules.len() - 1]
                ))
            }
            None => h.to_string(),
        },
    };
    if function.is_empty() || !function.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        return Err(format!("handler function '{function}' is not a function name"));
    }
    Ok(function)
}

/// A directory deployed as it is.
fn directory(props: &FunctionProps, dir: &Path) -> Result<Code, String> {
    if let Some(handler) = &props.handler {
        let language = match props.runtime {
            Some(r) => r.language(),
            None if dir.join("bootstrap").is_file() => Language::Provided,
            None => module_language(dir, handler).ok_or_else(|| {
                format!("handler '{handler}' names no .mjs/.js/.cjs or .py module in '{}'", dir.display())
            })?,
        };
        if language != Language::Provided && module_language(dir, handler) != Some(language) {
            return Err(format!("handler '{handler}' names no {} module in '{}'", language.describe(), dir.display()));
        }
        return Ok(Code {
            dir: dir.to_path_buf(),
            handler: handler.clone(),
            runtime: runtime(props, language)?,
            bundled: false,
        });
    }
    let found = [
        ("bootstrap", Language::Provided, "bootstrap"),
        ("index.mjs", Language::Node, "index.handler"),
        ("index.js", Language::Node, "index.handler"),
        ("index.cjs", Language::Node, "index.handler"),
        ("handler.mjs", Language::Node, "handler.handler"),
        ("handler.js", Language::Node, "handler.handler"),
        ("handler.cjs", Language::Node, "handler.handler"),
        ("handler.py", Language::Python, "handler.handler"),
        ("lambda_function.py", Language::Python, "lambda_function.lambda_handler"),
        ("index.py", Language::Python, "index.handler"),
    ]
    .into_iter()
    .find(|(file, _, _)| dir.join(file).is_file());
    let Some((_, language, handler)) = found else {
        return Err(format!(
            "directory '{}' has no index.mjs/index.js, handler.py, lambda_function.py or bootstrap; set \
             FunctionProps::handler (e.g. 'app.handler')",
            dir.display()
        ));
    };
    Ok(Code {
        dir: dir.to_path_buf(),
        handler: handler.to_string(),
        runtime: runtime(props, language)?,
        bundled: false,
    })
}

/// The language of the module a `module.function` handler names in `dir`.
fn module_language(dir: &Path, handler: &str) -> Option<Language> {
    let (module, _) = handler.rsplit_once('.')?;
    if NODE_EXTENSIONS.iter().any(|e| dir.join(format!("{module}.{e}")).is_file()) {
        return Some(Language::Node);
    }
    // Python handlers may write packages with dots (`pkg.mod.handler`).
    let py = module.replace('.', "/");
    if dir.join(format!("{py}.py")).is_file() || dir.join(&py).join("__init__.py").is_file() {
        return Some(Language::Python);
    }
    None
}

/// A Rust crate, built into a staged `bootstrap`.
fn rust(props: &FunctionProps, crate_dir: &Path) -> Result<Code, String> {
    let runtime = runtime(props, Language::Provided)?;
    let target = props.rust.target.clone().unwrap_or_else(|| target_for(props.architecture).to_string());
    let binary = rust_build::build(crate_dir, &props.rust, &target)?;
    let bytes = std::fs::read(&binary).map_err(|e| format!("cannot read the built '{}': {e}", binary.display()))?;
    let dir = stage(&[StagedFile { name: "bootstrap".into(), bytes, executable: true }])
        .map_err(|e| format!("cannot stage the bootstrap of '{}': {e}", crate_dir.display()))?;
    Ok(Code { dir, handler: "bootstrap".into(), runtime, bundled: false })
}

fn target_for(arch: Architecture) -> &'static str {
    arch.rust_target()
}

/// The runtime asked for, if it runs this language, or the language's default.
fn runtime(props: &FunctionProps, language: Language) -> Result<Runtime, String> {
    match props.runtime {
        None => Ok(language.default_runtime()),
        Some(r) if r.language() == language => Ok(r),
        Some(r) => Err(format!("runtime {} cannot run the entry, which is {}", r.as_str(), language.describe())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join("amplify-function-tests").join(format!("unit-{name}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn props(entry: &Path) -> FunctionProps {
        FunctionProps { name: "f".into(), entry: entry.to_path_buf(), ..Default::default() }
    }

    #[test]
    fn a_python_file_is_staged_alone_with_its_handler() {
        let d = scratch("file");
        std::fs::write(d.join("say.py"), "def handler(e, c): return 'hi'").unwrap();
        std::fs::write(d.join("unrelated.txt"), "not deployed").unwrap();
        let code = resolve(&props(&d.join("say.py")), &d, false).unwrap();
        assert_eq!(code.handler, "say.handler");
        assert_eq!(code.runtime, Runtime::Python3_13);
        assert!(code.dir.join("say.py").is_file());
        assert!(!code.dir.join("unrelated.txt").exists());
        let with_secrets = resolve(&props(&d.join("say.py")), &d, true).unwrap();
        assert_eq!(with_secrets.handler, "amplify_ssm_env.handler");
        assert!(with_secrets.dir.join("amplify_ssm_env.py").is_file());
        let mut p = props(&d.join("say.py"));
        p.handler = Some("other.handler".into());
        assert!(resolve(&p, &d, false).unwrap_err().contains("names module 'other'"));
    }

    #[test]
    fn only_single_files_get_the_loader() {
        let d = scratch("loader");
        std::fs::write(d.join("h.py"), "def handler(e, c): return e").unwrap();
        std::fs::write(d.join("Cargo.toml"), "[package]").unwrap();
        assert!(gets_ssm_loader(&props(Path::new("h.py")), &d));
        assert!(!gets_ssm_loader(&props(&d), &d), "a Rust crate's directory");
        let py = d.join("py");
        std::fs::create_dir_all(&py).unwrap();
        std::fs::write(py.join("handler.py"), "def handler(e, c): return e").unwrap();
        assert!(gets_ssm_loader(&props(&py), &d), "a directory of Python code is staged with the loader");
        let custom = d.join("custom");
        std::fs::create_dir_all(&custom).unwrap();
        std::fs::write(custom.join("bootstrap"), "#!/bin/sh").unwrap();
        assert!(!gets_ssm_loader(&props(&custom), &d), "a bootstrap is the process Lambda starts");
        assert!(!gets_ssm_loader(&props(&d.join("Cargo.toml")), &d), "a Rust crate");
        assert!(!gets_ssm_loader(&props(&d.join("missing.mjs")), &d));
    }

    #[test]
    fn directories_are_searched_and_checked() {
        let d = scratch("dir");
        std::fs::write(d.join("lambda_function.py"), "def lambda_handler(e, c): return e").unwrap();
        let code = resolve(&props(&d), &d, false).unwrap();
        assert_eq!((code.handler.as_str(), code.runtime), ("lambda_function.lambda_handler", Runtime::Python3_13));
        assert_eq!(code.dir, d);
        let mut p = props(&d);
        p.handler = Some("missing.handler".into());
        assert!(resolve(&p, &d, false).unwrap_err().contains("names no"));
        p.handler = Some("lambda_function.lambda_handler".into());
        p.runtime = Some(Runtime::Node22);
        assert!(resolve(&p, &d, false).unwrap_err().contains("no Node.js module"));
    }

    #[test]
    fn runtime_must_fit_the_code() {
        let d = scratch("rt");
        std::fs::write(d.join("h.py"), "def handler(e, c): return e").unwrap();
        let mut p = props(&d.join("h.py"));
        p.runtime = Some(Runtime::Node20);
        assert!(resolve(&p, &d, false).unwrap_err().contains("nodejs20.x cannot run"));
    }
}
