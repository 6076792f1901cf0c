//! `ampx` against moto: deploy, update, outputs, delete, failures, branch
//! deployments, hotswap and secrets. Each test starts its own moto server.

mod common;

use amplify_backend::BackendIdentifier;
use common::backend::{self, Options};
use common::{api_calls, project, Moto, ACCOUNT, REGION};
use serde_json::Value as Json;

fn sandbox_stack(namespace: &str, name: &str) -> String {
    BackendIdentifier::sandbox(namespace, name).stack_name()
}

async fn logical_ids(moto: &Moto, stack: &str) -> Vec<String> {
    let out = moto.cfn().await.list_stack_resources().stack_name(stack).send().await.expect("resources");
    let mut ids: Vec<String> =
        out.stack_resource_summaries().iter().filter_map(|r| r.logical_resource_id.clone()).collect();
    ids.sort();
    ids
}

async fn nested_stack_id(moto: &Moto, stack: &str) -> String {
    let out = moto.cfn().await.list_stack_resources().stack_name(stack).send().await.expect("resources");
    out.stack_resource_summaries()
        .iter()
        .find(|r| r.resource_type() == Some("AWS::CloudFormation::Stack"))
        .and_then(|r| r.physical_resource_id.clone())
        .expect("a nested stack")
}

async fn function_memory(moto: &Moto) -> Vec<i32> {
    let out = moto.lambda().await.list_functions().send().await.expect("functions");
    out.functions().iter().filter_map(|f| f.memory_size).collect()
}

async fn stack_exists(moto: &Moto, stack: &str) -> bool {
    match moto.cfn().await.describe_stacks().stack_name(stack).send().await {
        Ok(out) => out.stacks().iter().any(|s| s.stack_status().map(|s| s.as_str()) != Some("DELETE_COMPLETE")),
        Err(_) => false,
    }
}

/// A bootstrapped moto, a project named `todoapp`, and the stack name of its
/// `dev` sandbox.
async fn sandbox_setup() -> (Moto, tempfile::TempDir, std::path::PathBuf, String) {
    let moto = Moto::start();
    moto.bootstrap().await;
    let (tmp, dir) = project("todoapp");
    (moto, tmp, dir, sandbox_stack("todoapp", "dev"))
}

