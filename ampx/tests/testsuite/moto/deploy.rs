//! Deployments: create, update (only what changed), delete, a rejected
//! template, hotswap and branch deployments.

use super::*;
use common::backend::{self, Options};
#[tokio::test]
async fn sandbox_deploys_updates_and_deletes_a_backend() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    let v1 = v1.to_str().unwrap();

    // Deploy: S3, DynamoDB, IAM in the root stack, Lambda in a nested stack.
    let run = moto.ampx(&dir, &["-v", "sandbox", "--once", "--identifier", "dev", "--app", v1]).ok();
    assert!(run.stderr.contains(&format!("{stack}: CREATE_COMPLETE")), "{}", run.stderr);
    // The stack's events as they came (moto reports the stack's own only).
    let event = format!("| CREATE_COMPLETE              | AWS::CloudFormation::Stack       | {stack}");
    assert!(run.stderr.contains(&event), "{}", run.stderr);
    // moto reports the stack's CREATE_IN_PROGRESS twice (change set made, then
    // run); it is shown once.
    let started = format!("| CREATE_IN_PROGRESS           | AWS::CloudFormation::Stack       | {stack}");
    assert_eq!(run.stderr.matches(&started).count(), 1, "{}", run.stderr);
    // The count covers every resource, nested ones included, even though moto
    // reports no event for most of them.
    let declared = resources_declared(Path::new(v1));
    assert!(run.stderr.contains(&format!("({declared} resources)")), "{declared}: {}", run.stderr);
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
    // Inside the nested stack: its function's change, found by comparing templates
    // (moto makes no nested change sets).
    assert!(
        run.stderr.lines().any(|l| l.contains("~ Modify   AWS::Lambda::Function") && l.contains("/Hello")),
        "{}",
        run.stderr
    );
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

/// `ampx sandbox --once` of the assembly `app`.
fn once(app: &std::path::Path) -> [&str; 6] {
    ["sandbox", "--once", "--identifier", "dev", "--app", app.to_str().unwrap()]
}

#[tokio::test]
async fn two_new_indexes_on_one_table_are_refused_before_deploying() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let v1 = backend::synth(tmp.path(), "v1", &Options::new(&stack));
    moto.ampx(&dir, &once(&v1)).ok();

    // DynamoDB adds one index per table update: two at once would fail half-way.
    let two = Options { indexes: vec!["byOwner".into(), "byStatus".into()], ..Options::new(&stack) };
    let v2 = backend::synth(tmp.path(), "v2", &two);
    let refused = moto.ampx(&dir, &once(&v2)).failed();
    assert!(refused.stderr.contains("indexes would change more than one update allows"), "{}", refused.stderr);
    assert!(refused.stderr.contains("Todos") && refused.stderr.contains("byOwner, byStatus"), "{}", refused.stderr);
    assert!(refused.stderr.contains("one at a time"), "the fix is given: {}", refused.stderr);
    let template = moto.cfn().await.get_template().stack_name(&stack).send().await.unwrap();
    assert!(!template.template_body().unwrap().contains("byOwner"), "nothing was deployed");

    // One index per deployment goes through.
    let one = Options { indexes: vec!["byOwner".into()], ..Options::new(&stack) };
    let v3 = backend::synth(tmp.path(), "v3", &one);
    let run = moto.ampx(&dir, &once(&v3)).ok();
    assert!(run.stderr.contains(&format!("{stack}: UPDATE_COMPLETE")), "{}", run.stderr);
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

/// How many resources the templates of an assembly declare, nested ones included.
fn resources_declared(assembly: &Path) -> usize {
    std::fs::read_dir(assembly)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".template.json"))
        .map(|p| {
            let t: Json = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            t["Resources"].as_object().map_or(0, |r| r.len())
        })
        .sum()
}
