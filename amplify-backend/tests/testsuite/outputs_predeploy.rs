//! `Backend::synth` writes `amplify_outputs.json` as synthesis knows it into the
//! cloud assembly, never over the deployed file of the project, and the file
//! validates against Amplify's schema: auth, storage, and the `custom` and `geo`
//! sections of `backend.add_output`.

use std::path::{Path, PathBuf};

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::backend::PREDEPLOY_OUTPUTS_FILE;
use amplify_backend::storage::{access, define_storage, StorageAction::*, StorageProps};
use amplify_backend::{Backend, IntoDefinitions};
use constructs::{App, AppProps, Aws, CfnResource, Value};
use serde_json::{json, Value as Json};

/// A project directory of its own, emptied.
fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join("amplify-outputs-predeploy").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A backend whose assembly goes to `<project>/cdk.out`, as the CDK CLI would put it.
fn backend<D: IntoDefinitions>(project: &Path, definitions: D) -> Backend<D::Built> {
    let context = [("amplify-backend-namespace", "chatapp"), ("amplify-backend-name", "dev")];
    let app = App::with_props(AppProps {
        outdir: Some(project.join("cdk.out")),
        context: context.into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect(),
        ..Default::default()
    });
    Backend::build(app, definitions)
}

fn chat_like(project: &Path) -> Backend<impl Sized> {
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let storage = define_storage(StorageProps {
        name: "media".into(),
        access: access(|allow| [("public/*", vec![allow.guest.to([Read]), allow.authenticated.to([Read, Write])])]),
        ..Default::default()
    });
    let backend = backend(project, (auth, storage));
    let stack = backend.create_stack("LocationMapStack");
    let map = CfnResource::new(&stack, "Map", "AWS::Location::Map");
    let maps = Value::object([
        ("items", Value::object([("chat-map", Value::object([("style", "VectorEsriStreets")]))])),
        ("default", "chat-map".into()),
    ]);
    backend.add_output(Value::object([("geo", Value::object([("aws_region", Aws::region()), ("maps", maps)]))]));
    backend.add_output(Value::object([("custom", Value::object([("mapName", map.ref_())]))]));
    backend.add_output(Value::object([("custom", Value::object([("theme", "dark")]))]));
    backend
}

fn read(path: &Path) -> Json {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid(document: &Json) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../reference/amplify-outputs-schema-v1.5.json");
    let validator = jsonschema::validator_for(&read(Path::new(path))).expect("reference schema compiles");
    let errors: Vec<String> = validator.iter_errors(document).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{document:#}\nis invalid: {errors:#?}");
}

#[test]
fn synthesis_writes_the_file_into_the_assembly_and_it_validates() {
    let dir = project("writes");
    let backend = chat_like(&dir);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let file = read(&dir.join("cdk.out").join(PREDEPLOY_OUTPUTS_FILE));
    assert_valid(&file);
    assert_eq!(file, serde_json::to_value(backend.predeploy_outputs(&assembly).unwrap()).unwrap());

    assert_eq!(file["version"], "1.5");
    assert_eq!(file["auth"]["user_pool_id"], "<deployed value of userPoolId>");
    assert_eq!(file["auth"]["username_attributes"], json!(["email"]));
    assert_eq!(
        file["storage"]["buckets"][0]["paths"],
        json!({"public/*": {"guest": ["get", "list"], "authenticated": ["get", "list", "write"]}})
    );
    assert_eq!(
        file["geo"],
        json!({
            "aws_region": "<deployed value of AWS::Region>",
            "maps": {"items": {"chat-map": {"style": "VectorEsriStreets"}}, "default": "chat-map"}
        })
    );
    // Two add_output calls merge into one `custom` section.
    assert_eq!(file["custom"]["theme"], "dark");
    // The map's name is known after deployment: a placeholder naming the
    // custom stack's output it will come from.
    assert_eq!(
        file["custom"]["mapName"],
        "<deployed value of LocationMapStack9835DF0F.Outputs.amplifychatappdevsandboxde98f094bcLocationMapStackMap9437D72BRef>"
    );
}

#[test]
fn the_deployed_file_of_the_project_is_never_replaced() {
    let dir = project("keeps-deployed");
    let deployed = "{\n  \"version\": \"1.5\",\n  \"custom\": {\"deployed\": true}\n}\n";
    std::fs::write(dir.join("amplify_outputs.json"), deployed).unwrap();
    chat_like(&dir).synth().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(std::fs::read_to_string(dir.join("amplify_outputs.json")).unwrap(), deployed);
    assert!(dir.join("cdk.out").join(PREDEPLOY_OUTPUTS_FILE).is_file());
}

#[test]
fn after_deployment_the_custom_and_geo_sections_hold_the_deployed_values() {
    let dir = project("deployed-values");
    let backend = chat_like(&dir);
    let assembly = backend.app().synth_in_memory().unwrap();
    let root = assembly.template(&backend.root_stack().stack_name()).unwrap();
    // A stand-in for CloudFormation: tokens become the values it would give.
    let deploy = |value: &Json| -> String {
        let Some(join) = value.get("Fn::Join") else {
            return value.as_str().map(str::to_string).unwrap_or_else(|| "us-east-1_pool".into());
        };
        let parts = join[1].as_array().unwrap().iter().map(|p| match p {
            Json::String(s) => s.clone(),
            p if p.get("Ref") == Some(&json!("AWS::Region")) => "eu-west-1".into(),
            _ => "chat-map".into(),
        });
        parts.collect()
    };
    let outputs = root["Outputs"].as_object().unwrap().iter().map(|(k, o)| (k.clone(), deploy(&o["Value"]))).collect();
    let file = amplify_backend::outputs::from_stack_outputs(&outputs, &root["Metadata"]).unwrap();
    let file = serde_json::to_value(file).unwrap();
    assert_valid(&file);
    assert_eq!(file["geo"]["aws_region"], "eu-west-1");
    assert_eq!(file["custom"], json!({"mapName": "chat-map", "theme": "dark"}));
}

#[test]
fn custom_outputs_that_clash_with_a_category_fail_synthesis() {
    let dir = project("clash");
    let backend = chat_like(&dir);
    backend.add_output(Value::object([("auth", Value::object([("user_pool_id", "us-east-1_other")]))]));
    let error = backend.synth().expect_err("the user pool id would be replaced");
    assert_eq!(error.problems.len(), 1, "{error}");
    assert_eq!(error.problems[0].path, backend.root_stack().stack_name());
    assert!(error.mentions("amplify_outputs.json cannot be built"), "{error}");
    assert!(error.mentions("auth.user_pool_id"), "{error}");
    assert!(!dir.join("cdk.out").join(PREDEPLOY_OUTPUTS_FILE).exists());
}

#[test]
fn add_output_takes_an_object_of_sections() {
    let dir = project("not-an-object");
    let backend = backend(&dir, ());
    backend.add_output(Value::from("mapName"));
    let error = backend.app().synth_in_memory().expect_err("a string is not a section");
    assert!(error.mentions("add_output takes an object of sections"), "{error}");
}
