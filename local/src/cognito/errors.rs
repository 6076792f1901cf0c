//! Errors: the service's own (sent to the client as HTTP 400 with Cognito's
//! `__type` names) and the local ones (a bad template, a damaged store).

use std::fmt;
use std::path::PathBuf;

/// Cognito's error type names, as clients match on them (`__type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    AliasExists,
    CodeMismatch,
    ExpiredCode,
    InvalidParameter,
    InvalidPassword,
    LimitExceeded,
    NotAuthorized,
    PasswordResetRequired,
    ResourceNotFound,
    Serialization,
    UnknownOperation,
    UnsupportedTokenType,
    UnsupportedUserState,
    UserNotConfirmed,
    UserNotFound,
    UsernameExists,
    UserLambdaValidation,
    InternalError,
}

impl ErrorKind {
    /// The `__type` a client sees.
    pub fn type_name(self) -> &'static str {
        match self {
            ErrorKind::AliasExists => "AliasExistsException",
            ErrorKind::CodeMismatch => "CodeMismatchException",
            ErrorKind::ExpiredCode => "ExpiredCodeException",
            ErrorKind::InvalidParameter => "InvalidParameterException",
            ErrorKind::InvalidPassword => "InvalidPasswordException",
            ErrorKind::LimitExceeded => "LimitExceededException",
            ErrorKind::NotAuthorized => "NotAuthorizedException",
            ErrorKind::PasswordResetRequired => "PasswordResetRequiredException",
            ErrorKind::ResourceNotFound => "ResourceNotFoundException",
            ErrorKind::Serialization => "SerializationException",
            ErrorKind::UnknownOperation => "UnknownOperationException",
            ErrorKind::UnsupportedTokenType => "UnsupportedTokenTypeException",
            ErrorKind::UnsupportedUserState => "UnsupportedUserStateException",
            ErrorKind::UserNotConfirmed => "UserNotConfirmedException",
            ErrorKind::UserNotFound => "UserNotFoundException",
            ErrorKind::UsernameExists => "UsernameExistsException",
            ErrorKind::UserLambdaValidation => "UserLambdaValidationException",
            ErrorKind::InternalError => "InternalErrorException",
        }
    }
}

/// Everything that can go wrong in the local user pools.
#[derive(Debug)]
pub enum CognitoError {
    /// An error of the Cognito API, reported to the caller as Cognito would.
    Service { kind: ErrorKind, message: String },
    /// A pool or client in the template that this service cannot run.
    Config(String),
    /// The user store could not be opened, read or written.
    Store { path: PathBuf, detail: String },
}

impl CognitoError {
    /// A service error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CognitoError::Service { kind, message: message.into() }
    }

    /// The `__type` of the error as the client sees it.
    pub fn type_name(&self) -> &'static str {
        match self {
            CognitoError::Service { kind, .. } => kind.type_name(),
            CognitoError::Config(_) | CognitoError::Store { .. } => ErrorKind::InternalError.type_name(),
        }
    }

    /// The kind, for service errors.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            CognitoError::Service { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The message as the client sees it.
    pub fn message(&self) -> String {
        match self {
            CognitoError::Service { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    /// True for errors the client caused (HTTP 400); false for local faults (500).
    pub fn is_client_error(&self) -> bool {
        matches!(self, CognitoError::Service { kind, .. } if *kind != ErrorKind::InternalError)
    }

    pub(crate) fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameter, message)
    }

    pub(crate) fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotAuthorized, message)
    }

    /// Cognito's answer to a wrong password (and, with user existence errors
    /// prevented, to an unknown user).
    pub(crate) fn incorrect_credentials() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }

    pub(crate) fn user_not_found() -> Self {
        Self::new(ErrorKind::UserNotFound, "User does not exist.")
    }

    pub(crate) fn code_mismatch() -> Self {
        Self::new(ErrorKind::CodeMismatch, "Invalid verification code provided, please try again.")
    }

    pub(crate) fn expired_code() -> Self {
        Self::new(ErrorKind::ExpiredCode, "Invalid code provided, please request a code again.")
    }

    pub(crate) fn store(path: &std::path::Path, detail: impl fmt::Display) -> Self {
        CognitoError::Store { path: path.to_path_buf(), detail: detail.to_string() }
    }
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CognitoError::Service { kind, message } => {
                write!(f, "{}: {message}", kind.type_name())
            }
            CognitoError::Config(message) => write!(f, "user pool configuration: {message}"),
            CognitoError::Store { path, detail } => write!(
                f,
                "user store {}: {detail} (run `ampx dev --reset` to start with empty user pools)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for CognitoError {}

/// Result of this module.
pub type Result<T, E = CognitoError> = std::result::Result<T, E>;
