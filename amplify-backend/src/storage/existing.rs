//! Storage over a bucket that exists already (made outside the backend): no
//! bucket is created; access rules become policies naming it, functions with
//! access get its name, and `amplify_outputs.json` lists it.
//!
//! ```
//! use amplify_backend::storage::{access, define_storage, ExistingBucket, StorageAction::*, StorageProps};
//!
//! let storage = define_storage(StorageProps {
//!     name: "archive".into(),
//!     existing_bucket: Some(ExistingBucket::named("my-company-archive").in_region("eu-west-1")),
//!     access: access(|allow| [("public/*", vec![allow.guest.to([Read])])]),
//!     ..Default::default()
//! });
//! assert!(storage.props().existing_bucket.is_some());
//! ```
//!
//! The bucket's own settings (encryption, CORS, versioning, notifications, its
//! policy) stay as they are: the backend does not own them. So `versioned`,
//! `access_logs` and `triggers`, which configure the bucket, are refused, and a
//! browser app needs the bucket's CORS to allow its origin.

use constructs::{fns, Aws, Value};

use super::props::StorageProps;

/// A bucket made elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingBucket {
    /// The bucket's name.
    pub name: String,
    /// The bucket's region, when it is not the region the backend deploys to
    /// (the client libraries send requests there).
    pub region: Option<String>,
}

impl ExistingBucket {
    /// The bucket called `name`, in the backend's region.
    pub fn named(name: impl Into<String>) -> Self {
        ExistingBucket { name: name.into(), region: None }
    }

    /// In `region` instead.
    pub fn in_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// `arn:<partition>:s3:::<name>`.
    pub(crate) fn arn(&self) -> Value {
        fns::sub_with("arn:${AWS::Partition}:s3:::${bucket}", [("bucket", Value::from(self.name.as_str()))])
    }

    /// The region the outputs give.
    pub(crate) fn region_value(&self) -> Value {
        self.region.as_deref().map(Value::from).unwrap_or_else(Aws::region)
    }
}

/// S3's naming rules for general purpose buckets: 3 to 63 lowercase letters,
/// digits, dots and hyphens, starting and ending with a letter or digit.
fn valid_bucket_name(name: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (3..=63).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && edge(name.chars().next())
        && edge(name.chars().last())
        && !name.contains("..")
}

/// The problems of storage over `bucket`, as `what; fix`.
pub(crate) fn problems(bucket: &ExistingBucket, p: &StorageProps) -> Vec<String> {
    let mut out = Vec::new();
    if !valid_bucket_name(&bucket.name) {
        out.push(format!(
            "existing_bucket {:?} is not an S3 bucket name; give the bucket's name (3 to 63 lowercase letters, \
             digits, '.' or '-'), not its ARN or URL",
            bucket.name
        ));
    }
    if let Some(region) = &bucket.region {
        let parts: Vec<&str> = region.split('-').collect();
        if parts.len() < 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric())) {
            out.push(format!("existing_bucket region {region:?} is not a region; give one such as \"eu-west-1\""));
        }
    }
    for (set, what) in [
        (p.versioned, "versioned"),
        (p.access_logs.is_some(), "access_logs"),
        (!p.triggers.all().is_empty(), "triggers"),
    ] {
        if set {
            out.push(format!(
                "{what} configures the bucket, and an existing bucket is not the backend's to configure; set it on \
                 the bucket itself, or leave existing_bucket unset to have the backend make the bucket"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bucket_names_follow_s3s_rules() {
        assert!(super::valid_bucket_name("my-company.archive-1"));
        for bad in ["ab", "My-Bucket", "-edge", "edge-", "a..b", "arn:aws:s3:::x", "s3://x"] {
            assert!(!super::valid_bucket_name(bad), "{bad}");
        }
    }
}
