//! define_backend: the root stack named after the identifier, Amplify's nested
//! stack logical IDs, root outputs and their metadata, tags and removal policies.

use amplify_backend::{define_backend, Backend, Category};
use constructs::{App, AppProps, CfnResource, IConstruct, RemovalPolicy, Value};
use serde_json::json;

fn app(ty: &str, namespace: &str, name: &str) -> App {
    App::with_props(AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!(ty)),
            ("amplify-backend-namespace".to_string(), json!(namespace)),
            ("amplify-backend-name".to_string(), json!(name)),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    })
}

#[test]
fn the_root_stack_and_custom_stacks_are_named_as_amplify_names_them() {
    let backend = Backend::build(app("sandbox", "chatapp", "dev"), ());
    assert_eq!(backend.root_stack().stack_name(), "amplify-chatapp-dev-sandbox-de98f094bc");
    let location = backend.create_stack("LocationMapStack");
    let auth = backend.stack(Category::Auth);
    // The same logical IDs and nested template names as the reference.
    assert_eq!(location.nested_stack_resource().unwrap().logical_id(), "LocationMapStack9835DF0F");
    assert_eq!(auth.nested_stack_resource().unwrap().logical_id(), "auth179371D7");
    CfnResource::new(&auth, "Pool", "AWS::Cognito::UserPool");
    let out = backend.app().synth_in_memory().unwrap();
    assert_eq!(
        out.stack("amplify-chatapp-dev-sandbox-de98f094bc/auth").unwrap().template_file,
        "amplifychatappdevsandboxde98f094bcauthA21A77AF.nested.template.json"
    );
    assert_eq!(
        out.stack("amplify-chatapp-dev-sandbox-de98f094bc/LocationMapStack").unwrap().template_file,
        "amplifychatappdevsandboxde98f094bcLocationMapStack95D3C1C0.nested.template.json"
    );
}

#[test]
fn platform_and_custom_outputs_are_listed_in_metadata() {
    let backend = Backend::build(app("sandbox", "chatapp", "dev"), ());
    let stack = backend.create_stack("LocationMapStack");
    let map = CfnResource::new(&stack, "Map", "AWS::Location::Map");
    backend.add_output(Value::object([("custom", Value::object([("mapName", map.ref_())]))]));
    backend.add_output(Value::object([("custom", Value::object([("other", "x")]))]));
    let out = backend.app().synth_in_memory().unwrap();
    let root = out.template("amplify-chatapp-dev-sandbox-de98f094bc").unwrap();
    assert_eq!(root["Outputs"]["deploymentType"]["Value"], "sandbox");
    assert_eq!(root["Outputs"]["region"]["Value"], json!({"Ref": "AWS::Region"}));
    assert_eq!(
        root["Metadata"]["AWS::Amplify::Platform"],
        json!({"version": "1", "stackOutputs": ["deploymentType", "region"]})
    );
    assert_eq!(root["Metadata"]["AWS::Amplify::Custom"], json!({"version": "1", "stackOutputs": ["customOutputs"]}));
    let custom = &root["Outputs"]["customOutputs"]["Value"]["Fn::Join"][1];
    assert_eq!(custom[0], "{\"custom\":{\"mapName\":\"");
    assert_eq!(custom[1]["Fn::GetAtt"][1], "Outputs.amplifychatappdevsandboxde98f094bcLocationMapStackMap9437D72BRef");
    assert_eq!(custom[2], "\",\"other\":\"x\"},\"version\":\"1.4\"}");
}

#[test]
fn sandboxes_delete_stateful_resources_and_branches_keep_them() {
    for (ty, expected) in [("sandbox", "Delete"), ("branch", "Retain")] {
        let backend = Backend::build(app(ty, "d1abcdefghij", "main"), ());
        let s = backend.stack(Category::Data);
        let table = CfnResource::new(&s, "Table", "AWS::DynamoDB::Table");
        let queue = CfnResource::new(&s, "Queue", "AWS::SQS::Queue");
        let kept = CfnResource::new(&s, "Kept", "AWS::S3::Bucket");
        kept.apply_removal_policy(RemovalPolicy::Retain);
        let out = backend.app().synth_in_memory().unwrap();
        let t = out.stack(&format!("{}/data", backend.root_stack().node().path())).unwrap();
        let r = &t.template["Resources"];
        assert_eq!(r[table.logical_id()]["DeletionPolicy"], expected, "{ty}");
        assert!(r[queue.logical_id()].get("DeletionPolicy").is_none());
        assert_eq!(r[kept.logical_id()]["DeletionPolicy"], "Retain");
    }
}

#[test]
fn every_taggable_resource_gets_amplify_tags() {
    let backend = Backend::build(app("branch", "d1abcdefghij", "main"), ());
    let s = backend.stack(Category::Storage);
    let bucket = CfnResource::new(&s, "Bucket", "AWS::S3::Bucket");
    bucket.enable_tags(constructs::TagFormat::Standard, "Tags");
    let out = backend.app().synth_in_memory().unwrap();
    let t = out.stack(&format!("{}/storage", backend.root_stack().node().path())).unwrap();
    assert_eq!(
        t.template["Resources"][bucket.logical_id()]["Properties"]["Tags"],
        json!([
            {"Key": "amplify:app-id", "Value": "d1abcdefghij"},
            {"Key": "amplify:branch-name", "Value": "main"},
            {"Key": "amplify:deployment-type", "Value": "branch"},
            {"Key": "created-by", "Value": "amplify"}
        ])
    );
    // The nested stack resources in the root are tagged too.
    let root = out.template(&backend.root_stack().stack_name()).unwrap();
    assert_eq!(
        root["Resources"]["storage0EC3F24A"]["Properties"]["Tags"][3],
        json!({"Key": "created-by", "Value": "amplify"})
    );
}

#[test]
fn bad_context_and_duplicate_stacks_are_reported() {
    let backend = Backend::build(app("preview", "ns", "!!!"), ());
    backend.create_stack("Custom");
    backend.create_stack("Custom");
    let err = backend.app().synth_in_memory().unwrap_err();
    assert!(err.mentions("use 'sandbox' or 'branch'"), "{err}");
    assert!(err.mentions("has no letters or digits"), "{err}");
    assert!(err.mentions("a stack named 'Custom' already exists"), "{err}");
}

#[test]
fn define_backend_follows_the_app_protocol() {
    // No context: a sandbox named after the package and the user.
    let backend = define_backend(());
    assert!(backend.root_stack().stack_name().starts_with("amplify-"));
    assert!(backend.root_stack().stack_name().contains("-sandbox-"));
}
