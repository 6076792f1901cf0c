//! Deployments through states moto never reaches: a stack left in
//! `ROLLBACK_COMPLETE`, a failed update with failed resources (nested ones
//! included), a busy stack, and Ctrl-C before and during an operation.

use std::sync::atomic::{AtomicBool, Ordering};

use super::*;
use crate::fake_aws::{self, bootstrapped, describe_stacks, stack_events, Call, Ev, Reply};

const TEMPLATE: &str = r#"{"Resources":{"Queue":{"Type":"AWS::SQS::Queue"}}}"#;

/// An assembly with one stack, `S`, holding one queue.
fn assembly() -> (tempfile::TempDir, Assembly) {
    assembly_tagged("{}")
}

/// The same, with these stack tags (a JSON object).
fn assembly_tagged(tags: &str) -> (tempfile::TempDir, Assembly) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        format!(
            r#"{{"version": "55.0.0", "artifacts": {{"S": {{"type": "aws:cloudformation:stack",
                "properties": {{"templateFile": "S.template.json", "stackName": "S", "tags": {tags}}}}}}}}}"#
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("S.template.json"), TEMPLATE).unwrap();
    let assembly = Assembly::read(dir.path()).unwrap();
    (dir, assembly)
}

/// A change set that modifies the queue, created at 00:00:00.
fn change_set(call: &Call, stack_id: &str, action: &str) -> Option<Reply> {
    match call.operation.as_str() {
        "CloudFormation.CreateChangeSet" => {
            Some(Reply::cfn("CreateChangeSet", &format!("<Id>arn:cs</Id><StackId>{stack_id}</StackId>")))
        }
        "CloudFormation.DescribeChangeSet" => Some(Reply::cfn(
            "DescribeChangeSet",
            &format!(
                "<ChangeSetId>arn:cs</ChangeSetId><StackId>{stack_id}</StackId><Status>CREATE_COMPLETE</Status>\
                 <ExecutionStatus>AVAILABLE</ExecutionStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime>\
                 <Changes><member><Type>Resource</Type><ResourceChange><Action>{action}</Action>\
                 <LogicalResourceId>Queue</LogicalResourceId><ResourceType>AWS::SQS::Queue</ResourceType>\
                 </ResourceChange></member></Changes>"
            ),
        )),
        "CloudFormation.ExecuteChangeSet" => Some(Reply::cfn("ExecuteChangeSet", "")),
        "CloudFormation.DeleteChangeSet" => Some(Reply::cfn("DeleteChangeSet", "")),
        _ => None,
    }
}

