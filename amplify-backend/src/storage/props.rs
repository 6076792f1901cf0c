//! What `define_storage` takes.

use constructs::Value;

use super::access::StorageAccess;
use super::existing::ExistingBucket;
use super::triggers::StorageTriggers;

/// The options of [`define_storage`](super::define_storage), as Amplify's
/// `defineStorage`.
#[derive(Clone, Debug, Default)]
pub struct StorageProps {
    /// The friendly name: the bucket's `name` in `amplify_outputs.json`, its
    /// construct ID (logical IDs start with it) and the `<NAME>_BUCKET_NAME`
    /// variable of functions with access. Letters, digits, `-` and `_`.
    pub name: String,
    /// The bucket the client libraries use when no bucket is named. With several
    /// buckets, at most one may say so; when none does, the first is the default.
    pub is_default: bool,
    /// Who may do what under which paths; nobody may do anything when empty.
    pub access: StorageAccess,
    /// Functions to run on uploads and deletes.
    pub triggers: StorageTriggers,
    /// Keeps every version of every object (S3 versioning).
    pub versioned: bool,
    /// What deleting a branch deployment does to the bucket (Amplify's
    /// `keepOnDelete`). Our rule is that a branch never deletes users' data
    /// unless told to, so a branch keeps the bucket when this is `None` or
    /// `Some(true)`, and deletes it, emptied first, only on `Some(false)`.
    /// (Amplify deletes it unless `keepOnDelete: true`.) A sandbox deletes its
    /// buckets whatever this says, as Amplify's does; `Some(true)` there is a warning.
    pub keep_on_delete: Option<bool>,
    /// Delivers S3 server access logs to a bucket of yours; off when `None`, as
    /// in Amplify (the logs cost storage and a second bucket).
    pub access_logs: Option<AccessLogs>,
    /// A bucket made elsewhere to use instead of making one (see
    /// [`ExistingBucket`]): access rules and outputs name it.
    pub existing_bucket: Option<ExistingBucket>,
}

/// Where S3 writes a bucket's server access logs (the bucket's `LoggingConfiguration`).
///
/// ```
/// use amplify_backend::storage::{define_storage, AccessLogs, StorageProps};
///
/// let storage = define_storage(StorageProps {
///     name: "media".into(),
///     access_logs: Some(AccessLogs::to_bucket("my-access-logs")),
///     ..Default::default()
/// });
/// assert!(storage.props().access_logs.is_some());
/// ```
#[derive(Clone, Debug)]
pub struct AccessLogs {
    /// The destination bucket's name: an existing bucket (a literal, or a token
    /// such as an `Fn::ImportValue`). S3 needs it in the same account and Region,
    /// encrypted with S3-managed keys (not KMS), with a policy that lets
    /// `logging.s3.amazonaws.com` put objects. To log to a bucket of a custom
    /// stack, set `LoggingConfiguration` on [`BucketResources::bucket`](super::BucketResources)
    /// once the backend is built.
    pub bucket: Value,
    /// The key prefix of the log objects. Empty: `<storage name>/`, so that
    /// several buckets can share one destination.
    pub prefix: String,
}

impl AccessLogs {
    /// Logs to `bucket` under the default prefix.
    pub fn to_bucket(bucket: impl Into<Value>) -> Self {
        AccessLogs { bucket: bucket.into(), prefix: String::new() }
    }
}
