//! The same apps as reference/cdk/app-*.js, built here, must give the
//! templates the real CDK gave (less the CDK's analytics resource and condition).

use std::path::PathBuf;

use constructs::{fns, App, AppProps, Aws, CfnOutput, CfnOutputProps, CfnResource, NestedStack, RemovalPolicy, Stack};
use serde_json::{json, Value as Json};

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../reference/cdk")
}

/// Loads a reference template without what the CDK adds for its own analytics.
fn reference(dir: &str, file: &str) -> Json {
    let text = std::fs::read_to_string(reference_dir().join(dir).join(file)).expect("reference template");
    let mut t: Json = serde_json::from_str(&text).unwrap();
    let o = t.as_object_mut().unwrap();
    o["Resources"].as_object_mut().unwrap().remove("CDKMetadata");
    o.remove("Conditions");
    t
}

fn without_bootstrap_text(mut t: Json) -> Json {
    // The description texts of the bootstrap check are our own words.
    if let Some(p) = t.pointer_mut("/Parameters/BootstrapVersion/Description") {
        *p = json!("-");
    }
    if let Some(p) = t.pointer_mut("/Rules/CheckBootstrapVersion/Assertions/0/AssertDescription") {
        *p = json!("-");
    }
    t
}

fn sorted(v: &Json) -> Json {
    // Compare as unordered maps: section order is a presentation choice.
    serde_json::from_str::<std::collections::BTreeMap<String, Json>>(&v.to_string()).map(|m| json!(m)).unwrap()
}

fn bucket(scope: &Stack) -> CfnResource {
    let group = constructs::Construct::new(scope, "Bucket");
    let b = CfnResource::new(&group, "Resource", "AWS::S3::Bucket");
    b.apply_removal_policy(RemovalPolicy::Retain);
    b
}

fn topic(scope: &impl constructs::IConstruct, display_name: constructs::Value) -> CfnResource {
    let group = constructs::Construct::new(scope, "Topic");
    let t = CfnResource::new(&group, "Resource", "AWS::SNS::Topic");
    t.set_property("DisplayName", display_name);
    t
}

#[test]
fn min_stack_with_a_nested_stack_matches_the_cdk() {
    let app = App::with_props(AppProps::default());
    let stack = Stack::new(&app, "MinStack");
    let bucket = bucket(&stack);
    let child = NestedStack::new(&stack, "Child");
    let topic = topic(&child, bucket.ref_());
    CfnOutput::new(&stack, "BucketName", CfnOutputProps { value: bucket.ref_(), ..Default::default() });
    CfnOutput::new(&stack, "ChildTopicArn", CfnOutputProps { value: topic.ref_(), ..Default::default() });

    let out = app.synth_in_memory().unwrap();
    let root = out.template("MinStack").unwrap();
    let nested = out.stack("MinStack/Child").unwrap();
    assert_eq!(nested.template_file, "MinStackChild3DF695FD.nested.template.json");

    let mut expected_root = without_bootstrap_text(reference("cdk.out-min", "MinStack.template.json"));
    // The nested template's hash is of our file, not the CDK's.
    let url = expected_root
        .pointer_mut("/Resources/ChildNestedStackChildNestedStackResourceC40294CA/Properties/TemplateURL/Fn::Join/1/6")
        .unwrap();
    *url = json!(format!("/{}.json", nested.template_hash));
    assert_eq!(sorted(&without_bootstrap_text(root.clone())), sorted(&expected_root));
    assert_eq!(
        sorted(&nested.template),
        sorted(&reference("cdk.out-min", "MinStackChild3DF695FD.nested.template.json"))
    );
}

#[test]
fn cross_stack_references_export_and_import_like_the_cdk() {
    let app = App::with_props(AppProps { path_metadata: false, ..Default::default() });
    let prod = Stack::new(&app, "Producer");
    let bucket = bucket(&prod);
    CfnOutput::new(
        &prod,
        "ExplicitExport",
        CfnOutputProps {
            value: bucket.get_att("Arn"),
            export_name: Some("my-bucket-arn".into()),
            ..Default::default()
        },
    );
    let cons = Stack::new(&app, "Consumer");
    topic(&cons, bucket.ref_());
    CfnOutput::new(
        &cons,
        "Imported",
        CfnOutputProps { value: fns::import_value("my-bucket-arn"), ..Default::default() },
    );
    CfnOutput::new(&cons, "Sub", CfnOutputProps { value: fns::sub("${AWS::StackName}-x"), ..Default::default() });
    CfnOutput::new(
        &cons,
        "Joined",
        CfnOutputProps {
            value: fns::join("-", ["a".into(), Aws::region(), bucket.get_att("Arn")]),
            ..Default::default()
        },
    );

    let out = app.synth_in_memory().unwrap();
    for name in ["Producer", "Consumer"] {
        let ours = without_bootstrap_text(out.template(name).unwrap().clone());
        let theirs = without_bootstrap_text(reference("cdk.out-xstack", &format!("{name}.template.json")));
        assert_eq!(sorted(&ours), sorted(&theirs), "{name}");
    }
    let deps = &out.manifest["artifacts"]["Consumer"]["dependencies"];
    assert_eq!(deps, &json!(["Producer", "Consumer.assets"]));
}