/// An update of `S` (deployed, with another template) up to the execution of its
/// change set; `then` answers the rest.
fn update(then: impl Fn(&Call) -> Reply + Send + Sync + 'static) -> impl Fn(&Call) -> Reply + Send + Sync + 'static {
    move |call| {
        if let Some(reply) = bootstrapped(call).or_else(|| change_set(call, "arn:S", "Modify")) {
            return reply;
        }
        match (call.operation.as_str(), call.param("StackName")) {
            ("CloudFormation.DescribeStacks", "S") => describe_stacks("S", "arn:S", "UPDATE_COMPLETE"),
            ("CloudFormation.GetTemplate", _) => Reply::cfn("GetTemplate", "<TemplateBody>{}</TemplateBody>"),
            _ => then(call),
        }
    }
}

async fn run(
    script: impl Fn(&Call) -> Reply + Send + Sync + 'static,
    interrupt: &Interrupt,
) -> (Result<DeployReport>, fake_aws::Recording) {
    let (_dir, assembly) = assembly();
    let (aws, seen) = fake_aws::aws(script);
    let report = deploy(&aws, &assembly, &DeployOptions::default(), interrupt).await;
    (report, seen)
}

fn position(ops: &[String], op: &str) -> usize {
    ops.iter().position(|o| o == op).unwrap_or_else(|| panic!("no {op} in {ops:?}"))
}

/// A first deployment of `S` through a change set, answered to the end.
fn first_deployment(call: &Call) -> Reply {
    if let Some(reply) = bootstrapped(call).or_else(|| change_set(call, "arn:S", "Add")) {
        return reply;
    }
    match (call.operation.as_str(), call.param("StackName")) {
        ("CloudFormation.DescribeStacks", "S") => {
            Reply::query_error(400, "ValidationError", "Stack with id S does not exist")
        }
        ("CloudFormation.DescribeStacks", "arn:S") => describe_stacks("S", "arn:S", "CREATE_COMPLETE"),
        ("CloudFormation.DescribeStackEvents", "arn:S") => {
            stack_events(&[Ev("s1", "S", "S", "AWS::CloudFormation::Stack", "CREATE_COMPLETE", "", "arn:S", 20)])
        }
        _ => panic!("unexpected {call:?}"),
    }
}

#[tokio::test]
async fn express_mode_is_asked_of_cloudformation_only_when_chosen() {
    for express in [false, true] {
        let (_dir, assembly) = assembly();
        let (aws, seen) = fake_aws::aws(first_deployment);
        let options = DeployOptions { express, ..DeployOptions::default() };
        deploy(&aws, &assembly, &options, &Interrupt::default()).await.unwrap();
        let create = seen.calls_of("CloudFormation.CreateChangeSet");
        let mode = create[0].param("DeploymentConfig.Mode");
        assert_eq!(mode, if express { "EXPRESS" } else { "" }, "{:?}", create[0].params);
    }
}

#[tokio::test]
async fn a_stack_in_rollback_complete_is_deleted_and_created_again() {
    let deleted = AtomicBool::new(false);
    let script = move |call: &Call| {
        if let Some(reply) = bootstrapped(call).or_else(|| change_set(call, "arn:new", "Add")) {
            return reply;
        }
        let gone = deleted.load(Ordering::SeqCst);
        match (call.operation.as_str(), call.param("StackName")) {
            ("CloudFormation.DescribeStacks", "S") => describe_stacks("S", "arn:old", "ROLLBACK_COMPLETE"),
            ("CloudFormation.DescribeStackEvents", "arn:old") if !gone => {
                stack_events(&[Ev("e1", "S", "S", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", "", "arn:old", 1)])
            }
            ("CloudFormation.DeleteStack", "arn:old") => {
                deleted.store(true, Ordering::SeqCst);
                Reply::cfn("DeleteStack", "")
            }
            ("CloudFormation.DescribeStacks", "arn:old") => describe_stacks("S", "arn:old", "DELETE_COMPLETE"),
            ("CloudFormation.DescribeStackEvents", "arn:old") => stack_events(&[
                Ev("e2", "S", "S", "AWS::CloudFormation::Stack", "DELETE_COMPLETE", "", "arn:old", 9),
                Ev("e1", "S", "S", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", "", "arn:old", 1),
            ]),
            ("CloudFormation.DescribeStacks", "arn:new") => describe_stacks("S", "arn:new", "CREATE_COMPLETE"),
            ("CloudFormation.DescribeStackEvents", "arn:new") => stack_events(&[
                Ev("n2", "S", "S", "AWS::CloudFormation::Stack", "CREATE_COMPLETE", "", "arn:new", 20),
                Ev("n1", "S", "Queue", "AWS::SQS::Queue", "CREATE_COMPLETE", "", "q", 15),
            ]),
            _ => panic!("unexpected {call:?}"),
        }
    };
    let (report, seen) = run(script, &Interrupt::default()).await;
    assert_eq!(report.unwrap().stacks, vec![("S".to_string(), StackOutcome::Deployed)]);
    let ops = seen.operations();
    assert!(position(&ops, "CloudFormation.DeleteStack") < position(&ops, "CloudFormation.CreateChangeSet"), "{ops:?}");
    let create = seen.calls_of("CloudFormation.CreateChangeSet");
    assert_eq!(create[0].param("ChangeSetType"), "CREATE", "a new stack, not an update of the dead one");
}

#[tokio::test]
async fn a_failed_update_names_the_failed_resources_nested_ones_included_and_the_rollback_status() {
    let script = update(|call| match (call.operation.as_str(), call.param("StackName")) {
        ("CloudFormation.DescribeStacks", "arn:S") => describe_stacks("S", "arn:S", "UPDATE_ROLLBACK_COMPLETE"),
        ("CloudFormation.DescribeStackEvents", "arn:S") => stack_events(&[
            Ev("r6", "S", "S", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", "", "arn:S", 30),
            Ev("r5", "S", "Queue", "AWS::SQS::Queue", "UPDATE_FAILED", "Resource update cancelled", "q", 12),
            Ev(
                "r4",
                "S",
                "Fns",
                "AWS::CloudFormation::Stack",
                "UPDATE_FAILED",
                "Embedded stack arn:N was not successfully updated",
                "arn:N",
                11,
            ),
            Ev("r3", "S", "Table", "AWS::DynamoDB::Table", "UPDATE_FAILED", "KeySchema cannot be updated", "t", 10),
            Ev("r2", "S", "Fns", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "", "arn:N", 2),
            Ev("r1", "S", "S", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated", "arn:S", 1),
        ]),
        ("CloudFormation.DescribeStackEvents", "arn:N") => stack_events(&[Ev(
            "n1",
            "S-Fns-1",
            "Hello",
            "AWS::Lambda::Function",
            "UPDATE_FAILED",
            "MemorySize must be at most 10240",
            "hello",
            5,
        )]),
        _ => panic!("unexpected {call:?}"),
    });
    let (report, _) = run(script, &Interrupt::default()).await;
    let err = report.unwrap_err();
    assert!(matches!(err, Error::DeployFailed { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("deployment of S failed; the stack is now UPDATE_ROLLBACK_COMPLETE"), "{text}");
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            "  S-Fns-1/Hello (AWS::Lambda::Function) UPDATE_FAILED: MemorySize must be at most 10240",
            "  Table (AWS::DynamoDB::Table) UPDATE_FAILED: KeySchema cannot be updated",
            "  Fns (AWS::CloudFormation::Stack) UPDATE_FAILED: Embedded stack arn:N was not successfully updated",
        ],
        "the causes, oldest first, without the resources cancelled because of them"
    );
}

#[tokio::test]
async fn ctrl_c_during_an_update_cancels_it_and_waits_for_the_rollback() {
    let interrupt = Interrupt::default();
    let ctrl_c = interrupt.clone();
    let cancelled = AtomicBool::new(false);
    let script = update(move |call| match (call.operation.as_str(), call.param("StackName")) {
        ("CloudFormation.DescribeStacks", "arn:S") if !cancelled.load(Ordering::SeqCst) => {
            ctrl_c.press();
            describe_stacks("S", "arn:S", "UPDATE_IN_PROGRESS")
        }
        ("CloudFormation.CancelUpdateStack", "arn:S") => {
            cancelled.store(true, Ordering::SeqCst);
            Reply::cfn("CancelUpdateStack", "")
        }
        ("CloudFormation.DescribeStacks", "arn:S") => describe_stacks("S", "arn:S", "UPDATE_ROLLBACK_COMPLETE"),
        ("CloudFormation.DescribeStackEvents", "arn:S") => Reply::cfn("DescribeStackEvents", "<StackEvents/>"),
        _ => panic!("unexpected {call:?}"),
    });
    let (report, seen) = run(script, &interrupt).await;
    let text = report.unwrap_err().to_string();
    assert_eq!(text, "cancelled; S rolled back and is UPDATE_ROLLBACK_COMPLETE");
    assert_eq!(seen.calls_of("CloudFormation.CancelUpdateStack").len(), 1);
    let ops = seen.operations();
    assert_eq!(ops.last().map(String::as_str), Some("CloudFormation.DescribeStackEvents"), "{ops:?}");
    assert_eq!(seen.calls_of("CloudFormation.DescribeStacks").len(), 3, "decide, in progress, rolled back");
}

#[tokio::test]
async fn ctrl_c_before_execution_deletes_the_change_set_and_changes_nothing() {
    let interrupt = Interrupt::default();
    let ctrl_c = interrupt.clone();
    let script = move |call: &Call| {
        if call.operation == "CloudFormation.CreateChangeSet" {
            ctrl_c.press();
        }
        update(|call| panic!("unexpected {call:?}"))(call)
    };
    let (report, seen) = run(script, &interrupt).await;
    let text = report.unwrap_err().to_string();
    assert!(text.contains("stopped before deploying S; nothing was changed"), "{text}");
    let ops = seen.operations();
    assert!(ops.contains(&"CloudFormation.DeleteChangeSet".to_string()), "{ops:?}");
    assert!(!ops.contains(&"CloudFormation.ExecuteChangeSet".to_string()), "{ops:?}");
}

#[tokio::test]
async fn ctrl_c_during_a_creation_waits_and_a_second_one_stops_waiting() {
    let interrupt = Interrupt::default();
    let ctrl_c = interrupt.clone();
    let script = move |call: &Call| {
        if let Some(reply) = bootstrapped(call).or_else(|| change_set(call, "arn:S", "Add")) {
            return reply;
        }
        match (call.operation.as_str(), call.param("StackName")) {
            ("CloudFormation.DescribeStacks", "S") => {
                Reply::query_error(400, "ValidationError", "Stack with id S does not exist")
            }
            ("CloudFormation.DescribeStacks", "arn:S") => {
                ctrl_c.press();
                describe_stacks("S", "arn:S", "CREATE_IN_PROGRESS")
            }
            ("CloudFormation.DescribeStackEvents", "arn:S") => Reply::cfn("DescribeStackEvents", "<StackEvents/>"),
            _ => panic!("unexpected {call:?}"),
        }
    };
    let (report, seen) = run(script, &interrupt).await;
    let text = report.unwrap_err().to_string();
    assert!(
        text.contains("stopped waiting; CloudFormation carries on with arn:S (CREATE_IN_PROGRESS: creating it)"),
        "{text}"
    );
    let ops = seen.operations();
    assert!(!ops.iter().any(|o| o.contains("Cancel") || o.contains("Delete")), "a creation is left to finish: {ops:?}");
    assert_eq!(seen.calls_of("CloudFormation.DescribeStacks").len(), 3, "decide, then one poll per Ctrl-C");
}

#[tokio::test]
async fn a_busy_stack_is_left_alone() {
    let script = |call: &Call| match call.operation.as_str() {
        "CloudFormation.DescribeStacks" => describe_stacks("S", "arn:S", "UPDATE_IN_PROGRESS"),
        _ => panic!("unexpected {call:?}"),
    };
    let (report, seen) = run(script, &Interrupt::default()).await;
    let text = report.unwrap_err().to_string();
    assert_eq!(text, "stack S is busy (UPDATE_IN_PROGRESS); wait for the operation in progress to finish, then retry");
    assert_eq!(seen.operations(), ["CloudFormation.DescribeStacks"]);
}

#[tokio::test]
async fn a_stack_whose_rollback_failed_says_how_to_continue() {
    let script = |call: &Call| match call.operation.as_str() {
        "CloudFormation.DescribeStacks" => describe_stacks("S", "arn:S", "UPDATE_ROLLBACK_FAILED"),
        _ => panic!("unexpected {call:?}"),
    };
    let (report, seen) = run(script, &Interrupt::default()).await;
    let text = report.unwrap_err().to_string();
    assert!(text.starts_with("stack S is UPDATE_ROLLBACK_FAILED (no reason given)"), "{text}");
    assert!(text.contains("`aws cloudformation continue-update-rollback --stack-name S`"), "{text}");
    assert_eq!(seen.operations(), ["CloudFormation.DescribeStacks"], "nothing is attempted");
}

#[tokio::test]
async fn another_cdk_apps_stack_of_the_same_name_is_not_taken_over() {
    let (_dir, assembly) = assembly_tagged(r#"{"amplify:deployment-type": "sandbox", "created-by": "amplify"}"#);
    let (aws, seen) = fake_aws::aws(|call| match call.operation.as_str() {
        "CloudFormation.DescribeStacks" => describe_stacks("S", "arn:S", "UPDATE_COMPLETE"),
        _ => panic!("unexpected {call:?}"),
    });
    let err = deploy(&aws, &assembly, &DeployOptions::default(), &Interrupt::default()).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("stack S already exists and was deployed by another CDK app"), "{text}");
    assert!(text.contains("delete it, or deploy under another name"), "{text}");
    assert_eq!(seen.operations(), ["CloudFormation.DescribeStacks"]);
}

/// Issue 11, 2: every call that changes a stack carries a token, and the SDK's
/// retry of a call sends the same one.
#[tokio::test]
async fn calls_that_change_stacks_carry_tokens_that_retries_keep() {
    let failed_once = AtomicBool::new(false);
    let script = update(|call| match (call.operation.as_str(), call.param("StackName")) {
        ("CloudFormation.DescribeStacks", "arn:S") => describe_stacks("S", "arn:S", "UPDATE_COMPLETE"),
        ("CloudFormation.DescribeStackEvents", "arn:S") => Reply::cfn("DescribeStackEvents", "<StackEvents/>"),
        _ => panic!("unexpected {call:?}"),
    });
    let script = move |call: &Call| {
        if call.operation == "CloudFormation.CreateChangeSet" && !failed_once.swap(true, Ordering::SeqCst) {
            return Reply::query_error(500, "InternalFailure", "try again");
        }
        script(call)
    };
    let (report, seen) = run(script, &Interrupt::default()).await;
    assert_eq!(report.unwrap().stacks, vec![("S".to_string(), StackOutcome::Deployed)]);
    let creates = seen.calls_of("CloudFormation.CreateChangeSet");
    assert_eq!(creates.len(), 2, "retried once");
    assert!(creates[0].param("ClientToken").starts_with("ampx-"), "{:?}", creates[0].params);
    assert_eq!(creates[0].param("ClientToken"), creates[1].param("ClientToken"), "the retry is the same request");
    let executes = seen.calls_of("CloudFormation.ExecuteChangeSet");
    assert!(executes[0].param("ClientRequestToken").starts_with("ampx-"), "{:?}", executes[0].params);
    assert_ne!(executes[0].param("ClientRequestToken"), creates[0].param("ClientToken"), "one token per call");
}

/// Issue 11, 2: a failed write call names the call, says what kind of failure it
/// is and what to do; it is not "a rejected template".
#[tokio::test]
async fn a_failed_execution_is_a_service_fault_not_a_rejected_template() {
    let script = update(|call| match call.operation.as_str() {
        "CloudFormation.DescribeStacks" => describe_stacks("S", "arn:S", "UPDATE_COMPLETE"),
        _ => panic!("unexpected {call:?}"),
    });
    let script = move |call: &Call| match call.operation.as_str() {
        "CloudFormation.ExecuteChangeSet" => Reply::query_error(500, "", ""),
        _ => script(call),
    };
    let (report, seen) = run(script, &Interrupt::default()).await;
    let text = report.unwrap_err().to_string();
    assert!(text.starts_with("CloudFormation.ExecuteChangeSet for S failed: HTTP 500 with no error message"), "{text}");
    assert!(text.contains("the service failed, and whether the call took effect is unknown; run the command again"));
    assert!(!text.contains("rejected the template"), "{text}");
    let executes = seen.calls_of("CloudFormation.ExecuteChangeSet");
    assert!(executes.len() > 1, "a service fault is retried");
    assert!(executes.windows(2).all(|w| w[0].param("ClientRequestToken") == w[1].param("ClientRequestToken")));
}

/// An assembly with one stack, `S`, holding a nested stack `Fns` (its template
/// is not needed to check that it exists).
fn nested_assembly() -> (tempfile::TempDir, Assembly) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version": "55.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack",
            "properties": {"templateFile": "S.template.json", "stackName": "S"}}}}"#,
    )
    .unwrap();
    let template = r#"{"Resources": {"Fns": {"Type": "AWS::CloudFormation::Stack",
        "Properties": {"TemplateURL": "https://s3.us-east-1.amazonaws.com/b/n.json"}},
        "Maybe": {"Type": "AWS::CloudFormation::Stack", "Condition": "Never",
        "Properties": {"TemplateURL": "https://s3.us-east-1.amazonaws.com/b/m.json"}}}}"#;
    std::fs::write(dir.path().join("S.template.json"), template).unwrap();
    let assembly = Assembly::read(dir.path()).unwrap();
    (dir, assembly)
}

