//! Schema errors: each names where it is (model, type or operation, and field), what is
//! wrong and how to fix it; validation reports all of them at once.

use std::fmt;

/// One problem in a data schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    /// Where: `Model`, `Model.field`, `Query.echo`, `schema`, ...
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// The diagnostic code synthesis reports it with ([`crate::codes`]).
    pub code: &'static str,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} Fix: {}", self.path, self.message, self.fix)
    }
}

/// Every problem found in a data schema, in schema order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "the data schema has {n} error{}:", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

impl DataErrors {
    /// The errors at `path` (for tests and tools).
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a DataError> + 'a {
        self.0.iter().filter(move |e| e.path == path)
    }
}
