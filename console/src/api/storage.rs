//! The storage browser: a bucket's objects by prefix (one level, with the
//! sub-prefixes as folders), upload, download and delete, as the bucket's
//! owner: the access rules bind the app's callers, not its developer. A
//! change runs the bucket's notification functions, as S3 would.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use local::lambda::ObjectEvent;
use local::s3::store::{ObjectHeaders, ObjectMeta};
use md5::{Digest, Md5};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::State;

/// How many objects one listing answers at most.
const PAGE: usize = 1000;

/// `?prefix=` or `?key=`.
#[derive(Debug, Default, Deserialize)]
pub struct KeyQuery {
    prefix: Option<String>,
    key: Option<String>,
}

fn bucket_of(state: &State, bucket: &str) -> ApiResult<()> {
    if state.backend.s3().buckets().contains_key(bucket) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("the backend has no bucket {bucket}")))
    }
}

fn key_of(q: &KeyQuery) -> ApiResult<&str> {
    q.key
        .as_deref()
        .filter(|k| !k.is_empty() && !k.ends_with('/'))
        .ok_or_else(|| ApiError::bad_request("InvalidKey", "name the object with ?key=<path/name> (not a folder)"))
}

fn storage(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(format!("local S3: {e}"))
}

/// The folders and objects directly under `prefix`.
pub(crate) fn listing(state: &State, bucket: &str, prefix: &str) -> ApiResult<Value> {
    let mut folders: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    let mut truncated = false;
    state
        .backend
        .s3()
        .store()
        .scan(bucket, prefix, |key, meta| {
            let Some(rest) = key.strip_prefix(prefix) else { return false };
            match rest.find('/') {
                Some(i) => {
                    let folder = format!("{prefix}{}", &rest[..=i]);
                    if folders.last() != Some(&folder) {
                        folders.push(folder);
                    }
                }
                None => objects.push(json!({"key": key, "size": meta.size, "etag": meta.etag,
                    "lastModified": meta.last_modified_ms, "contentType": meta.headers.content_type})),
            }
            truncated = objects.len() + folders.len() >= PAGE;
            !truncated
        })
        .map_err(storage)?;
    Ok(json!({"bucket": bucket, "prefix": prefix, "folders": folders, "objects": objects, "truncated": truncated}))
}

/// `GET /api/storage/{bucket}?prefix=`.
pub async fn list(
    AxumState(state): AxumState<Arc<State>>,
    Path(bucket): Path<String>,
    Query(q): Query<KeyQuery>,
) -> ApiResult<Json<Value>> {
    bucket_of(&state, &bucket)?;
    Ok(Json(listing(&state, &bucket, q.prefix.as_deref().unwrap_or_default())?))
}

/// Writes `bytes` to a new file and syncs it: the object is acknowledged
/// only once its bytes are on disk.
fn write_synced(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// `PUT /api/storage/{bucket}/object?key=`: the body is the object; its
/// `Content-Type` is kept.
pub async fn upload(
    AxumState(state): AxumState<Arc<State>>,
    Path(bucket): Path<String>,
    Query(q): Query<KeyQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    bucket_of(&state, &bucket)?;
    let key = key_of(&q)?;
    let store = state.backend.s3().store();
    let (blob, path) = store.new_blob();
    if let Err(e) = write_synced(&path, &body) {
        let _ = std::fs::remove_file(&path);
        return Err(storage(format!("cannot write {}: {e}", path.display())));
    }
    let etag: String = Md5::digest(&body).iter().map(|b| format!("{b:02x}")).collect();
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let meta = ObjectMeta {
        size: body.len() as u64,
        etag: etag.clone(),
        last_modified_ms: now as i64,
        headers: ObjectHeaders { content_type, ..Default::default() },
        blob,
    };
    store.put(&bucket, key, &meta).map_err(storage)?;
    state.backend.storage_events().object_changed(&ObjectEvent {
        bucket: bucket.clone(),
        key: key.to_string(),
        event_name: "ObjectCreated:Put".into(),
        size: Some(meta.size),
        etag: Some(etag.clone()),
        principal: None,
    });
    Ok(Json(json!({"bucket": bucket, "key": key, "size": meta.size, "etag": etag})))
}

/// `GET /api/storage/{bucket}/object?key=`: the object, as a download.
pub async fn download(
    AxumState(state): AxumState<Arc<State>>,
    Path(bucket): Path<String>,
    Query(q): Query<KeyQuery>,
) -> ApiResult<Response> {
    bucket_of(&state, &bucket)?;
    let key = key_of(&q)?;
    let store = state.backend.s3().store();
    let meta =
        store.get(&bucket, key).map_err(storage)?.ok_or_else(|| ApiError::not_found(format!("no object {key}")))?;
    let bytes = tokio::fs::read(store.blob_path(&meta.blob)).await.map_err(storage)?;
    let name = key.rsplit('/').next().unwrap_or(key).replace(['"', '\\'], "_");
    let kind = meta.headers.content_type.unwrap_or_else(|| "application/octet-stream".into());
    Ok((
        [(header::CONTENT_TYPE, kind), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
        bytes,
    )
        .into_response())
}

/// `DELETE /api/storage/{bucket}/object?key=`.
pub async fn remove(
    AxumState(state): AxumState<Arc<State>>,
    Path(bucket): Path<String>,
    Query(q): Query<KeyQuery>,
) -> ApiResult<Json<Value>> {
    bucket_of(&state, &bucket)?;
    let key = key_of(&q)?;
    if !state.backend.s3().store().delete(&bucket, key).map_err(storage)? {
        return Err(ApiError::not_found(format!("no object {key} in {bucket}")));
    }
    state.backend.storage_events().object_changed(&ObjectEvent {
        bucket: bucket.clone(),
        key: key.to_string(),
        event_name: "ObjectRemoved:Delete".into(),
        size: None,
        etag: None,
        principal: None,
    });
    Ok(Json(json!({"deleted": key})))
}