/// A creation that CloudFormation reports `CREATE_COMPLETE`; `nested` answers
/// `ListStackResources` (members) and the nested stack's `DescribeStacks`.
async fn create_reported_complete(nested: &'static str, nested_status: &'static str) -> Result<DeployReport> {
    let (_dir, assembly) = nested_assembly();
    let (aws, _) = fake_aws::aws(move |call| {
        if let Some(reply) = bootstrapped(call).or_else(|| change_set(call, "arn:S", "Add")) {
            return reply;
        }
        if call.operation.starts_with("S3.") {
            return Reply::empty();
        }
        match (call.operation.as_str(), call.param("StackName")) {
            ("CloudFormation.DescribeStacks", "S") => {
                Reply::query_error(400, "ValidationError", "Stack with id S does not exist")
            }
            ("CloudFormation.DescribeStacks", "arn:S") => describe_stacks("S", "arn:S", "CREATE_COMPLETE"),
            ("CloudFormation.DescribeStacks", "arn:N") => describe_stacks("S-Fns-1", "arn:N", nested_status),
            ("CloudFormation.DescribeStackEvents", _) => Reply::cfn("DescribeStackEvents", "<StackEvents/>"),
            ("CloudFormation.ListStackResources", "arn:S") => {
                Reply::cfn("ListStackResources", &format!("<StackResourceSummaries>{nested}</StackResourceSummaries>"))
            }
            _ => panic!("unexpected {call:?}"),
        }
    });
    deploy(&aws, &assembly, &DeployOptions::default(), &Interrupt::default()).await
}

