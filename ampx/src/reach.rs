//! Reaching AWS: which endpoint (and what chose it), a bounded and visible
//! retry when it cannot be reached, and one clear sentence when it stays out of
//! reach. The SDK's own account of the failure is kept for `-v`.

use std::error::Error as StdError;
use std::sync::OnceLock;

use aws_sdk_cloudformation::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_cloudformation::error::{BoxError, DisplayErrorContext, SdkError};
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_types::config_bag::{Storable, StoreReplace};

use crate::errors::Error;

/// Attempts at reaching the endpoint before giving up (connection refused, no
/// route, a timed-out connect). Other failures follow the retry policy.
pub const CONNECT_ATTEMPTS: u32 = 3;

/// Where requests go, and what chose it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The URL, or a description of AWS's endpoints.
    pub url: String,
    /// `--endpoint-url`, `AWS_ENDPOINT_URL`, ...
    pub chosen_by: String,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.url, self.chosen_by)
    }
}

static ENDPOINT: OnceLock<Endpoint> = OnceLock::new();

/// Decides, once per process, how the endpoint was chosen (for messages).
pub fn choose(flag: Option<&str>, region: &str) -> Endpoint {
    let endpoint = if let Some(url) = flag {
        Endpoint { url: url.into(), chosen_by: "set by --endpoint-url".into() }
    } else if let Some(url) = std::env::var("AWS_ENDPOINT_URL").ok().filter(|u| !u.is_empty()) {
        Endpoint { url, chosen_by: "set by AWS_ENDPOINT_URL".into() }
    } else {
        Endpoint {
            url: format!("AWS's endpoints in {region}"),
            chosen_by: "no --endpoint-url or AWS_ENDPOINT_URL is set".into(),
        }
    };
    ENDPOINT.get_or_init(|| endpoint).clone()
}

fn endpoint() -> String {
    ENDPOINT.get().map(ToString::to_string).unwrap_or_else(|| "the AWS endpoint".into())
}

/// The innermost cause of an error: `Connection refused (os error 111)`.
pub fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut cause = err;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

/// Connection failures so far in one operation, and the last one's cause.
#[derive(Clone, Debug, Default)]
struct Failures(u32, String);

impl Storable for Failures {
    type Storer = StoreReplace<Self>;
}

/// Why ampx stopped retrying (found again in the SDK's error).
#[derive(Debug)]
struct GaveUp(String);

impl std::fmt::Display for GaveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for GaveUp {}

/// Counts an operation's failed connections, says each retry, and stops at
/// [`CONNECT_ATTEMPTS`] instead of the retry policy's longer course.
#[derive(Debug, Default)]
pub struct ConnectRetries;

impl Intercept for ConnectRetries {
    fn name(&self) -> &'static str {
        "ampx::ConnectRetries"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        match cfg.load::<Failures>() {
            Some(Failures(n, last)) if *n >= CONNECT_ATTEMPTS => Err(Box::new(GaveUp(format!("{last}, {n} times")))),
            _ => Ok(()),
        }
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(Err(err)) = context.output_or_error() else { return Ok(()) };
        let Some(connector) = err.as_connector_error() else { return Ok(()) };
        if !(connector.is_io() || connector.is_timeout()) {
            return Ok(());
        }
        let failures = cfg.load::<Failures>().map_or(0, |f| f.0) + 1;
        let cause = if connector.is_timeout() { "the connection timed out".into() } else { root_cause(connector) };
        if failures < CONNECT_ATTEMPTS {
            let operation = cfg.load::<Metadata>().map(|m| format!("{}.{}", m.service(), m.name())).unwrap_or_default();
            eprintln!(
                "[aws] cannot reach {} for {operation} ({cause}); retrying ({} of {CONNECT_ATTEMPTS})",
                endpoint(),
                failures + 1
            );
        }
        cfg.interceptor_state().store_put(Failures(failures, cause));
        Ok(())
    }
}

/// The error for a call that got no answer from the service: the endpoint is
/// out of reach, or the request could not be made (no credentials).
pub(crate) fn transport_error<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Error
where
    E: StdError + Send + Sync + 'static,
{
    let detail = DisplayErrorContext(err).to_string();
    match err {
        SdkError::DispatchFailure(failure) => {
            let reason = match find::<GaveUp>(err) {
                Some(gave_up) => gave_up.0.clone(),
                None if failure.is_timeout() => "the connection timed out".to_string(),
                None => root_cause(err),
            };
            Error::Unreachable { operation: operation.into(), endpoint: endpoint(), reason, detail }
        }
        SdkError::TimeoutError(_) => Error::Unreachable {
            operation: operation.into(),
            endpoint: endpoint(),
            reason: "no answer in time".into(),
            detail,
        },
        SdkError::ConstructionFailure(_) if detail.contains("credentials") => crate::credentials::missing(detail, None),
        _ => Error::Aws { operation: operation.into(), message: root_cause(err), advice: String::new() },
    }
}

fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cause = Some(err);
    while let Some(e) = cause {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        cause = e.source();
    }
    None
}
