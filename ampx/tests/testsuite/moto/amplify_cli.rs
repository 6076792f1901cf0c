//! Amplify's own CLI (`@aws-amplify/backend-cli`, pinned in
//! scripts/tools-amplify-cli) reads a backend that our ampx deployed: the chat
//! example, deployed to moto, gives the same `amplify_outputs.json` through
//! Amplify's `generate outputs` as through ours, `model_introspection` included
//! (Amplify derives it from the model schema named by `amplifyApiModelSchemaS3Uri`).
//!
//! moto models neither Cognito nor AppSync nor Location: `moto_for_amplify.py`
//! gives those resources stand-in ids so the stacks deploy, and both CLIs read the
//! same outputs. `generate graphql-client-code` and `generate forms` ask AppSync
//! itself for the API's schema (`GetIntrospectionSchema`), which moto cannot
//! answer for an API it never created; the test pins that failure, so it shows
//! when the stand-in is taught AppSync.

use super::*;

use std::path::PathBuf;
use std::process::Command;

use constructs::{App, AppProps};

/// Amplify's CLI from the tools install.
fn amplify_cli() -> PathBuf {
    let path = std::env::var_os("AMPLIFY_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/amplify-cli/node_modules/.bin/ampx"));
    assert!(path.is_file(), "Amplify's CLI is not at {}: run scripts/install-tools", path.display());
    path
}

/// Runs Amplify's `ampx` in `cwd` against moto.
pub(super) fn amplify(moto: &Moto, cwd: &Path, args: &[&str]) -> common::Run {
    let mut cmd = Command::new(amplify_cli());
    cmd.current_dir(cwd)
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AMPLIFY_DISABLE_TELEMETRY", "1")
        // Amplify's CLI refuses to run outside a package manager; this is what npx sets.
        .env("npm_config_user_agent", "npm/10 node/v20 linux x64 workspaces/false");
    common::run(cmd, args, None)
}

/// The chat example, synthesized as the `dev` sandbox of `chatapp`.
pub(super) fn synth_chat(dir: &Path) {
    let app = App::with_props(AppProps {
        outdir: Some(dir.to_path_buf()),
        context: [
            ("amplify-backend-type".to_string(), serde_json::json!("sandbox")),
            ("amplify-backend-namespace".to_string(), serde_json::json!("chatapp")),
            ("amplify-backend-name".to_string(), serde_json::json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    if let Err(e) = chat::backend(app).synth() {
        panic!("the chat example does not synthesize: {e}");
    }
}

fn read_json(path: &Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

#[tokio::test]
async fn amplifys_generate_outputs_reads_the_chat_backend_as_ours_does() {
    let moto = Moto::start_for_amplify();
    moto.bootstrap().await;
    let (tmp, dir) = project("chatapp");
    let assembly = tmp.path().join("cdk.out");
    synth_chat(&assembly);
    let stack = sandbox_stack("chatapp", "dev");
    let run = moto.ampx(
        &dir,
        &["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", assembly.to_str().unwrap()],
    );
    let run = run.ok();
    assert!(run.stderr.contains(&format!("{stack}: CREATE_COMPLETE")), "{}", run.stderr);
    let ours = read_json(&dir.join("amplify_outputs.json"));

    let theirs_dir = tmp.path().join("theirs");
    let generated =
        amplify(&moto, &dir, &["generate", "outputs", "--stack", &stack, "--out-dir", theirs_dir.to_str().unwrap()]);
    assert!(generated.success(), "Amplify's generate outputs failed:\n{}", generated.all());
    let theirs = read_json(&theirs_dir.join("amplify_outputs.json"));
    assert_eq!(theirs, ours, "Amplify's amplify_outputs.json differs from ours");

    // What the comparison covers: every category, and the models Amplify derived
    // from the staged model schema (the custom operations included).
    let introspection = &theirs["data"]["model_introspection"];
    let models: Vec<&String> = introspection["models"].as_object().expect("models").keys().collect();
    assert_eq!(models, ["Chat", "Message", "Announcement"]);
    for query in ["sayHello", "fibonacci"] {
        assert!(introspection["queries"][query].is_object(), "no {query} in {introspection}");
    }
    assert!(introspection["mutations"]["announce"].is_object(), "{introspection}");
    for section in ["auth", "data", "storage", "custom", "geo"] {
        assert!(theirs.get(section).is_some(), "no {section} in {theirs}");
    }
    assert_eq!(theirs["storage"]["bucket_name"], stack_output(&moto, &stack, "bucketName").await.unwrap().as_str());

    // The code generators ask AppSync for the schema; moto never created the API.
    for (command, out) in [("graphql-client-code", "--out"), ("forms", "--out-dir")] {
        let target = tmp.path().join(command);
        let run = amplify(&moto, &dir, &["generate", command, "--stack", &stack, out, target.to_str().unwrap()]);
        assert!(!run.success(), "generate {command} passed against moto; compare its files with ours now");
        assert!(run.all().contains("NotFoundException"), "generate {command}:\n{}", run.all());
    }
}
