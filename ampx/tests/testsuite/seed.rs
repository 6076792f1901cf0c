//! `ampx sandbox seed` and `ampx dev seed`: the project's `amplify/seed/seed.ts`
//! runs with tsx (Amplify's CLI's own, from the tools install), from the project,
//! with the sandbox named in `AMPLIFY_BACKEND_IDENTIFIER`. Under `ampx dev` it
//! creates records through the local data API with the real aws-amplify client,
//! and a second client reads them back.

use std::path::{Path, PathBuf};
use std::process::Command;

use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps};
use amplify_backend::Backend;
use constructs::{App, AppProps};
use serde_json::{json, Value};

use crate::common::{ampx_command, run};
use crate::dev_amplify::{node_modules, Dev};

/// tsx, installed beside Amplify's CLI by scripts/install-tools.
fn tsx() -> PathBuf {
    let cli = std::env::var_os("AMPLIFY_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/amplify-cli/node_modules/.bin/ampx"));
    let tsx = cli.with_file_name("tsx");
    assert!(tsx.exists(), "tsx is not at {}: run scripts/install-tools", tsx.display());
    tsx
}

/// A project directory `seedapp` (the sandbox namespace) whose seed program is
/// `code`, with tsx and aws-amplify in its node_modules (links into the tools
/// install).
fn project(code: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = &tmp.path().join("seedapp");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("package.json"), r#"{"name": "seedapp", "type": "module"}"#).unwrap();
    std::fs::create_dir_all(dir.join("amplify/seed")).unwrap();
    std::fs::write(dir.join("amplify/seed/seed.ts"), code).unwrap();
    std::fs::create_dir_all(dir.join("node_modules/.bin")).unwrap();
    std::os::unix::fs::symlink(tsx(), dir.join("node_modules/.bin/tsx")).unwrap();
    std::os::unix::fs::symlink(node_modules().join("aws-amplify"), dir.join("node_modules/aws-amplify")).unwrap();
    let dir = dir.clone();
    (tmp, dir)
}

#[test]
fn sandbox_seed_runs_the_typescript_program_with_amplifys_identifier() {
    let (_tmp, dir) = project(
        r#"import { writeFileSync } from "node:fs";
type Id = { namespace: string; name: string; type: "sandbox" | "branch" };
const id: Id = JSON.parse(process.env.AMPLIFY_BACKEND_IDENTIFIER ?? "null");
writeFileSync("seeded.json", JSON.stringify({ id, cwd: process.cwd() }));
"#,
    );
    let dir = dir.as_path();
    let out = run(ampx_command(dir), &["sandbox", "seed", "--identifier", "dev"], None).ok();
    assert!(out.stderr.contains("[seed] running amplify/seed/seed.ts against sandbox dev"), "{}", out.stderr);
    let seeded: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("seeded.json")).unwrap()).unwrap();
    assert_eq!(seeded["id"], json!({"namespace": "seedapp", "name": "dev", "type": "sandbox"}));
    assert_eq!(Path::new(seeded["cwd"].as_str().unwrap()).canonicalize().unwrap(), dir.canonicalize().unwrap());

    // A program that throws fails the command, and says so.
    std::fs::write(dir.join("amplify/seed/seed.ts"), "throw new Error('no seeds today');\n").unwrap();
    let failed = run(ampx_command(dir), &["sandbox", "seed", "--identifier", "dev"], None);
    assert!(!failed.success(), "{}", failed.all());
    assert!(failed.stderr.contains("no seeds today"), "the program's own error is shown: {}", failed.stderr);
    assert!(failed.stderr.contains("amplify/seed/seed.ts failed (exit code 1)"), "{}", failed.stderr);

    // No program: where to write one.
    std::fs::remove_file(dir.join("amplify/seed/seed.ts")).unwrap();
    let missing = run(ampx_command(dir), &["sandbox", "seed", "--identifier", "dev"], None);
    assert!(!missing.success());
    assert!(missing.stderr.contains("there is no seed program: write one at"), "{}", missing.stderr);
}

/// A backend whose `Todo` model anyone with the API key may use.
fn synth_todos(dir: &Path) {
    let app = App::with_props(AppProps {
        outdir: Some(dir.to_path_buf()),
        context: [
            ("amplify-backend-type".to_string(), json!("sandbox")),
            ("amplify-backend-namespace".to_string(), json!("seedapp")),
            ("amplify-backend-name".to_string(), json!("test")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let schema = a::schema([(
        "Todo",
        a::model([("content", a::string().required()), ("done", a::boolean())])
            .authorization(|allow| [allow.public_api_key()]),
    )]);
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::api_key(), ..Default::default() });
    if let Err(e) = Backend::build(app, (data,)).synth() {
        panic!("the todo backend does not synthesize: {e}");
    }
}

/// Lists the todos through the local data API with a fresh aws-amplify client.
fn todos(dir: &Path) -> Vec<String> {
    let outputs: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("web/amplify_outputs.json")).unwrap()).unwrap();
    let script = r#"
import { Amplify } from "aws-amplify";
import { generateClient } from "aws-amplify/data";
import { readFileSync } from "node:fs";
Amplify.configure(JSON.parse(readFileSync("web/amplify_outputs.json", "utf8")));
const { data, errors } = await generateClient().models.Todo.list();
if (errors) throw new Error(JSON.stringify(errors));
console.log(JSON.stringify(data.map((t) => t.content).sort()));
"#;
    std::fs::write(dir.join("list.mjs"), script).unwrap();
    let out = Command::new("node")
        .arg("list.mjs")
        .current_dir(dir)
        .env("NODE_EXTRA_CA_CERTS", outputs["custom"]["local"]["ca_cert"].as_str().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn dev_seed_creates_records_through_the_local_data_api() {
    let (_tmp, dir) = project(
        r#"import { Amplify } from "aws-amplify";
import { generateClient } from "aws-amplify/data";
import { readFileSync } from "node:fs";
Amplify.configure(JSON.parse(readFileSync("web/amplify_outputs.json", "utf8")));
const client = generateClient();
for (const content of ["water the plants", "write the seed", "ship it"]) {
  const { errors } = await client.models.Todo.create({ content, done: false });
  if (errors) throw new Error(JSON.stringify(errors));
}
console.log(`seeded for ${JSON.parse(process.env.AMPLIFY_BACKEND_IDENTIFIER!).name}`);
"#,
    );
    let dir = dir.as_path();
    synth_todos(&dir.join("cdk.out"));
    let dev = Dev::start(dir, &["--no-console"]);
    assert!(todos(dir).is_empty());

    let out = run(ampx_command(dir), &["dev", "seed"], None).ok();
    assert!(out.stdout.contains("seeded for test"), "the program ran as the dev sandbox: {}", out.stdout);
    assert_eq!(todos(dir), ["ship it", "water the plants", "write the seed"]);
    dev.stop();

    let stopped = run(ampx_command(dir), &["dev", "seed"], None);
    assert!(!stopped.success());
    assert!(stopped.stderr.contains("`ampx dev` is not running in"), "{}", stopped.stderr);
}
