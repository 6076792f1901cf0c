//! The functions' recent log lines, numbered, for the Functions page: the
//! command that runs the backend writes each line here as well as to its
//! terminal.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use local::lambda::LogLine;
use serde::Serialize;

/// How many lines are kept (older ones are dropped).
const KEPT: usize = 2000;

/// One kept line.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LoggedLine {
    /// Its number: later lines have larger numbers.
    pub seq: u64,
    /// Unix milliseconds when it arrived.
    pub at_ms: u64,
    /// The function's display name.
    pub function: String,
    /// The text.
    pub text: String,
    /// From stderr, or a failure the service reported.
    pub is_error: bool,
}

#[derive(Default)]
struct Book {
    next: u64,
    lines: VecDeque<LoggedLine>,
}

/// The last lines of every function. Cheap to clone; share one between the
/// backend's log sink and the console.
#[derive(Clone, Default)]
pub struct LogBook(Arc<Mutex<Book>>);

impl LogBook {
    /// Keeps `line`.
    pub fn push(&self, line: &LogLine) {
        let at_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let mut book = self.0.lock().unwrap_or_else(|e| e.into_inner());
        book.next += 1;
        let seq = book.next;
        book.lines.push_back(LoggedLine {
            seq,
            at_ms: at_ms as u64,
            function: line.function.clone(),
            text: line.text.clone(),
            is_error: line.is_error,
        });
        while book.lines.len() > KEPT {
            book.lines.pop_front();
        }
    }

    /// The number of the last line kept (0 before any).
    pub fn last_seq(&self) -> u64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).next
    }

    /// The kept lines of `function` (all functions for `None`) after line `after`.
    pub fn since(&self, function: Option<&str>, after: u64) -> Vec<LoggedLine> {
        let book = self.0.lock().unwrap_or_else(|e| e.into_inner());
        book.lines.iter().filter(|l| l.seq > after && function.is_none_or(|f| f == l.function)).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(function: &str, text: &str) -> LogLine {
        LogLine { function: function.into(), text: text.into(), is_error: false }
    }

    #[test]
    fn lines_are_numbered_filtered_and_bounded() {
        let book = LogBook::default();
        book.push(&line("a", "one"));
        let mark = book.last_seq();
        book.push(&line("b", "two"));
        book.push(&line("a", "three"));
        let a: Vec<String> = book.since(Some("a"), mark).into_iter().map(|l| l.text).collect();
        assert_eq!(a, ["three"]);
        assert_eq!(book.since(None, 0).len(), 3);
        for i in 0..KEPT + 5 {
            book.push(&line("a", &i.to_string()));
        }
        let all = book.since(None, 0);
        assert_eq!(all.len(), KEPT);
        assert_eq!(all.last().unwrap().text, (KEPT + 4).to_string());
    }
}
