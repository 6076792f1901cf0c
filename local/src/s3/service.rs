//! The S3 operations over the object store (s3s's [`S3`] trait): objects,
//! listing, copying, deleting in batches and multipart uploads. Requests
//! reach these methods authenticated and authorized ([`super::access`]).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};
use s3s::dto::*;
use s3s::{s3_error, S3Request, S3Response, S3Result, S3};

use super::access::caller;
use super::body::{concatenate, copy_blob, hex, read_range, write_blob};
use super::notify;
use super::store::{ObjectHeaders, ObjectMeta, Part as StoredPart, Upload};
use super::Shared;

/// S3's longest key, in bytes.
const MAX_KEY_BYTES: usize = 1024;
/// S3's smallest part, except the last.
const MIN_PART_BYTES: u64 = 5 * 1024 * 1024;
/// S3's default and largest page of a listing.
const MAX_KEYS: i32 = 1000;

/// The S3 operations.
pub(crate) struct Objects(pub Arc<Shared>);

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn timestamp(ms: i64) -> Timestamp {
    Timestamp::from(UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64))
}

fn store_error(e: impl std::fmt::Display) -> s3s::S3Error {
    s3s::S3Error::with_message(s3s::S3ErrorCode::InternalError, e.to_string())
}

fn check_key(key: &str) -> S3Result<()> {
    if key.len() > MAX_KEY_BYTES {
        return Err(s3_error!(KeyTooLongError, "Your key is too long"));
    }
    Ok(())
}

fn no_such_key() -> s3s::S3Error {
    s3_error!(NoSuchKey, "The specified key does not exist.")
}

fn metadata(map: Option<Metadata>) -> BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect()
}