#[tokio::test]
async fn sandbox_deploys_updates_and_deletes_a_backend() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let v1 = v1.to_str().unwrap();

    // Deploy: S3, DynamoDB, IAM in the root stack, Lambda in a nested stack.
    let run = moto.ampx(&dir, &["-v", "sandbox", "--once", "--identifier", "dev", "--app", v1]).ok();
    assert!(run.stderr.contains(&format!("{stack}: CREATE_COMPLETE")), "{}", run.stderr);
    assert!(run.stderr.contains("published 3 asset(s)"), "nested template, code zip and template: {}", run.stderr);
    let ids = logical_ids(&moto, &stack).await;
    assert!(ids.iter().any(|i| i.starts_with("Uploads")), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("Todos")), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("HelloRole")), "{ids:?}");
    let nested = nested_stack_id(&moto, &stack).await;
    assert!(logical_ids(&moto, &nested).await.iter().any(|i| i.starts_with("Hello")));
    assert_eq!(function_memory(&moto).await, vec![128]);
    let bucket = format!("cdk-hnb659fds-assets-{ACCOUNT}-{REGION}");
    let objects = moto.s3().await.list_objects_v2().bucket(&bucket).send().await.unwrap();
    let keys: Vec<&str> = objects.contents().iter().filter_map(|o| o.key()).collect();
    assert!(
        keys.iter().any(|k| k.ends_with(".zip")) && keys.iter().filter(|k| k.ends_with(".json")).count() == 2,
        "{keys:?}"
    );

    // Redeploying the same assembly changes nothing and reads only.
    let again = moto.ampx(&dir, &["-v", "sandbox", "--once", "--identifier", "dev", "--app", v1]).ok();
    assert!(again.stderr.contains(&format!("{stack}: no changes")), "{}", again.stderr);
    let calls = api_calls(&again);
    let ops: Vec<&str> = calls.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(ops, ["CloudFormation.DescribeStacks", "CloudFormation.GetTemplate"], "{}", again.stderr);

    // Update: a new bucket, and more memory for the function.
    let v2 = backend::synth(tmp.path(), "v2", &Options { archive_bucket: true, memory: 256, ..Options::new(&stack) });
    let run = moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", v2.to_str().unwrap()]).ok();
    assert!(run.stderr.contains("full deployment, since the Outputs changed"), "{}", run.stderr);
    // Both templates changed; the function's code did not and is already there.
    assert!(run.stderr.contains("published 2 asset(s), 1 already there"), "{}", run.stderr);
    assert!(run.stderr.contains("+ Add      AWS::S3::Bucket"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{stack}: UPDATE_COMPLETE")), "{}", run.stderr);
    assert!(logical_ids(&moto, &stack).await.iter().any(|i| i.starts_with("Archive")));
    assert_eq!(function_memory(&moto).await, vec![256]);

    // Delete, after confirmation.
    let refused = moto.ampx_with_input(&dir, &["sandbox", "delete", "--identifier", "dev"], Some("n\n")).failed();
    assert!(refused.stderr.contains("nothing was deleted"), "{}", refused.stderr);
    assert!(stack_exists(&moto, &stack).await);
    moto.ampx_with_input(&dir, &["sandbox", "delete", "--identifier", "dev"], Some("y\n")).ok();
    assert!(!stack_exists(&moto, &stack).await);
    assert!(function_memory(&moto).await.is_empty(), "the nested stack's function is gone too");
    let gone = moto.ampx(&dir, &["sandbox", "delete", "--identifier", "dev", "--yes"]).ok();
    assert!(gone.stderr.contains("nothing to delete"), "{}", gone.stderr);
}

#[tokio::test]
async fn only_changed_stacks_are_updated() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let shared = format!("{stack}-shared");
    let options = Options { shared_stack: true, ..Options::new(&stack) };
    let v1 = backend::synth(tmp.path(), "v1", &options);
    moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", v1.to_str().unwrap()]).ok();
    assert!(stack_exists(&moto, &shared).await);

    let v2 = backend::synth(tmp.path(), "v2", &Options { archive_bucket: true, ..options });
    let run = moto.ampx(&dir, &["-v", "sandbox", "--once", "--identifier", "dev", "--app", v2.to_str().unwrap()]).ok();
    assert!(run.stderr.contains(&format!("{shared}: no changes")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{stack}: UPDATE_COMPLETE")), "{}", run.stderr);
    let calls = api_calls(&run);
    let count = |op: &str| calls.iter().find(|(o, _)| o == op).map_or(0, |(_, n)| *n);
    assert_eq!(count("CloudFormation.CreateChangeSet"), 1, "{calls:?}");
    assert_eq!(count("CloudFormation.ExecuteChangeSet"), 1, "{calls:?}");
    let status = moto.cfn().await.describe_stacks().stack_name(&shared).send().await.unwrap().stacks()[0]
        .stack_status()
        .map(|s| s.as_str().to_string());
    assert_eq!(status.as_deref(), Some("CREATE_COMPLETE"), "the shared stack was not touched");
}

/// moto leaves the outputs of a stack deployed by change set empty, so this
/// deploys directly (`--method direct`, as `cdk deploy --method=direct`).
#[tokio::test]
async fn outputs_are_written_from_the_deployed_stack() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let run = moto
        .ampx(&dir, &["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", v1.to_str().unwrap()])
        .ok();
    assert!(run.stderr.contains("wrote ./amplify_outputs.json"), "{}", run.stderr);

    common::assert_valid_outputs(&dir.join("amplify_outputs.json"));
    let outputs: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("amplify_outputs.json")).unwrap()).unwrap();
    let bucket_name = stack_output(&moto, &stack, "bucketName").await.expect("bucketName output");
    assert_eq!(outputs["version"], "1.5");
    assert_eq!(outputs["storage"]["bucket_name"], bucket_name.as_str());
    assert_eq!(outputs["storage"]["aws_region"], REGION);

    // generate outputs reads the same stack, in either format.
    let web = tmp.path().join("web");
    let web = web.to_str().unwrap();
    moto.ampx(&dir, &["generate", "outputs", "--stack", &stack, "--out-dir", web]).ok();
    common::assert_valid_outputs(&tmp.path().join("web/amplify_outputs.json"));
    let generated = std::fs::read_to_string(tmp.path().join("web/amplify_outputs.json")).unwrap();
    assert_eq!(serde_json::from_str::<Json>(&generated).unwrap(), outputs);
    moto.ampx(&dir, &["generate", "outputs", "--stack", &stack, "--out-dir", web, "--format", "dart"]).ok();
    let dart = std::fs::read_to_string(tmp.path().join("web/amplify_outputs.dart")).unwrap();
    assert!(dart.starts_with("const amplifyConfig = r'''{") && dart.contains(&bucket_name), "{dart}");

    // A direct redeploy of the same assembly changes nothing either.
    let again = moto
        .ampx(&dir, &["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", v1.to_str().unwrap()])
        .ok();
    assert!(again.stderr.contains("no changes; nothing deployed"), "{}", again.stderr);

    // An update that adds a bucket (with an output) and changes the function's
    // memory: the new output names the bucket moto reports, and the file is rewritten.
    std::fs::remove_file(dir.join("amplify_outputs.json")).unwrap();
    let v2 = backend::synth(tmp.path(), "v2", &Options { archive_bucket: true, memory: 512, ..Options::new(&stack) });
    let run = moto
        .ampx(&dir, &["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", v2.to_str().unwrap()])
        .ok();
    assert!(run.stderr.contains(&format!("{stack}: UPDATE_COMPLETE")), "{}", run.stderr);
    let archive = stack_output(&moto, &stack, "archiveBucketName").await.expect("the new output");
    let resources = moto.cfn().await.list_stack_resources().stack_name(&stack).send().await.unwrap();
    let physical = resources
        .stack_resource_summaries()
        .iter()
        .find(|r| r.logical_resource_id().is_some_and(|l| l.starts_with("Archive")))
        .and_then(|r| r.physical_resource_id.clone())
        .expect("the new bucket");
    assert_eq!(archive, physical);
    let buckets = moto.s3().await.list_buckets().send().await.unwrap();
    assert!(buckets.buckets().iter().any(|b| b.name() == Some(archive.as_str())), "the bucket exists in S3");
    assert_eq!(function_memory(&moto).await, vec![512]);
    common::assert_valid_outputs(&dir.join("amplify_outputs.json"));

    moto.ampx(&dir, &["sandbox", "delete", "--identifier", "dev", "--yes"]).ok();
    assert!(!stack_exists(&moto, &stack).await);
    let buckets = moto.s3().await.list_buckets().send().await.unwrap();
    assert!(!buckets.buckets().iter().any(|b| b.name() == Some(archive.as_str())), "the bucket is gone");
}

