//! Emptying a sandbox's buckets when the sandbox is deleted.
//!
//! CloudFormation cannot delete a bucket that holds objects, so `ampx sandbox
//! delete` would fail on the first upload. Amplify (through the CDK's
//! `autoDeleteObjects`) solves it with a Lambda-backed custom resource, and so do
//! we, with two differences that keep it light and safe:
//!
//! - the handler is a few lines of Python inlined in the template (`ZipFile`), so
//!   there is no asset to build or upload; one handler serves every bucket of the
//!   storage stack, each bucket adding its own policy to the handler's role;
//! - it only exists in sandboxes (branches retain their buckets), and it empties a
//!   bucket only if that bucket's `DeletionPolicy` is still `Delete` when the
//!   template is synthesized: a user who retains a sandbox bucket keeps its files.
//!
//! The custom resource references the bucket, so CloudFormation deletes it (and
//! empties the bucket) before the bucket; it waits for its policy, so the policy
//! outlives it.

use cfn_types::iam::policy::{CfnPolicy, CfnPolicyProps};
use cfn_types::iam::role::CfnRole;
use cfn_types::lambda::function::{CfnFunction, CfnFunctionProps, CodeProperty, Runtime};
use cfn_types::s3::bucket::CfnBucket;
use constructs::{CfnResource, Construct, IConstruct, Stack, Value};

use crate::iam::{self, PolicyStatement};

/// The custom resource type, as the CDK names it.
pub const RESOURCE_TYPE: &str = "Custom::S3AutoDeleteObjects";

/// The handler shared by the buckets of a stack.
#[derive(Clone, Debug)]
pub struct AutoDeleteProvider {
    /// The handler's role (CloudWatch Logs only; buckets add their own policies).
    pub role: CfnRole,
    /// The handler.
    pub handler: CfnFunction,
}

/// What one bucket adds: the handler's rights on it, and the custom resource.
#[derive(Clone, Debug)]
pub struct AutoDeleteObjects {
    /// Lets the handler list and delete the bucket's objects.
    pub policy: CfnPolicy,
    /// The `Custom::S3AutoDeleteObjects` resource.
    pub resource: CfnResource,
}

const HANDLER: &str = r#"import boto3
import cfnresponse
from botocore.exceptions import ClientError

s3 = boto3.client("s3")


def handler(event, context):
    props = event.get("ResourceProperties", {})
    physical_id = event.get("PhysicalResourceId") or props.get("BucketName") or "auto-delete-objects"
    try:
        if event["RequestType"] == "Delete" and props.get("AutoDelete") == "true":
            empty(props["BucketName"])
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physical_id)
    except Exception as e:
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physical_id, reason=str(e)[:500])


def empty(bucket):
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            found = page.get("Versions", []) + page.get("DeleteMarkers", [])
            keys = [{"Key": o["Key"], "VersionId": o["VersionId"]} for o in found]
            if keys:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
    except ClientError as e:
        if e.response.get("Error", {}).get("Code") != "NoSuchBucket":
            raise
"#;

/// Adds the shared handler to `stack`.
pub(crate) fn provider(stack: &Stack) -> AutoDeleteProvider {
    let scope = Construct::new(stack, "AutoDeleteObjectsProvider");
    let role = iam::service_role(
        &scope,
        "Role",
        iam::Service::Lambda,
        vec![iam::managed_policy_arn("service-role/AWSLambdaBasicExecutionRole")],
    );
    let handler = CfnFunction::new(
        &scope,
        "Handler",
        CfnFunctionProps {
            code: CodeProperty { zip_file: Some(HANDLER.into()), ..Default::default() }.into(),
            handler: Some("index.handler".into()),
            runtime: Some(Runtime::Python3_13.into()),
            role: role.attr_arn().into(),
            timeout: Some(900.into()),
            memory_size: Some(128.into()),
            description: Some("Empties the buckets of an Amplify sandbox when the sandbox is deleted".into()),
            ..Default::default()
        },
    );
    AutoDeleteProvider { role, handler }
}

/// Makes `provider` empty `bucket` when the stack is deleted.
pub(crate) fn add(scope: &Construct, provider: &AutoDeleteProvider, bucket: &CfnBucket) -> AutoDeleteObjects {
    let holder = Construct::new(scope, "AutoDeleteObjects");
    let arn = bucket.attr_arn();
    let policy = CfnPolicy::new(
        &holder,
        "Policy",
        CfnPolicyProps {
            policy_document: iam::policy_document(&[
                PolicyStatement::allow(["s3:ListBucket", "s3:ListBucketVersions"], [arn.clone()]),
                PolicyStatement::allow(
                    ["s3:DeleteObject", "s3:DeleteObjectVersion"],
                    [Value::concat([arn, "/*".into()])],
                ),
            ]),
            policy_name: policy_name(&holder).into(),
            roles: Some(vec![provider.role.ref_()].into()),
            ..Default::default()
        },
    );
    let resource = CfnResource::new(&holder, "Resource", RESOURCE_TYPE);
    resource.set_property("ServiceToken", provider.handler.attr_arn());
    resource.set_property("BucketName", bucket.ref_());
    // Decided when the template is written, after the backend's removal policies
    // and any override of the user: only a bucket that will be deleted is emptied.
    let watched = bucket.resource().clone();
    resource.set_property(
        "AutoDelete",
        Value::lazy(move || {
            Value::from(if watched.deletion_policy().as_deref() == Some("Delete") { "true" } else { "false" })
        }),
    );
    resource.add_depends_on(&policy);
    AutoDeleteObjects { policy, resource }
}

/// A policy name unique in the account: the construct path, hashed.
fn policy_name(scope: &Construct) -> String {
    let path = scope.node().path().to_string();
    let id = constructs::names::make_unique_id(&["AutoDeleteObjects", &path]).unwrap_or_default();
    let hash = &id[id.len().saturating_sub(8)..];
    format!("AutoDeleteObjects{hash}")
}
