//! define_function's template: the reference's say-hello (same logical IDs and
//! properties as Amplify's), settings, schedules, logging, the root output and
//! the code asset staged under its content hash.

use crate::function_support;

use amplify_backend::function::{define_function, Architecture, FunctionLogging, FunctionProps, LogLevel, Runtime};
use function_support::*;
use serde_json::json;

#[test]
fn say_hello_matches_the_reference_function() {
    let backend = backend((say_hello(),));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    let lambda = &t["Resources"]["sayhellolambdaEFA46D92"];
    let role = &t["Resources"]["sayhellolambdaServiceRole4BCAA6E2"];
    assert_eq!(lambda["Type"], "AWS::Lambda::Function");
    assert_eq!(role["Type"], "AWS::IAM::Role");
    let p = &lambda["Properties"];
    assert_eq!(p["Architectures"], json!(["x86_64"]));
    assert_eq!(p["EphemeralStorage"], json!({"Size": 512}));
    assert_eq!(p["Handler"], "index.handler");
    assert_eq!(p["MemorySize"], 512);
    assert_eq!(p["Runtime"], "nodejs22.x");
    assert_eq!(p["Timeout"], 3);
    assert_eq!(p["Role"], json!({"Fn::GetAtt": ["sayhellolambdaServiceRole4BCAA6E2", "Arn"]}));
    assert_eq!(p["Environment"], json!({"Variables": {"AMPLIFY_SSM_ENV_CONFIG": "{}"}}));
    // The role's GetAtt orders the two; the reference's extra DependsOn is what
    // cfn-lint flags as redundant (W3005), so it is left out.
    assert!(lambda.get("DependsOn").is_none());
    assert!(p.get("FunctionName").is_none(), "CloudFormation names the function, as in Amplify");
    let tags = json!([
        {"Key": "amplify:deployment-type", "Value": "sandbox"},
        {"Key": "amplify:friendly-name", "Value": "say-hello"},
        {"Key": "created-by", "Value": "amplify"}
    ]);
    assert_eq!(p["Tags"], tags);
    assert_eq!(role["Properties"]["Tags"], tags);
    // The reference's role, as Amplify writes it.
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"],
        json!({
            "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}],
            "Version": "2012-10-17"
        })
    );
    assert_eq!(
        role["Properties"]["ManagedPolicyArns"],
        json!([{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]}])
    );
    // No policy until something needs one.
    assert!(of_type(t, "AWS::IAM::Policy").is_empty());
}

#[test]
fn defined_functions_is_a_json_list_of_deployed_names() {
    let other =
        define_function(FunctionProps { name: "other".into(), entry: fixture("node-dir"), ..Default::default() });
    let backend = backend((say_hello(), other));
    let out = synth(&backend);
    let root = root(&out);
    assert_eq!(
        root["Metadata"]["AWS::Amplify::Function"],
        json!({"version": "1", "stackOutputs": ["definedFunctions"]})
    );
    let join = &root["Outputs"]["definedFunctions"]["Value"]["Fn::Join"];
    assert_eq!(join[0], "");
    let parts = join[1].as_array().unwrap();
    assert_eq!(parts[0], "[\"");
    assert_eq!(parts[1]["Fn::GetAtt"][0], "function1351588B");
    // The reference's nested output name for say-hello's function.
    assert_eq!(
        parts[1]["Fn::GetAtt"][1],
        "Outputs.amplifychatappdevsandboxde98f094bcfunctionsayhellolambda008DA86CRef"
    );
    assert_eq!(parts[2], "\",\"");
    assert_eq!(parts[4], "\"]");
    assert_eq!(backend.functions().len(), 2);
    assert_eq!(backend.functions().get("other").unwrap().name(), "other");
    assert!(backend.functions().get("missing").is_none());
}

#[test]
fn the_code_is_a_zip_asset_named_by_its_content() {
    let backend = backend((say_hello(),));
    let dir = scratch("asset-out");
    let _ = std::fs::remove_dir_all(&dir);
    backend.app().set_outdir(&dir);
    let out = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let f = backend.functions().get("say-hello").unwrap();
    let asset = f.resources().code.expect("an asset");
    let staged = dir.join(format!("asset.{}", asset.hash()));
    // Only the bundle and its source map are deployed, not the TypeScript.
    let mut names: Vec<String> =
        std::fs::read_dir(&staged).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    names.sort();
    assert_eq!(names, ["index.mjs", "index.mjs.map"]);
    assert_eq!(asset.hash(), dir_hash(&staged), "the hash is the content's");
    let t = nested(&out, &backend, "function");
    let code = &t["Resources"]["sayhellolambdaEFA46D92"]["Properties"]["Code"];
    assert_eq!(code["S3Key"], format!("{}.zip", asset.hash()));
    assert_eq!(code["S3Bucket"], json!({"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{ROOT}.assets.json"))).unwrap()).unwrap();
    let entry = &manifest["files"][asset.hash()];
    assert_eq!(entry["source"], json!({"path": format!("asset.{}", asset.hash()), "packaging": "zip"}));
    assert_eq!(entry["displayName"], format!("{ROOT}/function/say-hello-lambda/Code"));
    // A change of code is a new asset.
    let copy = scratch("asset-changed");
    std::fs::write(copy.join("handler.mjs"), "export const handler = async () => 'changed';").unwrap();
    let changed = backend_with_entry(copy.join("handler.mjs"));
    assert_ne!(changed.functions().get("say-hello").unwrap().resources().code.unwrap().hash(), asset.hash());
}

