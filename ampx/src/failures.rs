//! What a failed AWS call means and what to do about it: throttling, a service
//! fault, a refused request, access denied, refused credentials. Every error
//! names the call that failed.

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::errors::{Error, Result};

/// Turns SDK errors into [`Error`]s that name the operation.
pub(crate) trait OpResult<T> {
    /// Tags the error with the operation, e.g. `CloudFormation.CreateChangeSet`.
    fn op(self, operation: &str) -> Result<T>;
}

impl<T, E> OpResult<T> for std::result::Result<T, SdkError<E, HttpResponse>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn op(self, operation: &str) -> Result<T> {
        self.map_err(|e| aws_error(operation, &e))
    }
}

/// What kind of failure a service error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Too many requests; the SDK's retries ran out.
    Throttled,
    /// The service failed (HTTP 5xx); whether the call took effect is unknown.
    ServiceFault,
    /// The request was refused as invalid (a bad template, a bad name).
    Invalid,
    /// The credentials may not make the call.
    AccessDenied,
    /// What the call creates exists already.
    AlreadyExists,
    /// The credentials were not accepted.
    BadCredentials,
    /// The credentials' session has expired.
    Expired,
    /// Anything else the service said.
    Other,
}

const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
];
const ACCESS_DENIED: &[&str] =
    &["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"];
const INVALID: &[&str] = &[
    "ValidationError",
    "ValidationException",
    "InvalidParameterValue",
    "InvalidParameterCombination",
    "InsufficientCapabilitiesException",
    "InvalidRequest",
];
const BAD_CREDENTIALS: &[&str] =
    &["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "InvalidAccessKeyId"];
const EXPIRED: &[&str] = &["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"];

/// Classifies a service error by its code and HTTP status.
pub fn classify(code: &str, status: u16) -> Cause {
    let is = |codes: &[&str]| codes.contains(&code);
    if is(THROTTLING) {
        Cause::Throttled
    } else if is(EXPIRED) {
        Cause::Expired
    } else if is(BAD_CREDENTIALS) {
        Cause::BadCredentials
    } else if is(ACCESS_DENIED) || status == 403 && code.is_empty() {
        Cause::AccessDenied
    } else if code == "AlreadyExistsException" || code == "AlreadyExists" {
        Cause::AlreadyExists
    } else if status >= 500 || matches!(code, "InternalFailure" | "InternalError" | "ServiceUnavailable") {
        Cause::ServiceFault
    } else if is(INVALID) {
        Cause::Invalid
    } else {
        Cause::Other
    }
}

/// What to do after a failure of this kind.
pub fn advice(cause: Cause, operation: &str) -> String {
    match cause {
        Cause::Throttled => "AWS throttled the requests and the retries ran out; wait a minute and run the command \
                             again (AWS_MAX_ATTEMPTS allows more retries)"
            .into(),
        Cause::ServiceFault => "the service failed, and whether the call took effect is unknown; run the command \
                                again: ampx starts from what is deployed"
            .into(),
        Cause::AccessDenied => format!(
            "the credentials may not call {operation}; grant the permission, or use a profile that has it \
             (--profile)"
        ),
        Cause::AlreadyExists => "something of that name exists already".into(),
        Cause::Invalid => "the request was refused as it is; the message says what to change".into(),
        Cause::BadCredentials => "the credentials were refused; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
                                  or the profile's keys (`aws configure`)"
            .into(),
        Cause::Expired => "the session has expired; get new credentials (`aws sso login`, or a fresh \
                           AWS_SESSION_TOKEN) and run again"
            .into(),
        Cause::Other => String::new(),
    }
}

/// The code, message and status of a service error.
pub(crate) fn service_error<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> Option<(String, String, u16)> {
    let SdkError::ServiceError(service) = err else { return None };
    let status = service.raw().status().as_u16();
    let code = err.code().unwrap_or_default().to_string();
    let message = match err.message() {
        Some(m) if !m.is_empty() => m.to_string(),
        _ if code.is_empty() => format!("HTTP {status} with no error message"),
        _ => "no message".into(),
    };
    Some((code, message, status))
}

/// The error for a failed call of `operation`.
pub(crate) fn aws_error<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some((code, message, status)) = service_error(err) {
        let cause = classify(&code, status);
        let message = if code.is_empty() { message } else { format!("{message} ({code})") };
        return match cause {
            Cause::BadCredentials | Cause::Expired => {
                Error::CredentialsRefused { message, advice: advice(cause, operation) }
            }
            _ => Error::Aws { operation: operation.into(), message, advice: advice(cause, operation) },
        };
    }
    crate::reach::transport_error(operation, err)
}

/// Whether an SDK error is a service error with this code.
pub(crate) fn has_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>, code: &str) -> bool {
    matches!(err, SdkError::ServiceError(_)) && err.code() == Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes() {
        assert_eq!(classify("Throttling", 400), Cause::Throttled);
        assert_eq!(classify("", 500), Cause::ServiceFault);
        assert_eq!(classify("InternalFailure", 500), Cause::ServiceFault);
        assert_eq!(classify("ValidationError", 400), Cause::Invalid);
        assert_eq!(classify("AccessDenied", 403), Cause::AccessDenied);
        assert_eq!(classify("AlreadyExistsException", 400), Cause::AlreadyExists);
        assert_eq!(classify("ExpiredToken", 403), Cause::Expired);
        assert_eq!(classify("InvalidClientTokenId", 403), Cause::BadCredentials);
        assert_eq!(classify("LimitExceededException", 400), Cause::Other);
    }
}
