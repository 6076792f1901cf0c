//! Local physical ids and attributes for resources, minted deterministically
//! from the stack path and logical id so they are the same on every run, and
//! which resource types the local services emulate.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Account, region and endpoints the minted values use.
#[derive(Clone, Debug)]
pub struct LocalEnv {
    /// `AWS::Region`.
    pub region: String,
    /// `AWS::AccountId`.
    pub account_id: String,
    /// The data API's URL (`GraphQLUrl`), when the caller knows its port.
    pub graphql_url: Option<String>,
}

impl Default for LocalEnv {
    fn default() -> Self {
        LocalEnv { region: "us-east-1".into(), account_id: "000000000000".into(), graphql_url: None }
    }
}

/// How the local services treat a resource type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emulation {
    /// A local service runs it.
    Emulated,
    /// It has no behaviour to run locally (roles, policies, metadata, nested
    /// stacks, which are flattened).
    Inert,
    /// Nothing runs it locally; the caller reports it by name.
    NotEmulated,
}

/// How the local services treat `resource_type`.
pub fn emulation(resource_type: &str) -> Emulation {
    match resource_type {
        "AWS::AppSync::GraphQLApi"
        | "AWS::AppSync::GraphQLSchema"
        | "AWS::AppSync::DataSource"
        | "AWS::AppSync::Resolver"
        | "AWS::AppSync::FunctionConfiguration"
        | "AWS::AppSync::ApiKey"
        | "AWS::DynamoDB::Table"
        | "AWS::Cognito::UserPool"
        | "AWS::Cognito::UserPoolClient"
        | "AWS::Cognito::UserPoolGroup"
        | "AWS::Lambda::Function"
        | "AWS::Events::Rule"
        | "AWS::Scheduler::Schedule"
        | "AWS::S3::Bucket"
        | "AWS::S3::BucketPolicy"
        | "AWS::Cognito::IdentityPool"
        | "AWS::Cognito::IdentityPoolRoleAttachment" => Emulation::Emulated,
        "AWS::CloudFormation::Stack"
        | "AWS::CDK::Metadata"
        | "AWS::IAM::Role"
        | "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::SSM::Parameter"
        | "AWS::Lambda::Permission"
        | "AWS::Logs::LogGroup" => Emulation::Inert,
        _ => Emulation::NotEmulated,
    }
}

