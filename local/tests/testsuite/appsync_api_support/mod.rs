//! A small assembly with one AppSync API, a fake APPSYNC_JS runtime whose
//! "code" names a Rust behaviour, a fake token verifier and a recording
//! DynamoDB store, for the data API tests.
#![allow(dead_code)]
// The runtime callback's error type is fixed by the runtime's contract.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use local::appsync::datasource::DynamoApi;
use local::appsync::runtime::{
    CompiledCode, DataSourceRef, Invoke, ResolverCode, ResolverContext, ResolverOutcome, ResolverRuntime,
};
use local::appsync::{DataApi, GraphQlError, Services, TokenVerifier};
use local::assembly::{Assembly, LocalEnv};
use serde_json::{json, Map, Value};

pub const SDL: &str = r#"
type Note @aws_api_key @aws_cognito_user_pools {
  id: ID!
  text: String
  owner: String
  secret: String @aws_cognito_user_pools(cognito_groups: ["Admins"])
  meta: AWSJSON
  at: AWSDateTime
}
type Query {
  echo(text: String, when: AWSDateTime, json: AWSJSON): Note @aws_api_key
  mine: Note @aws_cognito_user_pools
  fails: Note @aws_api_key
  partial: Note @aws_api_key
  defaultOnly: String
  getNote(id: ID!): Note @aws_api_key
  pipe: [String] @aws_api_key
  notes: [Note] @aws_api_key
  broken: Note @aws_api_key
  args(input: NoteInput, raw: AWSJSON, n: Int): Note @aws_api_key
}
input NoteInput {
  meta: AWSJSON
  tags: [TagInput]
  name: String
}
input TagInput {
  data: AWSJSON
}
type Mutation {
  addNote(id: ID!, text: String, owner: String, secret: String): Note @aws_api_key @aws_cognito_user_pools
}
type Subscription {
  onAddNote(owner: String): Note @aws_subscribe(mutations: ["addNote"]) @aws_api_key @aws_cognito_user_pools
  onAddMine: Note @aws_subscribe(mutations: ["addNote"]) @aws_cognito_user_pools
}
"#;

/// The fake runtime: each resolver's code is a behaviour name.
pub struct FakeRuntime;

fn outcome(result: Value) -> ResolverOutcome {
    ResolverOutcome { result, ..ResolverOutcome::default() }
}

impl ResolverRuntime for FakeRuntime {
    fn compile(&self, name: &str, code: &str) -> Result<CompiledCode, String> {
        if code.contains("syntax error") {
            return Err(format!("{name}: 1:1 unexpected token"));
        }
        Ok(Arc::new(code.to_string()))
    }

