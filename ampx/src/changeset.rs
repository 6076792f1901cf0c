//! Change sets: created for every changed stack, read (nested stacks included)
//! before anything is executed, then executed or deleted.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    Capability, ChangeSetStatus, ChangeSetType, DeploymentConfig, DeploymentConfigMode, Tag,
};

use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::assembly::Stack;
use crate::aws::{has_code, Aws, OpResult};
use crate::bootstrap::Environment;
use crate::errors::{Error, Result};
use crate::failures::{advice, aws_error, classify, service_error, Cause};

/// CloudFormation's limit on an inline template; bigger ones go by URL.
const MAX_TEMPLATE_BODY: usize = 51_200;
/// How often a change set being created is polled.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// A change to one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `Add`, `Modify`, `Remove`, `Import`, `Dynamic`.
    pub action: String,
    /// The logical ids of the nested stacks it is in, outermost first.
    pub nested_in: Vec<String>,
    /// The resource's logical id.
    pub logical_id: String,
    /// Its type.
    pub resource_type: String,
    /// `True`, `False` or `Conditional` for modifications.
    pub replacement: Option<String>,
}

/// A created change set.
#[derive(Clone, Debug)]
pub struct ChangeSet {
    /// Its id (an ARN).
    pub id: String,
    /// The stack's id.
    pub stack_id: String,
    /// When CloudFormation created it (events of its execution come later).
    pub created: Option<DateTime>,
    /// Every change, nested stacks' included.
    pub changes: Vec<Change>,
}

/// Creates a change set for `stack` and waits until it is ready; `None` when the
/// template changes nothing.
pub async fn create(
    aws: &Aws,
    env: &Environment,
    stack: &Stack,
    create: bool,
    express: bool,
) -> Result<Option<ChangeSet>> {
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let name = format!("ampx-{stamp}");
    let request = aws
        .cfn
        .create_change_set()
        .stack_name(&stack.stack_name)
        .change_set_name(&name)
        .change_set_type(if create { ChangeSetType::Create } else { ChangeSetType::Update })
        .include_nested_stacks(true)
        .set_capabilities(Some(capabilities()))
        .set_tags(Some(tags(stack)))
        .set_deployment_config(deployment_config(express))
        .description("ampx deployment");
    let (body, url) = template_source(env, stack);
    let operation = "CloudFormation.CreateChangeSet";
    let before = aws.calls.count(operation);
    let sent = request.set_template_body(body).set_template_url(url).client_token(token()).send().await;
    let (id, stack_id) = match sent {
        Ok(created) => (created.id.unwrap_or(name), created.stack_id.unwrap_or_else(|| stack.stack_name.clone())),
        // The name is ours and new: an earlier attempt of this call made it.
        Err(e) if has_code(&e, "AlreadyExistsException") && aws.calls.count(operation) - before > 1 => {
            (name, stack.stack_name.clone())
        }
        Err(e) => return Err(write_error(operation, &stack.stack_name, &e, aws.calls.count(operation) - before)),
    };

    let (status, reason, created_at) = loop {
        let out = aws
            .cfn
            .describe_change_set()
            .change_set_name(&id)
            .stack_name(&stack_id)
            .send()
            .await
            .op("CloudFormation.DescribeChangeSet")?;
        match out.status() {
            Some(ChangeSetStatus::CreateComplete) | Some(ChangeSetStatus::Failed) => {
                break (out.status().cloned(), out.status_reason().unwrap_or_default().to_string(), out.creation_time)
            }
            _ => tokio::time::sleep(POLL_INTERVAL).await,
        }
    };
    if status == Some(ChangeSetStatus::Failed) {
        delete(aws, &id, &stack_id).await?;
        if reason.contains("didn't contain changes") || reason.contains("No updates are to be performed") {
            return Ok(None);
        }
        return Err(Error::ChangeSetFailed { stack: stack.stack_name.clone(), reason });
    }
    let changes = changes_of(aws, &id, Some(&stack_id), Vec::new()).await?;
    Ok(Some(ChangeSet { id, stack_id, created: created_at, changes }))
}

