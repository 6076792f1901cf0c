//! The assembly reader on the chat example's real assembly and on small
//! hand-written assemblies that exercise each intrinsic.

use crate::assembly_support;

use std::path::Path;

use local::assembly::{Assembly, AssemblyError, LocalEnv};
use serde_json::{json, Value};

fn write(dir: &Path, name: &str, value: &Value) {
    std::fs::write(dir.join(name), serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// A manifest with the given top-level stacks and one asset manifest listing
/// `assets` (object key, file).
fn manifest(dir: &Path, stacks: &[&str], assets: &[(&str, &str)]) {
    let mut artifacts = serde_json::Map::new();
    let files: serde_json::Map<String, Value> = assets
        .iter()
        .map(|(key, file)| {
            (
                key.to_string(),
                json!({"source": {"path": file, "packaging": "file"},
                       "destinations": {"d": {"bucketName": "b", "objectKey": key}}}),
            )
        })
        .collect();
    write(dir, "S.assets.json", &json!({"version": "55.0.0", "files": files}));
    artifacts.insert("S.assets".into(), json!({"type": "cdk:asset-manifest", "properties": {"file": "S.assets.json"}}));
    for s in stacks {
        artifacts.insert(
            s.to_string(),
            json!({"type": "aws:cloudformation:stack", "properties": {"templateFile": format!("{s}.template.json")}}),
        );
    }
    write(dir, "manifest.json", &json!({"version": "55.0.0", "artifacts": artifacts}));
}

fn find<'a>(a: &'a Assembly, logical_id: &str) -> &'a local::assembly::Resource {
    a.resources.iter().find(|r| r.logical_id == logical_id).unwrap_or_else(|| panic!("no {logical_id}"))
}

#[test]
fn chat_assembly_flattens_nested_stacks_and_resolves_references() {
    let dir = assembly_support::chat_assembly();
    let env = LocalEnv { graphql_url: Some("https://127.0.0.1:20002/graphql".into()), ..LocalEnv::default() };
    let a = Assembly::load(dir.path(), &env).unwrap();

    // The user pool's id flows from the auth stack's output through the data
    // stack's parameter into the API's UserPoolConfig.
    let pool = a.of_type("AWS::Cognito::UserPool").next().expect("a user pool");
    assert!(pool.physical_id.starts_with("us-east-1_") && pool.physical_id.len() == 19, "{}", pool.physical_id);
    let api = a.of_type("AWS::AppSync::GraphQLApi").next().expect("an API");
    assert_eq!(api.properties["UserPoolConfig"]["UserPoolId"], pool.physical_id.as_str());
    assert_eq!(api.properties["UserPoolConfig"]["AwsRegion"], "us-east-1");
    assert_eq!(api.str_attribute("GraphQLUrl"), Some("https://127.0.0.1:20002/graphql"));
    assert_eq!(api.str_attribute("RealtimeUrl"), Some("wss://127.0.0.1:20002/graphql/realtime"));
    let api_id = api.str_attribute("ApiId").unwrap();
    assert_eq!(api_id.len(), 26);
    let identity_pool = a.of_type("AWS::Cognito::IdentityPool").next().unwrap();
    assert_eq!(api.properties["EnvironmentVariables"]["AMPLIFY_IDENTITY_POOL_ID"], identity_pool.physical_id.as_str());

    // Nested two levels down (data / Models / Message): parameters passed through.
    let table = find(&a, "MessageTable");
    assert!(table.stack_path.matches('/').count() >= 3, "{}", table.stack_path);
    let source = find(&a, "MessageDataSource");
    assert_eq!(source.properties["ApiId"], api_id);
    assert_eq!(source.properties["DynamoDBConfig"]["TableName"], table.physical_id.as_str());
    assert!(table.physical_id.starts_with("MessageTable-"), "{}", table.physical_id);

    // Pipeline functions refer to the auth function by its minted FunctionId.
    let auth_fn = a
        .of_type("AWS::AppSync::FunctionConfiguration")
        .find(|f| f.str_property("Name") == Some("AuthFunction"))
        .unwrap();
    let resolver =
        a.of_type("AWS::AppSync::Resolver").find(|r| r.str_property("FieldName") == Some("getMessage")).unwrap();
    assert_eq!(resolver.properties["PipelineConfig"]["Functions"][0], auth_fn.attributes["FunctionId"]);

    // Resolver code assets resolve to the files of the asset manifest.
    let function = find(&a, "MessageTableFunction");
    let location = function.str_property("CodeS3Location").unwrap();
    assert!(location.starts_with("s3://cdk-hnb659fds-assets-000000000000-us-east-1/"), "{location}");
    let code = a.read_asset(location, "MessageTableFunction.CodeS3Location").unwrap();
    assert!(code.contains("export function request"), "{code}");

    // Top-level outputs resolve through nested outputs.
    let outputs = &a.stacks[0].outputs;
    assert_eq!(outputs["userPoolId"], pool.physical_id.as_str());

    // The same assembly gives the same ids on every load.
    let again = Assembly::load(dir.path(), &env).unwrap();
    assert_eq!(find(&again, "MessageTable").physical_id, table.physical_id);
    assert_eq!(again.of_type("AWS::Cognito::UserPool").next().unwrap().physical_id, pool.physical_id);

    // What nothing runs locally is reported by name (the map, the bucket-emptying
    // custom resource); functions and buckets run.
    let missing = a.not_emulated();
    assert!(missing.contains_key("AWS::Location::Map"), "{missing:?}");
    assert!(!missing.contains_key("AWS::Lambda::Function"), "{missing:?}");
    assert!(!missing.contains_key("AWS::S3::Bucket"), "{missing:?}");
    assert!(!missing.contains_key("AWS::DynamoDB::Table"), "{missing:?}");
    assert!(!missing.contains_key("AWS::IAM::Role"), "{missing:?}");
}

