//! `ampx console` over AWS (moto as the judge): the console's JSON API with
//! the sandbox backend manages a real user pool's users (Cognito's admin
//! API, signed with SigV4), a bucket's files (S3) and reads a function's
//! logs (CloudWatch Logs); guests sign with identity pool credentials.
//! Lambda `Invoke` needs Docker in moto, moto runs no AppSync API, and its
//! SRP challenge is not real (its `SECRET_BLOCK` is not base64, and no
//! verifier checks the claim): data and "sign in as" are judged against a
//! local backend instead (`console_aws_local.rs`).

use std::sync::Arc;

use ampx::aws::Aws;
use ampx::console::functions::DeployedFunction;
use ampx::console::signed::Signer;
use ampx::console::SandboxConsole;
use ampx_console::Console;
use serde_json::{json, Value};

use crate::common::Moto;

const FUNCTION: &str = "app-sandbox-sayhello-1";

/// `method path` on the console with its token; answers the status and JSON.
async fn call(console: &Console, method: &'static str, path: &str, body: Option<Vec<u8>>) -> (u16, Vec<u8>) {
    let url = format!("{}{path}", console.origin());
    let token = console.token().to_string();
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let response = match method {
            "GET" => agent.get(&url).header("x-console-token", &token).call(),
            "DELETE" => agent.delete(&url).header("x-console-token", &token).call(),
            "POST" => match body {
                Some(body) => agent
                    .post(&url)
                    .header("x-console-token", &token)
                    .header("content-type", "application/json")
                    .send(&body[..]),
                None => agent.post(&url).header("x-console-token", &token).send_empty(),
            },
            "PUT" => agent
                .put(&url)
                .header("x-console-token", &token)
                .header("content-type", "text/plain")
                .send(&body.unwrap_or_default()[..]),
            other => panic!("no method {other}"),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{url}: {e}"));
        (response.status().as_u16(), response.body_mut().read_to_vec().unwrap())
    })
    .await
    .unwrap()
}

async fn api(console: &Console, method: &'static str, path: &str, body: Value) -> (u16, Value) {
    let body = (!body.is_null()).then(|| body.to_string().into_bytes());
    let (status, bytes) = call(console, method, path, body).await;
    (status, serde_json::from_slice(&bytes).unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes))))
}

/// A user pool with a group, a bucket and a function's log line in moto;
/// answers the console's view of them and the pool and bucket names.
async fn sandbox(moto: &Moto) -> (Console, String, String) {
    let config = moto.sdk_config().await;
    let aws = Aws::from_config(&config).unwrap();
    let signer = Signer::new(&config).unwrap();
    let endpoint = format!("{}/", moto.endpoint);
    let cognito = |op: &str, body: Value| {
        let (signer, endpoint, target) =
            (signer.clone(), endpoint.clone(), format!("AWSCognitoIdentityProviderService.{op}"));
        async move { signer.json_call("cognito-idp", &endpoint, &target, &body).await.unwrap() }
    };
    let pool = cognito("CreateUserPool", json!({"PoolName": "console", "UsernameAttributes": ["email"]})).await;
    let pool = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    cognito("CreateGroup", json!({"UserPoolId": pool, "GroupName": "Moderators"})).await;

    let bucket = "console-files".to_string();
    moto.s3().await.create_bucket().bucket(&bucket).send().await.unwrap();

    let logs = |op: &str, body: Value| {
        let (signer, endpoint, target) = (signer.clone(), endpoint.clone(), format!("Logs_20140328.{op}"));
        async move { signer.json_call("logs", &endpoint, &target, &body).await.unwrap() }
    };
    let group = format!("/aws/lambda/{FUNCTION}");
    logs("CreateLogGroup", json!({"logGroupName": group})).await;
    logs("CreateLogStream", json!({"logGroupName": group, "logStreamName": "s1"})).await;
    let now = std::time::UNIX_EPOCH.elapsed().unwrap().as_millis() as u64;
    logs(
        "PutLogEvents",
        json!({"logGroupName": group, "logStreamName": "s1", "logEvents": [{"timestamp": now, "message": "Hello, Ann\n"}]}),
    )
    .await;

    let outputs = json!({"version": "1.4",
        "auth": {"aws_region": "us-east-1", "user_pool_id": pool, "username_attributes": ["email"],
            "groups": [{"Moderators": {"precedence": 0}}]},
        "storage": {"aws_region": "us-east-1", "bucket_name": bucket,
            "buckets": [{"name": "files", "bucket_name": bucket, "aws_region": "us-east-1"}]}});
    let functions = vec![DeployedFunction {
        display_name: "say-hello".into(),
        function_name: FUNCTION.into(),
        properties: json!({"Runtime": "nodejs20.x", "Handler": "index.handler"}),
    }];
    let backend = SandboxConsole::new(aws, outputs.clone(), functions).unwrap();
    let console = Console::serve(Arc::new(backend), 0).await.unwrap();
    console.set_outputs(outputs);
    (console, pool, bucket)
}

