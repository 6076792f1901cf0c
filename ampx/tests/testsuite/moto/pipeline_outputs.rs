//! `ampx pipeline-deploy` writes amplify_outputs.json after the deployment, as
//! Amplify's does, for the hosting build that runs next: `--outputs-out-dir`,
//! `--outputs-format` and `--outputs-version`.

use super::*;
use common::backend::{self, Options};

const BRANCH: [&str; 5] = ["pipeline-deploy", "--branch", "main", "--app-id", "d1abc"];

fn pipeline(moto: &Moto, dir: &Path, app: &Path, extra: &[&str]) -> common::Run {
    moto.ampx(dir, &[&BRANCH[..], &["--app", app.to_str().unwrap()], extra].concat())
}

fn read_json(path: &Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// The root stack's template in an assembly (the one template not nested).
fn root_template(assembly: &Path) -> String {
    let mut roots = std::fs::read_dir(assembly)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".template.json") && !p.to_string_lossy().contains(".nested."));
    let root = roots.next().expect("a root template");
    assert!(roots.next().is_none(), "one root stack");
    std::fs::read_to_string(root).unwrap()
}

#[tokio::test]
async fn pipeline_deploy_writes_amplify_outputs_for_the_hosting_build() {
    let moto = Moto::start();
    moto.bootstrap().await;
    let (tmp, dir) = project("ci");
    let stack = BackendIdentifier::branch("d1abc", "main").stack_name();
    let amplify = Options { amplify_metadata: true, ..Options::new(&stack) };

    // moto creates a stack from a change set without its outputs: the deployment
    // happens, the file cannot be built, and the command fails writing nothing.
    let v1 = backend::synth(tmp.path(), "v1", &amplify);
    let first = pipeline(&moto, &dir, &v1, &[]).failed();
    assert!(first.stdout.contains("Deployed branch main of app d1abc"), "{}", first.stdout);
    assert!(
        first.stderr.contains(&format!("cannot generate amplify_outputs.json from stack {stack}"))
            && first.stderr.contains("nothing was written"),
        "{}",
        first.stderr
    );
    assert!(!dir.join("amplify_outputs.json").exists());

    // moto fills a stack's outputs in on a direct update: v2 (a second bucket)
    // goes in that way, so the next deployments have outputs to read.
    let v2 = backend::synth(tmp.path(), "v2", &Options { archive_bucket: true, ..amplify.clone() });
    let root = root_template(&v2);
    let cfn = moto.cfn().await;
    cfn.update_stack()
        .stack_name(&stack)
        .template_body(root)
        .capabilities(aws_sdk_cloudformation::types::Capability::CapabilityIam)
        .send()
        .await
        .expect("direct update");
    let bucket_name = stack_output(&moto, &stack, "bucketName").await.expect("bucketName output");

    // Nothing to deploy, and the file is still written: in the named directory
    // (created), valid against Amplify's schema, from the deployed stack.
    let web = tmp.path().join("web/public");
    let unchanged = pipeline(&moto, &dir, &v2, &["--outputs-out-dir", web.to_str().unwrap()]).ok();
    assert!(unchanged.stdout.contains("No changes to branch main"), "{}", unchanged.stdout);
    let file = web.join("amplify_outputs.json");
    assert!(unchanged.stdout.contains(&format!("Wrote {}", file.display())), "{}", unchanged.stdout);
    common::assert_valid_outputs(&file);
    let outputs = read_json(&file);
    assert_eq!(outputs["version"], "1.5");
    assert_eq!(outputs["storage"]["bucket_name"], bucket_name.as_str());
    assert_eq!(outputs["storage"]["aws_region"], REGION);

    // A change deployed through a change set, then the file in the working
    // directory (the default), as an older version and as Dart.
    let v3 = backend::synth(tmp.path(), "v3", &Options { archive_bucket: true, memory: 512, ..amplify.clone() });
    let changed = pipeline(&moto, &dir, &v3, &["--outputs-version", "1.3"]).ok();
    assert!(changed.stderr.contains(&format!("{stack}: UPDATE_COMPLETE")), "{}", changed.stderr);
    assert_eq!(function_memory(&moto).await, vec![512]);
    let older = read_json(&dir.join("amplify_outputs.json"));
    assert_eq!(older["version"], "1.3");
    assert_eq!(older["storage"], outputs["storage"]);
    pipeline(&moto, &dir, &v3, &["--outputs-format", "dart", "--outputs-version", "1"]).ok();
    let dart = std::fs::read_to_string(dir.join("amplify_outputs.dart")).unwrap();
    assert!(dart.starts_with("const amplifyConfig = r'''{") && dart.contains(&bucket_name), "{dart}");
    assert!(dart.contains("\"version\": \"1\""), "{dart}");
}

#[tokio::test]
async fn an_unknown_outputs_version_is_refused_before_deploying() {
    let moto = Moto::start();
    let (tmp, dir) = project("ci");
    let stack = BackendIdentifier::branch("d1abc", "main").stack_name();
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let zero = pipeline(&moto, &dir, &v1, &["--outputs-version", "0"]).failed();
    assert!(zero.stderr.contains("version 0 is Gen 1's amplifyconfiguration.json"), "{}", zero.stderr);
    assert!(zero.stderr.contains("1, 1.1, 1.2, 1.3, 1.4, 1.5"), "{}", zero.stderr);
    assert!(!stack_exists(&moto, &stack).await);
}
