//! The built storage category: every bucket and every L1 it made, so a user can
//! override any property.

use cfn_types::iam::managed_policy::CfnManagedPolicy;
use cfn_types::iam::policy::CfnPolicy;
use cfn_types::lambda::permission::CfnPermission;
use cfn_types::s3::bucket::CfnBucket;
use cfn_types::s3::bucket_policy::CfnBucketPolicy;
use constructs::Value;
use indexmap::IndexMap;

use super::auto_delete::{AutoDeleteObjects, AutoDeleteProvider};
use super::policies::Action;

/// The resources of one bucket.
#[derive(Clone, Debug)]
pub struct BucketResources {
    /// The `AWS::S3::Bucket`.
    pub bucket: CfnBucket,
    /// Its bucket policy (TLS only).
    pub bucket_policy: CfnBucketPolicy,
    /// One `AWS::IAM::Policy` per role given access, keyed `authenticated`,
    /// `guest`, `group:<name>` or `function:<name>`.
    pub access_policies: IndexMap<String, CfnPolicy>,
    /// The `AWS::IAM::ManagedPolicy`s a role's statements go to when its inline
    /// policy would take too much of IAM's 10,240 characters per role (many
    /// paths), by the same keys; empty for most buckets.
    pub access_managed_policies: IndexMap<String, Vec<CfnManagedPolicy>>,
    /// The permission S3 invokes each trigger function with, by function name.
    pub trigger_permissions: IndexMap<String, CfnPermission>,
    /// What empties the bucket when a sandbox is deleted (sandboxes only).
    pub auto_delete_objects: Option<AutoDeleteObjects>,
}

/// One bucket of the backend, as `define_storage` built it.
#[derive(Clone, Debug)]
pub struct Bucket {
    pub(crate) name: String,
    pub(crate) resources: BucketResources,
    pub(crate) paths: Option<IndexMap<String, IndexMap<String, Vec<Action>>>>,
}

impl Bucket {
    /// The friendly name given to `define_storage`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every L1 of the bucket.
    pub fn resources(&self) -> &BucketResources {
        &self.resources
    }

    /// The bucket's name (a token: `Ref` of the bucket).
    pub fn bucket_name(&self) -> Value {
        self.resources.bucket.ref_()
    }

    /// The bucket's ARN (a token).
    pub fn bucket_arn(&self) -> Value {
        self.resources.bucket.attr_arn()
    }

    /// The access paths as `amplify_outputs.json` lists them: S3 prefix -> grantee
    /// (`authenticated`, `guest`, `groups<name>`, `entityidentity`) -> actions.
    /// `None` when the bucket has no access rules.
    pub fn paths(&self) -> Option<IndexMap<String, IndexMap<String, Vec<&'static str>>>> {
        self.paths.as_ref().map(|paths| {
            paths
                .iter()
                .map(|(p, who)| {
                    let who = who.iter().map(|(k, a)| (k.clone(), a.iter().map(|a| a.as_str()).collect())).collect();
                    (p.clone(), who)
                })
                .collect()
        })
    }
}

/// The storage category: every bucket of the backend ([`Backend::storage`](crate::Backend::storage)).
#[derive(Debug, Default)]
pub struct Storage {
    pub(crate) buckets: IndexMap<String, Bucket>,
    /// The default bucket, and whether `is_default` said so (else it came first).
    pub(crate) default: Option<(String, bool)>,
    pub(crate) auto_delete_provider: Option<AutoDeleteProvider>,
}

impl Storage {
    /// The buckets, in the order they were defined.
    pub fn buckets(&self) -> impl Iterator<Item = &Bucket> {
        self.buckets.values()
    }

    /// A bucket by its friendly name.
    pub fn bucket(&self, name: &str) -> Option<&Bucket> {
        self.buckets.get(name)
    }

    /// The bucket the client libraries use by default.
    pub fn default_bucket(&self) -> Option<&Bucket> {
        self.default.as_ref().and_then(|(name, _)| self.buckets.get(name))
    }

    /// The handler that empties sandbox buckets, when there is one.
    pub fn auto_delete_provider(&self) -> Option<&AutoDeleteProvider> {
        self.auto_delete_provider.as_ref()
    }
}