fn out_metadata(meta: &ObjectMeta) -> Option<Metadata> {
    let m = &meta.headers.metadata;
    (!m.is_empty()).then(|| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn etag(meta: &ObjectMeta) -> ETag {
    ETag::Strong(meta.etag.clone())
}

fn seconds(t: &Timestamp) -> i64 {
    time::OffsetDateTime::from(t.clone()).unix_timestamp()
}

/// Conditional GET/HEAD headers, in S3's order of precedence.
fn check_conditions(
    meta: &ObjectMeta,
    if_match: Option<&ETagCondition>,
    if_none_match: Option<&ETagCondition>,
    if_modified_since: Option<&Timestamp>,
    if_unmodified_since: Option<&Timestamp>,
) -> S3Result<()> {
    let matches = |c: &ETagCondition| c.is_any() || c.as_etag().is_some_and(|e| e.value() == meta.etag);
    let modified_s = meta.last_modified_ms / 1000;
    if let Some(c) = if_match {
        if !matches(c) {
            return Err(s3_error!(PreconditionFailed, "At least one of the pre-conditions you specified did not hold"));
        }
    } else if let Some(t) = if_unmodified_since {
        if modified_s > seconds(t) {
            return Err(s3_error!(PreconditionFailed, "At least one of the pre-conditions you specified did not hold"));
        }
    }
    if let Some(c) = if_none_match {
        if matches(c) {
            return Err(s3_error!(NotModified));
        }
    } else if let Some(t) = if_modified_since {
        if modified_s <= seconds(t) {
            return Err(s3_error!(NotModified));
        }
    }
    Ok(())
}

impl Objects {
    /// The object at `key`, or the error S3 gives for a missing one: 404
    /// `NoSuchKey` to a caller who may list the bucket, else 403
    /// `AccessDenied` (so a missing key is not told apart from a forbidden one).
    fn existing(&self, extensions: &http::Extensions, bucket: &str, key: &str) -> S3Result<ObjectMeta> {
        match self.0.store.get(bucket, key).map_err(store_error)? {
            Some(meta) => Ok(meta),
            None => {
                let arn = format!("arn:aws:s3:::{bucket}");
                match self.0.authorize(caller(extensions), bucket, "s3:ListBucket", &arn, &[]) {
                    Ok(()) => Err(no_such_key()),
                    Err(denied) => Err(denied),
                }
            }
        }
    }

    async fn store_new(
        &self,
        bucket: &str,
        key: &str,
        body: Option<StreamingBlob>,
        content_md5: Option<&str>,
        headers: ObjectHeaders,
    ) -> S3Result<ObjectMeta> {
        let (blob, path) = self.0.store.new_blob();
        let written = write_blob(&path, body, content_md5).await?;
        let meta = ObjectMeta { size: written.size, etag: written.md5_hex, last_modified_ms: now_ms(), headers, blob };
        self.0.store.put(bucket, key, &meta).map_err(store_error)?;
        Ok(meta)
    }
}

#[async_trait::async_trait]
impl S3 for Objects {
    async fn put_object(&self, req: S3Request<PutObjectInput>) -> S3Result<S3Response<PutObjectOutput>> {
        let i = req.input;
        check_key(&i.key)?;
        let existing = self.0.store.get(&i.bucket, &i.key).map_err(store_error)?;
        // Conditional writes (Amplify's `preventOverwrite` sends `If-None-Match: *`).
        if let Some(c) = &i.if_none_match {
            if existing.as_ref().is_some_and(|m| c.is_any() || c.as_etag().is_some_and(|e| e.value() == m.etag)) {
                return Err(s3_error!(
                    PreconditionFailed,
                    "At least one of the pre-conditions you specified did not hold"
                ));
            }
        }
        if let Some(c) = &i.if_match {
            match &existing {
                None => return Err(no_such_key()),
                Some(m) if !(c.is_any() || c.as_etag().is_some_and(|e| e.value() == m.etag)) => {
                    return Err(s3_error!(
                        PreconditionFailed,
                        "At least one of the pre-conditions you specified did not hold"
                    ));
                }
                Some(_) => {}
            }
        }
        let headers = ObjectHeaders {
            content_type: i.content_type.or_else(|| Some("binary/octet-stream".into())),
            content_encoding: i.content_encoding,
            content_disposition: i.content_disposition,
            content_language: i.content_language,
            cache_control: i.cache_control,
            metadata: metadata(i.metadata),
        };
        let meta = self.store_new(&i.bucket, &i.key, i.body, i.content_md5.as_deref(), headers).await?;
        self.0.notify(&i.bucket, &i.key, notify::PUT, Some(&meta), caller(&req.extensions));
        Ok(S3Response::new(PutObjectOutput { e_tag: Some(etag(&meta)), ..Default::default() }))
    }

    async fn get_object(&self, req: S3Request<GetObjectInput>) -> S3Result<S3Response<GetObjectOutput>> {
        let meta = self.existing(&req.extensions, &req.input.bucket, &req.input.key)?;
        let i = req.input;
        check_conditions(
            &meta,
            i.if_match.as_ref(),
            i.if_none_match.as_ref(),
            i.if_modified_since.as_ref(),
            i.if_unmodified_since.as_ref(),
        )?;
        let range = i.range.map(|r| r.check(meta.size)).transpose()?;
        let (start, end) = range.as_ref().map_or((0, meta.size), |r| (r.start, r.end));
        let h = &meta.headers;
        let output = GetObjectOutput {
            body: Some(read_range(self.0.store.blob_path(&meta.blob), start, end)),
            content_length: Some((end - start) as i64),
            content_range: range.map(|r| format!("bytes {}-{}/{}", r.start, r.end - 1, meta.size)),
            accept_ranges: Some("bytes".into()),
            e_tag: Some(etag(&meta)),
            last_modified: Some(timestamp(meta.last_modified_ms)),
            // `response-*` query parameters (presigned URLs) override the stored headers.
            content_type: i.response_content_type.or_else(|| h.content_type.clone()),
            content_encoding: i.response_content_encoding.or_else(|| h.content_encoding.clone()),
            content_disposition: i.response_content_disposition.or_else(|| h.content_disposition.clone()),
            content_language: i.response_content_language.or_else(|| h.content_language.clone()),
            cache_control: i.response_cache_control.or_else(|| h.cache_control.clone()),
            metadata: out_metadata(&meta),
            ..Default::default()
        };
        Ok(S3Response::new(output))
    }

    async fn head_object(&self, req: S3Request<HeadObjectInput>) -> S3Result<S3Response<HeadObjectOutput>> {
        let meta = self.existing(&req.extensions, &req.input.bucket, &req.input.key)?;
        let i = req.input;
        check_conditions(
            &meta,
            i.if_match.as_ref(),
            i.if_none_match.as_ref(),
            i.if_modified_since.as_ref(),
            i.if_unmodified_since.as_ref(),
        )?;
        let range = i.range.map(|r| r.check(meta.size)).transpose()?;
        let h = &meta.headers;
        let output = HeadObjectOutput {
            content_length: Some(range.as_ref().map_or(meta.size, |r| r.end - r.start) as i64),
            content_range: range.map(|r| format!("bytes {}-{}/{}", r.start, r.end - 1, meta.size)),
            accept_ranges: Some("bytes".into()),
            e_tag: Some(etag(&meta)),
            last_modified: Some(timestamp(meta.last_modified_ms)),
            content_type: i.response_content_type.or_else(|| h.content_type.clone()),
            content_encoding: h.content_encoding.clone(),
            content_disposition: i.response_content_disposition.or_else(|| h.content_disposition.clone()),
            content_language: h.content_language.clone(),
            cache_control: h.cache_control.clone(),
            metadata: out_metadata(&meta),
            ..Default::default()
        };
        Ok(S3Response::new(output))
    }

    async fn delete_object(&self, req: S3Request<DeleteObjectInput>) -> S3Result<S3Response<DeleteObjectOutput>> {
        // Deleting a missing key succeeds, as in S3 (and changes nothing to report).
        let i = &req.input;
        if self.0.store.delete(&i.bucket, &i.key).map_err(store_error)? {
            self.0.notify(&i.bucket, &i.key, notify::DELETE, None, caller(&req.extensions));
        }
        Ok(S3Response::new(DeleteObjectOutput::default()))
    }

    async fn delete_objects(&self, req: S3Request<DeleteObjectsInput>) -> S3Result<S3Response<DeleteObjectsOutput>> {
        let who = caller(&req.extensions).cloned();
        let i = req.input;
        if i.delete.objects.len() > 1000 {
            return Err(s3_error!(MalformedXML, "a DeleteObjects request names at most 1000 keys"));
        }
        let quiet = i.delete.quiet.unwrap_or(false);
        let (mut deleted, mut errors) = (Vec::new(), Vec::new());
        for o in i.delete.objects {
            match self.0.authorize_object(who.as_ref(), &i.bucket, &o.key, "s3:DeleteObject") {
                Ok(()) => {
                    if self.0.store.delete(&i.bucket, &o.key).map_err(store_error)? {
                        self.0.notify(&i.bucket, &o.key, notify::DELETE, None, who.as_ref());
                    }
                    if !quiet {
                        deleted.push(DeletedObject { key: Some(o.key), ..Default::default() });
                    }
                }
                Err(e) => errors.push(Error {
                    code: Some(e.code().as_str().to_string()),
                    message: e.message().map(str::to_string),
                    key: Some(o.key),
                    version_id: None,
                }),
            }
        }
        Ok(S3Response::new(DeleteObjectsOutput {
            deleted: (!deleted.is_empty()).then_some(deleted),
            errors: (!errors.is_empty()).then_some(errors),
            ..Default::default()
        }))
    }

    async fn copy_object(&self, req: S3Request<CopyObjectInput>) -> S3Result<S3Response<CopyObjectOutput>> {
        let CopySource::Bucket { bucket: src_bucket, key: src_key, .. } = &req.input.copy_source else {
            return Err(s3_error!(NotImplemented, "access point copy sources are not served locally"));
        };
        let (src_bucket, src_key) = (src_bucket.to_string(), src_key.to_string());
        if !self.0.served().buckets.contains_key(&src_bucket) {
            return Err(s3_error!(NoSuchBucket, "The specified bucket does not exist"));
        }
        let source = self.existing(&req.extensions, &src_bucket, &src_key)?;
        let i = req.input;
        check_key(&i.key)?;
        check_conditions(
            &source,
            i.copy_source_if_match.as_ref(),
            i.copy_source_if_none_match.as_ref(),
            i.copy_source_if_modified_since.as_ref(),
            i.copy_source_if_unmodified_since.as_ref(),
        )
        .map_err(|e| if *e.code() == s3s::S3ErrorCode::NotModified { s3_error!(PreconditionFailed) } else { e })?;
        let replace = i.metadata_directive.as_ref().is_some_and(|d| d.as_str() == MetadataDirective::REPLACE);
        if !replace && src_bucket == i.bucket && src_key == i.key {
            return Err(s3_error!(
                InvalidRequest,
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
            ));
        }
        let headers = if replace {
            ObjectHeaders {
                content_type: i.content_type.or_else(|| Some("binary/octet-stream".into())),
                content_encoding: i.content_encoding,
                content_disposition: i.content_disposition,
                content_language: i.content_language,
                cache_control: i.cache_control,
                metadata: metadata(i.metadata),
            }
        } else {
            source.headers.clone()
        };
        let (blob, path) = self.0.store.new_blob();
        copy_blob(self.0.store.blob_path(&source.blob), path).await?;
        let meta =
            ObjectMeta { size: source.size, etag: source.etag.clone(), last_modified_ms: now_ms(), headers, blob };
        self.0.store.put(&i.bucket, &i.key, &meta).map_err(store_error)?;
        self.0.notify(&i.bucket, &i.key, notify::COPY, Some(&meta), caller(&req.extensions));
        Ok(S3Response::new(CopyObjectOutput {
            copy_object_result: Some(CopyObjectResult {
                e_tag: Some(etag(&meta)),
                last_modified: Some(timestamp(meta.last_modified_ms)),
                ..Default::default()
            }),
            ..Default::default()
        }))
    }

    async fn list_objects_v2(&self, req: S3Request<ListObjectsV2Input>) -> S3Result<S3Response<ListObjectsV2Output>> {
        let i = req.input;
        let max_keys = i.max_keys.unwrap_or(MAX_KEYS);
        if max_keys < 0 {
            return Err(s3_error!(InvalidArgument, "max-keys must be a non-negative integer"));
        }
        let page = super::listing::list(
            &self.0.store,
            &i.bucket,
            i.prefix.as_deref().unwrap_or(""),
            i.delimiter.as_deref().filter(|d| !d.is_empty()),
            i.continuation_token.as_deref(),
            i.start_after.as_deref(),
            max_keys.min(MAX_KEYS) as usize,
        )?;
        let url = i.encoding_type.as_ref().is_some_and(|e| e.as_str() == EncodingType::URL);
        let enc = |s: String| if url { super::listing::url_encode(&s) } else { s };
        let key_count = (page.objects.len() + page.prefixes.len()) as i32;
        let contents: Vec<Object> = page
            .objects
            .into_iter()
            .map(|(key, meta)| Object {
                key: Some(enc(key)),
                size: Some(meta.size as i64),
                e_tag: Some(etag(&meta)),
                last_modified: Some(timestamp(meta.last_modified_ms)),
                storage_class: Some(ObjectStorageClass::from_static(ObjectStorageClass::STANDARD)),
                ..Default::default()
            })
            .collect();
        let prefixes: Vec<CommonPrefix> =
            page.prefixes.into_iter().map(|p| CommonPrefix { prefix: Some(enc(p)) }).collect();
        Ok(S3Response::new(ListObjectsV2Output {
            name: Some(i.bucket),
            prefix: Some(enc(i.prefix.unwrap_or_default())),
            delimiter: i.delimiter.map(enc),
            max_keys: Some(max_keys),
            key_count: Some(key_count),
            continuation_token: i.continuation_token,
            next_continuation_token: page.next_token,
            is_truncated: Some(page.truncated),
            start_after: i.start_after.map(enc),
            encoding_type: i.encoding_type,
            contents: (!contents.is_empty()).then_some(contents),
            common_prefixes: (!prefixes.is_empty()).then_some(prefixes),
            ..Default::default()
        }))
    }

    async fn create_multipart_upload(
        &self,
        req: S3Request<CreateMultipartUploadInput>,
    ) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
        let i = req.input;
        check_key(&i.key)?;
        let upload = Upload {
            bucket: i.bucket.clone(),
            key: i.key.clone(),
            initiated_ms: now_ms(),
            headers: ObjectHeaders {
                content_type: i.content_type.or_else(|| Some("binary/octet-stream".into())),
                content_encoding: i.content_encoding,
                content_disposition: i.content_disposition,
                content_language: i.content_language,
                cache_control: i.cache_control,
                metadata: metadata(i.metadata),
            },
        };
        let id = self.0.store.create_upload(&upload).map_err(store_error)?;
        Ok(S3Response::new(CreateMultipartUploadOutput {
            bucket: Some(i.bucket),
            key: Some(i.key),
            upload_id: Some(id),
            ..Default::default()
        }))
    }

    async fn upload_part(&self, req: S3Request<UploadPartInput>) -> S3Result<S3Response<UploadPartOutput>> {
        let i = req.input;
        self.upload_of(&i.upload_id, &i.bucket, &i.key)?;
        if !(1..=10_000).contains(&i.part_number) {
            return Err(s3_error!(InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive"));
        }
        let (blob, path) = self.0.store.new_blob();
        let written = write_blob(&path, i.body, i.content_md5.as_deref()).await?;
        let part = StoredPart { etag: written.md5_hex, size: written.size, last_modified_ms: now_ms(), blob };
        self.0.store.put_part(&i.upload_id, i.part_number as u32, &part).map_err(store_error)?;
        Ok(S3Response::new(UploadPartOutput { e_tag: Some(ETag::Strong(part.etag)), ..Default::default() }))
    }

    async fn complete_multipart_upload(
        &self,
        req: S3Request<CompleteMultipartUploadInput>,
    ) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
        let i = req.input;
        let upload = self.upload_of(&i.upload_id, &i.bucket, &i.key)?;
        let asked = i.multipart_upload.and_then(|m| m.parts).unwrap_or_default();
        if asked.is_empty() {
            return Err(s3_error!(MalformedXML, "You must specify at least one part"));
        }
        let stored: BTreeMap<u32, StoredPart> =
            self.0.store.parts(&i.upload_id).map_err(store_error)?.into_iter().collect();
        // S3 checks the order of the whole list, then each part, then sizes.
        let numbers: Vec<i32> = asked.iter().map(|p| p.part_number.unwrap_or(0)).collect();
        if numbers.windows(2).any(|w| w[0] >= w[1]) {
            return Err(s3_error!(InvalidPartOrder, "The list of parts was not in ascending order. The parts list must be specified in order by part number."));
        }
        let mut chosen = Vec::new();
        for (p, number) in asked.iter().zip(&numbers) {
            let part = stored.get(&(*number as u32)).filter(|s| p.e_tag.as_ref().is_none_or(|e| e.value() == s.etag));
            let Some(part) = part else {
                return Err(s3_error!(InvalidPart, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag."));
            };
            chosen.push(part.clone());
        }
        if chosen[..chosen.len() - 1].iter().any(|p| p.size < MIN_PART_BYTES) {
            return Err(s3_error!(
                EntityTooSmall,
                "Your proposed upload is smaller than the minimum allowed object size."
            ));
        }
        // The multipart ETag: the MD5 of the parts' binary MD5s, then `-<count>`.
        let mut md5 = Md5::new();
        for p in &chosen {
            let bytes: Vec<u8> =
                (0..p.etag.len() / 2).filter_map(|k| u8::from_str_radix(&p.etag[2 * k..2 * k + 2], 16).ok()).collect();
            md5.update(&bytes);
        }
        let etag_value = format!("{}-{}", hex(&md5.finalize()), chosen.len());
        let (blob, path) = self.0.store.new_blob();
        let size = concatenate(path, chosen.iter().map(|p| self.0.store.blob_path(&p.blob)).collect()).await?;
        let meta = ObjectMeta { size, etag: etag_value, last_modified_ms: now_ms(), headers: upload.headers, blob };
        self.0.store.finish_upload(&i.upload_id, Some((&i.bucket, &i.key, &meta))).map_err(store_error)?;
        self.0.notify(&i.bucket, &i.key, notify::MULTIPART, Some(&meta), caller(&req.extensions));
        Ok(S3Response::new(CompleteMultipartUploadOutput {
            bucket: Some(i.bucket.clone()),
            key: Some(i.key.clone()),
            e_tag: Some(etag(&meta)),
            location: Some(format!("/{}/{}", i.bucket, i.key)),
            ..Default::default()
        }))
    }

    async fn abort_multipart_upload(
        &self,
        req: S3Request<AbortMultipartUploadInput>,
    ) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
        let i = req.input;
        self.upload_of(&i.upload_id, &i.bucket, &i.key)?;
        self.0.store.finish_upload(&i.upload_id, None).map_err(store_error)?;
        Ok(S3Response::new(AbortMultipartUploadOutput::default()))
    }

    async fn list_parts(&self, req: S3Request<ListPartsInput>) -> S3Result<S3Response<ListPartsOutput>> {
        let i = req.input;
        self.upload_of(&i.upload_id, &i.bucket, &i.key)?;
        let max = i.max_parts.unwrap_or(1000).clamp(0, 1000) as usize;
        let marker = i.part_number_marker.unwrap_or(0).max(0) as u32;
        let all: Vec<(u32, StoredPart)> =
            self.0.store.parts(&i.upload_id).map_err(store_error)?.into_iter().filter(|(n, _)| *n > marker).collect();
        let truncated = all.len() > max;
        let page: Vec<(u32, StoredPart)> = all.into_iter().take(max).collect();
        let next = page.last().map(|(n, _)| *n as i32);
        let parts: Vec<Part> = page
            .into_iter()
            .map(|(n, p)| Part {
                part_number: Some(n as i32),
                e_tag: Some(ETag::Strong(p.etag)),
                size: Some(p.size as i64),
                last_modified: Some(timestamp(p.last_modified_ms)),
                ..Default::default()
            })
            .collect();
        Ok(S3Response::new(ListPartsOutput {
            bucket: Some(i.bucket),
            key: Some(i.key),
            upload_id: Some(i.upload_id),
            max_parts: Some(max as i32),
            part_number_marker: i.part_number_marker,
            next_part_number_marker: next,
            is_truncated: Some(truncated),
            parts: (!parts.is_empty()).then_some(parts),
            ..Default::default()
        }))
    }

    async fn head_bucket(&self, _req: S3Request<HeadBucketInput>) -> S3Result<S3Response<HeadBucketOutput>> {
        Ok(S3Response::new(HeadBucketOutput::default()))
    }

    async fn get_bucket_location(
        &self,
        _req: S3Request<GetBucketLocationInput>,
    ) -> S3Result<S3Response<GetBucketLocationOutput>> {
        // us-east-1 is answered as an empty constraint, as S3 does.
        let constraint = (self.0.region != "us-east-1").then(|| BucketLocationConstraint::from(self.0.region.clone()));
        Ok(S3Response::new(GetBucketLocationOutput { location_constraint: constraint }))
    }
}

impl Objects {
    /// The upload `id`, which must be for `bucket`/`key`.
    fn upload_of(&self, id: &str, bucket: &str, key: &str) -> S3Result<Upload> {
        match self.0.store.upload(id).map_err(store_error)? {
            Some(u) if u.bucket == bucket && u.key == key => Ok(u),
            _ => Err(s3_error!(
                NoSuchUpload,
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
            )),
        }
    }
}