#[test]
fn intrinsics_conditions_nested_parameters_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    manifest(d, &["Consumer", "Producer"], &[("abc123.json", "Inner.nested.template.json")]);
    write(
        d,
        "Producer.template.json",
        &json!({
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
            "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
            "Resources": {
                "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
                    "TableName": {"Fn::Sub": "todo-${Stage}-${AWS::Region}"}}},
                "ProdOnly": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"},
                "Inner": {"Type": "AWS::CloudFormation::Stack", "Properties": {
                    "TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/bucket/abc123.json"]]},
                    "Parameters": {"TableArn": {"Fn::GetAtt": ["Table", "Arn"]}}}}
            },
            "Outputs": {
                "TableName": {"Value": {"Ref": "Table"}, "Export": {"Name": "shared-table"}},
                "Inner": {"Value": {"Fn::GetAtt": ["Inner", "Outputs.Derived"]}}
            }
        }),
    );
    write(
        d,
        "Inner.nested.template.json",
        &json!({
            "Parameters": {"TableArn": {"Type": "String"}},
            "Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {
                "Name": {"Fn::Select": [1, {"Fn::Split": [":", {"Ref": "TableArn"}]}]},
                "Optional": {"Fn::If": ["Never", "x", {"Ref": "AWS::NoValue"}]},
                "Stack": {"Ref": "AWS::StackName"}}}},
            "Conditions": {"Never": {"Fn::Not": [{"Fn::Equals": ["a", "a"]}]}},
            "Outputs": {"Derived": {"Value": {"Fn::Sub": ["${Arn}!${!Literal}", {"Arn": {"Ref": "TableArn"}}]}}}
        }),
    );
    // Listed first but imports the producer's export: it loads after it.
    write(
        d,
        "Consumer.template.json",
        &json!({"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Environment": {"TABLE": {"Fn::ImportValue": "shared-table"}},
            "Partition": {"Fn::Sub": "${AWS::Partition}:${AWS::AccountId}"}}}}}),
    );
    let env = LocalEnv { region: "eu-west-1".into(), ..LocalEnv::default() };
    let a = Assembly::load(d, &env).unwrap();

    let table = find(&a, "Table");
    assert_eq!(table.physical_id, "todo-dev-eu-west-1");
    assert!(a.resources.iter().all(|r| r.logical_id != "ProdOnly"), "a false condition drops the resource");
    let queue = find(&a, "Queue");
    assert_eq!(queue.stack_path, "Producer/Inner");
    assert_eq!(queue.properties["Name"], "aws");
    assert!(queue.properties.get("Optional").is_none(), "AWS::NoValue drops the key");
    assert!(queue.str_property("Stack").unwrap().starts_with("Producer-Inner-"));
    let producer = a.stacks.iter().find(|s| s.name == "Producer").unwrap();
    assert_eq!(
        producer.outputs["Inner"],
        "arn:aws:dynamodb:eu-west-1:000000000000:table/todo-dev-eu-west-1!${Literal}"
    );
    let f = find(&a, "Fn");
    assert_eq!(f.properties["Environment"]["TABLE"], "todo-dev-eu-west-1");
    assert_eq!(f.properties["Partition"], "aws:000000000000");
    assert_eq!(a.not_emulated().into_iter().collect::<Vec<_>>(), [("AWS::SQS::Queue".to_string(), 1)]);
}