/// The template inline, or, past CloudFormation's limit for that, the URL of its
/// published copy: `(TemplateBody, TemplateURL)`.
pub fn template_source(env: &Environment, stack: &Stack) -> (Option<String>, Option<String>) {
    match (&stack.template_object, stack.template_body.len() > MAX_TEMPLATE_BODY) {
        (Some((bucket, key)), true) => (None, Some(env.object_url(&env.resolve(bucket), &env.resolve(key)))),
        _ => (Some(stack.template_body.clone()), None),
    }
}

/// The capabilities every CDK template may need.
pub fn capabilities() -> Vec<Capability> {
    vec![Capability::CapabilityIam, Capability::CapabilityNamedIam, Capability::CapabilityAutoExpand]
}

/// The stack's tags, as CloudFormation takes them.
pub fn tags(stack: &Stack) -> Vec<Tag> {
    stack.tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()
}

/// Every change of a change set, following nested change sets.
async fn changes_of(aws: &Aws, id: &str, stack_id: Option<&str>, nested_in: Vec<String>) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut nested = Vec::new();
    let mut token = None;
    loop {
        let page = aws
            .cfn
            .describe_change_set()
            .change_set_name(id)
            .set_stack_name(stack_id.map(str::to_string))
            .set_next_token(token)
            .send()
            .await
            .op("CloudFormation.DescribeChangeSet")?;
        for rc in page.changes().iter().filter_map(|c| c.resource_change.as_ref()) {
            let change = Change {
                action: rc.action().map(|a| a.as_str().to_string()).unwrap_or_default(),
                nested_in: nested_in.clone(),
                logical_id: rc.logical_resource_id().unwrap_or_default().to_string(),
                resource_type: rc.resource_type().unwrap_or_default().to_string(),
                replacement: rc.replacement().map(|r| r.as_str().to_string()),
            };
            if let Some(child) = rc.change_set_id() {
                nested.push((child.to_string(), change.logical_id.clone()));
            }
            changes.push(change);
        }
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    for (child, logical_id) in nested {
        let mut path = nested_in.clone();
        path.push(logical_id);
        // A nested change set is addressed by its ARN alone.
        let inner = Box::pin(changes_of(aws, &child, None, path)).await?;
        changes.extend(inner);
    }
    Ok(changes)
}

/// CloudFormation's Express mode when asked for; otherwise nothing is sent, and
/// CloudFormation deploys in its standard mode.
pub fn deployment_config(express: bool) -> Option<DeploymentConfig> {
    express.then(|| DeploymentConfig::builder().mode(DeploymentConfigMode::Express).build())
}

/// Runs a change set.
pub async fn execute(aws: &Aws, stack: &Stack, change_set: &ChangeSet) -> Result<()> {
    let operation = "CloudFormation.ExecuteChangeSet";
    let before = aws.calls.count(operation);
    aws.cfn
        .execute_change_set()
        .change_set_name(&change_set.id)
        .stack_name(&change_set.stack_id)
        .client_request_token(token())
        .send()
        .await
        .map_err(|e| write_error(operation, &stack.stack_name, &e, aws.calls.count(operation) - before))?;
    Ok(())
}

/// Deletes a change set that will not run.
pub async fn delete(aws: &Aws, id: &str, stack_id: &str) -> Result<()> {
    aws.cfn
        .delete_change_set()
        .change_set_name(id)
        .stack_name(stack_id)
        .send()
        .await
        .op("CloudFormation.DeleteChangeSet")?;
    Ok(())
}

/// A token for one call that changes a stack: CloudFormation recognizes the
/// SDK's retries of the call by it, and tags the events it causes with it.
pub fn token() -> String {
    static SENT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("ampx-{:x}-{:x}-{}", nanos, std::process::id(), SENT.fetch_add(1, Ordering::Relaxed))
}

