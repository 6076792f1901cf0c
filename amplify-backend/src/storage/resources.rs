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
use super::existing::ExistingBucket;
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

/// One bucket of the backend, as `define_storage` built it (or found it).
#[derive(Clone, Debug)]
pub struct Bucket {
    pub(crate) name: String,
    pub(crate) place: BucketPlace,
    pub(crate) paths: Option<IndexMap<String, IndexMap<String, Vec<Action>>>>,
}

/// Whether the backend made the bucket or uses an existing one.
#[derive(Clone, Debug)]
pub(crate) enum BucketPlace {
    /// Made by `define_storage`.
    Made(BucketResources),
    /// Made elsewhere: only the access policies are the backend's.
    Existing {
        bucket: ExistingBucket,
        access_policies: IndexMap<String, CfnPolicy>,
        access_managed_policies: IndexMap<String, Vec<CfnManagedPolicy>>,
    },
}

impl Bucket {
    /// Runs `function` on `events` too, after definition (Amplify's
    /// `addTrigger`): S3 notifications next to those of `triggers`, and the
    /// permission S3 invokes the function with (one per function), which is
    /// returned. The function must not refer to this bucket from its own stack
    /// (a grant puts `<NAME>_BUCKET_NAME` in it): the two stacks would depend on
    /// each other; give it `resource_group_name: Some("storage".into())` then.
    /// `None` over an existing bucket, whose notifications are not the backend's.
    pub fn add_trigger(
        &self,
        events: &[super::StorageEvent],
        function: &crate::function::Function,
    ) -> Option<CfnPermission> {
        let resources = self.resources()?;
        let existing = resources.trigger_permissions.get(function.name());
        Some(super::triggers::add(&resources.bucket, existing, events, function))
    }

    /// The friendly name given to `define_storage`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every L1 of the bucket; `None` over an existing bucket
    /// ([`StorageProps::existing_bucket`](super::StorageProps::existing_bucket)).
    pub fn resources(&self) -> Option<&BucketResources> {
        match &self.place {
            BucketPlace::Made(r) => Some(r),
            BucketPlace::Existing { .. } => None,
        }
    }

    /// The existing bucket it uses, if the backend did not make it.
    pub fn existing(&self) -> Option<&ExistingBucket> {
        match &self.place {
            BucketPlace::Made(_) => None,
            BucketPlace::Existing { bucket, .. } => Some(bucket),
        }
    }

    /// The managed policies holding what did not fit a role's inline access
    /// policy, by role key (as [`BucketResources::access_managed_policies`]).
    pub fn access_managed_policies(&self) -> &IndexMap<String, Vec<CfnManagedPolicy>> {
        match &self.place {
            BucketPlace::Made(r) => &r.access_managed_policies,
            BucketPlace::Existing { access_managed_policies, .. } => access_managed_policies,
        }
    }

    /// The access policies, by role key (as [`BucketResources::access_policies`]).
    pub fn access_policies(&self) -> &IndexMap<String, CfnPolicy> {
        match &self.place {
            BucketPlace::Made(r) => &r.access_policies,
            BucketPlace::Existing { access_policies, .. } => access_policies,
        }
    }

    /// The bucket's name (`Ref` of the bucket, or the existing bucket's name).
    pub fn bucket_name(&self) -> Value {
        match &self.place {
            BucketPlace::Made(r) => r.bucket.ref_(),
            BucketPlace::Existing { bucket, .. } => bucket.name.as_str().into(),
        }
    }

    /// The bucket's ARN.
    pub fn bucket_arn(&self) -> Value {
        match &self.place {
            BucketPlace::Made(r) => r.bucket.attr_arn(),
            BucketPlace::Existing { bucket, .. } => bucket.arn(),
        }
    }

    /// The bucket's region (the deploying region unless an existing bucket says otherwise).
    pub fn region(&self) -> Value {
        match &self.place {
            BucketPlace::Made(_) => constructs::Aws::region(),
            BucketPlace::Existing { bucket, .. } => bucket.region_value(),
        }
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
