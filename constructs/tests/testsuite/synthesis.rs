//! Synthesis: every template element and option, intrinsics, cross-stack references,
//! cycles, limits, determinism and the files of the assembly.

use constructs::{
    fns, App, AppProps, Asset, Aws, CfnCondition, CfnMapping, CfnOutput, CfnOutputProps, CfnParameter,
    CfnParameterProps, CfnResource, CfnRule, IConstruct, NestedStack, RemovalPolicy, Stack, StackProps,
};
use serde_json::json;

fn app() -> App {
    App::with_props(AppProps { path_metadata: false, ..Default::default() })
}

fn bare(app: &App, id: &str) -> Stack {
    Stack::with_props(app, id, StackProps { skip_bootstrap_version_rule: true, ..Default::default() })
}

#[test]
fn every_template_section_renders() {
    let app = app();
    let stack = bare(&app, "S");
    stack.set_description("demo");
    stack.add_transform("AWS::Serverless-2016-10-31");
    stack.add_template_metadata("Owner", "team");
    let env = CfnParameter::new(
        &stack,
        "Env",
        CfnParameterProps {
            default: Some("dev".into()),
            allowed_values: Some(vec!["dev".into(), "prod".into()]),
            description: Some("stage".into()),
            no_echo: true,
            ..Default::default()
        },
    );
    let size = CfnParameter::new(
        &stack,
        "Size",
        CfnParameterProps {
            parameter_type: Some("Number".into()),
            min_value: Some(1.0),
            max_value: Some(9.0),
            ..Default::default()
        },
    );
    let is_prod = CfnCondition::new(&stack, "IsProd", fns::equals(env.value_as_string(), "prod"));
    let map = CfnMapping::new(&stack, "Sizes");
    map.set_value("us-east-1", "Small", "t3.micro");
    let rule = CfnRule::new(&stack, "ProdRule");
    rule.set_rule_condition(fns::equals(env.value_as_string(), "prod"));
    rule.add_assertion(fns::other("Fn::Contains", json!([["a"], "a"])), "must contain a");
    let q = CfnResource::new(&stack, "Queue", "AWS::SQS::Queue");
    q.set_property("DelaySeconds", size.value_as_number());
    q.set_property("QueueName", fns::if_(&is_prod, "prod-q", Aws::no_value()));
    q.set_property("Tier", map.find_in_map(Aws::region(), "Small"));
    q.set_condition(&is_prod);
    CfnOutput::new(
        &stack,
        "QueueUrl",
        CfnOutputProps {
            value: q.ref_(),
            description: Some("the url".into()),
            export_name: Some(fns::sub("${AWS::StackName}-url")),
            condition: Some(is_prod.clone()),
        },
    );

    let out = app.synth_in_memory().unwrap();
    let t = out.template("S").unwrap();
    let keys: Vec<&String> = t.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "Description",
            "Transform",
            "Metadata",
            "Parameters",
            "Mappings",
            "Conditions",
            "Rules",
            "Resources",
            "Outputs"
        ]
    );
    assert_eq!(
        t["Parameters"]["Env"],
        json!({"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"], "Description": "stage", "NoEcho": true})
    );
    assert_eq!(t["Parameters"]["Size"], json!({"Type": "Number", "MaxValue": 9.0, "MinValue": 1.0}));
    assert_eq!(t["Conditions"]["IsProd"], json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]}));
    assert_eq!(t["Mappings"]["Sizes"], json!({"us-east-1": {"Small": "t3.micro"}}));
    assert_eq!(t["Rules"]["ProdRule"]["RuleCondition"], json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]}));
    assert_eq!(t["Rules"]["ProdRule"]["Assertions"][0]["Assert"], json!({"Fn::Contains": [["a"], "a"]}));
    assert_eq!(
        t["Resources"]["Queue"],
        json!({
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "DelaySeconds": {"Ref": "Size"},
                "QueueName": {"Fn::If": ["IsProd", "prod-q", {"Ref": "AWS::NoValue"}]},
                "Tier": {"Fn::FindInMap": ["Sizes", {"Ref": "AWS::Region"}, "Small"]}
            },
            "Condition": "IsProd"
        })
    );
    assert_eq!(
        t["Outputs"]["QueueUrl"],
        json!({"Description": "the url", "Value": {"Ref": "Queue"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-url"}}, "Condition": "IsProd"})
    );
}

#[test]
fn every_intrinsic_renders() {
    let app = app();
    let stack = bare(&app, "S");
    let c = CfnCondition::new(
        &stack,
        "C",
        fns::and([fns::not(fns::equals(Aws::region(), "x")), fns::or([fns::equals("a", "a"), fns::equals("b", "c")])]),
    );
    let c2 = CfnCondition::new(&stack, "C2", fns::and([fns::condition(&c), fns::equals(Aws::account_id(), "1")]));
    let b = CfnResource::new(&stack, "B", "AWS::S3::Bucket");
    let r = CfnResource::new(&stack, "R", "Custom::Thing");
    r.set_property("Select", fns::select(1, fns::split(",", "a,b")));
    r.set_property("Sub", fns::sub_with("${Name}-${AWS::Region}", [("Name", b.ref_())]));
    r.set_property("Azs", fns::get_azs(""));
    r.set_property("B64", fns::base64("hi"));
    r.set_property("Cidr", fns::cidr("10.0.0.0/16", 4, 8));
    r.set_property("Import", fns::import_value("x"));
    r.set_property("Pseudo", json!(null));
    r.set_property(
        "All",
        vec![Aws::partition(), Aws::stack_name(), Aws::stack_id(), Aws::url_suffix(), Aws::notification_arns()],
    );
    r.set_property(
        "Concat",
        constructs::Value::concat(["arn:".into(), Aws::partition(), ":s3:::".into(), b.ref_(), "".into(), "/*".into()]),
    );
    r.set_property("Literal", fns::join("-", ["a".into(), "b".into()]));
    r.set_property("Att", b.get_att("Arn"));
    let _ = c2;

    let out = app.synth_in_memory().unwrap();
    let t = out.template("S").unwrap();
    assert_eq!(
        t["Conditions"]["C"],
        json!({"Fn::And": [{"Fn::Not": [{"Fn::Equals": [{"Ref": "AWS::Region"}, "x"]}]}, {"Fn::Or": [{"Fn::Equals": ["a", "a"]}, {"Fn::Equals": ["b", "c"]}]}]})
    );
    assert_eq!(t["Conditions"]["C2"]["Fn::And"][0], json!({"Condition": "C"}));
    let p = &t["Resources"]["R"]["Properties"];
    assert_eq!(p["Select"], json!({"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}));
    assert_eq!(p["Sub"], json!({"Fn::Sub": ["${Name}-${AWS::Region}", {"Name": {"Ref": "B"}}]}));
    assert_eq!(p["Azs"], json!({"Fn::GetAZs": ""}));
    assert_eq!(p["B64"], json!({"Fn::Base64": "hi"}));
    assert_eq!(p["Cidr"], json!({"Fn::Cidr": ["10.0.0.0/16", 4, 8]}));
    assert_eq!(p["Import"], json!({"Fn::ImportValue": "x"}));
    assert!(p.get("Pseudo").is_none(), "null properties are left out");
    assert_eq!(
        p["All"],
        json!([{"Ref": "AWS::Partition"}, {"Ref": "AWS::StackName"}, {"Ref": "AWS::StackId"}, {"Ref": "AWS::URLSuffix"}, {"Ref": "AWS::NotificationARNs"}])
    );
    assert_eq!(
        p["Concat"],
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "B"}, "/*"]]})
    );
    assert_eq!(p["Literal"], json!("a-b"));
    assert_eq!(p["Att"], json!({"Fn::GetAtt": ["B", "Arn"]}));
}

