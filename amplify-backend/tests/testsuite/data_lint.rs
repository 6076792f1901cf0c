//! cfn-lint finds no error in what `define_data` synthesizes: the chat app, a schema
//! using most of the language, and 300 models (whose stacks all stay within
//! CloudFormation's limits).

use crate::data_support;
use crate::lint_support;

use std::path::PathBuf;
use std::process::Command;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::*;
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};
use amplify_backend::Backend;
use constructs::App;
use data_support::scale::{scale_modes, scale_schema};
use data_support::*;
use lint_support::cfn_lint;

fn app(out_dir: &std::path::Path) -> App {
    let app = crate::data_support::sandbox_app();
    app.set_outdir(out_dir);
    app
}

/// Synthesizes `schema` with auth into a fresh directory, checks every template's
/// size against CloudFormation's limits, and runs cfn-lint on all of them.
fn lint(name: &str, schema: Schema, modes: AuthorizationModes) -> usize {
    lint_with(name, schema, modes, Vec::new())
}

fn lint_with(name: &str, schema: Schema, modes: AuthorizationModes, functions: Vec<FunctionDefinition>) -> usize {
    let cfn_lint = cfn_lint();
    let out_dir = std::env::temp_dir().join(format!("amplify-data-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let data = define_data(DataProps { schema, authorization_modes: modes, ..Default::default() });
    let backend = Backend::build(app(&out_dir), (auth, data, functions));
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    for s in &assembly.stacks {
        let t = &s.template;
        let count = |k: &str| t.get(k).and_then(|v| v.as_object()).map_or(0, |m| m.len());
        assert!(s.resource_count() <= 500, "{}: {} resources", s.construct_path, s.resource_count());
        assert!(count("Parameters") <= 200 && count("Outputs") <= 200, "{}", s.construct_path);
        assert!(serde_json::to_string(t).unwrap().len() < 1_000_000, "{}", s.construct_path);
    }
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| out_dir.join(&s.template_file)).collect();
    // Any error (E) fails the test. cfn-lint is single-threaded: one process per
    // core, each on a share of the files.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(cores).max(1);
    let runs: Vec<_> = files
        .chunks(chunk)
        .map(|batch| {
            // The files go first: `--regions` takes every word after it.
            Command::new(&cfn_lint)
                .args(batch)
                .args(["--format", "parseable", "--regions", "us-east-1"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run cfn-lint")
        })
        .collect();
    for run in runs {
        let out = run.wait_with_output().expect("cfn-lint output");
        // Exit code 32 is cfn-lint failing to run (a missing file, a crash).
        assert_ne!(out.status.code(), Some(32), "cfn-lint failed: {}", String::from_utf8_lossy(&out.stderr));
        let report = String::from_utf8_lossy(&out.stdout);
        // `DATA_LINT_REPORT=1` shows the warnings too.
        if std::env::var_os("DATA_LINT_REPORT").is_some() {
            eprintln!("{report}");
        }
        let errors: Vec<&str> = report.lines().filter(|l| l.contains(":E")).collect();
        assert!(errors.is_empty(), "cfn-lint errors:\n{}", errors.join("\n"));
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    assembly.stacks.len()
}

#[test]
fn the_chat_app_passes_cfn_lint() {
    lint("chat", chat_schema(), AuthorizationModes::user_pool());
}

#[test]
fn the_rich_schema_passes_cfn_lint() {
    let schema = rich_schema().authorization(|allow| [allow.resource("echo")]);
    lint_with("rich", schema, rich_modes(), vec![echo_function()]);
}

#[test]
fn three_hundred_models_synthesize_within_limits_and_pass_cfn_lint() {
    let stacks = lint("300", scale_schema(300), scale_modes());
    // root, auth, data, 16 model shards, 300 model stacks and the connection shards.
    assert!(stacks > 300 + 16, "{stacks}");
}

/// The `echo` function the rich schema's query runs.
fn echo_function() -> FunctionDefinition {
    let entry = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/fixtures/echo.mjs");
    define_function(FunctionProps { name: "echo".into(), entry, ..Default::default() })
}
