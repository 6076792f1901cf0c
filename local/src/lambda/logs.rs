//! Where functions' output goes: each line a function writes to stdout or
//! stderr, and the service's own lines about it (cold starts, timeouts,
//! crashes), reach a [`LogSink`] under the function's name.

use std::fmt;
use std::sync::Arc;

/// One line of a function's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// The function's display name.
    pub function: String,
    /// The text, without its newline.
    pub text: String,
    /// Whether it came from stderr (or is a failure the service reports).
    pub is_error: bool,
}

impl fmt::Display for LogLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.function, self.text)
    }
}

/// Receives every log line. Cheap to clone.
#[derive(Clone)]
pub struct LogSink(Arc<dyn Fn(&LogLine) + Send + Sync>);

impl LogSink {
    /// A sink calling `f` for each line.
    pub fn new(f: impl Fn(&LogLine) + Send + Sync + 'static) -> LogSink {
        LogSink(Arc::new(f))
    }

    /// A sink printing `[name] line` to stderr.
    pub fn stderr() -> LogSink {
        LogSink::new(|line| eprintln!("{line}"))
    }

    /// Sends one line.
    pub fn send(&self, line: LogLine) {
        (self.0)(&line);
    }

    /// Sends a line the service writes about `function`.
    pub fn note(&self, function: &str, text: impl Into<String>, is_error: bool) {
        self.send(LogLine { function: function.to_string(), text: text.into(), is_error });
    }
}

impl fmt::Debug for LogSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LogSink")
    }
}

/// Forwards each line of `reader` to `sink` under `function`, until it closes.
pub(crate) async fn forward<R>(reader: R, function: String, is_error: bool, sink: LogSink)
where
    R: tokio::io::AsyncRead + Unpin,
{
    use tokio::io::AsyncBufReadExt;
    let mut lines = tokio::io::BufReader::new(reader).lines();
    while let Ok(Some(text)) = lines.next_line().await {
        sink.send(LogLine { function: function.clone(), text, is_error });
    }
}