fn backend_with_entry(entry: std::path::PathBuf) -> amplify_backend::Backend<impl Sized> {
    backend((define_function(FunctionProps { name: "say-hello".into(), entry, ..Default::default() }),))
}

#[test]
fn settings_environment_and_layers_reach_the_function() {
    let f = define_function(
        FunctionProps {
            name: "worker".into(),
            entry: fixture("python-hello/handler.py"),
            runtime: Some(Runtime::Python3_12),
            architecture: Architecture::Arm64,
            memory_mb: Some(1024),
            timeout_seconds: Some(60),
            ephemeral_storage_size_mb: Some(2048),
            layers: vec!["arn:aws:lambda:us-east-1:123456789012:layer:deps:3".into()],
            ..Default::default()
        }
        .env("STAGE", "dev")
        .env("REGION", constructs::Aws::region()),
    );
    let backend = backend((f,));
    let out = synth(&backend);
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    let p = &lambda["Properties"];
    assert_eq!(p["Runtime"], "python3.12");
    assert_eq!(p["Handler"], "handler.handler");
    assert_eq!(p["Architectures"], json!(["arm64"]));
    assert_eq!((p["MemorySize"].clone(), p["Timeout"].clone()), (json!(1024), json!(60)));
    assert_eq!(p["EphemeralStorage"]["Size"], 2048);
    assert_eq!(p["Layers"], json!(["arn:aws:lambda:us-east-1:123456789012:layer:deps:3"]));
    assert_eq!(
        p["Environment"]["Variables"],
        json!({"STAGE": "dev", "REGION": {"Ref": "AWS::Region"}, "AMPLIFY_SSM_ENV_CONFIG": "{}"})
    );
}

#[test]
fn a_directory_is_deployed_whole_with_its_found_handler() {
    let f = define_function(FunctionProps { name: "dir".into(), entry: fixture("node-dir"), ..Default::default() });
    let backend = backend((f,));
    let out = synth(&backend);
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "index.handler");
    let asset = backend.functions().get("dir").unwrap().resources().code.unwrap();
    assert_eq!(asset.hash(), dir_hash(&fixture("node-dir")));
}

#[test]
fn schedules_become_rules_that_may_invoke_the_function() {
    let f = define_function(FunctionProps {
        name: "cleanup".into(),
        entry: fixture("say-hello/handler.ts"),
        schedule: vec!["every 5m".into(), "0 12 * * ? *".into(), "rate(1 day)".into()],
        ..Default::default()
    });
    let backend = backend((f,));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    let (fn_id, _) = one(t, "AWS::Lambda::Function");
    let rules = of_type(t, "AWS::Events::Rule");
    let expressions: Vec<&str> =
        rules.iter().map(|(_, r)| r["Properties"]["ScheduleExpression"].as_str().unwrap()).collect();
    assert_eq!(expressions, ["cron(*/5 * * * ? *)", "cron(0 12 * * ? *)", "rate(1 day)"]);
    for (id, rule) in &rules {
        assert_eq!(rule["Properties"]["State"], "ENABLED");
        assert_eq!(rule["Properties"]["Targets"], json!([{"Arn": {"Fn::GetAtt": [fn_id, "Arn"]}, "Id": "Target0"}]));
        let permission = of_type(t, "AWS::Lambda::Permission")
            .into_iter()
            .find(|(_, p)| p["Properties"]["SourceArn"] == json!({"Fn::GetAtt": [id, "Arn"]}))
            .expect("a permission for each rule");
        assert_eq!(permission.1["Properties"]["Principal"], "events.amazonaws.com");
        assert_eq!(permission.1["Properties"]["Action"], "lambda:InvokeFunction");
        assert_eq!(permission.1["Properties"]["FunctionName"], json!({"Fn::GetAtt": [fn_id, "Arn"]}));
    }
    assert_eq!(backend.functions().get("cleanup").unwrap().resources().schedules.len(), 3);
}

#[test]
fn log_retention_is_a_log_group_the_function_logs_to() {
    let f = define_function(FunctionProps {
        name: "logged".into(),
        entry: fixture("say-hello/handler.ts"),
        logging: FunctionLogging { retention_days: Some(14), level: Some(LogLevel::Warn), ..Default::default() },
        ..Default::default()
    });
    let backend = backend((f,));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    let (group_id, group) = one(t, "AWS::Logs::LogGroup");
    assert_eq!(group["Properties"]["RetentionInDays"], 14);
    let (_, lambda) = one(t, "AWS::Lambda::Function");
    assert_eq!(
        lambda["Properties"]["LoggingConfig"],
        json!({"ApplicationLogLevel": "WARN", "LogFormat": "JSON", "LogGroup": {"Ref": group_id}})
    );
    // Without logging settings there is no log group and no LoggingConfig.
    let plain = backend_with_entry(fixture("say-hello/handler.ts"));
    let out = synth(&plain);
    let t = nested(&out, &plain, "function");
    assert!(of_type(t, "AWS::Logs::LogGroup").is_empty());
    assert!(one(t, "AWS::Lambda::Function").1["Properties"].get("LoggingConfig").is_none());
}

#[test]
fn resources_can_be_overridden() {
    let backend = backend((say_hello(),));
    let r = backend.functions().get("say-hello").unwrap().resources();
    r.lambda.add_property_override("ReservedConcurrentExecutions", 5);
    r.lambda.props_mut().description = Some("says hello".into());
    let out = synth(&backend);
    let p = &nested(&out, &backend, "function")["Resources"]["sayhellolambdaEFA46D92"]["Properties"];
    assert_eq!(p["ReservedConcurrentExecutions"], 5);
    assert_eq!(p["Description"], "says hello");
}