#[test]
fn resource_options_and_escape_hatches() {
    let app = app();
    let stack = bare(&app, "S");
    let dep = CfnResource::new(&stack, "Dep", "AWS::SNS::Topic");
    let r = CfnResource::new(&stack, "Fn", "AWS::Lambda::Function");
    r.set_property("Environment", json!({"Variables": {"A": "1", "B": "2"}}));
    r.set_property("Layers", json!([{"Arn": "x"}, {"Arn": "y"}]));
    r.add_property_override("Environment.Variables.C", "3");
    r.add_property_deletion_override("Environment.Variables.A");
    r.add_property_override("Layers.1.Arn", "z");
    r.add_override("Properties.Dotted\\.Key", true);
    r.add_deletion_override("Properties.Missing.Path");
    r.add_depends_on(&dep);
    r.set_update_policy(json!({"AutoScalingReplacingUpdate": {"WillReplace": true}}));
    r.set_creation_policy(json!({"ResourceSignal": {"Count": 1}}));
    r.apply_removal_policy(RemovalPolicy::RetainOnUpdateOrDelete);
    r.add_metadata("purpose", "demo");
    r.override_logical_id("MyFunction");
    let out = app.synth_in_memory().unwrap();
    assert_eq!(
        out.template("S").unwrap()["Resources"]["MyFunction"],
        json!({
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Environment": {"Variables": {"B": "2", "C": "3"}},
                "Layers": [{"Arn": "x"}, {"Arn": "z"}],
                "Dotted.Key": true
            },
            "DependsOn": ["Dep"],
            "CreationPolicy": {"ResourceSignal": {"Count": 1}},
            "UpdatePolicy": {"AutoScalingReplacingUpdate": {"WillReplace": true}},
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "RetainExceptOnCreate",
            "Metadata": {"purpose": "demo"}
        })
    );
}

