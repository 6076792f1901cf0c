//! Triggers: S3 notifications to the functions, the invoke permission created
//! before the bucket, and a function that is both trigger and reader.

use crate::storage_support;

use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps, StorageTriggers};
use amplify_backend::Backend;
use serde_json::json;
use storage_support::*;

#[test]
fn uploads_and_deletes_notify_the_functions_after_the_permission_exists() {
    let on_upload = function("on-upload");
    let on_delete = function("on-delete");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        triggers: StorageTriggers { on_upload: Some(on_upload.clone()), on_delete: Some(on_delete.clone()) },
        ..Default::default()
    });
    let backend = Backend::build(app("sandbox"), (storage, on_upload, on_delete));
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    let bucket = &storage["Resources"]["mediaBucket9F5DE49B"];
    let configurations = bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"].as_array().unwrap();
    assert_eq!(configurations.len(), 2);
    assert_eq!(configurations[0]["Event"], "s3:ObjectCreated:*");
    assert_eq!(configurations[1]["Event"], "s3:ObjectRemoved:*");

    let permissions = of_type(&storage, "AWS::Lambda::Permission");
    assert_eq!(permissions.len(), 2);
    let mut depends_on: Vec<String> =
        bucket["DependsOn"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect();
    depends_on.sort();
    let mut ids: Vec<String> = permissions.iter().map(|(id, _)| id.to_string()).collect();
    ids.sort();
    // S3 checks the permission when the notification is set: the bucket waits for it.
    assert_eq!(depends_on, ids);
    for ((_, permission), configuration) in permissions.iter().zip(configurations) {
        let p = &permission["Properties"];
        assert_eq!(p["Action"], "lambda:InvokeFunction");
        assert_eq!(p["Principal"], "s3.amazonaws.com");
        assert_eq!(p["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
        // The same function ARN (a parameter from the function stack) as the notification.
        assert_eq!(p["FunctionName"], configuration["Function"]);
        let parameter = p["FunctionName"]["Ref"].as_str().expect("from the function stack");
        assert!(storage["Parameters"].get(parameter).is_some());
    }
    let built = backend.storage().bucket("media").unwrap();
    assert_eq!(
        built.resources().expect("a made bucket").trigger_permissions.keys().collect::<Vec<_>>(),
        ["on-upload", "on-delete"]
    );
}

#[test]
fn one_function_on_both_events_needs_one_permission() {
    let handler = function("handler");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        triggers: StorageTriggers { on_upload: Some(handler.clone()), on_delete: Some(handler.clone()) },
        ..Default::default()
    });
    let backend = Backend::build(app("sandbox"), (storage, handler));
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    let (id, _) = of_type(&storage, "AWS::Lambda::Permission")[0];
    assert_eq!(of_type(&storage, "AWS::Lambda::Permission").len(), 1);
    assert_eq!(storage["Resources"]["mediaBucket9F5DE49B"]["DependsOn"], json!([id]));
}

/// A thumbnail maker: triggered by uploads, writes to the same bucket. It goes in
/// the storage stack (no cycle between stacks), and gets no bucket-name variable
/// (that would be a cycle inside the stack; S3 events carry the bucket name).
#[test]
fn a_trigger_that_also_writes_lives_with_storage_without_a_cycle() {
    let thumbnails = function("make-thumbnail");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("thumbnails/*", vec![allow.resource(&thumbnails).to([Read, Write])])]),
        triggers: StorageTriggers { on_upload: Some(thumbnails.clone()), on_delete: None },
        ..Default::default()
    });
    let backend = Backend::build(app("sandbox"), (storage, thumbnails));
    let assembly = synth(&backend);
    let storage = nested(&assembly, &backend, "storage");
    let functions = of_type(&storage, "AWS::Lambda::Function");
    let (lambda_id, lambda) = functions
        .iter()
        .find(|(id, _)| id.starts_with("makethumbnail"))
        .expect("the function is placed in the storage stack");
    let environment = lambda["Properties"]["Environment"]["Variables"].as_object();
    assert!(environment.is_none_or(|v| !v.contains_key("MEDIA_BUCKET_NAME")), "{environment:?}");
    let (_, policy) = resource(&storage, "mediamakethumbnailStorageAccess");
    assert_eq!(policy["Properties"]["PolicyDocument"]["Statement"][2]["Action"], "s3:PutObject");
    let bucket = &storage["Resources"]["mediaBucket9F5DE49B"];
    let target = &bucket["Properties"]["NotificationConfiguration"]["LambdaConfigurations"][0]["Function"];
    assert_eq!(target, &json!({"Fn::GetAtt": [lambda_id, "Arn"]}));
}

#[test]
fn a_trigger_function_missing_from_the_backend_is_reported() {
    let ghost = function("ghost");
    let storage = define_storage(StorageProps {
        name: "media".into(),
        triggers: StorageTriggers { on_upload: None, on_delete: Some(ghost) },
        ..Default::default()
    });
    let all = problems(&Backend::build(app("sandbox"), (storage,))).join("\n");
    assert!(
        all.contains(&format!(
            "[{ROOT}/storage/media] storage \"media\": the s3:ObjectRemoved:* trigger runs function 'ghost', which is not in define_backend"
        )),
        "{all}"
    );
}
