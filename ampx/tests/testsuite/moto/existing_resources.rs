//! Connecting to existing resources, deployed by our ampx to moto: storage over
//! an existing bucket, and custom queries on data sources over an existing
//! DynamoDB table, an HTTP endpoint and an existing Lambda function. The
//! existing resources are made first, by a stack of their own; the backend
//! creates no bucket, hands the existing one to its function (directly and as
//! Amplify's SSM resource reference), lists it in the outputs, and deleting the
//! sandbox leaves every existing resource in place.
//!
//! `reference_auth` is not deployed here: its initializer is a Lambda-backed
//! custom resource (it reads the existing pool, client, identity pool and roles
//! at deploy time), and moto runs Lambda code only in Docker, which the test
//! machines do not run; moto's Cognito also lacks `GetIdentityPoolRoles`, which
//! the initializer calls. Its templates are checked by cfn-lint and the
//! assertions tests of amplify-backend (auth_reference).

use super::*;

use constructs::{App, AppProps};

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps, HttpDataSourceOptions};
use amplify_backend::function::{define_function, FunctionProps};
use amplify_backend::storage::{access, define_storage, ExistingBucket, StorageAction::*, StorageProps};
use amplify_backend::Backend;

const BUCKET: &str = "acme-archive";
const TABLE: &str = "legacy-items";
const FUNCTION: &str = "legacy-pricing";

/// The resources that exist before the backend: a bucket with an object, a
/// table and a function, made by a CloudFormation stack of their own.
const EXISTING: &str = r#"{
  "Resources": {
    "Archive": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "acme-archive"}},
    "Items": {"Type": "AWS::DynamoDB::Table", "Properties": {
      "TableName": "legacy-items",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "BillingMode": "PAY_PER_REQUEST"}},
    "PricingRole": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
    "Pricing": {"Type": "AWS::Lambda::Function", "Properties": {
      "FunctionName": "legacy-pricing", "Runtime": "nodejs20.x", "Handler": "index.handler",
      "Role": {"Fn::GetAtt": ["PricingRole", "Arn"]},
      "Code": {"ZipFile": "exports.handler = async () => 42;"}}}
  },
  "Outputs": {"PricingArn": {"Value": {"Fn::GetAtt": ["Pricing", "Arn"]}}}
}"#;

/// An APPSYNC_JS handler file in `dir`.
fn handler(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.js"));
    let code = "export function request(ctx) { return { operation: 'Invoke', payload: ctx.args }; }\n\
                export function response(ctx) { return ctx.result; }\n";
    std::fs::write(&path, code).unwrap();
    path
}

