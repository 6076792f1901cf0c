//! Test backends built with `constructs`: an Amplify-style root stack with S3,
//! DynamoDB, IAM and a nested stack holding a Lambda function whose code is an
//! asset.

use std::path::{Path, PathBuf};

use constructs::{
    App, AppProps, Asset, Aws, CfnOutput, CfnOutputProps, CfnResource, Construct, DefaultStackSynthesizer, NestedStack,
    Stack, StackProps, Value,
};
use serde_json::json;

/// What varies between versions of the test backend.
#[derive(Clone, Debug)]
pub struct Options {
    /// The root stack's name.
    pub stack_name: String,
    /// The function's code (the asset's only file).
    pub code: String,
    /// The function's memory.
    pub memory: u32,
    /// Adds a second bucket.
    pub archive_bucket: bool,
    /// The table's partition key.
    pub table_key: String,
    /// Adds a resource whose `Fn::GetAtt` points at a resource that does not exist.
    pub broken: bool,
    /// Adds a second top-level stack, `<stack_name>-shared`, that never changes.
    pub shared_stack: bool,
    /// The table's global secondary indexes, each keyed on an attribute of its name.
    pub indexes: Vec<String>,
    /// Declares Amplify's storage metadata (the outputs `amplify_outputs.json`
    /// needs), which makes it an Amplify backend's assembly.
    pub amplify_metadata: bool,
    /// The bootstrap qualifier (`cdk bootstrap --qualifier`), when not the default.
    pub qualifier: Option<String>,
}

impl Options {
    pub fn new(stack_name: &str) -> Options {
        Options {
            stack_name: stack_name.into(),
            code: "exports.handler = async () => 'v1';".into(),
            memory: 128,
            archive_bucket: false,
            table_key: "id".into(),
            broken: false,
            shared_stack: false,
            indexes: Vec::new(),
            amplify_metadata: false,
            qualifier: None,
        }
    }
}

/// Synthesizes the backend into `root/<name>`; returns the assembly directory.
pub fn synth(root: &Path, name: &str, o: &Options) -> PathBuf {
    let out = root.join(name);
    let code_dir = root.join(format!("{name}-code"));
    std::fs::create_dir_all(&code_dir).unwrap();
    std::fs::write(code_dir.join("index.js"), &o.code).unwrap();

    let app = App::with_props(AppProps {
        outdir: Some(out.clone()),
        default_stack_synthesizer: o.qualifier.as_deref().map(DefaultStackSynthesizer::with_qualifier),
        ..Default::default()
    });
    let stack =
        Stack::with_props(&app, "Backend", StackProps { stack_name: Some(o.stack_name.clone()), ..Default::default() });
    if o.amplify_metadata {
        stack.add_template_metadata(
            "AWS::Amplify::Storage",
            json!({"version": "1", "stackOutputs": ["storageRegion", "bucketName"]}),
        );
    }

    let bucket = CfnResource::new(&Construct::new(&stack, "Uploads"), "Resource", "AWS::S3::Bucket");
    bucket.set_property(
        "PublicAccessBlockConfiguration",
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}),
    );
    if o.archive_bucket {
        let archive = CfnResource::new(&stack, "Archive", "AWS::S3::Bucket");
        CfnOutput::new(&stack, "archiveBucketName", CfnOutputProps { value: archive.ref_(), ..Default::default() });
    }
    let table = CfnResource::new(&stack, "Todos", "AWS::DynamoDB::Table");
    table.set_property("KeySchema", json!([{"AttributeName": o.table_key, "KeyType": "HASH"}]));
    let attributes: Vec<_> = std::iter::once(&o.table_key)
        .chain(&o.indexes)
        .map(|a| json!({"AttributeName": a, "AttributeType": "S"}))
        .collect();
    table.set_property("AttributeDefinitions", json!(attributes));
    if !o.indexes.is_empty() {
        let indexes: Vec<_> = o
            .indexes
            .iter()
            .map(|i| {
                json!({"IndexName": i, "KeySchema": [{"AttributeName": i, "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"}})
            })
            .collect();
        table.set_property("GlobalSecondaryIndexes", json!(indexes));
    }
    table.set_property("BillingMode", "PAY_PER_REQUEST");

    let role = CfnResource::new(&stack, "HelloRole", "AWS::IAM::Role");
    role.set_property(
        "AssumeRolePolicyDocument",
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"Service": "lambda.amazonaws.com"}}]}),
    );

    let functions = NestedStack::new(&stack, "Functions");
    let code = Asset::new(&functions, "HelloCode", &code_dir);
    let function = CfnResource::new(&functions, "Hello", "AWS::Lambda::Function");
    function.set_property("Code", Value::object([("S3Bucket", code.bucket_name()), ("S3Key", code.object_key())]));
    function.set_property("Handler", "index.handler");
    function.set_property("Runtime", "nodejs20.x");
    function.set_property("MemorySize", o.memory);
    function.set_property("Role", role.get_att("Arn"));
    function.set_property("Environment", Value::object([("Variables", Value::object([("TABLE", table.ref_())]))]));

    CfnOutput::new(&stack, "bucketName", CfnOutputProps { value: bucket.ref_(), ..Default::default() });
    CfnOutput::new(&stack, "storageRegion", CfnOutputProps { value: Aws::region(), ..Default::default() });
    CfnOutput::new(&stack, "tableName", CfnOutputProps { value: table.ref_(), ..Default::default() });
    if o.shared_stack {
        let shared = Stack::with_props(
            &app,
            "Shared",
            StackProps { stack_name: Some(format!("{}-shared", o.stack_name)), ..Default::default() },
        );
        let queue = CfnResource::new(&shared, "Events", "AWS::SQS::Queue");
        queue.set_property("MessageRetentionPeriod", 3600);
    }
    app.synth().expect("the test backend synthesizes");
    if o.broken {
        // Synthesis refuses a reference to a missing resource (CX206), so the
        // template is broken after it, as a hand edit would break it.
        let file = out.join("Backend.template.json");
        let mut template: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        template["Resources"]["Broken"] = json!({"Type": "AWS::SQS::Queue",
            "Properties": {"QueueName": {"Fn::GetAtt": ["MissingQueue", "QueueName"]}}});
        std::fs::write(&file, template.to_string()).unwrap();
    }
    out
}
