//! Errors of the local identity pools: the service's own (sent as HTTP 400 with
//! Cognito Identity's `__type` names) and the local ones (a bad template, a
//! damaged store).

use std::path::Path;

/// Cognito Identity's error type names, as clients match on them (`__type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `InvalidParameterException`
    InvalidParameter,
    /// `NotAuthorizedException`
    NotAuthorized,
    /// `ResourceNotFoundException`
    ResourceNotFound,
    /// `ResourceConflictException`
    ResourceConflict,
    /// `SerializationException`
    Serialization,
    /// `UnknownOperationException`
    UnknownOperation,
    /// `InternalErrorException`
    InternalError,
}

impl ErrorKind {
    /// The `__type` a client sees.
    pub fn type_name(self) -> &'static str {
        match self {
            ErrorKind::InvalidParameter => "InvalidParameterException",
            ErrorKind::NotAuthorized => "NotAuthorizedException",
            ErrorKind::ResourceNotFound => "ResourceNotFoundException",
            ErrorKind::ResourceConflict => "ResourceConflictException",
            ErrorKind::Serialization => "SerializationException",
            ErrorKind::UnknownOperation => "UnknownOperationException",
            ErrorKind::InternalError => "InternalErrorException",
        }
    }
}

/// Everything that can go wrong in the local identity pools.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// An error of the Cognito Identity API, reported as the service reports it.
    #[error("{}: {message}", kind.type_name())]
    Service {
        /// The error type.
        kind: ErrorKind,
        /// The message.
        message: String,
    },
    /// An identity pool or role attachment in the template that cannot be run.
    #[error("{element}: {message}")]
    Config {
        /// The resource (`IdentityPool amplifyAuthIdentityPool3FDE84CC`).
        element: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The store cannot be read or written.
    #[error("identity store {path}: {message}")]
    Store {
        /// The store's file.
        path: String,
        /// What failed, and what to do.
        message: String,
    },
}

impl IdentityError {
    /// A service error.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> IdentityError {
        IdentityError::Service { kind, message: message.into() }
    }

    /// `NotAuthorizedException`.
    pub fn not_authorized(message: impl Into<String>) -> IdentityError {
        IdentityError::new(ErrorKind::NotAuthorized, message)
    }

    /// `InvalidParameterException`.
    pub fn invalid(message: impl Into<String>) -> IdentityError {
        IdentityError::new(ErrorKind::InvalidParameter, message)
    }

    /// `ResourceNotFoundException`.
    pub fn not_found(message: impl Into<String>) -> IdentityError {
        IdentityError::new(ErrorKind::ResourceNotFound, message)
    }

    pub(crate) fn config(element: impl Into<String>, message: impl Into<String>) -> IdentityError {
        IdentityError::Config { element: element.into(), message: message.into() }
    }

    pub(crate) fn store(path: &Path, e: impl std::fmt::Display) -> IdentityError {
        IdentityError::Store {
            path: path.display().to_string(),
            message: format!("{e}; if it is damaged, run `ampx dev --reset` to start with empty stores"),
        }
    }

    /// The `__type` a client sees (local errors are `InternalErrorException`).
    pub fn type_name(&self) -> &'static str {
        match self {
            IdentityError::Service { kind, .. } => kind.type_name(),
            _ => ErrorKind::InternalError.type_name(),
        }
    }

    /// The message a client sees.
    pub fn message(&self) -> String {
        match self {
            IdentityError::Service { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    /// Whether the caller is at fault (HTTP 400) rather than the service (500).
    pub fn is_client_error(&self) -> bool {
        matches!(self, IdentityError::Service { kind, .. } if *kind != ErrorKind::InternalError)
    }
}

/// A result of this module.
pub type Result<T, E = IdentityError> = std::result::Result<T, E>;
