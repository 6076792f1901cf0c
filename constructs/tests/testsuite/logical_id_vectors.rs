//! Every vector in reference/cdk/logical-id-vectors.json, computed by the
//! real CDK, must come out the same here.

use constructs::names::{make_unique_id, node_addr};
use constructs::{App, AppProps, CfnResource, IConstruct, NestedStack, Stack};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/cdk/logical-id-vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the reference vectors")).unwrap()
}

#[test]
fn make_unique_id_matches_every_vector() {
    let v = vectors();
    let cases = v["makeUniqueId"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let path: Vec<&str> = case["path"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        let expected = case["logicalId"].as_str().unwrap();
        match make_unique_id(&path) {
            Ok(id) => assert_eq!(id, expected, "path {path:?}"),
            Err(e) => assert!(
                expected.starts_with("ERROR") && expected.contains(&e.to_string().replace("unable", "Unable")),
                "path {path:?}: {e}"
            ),
        }
    }
}

#[test]
fn node_addresses_match_every_vector() {
    for case in vectors()["nodeAddr"].as_array().unwrap() {
        let ids: Vec<&str> = case["scopesIds"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert_eq!(node_addr(&ids), case["addr"].as_str().unwrap(), "{ids:?}");
    }
    // And through the tree.
    let app = App::with_props(AppProps::default());
    let stack = Stack::new(&app, "MyStack");
    let bucket = constructs::Construct::new(&stack, "Bucket");
    let res = CfnResource::new(&bucket, "Resource", "AWS::S3::Bucket");
    assert_eq!(app.node().addr(), "c8adc83b19e793491b1c6ea0fd8b46cd9f32e592fc");
    assert_eq!(stack.node().addr(), "c8a07db2275e7f9159feb020f62cf2c0068f4b1631");
    assert_eq!(bucket.node().addr(), "c817bcfabbf0b94c379999beb6ff4cbe7ccdcb333f");
    assert_eq!(res.node().addr(), "c8601d4a25c77ef5923830308b3f217c27e62d9e1a");
}

#[test]
fn derived_names_match_the_cdk() {
    let v = vectors();
    let d = &v["derivedNames"];
    let app = App::with_props(AppProps::default());
    let stack = Stack::new(&app, "MinStack");
    let bucket = CfnResource::new(&constructs::Construct::new(&stack, "Bucket"), "Resource", "AWS::S3::Bucket");
    let child = NestedStack::new(&stack, "Child");
    let topic = CfnResource::new(&constructs::Construct::new(&child, "Topic"), "Resource", "AWS::SNS::Topic");
    topic.set_property("DisplayName", bucket.ref_());
    let parent_side = CfnResource::new(&stack, "UsesTopic", "AWS::SQS::Queue");
    parent_side.set_property("QueueName", topic.ref_());

    let out = app.synth_in_memory().unwrap();
    let nested = out.stack("MinStack/Child").unwrap();
    assert_eq!(nested.template_file, d["nestedTemplateFile"].as_str().unwrap());
    let params = nested.template["Parameters"].as_object().unwrap();
    assert!(params.contains_key(d["nestedParamForRefOfMinStackBucket"].as_str().unwrap()), "{params:?}");
    let outputs = nested.template["Outputs"].as_object().unwrap();
    assert!(outputs.contains_key(d["nestedOutputForTopicRef"].as_str().unwrap()), "{outputs:?}");
    let root = out.template("MinStack").unwrap();
    let resource_id = d["nestedStackResourceLogicalId"].as_str().unwrap();
    assert_eq!(root["Resources"][resource_id]["Type"], "AWS::CloudFormation::Stack");

    // Exports between top-level stacks.
    let app = App::with_props(AppProps::default());
    let producer = Stack::new(&app, "Producer");
    let bucket = CfnResource::new(&constructs::Construct::new(&producer, "Bucket"), "Resource", "AWS::S3::Bucket");
    let consumer = Stack::new(&app, "Consumer");
    let q = CfnResource::new(&consumer, "Q", "AWS::SQS::Queue");
    q.set_property("A", bucket.ref_());
    q.set_property("B", bucket.get_att("Arn"));
    let out = app.synth_in_memory().unwrap();
    let outputs = out.template("Producer").unwrap()["Outputs"].as_object().unwrap().clone();
    assert!(outputs.contains_key(d["exportOutputIdForRef"].as_str().unwrap()));
    assert!(outputs.contains_key(d["exportOutputIdForGetAtt"].as_str().unwrap()));
}
