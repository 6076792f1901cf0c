//! `ampx sandbox --stream-function-logs`: the sandbox's function logs, read from
//! CloudWatch Logs and printed as `HH:MM:SS [friendly-name] message`, as
//! Amplify's sandbox prints them.
//!
//! The functions are the root stack's `definedFunctions` output (Amplify's
//! `AWS::Amplify::Function` output), named by their `amplify:friendly-name` tag.
//! Streaming pauses while a deployment runs, so that log lines do not interleave
//! with CloudFormation's events, and resumes after it from the moment it paused:
//! nothing logged meanwhile is lost.

use std::collections::HashSet;
use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;
use regex::Regex;
use tokio::task::AbortHandle;

use crate::aws::{Aws, OpResult};
use crate::deployed;
use crate::errors::{Error, Result};

/// How long to wait between two reads of the log groups.
const POLL: Duration = Duration::from_secs(2);
/// Events asked for per log group and read; more are read on the next one.
const PAGE: i32 = 100;
/// The tag that carries a function's name in the backend.
const FRIENDLY_NAME: &str = "amplify:friendly-name";

/// What to stream and where: the options of `ampx sandbox`.
#[derive(Clone, Debug)]
pub struct StreamOptions {
    /// Only functions whose friendly name matches one of these (all when empty).
    pub filters: Vec<Regex>,
    /// Appends to this file, without colours, instead of printing.
    pub out_file: Option<PathBuf>,
}

/// A function whose logs are streamed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Streamed {
    /// Its name in the backend (`say-hello`).
    pub friendly_name: String,
    /// Its log group (`/aws/lambda/<deployed name>`).
    pub log_group: String,
}

/// Streams the sandbox's function logs between deployments.
#[derive(Debug)]
pub struct LogStreamer {
    options: StreamOptions,
    /// Where reading resumes: the moment the last pause began (ms since the epoch).
    since_ms: Mutex<i64>,
    task: Mutex<Option<AbortHandle>>,
}

impl LogStreamer {
    /// Streams nothing until [`resume`](Self::resume); lines logged from now on count.
    pub fn new(options: StreamOptions) -> LogStreamer {
        LogStreamer { options, since_ms: Mutex::new(now_ms()), task: Mutex::new(None) }
    }

    /// Stops reading (a deployment is about to start). Reading resumes from now.
    pub fn pause(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
            *self.since_ms.lock().unwrap_or_else(|e| e.into_inner()) = now_ms();
        }
    }

    /// Finds the functions the deployed `stack` defines and streams their logs.
    /// Returns the functions streamed.
    pub async fn resume(&self, aws: &Aws, stack: &str) -> Result<Vec<Streamed>> {
        self.pause();
        let functions = defined_functions(aws, stack).await?;
        let mut streamed = Vec::new();
        for name in functions {
            let got = aws.lambda.get_function().function_name(&name).send().await.op("Lambda.GetFunction")?;
            let Some(friendly) = got.tags().and_then(|t| t.get(FRIENDLY_NAME)).cloned() else {
                eprintln!("[sandbox] function {name} has no {FRIENDLY_NAME} tag; its logs are not streamed");
                continue;
            };
            if self.options.filters.is_empty() || self.options.filters.iter().any(|f| f.is_match(&friendly)) {
                streamed.push(Streamed { friendly_name: friendly, log_group: format!("/aws/lambda/{name}") });
            }
        }
        let sink = Sink::open(self.options.out_file.as_ref())?;
        let since = *self.since_ms.lock().unwrap_or_else(|e| e.into_inner());
        let cursors = streamed.iter().map(|s| Cursor::new(s, since)).collect();
        let handle = tokio::spawn(poll(aws.logs.clone(), cursors, sink)).abort_handle();
        *self.task.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
        Ok(streamed)
    }
}

impl Drop for LogStreamer {
    fn drop(&mut self) {
        self.pause();
    }
}

/// Compiles a `--logs-filter` for clap, which names the flag in its error.
pub fn parse_filter(pattern: &str) -> std::result::Result<Regex, String> {
    Regex::new(pattern).map_err(|e| format!("not a regular expression over function names: {e}"))
}

/// The deployed names in the root stack's `definedFunctions` output.
async fn defined_functions(aws: &Aws, stack: &str) -> Result<Vec<String>> {
    let Some(deployed) = deployed::describe(aws, stack).await? else {
        return Err(Error::FunctionLogs(format!("the stack {stack} is not deployed")));
    };
    let Some(list) = deployed.outputs.get("definedFunctions") else { return Ok(Vec::new()) };
    serde_json::from_str(list)
        .map_err(|e| Error::FunctionLogs(format!("{stack}'s definedFunctions output is not a JSON list of names: {e}")))
}

