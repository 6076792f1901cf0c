//! Who may do what: s3s's authentication hook ([`S3Auth`]: the secret key
//! of an access key id, so that s3s verifies SigV4 headers and presigned
//! URLs) and its authorization hook ([`S3Access`]: each operation mapped to
//! its IAM action and resource, and decided by the bucket's rules).

use std::sync::Arc;
use std::time::SystemTime;

use s3s::access::{S3Access, S3AccessContext};
use s3s::auth::{S3Auth, SecretKey};
use s3s::dto::*;
use s3s::path::S3Path;
use s3s::{s3_error, S3Request, S3Result};

use super::policy::Decision;
use super::principal::Principal;
use super::Shared;

/// The verified caller of one request (`None`: unsigned), kept in the
/// request's extensions for the operation.
#[derive(Clone, Debug)]
pub(crate) struct Caller(pub Option<Principal>);

/// The caller recorded by [`Gate::check`].
pub(crate) fn caller(extensions: &http::Extensions) -> Option<&Principal> {
    extensions.get::<Caller>().and_then(|c| c.0.as_ref())
}

/// The authentication and authorization hooks over the shared state.
pub(crate) struct Gate(pub Arc<Shared>);

#[async_trait::async_trait]
impl S3Auth for Gate {
    async fn get_secret_key(&self, access_key: &str) -> S3Result<SecretKey> {
        match self.0.principals.resolve(access_key) {
            Some(p) if p.expired(SystemTime::now()) => Err(s3_error!(ExpiredToken, "The provided token has expired.")),
            Some(p) => Ok(SecretKey::from(p.secret_access_key)),
            None => {
                Err(s3_error!(InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records."))
            }
        }
    }
}

/// The session token a request carries (header, or query for a presigned URL).
fn session_token(cx: &S3AccessContext<'_>) -> Option<String> {
    if let Some(v) = cx.headers().get("x-amz-security-token").and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    let query = cx.uri().query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case("X-Amz-Security-Token"))
        .map(|(_, v)| v.into_owned())
}

impl Shared {
    /// Decides `action` on `resource` for `caller`; a refusal is S3's 403
    /// `AccessDenied`, saying which principal lacked which action.
    pub(crate) fn authorize(
        &self,
        caller: Option<&Principal>,
        bucket: &str,
        action: &str,
        resource: &str,
        keys: &[(&str, String)],
    ) -> S3Result<()> {
        let served = self.served();
        match served.rules.decide(caller, bucket, action, resource, keys, self.secure_transport) {
            Decision::Allow => Ok(()),
            decision => {
                let Some(p) = caller else { return Err(s3_error!(AccessDenied, "Access Denied")) };
                let why = if decision == Decision::ExplicitDeny {
                    "with an explicit deny in a policy".to_string()
                } else {
                    format!("because no identity-based policy allows the {action} action")
                };
                let session = p.identity_id.as_deref().unwrap_or("local");
                Err(s3_error!(
                    AccessDenied,
                    "User: arn:aws:sts::{}:assumed-role/{}/{session} is not authorized to perform: {action} on resource: \"{resource}\" {why}",
                    served.rules.account_id(),
                    p.role_name()
                ))
            }
        }
    }

