//! The L1 part of the bad-input corpus: property values the CloudFormation
//! registry would refuse at deploy time fail synthesis instead, whether they come
//! from typed props, `set_property` or overrides, with the registry schema's
//! code, the construct path, the property path and a fix.

use cfn_types::codes;
use cfn_types::dynamodb::{CfnTable, CfnTableProps};
use cfn_types::logs::{CfnLogGroup, CfnLogGroupProps};
use cfn_types::sqs::{CfnQueue, CfnQueueProps};
use constructs::assertions::expect_synth_failure;
use constructs::{App, AppProps, CfnResource, Diagnostic, Stack};
use serde_json::json;

/// Builds a program in a fresh app's stack `S`, and checks its failure.
fn fails(code: &str, build: impl FnOnce(&Stack)) -> Diagnostic {
    let app = App::with_props(AppProps::default());
    let stack = Stack::new(&app, "S");
    build(&stack);
    expect_synth_failure(code, |dir| {
        app.set_outdir(dir);
        app.synth()
    })
}

/// A raw resource: the schema check is on for the app as soon as one typed L1
/// exists, or when asked.
fn raw(stack: &Stack, ty: &str, props: serde_json::Value) -> CfnResource {
    cfn_types::enable_schema_checks(stack);
    let r = CfnResource::new(stack, "R", ty);
    for (k, v) in props.as_object().unwrap() {
        r.set_property(k, v.clone());
    }
    r
}

macro_rules! bad {
    ($($name:ident: $code:expr, $path:literal, $text:literal, |$s:ident| $body:block)*) => {$(
        #[test]
        fn $name() {
            let d = fails($code, |$s: &Stack| $body);
            assert_eq!(d.path, $path, "{d}");
            assert!(d.message.contains($text), "'{}' not in: {d}", $text);
        }
    )*};
}

