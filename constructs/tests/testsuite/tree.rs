//! The construct tree: ids, paths, errors collected with their paths, metadata,
//! context, aspects, tags and dependencies.

use std::rc::Rc;

use constructs::{
    codes, App, AppProps, Aspects, CfnResource, Construct, IConstruct, NestedStack, Node, RemovalPolicy, Stack,
    TagFormat, TagProps, Tags,
};
use serde_json::json;

fn app() -> App {
    App::with_props(AppProps::default())
}

#[test]
fn paths_children_and_lookup() {
    let app = app();
    let stack = Stack::new(&app, "S");
    let group = Construct::new(&stack, "Group");
    let r = CfnResource::new(&group, "Thing", "AWS::SQS::Queue");
    assert_eq!(r.node().path(), "S/Group/Thing");
    assert_eq!(r.node().id(), "Thing");
    assert!(r.node().scope().unwrap().ptr_eq(group.node()));
    assert!(app.node().try_find("S/Group/Thing").unwrap().ptr_eq(r.node()));
    assert_eq!(stack.node().children().len(), 1);
    assert!(r.node().root().ptr_eq(app.node()));
    let all: Vec<String> = app.node().find_all().iter().map(|n| n.path().to_string()).collect();
    assert_eq!(all, vec!["", "S", "S/Group", "S/Group/Thing"]);
}

#[test]
fn bad_ids_are_all_reported_with_their_paths() {
    let app = app();
    let stack = Stack::new(&app, "S");
    CfnResource::new(&stack, "", "AWS::SQS::Queue");
    CfnResource::new(&stack, "a/b", "AWS::SQS::Queue");
    CfnResource::new(&stack, "Dup", "AWS::SQS::Queue");
    CfnResource::new(&stack, "Dup", "AWS::SNS::Topic");
    let err = app.synth_in_memory().unwrap_err();
    assert_eq!(err.codes(), [codes::EMPTY_ID, codes::SLASH_IN_ID, codes::DUPLICATE_ID], "{err}");
    let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["S", "S", "S/Dup"], "the duplicate is reported where it would be");
    assert!(err.problems.iter().all(|p| !p.fix.is_empty()), "{err}");
    assert!(err.to_string().starts_with("synthesis failed with 3 errors"));
}

#[test]
fn validations_and_structure_errors_are_collected() {
    let app = app();
    let stack = Stack::new(&app, "S");
    let r = CfnResource::new(&stack, "Q", "AWS::SQS::Queue");
    r.node().add_validation(|| vec!["queue needs a name".to_string()]);
    let inner = Stack::new(&stack, "Inner");
    let orphan = CfnResource::new(&app, "Orphan", "AWS::SQS::Queue");
    let _ = (inner, orphan);
    let err = app.synth_in_memory().unwrap_err();
    let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"S/Q"), "{err}");
    assert!(paths.contains(&"S/Inner"), "{err}");
    assert!(paths.contains(&"Orphan"), "{err}");
    assert!(err.mentions("use NestedStack"));
}

#[test]
fn metadata_and_context() {
    let app = App::with_props(AppProps {
        context: [("amplify-backend-name".to_string(), json!("dev"))].into_iter().collect(),
        ..Default::default()
    });
    let stack = Stack::new(&app, "S");
    stack.node().set_context("local", json!(1));
    let c = Construct::new(&stack, "C");
    assert_eq!(c.node().try_get_context("amplify-backend-name"), Some(json!("dev")));
    assert_eq!(c.node().try_get_context("local"), Some(json!(1)));
    assert_eq!(app.node().try_get_context("local"), None);
    c.node().add_metadata("note", json!("hello"));
    assert_eq!(c.node().metadata()[0].data, json!("hello"));
}

#[test]
fn aspects_visit_everything_below_their_scope_including_what_aspects_add() {
    let app = app();
    let stack = Stack::new(&app, "S");
    let a = CfnResource::new(&stack, "A", "AWS::SQS::Queue");
    let other = Stack::new(&app, "Other");
    let b = CfnResource::new(&other, "B", "AWS::SQS::Queue");
    // An aspect that adds a resource once; the retain aspect must still see it.
    Aspects::of(&stack).add(Rc::new(|n: &Node| {
        if n.path() == "S" && n.try_find_child("Added").is_none() {
            CfnResource::new(n, "Added", "AWS::SNS::Topic");
        }
    }));
    Aspects::of(&stack).add(Rc::new(|n: &Node| {
        if let Some(r) = CfnResource::of(n) {
            r.apply_removal_policy(RemovalPolicy::Retain);
        }
    }));
    let out = app.synth_in_memory().unwrap();
    let s = out.template("S").unwrap();
    assert_eq!(s["Resources"][a.logical_id()]["DeletionPolicy"], "Retain");
    assert_eq!(s["Resources"]["Added"]["DeletionPolicy"], "Retain");
    assert!(out.template("Other").unwrap()["Resources"][b.logical_id()].get("DeletionPolicy").is_none());
}