#[test]
fn references_between_sibling_and_deep_nested_stacks_go_through_parents() {
    let app = app();
    let root = bare(&app, "Root");
    let a = NestedStack::new(&root, "A");
    let b = NestedStack::new(&root, "B");
    let deep = NestedStack::new(&b, "Deep");
    let in_root = CfnResource::new(&root, "RootQ", "AWS::SQS::Queue");
    let ta = CfnResource::new(&a, "TopicA", "AWS::SNS::Topic");
    let tb = CfnResource::new(&deep, "TopicDeep", "AWS::SNS::Topic");
    tb.set_property("DisplayName", ta.get_att("TopicName"));
    tb.set_property("Other", in_root.ref_());
    let reader = CfnResource::new(&root, "Reader", "AWS::SQS::Queue");
    reader.set_property("QueueName", tb.ref_());

    let out = app.synth_in_memory().unwrap();
    let a_id = a.nested_stack_resource().unwrap().logical_id();
    let b_id = b.nested_stack_resource().unwrap().logical_id();
    let root_t = out.template("Root").unwrap();
    // A publishes TopicName; B receives it as a parameter; Deep receives it from B.
    let a_t = out.template("Root/A").unwrap();
    let (a_out, a_val) = a_t["Outputs"].as_object().unwrap().iter().next().unwrap();
    assert_eq!(a_val["Value"], json!({"Fn::GetAtt": ["TopicA", "TopicName"]}));
    let b_params = root_t["Resources"][&b_id]["Properties"]["Parameters"].as_object().unwrap();
    assert!(b_params.values().any(|v| *v == json!({"Fn::GetAtt": [a_id, format!("Outputs.{a_out}")]})), "{b_params:?}");
    assert!(b_params.values().any(|v| *v == json!({"Ref": "RootQ"})));
    let deep_t = out.template("Root/B/Deep").unwrap();
    let display = &deep_t["Resources"]["TopicDeep"]["Properties"]["DisplayName"];
    let pname = display["Ref"].as_str().unwrap();
    assert!(deep_t["Parameters"][pname].is_object());
    // Root reads Deep's topic through B's outputs.
    let q = &root_t["Resources"]["Reader"]["Properties"]["QueueName"];
    assert_eq!(q["Fn::GetAtt"][0], json!(b_id));
    // The root's nested stack resource for B depends on A (through the parameter).
    assert!(root_t["Resources"][&b_id]["Properties"]["TemplateURL"].is_object());
}

#[test]
fn a_cycle_between_nested_stacks_is_an_error_naming_each_reference() {
    let app = app();
    let root = bare(&app, "Root");
    let a = NestedStack::new(&root, "Auth");
    let d = NestedStack::new(&root, "Data");
    let trigger = CfnResource::new(&a, "Trigger", "AWS::Lambda::Function");
    let api = CfnResource::new(&d, "Api", "AWS::AppSync::GraphQLApi");
    trigger.set_property("Env", api.get_att("GraphQLUrl"));
    api.set_property("Name", trigger.ref_());
    let err = app.synth_in_memory().unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    let m = &err.problems[0].message;
    assert!(m.contains("reference cycle"), "{m}");
    assert!(m.contains("Root/Auth.NestedStack/Auth.NestedStackResource"), "{m}");
    assert!(m.contains("Root/Auth/Trigger uses Root/Data/Api.GraphQLUrl"), "{m}");
    assert!(m.contains("Root/Data/Api uses Root/Auth/Trigger"), "{m}");
}

#[test]
fn a_cycle_between_top_level_stacks_is_an_error() {
    let app = app();
    let a = bare(&app, "A");
    let b = bare(&app, "B");
    let qa = CfnResource::new(&a, "Qa", "AWS::SQS::Queue");
    let qb = CfnResource::new(&b, "Qb", "AWS::SQS::Queue");
    qa.set_property("X", qb.ref_());
    qb.set_property("Y", qa.get_att("Arn"));
    let err = app.synth_in_memory().unwrap_err();
    assert!(err.mentions("stacks depend on each other in a cycle: A -> B -> A"), "{err}");
    assert!(err.mentions("A/Qa uses B/Qb"), "{err}");
}

