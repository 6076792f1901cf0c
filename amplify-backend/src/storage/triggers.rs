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

use cfn_types::lambda::permission::{CfnPermission, CfnPermissionProps};
use cfn_types::s3::bucket::{CfnBucket, LambdaConfigurationProperty, NotificationConfigurationProperty};
use cfn_types::Val;
use constructs::{Aws, Construct, Value};
use indexmap::IndexMap;

use crate::function::FunctionDefinition;

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

/// A trigger ready to wire: the S3 event and the function's ARN.
pub(crate) struct Wiring {
    pub(crate) event: &'static str,
    pub(crate) function_name: String,
    pub(crate) function_arn: Value,
}

/// Points the bucket's notifications at the functions, with one invoke permission
/// per function (a function on both events needs only one); returns the
/// permissions by function name.
pub(crate) fn wire(scope: &Construct, bucket: &CfnBucket, wiring: &[Wiring]) -> IndexMap<String, CfnPermission> {
    let mut permissions: IndexMap<String, CfnPermission> = IndexMap::new();
    let mut configurations: Vec<Val<LambdaConfigurationProperty>> = Vec::new();
    for w in wiring {
        if !permissions.contains_key(&w.function_name) {
            let id = format!("{}InvokePermission", constructs::names::remove_non_alphanumeric(&w.function_name));
            let permission = CfnPermission::new(
                scope,
                &id,
                CfnPermissionProps {
                    action: "lambda:InvokeFunction".into(),
                    function_name: w.function_arn.clone().into(),
                    principal: "s3.amazonaws.com".into(),
                    source_account: Some(Aws::account_id().into()),
                    ..Default::default()
                },
            );
            bucket.add_depends_on(&permission);
            permissions.insert(w.function_name.clone(), permission);
        }
        configurations.push(
            LambdaConfigurationProperty {
                event: w.event.into(),
                function: w.function_arn.clone().into(),
                ..Default::default()
            }
            .into(),
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
