//! The console over a deployed sandbox, with the user's AWS credentials:
//! users through Cognito's admin API (its JSON protocol, passed through and
//! signed with the SDK's SigV4 signer, as the local user pools speak it), files
//! through S3, functions through Lambda `Invoke` and CloudWatch Logs, data through the AppSync endpoint
//! (SigV4-signed as the administrator, or with a user's token, or the API
//! key). What the page builds itself from comes from the sandbox's
//! `amplify_outputs.json`.

use std::time::{Duration, Instant, UNIX_EPOCH};

use ampx_console::backend::{
    async_trait, Bytes, ConsoleBackend, DataSummary, Download, GraphQlRequest, GroupSummary, Identity, Listing,
    ObjectSummary, Overview, PoolSummary, Request, Response, LISTING_PAGE,
};
use ampx_console::{ApiError, ApiResult, LoggedLine};

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::LogType;
use aws_sdk_s3::primitives::ByteStream;
use serde_json::{json, Value};

use super::functions::DeployedFunction;
use super::signed::{Outgoing, Signer};
use crate::aws::Aws;

/// How a service's endpoint is reached: the endpoint override (an
/// emulator), else the region's.
fn endpoint(aws: &Aws, service: &str) -> String {
    match &aws.endpoint {
        Some(e) => e.trim_end_matches('/').to_string() + "/",
        None => format!("https://{service}.{}.{}/", aws.region, aws.url_suffix()),
    }
}

/// A deployed sandbox, for the console.
pub struct SandboxConsole {
    aws: Aws,
    signer: Signer,
    outputs: Value,
    functions: Vec<DeployedFunction>,
    cognito: String,
}

impl SandboxConsole {
    /// The console's view of the sandbox whose `amplify_outputs.json` is
    /// `outputs` and whose functions are `functions`.
    pub fn new(aws: Aws, outputs: Value, functions: Vec<DeployedFunction>) -> Result<SandboxConsole, ApiError> {
        let signer = Signer::new(&aws.sdk)?;
        let cognito = endpoint(&aws, "cognito-idp");
        Ok(SandboxConsole { aws, signer, outputs, functions, cognito })
    }

    fn function(&self, name: &str) -> ApiResult<&DeployedFunction> {
        self.functions
            .iter()
            .find(|f| f.display_name == name || f.function_name == name)
            .ok_or_else(|| ApiError::not_found(format!("the sandbox has no function {name}")))
    }

    fn unsupported(message: &str) -> ApiError {
        ApiError { status: 501, kind: "NotSupportedForSandbox".into(), message: message.into() }
    }
}

fn s3_error(operation: &str, e: impl std::error::Error) -> ApiError {
    let text = aws_sdk_s3::error::DisplayErrorContext(&e).to_string();
    ApiError { status: 502, kind: format!("S3.{operation}"), message: text }
}

