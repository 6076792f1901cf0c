//! Functions and the rest of the local backend: a bucket's `onUpload` and
//! `onDelete` triggers get S3's event records for writes (put, copy,
//! multipart) and deletes made through the local S3 by AWS's own S3 client;
//! a function's process holds credentials the identity service issued for its
//! execution role.

use crate::lambda_support::{code, require, synth};
use crate::s3_support::client;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps, StorageTriggers};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use local::backend::{LocalBackend, Options};
use local::lambda::{LogLine, LogSink};
use serde_json::{json, Value};

/// Logs each record it gets as one JSON line.
const RECORDER: &str = r#"export const handler = async (event) => {
  for (const r of event.Records) {
    console.log(JSON.stringify({ eventName: r.eventName, source: r.eventSource, bucket: r.s3.bucket.name,
      key: r.s3.object.key, size: r.s3.object.size ?? null, eTag: r.s3.object.eTag ?? null }));
  }
};
"#;

/// Answers the credentials its process was given.
const WHOAMI: &str = r#"export const handler = async () => ({
  key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN,
  s3: process.env.AWS_ENDPOINT_URL_S3 });
"#;

async fn start(assembly: &std::path::Path, data: &std::path::Path) -> (LocalBackend, Arc<Mutex<Vec<LogLine>>>) {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let kept = logs.clone();
    let sink = LogSink::new(move |l| kept.lock().unwrap().push(l.clone()));
    let options = Options { function_logs: Some(sink), ..Options::new(assembly, data) };
    let backend = LocalBackend::start(options).await.unwrap();
    assert!(backend.function_problems().is_empty(), "{:?}", backend.function_problems());
    (backend, logs)
}

/// The records `function` logged, once there are `n` of them (within 10 s).
async fn records(logs: &Mutex<Vec<LogLine>>, function: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got: Vec<Value> = logs
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.function == function)
            .filter_map(|l| serde_json::from_str(&l.text).ok())
            .collect();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bucket_triggers_get_s3_event_records_for_writes_and_deletes() {
    require("node");
    let files = code(&[("recorder.mjs", RECORDER)]);
    let project = synth(files, |dir| {
        let on_upload = define_function(FunctionProps {
            name: "on-upload".into(),
            entry: dir.join("recorder.mjs"),
            ..Default::default()
        });
        let on_delete = define_function(FunctionProps {
            name: "on-delete".into(),
            entry: dir.join("recorder.mjs"),
            ..Default::default()
        });
        // Whose role the test's S3 client signs as.
        let uploader = define_function(FunctionProps {
            name: "uploader".into(),
            entry: dir.join("recorder.mjs"),
            ..Default::default()
        });
        let storage = define_storage(StorageProps {
            name: "uploads".into(),
            access: access(|allow| [("files/*", vec![allow.resource(&uploader).to([Read, Write, Delete])])]),
            triggers: StorageTriggers { on_upload: Some(on_upload.clone()), on_delete: Some(on_delete.clone()) },
            ..Default::default()
        });
        (storage, vec![on_upload, on_delete, uploader])
    });
    let data = tempfile::tempdir().unwrap();
    let (backend, logs) = start(project.assembly.path(), data.path()).await;
    let bucket = backend.s3().buckets().into_keys().next().expect("one bucket");

    // The S3 service behind the backend's TLS port, over plain HTTP.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let router = backend.s3().router();
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let role = backend.lambda().find("uploader").unwrap().role_arn.unwrap();
    let s3 = client(&endpoint, &backend.s3_principals().mint(&role, None));

    s3.put_object().bucket(&bucket).key("files/a b.txt").body(ByteStream::from_static(b"hello")).send().await.unwrap();
    s3.copy_object()
        .bucket(&bucket)
        .key("files/copy.txt")
        .copy_source(format!("{bucket}/files/a%20b.txt"))
        .send()
        .await
        .unwrap();
    let upload = s3.create_multipart_upload().bucket(&bucket).key("files/big.bin").send().await.unwrap();
    let id = upload.upload_id().unwrap();
    let part = s3
        .upload_part()
        .bucket(&bucket)
        .key("files/big.bin")
        .upload_id(id)
        .part_number(1)
        .body(ByteStream::from_static(b"one part"))
        .send()
        .await
        .unwrap();
    let parts = CompletedMultipartUpload::builder()
        .parts(CompletedPart::builder().part_number(1).e_tag(part.e_tag().unwrap()).build())
        .build();
    s3.complete_multipart_upload()
        .bucket(&bucket)
        .key("files/big.bin")
        .upload_id(id)
        .multipart_upload(parts)
        .send()
        .await
        .unwrap();
    s3.delete_object().bucket(&bucket).key("files/copy.txt").send().await.unwrap();
    // Deleting what is not there changes nothing, and no trigger runs.
    s3.delete_object().bucket(&bucket).key("files/never.txt").send().await.unwrap();

    let uploads = records(&logs, "on-upload", 3).await;
    let mut names: Vec<(String, String)> = uploads
        .iter()
        .map(|r| (r["eventName"].as_str().unwrap().to_string(), r["key"].as_str().unwrap().to_string()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("ObjectCreated:CompleteMultipartUpload".to_string(), "files/big.bin".to_string()),
            ("ObjectCreated:Copy".into(), "files/copy.txt".into()),
            ("ObjectCreated:Put".into(), "files/a+b.txt".into()),
        ],
        "{uploads:?}"
    );
    let put = uploads.iter().find(|r| r["eventName"] == "ObjectCreated:Put").unwrap();
    assert_eq!(
        (&put["source"], &put["bucket"], &put["size"], &put["eTag"]),
        (&json!("aws:s3"), &json!(bucket), &json!(5), &json!("5d41402abc4b2a76b9719d911017c592")),
        "the record names the bucket, the size and the MD5 ETag"
    );
    let deletes = records(&logs, "on-delete", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let deletes_later = records(&logs, "on-delete", 2).await;
    assert_eq!(deletes, deletes_later, "one delete record only");
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(
        (&deletes[0]["eventName"], &deletes[0]["key"]),
        (&json!("ObjectRemoved:Delete"), &json!("files/copy.txt"))
    );
    assert!(deletes[0]["size"].is_null(), "a removed object has no size");
    server.abort();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_functions_process_holds_credentials_issued_for_its_role() {
    require("node");
    let files = code(&[("whoami.mjs", WHOAMI)]);
    let project = synth(files, |dir| {
        define_function(FunctionProps { name: "whoami".into(), entry: dir.join("whoami.mjs"), ..Default::default() })
    });
    let data = tempfile::tempdir().unwrap();
    let (backend, _logs) = start(project.assembly.path(), data.path()).await;
    let role = backend.lambda().find("whoami").unwrap().role_arn.expect("the function has a role");
    let answer = backend.lambda().invoke("whoami", &json!({})).await.unwrap();
    let key = answer["key"].as_str().unwrap();
    let issued = backend.identity_pools().issued(key).expect("the identity service issued the function's key");
    assert_eq!(issued.caller.role_arn, role);
    assert_eq!(answer["secret"], json!(issued.credentials.secret_access_key));
    assert_eq!(answer["token"], json!(issued.credentials.session_token));
    assert_eq!(answer["s3"], json!(backend.origin()), "S3 calls go to the local buckets");
}