    fn run(
        &self,
        resolver: &ResolverCode,
        ctx: ResolverContext,
        invoke: &mut Invoke<'_>,
    ) -> Result<ResolverOutcome, String> {
        let (code, source) = match resolver {
            ResolverCode::Unit { code, data_source } => (code.clone(), data_source.clone()),
            // A pipeline: each function's code is `step:<label>`; its request
            // carries the labels so far to its data source.
            ResolverCode::Pipeline { functions, .. } => {
                let mut prev = json!([]);
                for (code, source) in functions {
                    let label =
                        code.downcast_ref::<String>().expect("fake code").trim_start_matches("step:").to_string();
                    let mut labels = prev.as_array().cloned().unwrap_or_default();
                    labels.push(json!(label));
                    let request = json!({"payload": labels});
                    prev = match source {
                        DataSourceRef::None => request["payload"].clone(),
                        DataSourceRef::Named(n) => invoke(n, request).map_err(|e| e.message)?,
                    };
                }
                return Ok(outcome(prev));
            }
        };
        let code = code.downcast_ref::<String>().expect("fake code").clone();
        let mut call = |request: Value| -> Result<Value, GraphQlError> {
            match &source {
                DataSourceRef::None => Ok(request["payload"].clone()),
                DataSourceRef::Named(n) => invoke(n, request),
            }
        };
        Ok(match code.trim() {
            // The request's payload is the arguments and who asked.
            "echo" => {
                let mut args = ctx.arguments.as_object().cloned().unwrap_or_default();
                args.insert("id".into(), json!("e1"));
                args.insert("owner".into(), json!(ctx.auth_type.auth_type()));
                args.insert(
                    "meta".into(),
                    json!({"env": ctx.env.value(), "selection": ctx.info.selection_set_list, "json": args.get("json")}),
                );
                outcome(call(json!({"payload": Value::Object(args)})).map_err(|e| e.message)?)
            }
            "mine" => {
                let id = ctx.identity.as_ref().map(|i| i.value().clone()).unwrap_or(Value::Null);
                outcome(
                    json!({"id": id["sub"], "owner": id["username"], "secret": "s3cret", "text": ctx.request_headers.value()["x-test"]}),
                )
            }
            "fails" => ResolverOutcome {
                result: Value::Null,
                errors: vec![GraphQlError {
                    message: "no such note".into(),
                    error_type: Some("NotFound".into()),
                    data: Some(json!({"id": 7})),
                    error_info: Some(json!({"hint": "create it"})),
                }],
                ..Default::default()
            },
            "partial" => ResolverOutcome {
                result: json!({"id": "p", "text": "kept"}),
                errors: vec![GraphQlError::new("appended", "Warning")],
                ..Default::default()
            },
            "get" => {
                let request = json!({"operation": "GetItem", "key": {"id": {"S": ctx.arguments["id"]}}});
                match call(request) {
                    Ok(v) => outcome(v),
                    Err(e) => ResolverOutcome { result: Value::Null, errors: vec![e], ..Default::default() },
                }
            }
            // Items missing the non-null `id`.
            "list" => outcome(json!([{"id": "1", "text": "a"}, {"text": "no id"}])),
            "broken" => outcome(json!({"text": "no id"})),
            // The arguments as the resolver sees them.
            "args" => outcome(json!({"id": "a", "meta": ctx.arguments})),
            "add" => outcome(call(json!({"payload": ctx.arguments})).map_err(|e| e.message)?),
            // Subscriptions: `owner-filter` limits to the caller's notes.
            "owner-filter" => {
                let username = ctx.identity.as_ref().map(|i| i.value()["username"].clone()).unwrap_or(Value::Null);
                ResolverOutcome {
                    result: Value::Null,
                    subscription_filter: Some(
                        json!({"filterGroup": [{"filters": [{"fieldName": "owner", "operator": "eq", "value": username}]}]}),
                    ),
                    ..Default::default()
                }
            }
            other => return Err(format!("fake runtime has no behaviour `{other}`")),
        })
    }
}

/// Tokens are `user:<name>:<group,group>`; `expired` is expired.
pub struct FakeVerifier;

impl TokenVerifier for FakeVerifier {
    fn verify(&self, token: &str) -> Result<Map<String, Value>, String> {
        if token == "expired.token.x" {
            return Err("Token expired".into());
        }
        let parts: Vec<&str> = token.split(':').collect();
        if parts.len() != 3 || parts[0] != "user" {
            return Err("invalid signature".into());
        }
        let groups: Vec<&str> = parts[2].split(',').filter(|g| !g.is_empty()).collect();
        let mut claims = Map::new();
        claims.insert("sub".into(), json!(format!("sub-{}", parts[1])));
        claims.insert("cognito:username".into(), json!(parts[1]));
        claims.insert("iss".into(), json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local"));
        if !groups.is_empty() {
            claims.insert("cognito:groups".into(), json!(groups));
        }
        Ok(claims)
    }
}

/// A canned store answer: the response body or (error kind, message).
pub type Answer = Result<Value, (String, String)>;

/// Records each DynamoDB call and answers from a map of operation to response.
#[derive(Default)]
pub struct RecordingStore {
    pub calls: Mutex<Vec<(String, Value)>>,
    pub answers: Mutex<HashMap<String, Answer>>,
}

impl DynamoApi for RecordingStore {
    fn execute(&self, operation: &str, request: &Value) -> Result<Value, (String, String)> {
        self.calls.lock().unwrap().push((operation.to_string(), request.clone()));
        self.answers.lock().unwrap().get(operation).cloned().unwrap_or(Ok(json!({})))
    }
}

fn write(dir: &Path, name: &str, value: &Value) {
    std::fs::write(dir.join(name), serde_json::to_string_pretty(value).unwrap()).unwrap();
}

fn resolver(type_name: &str, field: &str, code: &str, ds: &str) -> Value {
    json!({"Type": "AWS::AppSync::Resolver", "Properties": {
        "ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "TypeName": type_name, "FieldName": field, "Kind": "UNIT",
        "DataSourceName": {"Fn::GetAtt": [ds, "Name"]}, "Code": code,
        "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"}}})
}

/// Writes the test assembly: API key default, user pools additional; one
/// valid key, one expired; NONE and DynamoDB data sources. `extra` resources
/// are added to the template.
pub fn write_assembly(dir: &Path, extra: Value) {
    write_assembly_with_assets(dir, extra, &[]);
}