const FNS: &str = "<member><LogicalResourceId>Fns</LogicalResourceId><PhysicalResourceId>arn:N</PhysicalResourceId>\
    <ResourceType>AWS::CloudFormation::Stack</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus>\
    <LastUpdatedTimestamp>2026-01-01T00:00:00Z</LastUpdatedTimestamp></member>";

/// Issue 11, 2: "CREATE_COMPLETE" with a nested stack missing (or failed) is a
/// failure, not a deployment; a nested stack under a condition may be absent.
#[tokio::test]
async fn a_success_without_every_nested_stack_is_a_failure() {
    let err = create_reported_complete("", "CREATE_COMPLETE").await.unwrap_err();
    assert!(matches!(err, Error::Incomplete { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "S reports CREATE_COMPLETE, but the deployment is incomplete:\n  Fns: the nested stack was not created\n"
        ),
        "{text}"
    );
    assert!(!text.contains("Maybe"), "a conditional nested stack is not asked for: {text}");

    let text = create_reported_complete(FNS, "ROLLBACK_COMPLETE").await.unwrap_err().to_string();
    assert!(text.contains("  Fns: the nested stack is ROLLBACK_COMPLETE"), "{text}");

    let report = create_reported_complete(FNS, "CREATE_COMPLETE").await.unwrap();
    assert_eq!(report.stacks, vec![("S".to_string(), StackOutcome::Deployed)]);
}

/// Issue 11, 4: a cancel that fails is tried twice at most and says the stack's
/// state and the command that cancels it; a second Ctrl-C stops waiting at
/// once, even while a call is under way.
#[tokio::test]
async fn a_failed_cancel_says_the_way_out_and_a_second_ctrl_c_stops_at_once() {
    let interrupt = Interrupt::default();
    let ctrl_c = interrupt.clone();
    let polls = std::sync::atomic::AtomicUsize::new(0);
    let script = update(move |call| match (call.operation.as_str(), call.param("StackName")) {
        ("CloudFormation.DescribeStacks", "arn:S") => {
            ctrl_c.press();
            if polls.fetch_add(1, Ordering::SeqCst) == 0 {
                describe_stacks("S", "arn:S", "UPDATE_IN_PROGRESS")
            } else {
                Reply::hang()
            }
        }
        ("CloudFormation.CancelUpdateStack", "arn:S") => Reply::query_error(500, "InternalFailure", "cannot cancel"),
        ("CloudFormation.DescribeStackEvents", "arn:S") => Reply::cfn("DescribeStackEvents", "<StackEvents/>"),
        _ => panic!("unexpected {call:?}"),
    });
    let started = std::time::Instant::now();
    let (report, seen) = run(script, &interrupt).await;
    let text = report.unwrap_err().to_string();
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "no long wait");
    assert_eq!(seen.calls_of("CloudFormation.CancelUpdateStack").len(), 2, "one retry at most");
    assert!(
        text.starts_with("stopped waiting; CloudFormation carries on with arn:S (UPDATE_IN_PROGRESS: updating it)"),
        "{text}"
    );
    assert!(
        text.contains("the update could not be cancelled (CloudFormation.CancelUpdateStack failed: cannot cancel"),
        "{text}"
    );
    assert!(text.contains("`aws cloudformation cancel-update-stack --stack-name arn:S` cancels it"), "{text}");
}
