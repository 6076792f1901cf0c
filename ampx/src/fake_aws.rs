//! A scripted stand-in for AWS, for what moto cannot show: throttling, stacks in
//! `ROLLBACK_COMPLETE`, resources that fail, operations that take a while (and
//! Ctrl-C meanwhile). The clients are the real SDK clients of [`Aws`]; only the
//! HTTP connection is replaced, by a script that answers each request.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudformation::config::{
    AsyncSleep, Credentials, SharedAsyncSleep, SharedCredentialsProvider, Sleep, StalledStreamProtectionConfig,
};
use aws_sdk_s3::primitives::SdkBody;
use aws_smithy_runtime_api::client::http::{http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpConnector};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;

use crate::aws::{self, Aws};

/// One request, as the script sees it.
#[derive(Clone, Debug)]
pub struct Call {
    /// `CloudFormation.DescribeStacks`, `STS.GetCallerIdentity`,
    /// `SSM.GetParameter`, `S3.HEAD /bucket`, ...
    pub operation: String,
    /// The form parameters of a query-protocol request (CloudFormation, STS).
    pub params: BTreeMap<String, String>,
    /// The body of any other request (JSON for SSM and AppSync).
    pub body: String,
}

impl Call {
    /// A form parameter, or `""`.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or_default()
    }
}

/// An HTTP answer.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
    /// Never answers (a call still under way when Ctrl-C comes).
    hang: bool,
}

impl Reply {
    /// A successful CloudFormation answer: `result` goes in `<{op}Result>`.
    pub fn cfn(operation: &str, result: &str) -> Reply {
        let body = format!(
            "<{operation}Response xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
             <{operation}Result>{result}</{operation}Result>\
             <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></{operation}Response>"
        );
        Reply { status: 200, content_type: "text/xml", body, hang: false }
    }

    /// No answer, ever.
    pub fn hang() -> Reply {
        Reply { status: 200, content_type: "text/plain", body: String::new(), hang: true }
    }

    /// A query-protocol (CloudFormation, STS) error.
    pub fn query_error(status: u16, code: &str, message: &str) -> Reply {
        let body = format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>fake</RequestId></ErrorResponse>"
        );
        Reply { status, content_type: "text/xml", body, hang: false }
    }

    /// A JSON-protocol (SSM) answer.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply { status, content_type: "application/x-amz-json-1.1", body: body.into(), hang: false }
    }

    /// A REST-JSON (AppSync) answer.
    pub fn rest_json(body: &str) -> Reply {
        Reply { status: 200, content_type: "application/json", body: body.into(), hang: false }
    }

    /// An object's content (S3 `GetObject`).
    pub fn object(body: &str) -> Reply {
        Reply { status: 200, content_type: "application/octet-stream", body: body.into(), hang: false }
    }

    /// An empty `200 OK`.
    pub fn empty() -> Reply {
        Reply { status: 200, content_type: "text/plain", body: String::new(), hang: false }
    }
}

/// The script: an answer for every call.
type Script = dyn Fn(&Call) -> Reply + Send + Sync;

/// What the fake saw: every call in order, and every backoff the SDK slept.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    calls: Arc<Mutex<Vec<Call>>>,
    sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl Recording {
    /// The operations called, in order (retries included).
    pub fn operations(&self) -> Vec<String> {
        self.calls.lock().unwrap().iter().map(|c| c.operation.clone()).collect()
    }

    /// The calls of one operation.
    pub fn calls_of(&self, operation: &str) -> Vec<Call> {
        self.calls.lock().unwrap().iter().filter(|c| c.operation == operation).cloned().collect()
    }

    /// The SDK's waits between attempts (at most [`aws::MAX_BACKOFF`] each).
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

/// Clients whose every request is answered by `script`, with the retry policy
/// `ampx` uses; the SDK's backoff is recorded instead of slept.
pub fn aws(script: impl Fn(&Call) -> Reply + Send + Sync + 'static) -> (Aws, Recording) {
    let recording = Recording::default();
    let connector = Connector { script: Arc::new(script), recording: recording.clone() };
    let http = http_client_fn(move |_, _| SharedHttpConnector::new(connector.clone()));
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new("AKID", "secret", None, None, "fake")))
        .endpoint_url("http://aws.fake")
        .http_client(http)
        .sleep_impl(SharedAsyncSleep::new(RecordedSleep(recording.sleeps.clone())))
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .retry_config(aws::retry_config())
        .build();
    (Aws::from_config(&config).expect("the fake has a region"), recording)
}