/// A stable hex digest of the parts.
pub(crate) fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` characters from `alphabet`, chosen by the digest of `seed`.
fn chars(seed: &str, n: usize, alphabet: &[u8]) -> String {
    let bytes = Sha256::digest(seed.as_bytes());
    (0..n).map(|i| alphabet[bytes[i % bytes.len()] as usize % alphabet.len()] as char).collect()
}

const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const MIXED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// What a resource is known by locally: its `Ref` value and attributes.
#[derive(Clone, Debug)]
pub struct Minted {
    /// The physical id (what most types' `Ref` returns).
    pub physical_id: String,
    /// What `Ref` returns (the ARN for AppSync types, for instance).
    pub reference: String,
    /// `Fn::GetAtt` values known for the type.
    pub attributes: Map<String, Value>,
}

/// Mints a resource's local identity. `props` are its resolved properties.
pub fn mint(
    env: &LocalEnv,
    stack_path: &str,
    logical_id: &str,
    resource_type: &str,
    props: &Map<String, Value>,
) -> Minted {
    let seed = format!("{stack_path}/{logical_id}");
    let (region, account) = (env.region.as_str(), env.account_id.as_str());
    let named = |key: &str| props.get(key).and_then(Value::as_str).map(str::to_string);
    let short = digest(&[&seed])[..12].to_string();
    let generic = format!("{logical_id}-{short}");
    let mut attributes = Map::new();
    let mut set = |k: &str, v: String| {
        attributes.insert(k.to_string(), Value::String(v));
    };
    let (physical_id, reference) = match resource_type {
        "AWS::DynamoDB::Table" => {
            let name = named("TableName").unwrap_or(generic);
            let arn = format!("arn:aws:dynamodb:{region}:{account}:table/{name}");
            set("StreamArn", format!("{arn}/stream/1970-01-01T00:00:00.000"));
            set("Arn", arn);
            (name.clone(), name)
        }
        "AWS::Cognito::UserPool" => {
            let id = format!("{region}_{}", chars(&seed, 9, MIXED));
            set("Arn", format!("arn:aws:cognito-idp:{region}:{account}:userpool/{id}"));
            set("ProviderName", format!("cognito-idp.{region}.amazonaws.com/{id}"));
            set("ProviderURL", format!("https://cognito-idp.{region}.amazonaws.com/{id}"));
            set("UserPoolId", id.clone());
            (id.clone(), id)
        }
        "AWS::Cognito::UserPoolClient" => {
            let id = chars(&seed, 26, LOWER);
            set("ClientId", id.clone());
            set("Name", named("ClientName").unwrap_or_else(|| logical_id.to_string()));
            (id.clone(), id)
        }
        "AWS::Cognito::IdentityPool" => {
            let h = digest(&[&seed]);
            let id = format!("{region}:{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]);
            set("Name", named("IdentityPoolName").unwrap_or_else(|| logical_id.to_string()));
            (id.clone(), id)
        }
        "AWS::AppSync::GraphQLApi" => {
            let id = chars(&seed, 26, LOWER);
            let arn = format!("arn:aws:appsync:{region}:{account}:apis/{id}");
            let url = env
                .graphql_url
                .clone()
                .unwrap_or_else(|| format!("https://{id}.appsync-api.{region}.amazonaws.com/graphql"));
            let realtime = realtime_url(&url);
            set("GraphQLDns", host(&url));
            set("RealtimeDns", host(&realtime));
            set("GraphQLUrl", url);
            set("RealtimeUrl", realtime);
            set("ApiId", id.clone());
            set("Arn", arn.clone());
            (id, arn)
        }
        "AWS::AppSync::ApiKey" => {
            let key = format!("da2-{}", chars(&seed, 26, LOWER));
            let api = props.get("ApiId").and_then(Value::as_str).unwrap_or("api");
            let arn = format!("arn:aws:appsync:{region}:{account}:apis/{api}/apikeys/{key}");
            set("ApiKey", key.clone());
            set("Arn", arn.clone());
            (key, arn)
        }
        "AWS::AppSync::DataSource" => {
            let name = named("Name").unwrap_or_else(|| logical_id.to_string());
            let api = props.get("ApiId").and_then(Value::as_str).unwrap_or("api");
            let arn = format!("arn:aws:appsync:{region}:{account}:apis/{api}/datasources/{name}");
            set("Name", name);
            set("DataSourceArn", arn.clone());
            (arn.clone(), arn)
        }
        "AWS::AppSync::FunctionConfiguration" => {
            let id = chars(&seed, 26, LOWER);
            let api = props.get("ApiId").and_then(Value::as_str).unwrap_or("api");
            let arn = format!("arn:aws:appsync:{region}:{account}:apis/{api}/functions/{id}");
            set("FunctionId", id);
            set("FunctionArn", arn.clone());
            set("Name", named("Name").unwrap_or_else(|| logical_id.to_string()));
            if let Some(ds) = named("DataSourceName") {
                set("DataSourceName", ds);
            }
            (arn.clone(), arn)
        }
        "AWS::AppSync::Resolver" => {
            let api = props.get("ApiId").and_then(Value::as_str).unwrap_or("api");
            let (t, f) = (named("TypeName").unwrap_or_default(), named("FieldName").unwrap_or_default());
            let arn = format!("arn:aws:appsync:{region}:{account}:apis/{api}/types/{t}/resolvers/{f}");
            set("ResolverArn", arn.clone());
            set("TypeName", t);
            set("FieldName", f);
            (arn.clone(), arn)
        }
        "AWS::AppSync::GraphQLSchema" => {
            let api = props.get("ApiId").and_then(Value::as_str).unwrap_or("api");
            let id = format!("{api}GraphQLSchema");
            (id.clone(), id)
        }
        "AWS::IAM::Role" => {
            let name = named("RoleName").unwrap_or(generic);
            set("Arn", format!("arn:aws:iam::{account}:role/{name}"));
            set("RoleId", format!("AROA{}", chars(&seed, 17, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")));
            (name.clone(), name)
        }
        "AWS::Lambda::Function" => {
            let name = named("FunctionName").unwrap_or(generic);
            set("Arn", format!("arn:aws:lambda:{region}:{account}:function:{name}"));
            (name.clone(), name)
        }
        "AWS::Events::Rule" => {
            let name = named("Name").unwrap_or(generic);
            set("Arn", format!("arn:aws:events:{region}:{account}:rule/{name}"));
            (name.clone(), name)
        }
        "AWS::Scheduler::Schedule" => {
            let name = named("Name").unwrap_or(generic);
            let group = named("GroupName").unwrap_or_else(|| "default".into());
            set("Arn", format!("arn:aws:scheduler:{region}:{account}:schedule/{group}/{name}"));
            (name.clone(), name)
        }
        "AWS::S3::Bucket" => {
            // A dot in the name makes Amplify JS address the bucket path-style
            // (`<endpoint>/<bucket>/<key>`), the only style a local endpoint
            // on 127.0.0.1 can answer.
            let name = named("BucketName").unwrap_or_else(|| format!("{}.local", generic.to_lowercase()));
            set("Arn", format!("arn:aws:s3:::{name}"));
            set("DomainName", format!("{name}.s3.amazonaws.com"));
            set("RegionalDomainName", format!("{name}.s3.{region}.amazonaws.com"));
            (name.clone(), name)
        }
        other => {
            let service = other.split("::").nth(1).unwrap_or("unknown").to_lowercase();
            set("Arn", format!("arn:aws:{service}:{region}:{account}:{}", generic.to_lowercase()));
            (generic.clone(), generic)
        }
    };
    Minted { physical_id, reference, attributes }
}

/// The realtime endpoint the Amplify client derives from a data URL: AppSync's
/// own domains swap `appsync-api` for `appsync-realtime-api`; any other domain
/// (the local server's) gets `/realtime` appended to the path.
pub fn realtime_url(graphql_url: &str) -> String {
    let wss = graphql_url.replacen("https://", "wss://", 1).replacen("http://", "wss://", 1);
    if wss.contains(".appsync-api.") {
        wss.replacen("appsync-api", "appsync-realtime-api", 1)
    } else {
        format!("{wss}/realtime")
    }
}

fn host(url: &str) -> String {
    url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or_default().to_string()
}
