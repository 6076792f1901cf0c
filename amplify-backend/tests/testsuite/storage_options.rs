//! Storage options closed by issue 18, item 8: `keep_on_delete` against our rule
//! that a branch never deletes users' data unless told to (a sandbox follows
//! Amplify and deletes its buckets), and `add_trigger` after definition.

use crate::lint_support;
use crate::storage_support;

use std::path::PathBuf;

use amplify_backend::storage::{define_storage, StorageEvent, StorageProps, StorageTriggers};
use amplify_backend::Backend;
use serde_json::json;
use storage_support::*;

fn bucket_of(backend_type: &str, keep_on_delete: Option<bool>) -> (serde_json::Value, Vec<String>) {
    let storage = define_storage(StorageProps { name: "media".into(), keep_on_delete, ..Default::default() });
    let backend = Backend::build(app(backend_type), (storage,));
    let assembly = synth(&backend);
    let template = nested(&assembly, &backend, "storage");
    let warnings = assembly.warnings.iter().map(|w| w.to_string()).collect();
    (template, warnings)
}

#[test]
fn a_branch_deletes_a_bucket_only_when_told_to_and_a_sandbox_always_does() {
    for (ty, keep, policy, emptied) in [
        ("branch", None, "Retain", false),
        ("branch", Some(true), "Retain", false),
        ("branch", Some(false), "Delete", true),
        ("sandbox", None, "Delete", true),
        ("sandbox", Some(true), "Delete", true),
        ("sandbox", Some(false), "Delete", true),
    ] {
        let (t, warnings) = bucket_of(ty, keep);
        let (_, bucket) = resource(&t, "mediaBucket9F5DE49B");
        assert_eq!(bucket["DeletionPolicy"], policy, "{ty} {keep:?}");
        assert_eq!(bucket["UpdateReplacePolicy"], policy, "{ty} {keep:?}");
        // A bucket that goes is emptied first, or CloudFormation could not delete it.
        let auto_delete = of_type(&t, "Custom::S3AutoDeleteObjects");
        assert_eq!(auto_delete.len(), usize::from(emptied), "{ty} {keep:?}");
        let warned = warnings.iter().any(|w| w.contains("keep_on_delete is ignored in a sandbox"));
        assert_eq!(warned, ty == "sandbox" && keep == Some(true), "{ty} {keep:?}: {warnings:?}");
    }
}

#[test]
fn a_trigger_added_after_definition_joins_the_bucket_notifications() {
    let on_upload = function("on-upload");
    let audit = function("audit");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        triggers: StorageTriggers { on_upload: Some(on_upload.clone()), ..Default::default() },
        ..Default::default()
    });
    let dir = scratch_dir("add-trigger");
    let backend = Backend::build(app_with("sandbox", Some(dir.clone())), (storage, on_upload, audit));
    let (storage, _, audit) = backend.parts();
    let bucket = storage;
    let permission =
        bucket.add_trigger(&[StorageEvent::Upload, StorageEvent::Delete], audit).expect("a bucket the backend made");
    // The function already triggered reuses its permission.
    let upload = backend.functions().get("on-upload").unwrap();
    let reused = bucket.add_trigger(&[StorageEvent::Delete], upload).expect("a bucket the backend made");
    assert_eq!(reused.logical_id(), bucket.resources().expect("made").trigger_permissions["on-upload"].logical_id());

    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let t = nested(&assembly, &backend, "storage");
    let b = &t["Resources"]["mediaBucket9F5DE49B"];
    let configurations = b["Properties"]["NotificationConfiguration"]["LambdaConfigurations"].as_array().unwrap();
    let events: Vec<&str> = configurations.iter().map(|c| c["Event"].as_str().unwrap()).collect();
    assert_eq!(events, ["s3:ObjectCreated:*", "s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectRemoved:*"]);
    // The first and last run on-upload, the two in between run audit.
    let f = |i: usize| configurations[i]["Function"].clone();
    assert_eq!((f(0) == f(3), f(1) == f(2), f(0) == f(1)), (true, true, false), "{configurations:#?}");
    let p = &t["Resources"][permission.logical_id()]["Properties"];
    assert_eq!(p["Action"], "lambda:InvokeFunction");
    assert_eq!(p["Principal"], "s3.amazonaws.com");
    assert_eq!(p["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    // S3 checks the permission when the notification is set: the bucket waits for it.
    assert!(b["DependsOn"].as_array().unwrap().contains(&json!(permission.logical_id())));

    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    let findings = lint_support::cfn_lint_findings(&files);
    assert!(findings.is_empty(), "{findings:#?}");
}