#[derive(Clone)]
struct Connector {
    script: Arc<Script>,
    recording: Recording,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fake_aws::Connector")
    }
}

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let call = identify(&request);
        self.recording.calls.lock().unwrap().push(call.clone());
        let reply = (self.script)(&call);
        if reply.hang {
            return HttpConnectorFuture::new(std::future::pending());
        }
        let mut response =
            HttpResponse::new(StatusCode::try_from(reply.status).expect("a valid status"), SdkBody::from(reply.body));
        response.headers_mut().insert("content-type", reply.content_type);
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// Names the operation: query-protocol requests by their `Action` (and the API
/// version for the service), JSON ones by `X-Amz-Target`, REST ones (AppSync,
/// S3) by method and path.
fn identify(request: &HttpRequest) -> Call {
    let body = request.body().bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
    if let Some(target) = request.headers().get("x-amz-target") {
        let operation = target.rsplit('.').next().unwrap_or(target);
        return Call { operation: format!("SSM.{operation}"), params: BTreeMap::new(), body };
    }
    let params: BTreeMap<String, String> =
        body.split('&').filter_map(|pair| pair.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect();
    match params.get("Action") {
        Some(action) => {
            let service =
                if params.get("Version").map(String::as_str) == Some("2011-06-15") { "STS" } else { "CloudFormation" };
            Call { operation: format!("{service}.{action}"), params, body: String::new() }
        }
        None => {
            let path = request.uri().trim_start_matches("http://aws.fake");
            let service = if path.starts_with("/v1/apis/") { "AppSync" } else { "S3" };
            Call { operation: format!("{service}.{} {path}", request.method()), params: BTreeMap::new(), body }
        }
    }
}

/// Form decoding: `+` is a space, `%XX` a byte.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The SDK's sleeps: a retry's backoff passes at once and is recorded when it
/// has passed. Longer sleeps are the SDK's timeouts (identity loading and the
/// like), which race a request and lose; they never pass here.
#[derive(Debug)]
struct RecordedSleep(Arc<Mutex<Vec<Duration>>>);

impl AsyncSleep for RecordedSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        let slept = self.0.clone();
        Sleep::new(async move {
            if duration > aws::MAX_BACKOFF {
                std::future::pending::<()>().await;
            }
            slept.lock().unwrap().push(duration);
        })
    }
}

/// `<member>` XML of a stack for `DescribeStacks`, deployed from a cloud
/// assembly (it has the `BootstrapVersion` parameter).
pub fn stack_member(name: &str, id: &str, status: &str) -> String {
    format!(
        "<member><StackName>{name}</StackName><StackId>{id}</StackId><StackStatus>{status}</StackStatus>\
         <CreationTime>2026-01-01T00:00:00Z</CreationTime><Parameters><member>\
         <ParameterKey>BootstrapVersion</ParameterKey><ParameterValue>/cdk-bootstrap/hnb659fds/version</ParameterValue>\
         </member></Parameters></member>"
    )
}

/// A `DescribeStacks` answer with one stack.
pub fn describe_stacks(name: &str, id: &str, status: &str) -> Reply {
    Reply::cfn("DescribeStacks", &format!("<Stacks>{}</Stacks>", stack_member(name, id, status)))
}

/// One stack event: `(event id, stack, logical id, type, status, reason,
/// physical id, seconds after 2026-01-01T00:00:00Z)`.
pub struct Ev<'a>(pub &'a str, pub &'a str, pub &'a str, pub &'a str, pub &'a str, pub &'a str, pub &'a str, pub u32);

/// A `DescribeStackEvents` answer (events newest first, as CloudFormation lists them).
pub fn stack_events(events: &[Ev<'_>]) -> Reply {
    let members: String = events
        .iter()
        .map(|Ev(id, stack, logical, kind, status, reason, physical, secs)| {
            format!(
                "<member><EventId>{id}</EventId><StackName>{stack}</StackName><StackId>{stack}</StackId>\
                 <LogicalResourceId>{logical}</LogicalResourceId><ResourceType>{kind}</ResourceType>\
                 <ResourceStatus>{status}</ResourceStatus><ResourceStatusReason>{reason}</ResourceStatusReason>\
                 <PhysicalResourceId>{physical}</PhysicalResourceId>\
                 <Timestamp>2026-01-01T00:{:02}:{:02}Z</Timestamp></member>",
                secs / 60,
                secs % 60
            )
        })
        .collect();
    Reply::cfn("DescribeStackEvents", &format!("<StackEvents>{members}</StackEvents>"))
}

/// The answers of a bootstrapped account: STS, the SSM version parameter and the
/// assets bucket. `None` for any other call.
pub fn bootstrapped(call: &Call) -> Option<Reply> {
    match call.operation.as_str() {
        "STS.GetCallerIdentity" => Some(Reply {
            status: 200,
            hang: false,
            content_type: "text/xml",
            body: "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
                   <Arn>arn:aws:iam::123456789012:user/dev</Arn><UserId>AIDA</UserId><Account>123456789012</Account>\
                   </GetCallerIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>\
                   </GetCallerIdentityResponse>"
                .into(),
        }),
        "SSM.GetParameter" => Some(Reply::json(
            200,
            r#"{"Parameter":{"Name":"/cdk-bootstrap/hnb659fds/version","Type":"String","Value":"21","Version":1}}"#,
        )),
        op if op.starts_with("S3.HEAD /cdk-hnb659fds-assets-") => Some(Reply::empty()),
        _ => None,
    }
}
