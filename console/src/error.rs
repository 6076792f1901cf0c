//! The JSON API's errors: `{"error": {"type", "message"}}` with an HTTP
//! status, the service's own error type and words passed through.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use local::cognito::CognitoError;

/// An error answered by the JSON API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// A short type name (`UsernameExistsException`, `NotFound`, ...).
    pub kind: String,
    /// What went wrong, for the page to show.
    pub message: String,
}

impl ApiError {
    /// A 400 with `kind` and `message`.
    pub fn bad_request(kind: &str, message: impl Into<String>) -> ApiError {
        ApiError { status: 400, kind: kind.into(), message: message.into() }
    }

    /// A 404 naming what was not found.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: 404, kind: "NotFound".into(), message: message.into() }
    }

    /// A 500 for a failure of the local services.
    pub fn internal(message: impl std::fmt::Display) -> ApiError {
        ApiError { status: 500, kind: "InternalError".into(), message: message.to_string() }
    }
}

impl From<CognitoError> for ApiError {
    fn from(e: CognitoError) -> ApiError {
        let status = if e.is_client_error() { 400 } else { 500 };
        ApiError { status, kind: e.type_name().to_string(), message: e.message() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({"error": {"type": self.kind, "message": self.message}});
        (status, axum::Json(body)).into_response()
    }
}

/// What a handler answers.
pub type ApiResult<T> = Result<T, ApiError>;
