//! The local S3 service served on a free port for a test, AWS's S3 client
//! configured for it, and the assemblies the tests serve: a hand-written one
//! with plain IAM roles, examples/chat's, and one with group rules.

use std::path::Path;
use std::sync::Arc;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use local::assembly::{Assembly, LocalEnv};
use local::s3::{LocalS3, Principal, S3Options, StaticPrincipals};
use serde_json::{json, Value};

/// A running service; the server stops when this is dropped.
pub struct Served {
    pub s3: LocalS3,
    pub principals: Arc<StaticPrincipals>,
    pub endpoint: String,
    _data: Option<tempfile::TempDir>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Serves `assembly` from a fresh data directory. The backend serves TLS;
/// these tests talk plain HTTP to the service behind it, so `secure` says
/// what the request context reports.
pub async fn serve(assembly: &Assembly, secure: bool) -> Served {
    let data = tempfile::tempdir().unwrap();
    let mut served = serve_in(assembly, secure, data.path()).await;
    served._data = Some(data);
    served
}

/// Serves `assembly` with the store in `dir`.
pub async fn serve_in(assembly: &Assembly, secure: bool, dir: &Path) -> Served {
    let principals = Arc::new(StaticPrincipals::new());
    let options = S3Options { secure_transport: secure, ..S3Options::default() };
    let s3 = LocalS3::open(dir, assembly, principals.clone(), options).expect("the S3 service opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let app = s3.router();
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Served { s3, principals, endpoint, _data: None, server }
}

/// AWS's S3 client, path-style, signing as `p`.
pub fn client(endpoint: &str, p: &Principal) -> aws_sdk_s3::Client {
    let creds = Credentials::new(
        p.access_key_id.clone(),
        p.secret_access_key.clone(),
        p.session_token.clone(),
        None,
        "local-test",
    );
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .force_path_style(true)
        .credentials_provider(creds)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// The S3 error code of a failed call.
pub fn code<E, R>(e: &aws_sdk_s3::error::SdkError<E, R>) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match e {
        aws_sdk_s3::error::SdkError::ServiceError(s) => s.err().code().unwrap_or("<no code>").to_string(),
        other => format!("<not a service error: {other:?}>"),
    }
}

/// The HTTP status of a failed call.
pub fn status<E>(e: &aws_sdk_s3::error::SdkError<E, aws_sdk_s3::config::http::HttpResponse>) -> u16 {
    e.raw_response().map_or(0, |r| r.status().as_u16())
}

/// Loads the assembly in `dir`.
pub fn load(dir: &Path) -> Assembly {
    Assembly::load(dir, &LocalEnv::default()).expect("the assembly loads")
}

fn arn_of(bucket: &str, suffix: &str) -> Value {
    json!({"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, suffix]]})
}

fn role(name: &str) -> Value {
    json!({"Type": "AWS::IAM::Role", "Properties": {"RoleName": name,
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}})
}

/// A hand-written assembly: bucket `ops.local` (CORS for one origin), role
/// `admin` (`s3:*` on it, inline), role `reader` (GetObject under `public/`
/// but not `public/secret*`, by an `AWS::IAM::Policy`; ListBucket by a
/// managed policy).
pub fn ops_assembly() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut admin = role("admin");
    admin["Properties"]["Policies"] = json!([{"PolicyName": "all", "PolicyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": ["Bucket", "Arn"]}, arn_of("Bucket", "/*")]}]}}]);
    let mut reader = role("reader");
    reader["Properties"]["ManagedPolicyArns"] = json!([{"Ref": "ListPolicy"}]);
    let template = json!({"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "ops.local",
            "CorsConfiguration": {"CorsRules": [{"AllowedOrigins": ["http://localhost:5173"],
                "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposedHeaders": ["ETag"], "MaxAge": 600}]}}},
        "AdminRole": admin,
        "ReaderRole": reader,
        "ReaderPolicy": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "read", "Roles": [{"Ref": "ReaderRole"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": arn_of("Bucket", "/public/*")},
                {"Effect": "Deny", "Action": "s3:Get*", "Resource": arn_of("Bucket", "/public/secret*")},
                {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}}},
        "ListPolicy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": {"Fn::GetAtt": ["Bucket", "Arn"]}}]}}}
    }});
    std::fs::write(dir.path().join("Ops.template.json"), serde_json::to_string_pretty(&template).unwrap()).unwrap();
    let manifest = json!({"version": "36.0.0", "artifacts": {"Ops": {"type": "aws:cloudformation:stack",
        "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "Ops.template.json"}}}});
    std::fs::write(dir.path().join("manifest.json"), manifest.to_string()).unwrap();
    dir
}

/// The role ARNs of the assembly's identity pool attachment: (authenticated, unauthenticated).
pub fn identity_pool_roles(assembly: &Assembly) -> (String, String) {
    let attachment = assembly.of_type("AWS::Cognito::IdentityPoolRoleAttachment").next().expect("an identity pool");
    let roles = &attachment.properties["Roles"];
    (roles["authenticated"].as_str().unwrap().to_string(), roles["unauthenticated"].as_str().unwrap().to_string())
}

/// The role ARN of the user pool group `name`.
pub fn group_role(assembly: &Assembly, name: &str) -> String {
    let group = assembly
        .of_type("AWS::Cognito::UserPoolGroup")
        .find(|g| g.str_property("GroupName") == Some(name))
        .unwrap_or_else(|| panic!("no group {name}"));
    group.str_property("RoleArn").expect("the group has a role").to_string()
}

/// The execution role ARN of the function whose logical id starts with `prefix`.
pub fn function_role(assembly: &Assembly, prefix: &str) -> String {
    let f = assembly
        .of_type("AWS::Lambda::Function")
        .find(|f| f.logical_id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no function {prefix}*"));
    f.str_property("Role").expect("the function has a role").to_string()
}

/// The one bucket whose name starts with `prefix`.
pub fn bucket(s3: &LocalS3, prefix: &str) -> String {
    s3.buckets().into_keys().find(|b| b.starts_with(prefix)).unwrap_or_else(|| panic!("no bucket {prefix}*"))
}

/// Puts an object straight into the store, past every rule.
pub fn seed(s3: &LocalS3, bucket: &str, key: &str, bytes: &[u8]) {
    let (blob, path) = s3.store().new_blob();
    std::fs::write(&path, bytes).unwrap();
    let meta = local::s3::store::ObjectMeta {
        size: bytes.len() as u64,
        etag: "seeded".into(),
        last_modified_ms: 0,
        headers: Default::default(),
        blob,
    };
    s3.store().put(bucket, key, &meta).unwrap();
}
