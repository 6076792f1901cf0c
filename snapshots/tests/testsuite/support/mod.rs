//! Shared test helpers: the examples, and the external tools the tests run.

#![allow(dead_code)]

pub mod chat_example;

use std::path::{Path, PathBuf};
use std::process::Command;

use constructs::{App, AppProps, CloudAssembly};

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One example: a name and the function that builds it into an app.
pub struct Example {
    pub name: &'static str,
    pub build: fn(&Path) -> App,
}

/// An app writing to `dir`, deployed as the sandbox `chatapp`/`dev` (fixed, so
/// snapshots don't depend on who runs them).
pub fn sandbox_app(dir: &Path) -> App {
    App::with_props(AppProps {
        outdir: Some(dir.to_path_buf()),
        context: [
            ("amplify-backend-namespace".to_string(), serde_json::json!("chatapp")),
            ("amplify-backend-name".to_string(), serde_json::json!("dev")),
            ("amplify-backend-type".to_string(), serde_json::json!("sandbox")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    })
}

/// Every example of the workspace.
pub fn examples() -> Vec<Example> {
    vec![
        Example {
            name: "hello-constructs",
            build: |dir| {
                let app = App::with_props(AppProps { outdir: Some(dir.to_path_buf()), ..Default::default() });
                hello_constructs::build(&app);
                app
            },
        },
        Example {
            name: "chat",
            build: |dir| {
                let app = sandbox_app(dir);
                chat::backend(app.clone());
                app
            },
        },
    ]
}

/// Synthesizes an example into `dir`.
pub fn synth_into(example: &Example, dir: &Path) -> CloudAssembly {
    let app = (example.build)(dir);
    app.synth().unwrap_or_else(|e| panic!("{}: {e}", example.name))
}

/// A pinned tool installed by `scripts/install-tools`, from its environment
/// variable or its default place. Missing tools fail the test: a green run must
/// never hide a missing install step.
pub fn tool(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or_else(|| workspace().join(default));
    assert!(path.exists(), "{} not found at {}; run scripts/install-tools (or set {env})", env, path.display());
    path
}

/// The CDK CLI, run offline with dummy credentials.
pub fn cdk(args: &[&str]) -> std::process::Output {
    Command::new(tool("CDK_CLI", ".tools/node/node_modules/.bin/cdk"))
        .args(args)
        .args(["--no-notices", "--no-version-reporting"])
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .output()
        .expect("the CDK CLI runs")
}
