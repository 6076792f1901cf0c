//! What can go wrong with resolver code: rejected at load time ([`LoadError`]),
//! a GraphQL error the code raised on purpose ([`GraphQlError`]), or a fault while
//! it ran ([`ResolverError`]).

use std::fmt;

/// The data API's error shape: `util.error`, `util.appendError` and
/// `util.unauthorized` raise it, and data sources report it.
pub use crate::appsync::errors::GraphQlError;

/// One thing in a resolver's code that AppSync's APPSYNC_JS runtime rejects.
pub use appsync_js::Violation;

/// Code that cannot be loaded: every violation, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The resolver or function (`Query.getChat`, `function AuthFunction`).
    pub name: String,
    pub violations: Vec<Violation>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "{}: APPSYNC_JS would reject this code ({n} problem{}):", self.name, if n == 1 { "" } else { "s" })?;
        for v in &self.violations {
            write!(f, "\n  {}:{} {} ({})", v.line, v.column, v.message, v.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// A fault while resolver code ran: an exception it did not mean to raise (a
/// `TypeError`, a call of something undefined), a handler it lacks, or a result
/// that is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolverError {
    /// The resolver or function.
    pub name: String,
    /// The handler that failed (`request`, `response`), if any.
    pub handler: Option<&'static str>,
    /// The JavaScript message (`TypeError: cannot read property 'id' of undefined`).
    pub message: String,
    /// The first frame of the JavaScript stack that lies in the resolver's code
    /// (`request (Query.getChat:4)`), when there is one.
    pub location: Option<String>,
}

impl fmt::Display for ResolverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if let Some(h) = self.handler {
            write!(f, " ({h} handler)")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(at) = &self.location {
            write!(f, " at {at}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResolverError {}