#[test]
fn bad_references_name_the_element_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    manifest(d, &["S"], &[]);
    write(
        d,
        "S.template.json",
        &json!({"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Ref": "Nope"}}}}}),
    );
    let err = Assembly::load(d, &LocalEnv::default()).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, AssemblyError::Template { .. }), "{err:?}");
    assert!(text.contains("S.template.json") && text.contains("Resources.T") && text.contains("`Nope`"), "{text}");

    write(
        d,
        "S.template.json",
        &json!({"Resources": {"N": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://x/missing.json"}}}}),
    );
    let text = Assembly::load(d, &LocalEnv::default()).unwrap_err().to_string();
    assert!(text.contains("https://x/missing.json names no file asset"), "{text}");

    manifest(d, &["S"], &[]);
    write(
        d,
        "S.template.json",
        &json!({"Resources": {"F": {"Type": "AWS::Lambda::Function", "Properties": {"E": {"Fn::ImportValue": "absent"}}}}}),
    );
    let text = Assembly::load(d, &LocalEnv::default()).unwrap_err().to_string();
    assert!(text.contains("no stack exports `absent`"), "{text}");

    std::fs::write(d.join("manifest.json"), "{").unwrap();
    let text = Assembly::load(d, &LocalEnv::default()).unwrap_err().to_string();
    assert!(text.contains("manifest.json"), "{text}");
}

/// `ampx dev` run in a project finds its assembly at a relative path
/// (`.amplify/artifacts/cdk.out`); the assets it hands to functions, which run
/// in their own directories, must still be found from there.
#[test]
fn assets_of_an_assembly_at_a_relative_path_are_absolute() {
    let assembly = assembly_support::chat_assembly();
    let cwd = std::env::current_dir().unwrap();
    let up: std::path::PathBuf = cwd.components().skip(1).map(|_| "..").collect();
    let relative = up.join(assembly.path().strip_prefix("/").unwrap());
    assert!(relative.is_relative() && relative.is_dir(), "{}", relative.display());
    let loaded = Assembly::load(&relative, &LocalEnv::default()).unwrap();
    let mut functions = 0;
    for function in loaded.of_type("AWS::Lambda::Function") {
        let Some(code) = function.properties.get("Code") else { continue };
        let (Some(bucket), Some(key)) = (code["S3Bucket"].as_str(), code["S3Key"].as_str()) else { continue };
        let path = loaded.asset_path(&format!("s3://{bucket}/{key}")).expect("the function's code is an asset");
        assert!(path.is_absolute() && path.is_dir(), "{}", path.display());
        functions += 1;
    }
    assert!(functions >= 2, "the chat backend has say-hello and post-confirmation, found {functions}");
}