/// The overview a sandbox's `amplify_outputs.json` gives.
pub fn overview_of(outputs: &Value, functions: &[DeployedFunction]) -> Overview {
    let data = &outputs["data"];
    let mut modes: Vec<&str> = data["default_authorization_type"].as_str().into_iter().collect();
    for m in data["authorization_types"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if !modes.contains(&m) {
            modes.push(m);
        }
    }
    let auth_modes: Vec<String> = modes
        .iter()
        .filter_map(|m| match *m {
            "AMAZON_COGNITO_USER_POOLS" => Some("userPool"),
            "API_KEY" => Some("apiKey"),
            "AWS_IAM" => Some("iam"),
            "OPENID_CONNECT" => Some("oidc"),
            "AWS_LAMBDA" => Some("lambda"),
            _ => None,
        })
        .map(str::to_string)
        .collect();
    let auth = &outputs["auth"];
    let user_pools = auth["user_pool_id"]
        .as_str()
        .map(|id| PoolSummary {
            id: id.to_string(),
            username_attributes: auth["username_attributes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            // `groups` is a list of one-key objects: `[{"Admins": {"precedence": 0}}]`.
            groups: auth["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .flat_map(|g| g.keys().map(|name| GroupSummary { name: name.clone(), description: None }))
                .collect(),
            password_minimum_length: auth["password_policy"]["min_length"].as_u64(),
        })
        .into_iter()
        .collect();
    let storage = &outputs["storage"];
    let mut buckets: Vec<String> = storage["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["bucket_name"].as_str().map(str::to_string))
        .collect();
    if buckets.is_empty() {
        buckets.extend(storage["bucket_name"].as_str().map(str::to_string));
    }
    Overview {
        kind: "aws".into(),
        data: DataSummary {
            available: data["url"].is_string(),
            api_key: data["api_key"].is_string(),
            identity_pool: auth["identity_pool_id"].is_string(),
            admin: auth_modes.iter().any(|m| m == "iam"),
            auth_modes,
        },
        user_pools,
        buckets,
        functions: functions.iter().map(|f| f.display_name.clone()).collect(),
        sign_in_as: false,
    }
}

#[async_trait]
impl ConsoleBackend for SandboxConsole {
    async fn overview(&self) -> ApiResult<Overview> {
        Ok(overview_of(&self.outputs, &self.functions))
    }

    async fn graphql(&self, request: GraphQlRequest, identity: &Identity) -> ApiResult<Value> {
        let url = self.outputs["data"]["url"]
            .as_str()
            .ok_or_else(|| ApiError::not_found("this sandbox has no data API (define data to use the data manager)"))?;
        let variables = Some(request.variables).filter(|v| !v.is_null()).unwrap_or_else(|| json!({}));
        let body = json!({"query": request.query, "variables": variables, "operationName": request.operation_name});
        let mut headers = vec![("content-type", "application/json".to_string())];
        let signed = match identity {
            Identity::Admin => true,
            Identity::UserPool { token } => {
                headers.push(("authorization", token.clone()));
                false
            }
            Identity::ApiKey => {
                let key = self.outputs["data"]["api_key"].as_str().ok_or_else(|| {
                    ApiError::bad_request("NoApiKey", "the data API has no API key (its schema allows no apiKey mode)")
                })?;
                headers.push(("x-api-key", key.to_string()));
                false
            }
            Identity::Iam { .. } => {
                return Err(Self::unsupported(
                    "identity pool credentials (guest or a user's) are not fetched for a deployed sandbox yet; act as \
                     the admin, a user or the API key",
                ))
            }
            Identity::None => false,
        };
        let request = Outgoing { service: "appsync", url, headers, body: body.to_string().into_bytes() };
        let (status, bytes) = self.signer.post(request, signed).await?;
        serde_json::from_slice(&bytes).map_err(|_| ApiError {
            status: 502,
            kind: "AppSync".into(),
            message: format!("the data API answered {status}: {}", String::from_utf8_lossy(&bytes)),
        })
    }

    async fn realtime(&self, _identity: &Identity, _upgrade: Request) -> ApiResult<Response> {
        Err(Self::unsupported(
            "subscriptions are not relayed to a deployed sandbox's realtime endpoint yet; run queries and mutations",
        ))
    }

    async fn sign_subscription(&self, _identity: &Identity, _data: &str) -> ApiResult<Value> {
        Err(Self::unsupported("subscriptions are not relayed to a deployed sandbox's realtime endpoint yet"))
    }

    async fn user_pool(&self, operation: &str, request: Value) -> ApiResult<Value> {
        let target = format!("AWSCognitoIdentityProviderService.{operation}");
        self.signer.json_call("cognito-idp", &self.cognito, &target, &request).await
    }

    async fn sign_in_as(&self, _pool: &str, _username: &str) -> ApiResult<Value> {
        Err(Self::unsupported(
            "a deployed user pool issues tokens only to a sign-in with the user's password; sign in from your app, or \
             act as the admin",
        ))
    }

    async fn list_objects(&self, bucket: &str, prefix: &str) -> ApiResult<Listing> {
        let out = self
            .aws
            .s3
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .delimiter("/")
            .max_keys(LISTING_PAGE as i32)
            .send()
            .await
            .map_err(|e| s3_error("ListObjectsV2", e))?;
        let folders = out.common_prefixes().iter().filter_map(|p| p.prefix().map(str::to_string)).collect();
        let objects = out
            .contents()
            .iter()
            .map(|o| ObjectSummary {
                key: o.key().unwrap_or_default().to_string(),
                size: o.size().unwrap_or(0).max(0) as u64,
                etag: o.e_tag().unwrap_or_default().trim_matches('"').to_string(),
                last_modified: o.last_modified().and_then(|t| t.to_millis().ok()).unwrap_or(0),
                content_type: None,
            })
            .collect();
        Ok(Listing { folders, objects, truncated: out.is_truncated().unwrap_or(false) })
    }

    async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Bytes,
        content_type: Option<String>,
    ) -> ApiResult<String> {
        let out = self
            .aws
            .s3
            .put_object()
            .bucket(bucket)
            .key(key)
            .set_content_type(content_type)
            .body(ByteStream::from(body.to_vec()))
            .send()
            .await
            .map_err(|e| s3_error("PutObject", e))?;
        Ok(out.e_tag().unwrap_or_default().trim_matches('"').to_string())
    }

    async fn get_object(&self, bucket: &str, key: &str) -> ApiResult<Download> {
        let out = match self.aws.s3.get_object().bucket(bucket).key(key).send().await {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => {
                return Err(ApiError::not_found(format!("no object {key} in {bucket}")))
            }
            Err(e) => return Err(s3_error("GetObject", e)),
        };
        let content_type = out.content_type().map(str::to_string);
        let bytes = out.body.collect().await.map_err(|e| s3_error("GetObject", e))?.into_bytes().to_vec();
        Ok(Download { bytes, content_type })
    }

    async fn delete_object(&self, bucket: &str, key: &str) -> ApiResult<()> {
        // S3 deletes a missing key without a word; the page wants to know.
        match self.aws.s3.head_object().bucket(bucket).key(key).send().await {
            Ok(_) => {}
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {
                return Err(ApiError::not_found(format!("no object {key} in {bucket}")))
            }
            Err(e) => return Err(s3_error("HeadObject", e)),
        }
        self.aws.s3.delete_object().bucket(bucket).key(key).send().await.map_err(|e| s3_error("DeleteObject", e))?;
        Ok(())
    }

    async fn functions(&self) -> ApiResult<Value> {
        let functions: Vec<Value> = self
            .functions
            .iter()
            .map(|f| {
                let p = &f.properties;
                json!({"name": f.display_name, "functionName": f.function_name, "runtime": p["Runtime"],
                    "handler": p["Handler"], "timeoutSeconds": p["Timeout"], "memoryMb": p["MemorySize"]})
            })
            .collect();
        Ok(json!({"functions": functions, "problems": []}))
    }

    async fn invoke(&self, function: &str, event: Value) -> ApiResult<Value> {
        let f = self.function(function)?;
        let started = Instant::now();
        let out = self
            .aws
            .lambda
            .invoke()
            .function_name(&f.function_name)
            .payload(Blob::new(event.to_string()))
            .log_type(LogType::Tail)
            .send()
            .await
            .map_err(|e| ApiError {
                status: 502,
                kind: "Lambda.Invoke".into(),
                message: aws_sdk_lambda::error::DisplayErrorContext(&e).to_string(),
            })?;
        let duration_ms = started.elapsed().as_millis() as u64;
        let tail = out.log_result().and_then(|b| aws_smithy_types::base64::decode(b).ok());
        let now = UNIX_EPOCH.elapsed().map_or(0, |d| d.as_millis() as u64);
        let lines: Vec<LoggedLine> = String::from_utf8_lossy(&tail.unwrap_or_default())
            .lines()
            .map(|text| LoggedLine {
                seq: 0,
                at_ms: now,
                function: f.display_name.clone(),
                text: text.to_string(),
                is_error: false,
            })
            .collect();
        let payload = out.payload().map(|p| p.as_ref().to_vec()).unwrap_or_default();
        let result: Value = serde_json::from_slice(&payload)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&payload).into_owned()));
        let mut answer = json!({"function": f.display_name, "durationMs": duration_ms, "lines": lines});
        match out.function_error() {
            Some(kind) => answer["error"] = json!(format!("{kind}: {result}")),
            None => answer["result"] = result,
        }
        Ok(answer)
    }

    async fn logs(&self, function: &str, since: u64) -> ApiResult<Value> {
        let f = self.function(function)?;
        // The first look goes back an hour; later ones from the last line seen.
        let an_hour_ago = UNIX_EPOCH.elapsed().map_or(0, |d| d.saturating_sub(Duration::from_secs(3600)).as_millis());
        let start = if since == 0 { an_hour_ago as u64 } else { since };
        let asked = self
            .aws
            .logs
            .filter_log_events()
            .log_group_name(format!("/aws/lambda/{}", f.function_name))
            .start_time(start as i64)
            .limit(200)
            .send()
            .await;
        let events = match asked {
            Ok(out) => out.events.unwrap_or_default(),
            // No invocation yet: no log group yet.
            Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => Vec::new(),
            Err(e) => {
                return Err(ApiError {
                    status: 502,
                    kind: "CloudWatchLogs.FilterLogEvents".into(),
                    message: aws_sdk_cloudwatchlogs::error::DisplayErrorContext(&e).to_string(),
                })
            }
        };
        let mut last = since;
        let lines: Vec<LoggedLine> = events
            .iter()
            .filter_map(|e| {
                let at = u64::try_from(e.timestamp?).ok()?;
                last = last.max(at + 1);
                Some(LoggedLine {
                    seq: at,
                    at_ms: at,
                    function: f.display_name.clone(),
                    text: e.message()?.trim_end().to_string(),
                    is_error: false,
                })
            })
            .collect();
        Ok(json!({"function": f.display_name, "lines": lines, "last": last}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_comes_from_the_outputs() {
        let outputs = json!({
            "data": {"url": "https://x.appsync-api.us-east-1.amazonaws.com/graphql", "default_authorization_type": "AMAZON_COGNITO_USER_POOLS",
                "authorization_types": ["AWS_IAM", "API_KEY"], "api_key": "da2-x"},
            "auth": {"user_pool_id": "us-east-1_a", "identity_pool_id": "us-east-1:b", "username_attributes": ["email"],
                "groups": [{"Moderators": {"precedence": 0}}], "password_policy": {"min_length": 8}},
            "storage": {"bucket_name": "b1", "buckets": [{"name": "files", "bucket_name": "b1"}]},
        });
        let o = overview_of(&outputs, &[]);
        assert_eq!(o.kind, "aws");
        assert_eq!(o.data.auth_modes, ["userPool", "iam", "apiKey"]);
        assert!(o.data.available && o.data.api_key && o.data.identity_pool && o.data.admin);
        assert_eq!(o.user_pools[0].groups[0].name, "Moderators");
        assert_eq!(o.user_pools[0].password_minimum_length, Some(8));
        assert_eq!(o.buckets, ["b1"]);
        assert!(!o.sign_in_as);
        let bare = overview_of(&json!({}), &[]);
        assert!(!bare.data.available && bare.user_pools.is_empty() && bare.buckets.is_empty());
    }
}
