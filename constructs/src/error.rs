//! Synthesis errors: every problem found in one pass, each with the construct path
//! that caused it.

use std::fmt;

/// One problem, located by construct path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The construct path (`<root>` for the app, or a file path for I/O errors).
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Synthesis failed; `problems` lists every error found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthError {
    /// All the problems, in tree order.
    pub problems: Vec<Problem>,
}

impl SynthError {
    pub(crate) fn single(path: &str, message: impl Into<String>) -> Self {
        SynthError { problems: vec![Problem { path: path.to_string(), message: message.into() }] }
    }

    /// Whether any problem mentions `text` (in its path or message).
    pub fn mentions(&self, text: &str) -> bool {
        self.problems.iter().any(|p| p.path.contains(text) || p.message.contains(text))
    }
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(f, "synthesis failed with {n} error{}:", if n == 1 { "" } else { "s" })?;
        for p in &self.problems {
            writeln!(f, "  [{}] {}", p.path, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for SynthError {}
