//! The bucket: secure defaults, emptying sandboxes on delete, keeping branches,
//! several buckets with one default.

use crate::storage_support;

use amplify_backend::storage::{define_storage, AccessLogs, StorageProps};
use amplify_backend::Backend;
use constructs::RemovalPolicy;
use serde_json::json;
use storage_support::*;

fn media() -> amplify_backend::storage::StorageDefinition {
    define_storage(StorageProps { name: "media".into(), ..Default::default() })
}

#[test]
fn buckets_are_private_encrypted_and_tls_only() {
    let backend = Backend::build(app("branch"), (media(),));
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    let bucket = &storage["Resources"]["mediaBucket9F5DE49B"]["Properties"];
    assert_eq!(
        bucket["PublicAccessBlockConfiguration"],
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
    );
    assert_eq!(
        bucket["BucketEncryption"],
        json!({"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    );
    assert_eq!(bucket["OwnershipControls"], json!({"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}));
    assert!(bucket.get("VersioningConfiguration").is_none());
    let policy = &storage["Resources"]["mediaBucketPolicy6A5557DD"]["Properties"];
    assert_eq!(policy["Bucket"], json!({"Ref": "mediaBucket9F5DE49B"}));
    let arn = json!({"Fn::GetAtt": ["mediaBucket9F5DE49B", "Arn"]});
    assert_eq!(
        policy["PolicyDocument"],
        json!({"Statement": [{
            "Action": "s3:*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Resource": [arn, {"Fn::Join": ["", [arn, "/*"]]}]
        }], "Version": "2012-10-17"})
    );
}

#[test]
fn branches_keep_their_buckets_and_have_no_auto_delete() {
    let versioned = define_storage(StorageProps { name: "media".into(), versioned: true, ..Default::default() });
    let backend = Backend::build(app("branch"), (versioned,));
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    let bucket = &storage["Resources"]["mediaBucket9F5DE49B"];
    assert_eq!(bucket["DeletionPolicy"], "Retain");
    assert_eq!(bucket["Properties"]["VersioningConfiguration"], json!({"Status": "Enabled"}));
    assert!(of_type(&storage, "Custom::S3AutoDeleteObjects").is_empty());
    assert!(of_type(&storage, "AWS::Lambda::Function").is_empty());
    assert!(backend
        .storage()
        .bucket("media")
        .unwrap()
        .resources()
        .expect("a made bucket")
        .auto_delete_objects
        .is_none());
}

#[test]
fn sandboxes_empty_their_buckets_before_deleting_them() {
    let other = define_storage(StorageProps { name: "other".into(), ..Default::default() });
    let backend = Backend::build(app("sandbox"), (media(), other));
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    assert_eq!(storage["Resources"]["mediaBucket9F5DE49B"]["DeletionPolicy"], "Delete");
    // One handler for the stack, one custom resource and policy per bucket.
    let handlers = of_type(&storage, "AWS::Lambda::Function");
    assert_eq!(handlers.len(), 1);
    let (handler_id, handler) = handlers[0];
    assert_eq!(handler["Properties"]["Runtime"], "python3.13");
    assert!(handler["Properties"]["Code"]["ZipFile"].as_str().unwrap().contains("delete_objects"));
    let customs = of_type(&storage, "Custom::S3AutoDeleteObjects");
    assert_eq!(customs.len(), 2);
    let (_, custom) = resource(&storage, "mediaAutoDeleteObjects6");
    assert_eq!(custom["Properties"]["ServiceToken"], json!({"Fn::GetAtt": [handler_id, "Arn"]}));
    // The bucket reference makes CloudFormation delete (and so run) it before the bucket.
    assert_eq!(custom["Properties"]["BucketName"], json!({"Ref": "mediaBucket9F5DE49B"}));
    assert_eq!(custom["Properties"]["AutoDelete"], "true");
    let (policy_id, policy) = resource(&storage, "mediaAutoDeleteObjectsPolicy");
    assert_eq!(custom["DependsOn"], json!([policy_id]), "the handler keeps its rights until it has run");
    let statements = &policy["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Action"], json!(["s3:ListBucket", "s3:ListBucketVersions"]));
    assert_eq!(statements[1]["Action"], json!(["s3:DeleteObject", "s3:DeleteObjectVersion"]));
}

#[test]
fn a_sandbox_bucket_the_user_retains_is_not_emptied() {
    let backend = Backend::build(app("sandbox"), (media(),));
    let bucket = backend.storage().bucket("media").unwrap();
    bucket.resources().expect("a made bucket").bucket.apply_removal_policy(RemovalPolicy::Retain);
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    assert_eq!(storage["Resources"]["mediaBucket9F5DE49B"]["DeletionPolicy"], "Retain");
    assert_eq!(resource(&storage, "mediaAutoDeleteObjects6").1["Properties"]["AutoDelete"], "false");
}

#[test]
fn several_buckets_have_one_default() {
    let named = |name: &str, is_default: bool| {
        define_storage(StorageProps { name: name.into(), is_default, ..Default::default() })
    };
    // No is_default: the first is the default.
    let backend = Backend::build(app("sandbox"), (named("first", false), named("second", false)));
    assert_eq!(backend.storage().default_bucket().unwrap().name(), "first");
    let assembly = synth(&backend);
    let outputs = root(&assembly, &backend);
    let bucket_name = outputs["Outputs"]["bucketName"]["Value"]["Fn::GetAtt"][1].as_str().unwrap();
    assert!(bucket_name.contains("storagefirstBucket"), "{bucket_name}");
    let buckets = outputs["Outputs"]["buckets"]["Value"]["Fn::Join"][1].to_string();
    assert!(buckets.contains(r#"{\\\"name\\\":\\\"first\\\""#) && buckets.contains(r#"{\\\"name\\\":\\\"second\\\""#));

    // is_default wins over order.
    let backend = Backend::build(app("sandbox"), (named("first", false), named("second", true), named("third", false)));
    assert_eq!(backend.storage().default_bucket().unwrap().name(), "second");
    assert_eq!(backend.storage().buckets().map(|b| b.name()).collect::<Vec<_>>(), ["first", "second", "third"]);
    let assembly = synth(&backend);
    let outputs = root(&assembly, &backend);
    let bucket_name = outputs["Outputs"]["bucketName"]["Value"]["Fn::GetAtt"][1].as_str().unwrap();
    assert!(bucket_name.contains("storagesecondBucket"), "{bucket_name}");
    assert_eq!(
        outputs["Metadata"]["AWS::Amplify::Storage"]["stackOutputs"],
        json!(["buckets", "storageRegion", "bucketName"])
    );
}

#[test]
fn access_logs_go_to_the_named_bucket_under_the_storage_name() {
    let logged = |prefix: &str| {
        define_storage(StorageProps {
            name: "media".into(),
            access_logs: Some(AccessLogs { bucket: "org-access-logs".into(), prefix: prefix.into() }),
            ..Default::default()
        })
    };
    let backend = Backend::build(app("branch"), (logged(""),));
    let storage = nested(&synth(&backend), &backend, "storage");
    assert_eq!(
        storage["Resources"]["mediaBucket9F5DE49B"]["Properties"]["LoggingConfiguration"],
        json!({"DestinationBucketName": "org-access-logs", "LogFilePrefix": "media/"})
    );
    let backend = Backend::build(app("branch"), (logged("s3/chat/"),));
    let storage = nested(&synth(&backend), &backend, "storage");
    assert_eq!(
        storage["Resources"]["mediaBucket9F5DE49B"]["Properties"]["LoggingConfiguration"]["LogFilePrefix"],
        "s3/chat/"
    );
    // Off unless asked for, as in Amplify.
    let backend = Backend::build(app("branch"), (media(),));
    let storage = nested(&synth(&backend), &backend, "storage");
    assert!(storage["Resources"]["mediaBucket9F5DE49B"]["Properties"].get("LoggingConfiguration").is_none());
}