    /// Authorizes an object-level `action` on `bucket`/`key`.
    pub(crate) fn authorize_object(
        &self,
        caller: Option<&Principal>,
        bucket: &str,
        key: &str,
        action: &str,
    ) -> S3Result<()> {
        self.authorize(caller, bucket, action, &format!("arn:aws:s3:::{bucket}/{key}"), &[])
    }
}

fn object<T>(gate: &Gate, req: &S3Request<T>, bucket: &str, key: &str, action: &str) -> S3Result<()> {
    gate.0.authorize_object(caller(&req.extensions), bucket, key, action)
}

fn list_keys(
    prefix: &Option<String>,
    delimiter: &Option<String>,
    max_keys: Option<i32>,
) -> Vec<(&'static str, String)> {
    let mut keys = Vec::new();
    if let Some(p) = prefix {
        keys.push(("s3:prefix", p.clone()));
    }
    if let Some(d) = delimiter {
        keys.push(("s3:delimiter", d.clone()));
    }
    if let Some(m) = max_keys {
        keys.push(("s3:max-keys", m.to_string()));
    }
    keys
}

#[async_trait::async_trait]
impl S3Access for Gate {
    async fn check(&self, cx: &mut S3AccessContext<'_>) -> S3Result<()> {
        let caller = match cx.credentials() {
            None => None,
            Some(c) => {
                let principal = self.0.principals.resolve(&c.access_key).ok_or_else(|| {
                    s3_error!(InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.")
                })?;
                // Temporary credentials are only good with their session token.
                if let Some(expected) = &principal.session_token {
                    if session_token(cx).as_deref() != Some(expected.as_str()) {
                        return Err(s3_error!(InvalidToken, "The provided token is malformed or otherwise invalid."));
                    }
                }
                Some(principal)
            }
        };
        let bucket = match cx.s3_path() {
            S3Path::Root => return Err(s3_error!(AccessDenied, "Access Denied")),
            S3Path::Bucket { bucket } | S3Path::Object { bucket, .. } => bucket.to_string(),
        };
        if !self.0.served().buckets.contains_key(&bucket) {
            return Err(s3_error!(NoSuchBucket, "The specified bucket does not exist"));
        }
        cx.extensions_mut().insert(Caller(caller));
        Ok(())
    }

    async fn put_object(&self, req: &mut S3Request<PutObjectInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:PutObject")
    }

    async fn create_multipart_upload(&self, req: &mut S3Request<CreateMultipartUploadInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:PutObject")
    }

    async fn upload_part(&self, req: &mut S3Request<UploadPartInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:PutObject")
    }

    async fn complete_multipart_upload(&self, req: &mut S3Request<CompleteMultipartUploadInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:PutObject")
    }

    async fn abort_multipart_upload(&self, req: &mut S3Request<AbortMultipartUploadInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:AbortMultipartUpload")
    }

    async fn list_parts(&self, req: &mut S3Request<ListPartsInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:ListMultipartUploadParts")
    }

    async fn get_object(&self, req: &mut S3Request<GetObjectInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:GetObject")
    }

    async fn head_object(&self, req: &mut S3Request<HeadObjectInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:GetObject")
    }

    async fn delete_object(&self, req: &mut S3Request<DeleteObjectInput>) -> S3Result<()> {
        object(self, req, &req.input.bucket, &req.input.key, "s3:DeleteObject")
    }

    async fn delete_objects(&self, _req: &mut S3Request<DeleteObjectsInput>) -> S3Result<()> {
        // Decided key by key: S3 answers each refused key in the result's errors.
        Ok(())
    }

    async fn copy_object(&self, req: &mut S3Request<CopyObjectInput>) -> S3Result<()> {
        let CopySource::Bucket { bucket, key, .. } = &req.input.copy_source else {
            return Err(s3_error!(NotImplemented, "access point copy sources are not served locally"));
        };
        object(self, req, bucket, key, "s3:GetObject")?;
        object(self, req, &req.input.bucket, &req.input.key, "s3:PutObject")
    }

    async fn list_objects_v2(&self, req: &mut S3Request<ListObjectsV2Input>) -> S3Result<()> {
        let i = &req.input;
        let keys = list_keys(&i.prefix, &i.delimiter, i.max_keys);
        self.0.authorize(
            caller(&req.extensions),
            &i.bucket,
            "s3:ListBucket",
            &format!("arn:aws:s3:::{}", i.bucket),
            &keys,
        )
    }

    async fn list_objects(&self, req: &mut S3Request<ListObjectsInput>) -> S3Result<()> {
        let i = &req.input;
        let keys = list_keys(&i.prefix, &i.delimiter, i.max_keys);
        self.0.authorize(
            caller(&req.extensions),
            &i.bucket,
            "s3:ListBucket",
            &format!("arn:aws:s3:::{}", i.bucket),
            &keys,
        )
    }

    async fn list_multipart_uploads(&self, req: &mut S3Request<ListMultipartUploadsInput>) -> S3Result<()> {
        let b = &req.input.bucket;
        self.0.authorize(caller(&req.extensions), b, "s3:ListBucketMultipartUploads", &format!("arn:aws:s3:::{b}"), &[])
    }

    async fn head_bucket(&self, req: &mut S3Request<HeadBucketInput>) -> S3Result<()> {
        let b = &req.input.bucket;
        self.0.authorize(caller(&req.extensions), b, "s3:ListBucket", &format!("arn:aws:s3:::{b}"), &[])
    }

    async fn get_bucket_location(&self, req: &mut S3Request<GetBucketLocationInput>) -> S3Result<()> {
        let b = &req.input.bucket;
        self.0.authorize(caller(&req.extensions), b, "s3:GetBucketLocation", &format!("arn:aws:s3:::{b}"), &[])
    }
}
