//! What the example templates mean, checked with the assertions API.

use constructs::assertions::{Match, Template};
use constructs::{App, AppProps};
use serde_json::json;

#[test]
fn hello_constructs_wires_the_bucket_into_the_nested_stack() {
    let app = App::with_props(AppProps::default());
    let stack = hello_constructs::build(&app);
    let root = Template::from_stack(&stack);
    root.resource_count_is("AWS::S3::Bucket", 1);
    root.resource_count_is("AWS::CloudFormation::Stack", 1);
    root.has_resource(
        "AWS::S3::Bucket",
        json!({"DeletionPolicy": "Retain", "Properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true}}}),
    );
    root.has_resource_properties(
        "AWS::CloudFormation::Stack",
        Match::object_like([(
            "Parameters",
            Match::object_like([("referencetoHelloStackUploads06F4FE7ARef", json!({"Ref": "Uploads4F6EB0FD"}))]),
        )]),
    );
    root.has_output(
        "TopicArn",
        Match::object_like([("Value", Match::object_like([("Fn::GetAtt", Match::any_value())]))]),
    );

    let nested = constructs::assertions::Template::from_json(
        app.synth_in_memory().unwrap().template("HelloStack/Events").unwrap().clone(),
    );
    nested.resource_count_is("AWS::SNS::Topic", 1);
    nested.has_resource_properties(
        "AWS::SNS::Subscription",
        json!({"Protocol": "sqs", "Endpoint": {"Fn::GetAtt": ["InboxA8E05DC3", "Arn"]}}),
    );
    nested.has_parameter("*", json!({"Type": "String"}));
}

#[test]
#[should_panic(expected = "The closest is 'Uploads4F6EB0FD'")]
fn a_failed_assertion_shows_the_closest_candidate() {
    let app = App::with_props(AppProps::default());
    let stack = hello_constructs::build(&app);
    Template::from_stack(&stack).has_resource_properties("AWS::S3::Bucket", json!({"BucketName": "nope"}));
}

#[test]
fn find_resources_and_not_matchers() {
    let app = App::with_props(AppProps::default());
    let stack = hello_constructs::build(&app);
    let t = Template::from_stack(&stack);
    assert_eq!(t.find_resources("AWS::S3::Bucket", json!({"DeletionPolicy": "Retain"})).len(), 1);
    assert_eq!(t.find_resources("AWS::S3::Bucket", json!({"DeletionPolicy": "Delete"})).len(), 0);
    t.has_resource("AWS::S3::Bucket", Match::object_like([("UpdateReplacePolicy", Match::not("Delete"))]));
    t.has_output("BucketName", Match::object_like([("Value", Match::exact(json!({"Ref": "Uploads4F6EB0FD"})))]));
    t.has_output("InboxUrl", Match::object_like([("Value", Match::object_like([("Fn::GetAtt", Match::absent())]))]));
    t.template_matches(Match::object_like([("Description", Match::string_like_regexp("^constructs example"))]));
}
