//! What `define_storage` takes.

use super::access::StorageAccess;
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
}
