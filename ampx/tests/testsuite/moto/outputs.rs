//! `amplify_outputs.json`, written by sandbox and by `generate outputs`.

use super::*;
use common::backend::{self, Options};
/// moto leaves the outputs of a stack deployed by change set empty, so this
/// deploys directly (`--method direct`, as `cdk deploy --method=direct`).
#[tokio::test]
async fn outputs_are_written_from_the_deployed_stack() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let amplify = Options { amplify_metadata: true, ..Options::new(&stack) };
    let v1 = backend::synth(tmp.path(), "v1", &amplify);
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
    // Issue 11, 5: the sandbox named as sandbox names it.
    let by_name = tmp.path().join("by-name");
    moto.ampx(&dir, &["generate", "outputs", "--identifier", "dev", "--out-dir", by_name.to_str().unwrap()]).ok();
    let generated = std::fs::read_to_string(by_name.join("amplify_outputs.json")).unwrap();
    assert_eq!(serde_json::from_str::<Json>(&generated).unwrap(), outputs);
    moto.ampx(&dir, &["generate", "outputs", "--stack", &stack, "--out-dir", web, "--format", "dart"]).ok();
    let dart = std::fs::read_to_string(tmp.path().join("web/amplify_outputs.dart")).unwrap();
    assert!(dart.starts_with("const amplifyConfig = r'''{") && dart.contains(&bucket_name), "{dart}");
    // An older format version, for a frontend pinned to an older client library.
    moto.ampx(&dir, &["generate", "outputs", "--stack", &stack, "--out-dir", web, "--outputs-version", "1.1"]).ok();
    let older = std::fs::read_to_string(tmp.path().join("web/amplify_outputs.json")).unwrap();
    let older: Json = serde_json::from_str(&older).unwrap();
    assert_eq!(older["version"], "1.1");
    assert_eq!(older["storage"], outputs["storage"]);

    // A direct redeploy of the same assembly changes nothing either.
    let again = moto
        .ampx(&dir, &["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", v1.to_str().unwrap()])
        .ok();
    assert!(again.stderr.contains("no changes; nothing deployed"), "{}", again.stderr);

    // An update that adds a bucket (with an output) and changes the function's
    // memory: the new output names the bucket moto reports, and the file is rewritten.
    std::fs::remove_file(dir.join("amplify_outputs.json")).unwrap();
    let v2 = backend::synth(tmp.path(), "v2", &Options { archive_bucket: true, memory: 512, ..amplify });
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

#[tokio::test]
async fn outputs_of_a_missing_stack_say_what_to_do() {
    let moto = Moto::start();
    let (_tmp, dir) = project("todoapp");
    let run = moto.ampx(&dir, &["generate", "outputs", "--stack", "nope"]).failed();
    assert!(
        run.stderr.contains("stack nope does not exist in us-east-1; check the name and the region"),
        "{}",
        run.stderr
    );

    // The endpoint as a flag rather than AWS_ENDPOINT_URL (without it, ampx would
    // try AWS itself); the stack of a branch, and of the user's sandbox.
    let with_flag = |args: &[&str]| {
        let mut cmd = common::ampx_command(&dir);
        cmd.env("AWS_ACCESS_KEY_ID", "testing").env("AWS_SECRET_ACCESS_KEY", "testing").env("AWS_REGION", REGION);
        common::run(cmd, &[&["--endpoint-url", moto.endpoint.as_str()][..], args].concat(), None).failed()
    };
    let branch = with_flag(&["generate", "outputs", "--branch", "main", "--app-id", "d1abc"]);
    let branch_stack = BackendIdentifier::branch("d1abc", "main").stack_name();
    assert!(branch.stderr.contains(&format!("stack {branch_stack} does not exist in us-east-1")), "{}", branch.stderr);
    let sandbox = with_flag(&["generate", "outputs"]);
    let user_stack = sandbox_stack("todoapp", "tester");
    assert!(sandbox.stderr.contains(&format!("stack {user_stack} does not exist in us-east-1")), "{}", sandbox.stderr);
    assert!(sandbox.stderr.contains("deploy it with `ampx sandbox`, or name another sandbox with --identifier NAME"));
    // Issue 11, 5: each hint is a command that works as printed.
    let dev = with_flag(&["generate", "outputs", "--identifier", "dev"]);
    let dev_stack = sandbox_stack("todoapp", "dev");
    assert!(
        dev.stderr.contains(&format!(
            "stack {dev_stack} does not exist in us-east-1; deploy it with `ampx sandbox --identifier dev`"
        )),
        "{}",
        dev.stderr
    );
    assert!(
        branch.stderr.contains("deploy it with `ampx pipeline-deploy --branch main --app-id d1abc`"),
        "{}",
        branch.stderr
    );
}

