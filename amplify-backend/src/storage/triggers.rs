//! Functions run on uploads and deletes: S3 event notifications to Lambda.
//!
//! S3 checks that it may invoke a notification's function when the bucket's
//! notification configuration is set, which CloudFormation does while it creates
//! the bucket. So the `lambda:InvokeFunction` permission must exist first: the
//! bucket `DependsOn` it. The permission therefore cannot name the bucket (that
//! would be a cycle: bucket -> permission -> bucket); it is scoped to this account
//! with `SourceAccount` instead. (The CDK avoids the cycle with a custom resource
//! that sets the notifications after both exist: a Lambda function more per stack,
//! for a scope narrower by the other buckets of the same account.)

use cfn_types::lambda::permission::CfnPermission;
use cfn_types::s3::bucket::{CfnBucket, LambdaConfigurationProperty, NotificationConfigurationProperty};
use cfn_types::Val;
use constructs::{Construct, IConstruct};
use indexmap::IndexMap;

use crate::function::trigger::Trigger;
use crate::function::FunctionDefinition;
use crate::iam;

/// The functions a bucket calls on its events.
#[derive(Clone, Debug, Default)]
pub struct StorageTriggers {
    /// Runs when an object is created (uploaded, copied, or a multipart upload
    /// completes): `s3:ObjectCreated:*`.
    pub on_upload: Option<FunctionDefinition>,
    /// Runs when an object is deleted: `s3:ObjectRemoved:*`.
    pub on_delete: Option<FunctionDefinition>,
}

impl StorageTriggers {
    /// `(S3 event, function)` for each trigger that is set.
    pub(crate) fn all(&self) -> Vec<(&'static str, &FunctionDefinition)> {
        [("s3:ObjectCreated:*", &self.on_upload), ("s3:ObjectRemoved:*", &self.on_delete)]
            .into_iter()
            .filter_map(|(event, f)| f.as_ref().map(|f| (event, f)))
            .collect()
    }
}

/// Points the bucket's notifications at the functions, with one invoke permission
/// per function (a function on both events needs only one); returns the
/// permissions by function name.
pub(crate) fn wire(scope: &Construct, bucket: &CfnBucket, triggers: &[Trigger]) -> IndexMap<String, CfnPermission> {
    let mut permissions: IndexMap<String, CfnPermission> = IndexMap::new();
    let mut configurations: Vec<Val<LambdaConfigurationProperty>> = Vec::new();
    for t in triggers {
        let name = t.function.name();
        let arn = t.function.resources().lambda.get_att("Arn");
        if !permissions.contains_key(name) {
            let id = format!("{}InvokePermission", constructs::names::remove_non_alphanumeric(name));
            let permission = iam::allow_invoke(scope, &id, arn.clone(), iam::Service::S3, iam::InvokeSource::Account);
            bucket.add_depends_on(&permission);
            permissions.insert(name.to_string(), permission);
        }
        configurations.push(
            LambdaConfigurationProperty { event: t.event.into(), function: arn.into(), ..Default::default() }.into(),
        );
    }
    if !configurations.is_empty() {
        bucket.props_mut().notification_configuration = Some(
            NotificationConfigurationProperty {
                lambda_configurations: Some(configurations.into()),
                ..Default::default()
            }
            .into(),
        );
    }
    permissions
}

/// An S3 event a function added with [`Bucket::add_trigger`](super::Bucket::add_trigger) runs on
/// (Amplify's `EventType`s, as `triggers` names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageEvent {
    /// An object was created: `s3:ObjectCreated:*` (`onUpload`).
    Upload,
    /// An object was deleted: `s3:ObjectRemoved:*` (`onDelete`).
    Delete,
}

impl StorageEvent {
    fn s3_event(self) -> &'static str {
        match self {
            StorageEvent::Upload => "s3:ObjectCreated:*",
            StorageEvent::Delete => "s3:ObjectRemoved:*",
        }
    }
}

/// Adds notifications of `events` for `function` to the bucket's existing ones,
/// with the permission S3 needs (made under the bucket's scope, or reused).
pub(crate) fn add(
    bucket: &CfnBucket,
    existing: Option<&CfnPermission>,
    events: &[StorageEvent],
    function: &crate::function::Function,
) -> CfnPermission {
    let arn = function.resources().lambda.get_att("Arn");
    let permission = existing.cloned().unwrap_or_else(|| {
        let scope = bucket.node().scope().and_then(|holder| holder.scope()).expect("a bucket has a scope");
        let id = format!("{}InvokePermission", constructs::names::remove_non_alphanumeric(function.name()));
        iam::allow_invoke(&scope, &id, arn.clone(), iam::Service::S3, iam::InvokeSource::Account)
    });
    bucket.add_depends_on(&permission);
    let mut props = bucket.props_mut();
    let config =
        props.notification_configuration.get_or_insert_with(|| NotificationConfigurationProperty::default().into());
    if let Some(config) = config.literal_mut() {
        let list =
            config.lambda_configurations.get_or_insert_with(|| Vec::<Val<LambdaConfigurationProperty>>::new().into());
        if let Some(list) = list.literal_mut() {
            for e in events {
                list.push(
                    LambdaConfigurationProperty {
                        event: e.s3_event().into(),
                        function: arn.clone().into(),
                        ..Default::default()
                    }
                    .into(),
                );
            }
        }
    }
    permission
}
