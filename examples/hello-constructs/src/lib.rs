//! A small app on raw CloudFormation: a bucket in the root stack, a nested stack
//! whose topic is named after the bucket, and outputs that read across stacks.

use constructs::{fns, App, Aws, CfnOutput, CfnOutputProps, CfnResource, Construct, NestedStack, RemovalPolicy, Stack};
use serde_json::json;

/// Builds the app (the caller chooses how it is configured).
pub fn build(app: &App) -> Stack {
    let stack = Stack::new(app, "HelloStack");
    stack.set_description("constructs example: cross-stack references between a stack and a nested stack");

    let bucket = CfnResource::new(&Construct::new(&stack, "Uploads"), "Resource", "AWS::S3::Bucket");
    bucket.set_property(
        "PublicAccessBlockConfiguration",
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}),
    );
    bucket.set_property(
        "BucketEncryption",
        json!({"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}),
    );
    // The bucket outlives the stack, so keep overwritten and deleted uploads too.
    bucket.set_property("VersioningConfiguration", json!({"Status": "Enabled"}));
    bucket.apply_removal_policy(RemovalPolicy::Retain);

    let events = NestedStack::new(&stack, "Events");
    let topic = CfnResource::new(&Construct::new(&events, "Uploaded"), "Resource", "AWS::SNS::Topic");
    topic.set_property("DisplayName", fns::join("-", [bucket.ref_(), "uploads".into()]));
    topic.set_property("KmsMasterKeyId", "alias/aws/sns");

    let queue = CfnResource::new(&Construct::new(&events, "Inbox"), "Resource", "AWS::SQS::Queue");
    queue.set_property("SqsManagedSseEnabled", true);
    let subscription = CfnResource::new(&events, "InboxSubscription", "AWS::SNS::Subscription");
    subscription.set_property("Protocol", "sqs");
    subscription.set_property("TopicArn", topic.ref_());
    subscription.set_property("Endpoint", queue.get_att("Arn"));
    // Without a queue policy SNS has no right to deliver: allow this topic only.
    let delivery = CfnResource::new(&events, "InboxPolicy", "AWS::SQS::QueuePolicy");
    delivery.set_property("Queues", vec![queue.ref_()]);
    delivery.set_property(
        "PolicyDocument",
        constructs::cfn!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": (queue.get_att("Arn")),
                "Condition": {"ArnEquals": {"aws:SourceArn": (topic.ref_())}}
            }]
        }),
    );

    CfnOutput::new(&stack, "BucketName", CfnOutputProps { value: bucket.ref_(), ..Default::default() });
    CfnOutput::new(
        &stack,
        "TopicArn",
        CfnOutputProps {
            value: topic.ref_(),
            description: Some("where uploads are announced".into()),
            ..Default::default()
        },
    );
    CfnOutput::new(
        &stack,
        "InboxUrl",
        CfnOutputProps {
            value: fns::join(
                "",
                ["https://sqs.".into(), Aws::region(), ".amazonaws.com/".into(), queue.get_att("QueueName")],
            ),
            ..Default::default()
        },
    );
    stack
}
