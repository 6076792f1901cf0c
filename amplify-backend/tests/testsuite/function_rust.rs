//! Rust handlers: a crate is cross-compiled into the `bootstrap` of a
//! `provided.al2023` function when (and only when) the backend is built, and a
//! missing target or linker fails synthesis with the function's name and what to
//! install. These tests run Cargo for real, on crates copied to scratch space.

use crate::function_support;

use amplify_backend::function::{define_function, Architecture, FunctionProps, RustBuild, RustBuilder};
use amplify_backend::Backend;
use function_support::*;
use serde_json::json;

/// A fixture crate copied to a scratch directory (so its `target/` stays out of the repository).
fn crate_copy(fixture_name: &str, test: &str) -> std::path::PathBuf {
    let dir = scratch(test).join(fixture_name);
    copy_dir(&fixture(fixture_name), &dir);
    dir
}

/// Removes a scratch directory of a passed test (a failed one keeps it to look at).
fn remove(dir: &std::path::Path) {
    let _ = std::fs::remove_dir_all(dir);
}

fn rust_function(name: &str, entry: std::path::PathBuf, rust: RustBuild) -> Backend<impl Sized> {
    backend((define_function(FunctionProps { name: name.into(), entry, rust, ..Default::default() }),))
}

#[test]
fn a_missing_linker_names_the_function_and_how_to_install_one() {
    // The crate's .cargo/config.toml links with a program that does not exist;
    // on the host's own target the standard library is there, so Cargo compiles
    // and fails at the link, as on a machine without a cross linker.
    let krate = crate_copy("rust-no-linker", "no-linker");
    let backend = rust_function(
        "native",
        krate.clone(),
        RustBuild { builder: RustBuilder::Cargo, target: Some(host_target()), ..Default::default() },
    );
    let err = backend.app().synth_in_memory().unwrap_err();
    let p = err
        .problems
        .iter()
        .find(|p| p.path == format!("{ROOT}/function/native-lambda"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(p.message.starts_with("function 'native': cannot build the Rust crate"), "{}", p.message);
    assert!(p.message.contains("The linker `amplify-test-missing-linker`"), "{}", p.message);
    assert!(p.message.contains("cargo install cargo-zigbuild"), "{}", p.message);
    assert!(p.message.contains(&format!("--target {}", host_target())), "the command is shown: {}", p.message);
    // Nothing else is reported about the function.
    assert_eq!(err.problems.len(), 1, "{err}");
    remove(&krate);
}

#[test]
fn the_default_musl_target_needs_installing_or_a_linker() {
    let krate = crate_copy("rust-no-linker", "musl");
    let backend = rust_function("musl", krate, RustBuild { builder: RustBuilder::Cargo, ..Default::default() });
    let err = backend.app().synth_in_memory().unwrap_err();
    // Without the target: how to add it. With it: the crate's missing linker.
    let add = "run `rustup target add x86_64-unknown-linux-musl`";
    let linker = "The linker `amplify-test-missing-linker` for x86_64-unknown-linux-musl";
    assert!(
        err.problems.iter().any(|p| p.message.starts_with("function 'musl': cannot build the Rust crate")
            && (p.sentence().contains(add) || p.sentence().contains(linker))),
        "{err}"
    );
}

#[test]
fn arm64_builds_for_the_aarch64_target() {
    let krate = crate_copy("rust-no-linker", "arm64");
    let f = define_function(FunctionProps {
        name: "graviton".into(),
        entry: krate.join("Cargo.toml"),
        architecture: Architecture::Arm64,
        rust: RustBuild { builder: RustBuilder::Cargo, ..Default::default() },
        ..Default::default()
    });
    let err = Backend::build(app(), (f,)).app().synth_in_memory().unwrap_err();
    assert!(err.mentions("aarch64-unknown-linux-musl"), "{err}");
    assert!(err.mentions("function 'graviton'"), "{err}");
}

#[test]
fn a_bogus_target_is_reported() {
    let krate = crate_copy("rust-no-linker", "bogus");
    let backend = rust_function(
        "bogus",
        krate,
        RustBuild {
            builder: RustBuilder::Cargo,
            target: Some("x86_64-unknown-nowhere-musl".into()),
            ..Default::default()
        },
    );
    let err = backend.app().synth_in_memory().unwrap_err();
    assert!(err.mentions("function 'bogus': cannot build the Rust crate"), "{err}");
    assert!(err.mentions("rustc does not know the target 'x86_64-unknown-nowhere-musl'"), "{err}");
}

#[test]
fn a_crate_builds_into_an_executable_bootstrap() {
    // The host target links with the system's cc: the whole path (build, stage,
    // asset, template) without a cross toolchain.
    let krate = crate_copy("rust-hello", "hello");
    let backend = rust_function(
        "rusty",
        krate.clone(),
        RustBuild { builder: RustBuilder::Cargo, target: Some(host_target()), ..Default::default() },
    );
    let out_dir = scratch("hello-out");
    let _ = std::fs::remove_dir_all(&out_dir);
    backend.app().set_outdir(&out_dir);
    let out = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Runtime"], "provided.al2023");
    assert_eq!(lambda["Properties"]["Handler"], "bootstrap");
    assert_eq!(lambda["Properties"]["Architectures"], json!(["x86_64"]));
    let asset = backend.functions().get("rusty").unwrap().resources().code.unwrap();
    let staged = out_dir.join(format!("asset.{}", asset.hash()));
    let bootstrap = staged.join("bootstrap");
    let built = krate.join("target").join(host_target()).join("release/rust-hello");
    assert_eq!(std::fs::read(&bootstrap).unwrap(), std::fs::read(&built).unwrap());
    assert_eq!(asset.hash(), dir_hash(&staged));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&bootstrap).unwrap().permissions().mode() & 0o111, 0o111, "executable");
    }
    assert_eq!(lambda["Properties"]["Code"]["S3Key"], format!("{}.zip", asset.hash()));
    remove(&krate);
    remove(&out_dir);
}

