//! Bad input: every problem is reported by synthesis with the function's
//! construct path and what to change, all at once, and nothing panics.

use crate::function_support;

use amplify_backend::function::{
    define_function, secret, FunctionLogging, FunctionProps, LogFormat, LogLevel, Runtime,
};
use constructs::SynthError;
use function_support::*;

fn errors(props: FunctionProps) -> SynthError {
    let backend = backend((define_function(props),));
    backend.app().synth_in_memory().expect_err("synthesis must fail")
}

/// Whether a problem at `path` says `text`.
fn reported(err: &SynthError, path: &str, text: &str) -> bool {
    err.problems.iter().any(|p| p.path == path && p.sentence().contains(text))
}

fn at(id: &str) -> String {
    format!("{ROOT}/function/{id}-lambda")
}

#[test]
fn a_bad_name_is_reported() {
    let err = errors(FunctionProps {
        name: "say hello!".into(),
        entry: fixture("say-hello/handler.ts"),
        ..Default::default()
    });
    assert!(reported(&err, &at("say-hello-"), "function name 'say hello!' must be 1 to 64 letters"), "{err}");
}

#[test]
fn a_missing_entry_is_reported_with_where_it_was_looked_for() {
    let err = errors(FunctionProps {
        name: "ghost".into(),
        entry: "tests/fixtures/functions/ghost/handler.mjs".into(),
        ..Default::default()
    });
    assert!(reported(&err, &at("ghost"), "function 'ghost': entry '"), "{err}");
    assert!(err.mentions("ghost/handler.mjs' cannot be read"), "{err}");
    assert!(err.mentions("relative entries are resolved against"), "{err}");
    // Only that error: no second one about the incomplete function.
    assert_eq!(err.problems.len(), 1, "{err}");
    let err = errors(FunctionProps { name: "no-entry".into(), ..Default::default() });
    assert!(reported(&err, &at("no-entry"), "set FunctionProps::entry"), "{err}");
}

#[test]
fn out_of_range_settings_are_reported_together() {
    let err = errors(FunctionProps {
        name: "big".into(),
        entry: fixture("say-hello/handler.ts"),
        timeout_seconds: Some(901),
        memory_mb: Some(64),
        ephemeral_storage_size_mb: Some(20000),
        logging: FunctionLogging {
            retention_days: Some(10),
            format: Some(LogFormat::Text),
            level: Some(LogLevel::Info),
        },
        schedule: vec!["every 5s".into(), "every 10m".into()],
        ..Default::default()
    });
    let path = at("big");
    assert!(reported(&err, &path, "timeout_seconds is 901; it must be a whole number from 1 to 900"), "{err}");
    assert!(reported(&err, &path, "memory_mb is 64; it must be a whole number from 128 to 10240"), "{err}");
    assert!(reported(&err, &path, "ephemeral_storage_size_mb is 20000"), "{err}");
    assert!(reported(&err, &path, "logging.retention_days is 10"), "{err}");
    assert!(reported(&err, &path, "logging.level needs the JSON log format"), "{err}");
    assert!(reported(&err, &path, "schedule 'every 5s'"), "{err}");
    // 10 minutes is shorter than the (out of range) 901 s timeout.
    assert!(reported(&err, &path, "runs more often than the function's timeout of 901 seconds"), "{err}");
}

#[test]
fn environment_and_secret_names_are_checked() {
    let err = errors(
        FunctionProps { name: "env".into(), entry: fixture("say-hello/handler.ts"), ..Default::default() }
            .env("AWS_REGION", "x")
            .env("9LIVES", "x")
            .env("OK", "x")
            .env("OK", "y")
            .env("TOKEN", secret("no/slashes")),
    );
    let path = at("env");
    assert!(reported(&err, &path, "AWS_REGION is set by Lambda or Amplify"), "{err}");
    assert!(reported(&err, &path, "'9LIVES' must start with a letter"), "{err}");
    assert!(reported(&err, &path, "environment variable OK is set twice"), "{err}");
    assert!(reported(&err, &path, "secret name 'no/slashes'"), "{err}");
}

#[test]
fn a_runtime_that_cannot_run_the_code_is_reported() {
    let err = errors(FunctionProps {
        name: "mismatch".into(),
        entry: fixture("python-hello/handler.py"),
        runtime: Some(Runtime::Node22),
        ..Default::default()
    });
    assert!(reported(&err, &at("mismatch"), "runtime nodejs22.x cannot run the entry, which is Python"), "{err}");
}

#[test]
fn a_name_defined_twice_is_reported() {
    let a = define_function(FunctionProps {
        name: "twin".into(),
        entry: fixture("say-hello/handler.ts"),
        ..Default::default()
    });
    let b = define_function(FunctionProps { name: "twin".into(), entry: fixture("node-dir"), ..Default::default() });
    let backend = backend((a, b));
    let err = backend.app().synth_in_memory().unwrap_err();
    assert!(err.mentions("function 'twin' is defined twice"), "{err}");
}

#[test]
fn no_name_takes_the_entry_file_name_as_amplify_does() {
    let f = define_function(FunctionProps { entry: fixture("python-hello/handler.py"), ..Default::default() });
    assert_eq!(f.name(), "handler");
    let f = define_function(FunctionProps { entry: fixture("node-dir"), ..Default::default() });
    assert_eq!(f.name(), "node-dir");
}