async fn stack_output(moto: &Moto, stack: &str, key: &str) -> Option<String> {
    let described = moto.cfn().await.describe_stacks().stack_name(stack).send().await.unwrap();
    described.stacks()[0].outputs().iter().find(|o| o.output_key() == Some(key)).and_then(|o| o.output_value.clone())
}

#[tokio::test]
async fn a_rejected_template_names_the_resource() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let broken = backend::synth(tmp.path(), "broken", &Options { broken: true, ..Options::new(&stack) });
    let run =
        moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", broken.to_str().unwrap()]).failed();
    assert!(run.stderr.contains(&format!("CloudFormation rejected the template of {stack}")), "{}", run.stderr);
    assert!(run.stderr.contains("MissingQueue"), "{}", run.stderr);
}

#[tokio::test]
async fn code_only_changes_are_hotswapped() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", v1.to_str().unwrap()]).ok();
    let lambda = moto.lambda().await;
    let name = lambda.list_functions().send().await.unwrap().functions()[0].function_name.clone().unwrap();
    let before = lambda.get_function().function_name(&name).send().await.unwrap();
    let sha_before = before.configuration().and_then(|c| c.code_sha256.clone());

    let v2 = backend::synth(
        tmp.path(),
        "v2",
        &Options { code: "exports.handler = async () => 'v2';".into(), ..Options::new(&stack) },
    );
    let run = moto.ampx(&dir, &["-v", "sandbox", "--once", "--identifier", "dev", "--app", v2.to_str().unwrap()]).ok();
    assert!(run.stderr.contains("only code changed; hotswapping 1 resource(s)"), "{}", run.stderr);
    assert!(run.stderr.contains("hotswapped Functions"), "{}", run.stderr);
    let ops: Vec<String> = api_calls(&run).into_iter().map(|(op, _)| op).collect();
    assert!(ops.contains(&"Lambda.UpdateFunctionCode".to_string()), "{ops:?}");
    assert!(!ops.iter().any(|o| o.contains("ChangeSet")), "no stack update: {ops:?}");
    let after = lambda.get_function().function_name(&name).send().await.unwrap();
    assert_ne!(after.configuration().and_then(|c| c.code_sha256.clone()), sha_before);

    // The same change without hotswap is a stack update.
    let full = moto
        .ampx(&dir, &["sandbox", "--once", "--no-hotswap", "--identifier", "dev", "--app", v2.to_str().unwrap()])
        .ok();
    assert!(full.stderr.contains(&format!("{stack}: UPDATE_COMPLETE")), "{}", full.stderr);
}

