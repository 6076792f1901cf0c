//! The bucket with secure defaults, and its bucket policy.

use cfn_types::s3::bucket::{
    AllowedMethods, BucketEncryptionProperty, CfnBucket, CfnBucketProps, CorsConfigurationProperty, CorsRuleProperty,
    LoggingConfigurationProperty, ObjectOwnership, OwnershipControlsProperty, OwnershipControlsRuleProperty,
    PublicAccessBlockConfigurationProperty, ServerSideEncryptionByDefaultProperty, ServerSideEncryptionRuleProperty,
    SseAlgorithm, VersioningConfigurationProperty, VersioningConfigurationStatus,
};
use cfn_types::s3::bucket_policy::{CfnBucketPolicy, CfnBucketPolicyProps};
use constructs::{cfn, Construct, Value};

use super::props::StorageProps;

/// Adds `Bucket/Resource` and `Bucket/Policy/Resource` under `scope` (the paths of
/// the CDK's `Bucket` L2 that Amplify uses, so the logical IDs are Amplify's, and a
/// backend moved from Amplify keeps its bucket).
///
/// The bucket is private and encrypted whatever the rules say: public access is
/// blocked, ACLs are off (the bucket owner owns every object), objects are
/// encrypted with S3-managed keys, and the bucket policy refuses plain HTTP. CORS
/// lets browsers upload and download directly, as Amplify's client libraries do.
/// Versioning and access logs are the user's choice (`props`).
pub(crate) fn secure_bucket(scope: &Construct, props: &StorageProps) -> (CfnBucket, CfnBucketPolicy) {
    let holder = Construct::new(scope, "Bucket");
    let bucket = CfnBucket::new(
        &holder,
        "Resource",
        CfnBucketProps {
            cors_configuration: Some(CorsConfigurationProperty { cors_rules: vec![amplify_cors_rule()].into() }.into()),
            public_access_block_configuration: Some(
                PublicAccessBlockConfigurationProperty {
                    block_public_acls: Some(true.into()),
                    block_public_policy: Some(true.into()),
                    ignore_public_acls: Some(true.into()),
                    restrict_public_buckets: Some(true.into()),
                }
                .into(),
            ),
            bucket_encryption: Some(
                BucketEncryptionProperty {
                    server_side_encryption_configuration: vec![ServerSideEncryptionRuleProperty {
                        server_side_encryption_by_default: Some(
                            ServerSideEncryptionByDefaultProperty {
                                sse_algorithm: SseAlgorithm::Aes256.into(),
                                ..Default::default()
                            }
                            .into(),
                        ),
                        ..Default::default()
                    }]
                    .into(),
                }
                .into(),
            ),
            ownership_controls: Some(
                OwnershipControlsProperty {
                    rules: vec![OwnershipControlsRuleProperty {
                        object_ownership: Some(ObjectOwnership::BucketOwnerEnforced.into()),
                    }]
                    .into(),
                }
                .into(),
            ),
            logging_configuration: props.access_logs.as_ref().map(|logs| {
                let prefix = if logs.prefix.is_empty() { format!("{}/", props.name) } else { logs.prefix.clone() };
                LoggingConfigurationProperty {
                    destination_bucket_name: Some(logs.bucket.clone().into()),
                    log_file_prefix: Some(prefix.into()),
                    ..Default::default()
                }
                .into()
            }),
            versioning_configuration: props.versioned.then(|| {
                VersioningConfigurationProperty { status: VersioningConfigurationStatus::Enabled.into() }.into()
            }),
            ..Default::default()
        },
    );
    let arn = bucket.attr_arn();
    let policy = CfnBucketPolicy::new(
        &Construct::new(&holder, "Policy"),
        "Resource",
        CfnBucketPolicyProps {
            bucket: bucket.ref_().into(),
            policy_document: cfn!({"Statement": [(deny_insecure_transport(&arn))], "Version": "2012-10-17"}),
        },
    );
    (bucket, policy)
}

/// Amplify's CORS rule: any origin may call the object APIs the client libraries
/// use, and read the headers they need (ETag for multipart uploads).
fn amplify_cors_rule() -> CorsRuleProperty {
    CorsRuleProperty {
        allowed_headers: Some(["*"].into()),
        allowed_methods: vec![
            AllowedMethods::Get,
            AllowedMethods::Head,
            AllowedMethods::Put,
            AllowedMethods::Post,
            AllowedMethods::Delete,
        ]
        .into(),
        allowed_origins: ["*"].into(),
        exposed_headers: Some(["x-amz-server-side-encryption", "x-amz-request-id", "x-amz-id-2", "ETag"].into()),
        max_age: Some(3000.into()),
        ..Default::default()
    }
}

/// The CDK's `enforceSSL` statement, as in Amplify's template.
fn deny_insecure_transport(arn: &Value) -> Value {
    cfn!({
        "Action": "s3:*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Resource": [(arn.clone()), (Value::concat([arn.clone(), "/*".into()]))]
    })
}