#[test]
fn a_nested_stack_can_import_from_another_top_level_stack() {
    let app = app();
    let producer = bare(&app, "Producer");
    let bucket = CfnResource::new(&producer, "Bucket", "AWS::S3::Bucket");
    let consumer = bare(&app, "Consumer");
    let nested = NestedStack::new(&consumer, "Inner");
    let t = CfnResource::new(&nested, "T", "AWS::SNS::Topic");
    t.set_property("DisplayName", bucket.ref_());
    let out = app.synth_in_memory().unwrap();
    let inner = out.template("Consumer/Inner").unwrap();
    assert_eq!(
        inner["Resources"]["T"]["Properties"]["DisplayName"],
        json!({"Fn::ImportValue": "Producer:ExportsOutputRefBucket239F7DF2"})
    );
    assert_eq!(out.manifest["artifacts"]["Consumer"]["dependencies"][0], "Producer");
}

#[test]
fn limits_and_logical_id_clashes_name_the_stack_and_both_paths() {
    let app = app();
    let big = bare(&app, "Big");
    for i in 0..501 {
        CfnResource::new(&big, &format!("Q{i}"), "AWS::SQS::Queue");
    }
    for i in 0..201 {
        CfnOutput::new(&big, &format!("O{i}"), CfnOutputProps { value: "x".into(), ..Default::default() });
    }
    let s = bare(&app, "S");
    CfnResource::new(&s, "My-Queue", "AWS::SQS::Queue");
    CfnResource::new(&s, "MyQueue", "AWS::SQS::Queue");
    let bad = CfnResource::new(&s, "Bad", "AWS::SQS::Queue");
    bad.override_logical_id("not-valid");
    let err = app.synth_in_memory().unwrap_err();
    assert!(
        err.problems
            .iter()
            .any(|p| p.path == "Big" && p.message.contains("501 resources, over CloudFormation's limit of 500")),
        "{err}"
    );
    assert!(err.problems.iter().any(|p| p.path == "Big" && p.message.contains("201 outputs")), "{err}");
    assert!(
        err.problems.iter().any(|p| p.path == "S/MyQueue" && p.message.contains("already used by 'S/My-Queue'")),
        "{err}"
    );
    assert!(err.problems.iter().any(|p| p.path == "S/Bad" && p.message.contains("'not-valid' is invalid")), "{err}");
}

#[test]
fn a_parameter_and_a_resource_cannot_share_a_logical_id_and_bootstrap_names_are_reserved() {
    let app = app();
    let s = Stack::new(&app, "S");
    CfnParameter::new(&s, "BootstrapVersion", CfnParameterProps::default());
    let err = app.synth_in_memory().unwrap_err();
    assert!(err.mentions("already used by 'the CDK bootstrap version parameter'"), "{err}");
}

#[test]
fn synthesis_is_deterministic_and_writes_every_file() {
    let build = || {
        let app = App::with_props(AppProps::default());
        let s = Stack::new(&app, "S");
        let n = NestedStack::new(&s, "N");
        let b = CfnResource::new(&s, "B", "AWS::S3::Bucket");
        CfnResource::new(&n, "T", "AWS::SNS::Topic").set_property("X", b.get_att("Arn"));
        app
    };
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let a1 = build();
    a1.set_outdir(d1.path().join("out"));
    let asm = a1.synth().unwrap();
    let a2 = build();
    a2.set_outdir(d2.path().join("out"));
    a2.synth().unwrap();
    let mut names = asm.file_names();
    names.sort();
    assert_eq!(
        names,
        [
            "S.assets.json",
            "S.template.json",
            "SN795D018D.nested.template.json",
            "cdk.out",
            "manifest.json",
            "tree.json"
        ]
    );
    for name in names {
        let x = std::fs::read(d1.path().join("out").join(&name)).unwrap();
        let y = std::fs::read(d2.path().join("out").join(&name)).unwrap();
        assert_eq!(x, y, "{name} differs between two runs");
    }
    let assets: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d1.path().join("out/S.assets.json")).unwrap()).unwrap();
    let nested = asm.stack("S/N").unwrap();
    assert_eq!(assets["files"][&nested.template_hash]["source"]["path"], "SN795D018D.nested.template.json");
    assert_eq!(
        constructs::names::sha256_hex(&std::fs::read(d1.path().join("out/SN795D018D.nested.template.json")).unwrap()),
        nested.template_hash
    );
}