/// As [`write_assembly`], with file assets `(object key, file name, text)`.
pub fn write_assembly_with_assets(dir: &Path, extra: Value, assets: &[(&str, &str, &str)]) {
    let mut files = Map::new();
    for (key, file, text) in assets {
        std::fs::write(dir.join(file), text).unwrap();
        files.insert(
            key.to_string(),
            json!({"source": {"path": file, "packaging": "file"},
                   "destinations": {"d": {"bucketName": "cdk-assets", "objectKey": key}}}),
        );
    }
    write(dir, "Api.assets.json", &json!({"version": "55.0.0", "files": files}));
    write(
        dir,
        "manifest.json",
        &json!({"version": "55.0.0", "artifacts": {
        "Api.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Api.assets.json"}},
        "Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}}}}),
    );
    let mut resources = json!({
        "Api": {"Type": "AWS::AppSync::GraphQLApi", "Properties": {
            "Name": "notes", "AuthenticationType": "API_KEY",
            "AdditionalAuthenticationProviders": [{"AuthenticationType": "AMAZON_COGNITO_USER_POOLS",
                "UserPoolConfig": {"UserPoolId": "us-east-1_local"}}],
            "EnvironmentVariables": {"STAGE": "local"}}},
        "Schema": {"Type": "AWS::AppSync::GraphQLSchema", "Properties": {"ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "Definition": SDL}},
        "Key": {"Type": "AWS::AppSync::ApiKey", "Properties": {"ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "Expires": 4102444800u64}},
        "OldKey": {"Type": "AWS::AppSync::ApiKey", "Properties": {"ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "Expires": 1000}},
        "None": {"Type": "AWS::AppSync::DataSource", "Properties": {"ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "Name": "NONE_DS", "Type": "NONE"}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
        "Notes": {"Type": "AWS::AppSync::DataSource", "Properties": {"ApiId": {"Fn::GetAtt": ["Api", "ApiId"]}, "Name": "NotesTable", "Type": "AMAZON_DYNAMODB",
            "DynamoDBConfig": {"TableName": {"Ref": "Table"}, "AwsRegion": {"Ref": "AWS::Region"}}}},
        "R1": resolver("Query", "echo", "echo", "None"),
        "R2": resolver("Query", "mine", "mine", "None"),
        "R3": resolver("Query", "fails", "fails", "None"),
        "R4": resolver("Query", "partial", "partial", "None"),
        "R5": resolver("Query", "getNote", "get", "Notes"),
        "R6": resolver("Mutation", "addNote", "add", "None"),
        "R7": resolver("Subscription", "onAddMine", "owner-filter", "None"),
        "R8": resolver("Query", "args", "args", "None"),
        "R9": resolver("Query", "notes", "list", "None"),
        "R10": resolver("Query", "broken", "broken", "None"),
    });
    if let Value::Object(extra) = extra {
        resources.as_object_mut().unwrap().extend(extra);
    }
    write(dir, "Api.template.json", &json!({"Resources": resources}));
}

pub struct TestApi {
    pub dir: tempfile::TempDir,
    pub api: DataApi,
    pub assembly: Assembly,
    pub store: Arc<RecordingStore>,
}

impl TestApi {
    pub fn key(&self) -> String {
        self.assembly
            .resources
            .iter()
            .find(|r| r.logical_id == "Key")
            .unwrap()
            .str_attribute("ApiKey")
            .unwrap()
            .to_string()
    }
    pub fn old_key(&self) -> String {
        self.assembly
            .resources
            .iter()
            .find(|r| r.logical_id == "OldKey")
            .unwrap()
            .str_attribute("ApiKey")
            .unwrap()
            .to_string()
    }
}

pub fn services(store: Arc<RecordingStore>) -> Services {
    Services { store, tokens: Some(Arc::new(FakeVerifier)), runtime: Arc::new(FakeRuntime), iam: None, lambda: None }
}

pub fn test_api() -> TestApi {
    let dir = tempfile::tempdir().unwrap();
    write_assembly(dir.path(), json!({}));
    let assembly = Assembly::load(dir.path(), &LocalEnv::default()).unwrap();
    let store = Arc::new(RecordingStore::default());
    let api = DataApi::from_assembly(&assembly, services(store.clone())).unwrap();
    TestApi { dir, api, assembly, store }
}

/// Posts a query with the given headers through `DataApi::handle`.
pub async fn post(api: &DataApi, headers: &[(&str, &str)], body: Value) -> (u16, Value) {
    let map: Map<String, Value> = headers.iter().map(|(k, v)| (k.to_lowercase(), json!(v))).collect();
    let lookup = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.to_string());
    let r = api.handle(&lookup, Value::Object(map), body.to_string().as_bytes()).await;
    (r.status, r.body)
}
