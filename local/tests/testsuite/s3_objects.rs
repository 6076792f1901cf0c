//! Local S3's operations, judged by AWS's own S3 client (its SigV4 signing
//! and presigning, its XML parsing): objects with metadata and ranges,
//! listing with delimiters and paging, copies, batch deletes, multipart
//! uploads, presigned URLs, CORS, credentials, and persistence.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, MetadataDirective, ObjectIdentifier};
use local::s3::Principal;

use crate::s3_support::{client, code, load, ops_assembly, serve, serve_in, status, Served};

const BUCKET: &str = "ops.local";
const ADMIN: &str = "arn:aws:iam::000000000000:role/admin";
const READER: &str = "arn:aws:iam::000000000000:role/reader";

async fn ops() -> (Served, Principal, Principal, tempfile::TempDir) {
    let dir = ops_assembly();
    let served = serve(&load(dir.path()), true).await;
    let admin = served.principals.mint(ADMIN, None);
    let reader = served.principals.mint(READER, None);
    (served, admin, reader, dir)
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

async fn put(c: &aws_sdk_s3::Client, key: &str, body: &[u8]) {
    c.put_object().bucket(BUCKET).key(key).body(ByteStream::from(body.to_vec())).send().await.unwrap();
}

async fn get(c: &aws_sdk_s3::Client, key: &str) -> Vec<u8> {
    let out = c.get_object().bucket(BUCKET).key(key).send().await.unwrap();
    out.body.collect().await.unwrap().into_bytes().to_vec()
}

fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build())
}