fn find<'a>(list: &'a Value, email: &str) -> Option<&'a Value> {
    list["users"]
        .as_array()?
        .iter()
        .find(|u| u["Attributes"].as_array().into_iter().flatten().any(|a| a["Name"] == "email" && a["Value"] == email))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sandboxs_users_are_managed_through_cognitos_admin_api() {
    let moto = Moto::start();
    let (console, pool, _) = sandbox(&moto).await;
    let (status, config) = api(&console, "GET", "/api/config", Value::Null).await;
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["kind"], "aws");
    assert_eq!(config["signInAs"], false);
    assert_eq!(config["userPools"][0]["id"], pool.as_str());
    assert_eq!(config["userPools"][0]["groups"][0]["name"], "Moderators");
    assert_eq!(config["functions"], json!(["say-hello"]));

    let ann = json!({"username": "ann@example.com", "password": "Passw0rd!Passw0rd", "confirmed": true});
    let (status, made) = api(&console, "POST", "/api/users", ann.clone()).await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(made["UserStatus"], "CONFIRMED", "confirmed at once: {made}");
    let username = made["Username"].as_str().unwrap().to_string();
    let (status, again) = api(&console, "POST", "/api/users", ann).await;
    assert_eq!((status, again["error"]["type"].as_str()), (400, Some("UsernameExistsException")), "{again}");

    let bob = json!({"username": "bob@example.com", "password": "Passw0rd!Passw0rd"});
    let (status, bob) = api(&console, "POST", "/api/users", bob).await;
    assert_eq!(status, 200, "{bob}");
    assert_eq!(bob["UserStatus"], "FORCE_CHANGE_PASSWORD", "a temporary password: {bob}");

    let (status, grouped) =
        api(&console, "POST", &format!("/api/users/{username}/add-to-group"), json!({"group": "Moderators"})).await;
    assert_eq!(status, 200, "{grouped}");
    let (status, disabled) = api(&console, "POST", &format!("/api/users/{username}/disable"), Value::Null).await;
    assert_eq!(status, 200, "{disabled}");
    assert_eq!(disabled["Enabled"], false);

    let (_, listed) = api(&console, "GET", "/api/users", Value::Null).await;
    let listed_ann = find(&listed, "ann@example.com").unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(listed_ann["Groups"], json!(["Moderators"]), "{listed}");
    assert_eq!(listed_ann["Enabled"], false);
    assert!(find(&listed, "bob@example.com").is_some(), "{listed}");

    // Signing in needs the app client the outputs name; these name none.
    let (status, refused) = api(&console, "POST", &format!("/api/users/{username}/sign-in-as"), Value::Null).await;
    assert_eq!((status, refused["error"]["type"].as_str()), (400, Some("NoAppClient")), "{refused}");

    let (status, _) = api(&console, "DELETE", &format!("/api/users/{username}"), Value::Null).await;
    assert_eq!(status, 200);
    let (_, listed) = api(&console, "GET", "/api/users", Value::Null).await;
    assert!(find(&listed, "ann@example.com").is_none(), "deleted: {listed}");
    let (status, gone) = api(&console, "POST", &format!("/api/users/{username}/enable"), Value::Null).await;
    assert_eq!((status, gone["error"]["type"].as_str()), (400, Some("UserNotFoundException")), "{gone}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sandboxs_files_are_uploaded_listed_downloaded_and_deleted_in_s3() {
    let moto = Moto::start();
    let (console, _, bucket) = sandbox(&moto).await;
    let object = format!("/api/storage/{bucket}/object?key=photos/a/hello.txt");
    let (status, put) = call(&console, "PUT", &object, Some(b"hello".to_vec())).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&put));
    // S3 itself has it, with its type.
    let head = moto.s3().await.head_object().bucket(&bucket).key("photos/a/hello.txt").send().await.unwrap();
    assert_eq!(head.content_type(), Some("text/plain"));
    assert_eq!(head.content_length(), Some(5));

    let (_, top) = api(&console, "GET", &format!("/api/storage/{bucket}?prefix=photos/"), Value::Null).await;
    assert_eq!(top["folders"], json!(["photos/a/"]), "{top}");
    assert_eq!(top["objects"], json!([]), "{top}");
    let (_, inner) = api(&console, "GET", &format!("/api/storage/{bucket}?prefix=photos/a/"), Value::Null).await;
    assert_eq!(inner["objects"][0]["key"], "photos/a/hello.txt", "{inner}");
    assert_eq!(inner["objects"][0]["size"], 5);
    assert_eq!(inner["objects"][0]["etag"], "5d41402abc4b2a76b9719d911017c592", "S3's ETag, unquoted: {inner}");

    let (status, bytes) = call(&console, "GET", &object, None).await;
    assert_eq!((status, bytes.as_slice()), (200, &b"hello"[..]));
    let (status, _) = call(&console, "DELETE", &object, None).await;
    assert_eq!(status, 200);
    assert!(moto.s3().await.head_object().bucket(&bucket).key("photos/a/hello.txt").send().await.is_err());
    let (status, again) = api(&console, "DELETE", &object, Value::Null).await;
    assert_eq!((status, again["error"]["type"].as_str()), (404, Some("NotFound")), "{again}");
    let (status, missing) = api(&console, "GET", "/api/storage/no-such-bucket?prefix=", Value::Null).await;
    assert_eq!(status, 502, "S3's own refusal is passed on: {missing}");
    assert!(missing["error"]["message"].as_str().unwrap_or_default().contains("NoSuchBucket"), "{missing}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sandboxs_function_logs_come_from_cloudwatch_logs() {
    let moto = Moto::start();
    let (console, _, _) = sandbox(&moto).await;
    let (status, listed) = api(&console, "GET", "/api/functions", Value::Null).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["functions"][0]["functionName"], FUNCTION);
    let (status, logs) = api(&console, "GET", "/api/functions/say-hello/logs", Value::Null).await;
    assert_eq!(status, 200, "{logs}");
    assert_eq!(logs["lines"][0]["text"], "Hello, Ann", "{logs}");
    let last = logs["last"].as_u64().unwrap();
    let (_, later) = api(&console, "GET", &format!("/api/functions/say-hello/logs?since={last}"), Value::Null).await;
    assert_eq!(later["lines"], json!([]), "nothing new after `last`: {later}");
    let (status, unknown) = api(&console, "GET", "/api/functions/nope/logs", Value::Null).await;
    assert_eq!(status, 404, "{unknown}");

    // Data needs a deployed AppSync API: the console says there is none.
    let (status, data) =
        api(&console, "POST", "/api/graphql", json!({"query": "{ __typename }", "identity": {"type": "admin"}})).await;
    assert_eq!(status, 404, "{data}");
}

