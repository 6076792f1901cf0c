//! `--outputs-format mjs | ts | json-mobile` (sandbox and `generate outputs`):
//! the same document as `amplify_outputs.json`, as a module Node.js imports or
//! as the JSON file.

use super::*;
use common::backend::{self, Options};

#[tokio::test]
async fn modules_and_json_mobile_hold_the_same_document_as_the_json_file() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options { amplify_metadata: true, ..Options::new(&stack) });
    let args = ["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", v1.to_str().unwrap()];
    let run = moto.ampx(&dir, &[&args[..], &["--outputs-format", "mjs"]].concat());
    assert!(run.stderr.contains("wrote ./amplify_outputs.mjs"), "{}", run.stderr);
    assert!(!dir.join("amplify_outputs.json").exists());

    let web = tmp.path().join("web");
    let web_dir = web.to_str().unwrap();
    moto.ampx(&dir, &["generate", "outputs", "--stack", &stack, "--out-dir", web_dir]).ok();
    let json: Json = serde_json::from_str(&std::fs::read_to_string(web.join("amplify_outputs.json")).unwrap()).unwrap();
    assert!(json["storage"]["bucket_name"].is_string(), "{json}");

    // Node.js imports the module: its default export is the document.
    let url = format!("file://{}", dir.join("amplify_outputs.mjs").display());
    let script = "const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(m.default));";
    let node = std::process::Command::new("node").args(["--input-type=module", "-e", script, &url]).output().unwrap();
    assert!(node.status.success(), "{}", String::from_utf8_lossy(&node.stderr));
    assert_eq!(serde_json::from_slice::<Json>(&node.stdout).unwrap(), json);

    moto.ampx(&dir, &["generate", "outputs", "--stack", &stack, "--out-dir", web_dir, "--format", "ts"]).ok();
    let ts = std::fs::read_to_string(web.join("amplify_outputs.ts")).unwrap();
    assert_eq!(ts, std::fs::read_to_string(dir.join("amplify_outputs.mjs")).unwrap(), "the same module");

    std::fs::remove_file(web.join("amplify_outputs.json")).unwrap();
    moto.ampx(&dir, &["generate", "outputs", "--stack", &stack, "--out-dir", web_dir, "--format", "json-mobile"]).ok();
    let mobile: Json =
        serde_json::from_str(&std::fs::read_to_string(web.join("amplify_outputs.json")).unwrap()).unwrap();
    assert_eq!(mobile, json);
    common::assert_valid_outputs(&web.join("amplify_outputs.json"));
}
