//! What can go wrong building `amplify_outputs.json`.

/// Why `amplify_outputs.json` could not be built. Each variant names the stack
/// output (or template part) at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputsError {
    /// An output that the file needs is not there, or is empty.
    #[error("output `{key}` is missing or empty, but the {group} metadata group needs it")]
    MissingOutput {
        /// The metadata group, such as `AWS::Amplify::Auth`.
        group: String,
        /// The output key, such as `userPoolId`.
        key: String,
    },
    /// An output that should hold JSON does not parse.
    #[error("output `{key}` is not valid JSON: {source}")]
    InvalidJson {
        /// The output key.
        key: String,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// An output parses but its value cannot be used.
    #[error("output `{key}` has an unusable value: {reason}")]
    InvalidValue {
        /// The output key.
        key: String,
        /// What is wrong, with the value when it is short.
        reason: String,
    },
    /// Custom outputs set a value that another part of the file already set.
    #[error("output `{key}` sets `{path}`, which is already set: {reason}")]
    Conflict {
        /// The output key (`customOutputs`).
        key: String,
        /// JSON path of the clash, such as `auth.user_pool_id`.
        path: String,
        /// What clashes.
        reason: String,
    },
    /// The template metadata is not what Amplify writes.
    #[error("template metadata is invalid: {reason}")]
    InvalidMetadata {
        /// What is wrong.
        reason: String,
    },
    /// The synthesized template is not a CloudFormation template.
    #[error("template is invalid: {reason}")]
    InvalidTemplate {
        /// What is wrong.
        reason: String,
    },
}

impl OutputsError {
    /// The stack output this error is about, if it is about one.
    pub fn output_key(&self) -> Option<&str> {
        match self {
            OutputsError::MissingOutput { key, .. }
            | OutputsError::InvalidJson { key, .. }
            | OutputsError::InvalidValue { key, .. }
            | OutputsError::Conflict { key, .. } => Some(key),
            OutputsError::InvalidMetadata { .. } | OutputsError::InvalidTemplate { .. } => None,
        }
    }

    pub(crate) fn invalid(key: &str, reason: impl Into<String>) -> Self {
        OutputsError::InvalidValue { key: key.to_owned(), reason: reason.into() }
    }
}