#[test]
fn writing_never_clobbers_a_directory_that_is_not_an_assembly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let app = App::with_props(AppProps { outdir: Some(dir.path().to_path_buf()), ..Default::default() });
    CfnResource::new(&Stack::new(&app, "S"), "Q", "AWS::SQS::Queue");
    let err = app.synth().unwrap_err();
    assert!(err.mentions("not a cloud assembly"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");

    // An old assembly is refreshed: stale templates go, other files stay.
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("manifest.json"), "{}").unwrap();
    std::fs::write(out.path().join("Old.template.json"), "{}").unwrap();
    std::fs::write(out.path().join("keep.txt"), "x").unwrap();
    app.set_outdir(out.path());
    app.synth().unwrap();
    assert!(!out.path().join("Old.template.json").exists());
    assert!(out.path().join("keep.txt").exists());
    assert!(out.path().join("S.template.json").exists());
}

#[test]
fn assets_are_staged_hashed_and_listed() {
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(src.path().join("code/lib")).unwrap();
    std::fs::write(src.path().join("code/index.js"), "exports.handler = 1").unwrap();
    std::fs::write(src.path().join("code/lib/util.js"), "x").unwrap();
    std::fs::write(src.path().join("schema.graphql"), "type Q { a: Int }").unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps { outdir: Some(out.path().join("cdk.out")), ..Default::default() });
    let s = Stack::new(&app, "S");
    let n = NestedStack::new(&s, "Fns");
    let code = Asset::new(&n, "Code", src.path().join("code"));
    let file = Asset::new(&s, "Schema", src.path().join("schema.graphql"));
    let missing = Asset::new(&s, "Missing", src.path().join("nope"));
    let f = CfnResource::new(&n, "Fn", "AWS::Lambda::Function");
    f.set_property("Code", constructs::Value::object([("S3Bucket", code.bucket_name()), ("S3Key", code.object_key())]));
    let _ = file.s3_object_url();
    let err = app.synth().unwrap_err();
    assert!(err.problems.iter().any(|p| p.path == "S/Missing" && p.message.contains("cannot read asset")), "{err}");
    drop(missing);

    // Without the broken asset.
    let app = App::with_props(AppProps { outdir: Some(out.path().join("cdk.out")), ..Default::default() });
    let s = Stack::new(&app, "S");
    let n = NestedStack::new(&s, "Fns");
    let code = Asset::new(&n, "Code", src.path().join("code"));
    let file = Asset::new(&s, "Schema", src.path().join("schema.graphql"));
    app.synth().unwrap();
    let dir = out.path().join("cdk.out");
    assert!(dir.join(format!("asset.{}/lib/util.js", code.hash())).exists());
    assert!(dir.join(format!("asset.{}.graphql", file.hash())).exists());
    let assets: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("S.assets.json")).unwrap()).unwrap();
    assert_eq!(
        assets["files"][code.hash()]["source"],
        json!({"path": format!("asset.{}", code.hash()), "packaging": "zip"})
    );
    assert_eq!(
        assets["files"][code.hash()]["destinations"]["current_account-current_region"]["objectKey"],
        format!("{}.zip", code.hash())
    );
    assert_eq!(assets["files"][file.hash()]["source"]["packaging"], "file");
    // Same content, same hash; a change changes it.
    assert_eq!(Asset::new(&s, "Again", src.path().join("code")).hash(), code.hash());
    std::fs::write(src.path().join("code/lib/util.js"), "y").unwrap();
    assert_ne!(Asset::new(&s, "Changed", src.path().join("code")).hash(), code.hash());
    let _ = n.node();
}

#[test]
fn json_strings_embed_tokens_even_in_json_inside_json() {
    let app = app();
    let stack = bare(&app, "S");
    let b = CfnResource::new(&stack, "B", "AWS::S3::Bucket");
    let inner = fns::to_json_string(&constructs::Value::object([("name", "media".into()), ("bucketName", b.ref_())]));
    let outer = fns::to_json_string(&constructs::Value::Array(vec![inner]));
    CfnOutput::new(&stack, "Buckets", CfnOutputProps { value: outer, ..Default::default() });
    let out = app.synth_in_memory().unwrap();
    assert_eq!(
        out.template("S").unwrap()["Outputs"]["Buckets"]["Value"],
        json!({"Fn::Join": ["", ["[\"{\\\"name\\\":\\\"media\\\",\\\"bucketName\\\":\\\"", {"Ref": "B"}, "\\\"}\"]"]]})
    );
}