/// A user pool with an app client as Amplify's (SRP and refresh), an
/// identity pool trusting it, and the console over them; the data URL is
/// AppSync's form (moto serves no AppSync: only the signatures are judged).
async fn with_clients(moto: &Moto) -> Console {
    let config = moto.sdk_config().await;
    let aws = Aws::from_config(&config).unwrap();
    let signer = Signer::new(&config).unwrap();
    let endpoint = format!("{}/", moto.endpoint);
    let call = |target: String, service: &'static str, body: Value| {
        let (signer, endpoint) = (signer.clone(), endpoint.clone());
        async move { signer.json_call(service, &endpoint, &target, &body).await.unwrap() }
    };
    let idp = |op: &str, body: Value| call(format!("AWSCognitoIdentityProviderService.{op}"), "cognito-idp", body);
    let pool = idp("CreateUserPool", json!({"PoolName": "app", "UsernameAttributes": ["email"]})).await;
    let pool = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    idp("CreateGroup", json!({"UserPoolId": pool, "GroupName": "Moderators"})).await;
    let client = idp(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool, "ClientName": "web",
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"]}),
    )
    .await;
    let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_string();
    let identity_pool = call(
        "AWSCognitoIdentityService.CreateIdentityPool".into(),
        "cognito-identity",
        json!({"IdentityPoolName": "app", "AllowUnauthenticatedIdentities": true,
            "CognitoIdentityProviders": [{"ProviderName": format!("cognito-idp.us-east-1.amazonaws.com/{pool}"),
                "ClientId": client}]}),
    )
    .await;
    let outputs = json!({"version": "1.4",
        "auth": {"aws_region": "us-east-1", "user_pool_id": pool, "user_pool_client_id": client,
            "identity_pool_id": identity_pool["IdentityPoolId"], "username_attributes": ["email"]},
        "data": {"url": "https://abc.appsync-api.us-east-1.amazonaws.com/graphql", "aws_region": "us-east-1",
            "default_authorization_type": "AMAZON_COGNITO_USER_POOLS", "authorization_types": ["AWS_IAM"]}});
    let backend = SandboxConsole::new(aws, outputs.clone(), vec![]).unwrap();
    let console = Console::serve(Arc::new(backend), 0).await.unwrap();
    console.set_outputs(outputs);
    console
}

