//! Functions under `ampx dev`, judged by the real clients: Amplify's JS
//! client (aws-amplify, pinned) signs up on the chat example, which runs its
//! post-confirmation trigger, and calls the custom query `sayHello`, which the
//! Node handler answers; `ampx dev invoke` runs a Rust handler (built for the
//! host) through the AWS SDK's Invoke and the local Runtime API; `ampx dev
//! secret set` gives a function its secret.
//!
//! Needs `node` and the pinned Node tools: run `scripts/install-tools`, then
//! `source .tools/env`.

use crate::dev_amplify::{node_modules, Dev};

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use amplify_backend::function::{define_function, secret, EnvValue, FunctionProps, RustBuild};
use amplify_backend::Backend;
use constructs::{App, AppProps};
use serde_json::json;

fn host_triple() -> String {
    let out = Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc -vV names the host").to_string()
}

/// The chat example, plus a Rust function and a Node function with a secret.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let greet = dir.path().join("greet.mjs");
    std::fs::write(&greet, "export const handler = async () => ({ greeting: process.env.GREETING });\n").unwrap();
    // Synthesized as `ampx dev --identifier test` would, so that the secrets'
    // paths agree with `ampx dev secret`'s.
    let id = ampx::commands::sandbox_identifier(dir.path(), Some("test")).unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().join("cdk.out")),
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!(id.namespace)),
            ("amplify-backend-name".to_string(), json!("test")),
            (amplify_backend::function::RUST_TARGET_CONTEXT.to_string(), json!(host_triple())),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let say_hello = chat::say_hello::say_hello();
    let post_confirmation = chat::post_confirmation::post_confirmation();
    let announce = chat::announce::announce();
    let fibonacci = chat::fibonacci::fibonacci();
    let rust = define_function(FunctionProps {
        name: "rust-echo".into(),
        entry: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../local/tests/testsuite/lambda_support/rust_handler"),
        rust: RustBuild { target: Some(host_triple()), ..Default::default() },
        ..Default::default()
    });
    let greeter = define_function(FunctionProps {
        name: "greeter".into(),
        entry: greet,
        environment: vec![("GREETING".into(), EnvValue::Secret(secret("GREETING")))],
        ..Default::default()
    });
    let backend = Backend::build(
        app.clone(),
        (
            chat::auth::auth(&post_confirmation),
            chat::data::data(&say_hello, &announce, &fibonacci),
            chat::storage::storage(&say_hello),
            vec![say_hello, post_confirmation, announce, fibonacci, rust, greeter],
        ),
    );
    drop(backend);
    app.synth().unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn ampx(project: &Path, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ampx"))
        .current_dir(project)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn amplify_js_runs_the_functions_and_ampx_dev_invoke_runs_a_rust_handler() {
    let project = project();
    let dev = Dev::start(project.path(), &[]);
    assert!(dev.stdout().contains("[dev] functions:"), "{}", dev.stdout());
    assert!(!dev.stderr().contains("not run locally"), "{}", dev.stderr());

    let outputs = project.path().join("web/amplify_outputs.json");
    let ca: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&outputs).unwrap()).unwrap();
    let ca = ca["custom"]["local"]["ca_cert"].as_str().unwrap().to_string();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/node/dev_functions.mjs");
    let out = Command::new("node")
        .arg(script)
        .env("TOOLS_NODE_MODULES", node_modules())
        .env("OUTPUTS", &outputs)
        .env("AMPX_LOG", &dev.log)
        .env("NODE_EXTRA_CA_CERTS", ca)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node failed:\n{stdout}\n{}\n--- ampx\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        dev.stdout(),
        dev.stderr()
    );
    assert!(stdout.contains("sayHello: Hello, Ada!"), "{stdout}");
    // The trigger's console.log, streamed under its name.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dev.stdout().contains("[post-confirmation] welcome carol@example.com (PostConfirmation_ConfirmSignUp)") {
        assert!(Instant::now() < deadline, "no trigger output:\n{}\n{}", dev.stdout(), dev.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }

    let (ok, answer, err) = ampx(project.path(), &["dev", "invoke", "rust-echo", "--event", r#"{"n":7}"#], None);
    assert!(ok, "{answer}\n{err}\n{}", dev.stderr());
    let answer: serde_json::Value = serde_json::from_str(answer.trim()).unwrap();
    assert_eq!((answer["runtime"].as_str(), &answer["event"]), (Some("rust"), &json!({"n": 7})));
    let (ok, answer, _) = ampx(project.path(), &["dev", "invoke", "rust-echo", "--event", r#"{"fail":true}"#], None);
    assert!(!ok && answer.contains("asked to fail"), "{answer}");
    let (ok, _, err) = ampx(project.path(), &["dev", "invoke", "nope"], None);
    assert!(!ok && err.contains("no function nope"), "{err}");

    let (ok, _, err) =
        ampx(project.path(), &["dev", "secret", "set", "GREETING", "--identifier", "test"], Some("hi there\n"));
    assert!(ok, "{err}");
    let (ok, listed, _) = ampx(project.path(), &["dev", "secret", "list", "--identifier", "test"], None);
    assert!(ok && listed.lines().any(|l| l == "GREETING"), "{listed}");
    let (ok, answer, err) = ampx(project.path(), &["dev", "invoke", "greeter"], None);
    assert!(ok, "{answer}\n{err}");
    assert!(answer.contains("\"greeting\":\"hi there\""), "{answer}");
    dev.stop();
}
