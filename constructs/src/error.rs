//! Diagnostics: errors and warnings with a stable code, the construct path they
//! are about, a message and a fix (the CDK's `Annotations`). Synthesis collects
//! every one in a pass; errors fail it, warnings are printed (or, in strict
//! mode, fail it too).

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Synthesis fails.
    Error,
    /// Printed at synthesis; an error in strict mode.
    Warning,
}

/// One diagnostic, located by construct path.
///
/// ```
/// use constructs::{codes, App, AppProps, CfnResource, Diagnostic, IConstruct, Stack};
/// let app = App::with_props(AppProps::default());
/// let stack = Stack::new(&app, "S");
/// let queue = CfnResource::new(&stack, "Queue", "AWS::SQS::Queue");
/// queue.node().add_error("MYORG001", "queues must be encrypted", "set KmsMasterKeyId");
/// let err = app.synth_in_memory().unwrap_err();
/// assert_eq!(err.codes(), ["MYORG001"]);
/// assert_eq!(err.problems[0].path, "S/Queue");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code (`CX103`, `CF202`, `AMP301`, or a user's own), for tests and
    /// tools to match instead of the message text. See [`codes`](crate::codes).
    pub code: String,
    /// The construct path (`<root>` for the app, or a file path for I/O errors).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it (empty only when nothing better than the message can be said).
    pub fix: String,
}

/// The former name of [`Diagnostic`].
pub type Problem = Diagnostic;

impl Diagnostic {
    /// An error not yet located (the node that reports it fills in the path).
    pub fn error(code: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code.to_string(),
            path: String::new(),
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A warning not yet located.
    pub fn warning(code: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message, fix) }
    }

    /// The same diagnostic at `path`.
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The message and the fix as one sentence (`message; fix`).
    pub fn sentence(&self) -> String {
        if self.fix.is_empty() {
            self.message.clone()
        } else {
            format!("{}; {}", self.message, self.fix)
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind} {} [{}] {}", self.code, self.path, self.message)?;
        if !self.fix.is_empty() {
            write!(f, "; fix: {}", self.fix)?;
        }
        Ok(())
    }
}

/// Synthesis failed; `problems` lists every error found (first causes only: what
/// follows from an error already listed is left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthError {
    /// The errors, in the order synthesis found them.
    pub problems: Vec<Diagnostic>,
}

impl SynthError {
    pub(crate) fn single(code: &str, path: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        SynthError { problems: vec![Diagnostic::error(code, message, fix).at(path)] }
    }

    /// Whether any problem mentions `text` (in its path, or its message and fix
    /// read as one sentence: `message; fix`).
    pub fn mentions(&self, text: &str) -> bool {
        self.problems.iter().any(|p| p.path.contains(text) || p.sentence().contains(text))
    }

    /// The code of each problem, in order.
    pub fn codes(&self) -> Vec<&str> {
        self.problems.iter().map(|p| p.code.as_str()).collect()
    }

    /// Whether some problem has this code.
    pub fn has_code(&self, code: &str) -> bool {
        self.problems.iter().any(|p| p.code == code)
    }

    /// The first problem with this code.
    pub fn find(&self, code: &str) -> Option<&Diagnostic> {
        self.problems.iter().find(|p| p.code == code)
    }
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(f, "synthesis failed with {n} error{}:", if n == 1 { "" } else { "s" })?;
        for p in &self.problems {
            write!(f, "  {} [{}] {}", p.code, p.path, p.message)?;
            if !p.fix.is_empty() {
                write!(f, "\n      fix: {}", p.fix)?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for SynthError {}
