//! The chat backend program: a one-line `main` that follows the CDK app protocol
//! (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`), prints a summary or every error, and leaves
//! `amplify_outputs.json` as synthesis knows it in the assembly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use amplify_backend::backend::PREDEPLOY_OUTPUTS_FILE;
use amplify_backend::BackendIdentifier;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_chat");

/// Runs the program into `dir` with the given context (none: the sandbox defaults).
fn run(dir: &Path, context: Option<Value>) -> Output {
    let mut command = Command::new(BIN);
    command.env("CDK_OUTDIR", dir).env("CARGO_PKG_NAME", "chat").env("USER", "alice").env_remove("USERNAME");
    match context {
        Some(c) => command.env("CDK_CONTEXT_JSON", c.to_string()),
        None => command.env_remove("CDK_CONTEXT_JSON"),
    };
    command.output().expect("the chat program runs")
}

fn sandbox_context() -> Value {
    json!({"amplify-backend-namespace": "chatapp", "amplify-backend-name": "dev", "amplify-backend-type": "sandbox"})
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn template_path(dir: &Path, id: &BackendIdentifier) -> PathBuf {
    dir.join(format!("{}.template.json", id.stack_name()))
}

#[test]
fn main_is_one_line() {
    let main = include_str!("../amplify/main.rs");
    let body: Vec<&str> = main
        .lines()
        .skip_while(|l| !l.starts_with("fn main"))
        .skip(1)
        .take_while(|l| *l != "}")
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(body, ["    chat::backend(constructs::App::new()).run()"], "{main}");
}

#[test]
fn it_synthesizes_the_sandbox_and_the_outputs_file_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), Some(sandbox_context()));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Synthesized 17 stacks ("), "{stdout}");
    let file = dir.path().join(PREDEPLOY_OUTPUTS_FILE);
    assert!(
        stdout.contains(&format!(
            "amplify_outputs.json before deployment (deployed values are placeholders): {}",
            file.display()
        )),
        "{stdout}"
    );
    assert!(template_path(dir.path(), &BackendIdentifier::sandbox("chatapp", "dev")).is_file());

    let outputs = read(&file);
    let schema = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../reference/amplify-outputs-schema-v1.5.json"));
    let validator = jsonschema::validator_for(&schema).expect("the reference schema compiles");
    let errors: Vec<String> = validator.iter_errors(&outputs).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{outputs:#}\nis invalid: {errors:#?}");
    // Every category of the chat backend, and the map of the custom stack.
    for section in ["auth", "data", "storage", "geo", "custom"] {
        assert!(outputs.get(section).is_some(), "no {section} in {outputs:#}");
    }
    assert_eq!(outputs["geo"]["maps"]["default"], "chat-map");
    assert_eq!(outputs["data"]["default_authorization_type"], "AMAZON_COGNITO_USER_POOLS");
    assert_eq!(outputs["storage"]["buckets"][0]["name"], "media");
}

#[test]
fn without_context_it_is_the_users_sandbox_of_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = BackendIdentifier::sandbox("chat", "alice");
    let root = read(&template_path(dir.path(), &id));
    assert_eq!(root["Outputs"]["deploymentType"]["Value"], "sandbox");
}

#[test]
fn a_branch_context_gives_the_branch_stack() {
    let dir = tempfile::tempdir().unwrap();
    let context = json!({"amplify-backend-namespace": "d1abcdefghij", "amplify-backend-name": "main", "amplify-backend-type": "branch"});
    let out = run(dir.path(), Some(context));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root = read(&template_path(dir.path(), &BackendIdentifier::branch("d1abcdefghij", "main")));
    assert_eq!(root["Outputs"]["deploymentType"]["Value"], "branch");
}

#[test]
fn bad_context_fails_with_every_error_and_no_outputs_file() {
    let dir = tempfile::tempdir().unwrap();
    let context = json!({"amplify-backend-namespace": "chatapp", "amplify-backend-name": "!!!", "amplify-backend-type": "preview"});
    let out = run(dir.path(), Some(context));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("synthesis failed with 2 errors:"), "{stderr}");
    // Each error with its code, path, message and fix.
    assert!(stderr.contains("AMP502 [amplify-chatapp--sandbox-f38a34966d] context 'amplify-backend-type' is 'preview'\n      fix: use 'sandbox' or 'branch'"), "{stderr}");
    assert!(stderr.contains("the backend name '!!!' has no letters or digits"), "{stderr}");
    assert!(!dir.path().join(PREDEPLOY_OUTPUTS_FILE).exists());
}

#[test]
fn the_cdk_cli_runs_the_program() {
    let cdk = std::env::var_os("CDK_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools/node/node_modules/.bin/cdk"));
    assert!(cdk.exists(), "the CDK CLI is missing at {}; run scripts/install-tools", cdk.display());
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(cdk)
        .args(["synth", "--app", BIN, "--output"])
        .arg(dir.path())
        .args(["--no-notices", "--quiet"])
        .args(["-c", "amplify-backend-namespace=chatapp", "-c", "amplify-backend-name=dev"])
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .output()
        .unwrap();
    assert!(out.status.success(), "cdk synth failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(template_path(dir.path(), &BackendIdentifier::sandbox("chatapp", "dev")).is_file());
    assert!(dir.path().join(PREDEPLOY_OUTPUTS_FILE).is_file());
}

#[test]
fn started_from_another_directory_it_finds_and_bundles_its_typescript_function() {
    // As an installed program runs: elsewhere, and with no CARGO_MANIFEST_DIR.
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .current_dir(elsewhere.path())
        .env_remove("CARGO_MANIFEST_DIR")
        .env("CDK_OUTDIR", dir.path())
        .env("CDK_CONTEXT_JSON", sandbox_context().to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // say-hello sits in the data stack, beside the query it answers.
    let lambda = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".template.json"))
        .find_map(|p| {
            let template = read(&p);
            let r = template["Resources"]["sayhellolambdaEFA46D92"].clone();
            (!r.is_null()).then_some(r)
        })
        .expect("a template with the say-hello function");
    assert_eq!(lambda["Properties"]["Handler"], "index.handler");
    let asset = dir.path().join(lambda["Metadata"]["aws:asset:path"].as_str().unwrap());
    let map = read(&asset.join("index.mjs.map"));
    assert_eq!(map["sources"], json!(["amplify/functions/say-hello/handler.ts"]));
    // The bundle is the handler, types stripped: Node.js runs it.
    let script = "const { handler } = await import(process.argv[1]); console.log(await handler({ name: 'Ada' }));";
    let run = Command::new("node")
        .args(["--input-type=module", "--eval", script])
        .arg(format!("file://{}", asset.join("index.mjs").display()))
        .output()
        .expect("node runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "Hello, Ada!");
}