/// The backend: auth, a function that reads the archive, storage over the
/// existing bucket, and custom queries on the three kinds of existing source.
fn synth(assembly: &Path, code: &Path, pricing_arn: &str) {
    let app = App::with_props(AppProps {
        outdir: Some(assembly.to_path_buf()),
        context: [
            ("amplify-backend-type".to_string(), serde_json::json!("sandbox")),
            ("amplify-backend-namespace".to_string(), serde_json::json!("legacyapp")),
            ("amplify-backend-name".to_string(), serde_json::json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    std::fs::write(code.join("reader.mjs"), "export const handler = async () => process.env.ARCHIVE_BUCKET_NAME;\n")
        .unwrap();
    let reader =
        define_function(FunctionProps { name: "reader".into(), entry: code.join("reader.mjs"), ..Default::default() });
    let storage = define_storage(StorageProps {
        name: "archive".into(),
        existing_bucket: Some(ExistingBucket::named(BUCKET)),
        access: access(|allow| {
            vec![("reports/*", vec![allow.authenticated.to([Read]), allow.resource(&reader).to([Read])])]
        }),
        ..Default::default()
    });
    let query = |ret: amplify_backend::data::Field, source: &str| {
        a::query()
            .returns(ret)
            .handler(a::handler::custom((source, handler(code, source))))
            .authorization(|allow| [allow.authenticated()])
    };
    let schema = a::schema([
        ("price", query(a::float(), "Pricing")),
        ("legacyItem", query(a::json(), "Legacy")),
        ("status", query(a::json(), "Status")),
    ]);
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() })
            .add_lambda_data_source("Pricing", pricing_arn)
            .add_dynamo_db_data_source("Legacy", TABLE)
            .add_http_data_source("Status", "https://status.example.com", HttpDataSourceOptions::default());
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    if let Err(e) = Backend::build(app, (auth, reader, storage, data)).synth() {
        panic!("the backend does not synthesize: {e}");
    }
}

#[tokio::test]
async fn a_backend_over_an_existing_bucket_table_endpoint_and_function_deploys_and_leaves_them_on_delete() {
    let moto = Moto::start_for_amplify();
    moto.bootstrap().await;
    let cfn = moto.cfn().await;
    cfn.create_stack().stack_name("legacy").template_body(EXISTING).send().await.expect("the existing resources");
    let s3 = moto.s3().await;
    s3.put_object().bucket(BUCKET).key("reports/2025.csv").body(b"q,total\n".to_vec().into()).send().await.unwrap();
    let pricing_arn = stack_output(&moto, "legacy", "PricingArn").await.expect("the function's ARN");
    let buckets_before: Vec<String> =
        s3.list_buckets().send().await.unwrap().buckets().iter().filter_map(|b| b.name.clone()).collect();

    let (tmp, dir) = project("legacyapp");
    let assembly = tmp.path().join("cdk.out");
    let code = tmp.path().join("code");
    std::fs::create_dir_all(&code).unwrap();
    synth(&assembly, &code, &pricing_arn);
    let stack = sandbox_stack("legacyapp", "dev");
    let run = moto.ampx(
        &dir,
        &["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", assembly.to_str().unwrap()],
    );
    let run = run.ok();
    assert!(run.stderr.contains(&format!("{stack}: CREATE_COMPLETE")), "{}", run.stderr);

    // No bucket was created: the storage is the existing one.
    let buckets_after: Vec<String> =
        s3.list_buckets().send().await.unwrap().buckets().iter().filter_map(|b| b.name.clone()).collect();
    assert_eq!(buckets_after, buckets_before);
    let outputs: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("amplify_outputs.json")).unwrap()).unwrap();
    assert_eq!(outputs["storage"]["bucket_name"], BUCKET, "{outputs}");
    let queries = &outputs["data"]["model_introspection"]["queries"];
    for q in ["price", "legacyItem", "status"] {
        assert!(queries[q].is_object(), "no {q} in {queries}");
    }

    // The function gets the existing bucket's name, directly and through SSM.
    let lambda = moto.lambda().await;
    let functions = lambda.list_functions().send().await.unwrap();
    let reader = functions
        .functions()
        .iter()
        .find(|f| f.function_name().is_some_and(|n| n.contains("reader")))
        .expect("the reader function");
    let env = reader.environment().and_then(|e| e.variables()).expect("an environment");
    assert_eq!(env["ARCHIVE_BUCKET_NAME"], BUCKET);
    let path = BackendIdentifier::sandbox("legacyapp", "dev").resource_reference_path("ARCHIVE_BUCKET_NAME");
    let config: Json = serde_json::from_str(&env["AMPLIFY_SSM_ENV_CONFIG"]).unwrap();
    assert_eq!(config["ARCHIVE_BUCKET_NAME"]["path"], path.as_str());
    let parameter = moto.ssm().await.get_parameter().name(&path).send().await.expect("the bucket's reference");
    assert_eq!(parameter.parameter().and_then(|p| p.value()), Some(BUCKET));

    // The data stack holds the three data sources, each deployed.
    let nested = nested_stack_ids(&moto, &stack).await;
    let mut sources = Vec::new();
    for id in &nested {
        let out = cfn.list_stack_resources().stack_name(id).send().await.unwrap();
        for r in out.stack_resource_summaries() {
            if r.resource_type() == Some("AWS::AppSync::DataSource") {
                assert_eq!(r.resource_status().map(|s| s.as_str()), Some("CREATE_COMPLETE"), "{r:?}");
                sources.push(r.logical_resource_id().unwrap_or_default().to_string());
            }
        }
    }
    for name in ["Pricing", "Legacy", "Status"] {
        assert!(
            sources.iter().any(|s| s.starts_with(&format!("amplifyData{name}"))),
            "no {name} source in {sources:?}"
        );
    }

    // Deleting the sandbox leaves what existed before it.
    moto.ampx(&dir, &["sandbox", "delete", "--identifier", "dev", "--yes"]).ok();
    assert!(!stack_exists(&moto, &stack).await, "the sandbox is deleted");
    let object = s3.get_object().bucket(BUCKET).key("reports/2025.csv").send().await.expect("the archive's object");
    assert_eq!(object.body.collect().await.unwrap().into_bytes().as_ref(), b"q,total\n");
    lambda.get_function().function_name(FUNCTION).send().await.expect("the existing function");
    let legacy = cfn.list_stack_resources().stack_name("legacy").send().await.unwrap();
    let table = legacy.stack_resource_summaries().iter().find(|r| r.logical_resource_id() == Some("Items")).unwrap();
    assert_eq!(table.physical_resource_id(), Some(TABLE));
}

/// The ids of every nested stack under `stack`, at any depth.
async fn nested_stack_ids(moto: &Moto, stack: &str) -> Vec<String> {
    let cfn = moto.cfn().await;
    let (mut all, mut queue) = (Vec::new(), vec![stack.to_string()]);
    while let Some(next) = queue.pop() {
        let out = cfn.list_stack_resources().stack_name(&next).send().await.expect("resources");
        for r in out.stack_resource_summaries() {
            if r.resource_type() == Some("AWS::CloudFormation::Stack") {
                if let Some(id) = &r.physical_resource_id {
                    all.push(id.clone());
                    queue.push(id.clone());
                }
            }
        }
    }
    all
}
