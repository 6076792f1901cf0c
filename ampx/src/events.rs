//! Following a stack operation: polling the stack's events, and its nested
//! stacks' as they appear, until the stack reaches a final status.

use std::collections::HashSet;
use std::time::Duration;

use aws_sdk_cloudformation::primitives::{DateTime, DateTimeFormat};
use aws_sdk_cloudformation::types::StackEvent;

use crate::aws::{has_code, Aws, OpResult};
use crate::errors::{Error, Result};
use crate::interrupt::Interrupt;
use crate::progress::Progress;

/// How often the stack is polled while an operation runs.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Failed resources shown when a deployment fails.
const MAX_FAILURES_SHOWN: usize = 5;

/// One stack event.
#[derive(Clone, Debug)]
pub struct Event {
    /// The stack's name.
    pub stack_name: String,
    /// Whether the stack is the one being deployed (not a nested stack).
    pub root: bool,
    /// The resource's logical id (the stack's name for the stack itself).
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// `CREATE_COMPLETE`, ...
    pub status: String,
    /// Why, for failures.
    pub reason: Option<String>,
    /// The physical id (a stack id for nested stacks).
    pub physical_id: Option<String>,
    /// `HH:MM:SS` (UTC).
    pub time: String,
}

impl Event {
    /// `Logical` for the root stack, `NestedStack/Logical` inside a nested one.
    pub fn label(&self) -> String {
        if self.root {
            self.logical_id.clone()
        } else {
            format!("{}/{}", self.stack_name, self.logical_id)
        }
    }

    /// Whether this is about a resource rather than the stack itself.
    pub fn is_resource(&self) -> bool {
        self.logical_id != self.stack_name
    }

    fn is_failure(&self) -> bool {
        // Resources that CloudFormation cancelled because another one failed are
        // noise: the cause is elsewhere.
        self.status.ends_with("_FAILED") && !self.reason.as_deref().unwrap_or_default().contains("cancelled")
    }
}

/// Whether a stack status is final.
pub fn is_terminal(status: &str) -> bool {
    !status.ends_with("_IN_PROGRESS")
}

/// Whether a final status means the operation worked.
pub fn is_success(status: &str) -> bool {
    matches!(status, "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "DELETE_COMPLETE" | "IMPORT_COMPLETE")
}

/// Follows one operation on one stack.
pub struct Follower<'a> {
    aws: &'a Aws,
    stack_id: String,
    /// Events at or before this time belong to earlier operations.
    since: Option<DateTime>,
    seen: HashSet<String>,
    /// Stack ids to poll: the stack, then nested stacks as they show up.
    tracked: Vec<String>,
    failures: Vec<Event>,
    /// Why Ctrl-C's cancel failed, when it did.
    cancel_failed: Option<String>,
    /// The status and reason last shown for each resource.
    last_shown: std::collections::HashMap<String, (String, Option<String>)>,
}

impl<'a> Follower<'a> {
    /// Follows events of `stack_id` newer than `since` (a server time, such as
    /// the change set's creation time, so that clock skew does not matter).
    pub fn new(aws: &'a Aws, stack_id: &str, since: Option<DateTime>) -> Follower<'a> {
        Follower {
            aws,
            stack_id: stack_id.into(),
            since,
            seen: HashSet::new(),
            tracked: vec![stack_id.into()],
            failures: Vec::new(),
            cancel_failed: None,
            last_shown: Default::default(),
        }
    }

    /// The clients it polls with.
    pub fn aws(&self) -> &'a Aws {
        self.aws
    }

    /// The stack followed.
    pub fn stack_id(&self) -> &str {
        &self.stack_id
    }

    /// Marks the events already there as seen (when there is no `since`).
    pub async fn skip_existing(&mut self) -> Result<()> {
        let page = self.aws.cfn.describe_stack_events().stack_name(&self.stack_id).send().await;
        let page = page.op("CloudFormation.DescribeStackEvents")?;
        self.seen.extend(page.stack_events().iter().filter_map(|e| e.event_id.clone()));
        Ok(())
    }