#[tokio::test(flavor = "multi_thread")]
async fn guests_sign_with_credentials_from_the_identity_pool_not_the_developers() {
    let moto = Moto::start();
    let console = with_clients(&moto).await;
    let sign = |identity: Value| {
        let body = json!({"identity": identity, "data": "{\"query\":\"subscription { onCreateNote { id } }\"}"});
        api(&console, "POST", "/api/realtime/sign", body)
    };
    let (status, admin) = sign(json!({"type": "admin"})).await;
    assert_eq!(status, 200, "{admin}");
    let admin = &admin["authorization"];
    assert!(admin["authorization"].as_str().unwrap().starts_with("AWS4-HMAC-SHA256 Credential=testing/"), "{admin}");
    assert_eq!(admin["host"], "abc.appsync-api.us-east-1.amazonaws.com");

    // GetId and GetCredentialsForIdentity: temporary credentials, not the developer's.
    let (status, guest) = sign(json!({"type": "iam"})).await;
    assert_eq!(status, 200, "{guest}");
    let guest = &guest["authorization"];
    let credential = guest["authorization"].as_str().unwrap();
    assert!(credential.starts_with("AWS4-HMAC-SHA256 Credential=") && credential.contains("/us-east-1/appsync/"));
    assert!(!credential.contains("Credential=testing/"), "{guest}");
    assert!(guest["x-amz-security-token"].as_str().is_some_and(|t| !t.is_empty()), "{guest}");
    // The same guest keeps its credentials until they near expiry.
    let (_, again) = sign(json!({"type": "iam"})).await;
    let key = |a: &Value| a["authorization"].as_str().unwrap().split('/').next().unwrap().to_string();
    assert_eq!(key(&again["authorization"]), key(guest));
}
