//! Amplify's own CLI (`@aws-amplify/backend-cli`, pinned in
//! scripts/tools-amplify-cli) reads a backend that our ampx deployed, the chat
//! example on moto:
//!
//! - `generate outputs` writes the same `amplify_outputs.json` as ours,
//!   `model_introspection` included (derived from `amplifyApiModelSchemaS3Uri`);
//! - Amplify's resource references are in SSM, holding what the outputs say;
//! - `generate graphql-client-code` (statements as GraphQL and as TypeScript with
//!   `API.ts`) writes the same files, byte for byte, as our
//!   `ampx generate graphql-client-code`; its `introspection` format is the
//!   outputs' model introspection; `modelgen` and `generate forms` (formats ours
//!   does not write) run on it for every model.
//!
//! moto models neither Cognito nor Location: `moto_for_amplify.py` gives those
//! resources stand-in ids so the stacks deploy, and creates the AppSync API and
//! schema in moto's AppSync, which the code generators ask for the schema.

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

    resource_references_are_in_ssm(&moto, &theirs).await;

    // The code generators ask AppSync for the API's schema: the shim created the
    // API in moto's AppSync from the template's SDL. Each generator's files are
    // kept for the comparison below.
    let codegen = |name: &str, extra: &[&str]| {
        let target = tmp.path().join(name);
        let mut args = vec!["generate", "graphql-client-code", "--stack", &stack, "--out", target.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = amplify(&moto, &dir, &args);
        assert!(run.success(), "Amplify's generate graphql-client-code {extra:?} failed:\n{}", run.all());
        target
    };
    let theirs_ts = codegen("theirs-ts", &["--statement-target", "typescript"]);
    let theirs_graphql = codegen("theirs-graphql", &["--statement-target", "graphql"]);
    let theirs_introspection = codegen("theirs-introspection", &["--format", "introspection"]);
    let theirs_models = codegen("theirs-models", &["--format", "modelgen", "--model-target", "typescript"]);
    let ours_ts = tmp.path().join("ours-ts");
    moto.ampx(
        &dir,
        &["generate", "graphql-client-code", "--app", assembly.to_str().unwrap(), "--out", ours_ts.to_str().unwrap()],
    )
    .ok();
    let ours_graphql = tmp.path().join("ours-graphql");
    moto.ampx(
        &dir,
        &[
            "generate",
            "graphql-client-code",
            "--app",
            assembly.to_str().unwrap(),
            "--out",
            ours_graphql.to_str().unwrap(),
            "--statement-target",
            "graphql",
        ],
    )
    .ok();
    let listing = |d: &Path| -> Vec<String> {
        let mut files: Vec<String> = walk(d).iter().map(|p| p.strip_prefix(d).unwrap().display().to_string()).collect();
        files.sort();
        files
    };
    if let Some(keep) = std::env::var_os("KEEP_CODEGEN").map(PathBuf::from) {
        // For looking at the files by hand.
        for d in [&theirs_ts, &theirs_graphql, &theirs_introspection, &theirs_models, &ours_ts, &ours_graphql] {
            let to = keep.join(d.file_name().unwrap());
            let _ = Command::new("cp").args(["-r", d.to_str().unwrap(), to.to_str().unwrap()]).status();
        }
    }
    // The same format from both: the same files, byte for byte.
    for (theirs, ours) in [(&theirs_ts, &ours_ts), (&theirs_graphql, &ours_graphql)] {
        assert_eq!(listing(theirs), listing(ours));
        for file in listing(theirs) {
            let (a, b) = (
                std::fs::read_to_string(theirs.join(&file)).unwrap(),
                std::fs::read_to_string(ours.join(&file)).unwrap(),
            );
            assert!(a == b, "{file} differs from Amplify's:\n{}", first_difference(&a, &b));
        }
    }
    assert_eq!(listing(&theirs_ts), ["API.ts", "mutations.ts", "queries.ts", "subscriptions.ts"]);

    // Amplify's introspection format, derived from what AppSync serves, is the
    // model introspection both `generate outputs` wrote.
    let introspection = read_json(&theirs_introspection.join("model-introspection.json"));
    assert_eq!(introspection, theirs["data"]["model_introspection"]);

    // Formats ours does not write (DataStore models; React forms): they run on
    // what we deployed, for every model.
    assert_eq!(listing(&theirs_models), ["index.ts", "schema.ts"]);
    let models = std::fs::read_to_string(theirs_models.join("index.ts")).unwrap();
    for model in ["Chat", "Message", "Announcement"] {
        assert!(models.contains(model), "no {model} in the models:\n{models}");
    }
    let forms = tmp.path().join("forms");
    let run = amplify(&moto, &dir, &["generate", "forms", "--stack", &stack, "--out-dir", forms.to_str().unwrap()]);
    assert!(run.success(), "Amplify's generate forms failed:\n{}", run.all());
    let written = listing(&forms);
    for model in ["Chat", "Message", "Announcement"] {
        for form in ["CreateForm", "UpdateForm"] {
            for ext in ["jsx", "d.ts"] {
                let file = format!("{model}{form}.{ext}");
                assert!(written.contains(&file), "no {file} in {written:?}");
            }
        }
    }
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    let (mut x, mut y) = (a.lines(), b.lines());
    for n in 1.. {
        match (x.next(), y.next()) {
            (None, None) => return "(only line endings differ)".into(),
            (l, r) if l != r => return format!("line {n}:\n  Amplify: {l:?}\n  ours:    {r:?}"),
            _ => {}
        }
    }
    unreachable!()
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Amplify's resource references, as deployed: each parameter holds what the
/// outputs say, and the model introspection file they name is in S3, the same
/// document as the outputs' `model_introspection`.
async fn resource_references_are_in_ssm(moto: &Moto, outputs: &Json) {
    let prefix = BackendIdentifier::sandbox("chatapp", "dev").resource_reference_path("");
    let ssm = moto.ssm().await;
    let mut values = std::collections::BTreeMap::new();
    let mut next: Option<String> = None;
    loop {
        let page = ssm.get_parameters_by_path().path(&prefix).set_next_token(next.clone()).send().await.unwrap();
        for p in page.parameters() {
            values.insert(p.name().unwrap().trim_start_matches(&prefix).to_string(), p.value().unwrap().to_string());
        }
        next = page.next_token().map(str::to_string);
        if next.is_none() {
            break;
        }
    }
    let names: Vec<&str> = values.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "AMPLIFY_DATA_DEFAULT_NAME",
            "AMPLIFY_DATA_GRAPHQL_ENDPOINT",
            "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
            "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY",
            "MEDIA_BUCKET_NAME"
        ]
    );
    assert_eq!(values["AMPLIFY_DATA_DEFAULT_NAME"], "amplifyData");
    assert_eq!(values["AMPLIFY_DATA_GRAPHQL_ENDPOINT"], outputs["data"]["url"].as_str().unwrap());
    assert_eq!(values["MEDIA_BUCKET_NAME"], outputs["storage"]["bucket_name"].as_str().unwrap());
    let object = moto
        .s3()
        .await
        .get_object()
        .bucket(&values["AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME"])
        .key(&values["AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY"])
        .send()
        .await
        .expect("the model introspection is where the references say");
    let body = object.body.collect().await.unwrap().into_bytes();
    let introspection: Json = serde_json::from_slice(&body).unwrap();
    assert_eq!(introspection, outputs["data"]["model_introspection"]);

    // The function with data access (announce) finds them in AMPLIFY_SSM_ENV_CONFIG.
    let lambda = moto.lambda().await;
    let functions = lambda.list_functions().send().await.unwrap();
    let announce = functions
        .functions()
        .iter()
        .find(|f| f.function_name().is_some_and(|n| n.contains("announce")))
        .expect("the announce function");
    let env = announce.environment().and_then(|e| e.variables()).expect("an environment");
    let config: Json = serde_json::from_str(&env["AMPLIFY_SSM_ENV_CONFIG"]).unwrap();
    for name in [
        "AMPLIFY_DATA_GRAPHQL_ENDPOINT",
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
        "AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY",
        "AMPLIFY_DATA_DEFAULT_NAME",
    ] {
        let path = config[name]["path"].as_str().unwrap_or_else(|| panic!("{name} in {config}"));
        assert_eq!(path, format!("{prefix}{name}"));
        assert_eq!(env[name], values[name], "{name}: the direct value is the parameter's");
    }
}