    /// Polls until the stack's status is final and returns it. The first Ctrl-C
    /// cancels an update (CloudFormation rolls back) or, for anything else, waits
    /// for CloudFormation to finish; the second stops waiting at once, whatever
    /// call is under way.
    pub async fn run(&mut self, progress: &Progress, interrupt: &Interrupt) -> Result<String> {
        let mut handled_interrupt = interrupt.count();
        let mut status = String::from("UNKNOWN");
        loop {
            let (id, note) = (self.stack_id.clone(), self.cancel_failed.clone());
            status = tokio::select! {
                polled = self.status() => polled?,
                _ = interrupt.reached(2) => return Err(stopped(&id, &status, note.as_deref())),
            };
            tokio::select! {
                polled = self.poll_events(progress) => polled?,
                _ = interrupt.reached(2) => return Err(stopped(&id, &status, note.as_deref())),
            }
            if is_terminal(&status) {
                return Ok(status);
            }
            let pressed = interrupt.count();
            if pressed > handled_interrupt {
                if pressed >= 2 {
                    return Err(stopped(&self.stack_id, &status, self.cancel_failed.as_deref()));
                }
                handled_interrupt = pressed;
                tokio::select! {
                    _ = self.on_interrupt(&status, progress) => {}
                    _ = interrupt.reached(2) => return Err(stopped(&id, &status, None)),
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = interrupt.reached(handled_interrupt + 1) => {}
            }
        }
    }

    async fn on_interrupt(&mut self, status: &str, progress: &Progress) {
        let name = display_name(&self.stack_id);
        if status != "UPDATE_IN_PROGRESS" {
            progress.line(&format!(
                "Ctrl-C: {name} is {status}, which cannot be stopped half-way; waiting for CloudFormation to finish \
                 so it is left consistent. Press Ctrl-C again to stop waiting."
            ));
            return;
        }
        // One retry at most: the user is waiting, and a cancel that fails says so.
        let cancelled = self
            .aws
            .cfn
            .cancel_update_stack()
            .stack_name(&self.stack_id)
            .client_request_token(crate::changeset::token())
            .customize()
            .config_override(
                aws_sdk_cloudformation::config::Builder::default()
                    .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(2)),
            )
            .send()
            .await;
        match cancelled {
            Ok(_) => progress.line(
                "Ctrl-C: cancelling the update; CloudFormation rolls the stack back to where it was. Press Ctrl-C \
                 again to stop waiting.",
            ),
            Err(e) => {
                let why = crate::aws::aws_error("CloudFormation.CancelUpdateStack", &e).to_string();
                let note = format!(
                    "the update could not be cancelled ({why}); while it is UPDATE_IN_PROGRESS, `aws cloudformation \
                     cancel-update-stack --stack-name {name}` cancels it"
                );
                progress.line(&format!(
                    "Ctrl-C: {note}. {name} is {status}; CloudFormation carries on, and ampx waits for it to \
                     finish. Press Ctrl-C again to stop waiting."
                ));
                self.cancel_failed = Some(note);
            }
        }
    }

    /// Why a cancel that was asked for did not happen, if it did not.
    pub fn cancel_failed(&self) -> Option<&str> {
        self.cancel_failed.as_deref()
    }

    /// The stack's status; a stack that is gone counts as deleted.
    async fn status(&self) -> Result<String> {
        match self.aws.cfn.describe_stacks().stack_name(&self.stack_id).send().await {
            Ok(out) => Ok(out
                .stacks()
                .first()
                .and_then(|s| s.stack_status())
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "DELETE_COMPLETE".into())),
            Err(e) if has_code(&e, "ValidationError") => Ok("DELETE_COMPLETE".into()),
            Err(e) => Err(crate::aws::aws_error("CloudFormation.DescribeStacks", &e)),
        }
    }

    /// Shows the new events of every tracked stack, oldest first.
    async fn poll_events(&mut self, progress: &Progress) -> Result<()> {
        let mut fresh = Vec::new();
        let mut i = 0;
        while i < self.tracked.len() {
            let id = self.tracked[i].clone();
            let root = i == 0;
            for e in self.new_events(&id).await? {
                let event = convert(&e, root);
                let nested_stack = event.resource_type == "AWS::CloudFormation::Stack" && event.is_resource();
                if let (true, Some(physical)) = (nested_stack, event.physical_id.as_deref()) {
                    if !physical.is_empty() && !self.tracked.iter().any(|t| t == physical) {
                        self.tracked.push(physical.to_string());
                    }
                }
                fresh.push((e.timestamp.map(|t| (t.secs(), t.subsec_nanos())), event));
            }
            i += 1;
        }
        fresh.sort_by_key(|(t, _)| *t);
        for (_, event) in fresh {
            if event.is_failure() {
                self.failures.push(event.clone());
            }
            // Some emulators repeat a status (moto: the stack's CREATE_IN_PROGRESS
            // when the change set is made and when it runs); once is enough.
            let state = (event.status.clone(), event.reason.clone());
            if self.last_shown.insert(event.label(), state.clone()).as_ref() != Some(&state) {
                progress.event(&event);
            }
        }
        Ok(())
    }

    /// Events of one stack not seen yet and newer than `since`, newest first.
    async fn new_events(&mut self, stack_id: &str) -> Result<Vec<StackEvent>> {
        let mut out = Vec::new();
        let mut token = None;
        loop {
            let page = self.aws.cfn.describe_stack_events().stack_name(stack_id).set_next_token(token).send().await;
            let page = match page {
                Ok(p) => p,
                // A nested stack can vanish while it is replaced; its parent's events tell.
                Err(e) if has_code(&e, "ValidationError") && stack_id != self.stack_id => return Ok(out),
                Err(e) => return Err(crate::aws::aws_error("CloudFormation.DescribeStackEvents", &e)),
            };
            let mut reached_old = false;
            for e in page.stack_events() {
                let old = match (&self.since, &e.timestamp) {
                    (Some(since), Some(t)) => (t.secs(), t.subsec_nanos()) < (since.secs(), since.subsec_nanos()),
                    _ => false,
                };
                let id = e.event_id.clone().unwrap_or_default();
                if old || self.seen.contains(&id) {
                    reached_old = true;
                    break;
                }
                self.seen.insert(id);
                out.push(e.clone());
            }
            token = page.next_token;
            if reached_old || token.is_none() {
                return Ok(out);
            }
        }
    }

    /// The first failed resources with their reasons, one a line.
    pub fn failure_report(&self) -> String {
        if self.failures.is_empty() {
            return "  (no resource reported a failure; see the stack's events in the CloudFormation console)".into();
        }
        let mut lines: Vec<String> = self
            .failures
            .iter()
            .take(MAX_FAILURES_SHOWN)
            .map(|e| {
                format!(
                    "  {} ({}) {}: {}",
                    e.label(),
                    e.resource_type,
                    e.status,
                    e.reason.as_deref().unwrap_or("no reason given")
                )
            })
            .collect();
        if self.failures.len() > MAX_FAILURES_SHOWN {
            lines.push(format!("  ... and {} more", self.failures.len() - MAX_FAILURES_SHOWN));
        }
        lines.join("\n")
    }
}

