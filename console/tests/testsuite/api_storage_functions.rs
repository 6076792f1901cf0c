//! The storage browser's and the functions page's calls: objects by prefix,
//! upload, download and delete; a test invoke answering the function's
//! result and the log lines it wrote.

use crate::support::{start, Call};

use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn files_are_uploaded_listed_by_prefix_downloaded_and_deleted() {
    let running = start().await;
    let bucket = running.backend.s3().buckets().into_keys().next().unwrap();
    let base = format!("/api/storage/{bucket}");
    let token = vec![("x-console-token".to_string(), running.console.token().to_string())];
    for (key, text) in [("photos/cat.txt", "meow"), ("photos/2024/dog.txt", "woof"), ("readme.txt", "hello")] {
        let mut headers = token.clone();
        headers.push(("content-type".into(), "text/plain".into()));
        let (status, body) = running
            .send(Call { method: "PUT", path: format!("{base}/object?key={key}"), headers, body: Some(text.into()) })
            .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let answer: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(answer["size"], text.len());
    }
    // The stored object is the one S3 serves: same bytes, MD5 ETag.
    let stored = running.backend.s3().store().get(&bucket, "photos/cat.txt").unwrap().unwrap();
    assert_eq!(stored.etag, "4a4be40c96ac6314e91d93f38043a634", "md5(\"meow\")");
    assert_eq!(stored.headers.content_type.as_deref(), Some("text/plain"));

    let (_, root) = running.api("GET", &base, Value::Null).await;
    assert_eq!(root["folders"], json!(["photos/"]), "{root}");
    assert_eq!(root["objects"].as_array().unwrap().len(), 1);
    assert_eq!(root["objects"][0]["key"], "readme.txt");
    let (_, photos) = running.api("GET", &format!("{base}?prefix=photos/"), Value::Null).await;
    assert_eq!(photos["folders"], json!(["photos/2024/"]), "{photos}");
    assert_eq!(photos["objects"][0]["key"], "photos/cat.txt");
    assert_eq!(photos["objects"][0]["size"], 4);

    let (status, bytes) = running
        .send(Call {
            method: "GET",
            path: format!("{base}/object?key=photos/2024/dog.txt"),
            headers: token.clone(),
            body: None,
        })
        .await;
    assert_eq!((status, bytes.as_slice()), (200, b"woof".as_slice()));

    let (status, _) = running.api("DELETE", &format!("{base}/object?key=photos/cat.txt"), Value::Null).await;
    assert_eq!(status, 200);
    let (_, photos) = running.api("GET", &format!("{base}?prefix=photos/"), Value::Null).await;
    assert_eq!(photos["objects"], json!([]), "{photos}");
    let (status, gone) = running.api("DELETE", &format!("{base}/object?key=photos/cat.txt"), Value::Null).await;
    assert_eq!((status, gone["error"]["type"].as_str()), (404, Some("NotFound")));

    let (status, folder) = running.api("GET", &format!("{base}/object?key=photos/"), Value::Null).await;
    assert_eq!((status, folder["error"]["type"].as_str()), (400, Some("InvalidKey")));
    let (status, none) = running.api("GET", "/api/storage/no-such-bucket", Value::Null).await;
    assert_eq!(status, 404, "{none}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_test_invoke_answers_the_result_and_the_functions_log_lines() {
    let running = start().await;
    let (status, list) = running.api("GET", "/api/functions", Value::Null).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = list["functions"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"say-hello"), "{list}");
    assert_eq!(list["problems"], json!([]));

    let (status, out) =
        running.api("POST", "/api/functions/say-hello/invoke", json!({"event": {"arguments": {"name": "Ada"}}})).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["result"], "Hello, Ada!", "{out}");

    // The post-confirmation trigger logs a line; its invocation answers it.
    let event = json!({"triggerSource": "PostConfirmation_ConfirmSignUp", "userName": "zed",
        "request": {"userAttributes": {"email": "zed@example.com"}}, "response": {}});
    let (_, out) = running.api("POST", "/api/functions/post-confirmation/invoke", json!({"event": event})).await;
    let lines: Vec<&str> = out["lines"].as_array().unwrap().iter().map(|l| l["text"].as_str().unwrap()).collect();
    assert!(lines.iter().any(|l| l.contains("welcome zed@example.com")), "{out}");
    let (_, logs) = running.api("GET", "/api/functions/post-confirmation/logs", Value::Null).await;
    assert!(
        logs["lines"].as_array().unwrap().iter().any(|l| l["text"].as_str().unwrap().contains("welcome zed")),
        "{logs}"
    );
    let last = logs["last"].as_u64().unwrap();
    let (_, later) =
        running.api("GET", &format!("/api/functions/post-confirmation/logs?since={last}"), Value::Null).await;
    assert_eq!(later["lines"], json!([]));

    let (status, missing) = running.api("POST", "/api/functions/nope/invoke", json!({})).await;
    assert_eq!((status, missing["error"]["type"].as_str()), (404, Some("NotFound")));
}
