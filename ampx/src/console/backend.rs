//! The console over a deployed sandbox, with the user's AWS credentials:
//! users through Cognito's admin API (its JSON protocol, passed through and
//! signed with the SDK's SigV4 signer, as the local user pools speak it), and
//! "sign in as" through a real SRP sign-in ([`SignIns`]); files through S3;
//! functions through Lambda `Invoke` and CloudWatch Logs; data and
//! subscriptions through the AppSync endpoint as the chosen identity
//! ([`DataApi`]). What the page builds itself from comes from the sandbox's
//! `amplify_outputs.json`.

use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use ampx_console::backend::{
    async_trait, Bytes, ConsoleBackend, DataSummary, Download, GraphQlRequest, GroupSummary, Identity, Listing,
    ObjectSummary, Overview, PoolSummary, Request, Response, SignIn, LISTING_PAGE,
};
use ampx_console::{ApiError, ApiResult, LoggedLine};

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::LogType;
use aws_sdk_s3::primitives::ByteStream;
use serde_json::{json, Value};

use super::data::DataApi;
use super::functions::DeployedFunction;
use super::identity_pool::IdentityPool;
use super::reach::Reach;
use super::sign_in::{SignIns, RENEW_BEFORE};
use super::signed::Signer;
use crate::aws::Aws;

/// A deployed sandbox, for the console.
pub struct SandboxConsole {
    aws: Aws,
    signer: Signer,
    outputs: Value,
    functions: Vec<DeployedFunction>,
    cognito: String,
    data: Option<Arc<DataApi>>,
    sign_ins: Option<Arc<SignIns>>,
}

impl SandboxConsole {
    /// The console's view of the sandbox whose `amplify_outputs.json` is
    /// `outputs` and whose functions are `functions`.
    pub fn new(aws: Aws, outputs: Value, functions: Vec<DeployedFunction>) -> Result<SandboxConsole, ApiError> {
        SandboxConsole::with_reach(aws, outputs, functions, Reach::default(), RENEW_BEFORE)
    }

    /// [`SandboxConsole::new`], reaching Cognito as `reach` says and renewing
    /// users' tokens `renew_before` they expire.
    pub fn with_reach(
        aws: Aws,
        outputs: Value,
        functions: Vec<DeployedFunction>,
        reach: Reach,
        renew_before: Duration,
    ) -> Result<SandboxConsole, ApiError> {
        let tls = reach.tls()?;
        let signer = Signer::with_tls(&aws.sdk, tls.clone())?;
        let cognito = reach.cognito_idp_url(&aws);
        let auth = &outputs["auth"];
        let text = |v: &Value| v.as_str().map(str::to_string);
        let sign_ins = match (text(&auth["user_pool_id"]), text(&auth["user_pool_client_id"])) {
            (Some(pool), Some(client)) => {
                Some(Arc::new(SignIns::new(signer.clone(), cognito.clone(), pool, client).renew_before(renew_before)))
            }
            _ => None,
        };
        let identity_pool = match text(&auth["identity_pool_id"]) {
            Some(pool) => {
                let region = text(&auth["aws_region"]).unwrap_or_else(|| aws.region.clone());
                Some(IdentityPool::new(&aws, &reach, pool, auth["user_pool_id"].as_str(), &region)?)
            }
            None => None,
        };
        let data = text(&outputs["data"]["url"]).map(|url| {
            let key = text(&outputs["data"]["api_key"]);
            Arc::new(DataApi::new(url, key, signer.clone(), sign_ins.clone(), identity_pool, tls))
        });
        Ok(SandboxConsole { aws, signer, outputs, functions, cognito, data, sign_ins })
    }

    fn function(&self, name: &str) -> ApiResult<&DeployedFunction> {
        self.functions
            .iter()
            .find(|f| f.display_name == name || f.function_name == name)
            .ok_or_else(|| ApiError::not_found(format!("the sandbox has no function {name}")))
    }

    fn data(&self) -> ApiResult<&Arc<DataApi>> {
        self.data
            .as_ref()
            .ok_or_else(|| ApiError::not_found("this sandbox has no data API (define data to use the data manager)"))
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
        sign_in_as: auth["user_pool_client_id"].is_string(),
        sign_in_needs_password: true,
    }
}

#[async_trait]
impl ConsoleBackend for SandboxConsole {
    async fn overview(&self) -> ApiResult<Overview> {
        Ok(overview_of(&self.outputs, &self.functions))
    }

    async fn graphql(&self, request: GraphQlRequest, identity: &Identity) -> ApiResult<Value> {
        self.data()?.graphql(request, identity).await
    }

    async fn realtime(&self, identity: &Identity, upgrade: Request) -> ApiResult<Response> {
        self.data()?.clone().realtime(identity, upgrade).await
    }

    async fn sign_subscription(&self, identity: &Identity, data: &str) -> ApiResult<Value> {
        self.data()?.authorization(identity, false, data).await
    }

    async fn user_pool(&self, operation: &str, request: Value) -> ApiResult<Value> {
        let target = format!("AWSCognitoIdentityProviderService.{operation}");
        let answer = self.signer.json_call("cognito-idp", &self.cognito, &target, &request).await?;
        // Passwords the console sets are the ones "sign in as" can use unasked.
        if let Some(sign_ins) = &self.sign_ins {
            let asked = request["Username"].as_str().unwrap_or_default();
            match operation {
                "AdminCreateUser" => {
                    if let Some(p) = request["TemporaryPassword"].as_str() {
                        sign_ins.remember(&[asked, answer["User"]["Username"].as_str().unwrap_or_default()], p);
                    }
                }
                "AdminSetUserPassword" => {
                    if let Some(p) = request["Password"].as_str() {
                        sign_ins.remember(&[asked], p);
                    }
                }
                _ => {}
            }
        }
        Ok(answer)
    }

    async fn sign_in_as(&self, pool: &str, username: &str, with: &SignIn) -> ApiResult<Value> {
        let sign_ins = self.sign_ins.as_ref().ok_or_else(|| {
            ApiError::bad_request(
                "NoAppClient",
                "the outputs name no user pool app client (auth.user_pool_client_id) to sign in with",
            )
        })?;
        if self.outputs["auth"]["user_pool_id"].as_str() != Some(pool) {
            return Err(ApiError::not_found(format!("the sandbox's outputs name no user pool {pool}")));
        }
        sign_ins.sign_in(username, with.password.as_deref(), with.new_password.as_deref()).await
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
        assert!(!o.sign_in_as, "no app client in the outputs: no sign-in");
        assert!(o.sign_in_needs_password);
        let bare = overview_of(&json!({}), &[]);
        assert!(!bare.data.available && bare.user_pools.is_empty() && bare.buckets.is_empty());
    }
}
