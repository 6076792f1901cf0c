//! The storage browser: a bucket's objects by prefix (one level, with the
//! sub-prefixes as folders), upload, download and delete, as the bucket's
//! owner: the access rules bind the app's callers, not its developer.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::State;

/// `?prefix=` or `?key=`.
#[derive(Debug, Default, Deserialize)]
pub struct KeyQuery {
    prefix: Option<String>,
    key: Option<String>,
}

fn key_of(q: &KeyQuery) -> ApiResult<&str> {
    q.key
        .as_deref()
        .filter(|k| !k.is_empty() && !k.ends_with('/'))
        .ok_or_else(|| ApiError::bad_request("InvalidKey", "name the object with ?key=<path/name> (not a folder)"))
}

/// `GET /api/storage/{bucket}?prefix=`.
pub async fn list(
    AxumState(state): AxumState<Arc<State>>,
    Path(bucket): Path<String>,
    Query(q): Query<KeyQuery>,
) -> ApiResult<Json<Value>> {
    let prefix = q.prefix.unwrap_or_default();
    let listing = state.backend().list_objects(&bucket, &prefix).await?;
    Ok(Json(json!({"bucket": bucket, "prefix": prefix, "folders": listing.folders, "objects": listing.objects,
        "truncated": listing.truncated})))
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
    let key = key_of(&q)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let size = body.len();
    let etag = state.backend().put_object(&bucket, key, body, content_type).await?;
    Ok(Json(json!({"bucket": bucket, "key": key, "size": size, "etag": etag})))
}

/// `GET /api/storage/{bucket}/object?key=`: the object, as a download.
pub async fn download(
    AxumState(state): AxumState<Arc<State>>,
    Path(bucket): Path<String>,
    Query(q): Query<KeyQuery>,
) -> ApiResult<Response> {
    let key = key_of(&q)?;
    let got = state.backend().get_object(&bucket, key).await?;
    let name = key.rsplit('/').next().unwrap_or(key).replace(['"', '\\'], "_");
    let kind = got.content_type.unwrap_or_else(|| "application/octet-stream".into());
    Ok((
        [(header::CONTENT_TYPE, kind), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
        got.bytes,
    )
        .into_response())
}

/// `DELETE /api/storage/{bucket}/object?key=`.
pub async fn remove(
    AxumState(state): AxumState<Arc<State>>,
    Path(bucket): Path<String>,
    Query(q): Query<KeyQuery>,
) -> ApiResult<Json<Value>> {
    let key = key_of(&q)?;
    state.backend().delete_object(&bucket, key).await?;
    Ok(Json(json!({"deleted": key})))
}