#[test]
fn tags_apply_in_each_format_with_priorities_and_filters() {
    let app = app();
    let stack = Stack::new(&app, "S");
    let bucket = CfnResource::new(&stack, "Bucket", "AWS::S3::Bucket");
    bucket.enable_tags(TagFormat::Standard, "Tags");
    bucket.set_property("Tags", json!([{"Key": "own", "Value": "kept"}, {"Key": "team", "Value": "old"}]));
    let pool = CfnResource::new(&stack, "Pool", "AWS::Cognito::UserPool");
    pool.enable_tags(TagFormat::Map, "UserPoolTags");
    let asg = CfnResource::new(&stack, "Asg", "AWS::AutoScaling::AutoScalingGroup");
    asg.enable_tags(TagFormat::AutoScalingGroup, "Tags");
    let untaggable = CfnResource::new(&stack, "Policy", "AWS::IAM::Policy");

    Tags::of(&app).add("team", "web");
    Tags::of(&stack).add("env", "dev");
    Tags::of(&stack).add_with("env", "low", TagProps { priority: Some(50), ..Default::default() });
    Tags::of(&stack).remove_with(
        "env",
        TagProps { include_resource_types: vec!["AWS::AutoScaling::AutoScalingGroup".into()], ..Default::default() },
    );
    Tags::of(&stack).add_with(
        "only-pool",
        "yes",
        TagProps {
            exclude_resource_types: vec!["AWS::S3::Bucket".into(), "AWS::AutoScaling::AutoScalingGroup".into()],
            ..Default::default()
        },
    );

    let out = app.synth_in_memory().unwrap();
    let r = &out.template("S").unwrap()["Resources"];
    assert_eq!(
        r["Bucket"]["Properties"]["Tags"],
        json!([{"Key": "own", "Value": "kept"}, {"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "web"}])
    );
    assert_eq!(r["Pool"]["Properties"]["UserPoolTags"], json!({"env": "dev", "only-pool": "yes", "team": "web"}));
    assert_eq!(r["Asg"]["Properties"]["Tags"], json!([{"Key": "team", "Value": "web", "PropagateAtLaunch": true}]));
    assert!(r["Policy"].get("Properties").is_none());
    assert!(!untaggable.is_taggable());
    assert_eq!(bucket.tags(), vec![("env".to_string(), "dev".to_string()), ("team".into(), "web".into())]);
}

#[test]
fn construct_dependencies_become_depends_on_or_stack_dependencies() {
    let app = app();
    let a = Stack::new(&app, "A");
    let b = Stack::new(&app, "B");
    let qa = CfnResource::new(&a, "Qa", "AWS::SQS::Queue");
    let qa2 = CfnResource::new(&a, "Qa2", "AWS::SQS::Queue");
    let qb = CfnResource::new(&b, "Qb", "AWS::SQS::Queue");
    qa2.node().add_dependency(&qa);
    qb.node().add_dependency(&qa);
    // Nested siblings: the dependency is lifted to their stack resources.
    let n1 = NestedStack::new(&a, "N1");
    let n2 = NestedStack::new(&a, "N2");
    let t1 = CfnResource::new(&n1, "T1", "AWS::SNS::Topic");
    let t2 = CfnResource::new(&n2, "T2", "AWS::SNS::Topic");
    t1.add_depends_on(&t2);

    let out = app.synth_in_memory().unwrap();
    let ta = out.template("A").unwrap();
    assert_eq!(ta["Resources"]["Qa2"]["DependsOn"], json!(["Qa"]));
    let n1_id = n1.nested_stack_resource().unwrap().logical_id();
    let n2_id = n2.nested_stack_resource().unwrap().logical_id();
    assert_eq!(ta["Resources"][&n1_id]["DependsOn"], json!([n2_id]));
    assert_eq!(out.manifest["artifacts"]["B"]["dependencies"], json!(["A", "B.assets"]));
    // Dependencies come first in the manifest.
    let order: Vec<&String> = out.manifest["artifacts"].as_object().unwrap().keys().collect();
    assert!(order.iter().position(|k| *k == "A") < order.iter().position(|k| *k == "B"));
}
