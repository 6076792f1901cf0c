//! What stops a deployment before it starts: no bootstrap, a stack that is
//! not ours.

use super::*;
use common::backend::{self, Options};
#[tokio::test]
async fn an_account_that_is_not_bootstrapped_says_how_to_bootstrap() {
    let moto = Moto::start();
    let (tmp, dir) = project("todoapp");
    let stack = sandbox_stack("todoapp", "dev");
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let how = format!("run `cdk bootstrap aws://{ACCOUNT}/{REGION}` once");
    let ssm = moto.ssm().await;
    let set_version = |version: &'static str| {
        let put = ssm.put_parameter().name("/cdk-bootstrap/hnb659fds/version").value(version).overwrite(true);
        async move { put.r#type(aws_sdk_ssm::types::ParameterType::String).send().await.expect("parameter") }
    };
    let deploy = || moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", v1.to_str().unwrap()]);

    // Nothing there; then a bootstrap too old; then the version without the bucket.
    let nothing = deploy().failed();
    set_version("5").await;
    let old = deploy().failed();
    set_version("21").await;
    let no_bucket = deploy().failed();
    for (run, detail) in [
        (&nothing, "the SSM parameter /cdk-bootstrap/hnb659fds/version does not exist".to_string()),
        (&old, "the bootstrap version is '5', and these templates need 6 or later".to_string()),
        (&no_bucket, format!("the assets bucket cdk-hnb659fds-assets-{ACCOUNT}-{REGION} does not exist")),
    ] {
        assert!(
            run.stderr.contains(&format!("the account {ACCOUNT} is not bootstrapped in {REGION}")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(&detail) && run.stderr.contains(&how), "{}", run.stderr);
    }
    assert!(!stack_exists(&moto, &stack).await, "nothing was deployed");
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
async fn a_custom_bootstrap_qualifier_is_read_from_the_assembly() {
    let moto = Moto::start();
    let (tmp, dir) = project("todoapp");
    let stack = sandbox_stack("todoapp", "dev");
    let o = Options { qualifier: Some("team1".into()), ..Options::new(&stack) };
    let app = backend::synth(tmp.path(), "v1", &o);
    let deploy = || moto.ampx(&dir, &["sandbox", "--once", "--identifier", "dev", "--app", app.to_str().unwrap()]);

    // The default bootstrap is not the one these templates name.
    moto.bootstrap().await;
    let refused =
        moto.ampx(&dir, &["-v", "sandbox", "--once", "--identifier", "dev", "--app", app.to_str().unwrap()]).failed();
    // -v shows the calls made even when the command fails.
    let calls = api_calls(&refused);
    assert!(calls.iter().any(|(op, _)| op == "SSM.GetParameter"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("the SSM parameter /cdk-bootstrap/team1/version does not exist"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains(&format!("run `cdk bootstrap aws://{ACCOUNT}/{REGION} --qualifier team1` once")),
        "{}",
        refused.stderr
    );
    assert!(!stack_exists(&moto, &stack).await, "nothing was deployed");

    moto.bootstrap_qualified("team1").await;
    let run = deploy().ok();
    assert!(run.stderr.contains(&format!("{stack}: CREATE_COMPLETE")), "{}", run.stderr);
    let s3 = moto.s3().await;
    let keys = |bucket: String| {
        let s3 = s3.clone();
        async move {
            let out = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
            out.contents().iter().filter_map(|o| o.key().map(str::to_string)).collect::<Vec<_>>()
        }
    };
    let ours = keys(format!("cdk-team1-assets-{ACCOUNT}-{REGION}")).await;
    assert!(ours.iter().any(|k| k.ends_with(".zip")) && ours.iter().any(|k| k.ends_with(".json")), "{ours:?}");
    assert!(
        keys(format!("cdk-hnb659fds-assets-{ACCOUNT}-{REGION}")).await.is_empty(),
        "the default bucket is untouched"
    );
}