/// A plain HTTP call (no signature of the client's own): status and body.
async fn raw(method: &str, url: String, headers: Vec<(String, String)>, body: Vec<u8>) -> (u16, String) {
    let method = method.to_string();
    tokio::task::spawn_blocking(move || {
        let request = ureq::http::Request::builder().method(method.as_str()).uri(&url);
        let request = headers.iter().fold(request, |r, (k, v)| r.header(k, v));
        let mut response = agent().run(request.body(body).unwrap()).unwrap();
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap_or_default())
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_get_head_keep_content_type_metadata_and_the_md5_etag() {
    let (served, admin, _, _dir) = ops().await;
    let c = client(&served.endpoint, &admin);
    let body = b"hello, local storage".to_vec();
    let put = c
        .put_object()
        .bucket(BUCKET)
        .key("docs/hello.txt")
        .content_type("text/plain")
        .cache_control("max-age=60")
        .metadata("Color", "blue")
        .body(ByteStream::from(body.clone()))
        .send()
        .await
        .unwrap();
    let etag = format!("\"{}\"", md5_hex(&body));
    assert_eq!(put.e_tag(), Some(etag.as_str()));

    let head = c.head_object().bucket(BUCKET).key("docs/hello.txt").send().await.unwrap();
    assert_eq!(head.content_length(), Some(body.len() as i64));
    assert_eq!(head.content_type(), Some("text/plain"));
    assert_eq!(head.cache_control(), Some("max-age=60"));
    assert_eq!(head.e_tag(), Some(etag.as_str()));
    assert_eq!(head.metadata().unwrap().get("color").map(String::as_str), Some("blue"));
    assert!(head.last_modified().is_some());

    let got = c.get_object().bucket(BUCKET).key("docs/hello.txt").send().await.unwrap();
    assert_eq!(got.content_type(), Some("text/plain"));
    assert_eq!(got.body.collect().await.unwrap().into_bytes().to_vec(), body);

    // Replacing an object replaces its bytes and headers.
    put_bytes_as(&c, "docs/hello.txt", b"v2").await;
    assert_eq!(get(&c, "docs/hello.txt").await, b"v2");
    let head = c.head_object().bucket(BUCKET).key("docs/hello.txt").send().await.unwrap();
    assert_ne!(head.content_type(), Some("text/plain"), "the new object's headers replace the old ones");
    assert!(head.metadata().is_none_or(|m| m.is_empty()));
}

async fn put_bytes_as(c: &aws_sdk_s3::Client, key: &str, body: &[u8]) {
    put(c, key, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_answer_206_with_content_range_and_bad_ones_416() {
    let (served, admin, _, _dir) = ops().await;
    let c = client(&served.endpoint, &admin);
    put(&c, "r.bin", b"0123456789").await;
    let part = c.get_object().bucket(BUCKET).key("r.bin").range("bytes=2-5").send().await.unwrap();
    assert_eq!(part.content_range(), Some("bytes 2-5/10"));
    assert_eq!(part.content_length(), Some(4));
    assert_eq!(part.body.collect().await.unwrap().into_bytes().as_ref(), b"2345");
    let suffix = c.get_object().bucket(BUCKET).key("r.bin").range("bytes=-3").send().await.unwrap();
    assert_eq!(suffix.body.collect().await.unwrap().into_bytes().as_ref(), b"789");
    let open = c.get_object().bucket(BUCKET).key("r.bin").range("bytes=7-").send().await.unwrap();
    assert_eq!(open.content_range(), Some("bytes 7-9/10"));
    let e = c.get_object().bucket(BUCKET).key("r.bin").range("bytes=10-20").send().await.unwrap_err();
    assert_eq!((status(&e), code(&e).as_str()), (416, "InvalidRange"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_key_is_404_only_to_callers_who_may_list() {
    let (served, admin, reader, _dir) = ops().await;
    let e = client(&served.endpoint, &admin).get_object().bucket(BUCKET).key("public/none").send().await.unwrap_err();
    assert_eq!((status(&e), code(&e).as_str()), (404, "NoSuchKey"));
    // The reader may list (a managed policy) and read public/*.
    let e = client(&served.endpoint, &reader).get_object().bucket(BUCKET).key("public/none").send().await.unwrap_err();
    assert_eq!((status(&e), code(&e).as_str()), (404, "NoSuchKey"));
    // Outside public/ the reader is refused whether or not the key exists.
    let e = client(&served.endpoint, &reader).get_object().bucket(BUCKET).key("private/none").send().await.unwrap_err();
    assert_eq!((status(&e), code(&e).as_str()), (403, "AccessDenied"));
    let e = client(&served.endpoint, &admin).get_object().bucket("nope.local").key("k").send().await.unwrap_err();
    assert_eq!((status(&e), code(&e).as_str()), (404, "NoSuchBucket"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_v2_rolls_up_prefixes_and_pages_through_everything_once() {
    let (served, admin, _, _dir) = ops().await;
    let c = client(&served.endpoint, &admin);
    let keys = ["a/1", "a/2", "a/b/3", "a/b/4", "a/c/5", "a/d", "b/1", "top"];
    for k in keys {
        put(&c, k, k.as_bytes()).await;
    }
    let out = c.list_objects_v2().bucket(BUCKET).prefix("a/").delimiter("/").send().await.unwrap();
    let names: Vec<&str> = out.contents().iter().filter_map(|o| o.key()).collect();
    let prefixes: Vec<&str> = out.common_prefixes().iter().filter_map(|p| p.prefix()).collect();
    assert_eq!(names, ["a/1", "a/2", "a/d"]);
    assert_eq!(prefixes, ["a/b/", "a/c/"]);
    assert_eq!(out.key_count(), Some(5));
    assert_eq!(out.is_truncated(), Some(false));
    assert_eq!(out.contents()[0].size(), Some(3));
    assert_eq!(out.contents()[0].e_tag(), Some(format!("\"{}\"", md5_hex(b"a/1")).as_str()));

    // Pages of two, with and without a delimiter: every entry exactly once, in order.
    for delimiter in [None, Some("/")] {
        let mut seen = Vec::new();
        let mut token = None;
        loop {
            let mut req = c.list_objects_v2().bucket(BUCKET).max_keys(2).set_continuation_token(token.clone());
            if let Some(d) = delimiter {
                req = req.delimiter(d);
            }
            let page = req.send().await.unwrap();
            assert!(page.key_count().unwrap() <= 2);
            seen.extend(page.contents().iter().filter_map(|o| o.key()).map(str::to_string));
            seen.extend(page.common_prefixes().iter().filter_map(|p| p.prefix()).map(str::to_string));
            if page.is_truncated() != Some(true) {
                break;
            }
            token = page.next_continuation_token().map(str::to_string);
            assert!(token.is_some(), "a truncated page has a next token");
        }
        let expected: Vec<String> = match delimiter {
            None => keys.iter().map(|k| k.to_string()).collect(),
            Some(_) => vec!["a/".into(), "b/".into(), "top".into()],
        };
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(sorted, expected, "delimiter {delimiter:?}");
    }

    let after = c.list_objects_v2().bucket(BUCKET).start_after("a/d").send().await.unwrap();
    let names: Vec<&str> = after.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(names, ["b/1", "top"]);
    let e = c.list_objects_v2().bucket(BUCKET).continuation_token("%%%").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidArgument");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_keeps_or_replaces_metadata_and_refuses_a_pointless_self_copy() {
    let (served, admin, _, _dir) = ops().await;
    let c = client(&served.endpoint, &admin);
    c.put_object()
        .bucket(BUCKET)
        .key("src.txt")
        .content_type("text/plain")
        .metadata("k", "v")
        .body(ByteStream::from_static(b"copy me"))
        .send()
        .await
        .unwrap();
    let out =
        c.copy_object().bucket(BUCKET).key("dst.txt").copy_source(format!("{BUCKET}/src.txt")).send().await.unwrap();
    let expected = format!("\"{}\"", md5_hex(b"copy me"));
    assert_eq!(out.copy_object_result().and_then(|r| r.e_tag()), Some(expected.as_str()));
    let head = c.head_object().bucket(BUCKET).key("dst.txt").send().await.unwrap();
    assert_eq!(head.content_type(), Some("text/plain"));
    assert_eq!(head.metadata().unwrap()["k"], "v");
    assert_eq!(get(&c, "dst.txt").await, b"copy me");

    c.copy_object()
        .bucket(BUCKET)
        .key("dst.txt")
        .copy_source(format!("{BUCKET}/dst.txt"))
        .metadata_directive(MetadataDirective::Replace)
        .content_type("text/markdown")
        .send()
        .await
        .unwrap();
    let head = c.head_object().bucket(BUCKET).key("dst.txt").send().await.unwrap();
    assert_eq!(head.content_type(), Some("text/markdown"));
    assert!(head.metadata().is_none_or(|m| m.is_empty()));

    let e = c
        .copy_object()
        .bucket(BUCKET)
        .key("dst.txt")
        .copy_source(format!("{BUCKET}/dst.txt"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidRequest");
    let e = c.copy_object().bucket(BUCKET).key("x").copy_source(format!("{BUCKET}/missing")).send().await.unwrap_err();
    assert_eq!(code(&e), "NoSuchKey");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_one_and_many_and_reports_refused_keys() {
    let (served, admin, reader, _dir) = ops().await;
    let c = client(&served.endpoint, &admin);
    for k in ["d/1", "d/2", "d/3"] {
        put(&c, k, b"x").await;
    }
    c.delete_object().bucket(BUCKET).key("d/1").send().await.unwrap();
    c.delete_object().bucket(BUCKET).key("d/1").send().await.expect("deleting a missing key succeeds");
    let e = c.head_object().bucket(BUCKET).key("d/1").send().await.unwrap_err();
    assert_eq!(status(&e), 404);

    let ids = |keys: &[&str]| {
        Delete::builder()
            .set_objects(Some(keys.iter().map(|k| ObjectIdentifier::builder().key(*k).build().unwrap()).collect()))
            .build()
            .unwrap()
    };
    // The reader may not delete: each key comes back as an error, none is deleted.
    let refused =
        client(&served.endpoint, &reader).delete_objects().bucket(BUCKET).delete(ids(&["d/2"])).send().await.unwrap();
    assert_eq!(refused.errors().len(), 1);
    assert_eq!(refused.errors()[0].code(), Some("AccessDenied"));
    assert_eq!(refused.errors()[0].key(), Some("d/2"));
    assert_eq!(get(&c, "d/2").await, b"x");

    let out = c.delete_objects().bucket(BUCKET).delete(ids(&["d/2", "d/3", "d/never"])).send().await.unwrap();
    let mut deleted: Vec<&str> = out.deleted().iter().filter_map(|d| d.key()).collect();
    deleted.sort();
    assert_eq!(deleted, ["d/2", "d/3", "d/never"]);
    let left = c.list_objects_v2().bucket(BUCKET).prefix("d/").send().await.unwrap();
    assert_eq!(left.key_count(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_uploads_complete_with_s3s_etag_and_check_their_parts() {
    let (served, admin, _, _dir) = ops().await;
    let c = client(&served.endpoint, &admin);
    let first = vec![b'a'; 5 * 1024 * 1024];
    let second = b"the rest".to_vec();
    let up = c.create_multipart_upload().bucket(BUCKET).key("big.bin").content_type("video/mp4").send().await.unwrap();
    let id = up.upload_id().unwrap().to_string();
    let mut parts = Vec::new();
    for (n, body) in [(1, &first), (2, &second)] {
        let p = c
            .upload_part()
            .bucket(BUCKET)
            .key("big.bin")
            .upload_id(&id)
            .part_number(n)
            .body(ByteStream::from(body.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(p.e_tag(), Some(format!("\"{}\"", md5_hex(body)).as_str()));
        parts.push(CompletedPart::builder().part_number(n).e_tag(p.e_tag().unwrap()).build());
    }
    let listed = c.list_parts().bucket(BUCKET).key("big.bin").upload_id(&id).send().await.unwrap();
    let sizes: Vec<(i32, i64)> = listed.parts().iter().map(|p| (p.part_number().unwrap(), p.size().unwrap())).collect();
    assert_eq!(sizes, [(1, first.len() as i64), (2, second.len() as i64)]);

    // Out of order, then a part that was never uploaded.
    let reversed = CompletedMultipartUpload::builder().set_parts(Some(parts.iter().rev().cloned().collect())).build();
    let e = c
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key("big.bin")
        .upload_id(&id)
        .multipart_upload(reversed)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidPartOrder");
    let ghost = CompletedMultipartUpload::builder()
        .parts(CompletedPart::builder().part_number(3).e_tag("\"00\"").build())
        .build();
    let e = c
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key("big.bin")
        .upload_id(&id)
        .multipart_upload(ghost)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidPart");

    let done = c
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key("big.bin")
        .upload_id(&id)
        .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
        .send()
        .await
        .unwrap();
    // S3's multipart ETag: the MD5 of the concatenated binary part MD5s, then the count.
    let mut digests = Vec::new();
    for body in [&first, &second] {
        use md5::{Digest, Md5};
        digests.extend_from_slice(&Md5::digest(body));
    }
    let expected = format!("\"{}-2\"", md5_hex(&digests));
    assert_eq!(done.e_tag(), Some(expected.as_str()));
    let head = c.head_object().bucket(BUCKET).key("big.bin").send().await.unwrap();
    assert_eq!(head.content_length(), Some((first.len() + second.len()) as i64));
    assert_eq!(head.content_type(), Some("video/mp4"));
    let tail = c.get_object().bucket(BUCKET).key("big.bin").range("bytes=-8").send().await.unwrap();
    assert_eq!(tail.body.collect().await.unwrap().into_bytes().as_ref(), b"the rest");
    let e = c.list_parts().bucket(BUCKET).key("big.bin").upload_id(&id).send().await.unwrap_err();
    assert_eq!(code(&e), "NoSuchUpload", "a completed upload is gone");

    // A small part before the last is refused; an aborted upload is gone.
    let up = c.create_multipart_upload().bucket(BUCKET).key("small.bin").send().await.unwrap();
    let id = up.upload_id().unwrap().to_string();
    let mut parts = Vec::new();
    for n in 1..=2 {
        let p = c
            .upload_part()
            .bucket(BUCKET)
            .key("small.bin")
            .upload_id(&id)
            .part_number(n)
            .body(ByteStream::from_static(b"tiny"))
            .send()
            .await
            .unwrap();
        parts.push(CompletedPart::builder().part_number(n).e_tag(p.e_tag().unwrap()).build());
    }
    let e = c
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key("small.bin")
        .upload_id(&id)
        .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "EntityTooSmall");
    c.abort_multipart_upload().bucket(BUCKET).key("small.bin").upload_id(&id).send().await.unwrap();
    let e = c
        .upload_part()
        .bucket(BUCKET)
        .key("small.bin")
        .upload_id(&id)
        .part_number(3)
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NoSuchUpload");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presigned_get_and_put_urls_work_until_tampered_with() {
    let (served, admin, _, _dir) = ops().await;
    let c = client(&served.endpoint, &admin);
    let config = PresigningConfig::expires_in(Duration::from_secs(300)).unwrap();
    let put_url = c.put_object().bucket(BUCKET).key("pre/signed.txt").presigned(config.clone()).await.unwrap();
    let (s, body) = raw("PUT", put_url.uri().to_string(), Vec::new(), b"via a URL".to_vec()).await;
    assert_eq!(s, 200, "{body}");
    let get_url = c.get_object().bucket(BUCKET).key("pre/signed.txt").presigned(config).await.unwrap();
    let (s, body) = raw("GET", get_url.uri().to_string(), Vec::new(), Vec::new()).await;
    assert_eq!((s, body.as_str()), (200, "via a URL"));

    let tampered = get_url.uri().replace("pre/signed.txt", "pre/other.txt");
    let (s, body) = raw("GET", tampered, Vec::new(), Vec::new()).await;
    assert_eq!(s, 403);
    assert!(body.contains("<Code>SignatureDoesNotMatch</Code>"), "{body}");

    // The session token is part of the credentials: without it the URL fails.
    let stripped: String =
        get_url.uri().split('&').filter(|kv| !kv.starts_with("X-Amz-Security-Token=")).collect::<Vec<_>>().join("&");
    let (s, body) = raw("GET", stripped, Vec::new(), Vec::new()).await;
    assert_eq!(s, 403, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_unknown_and_mismatched_credentials_are_refused() {
    let (served, admin, _, _dir) = ops().await;
    put(&client(&served.endpoint, &admin), "k", b"x").await;
    let (s, body) = raw("GET", format!("{}/{BUCKET}/k", served.endpoint), Vec::new(), Vec::new()).await;
    assert_eq!(s, 403);
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");

    let stranger = Principal { access_key_id: "ASIANOBODY".into(), ..admin.clone() };
    let e = client(&served.endpoint, &stranger).get_object().bucket(BUCKET).key("k").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidAccessKeyId");
    let wrong_secret = Principal { secret_access_key: "not-the-secret".into(), ..admin.clone() };
    let e = client(&served.endpoint, &wrong_secret).get_object().bucket(BUCKET).key("k").send().await.unwrap_err();
    assert_eq!(code(&e), "SignatureDoesNotMatch");
    let wrong_token = Principal { session_token: Some("another-session".into()), ..admin.clone() };
    let e = client(&served.endpoint, &wrong_token).get_object().bucket(BUCKET).key("k").send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidToken");
    let expired = served.principals.mint(ADMIN, None);
    served.principals.insert(Principal { expires: Some(std::time::SystemTime::now()), ..expired.clone() });
    let e = client(&served.endpoint, &expired).get_object().bucket(BUCKET).key("k").send().await.unwrap_err();
    assert_eq!(code(&e), "ExpiredToken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_follows_the_buckets_template() {
    let (served, _, _, _dir) = ops().await;
    let url = format!("{}/{BUCKET}/any", served.endpoint);
    let preflight = |origin: &str, method: &str| {
        vec![
            ("Origin".to_string(), origin.to_string()),
            ("Access-Control-Request-Method".to_string(), method.to_string()),
            ("Access-Control-Request-Headers".to_string(), "authorization,x-amz-date".to_string()),
        ]
    };
    let ok = tokio::task::spawn_blocking({
        let url = url.clone();
        move || {
            let request = preflight("http://localhost:5173", "PUT")
                .iter()
                .fold(ureq::http::Request::builder().method("OPTIONS").uri(&url), |r, (k, v)| r.header(k, v));
            let response = agent().run(request.body(Vec::new()).unwrap()).unwrap();
            let h = |n: &str| response.headers().get(n).map(|v| v.to_str().unwrap().to_string());
            (
                response.status().as_u16(),
                h("access-control-allow-origin"),
                h("access-control-allow-methods"),
                h("access-control-max-age"),
            )
        }
    })
    .await
    .unwrap();
    assert_eq!(ok, (200, Some("http://localhost:5173".into()), Some("GET, PUT".into()), Some("600".into())));
    let (s, _) = raw("OPTIONS", url.clone(), preflight("http://evil.test", "PUT"), Vec::new()).await;
    assert_eq!(s, 403);
    let (s, _) = raw("OPTIONS", url, preflight("http://localhost:5173", "DELETE"), Vec::new()).await;
    assert_eq!(s, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_survive_reopening_the_store() {
    let dir = ops_assembly();
    let assembly = load(dir.path());
    let data = tempfile::tempdir().unwrap();
    let served = serve_in(&assembly, true, data.path()).await;
    let admin = served.principals.mint(ADMIN, None);
    put(&client(&served.endpoint, &admin), "kept.txt", b"still here").await;
    drop(served);
    // The aborted server task lets go of the store once it is dropped.
    let mut again = None;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        match local::s3::ObjectStore::open(data.path()) {
            Ok(store) => {
                drop(store);
                again = Some(serve_in(&assembly, true, data.path()).await);
                break;
            }
            Err(_) => continue,
        }
    }
    let again = again.expect("the store is released");
    again.principals.insert(admin.clone());
    assert_eq!(get(&client(&again.endpoint, &admin), "kept.txt").await, b"still here");
}
