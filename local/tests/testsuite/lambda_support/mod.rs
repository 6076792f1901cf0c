#![allow(dead_code)] // Shared with the benchmark, which uses a part of it.
//! Backends made of functions, synthesized in the test process, and the
//! local Lambda service running them with its log lines kept.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use amplify_backend::Backend;
use amplify_backend::IntoDefinitions;
use constructs::{App, AppProps};
use local::assembly::{Assembly, LocalEnv};
use local::lambda::{Lambda, LambdaOptions, LogLine, LogSink};
use serde_json::json;

/// A synthesized backend and the directory its handlers were written to.
pub struct Project {
    pub code: tempfile::TempDir,
    pub assembly: tempfile::TempDir,
}

/// Writes `files` (name, text) into a fresh directory.
pub fn code(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Synthesizes the functions `make` defines (given the code directory) as
/// the sandbox `lambdatest`.
pub fn synth<D: IntoDefinitions>(code: tempfile::TempDir, make: impl FnOnce(&Path) -> D) -> Project {
    let assembly = tempfile::tempdir().unwrap();
    let context = json!({"amplify-backend-namespace": "lambdatest", "amplify-backend-name": "dev", "amplify-backend-type": "sandbox"});
    let app = App::with_props(AppProps {
        outdir: Some(assembly.path().to_path_buf()),
        context: serde_json::from_value(context).unwrap(),
        ..AppProps::default()
    });
    let backend = Backend::build(app.clone(), make(code.path()));
    drop(backend);
    app.synth().unwrap_or_else(|e| panic!("the test backend synthesizes: {e}"));
    Project { code, assembly }
}

/// The Lambda service over `project`'s functions, with every log line kept.
pub struct Running {
    pub lambda: Lambda,
    pub logs: Arc<Mutex<Vec<LogLine>>>,
    pub data: tempfile::TempDir,
}

impl Running {
    /// The log lines of `function` so far.
    pub fn lines(&self, function: &str) -> Vec<String> {
        self.logs.lock().unwrap().iter().filter(|l| l.function == function).map(|l| l.text.clone()).collect()
    }

    /// Whether `function` logs a line that `wanted` accepts within 5 s: a
    /// process's output is read on its own task, so it may trail the answer.
    pub async fn logged(&self, function: &str, wanted: impl Fn(&str) -> bool) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            if self.lines(function).iter().any(|l| wanted(l)) {
                return true;
            }
            if std::time::Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

pub fn start(project: &Project) -> Running {
    start_with(project, true)
}

/// [`start`], printing the log lines to stderr or not.
pub fn start_with(project: &Project, echo: bool) -> Running {
    let data = tempfile::tempdir().unwrap();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let kept = logs.clone();
    let mut options = LambdaOptions::new(data.path());
    options.logs = LogSink::new(move |l| {
        if echo {
            eprintln!("{l}");
        }
        kept.lock().unwrap().push(l.clone());
    });
    let lambda = Lambda::start(options).unwrap();
    let assembly = Assembly::load(project.assembly.path(), &LocalEnv::default()).unwrap();
    let problems = lambda.load(&assembly);
    assert!(problems.is_empty(), "{problems:?}");
    Running { lambda, logs, data }
}

/// The host's target triple (`rustc -vV`), so Rust handlers build for it.
pub fn host_triple() -> String {
    let out = std::process::Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc -vV names the host").to_string()
}

/// The test's Rust handler crate.
pub fn rust_handler_crate() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/lambda_support/rust_handler")
}

/// Fails clearly when an interpreter the test needs is missing.
pub fn require(program: &str) {
    let ok = std::process::Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(ok, "`{program}` is not on PATH; the local Lambda runtimes need it (install it and run again)");
}