bad! {
    typed_delay_over_the_maximum: codes::RANGE, "S/Q", "DelaySeconds", |s| {
        CfnQueue::new(s, "Q", CfnQueueProps { delay_seconds: Some(5000.into()), ..Default::default() });
    }
    typed_message_size_under_the_minimum: codes::RANGE, "S/Q", "MaximumMessageSize", |s| {
        CfnQueue::new(s, "Q", CfnQueueProps { maximum_message_size: Some(100.into()), ..Default::default() });
    }
    typed_retention_not_offered: codes::ENUM, "S/L", "RetentionInDays", |s| {
        CfnLogGroup::new(s, "L", CfnLogGroupProps { retention_in_days: Some(10.into()), ..Default::default() });
    }
    typed_log_group_name_too_long: codes::LENGTH, "S/L", "LogGroupName", |s| {
        CfnLogGroup::new(s, "L", CfnLogGroupProps { log_group_name: Some("a".repeat(513).into()), ..Default::default() });
    }
    typed_required_property_unset: codes::REQUIRED, "S/T", "KeySchema", |s| {
        CfnTable::new(s, "T", CfnTableProps::default());
    }
    override_on_a_typed_l1_with_a_typo: codes::UNKNOWN_PROPERTY, "S/Q", "VisibilityTimeOut", |s| {
        CfnQueue::new(s, "Q", CfnQueueProps::default()).add_property_override("VisibilityTimeOut", 30);
    }
    override_on_a_typed_l1_out_of_range: codes::RANGE, "S/Q", "VisibilityTimeout", |s| {
        CfnQueue::new(s, "Q", CfnQueueProps::default()).add_property_override("VisibilityTimeout", 50_000);
    }
    raw_negative_delay: codes::RANGE, "S/R", "DelaySeconds", |s| {
        raw(s, "AWS::SQS::Queue", json!({"DelaySeconds": -1}));
    }
    raw_delay_as_words: codes::TYPE, "S/R", "DelaySeconds", |s| {
        raw(s, "AWS::SQS::Queue", json!({"DelaySeconds": "soon"}));
    }
    raw_unknown_property: codes::UNKNOWN_PROPERTY, "S/R", "DelaySecond", |s| {
        raw(s, "AWS::SQS::Queue", json!({"DelaySecond": 5}));
    }
    raw_redrive_policy_unknown_key: codes::UNKNOWN_PROPERTY, "S/R", "RedrivePolicy.maxReceives", |s| {
        raw(s, "AWS::SQS::Queue", json!({"RedrivePolicy": {"deadLetterTargetArn": "arn", "maxReceives": 3}}));
    }
    raw_tag_key_too_long: codes::LENGTH, "S/R", "Tags[0].Key", |s| {
        raw(s, "AWS::SQS::Queue", json!({"Tags": [{"Key": "k".repeat(129), "Value": "v"}]}));
    }
    raw_tags_as_an_object: codes::TYPE, "S/R", "Tags", |s| {
        raw(s, "AWS::SQS::Queue", json!({"Tags": {"team": "a"}}));
    }
    raw_tag_without_value_key_typo: codes::UNKNOWN_PROPERTY, "S/R", "Tags[0].value", |s| {
        raw(s, "AWS::SNS::Topic", json!({"Tags": [{"Key": "k", "value": "v"}]}));
    }
    raw_lambda_memory_too_small: codes::RANGE, "S/R", "MemorySize", |s| {
        raw(s, "AWS::Lambda::Function", json!({"Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}, "MemorySize": 64}));
    }
    raw_lambda_two_architectures: codes::ARRAY_SIZE, "S/R", "Architectures", |s| {
        raw(s, "AWS::Lambda::Function", json!({"Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}, "Architectures": ["arm64", "x86_64"]}));
    }
    raw_lambda_unknown_architecture: codes::ENUM, "S/R", "Architectures[0]", |s| {
        raw(s, "AWS::Lambda::Function", json!({"Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}, "Architectures": ["risc-v"]}));
    }
    raw_lambda_description_too_long: codes::LENGTH, "S/R", "Description", |s| {
        raw(s, "AWS::Lambda::Function", json!({"Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}, "Description": "d".repeat(257)}));
    }
    raw_lambda_function_name_with_spaces: codes::PATTERN, "S/R", "FunctionName", |s| {
        raw(s, "AWS::Lambda::Function", json!({"Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}, "FunctionName": "my function"}));
    }
    raw_dynamodb_billing_mode: codes::ENUM, "S/R", "BillingMode", |s| {
        raw(s, "AWS::DynamoDB::Table", json!({"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "ON_DEMAND"}));
    }
    raw_dynamodb_repeated_attribute_definition: codes::UNIQUE_ITEMS, "S/R", "AttributeDefinitions", |s| {
        let def = json!({"AttributeName": "id", "AttributeType": "S"});
        raw(s, "AWS::DynamoDB::Table", json!({"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "AttributeDefinitions": [def.clone(), def]}));
    }
    raw_bucket_name_with_capitals: codes::PATTERN, "S/R", "BucketName", |s| {
        raw(s, "AWS::S3::Bucket", json!({"BucketName": "My_Bucket"}));
    }
    raw_bucket_name_too_long: codes::LENGTH, "S/R", "BucketName", |s| {
        raw(s, "AWS::S3::Bucket", json!({"BucketName": "b".repeat(64)}));
    }
    raw_bucket_access_control: codes::ENUM, "S/R", "AccessControl", |s| {
        raw(s, "AWS::S3::Bucket", json!({"AccessControl": "public"}));
    }
    raw_role_name_too_long: codes::LENGTH, "S/R", "RoleName", |s| {
        raw(s, "AWS::IAM::Role", json!({"AssumeRolePolicyDocument": {}, "RoleName": "r".repeat(65)}));
    }
    raw_role_session_too_short: codes::RANGE, "S/R", "MaxSessionDuration", |s| {
        raw(s, "AWS::IAM::Role", json!({"AssumeRolePolicyDocument": {}, "MaxSessionDuration": 60}));
    }
    raw_role_policies_as_a_string: codes::TYPE, "S/R", "Policies", |s| {
        raw(s, "AWS::IAM::Role", json!({"AssumeRolePolicyDocument": {}, "Policies": "all"}));
    }
    raw_kms_pending_window: codes::RANGE, "S/R", "PendingWindowInDays", |s| {
        raw(s, "AWS::KMS::Key", json!({"PendingWindowInDays": 3}));
    }
    raw_ssm_parameter_type: codes::ENUM, "S/R", "Type", |s| {
        raw(s, "AWS::SSM::Parameter", json!({"Type": "SecureString", "Value": "v"}));
    }
    raw_event_rule_schedule: codes::PATTERN, "S/R", "ScheduleExpression", |s| {
        raw(s, "AWS::Events::Rule", json!({"ScheduleExpression": "every 5 minutes"}));
    }
    raw_event_rule_six_targets: codes::ARRAY_SIZE, "S/R", "Targets", |s| {
        let targets: Vec<_> = (0..6).map(|i| json!({"Id": format!("t{i}"), "Arn": format!("arn:aws:sns:us-east-1:123456789012:t{i}")})).collect();
        raw(s, "AWS::Events::Rule", json!({"ScheduleExpression": "rate(5 minutes)", "Targets": targets}));
    }
    raw_appsync_query_depth: codes::RANGE, "S/R", "QueryDepthLimit", |s| {
        raw(s, "AWS::AppSync::GraphQLApi", json!({"Name": "api", "AuthenticationType": "API_KEY", "QueryDepthLimit": 100}));
    }
    raw_appsync_auth_type: codes::ENUM, "S/R", "AuthenticationType", |s| {
        raw(s, "AWS::AppSync::GraphQLApi", json!({"Name": "api", "AuthenticationType": "COGNITO"}));
    }
    raw_cognito_verification_email_without_code: codes::PATTERN, "S/R", "EmailVerificationMessage", |s| {
        raw(s, "AWS::Cognito::UserPool", json!({"EmailVerificationMessage": "Welcome aboard, click here"}));
    }
    raw_cognito_subject_too_long: codes::LENGTH, "S/R", "EmailVerificationSubject", |s| {
        raw(s, "AWS::Cognito::UserPool", json!({"EmailVerificationSubject": "s".repeat(141)}));
    }
    raw_user_pool_client_flows: codes::ENUM, "S/R", "AllowedOAuthFlows[0]", |s| {
        raw(s, "AWS::Cognito::UserPoolClient", json!({"UserPoolId": "us-east-1_abc", "AllowedOAuthFlows": ["password"]}));
    }
    misspelled_resource_type: codes::UNKNOWN_RESOURCE_TYPE, "S/R", "AWS::SQS::Queu", |s| {
        raw(s, "AWS::SQS::Queu", json!({}));
    }
    resource_type_in_the_wrong_case: codes::UNKNOWN_RESOURCE_TYPE, "S/R", "AWS::Sqs::Queue", |s| {
        raw(s, "AWS::Sqs::Queue", json!({}));
    }
    get_att_of_an_attribute_the_type_lacks: codes::UNKNOWN_ATTRIBUTE, "S/Topic", "Endpoint", |s| {
        let q = CfnQueue::new(s, "Q", CfnQueueProps::default());
        CfnResource::new(s, "Topic", "AWS::SNS::Topic").set_property("DisplayName", q.get_att("Endpoint"));
    }
}

#[test]
fn intrinsics_are_left_to_deployment_and_valid_values_pass() {
    let app = App::with_props(AppProps::default());
    let stack = Stack::new(&app, "S");
    let q = CfnQueue::new(&stack, "Q", CfnQueueProps { delay_seconds: Some(900.into()), ..Default::default() });
    let r = raw(&stack, "AWS::SQS::Queue", json!({"DelaySeconds": "30", "VisibilityTimeout": {"Ref": "AWS::NoValue"}}));
    r.set_property("RedrivePolicy", json!({"deadLetterTargetArn": {"Fn::GetAtt": ["Q", "Arn"]}, "maxReceiveCount": 3}));
    r.set_property("Tags", json!([{"Key": {"Fn::Sub": "${AWS::StackName}"}, "Value": "v"}]));
    let _ = q;
    app.synth_in_memory().expect("valid values and intrinsics pass");
}

#[test]
fn the_fix_names_the_nearest_property() {
    let d = fails(codes::UNKNOWN_PROPERTY, |s| {
        raw(s, "AWS::SQS::Queue", json!({"delayseconds": 5}));
    });
    assert_eq!(d.fix, "did you mean 'DelaySeconds'?");
}

#[test]
fn a_lambda_environment_over_4_kb_fails() {
    let d = fails(codes::LAMBDA_ENVIRONMENT_SIZE, |s| {
        let vars: serde_json::Map<String, serde_json::Value> =
            (0..50).map(|i| (format!("VAR_{i}"), json!("v".repeat(80)))).collect();
        raw(
            s,
            "AWS::Lambda::Function",
            json!({"Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}, "Environment": {"Variables": vars}}),
        );
    });
    assert_eq!(d.path, "S/R");
}

#[test]
fn inline_policies_of_one_role_over_10_240_characters_fail() {
    let d = fails(codes::IAM_POLICY_SIZE, |s| {
        let role = raw(s, "AWS::IAM::Role", json!({"AssumeRolePolicyDocument": {}}));
        for i in 0..3 {
            let statements: Vec<_> = (0..40)
                .map(|j| json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::bucket/path-{i}-{j}/*")}))
                .collect();
            let p = CfnResource::new(s, &format!("P{i}"), "AWS::IAM::Policy");
            p.set_property("PolicyName", format!("p{i}"));
            p.set_property("PolicyDocument", json!({"Version": "2012-10-17", "Statement": statements}));
            p.set_property("Roles", vec![role.ref_()]);
        }
    });
    assert!(d.message.contains("role"), "{d}");
}

#[test]
fn a_managed_policy_over_6_144_characters_fails() {
    fails(codes::IAM_POLICY_SIZE, |s| {
        let statements: Vec<_> = (0..80)
            .map(|j| json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::bucket/path-{j}/*")}))
            .collect();
        raw(
            s,
            "AWS::IAM::ManagedPolicy",
            json!({"PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}),
        );
    });
}