#[tokio::test]
async fn pipeline_deploy_refuses_to_replace_a_table_unless_allowed() {
    let moto = Moto::start();
    moto.bootstrap().await;
    let (tmp, dir) = project("ci");
    let stack = BackendIdentifier::branch("d1abc", "main").stack_name();
    let branch = ["pipeline-deploy", "--branch", "main", "--app-id", "d1abc", "--app"];
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let run = moto.ampx(&dir, &[&branch[..], &[v1.to_str().unwrap()]].concat()).ok();
    assert!(run.stdout.contains("Deployed branch main of app d1abc"), "{}", run.stdout);

    // A new partition key replaces the table: refused, and nothing runs.
    let v2 = backend::synth(tmp.path(), "v2", &Options { table_key: "todoId".into(), ..Options::new(&stack) });
    let refused = moto.ampx(&dir, &[&branch[..], &[v2.to_str().unwrap()]].concat()).failed();
    assert!(refused.stderr.contains("would replace or delete stateful resources"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("AWS::DynamoDB::Table") && refused.stderr.contains("KeySchema"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--allow-destructive"), "{}", refused.stderr);
    let template = moto.cfn().await.get_template().stack_name(&stack).send().await.unwrap();
    assert!(!template.template_body().unwrap().contains("todoId"), "the update did not run");

    // Named, it goes through.
    let table = refused
        .stderr
        .lines()
        .find(|l| l.contains("would be replaced"))
        .and_then(|l| l.split_whitespace().next())
        .expect("the table's logical id")
        .to_string();
    let allowed = moto.ampx(&dir, &[&branch[..], &[v2.to_str().unwrap(), "--allow-destructive", &table]].concat()).ok();
    assert!(allowed.stderr.contains(&format!("{stack}: UPDATE_COMPLETE")), "{}", allowed.stderr);
}

#[tokio::test]
async fn secrets_round_trip_without_showing_the_value() {
    let moto = Moto::start();
    let (_tmp, dir) = project("todoapp");
    let value = "s3cr3t-Value-9f8e7d";
    let id = BackendIdentifier::sandbox("todoapp", "dev");

    // Typed on a terminal: asked for, never echoed, not even with -v.
    let typed = moto.ampx_on_terminal(
        &dir,
        &["-v", "sandbox", "secret", "set", "API_KEY", "--identifier", "dev"],
        "Value of API_KEY: ",
        "typed-Value-1a2b3c",
    );
    let typed = typed.ok();
    assert!(typed.stdout.contains("Set secret API_KEY of sandbox dev"), "{}", typed.stdout);
    assert!(!typed.stdout.contains("typed-Value-1a2b3c"), "the terminal showed the value: {}", typed.stdout);
    let stored =
        moto.ssm().await.get_parameter().name(id.secret_path("API_KEY")).with_decryption(true).send().await.unwrap();
    assert_eq!(stored.parameter().and_then(|p| p.value()), Some("typed-Value-1a2b3c"));

    let set = moto
        .ampx_with_input(
            &dir,
            &["sandbox", "secret", "set", "API_KEY", "--identifier", "dev"],
            Some(&format!("{value}\n")),
        )
        .ok();
    assert!(!set.all().contains(value), "{}", set.all());
    let stored =
        moto.ssm().await.get_parameter().name(id.secret_path("API_KEY")).with_decryption(true).send().await.unwrap();
    let parameter = stored.parameter().unwrap();
    assert_eq!(parameter.value(), Some(value));
    assert_eq!(parameter.r#type().map(|t| t.as_str()), Some("SecureString"));

    let list = moto.ampx(&dir, &["sandbox", "secret", "list", "--identifier", "dev"]).ok();
    assert_eq!(list.stdout.trim(), "API_KEY");
    assert!(!list.all().contains(value));

    let get = moto.ampx(&dir, &["sandbox", "secret", "get", "API_KEY", "--identifier", "dev"]).ok();
    assert_eq!(get.stdout.trim_end(), value, "get prints the value, and only on stdout");
    assert!(!get.stderr.contains(value));

    let remove = moto.ampx(&dir, &["sandbox", "secret", "remove", "API_KEY", "--identifier", "dev"]).ok();
    assert!(!remove.all().contains(value));
    assert_eq!(moto.ampx(&dir, &["sandbox", "secret", "list", "--identifier", "dev"]).ok().stdout.trim(), "");
    let missing = moto.ampx(&dir, &["sandbox", "secret", "get", "API_KEY", "--identifier", "dev"]).failed();
    assert!(missing.stderr.contains("secret API_KEY is not set"), "{}", missing.stderr);
}

#[tokio::test]
async fn an_account_that_is_not_bootstrapped_says_how_to_bootstrap() {
    let moto = Moto::start();
    let (tmp, dir) = project("todoapp");
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&sandbox_stack("todoapp", "dev")));
    let run = moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", v1.to_str().unwrap()]).failed();
    assert!(run.stderr.contains("is not bootstrapped"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("run `cdk bootstrap aws://{ACCOUNT}/{REGION}`")), "{}", run.stderr);
}

#[tokio::test]
async fn a_stack_made_by_something_else_is_not_taken_over() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    moto.cfn()
        .await
        .create_stack()
        .stack_name(&stack)
        .template_body(r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}"#)
        .send()
        .await
        .unwrap();
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let run = moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", v1.to_str().unwrap()]).failed();
    assert!(run.stderr.contains("was not deployed from a CDK app"), "{}", run.stderr);
    let delete = moto.ampx(&dir, &["sandbox", "delete", "--identifier", "dev", "--yes"]).failed();
    assert!(delete.stderr.contains("will not take it over"), "{}", delete.stderr);
    assert!(stack_exists(&moto, &stack).await);
}

#[tokio::test]
async fn outputs_of_a_missing_stack_say_what_to_do() {
    let moto = Moto::start();
    let (_tmp, dir) = project("todoapp");
    let run = moto.ampx(&dir, &["generate", "outputs", "--stack", "nope"]).failed();
    assert!(run.stderr.contains("stack nope does not exist in us-east-1; deploy it first"), "{}", run.stderr);
}

/// The numbers in the README: wall time and API calls of a first deployment, a
/// redeployment without changes and a one-resource update.
/// `cargo test -p ampx --test moto -- --ignored --nocapture measure`
#[tokio::test]
#[ignore = "a measurement, not a check"]
async fn measure_deploy_redeploy_and_update() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let v2 = backend::synth(tmp.path(), "v2", &Options { archive_bucket: true, ..Options::new(&stack) });
    for (what, app) in [("deploy", &v1), ("no-change redeploy", &v1), ("one-resource update", &v2)] {
        let started = std::time::Instant::now();
        let run =
            moto.ampx(&dir, &["-v", "sandbox", "--once", "--identifier", "dev", "--app", app.to_str().unwrap()]).ok();
        let wall = started.elapsed();
        let calls = api_calls(&run);
        let total: u32 = calls.iter().map(|(_, n)| n).sum();
        let list: Vec<String> = calls.iter().map(|(op, n)| format!("{op} {n}")).collect();
        println!("| {what} | {:.2} s | {total} | {} |", wall.as_secs_f64(), list.join(", "));
    }
}

/// The schema check above can fail: a document with a wrong type is refused.
#[test]
fn the_outputs_schema_check_refuses_a_bad_document() {
    let (_tmp, dir) = project("todoapp");
    let path = dir.join("amplify_outputs.json");
    std::fs::write(&path, r#"{"version": "1.5", "storage": {"aws_region": "us-east-1", "bucket_name": 7}}"#).unwrap();
    let refused = std::panic::catch_unwind(|| common::assert_valid_outputs(&path));
    let message = refused.expect_err("refused");
    let text = message.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(text.contains("['storage', 'bucket_name']: 7 is not of type 'string'"), "{text}");
}