/// Issue 11, 2: moto leaves the outputs of a change-set deployment out; the
/// sandbox fails and says so, and writes no truncated amplify_outputs.json.
#[tokio::test]
async fn missing_outputs_fail_the_sandbox_and_write_no_file() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options { amplify_metadata: true, ..Options::new(&stack) });
    let run = moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", v1.to_str().unwrap()]).failed();
    assert!(run.stderr.contains(&format!("{stack}: CREATE_COMPLETE")), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "cannot generate amplify_outputs.json from stack {stack}: the stack has no output bucketName, storageRegion"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written") && run.stderr.contains("--method direct"), "{}", run.stderr);
    assert!(!dir.join("amplify_outputs.json").exists());
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

/// A model introspection schema too large for a stack output is staged in S3, its
/// URI the output; `generate outputs` downloads it so the file holds the schema.
#[tokio::test]
async fn a_model_introspection_staged_in_s3_is_downloaded_into_the_file() {
    let moto = Moto::start();
    let (tmp, dir) = project("todoapp");
    let introspection = serde_json::json!({
        "version": 1,
        "models": {"Todo": {"name": "Todo", "fields": {}, "syncable": true, "pluralName": "Todos", "attributes": []}},
        "enums": {},
        "nonModels": {},
    });
    let s3 = moto.s3().await;
    s3.create_bucket().bucket("staged-assets").send().await.unwrap();
    let body = aws_sdk_s3::primitives::ByteStream::from(introspection.to_string().into_bytes());
    s3.put_object().bucket("staged-assets").key("abc.json").body(body).send().await.unwrap();
    let output = |value: &str| serde_json::json!({"Value": value});
    let template = serde_json::json!({
        "Metadata": {"AWS::Amplify::GraphQL": {"version": "1", "stackOutputs": [
            "awsAppsyncApiEndpoint", "awsAppsyncRegion", "awsAppsyncAuthenticationType", "amplifyApiModelIntrospectionS3Uri",
        ]}},
        "Resources": {"Q": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {
            "awsAppsyncApiEndpoint": output("https://abc.appsync-api.us-east-1.amazonaws.com/graphql"),
            "awsAppsyncRegion": output(REGION),
            "awsAppsyncAuthenticationType": output("AMAZON_COGNITO_USER_POOLS"),
            "amplifyApiModelIntrospectionS3Uri": output("s3://staged-assets/abc.json"),
        },
    });
    let cfn = moto.cfn().await;
    cfn.create_stack().stack_name("staged").template_body(template.to_string()).send().await.unwrap();
    let web = tmp.path().join("web");
    moto.ampx(&dir, &["generate", "outputs", "--stack", "staged", "--out-dir", web.to_str().unwrap()]).ok();
    let path = web.join("amplify_outputs.json");
    common::assert_valid_outputs(&path);
    let file: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["data"]["model_introspection"], introspection);

    // A URI that names nothing fails with the operation, not with a file lacking it.
    let mut missing = template.clone();
    missing["Outputs"]["amplifyApiModelIntrospectionS3Uri"] = output("s3://staged-assets/gone.json");
    cfn.create_stack().stack_name("gone").template_body(missing.to_string()).send().await.unwrap();
    let run = moto.ampx(&dir, &["generate", "outputs", "--stack", "gone", "--out-dir", web.to_str().unwrap()]).failed();
    assert!(run.stderr.contains("S3.GetObject"), "{}", run.stderr);
}
