//! The reference app's storage (`media`, `photos/*` read+write for signed-in users)
//! gives what Amplify gave: the same bucket logical IDs, CORS and TLS statement,
//! the same IAM statements on the same role, and byte-identical root outputs.

use crate::storage_support;

use std::collections::BTreeMap;

use amplify_backend::outputs::from_stack_outputs;
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
use amplify_backend::Backend;
use serde_json::{json, Value};
use storage_support::*;

fn reference_backend() -> Backend<impl Sized> {
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("photos/*", vec![allow.authenticated.to([Read, Write])])]),
        ..Default::default()
    });
    Backend::build(app("sandbox"), (auth(), storage))
}

#[test]
fn the_bucket_keeps_amplifys_logical_ids_cors_and_tls_rule() {
    let backend = reference_backend();
    let assembly = synth(&backend);
    let ours = nested(&assembly, &backend, "storage");
    let theirs = reference_storage();
    for id in ["mediaBucket9F5DE49B", "mediaBucketPolicy6A5557DD"] {
        assert_eq!(ours["Resources"][id]["Type"], theirs["Resources"][id]["Type"], "{id}");
    }
    let bucket = &ours["Resources"]["mediaBucket9F5DE49B"];
    let reference_bucket = &theirs["Resources"]["mediaBucket9F5DE49B"];
    assert_eq!(bucket["Properties"]["CorsConfiguration"], reference_bucket["Properties"]["CorsConfiguration"]);
    assert_eq!(bucket["DeletionPolicy"], "Delete");
    let tls = &ours["Resources"]["mediaBucketPolicy6A5557DD"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(tls, &theirs["Resources"]["mediaBucketPolicy6A5557DD"]["Properties"]["PolicyDocument"]["Statement"][0]);
    assert!(bucket["Properties"]["Tags"]
        .as_array()
        .unwrap()
        .contains(&json!({"Key": "amplify:friendly-name", "Value": "media"})));
}

#[test]
fn the_authenticated_role_gets_amplifys_statements() {
    let backend = reference_backend();
    let assembly = synth(&backend);
    let ours = nested(&assembly, &backend, "storage");
    let theirs = reference_storage();
    let (_, reference_policy) = resource(&theirs, "amplifychatappdevsandboxde98f094bcstorageAccess");
    let access_policies: Vec<_> = of_type(&ours, "AWS::IAM::Policy")
        .into_iter()
        .filter(|(_, p)| p["Properties"]["PolicyDocument"].to_string().contains("photos"))
        .collect();
    assert_eq!(access_policies.len(), 1, "one policy, for the one role");
    let policy = access_policies[0].1;
    // The same actions, resources and conditions, in the same order.
    assert_eq!(policy["Properties"]["PolicyDocument"], reference_policy["Properties"]["PolicyDocument"]);
    // On the same role: the authenticated role of auth, through the same parameter.
    assert_eq!(policy["Properties"]["Roles"], reference_policy["Properties"]["Roles"]);
    let parameter = policy["Properties"]["Roles"][0]["Ref"].as_str().unwrap();
    assert!(ours["Parameters"].get(parameter).is_some());
    let root = root(&assembly, &backend);
    let passed = &root["Resources"]["storage0EC3F24A"]["Properties"]["Parameters"][parameter];
    assert_eq!(passed, &reference_root()["Resources"]["storage0EC3F24A"]["Properties"]["Parameters"][parameter]);
}

#[test]
fn the_root_outputs_are_amplifys_byte_for_byte() {
    let backend = reference_backend();
    let assembly = synth(&backend);
    let ours = root(&assembly, &backend);
    let theirs = reference_root();
    for output in ["storageRegion", "bucketName", "buckets"] {
        assert_eq!(ours["Outputs"][output], theirs["Outputs"][output], "{output}");
    }
    assert_eq!(ours["Metadata"]["AWS::Amplify::Storage"], theirs["Metadata"]["AWS::Amplify::Storage"]);
}

/// The root outputs, evaluated as CloudFormation would and read back the way
/// `ampx generate outputs` reads them, give a valid `storage` section.
#[test]
fn the_outputs_become_amplify_outputs_storage() {
    let backend = reference_backend();
    let assembly = synth(&backend);
    let root = root(&assembly, &backend);
    let deployed: BTreeMap<String, String> = ["storageRegion", "bucketName", "buckets"]
        .iter()
        .map(|k| (k.to_string(), evaluate(&root["Outputs"][*k]["Value"]).as_str().unwrap().to_string()))
        .collect();
    let metadata = json!({"AWS::Amplify::Storage": root["Metadata"]["AWS::Amplify::Storage"].clone()});
    let outputs = from_stack_outputs(&deployed, &metadata).expect("storage outputs read back");
    let document: Value = serde_json::from_str(&outputs.to_json_pretty()).unwrap();
    assert_eq!(
        document["storage"],
        json!({
            "aws_region": "us-east-1",
            "bucket_name": "amplify-chatapp-dev-sandb-mediabucket-abc123",
            "buckets": [{
                "name": "media",
                "bucket_name": "amplify-chatapp-dev-sandb-mediabucket-abc123",
                "aws_region": "us-east-1",
                "paths": {"photos/*": {"authenticated": ["get", "list", "write"]}}
            }]
        })
    );
}

/// `Ref AWS::Region`, the nested stack's bucket output, and `Fn::Join`.
fn evaluate(value: &Value) -> Value {
    match value {
        Value::Object(o) if o.contains_key("Ref") => json!("us-east-1"),
        Value::Object(o) if o.contains_key("Fn::GetAtt") => json!("amplify-chatapp-dev-sandb-mediabucket-abc123"),
        Value::Object(o) if o.contains_key("Fn::Join") => {
            let parts = o["Fn::Join"][1].as_array().unwrap();
            json!(parts.iter().map(|p| evaluate(p).as_str().unwrap().to_string()).collect::<String>())
        }
        other => other.clone(),
    }
}