/// The error for a failed CloudFormation call that changes `stack`, after
/// `attempts` attempts. A refused template says so (CloudFormation's reason
/// names the resource at fault); anything else names the call and what to do.
pub(crate) fn write_error<E>(operation: &str, stack: &str, err: &SdkError<E, HttpResponse>, attempts: u32) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let Some((code, message, status)) = service_error(err) else { return aws_error(operation, err) };
    // Emulators check some templates only when the change set runs.
    let template_call = matches!(
        operation,
        "CloudFormation.CreateChangeSet" | "CloudFormation.CreateStack" | "CloudFormation.UpdateStack"
    ) || message.starts_with("Template");
    let cause = classify(&code, status);
    let described = if code.is_empty() { message.clone() } else { format!("{message} ({code})") };
    match cause {
        Cause::Invalid if template_call => Error::ChangeSetFailed { stack: stack.into(), reason: described },
        Cause::AlreadyExists if attempts > 1 => Error::Aws {
            operation: format!("{operation} for {stack}"),
            message: format!("{described}, on attempt {attempts}"),
            advice: "an earlier attempt, which got no answer, probably did the work; run the command again: ampx \
                     continues from the stack's state"
                .into(),
        },
        Cause::BadCredentials | Cause::Expired => aws_error(operation, err),
        _ => Error::Aws {
            operation: format!("{operation} for {stack}"),
            message: described,
            advice: advice(cause, operation),
        },
    }
}

/// The resource changes between two templates of one stack, for a nested stack
/// whose change set CloudFormation did not report (emulators report only that
/// the nested stack changes): added, removed and modified resources.
pub fn template_changes(old: &serde_json::Value, new: &serde_json::Value, nested_in: &[String]) -> Vec<Change> {
    let old_resources: std::collections::BTreeMap<&String, &serde_json::Value> =
        crate::assembly::resources(old).collect();
    let new_resources: std::collections::BTreeMap<&String, &serde_json::Value> =
        crate::assembly::resources(new).collect();
    let change = |action: &str, id: &str, resource: &serde_json::Value| Change {
        action: action.into(),
        nested_in: nested_in.to_vec(),
        logical_id: id.into(),
        resource_type: crate::assembly::resource_type(resource).into(),
        replacement: None,
    };
    let mut changes = Vec::new();
    for (id, r) in &new_resources {
        match old_resources.get(id) {
            None => changes.push(change("Add", id, r)),
            Some(o) if o != r => changes.push(change("Modify", id, r)),
            Some(_) => {}
        }
    }
    for (id, r) in &old_resources {
        if !new_resources.contains_key(id) {
            changes.push(change("Remove", id, r));
        }
    }
    changes
}

/// The change set's changes with, after each nested stack it modifies without
/// a nested change set of its own, the changes found by comparing templates.
pub fn with_nested(changes: Vec<Change>, nested: &[(Vec<String>, Vec<Change>)]) -> Vec<Change> {
    let reported = |path: &[String]| changes.iter().any(|c| c.nested_in.starts_with(path));
    let mut out = Vec::new();
    for c in &changes {
        out.push(c.clone());
        if c.resource_type != "AWS::CloudFormation::Stack" {
            continue;
        }
        let mut path = c.nested_in.clone();
        path.push(c.logical_id.clone());
        if reported(&path) {
            continue;
        }
        if let Some((_, inner)) = nested.iter().find(|(p, _)| *p == path) {
            out.extend(with_nested(inner.clone(), nested));
        }
    }
    out
}

/// The changes, one a line: `+`, `~`, `-` and the resource, with its construct
/// path when the manifest knows it.
pub fn describe(stack: &Stack, changes: &[Change]) -> String {
    let mut s = String::new();
    for c in changes {
        let sign = match c.action.as_str() {
            "Add" => "+",
            "Remove" => "-",
            "Modify" => "~",
            _ => "*",
        };
        let indent = "  ".repeat(c.nested_in.len());
        let mut label = c.nested_in.iter().map(|n| format!("{n}/")).collect::<String>();
        label.push_str(&c.logical_id);
        if let Some(path) = stack.paths.get(&c.logical_id).filter(|_| c.nested_in.is_empty()) {
            let _ = write!(label, " ({path})");
        }
        let replacement = match c.replacement.as_deref() {
            Some("True") => "  [replaces]",
            Some("Conditional") => "  [may replace]",
            _ => "",
        };
        let _ = writeln!(s, "  {indent}{sign} {:<8} {:<36} {label}{replacement}", c.action, c.resource_type);
    }
    s
}