/// The stack's name from its id (`arn:...:stack/NAME/uuid`), or the id.
pub fn display_name(stack_id: &str) -> &str {
    stack_id.split('/').nth(1).unwrap_or(stack_id)
}

/// What CloudFormation is doing in a status, in words.
fn doing(status: &str) -> &'static str {
    match status {
        "CREATE_IN_PROGRESS" => "creating it",
        "UPDATE_IN_PROGRESS" => "updating it",
        "DELETE_IN_PROGRESS" => "deleting it",
        "ROLLBACK_IN_PROGRESS" | "UPDATE_ROLLBACK_IN_PROGRESS" => "rolling it back",
        s if s.ends_with("_CLEANUP_IN_PROGRESS") => "removing what the update replaced",
        _ => "working on it",
    }
}

/// The error for a second Ctrl-C: where the stack is, and what happens next.
fn stopped(stack_id: &str, status: &str, cancel_failed: Option<&str>) -> Error {
    let name = display_name(stack_id);
    let mut text = format!(
        "stopped waiting; CloudFormation carries on with {name} ({status}: {}); ampx picks up from there next \
         time, and `aws cloudformation describe-stacks --stack-name {name}` shows where it is",
        doing(status)
    );
    if let Some(note) = cancel_failed {
        text.push_str(&format!("; {note}"));
    }
    Error::Cancelled(text)
}

fn convert(e: &StackEvent, root: bool) -> Event {
    let time = e
        .timestamp
        .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
        .and_then(|s| s.get(11..19).map(str::to_string))
        .unwrap_or_default();
    Event {
        stack_name: e.stack_name.clone().unwrap_or_default(),
        root,
        logical_id: e.logical_resource_id.clone().unwrap_or_default(),
        resource_type: e.resource_type.clone().unwrap_or_default(),
        status: e.resource_status.as_ref().map(|s| s.as_str().to_string()).unwrap_or_default(),
        reason: e.resource_status_reason.clone(),
        physical_id: e.physical_resource_id.clone(),
        time,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert!(is_terminal("UPDATE_ROLLBACK_COMPLETE"));
        assert!(!is_terminal("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"));
        assert!(is_success("UPDATE_COMPLETE"));
        assert!(!is_success("ROLLBACK_COMPLETE"));
    }

    #[test]
    fn cancelled_resources_are_not_the_cause() {
        let e = |status: &str, reason: &str| Event {
            stack_name: "S".into(),
            root: true,
            logical_id: "Table".into(),
            resource_type: "AWS::DynamoDB::Table".into(),
            status: status.into(),
            reason: Some(reason.into()),
            physical_id: None,
            time: String::new(),
        };
        assert!(e("CREATE_FAILED", "Property KeySchema cannot be empty").is_failure());
        assert!(!e("CREATE_FAILED", "Resource creation cancelled").is_failure());
        assert!(!e("CREATE_COMPLETE", "").is_failure());
    }
}