/// Where one log group is read from: events after `start_ms`, except those at
/// exactly `start_ms` already printed (CloudWatch's time filter is inclusive).
#[derive(Debug)]
struct Cursor {
    group: Streamed,
    start_ms: i64,
    printed_at_start: HashSet<String>,
    colour: &'static str,
}

impl Cursor {
    fn new(group: &Streamed, since_ms: i64) -> Cursor {
        Cursor { group: group.clone(), start_ms: since_ms, printed_at_start: HashSet::new(), colour: "" }
    }
}

/// Reads every group every [`POLL`], until aborted or until CloudWatch fails.
async fn poll(logs: aws_sdk_cloudwatchlogs::Client, mut cursors: Vec<Cursor>, mut sink: Sink) {
    for (i, c) in cursors.iter_mut().enumerate() {
        c.colour = COLOURS[i % COLOURS.len()];
    }
    loop {
        for cursor in &mut cursors {
            if let Err(e) = read_group(&logs, cursor, &mut sink).await {
                eprintln!("[sandbox] cannot read the logs of {}: {e}; streaming stops", cursor.group.friendly_name);
                return;
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Prints the group's events since its cursor, and moves the cursor on.
async fn read_group(logs: &aws_sdk_cloudwatchlogs::Client, cursor: &mut Cursor, sink: &mut Sink) -> Result<()> {
    let out = match logs
        .filter_log_events()
        .log_group_name(&cursor.group.log_group)
        .start_time(cursor.start_ms)
        .limit(PAGE)
        .send()
        .await
    {
        Ok(out) => out,
        // Lambda creates the group on the function's first log line.
        Err(e) if e.code() == Some("ResourceNotFoundException") => return Ok(()),
        Err(e) => return Err(crate::aws::aws_error("CloudWatchLogs.FilterLogEvents", &e)),
    };
    for event in out.events() {
        let (Some(at), Some(message)) = (event.timestamp, event.message()) else { continue };
        let id = event.event_id().unwrap_or_default().to_string();
        if at < cursor.start_ms || (at == cursor.start_ms && cursor.printed_at_start.contains(&id)) {
            continue;
        }
        if at > cursor.start_ms {
            cursor.start_ms = at;
            cursor.printed_at_start.clear();
        }
        cursor.printed_at_start.insert(id);
        sink.line(at, &cursor.group.friendly_name, cursor.colour, message.trim_end())?;
    }
    Ok(())
}

/// ANSI colours for function names, one per function in turn.
const COLOURS: [&str; 6] = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[31m"];

/// Standard output (coloured on a terminal unless `NO_COLOR`), or a file.
#[derive(Debug)]
enum Sink {
    Stdout { colour: bool },
    File { path: PathBuf, file: File },
}

impl Sink {
    fn open(path: Option<&PathBuf>) -> Result<Sink> {
        match path {
            Some(path) => {
                let file = File::options().create(true).append(true).open(path).map_err(|source| Error::Io {
                    action: "cannot open --logs-out-file",
                    path: path.clone(),
                    source,
                })?;
                Ok(Sink::File { path: path.clone(), file })
            }
            None => {
                Ok(Sink::Stdout { colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() })
            }
        }
    }

    fn line(&mut self, at_ms: i64, name: &str, colour: &str, message: &str) -> Result<()> {
        let time = clock(at_ms);
        match self {
            Sink::Stdout { colour: true } => println!("{time} [{colour}{name}\x1b[0m] {message}"),
            Sink::Stdout { colour: false } => println!("{time} [{name}] {message}"),
            Sink::File { path, file } => writeln!(file, "{time} [{name}] {message}").map_err(|source| Error::Io {
                action: "cannot write to --logs-out-file",
                path: path.clone(),
                source,
            })?,
        }
        Ok(())
    }
}

/// `HH:MM:SS` in UTC, as Lambda's own log lines time themselves.
fn clock(at_ms: i64) -> String {
    let seconds = at_ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_wall_clock() {
        // 2024-01-02T03:04:05.678Z
        assert_eq!(clock(1_704_164_645_678), "03:04:05");
        assert_eq!(clock(0), "00:00:00");
    }

    #[test]
    fn a_bad_filter_says_why() {
        let e = parse_filter("say-(hello").unwrap_err();
        assert!(e.contains("not a regular expression"), "{e}");
        assert!(parse_filter("^say-").unwrap().is_match("say-hello"));
    }
}
