//! `ampx synth`: the backend program run with the app protocol, given by `--app`
//! or found from Cargo metadata (the one bin that depends on amplify-backend).
//! No server is needed.

use crate::common;

use std::path::Path;

use common::{ampx_command, project, run, Run};

#[test]
fn synth_runs_a_program_with_the_app_protocol() {
    let (tmp, dir) = project("todoapp");
    let out_dir = tmp.path().join("out");
    // A stand-in backend program: writes the smallest assembly and echoes its context.
    let script = r#"mkdir -p "$CDK_OUTDIR" && printf '%s' "$CDK_CONTEXT_JSON" > "$CDK_OUTDIR/context.json" &&
        printf '{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}' > "$CDK_OUTDIR/manifest.json" &&
        printf '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}' > "$CDK_OUTDIR/S.template.json""#;
    let out = run(
        ampx_command(&dir),
        &["synth", "--app", script, "--out-dir", out_dir.to_str().unwrap(), "--identifier", "dev"],
        None,
    )
    .ok();
    assert!(out.stdout.contains("Synthesized 1 stack (1 resources, 0 file assets)"), "{}", out.stdout);
    let context: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("context.json")).unwrap()).unwrap();
    assert_eq!(
        context,
        serde_json::json!({"amplify-backend-namespace": "todoapp", "amplify-backend-name": "dev", "amplify-backend-type": "sandbox"})
    );
}

/// A backend program that writes the smallest assembly and echoes its context.
const BACKEND_MAIN: &str = r##"fn main() {
    let out = std::path::PathBuf::from(std::env::var("CDK_OUTDIR").unwrap());
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("context.json"), std::env::var("CDK_CONTEXT_JSON").unwrap()).unwrap();
    std::fs::write(out.join("manifest.json"), r#"{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}"#).unwrap();
    std::fs::write(out.join("S.template.json"), r#"{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}"#).unwrap();
}
"##;

/// Writes a package into the workspace at `root`; `backend` makes it depend on
/// (a stand-in for) amplify-backend.
fn package(root: &Path, name: &str, backend: bool, main: &str) {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let deps = if backend { "amplify-backend = { path = \"../amplify-backend\" }\n" } else { "" };
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{deps}"),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
}

/// A Cargo workspace with a stand-in amplify-backend library, a tool that does
/// not use it, and the given backend packages.
fn workspace(backends: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = project("ws");
    let lib = root.join("amplify-backend");
    std::fs::create_dir_all(lib.join("src")).unwrap();
    std::fs::write(
        lib.join("Cargo.toml"),
        "[package]\nname = \"amplify-backend\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(lib.join("src/lib.rs"), "").unwrap();
    package(&root, "tool", false, "fn main() {}\n");
    let mut members = vec!["\"amplify-backend\"".to_string(), "\"tool\"".to_string()];
    for name in backends {
        package(&root, name, true, BACKEND_MAIN);
        members.push(format!("\"{name}\""));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    (tmp, root)
}

/// `ampx synth` without `--app` in `cwd`, building into the temp dir's own target.
fn synth_here(tmp: &Path, cwd: &Path) -> Run {
    let mut cmd = ampx_command(cwd);
    cmd.env("CARGO_TARGET_DIR", tmp.join("target"));
    run(cmd, &["synth", "--identifier", "dev"], None)
}

#[test]
fn synth_runs_the_one_bin_that_depends_on_amplify_backend() {
    let (tmp, root) = workspace(&["notes"]);
    let out = synth_here(tmp.path(), &root).ok();
    assert!(out.stdout.contains("Synthesized 1 stack (1 resources, 0 file assets)"), "{}", out.all());
    let written = root.join(".amplify/artifacts/cdk.out/context.json");
    let context: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(written).unwrap()).unwrap();
    assert_eq!(context["amplify-backend-namespace"], "notes", "the namespace is the backend's package");
}

#[test]
fn several_backend_bins_are_chosen_by_directory_or_listed() {
    let (tmp, root) = workspace(&["notes", "admin"]);
    let out = synth_here(tmp.path(), &root).failed();
    assert!(out.stderr.contains("several bin targets are backend programs"), "{}", out.stderr);
    assert!(out.stderr.contains("--app \"cargo run -q -p admin --bin admin\""), "{}", out.stderr);
    assert!(out.stderr.contains("--app \"cargo run -q -p notes --bin notes\""), "{}", out.stderr);
    assert!(!root.join(".amplify").exists(), "nothing ran");

    // Inside one package's directory, that one.
    let admin = root.join("admin");
    synth_here(tmp.path(), &admin).ok();
    let context = std::fs::read_to_string(admin.join(".amplify/artifacts/cdk.out/context.json")).unwrap();
    assert!(context.contains(r#""amplify-backend-namespace":"admin""#), "{context}");
}

#[test]
fn no_backend_bin_says_what_to_add_or_pass() {
    let (tmp, root) = workspace(&[]);
    let out = synth_here(tmp.path(), &root).failed();
    assert!(
        out.stderr.contains("no bin target in this Cargo workspace depends on amplify-backend or constructs"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--app"), "{}", out.stderr);
}

#[test]
fn outside_a_cargo_project_says_to_pass_app() {
    let (tmp, dir) = project("plain");
    let out = synth_here(tmp.path(), &dir).failed();
    assert!(out.stderr.contains("`cargo metadata` failed"), "{}", out.stderr);
    assert!(out.stderr.contains("is this a Cargo project? otherwise pass --app"), "{}", out.stderr);
}

/// Issue 11, 5: a program that writes no assembly is an error, even when an
/// earlier run left one in the output directory.
#[test]
fn a_program_that_writes_no_assembly_fails_even_over_an_old_one() {
    let (tmp, dir) = project("todoapp");
    let out_dir = tmp.path().join("out");
    let out = out_dir.to_str().unwrap();
    let script = r#"printf '{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}' > "$CDK_OUTDIR/manifest.json" &&
        printf '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}' > "$CDK_OUTDIR/S.template.json""#;
    run(ampx_command(&dir), &["synth", "--app", script, "--out-dir", out], None).ok();
    let nothing = run(ampx_command(&dir), &["synth", "--app", "true", "--out-dir", out], None).failed();
    assert!(nothing.stderr.contains("`true` exited without writing a cloud assembly"), "{}", nothing.stderr);
}
