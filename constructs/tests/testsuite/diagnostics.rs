//! Diagnostics as users meet them: the first cause without its cascade, deep
//! trees, and failed writes that leave the output directory as it was.

use constructs::assertions::expect_synth_failure;
use constructs::{
    codes, App, AppProps, CfnOutput, CfnOutputProps, CfnResource, Construct, IConstruct, NestedStack, Stack,
    MAX_TREE_DEPTH,
};

fn app_in(dir: &std::path::Path) -> App {
    App::with_props(AppProps { outdir: Some(dir.to_path_buf()), ..Default::default() })
}

#[test]
fn a_duplicate_nested_stack_is_reported_once_without_its_cascade() {
    let app = App::with_props(AppProps::default());
    let root = Stack::new(&app, "Root");
    let first = NestedStack::new(&root, "auth");
    CfnResource::new(&first, "Pool", "AWS::Cognito::UserPool");
    // Defined twice: the second is kept off the tree; everything that uses it
    // would fail only because of that.
    let second = NestedStack::new(&root, "auth");
    let pool = CfnResource::new(&second, "Pool", "AWS::Cognito::UserPool");
    let consumer = CfnResource::new(&root, "Consumer", "AWS::SNS::Topic");
    consumer.set_property("A", pool.ref_());
    consumer.set_property("B", pool.get_att("Arn"));
    CfnOutput::new(&root, "PoolId", CfnOutputProps { value: pool.ref_(), ..Default::default() });
    let err = app.synth_in_memory().unwrap_err();
    assert_eq!(err.codes(), [codes::DUPLICATE_ID], "{err}");
    assert_eq!(err.problems[0].path, "Root/auth");
}

#[test]
fn an_element_outside_a_stack_is_reported_once_not_by_each_user() {
    let app = App::with_props(AppProps::default());
    let loose = CfnResource::new(&Construct::new(&app, "Group"), "Loose", "AWS::SQS::Queue");
    let stack = Stack::new(&app, "S");
    for i in 0..3 {
        CfnResource::new(&stack, &format!("User{i}"), "AWS::SNS::Topic").set_property("Q", loose.ref_());
    }
    let err = app.synth_in_memory().unwrap_err();
    assert_eq!(err.codes(), [codes::OUTSIDE_STACK], "{err}");
}

/// Nests `depth` plain constructs under a stack; returns the innermost.
fn nest(stack: &Stack, depth: usize) -> Construct {
    let mut c = Construct::new(stack, "c");
    for _ in 1..depth {
        c = Construct::new(&c, "c");
    }
    c
}

#[test]
fn a_tree_100_000_levels_deep_fails_clearly_and_drops_without_overflow() {
    let app = App::with_props(AppProps::default());
    let stack = Stack::new(&app, "S");
    let inner = nest(&stack, 100_000);
    CfnResource::new(&inner, "Q", "AWS::SQS::Queue");
    drop(inner);
    let p = expect_synth_failure(codes::TREE_TOO_DEEP, |dir| {
        app.set_outdir(dir);
        app.synth()
    });
    assert!(p.message.contains("100002 levels"), "{}", p.message);
    // The path names the construct where the limit is crossed.
    assert_eq!(p.path.matches('/').count(), MAX_TREE_DEPTH - 1);
    // Dropping the tree here must not recurse once per level.
}

#[test]
fn a_tree_at_the_depth_limit_synthesizes() {
    let app = App::with_props(AppProps::default());
    let stack = Stack::new(&app, "S");
    let inner = nest(&stack, MAX_TREE_DEPTH - 2);
    CfnResource::new(&inner, "Q", "AWS::SQS::Queue");
    let assembly = app.synth_in_memory().expect("a tree of the maximum depth synthesizes");
    assert_eq!(assembly.stacks[0].resource_count(), 1);
}

#[test]
fn a_failed_synthesis_keeps_the_previous_assembly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cdk.out");
    let good = app_in(&out);
    CfnResource::new(&Stack::new(&good, "S"), "Q", "AWS::SQS::Queue");
    good.synth().unwrap();
    let before = std::fs::read(out.join("S.template.json")).unwrap();
    let bad = app_in(&out);
    let s = Stack::new(&bad, "S");
    CfnResource::new(&s, "Q", "AWS::SNS::Topic").set_property("P", serde_json::json!({"Ref": "Nope"}));
    assert!(bad.synth().unwrap_err().has_code(codes::REF_MISSING));
    assert_eq!(std::fs::read(out.join("S.template.json")).unwrap(), before);
    let names: Vec<String> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names, ["cdk.out"], "no staging directory is left");
}

#[test]
fn a_write_that_fails_midway_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cdk.out");
    let app = app_in(&out);
    let stack = Stack::new(&app, "S");
    CfnResource::new(&stack, "Q", "AWS::SQS::Queue");
    // An asset that vanishes between synthesis and writing: the copy fails after
    // the templates are written.
    let src = tmp.path().join("asset.txt");
    std::fs::write(&src, "x").unwrap();
    constructs::Asset::new(&stack, "File", &src);
    let assembly = app.synth_in_memory().unwrap();
    std::fs::remove_file(&src).unwrap();
    let err = assembly.write(&out).unwrap_err();
    assert_eq!(err.codes(), [codes::WRITE_FAILED]);
    let names: Vec<String> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_foreign_directory_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let app = app_in(tmp.path());
    CfnResource::new(&Stack::new(&app, "S"), "Q", "AWS::SQS::Queue");
    let err = app.synth().unwrap_err();
    assert_eq!(err.codes(), [codes::OUTDIR_NOT_ASSEMBLY]);
    let names: Vec<String> =
        std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert_eq!(names, ["notes.txt"]);
}

#[test]
fn user_constructs_report_with_their_own_codes() {
    let app = App::with_props(AppProps::default());
    let q = CfnResource::new(&Stack::new(&app, "S"), "Q", "AWS::SQS::Queue");
    q.node().add_warning("ORG100", "no dead-letter queue", "set RedrivePolicy");
    q.node().add_check(|| vec![constructs::Diagnostic::error("ORG200", "not encrypted", "set KmsMasterKeyId")]);
    let err = app.synth_in_memory().unwrap_err();
    assert_eq!(err.codes(), ["ORG200"]);
    let d = err.find("ORG200").unwrap();
    assert_eq!((d.path.as_str(), d.fix.as_str()), ("S/Q", "set KmsMasterKeyId"));
    assert_eq!(q.node().diagnostics()[0].code, "ORG100");
}