#[test]
fn nothing_is_built_until_the_backend_is() {
    let krate = crate_copy("rust-hello", "lazy");
    let def = define_function(FunctionProps {
        entry: krate.clone(),
        rust: RustBuild { builder: RustBuilder::Cargo, target: Some(host_target()), ..Default::default() },
        ..Default::default()
    });
    assert_eq!(def.name(), "rust-hello");
    // A backend without it never runs Cargo for it either.
    synth(&backend((say_hello(),)));
    assert!(!krate.join("target").exists(), "defining a function must not build it");
}

#[test]
fn the_rust_target_context_picks_the_target_unless_the_function_names_one() {
    use amplify_backend::function::RUST_TARGET_CONTEXT;
    use constructs::IConstruct;
    // `ampx dev` sets the context to the host's triple; a target rustc does not
    // know shows which target the build was asked for.
    let build = |test: &str, target: Option<String>| {
        let krate = crate_copy("rust-no-linker", test);
        let app = app();
        app.node().set_context(RUST_TARGET_CONTEXT, json!("x86_64-unknown-elsewhere-musl"));
        let props = FunctionProps {
            name: "ctx".into(),
            entry: krate,
            rust: RustBuild { builder: RustBuilder::Cargo, target, ..Default::default() },
            ..Default::default()
        };
        let backend = Backend::build(app, (define_function(props),));
        backend.app().synth_in_memory().unwrap_err().to_string()
    };
    let err = build("context", None);
    assert!(err.contains("rustc does not know the target 'x86_64-unknown-elsewhere-musl'"), "{err}");
    let err = build("context-explicit", Some("x86_64-unknown-nowhere-musl".into()));
    assert!(err.contains("rustc does not know the target 'x86_64-unknown-nowhere-musl'"), "{err}");
}
