//! Why the storage service could not start, or a stored object could not be
//! read or written. (Errors answered to S3 clients are s3s's `S3Error`s.)

use std::path::PathBuf;

/// A storage failure, said in words with what to do.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A policy in the assembly cannot be read.
    #[error("{resource}, {element}: {message}")]
    Policy {
        /// The resource (logical id and stack path).
        resource: String,
        /// The element, such as `Properties.PolicyDocument.Statement[0].Effect`.
        element: String,
        /// What is wrong.
        message: String,
    },
    /// The object store cannot be opened, read or written.
    #[error("object store {}: {message}", path.display())]
    Store {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong, and what to do.
        message: String,
    },
}

impl StorageError {
    pub(crate) fn store(path: impl Into<PathBuf>, message: impl std::fmt::Display) -> StorageError {
        StorageError::Store { path: path.into(), message: message.to_string() }
    }
}
