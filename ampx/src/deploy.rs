//! Deploying a cloud assembly: every stack in dependency order, only the ones
//! whose template changed, each through a change set that is read before it runs.

use std::time::Instant;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use serde_json::Value as Json;

use crate::assembly::{self, Assembly, Stack};
use crate::aws::Aws;
use crate::bootstrap::{self, Environment};
use crate::changeset;
use crate::deployed::{self, DeployedStack};
use crate::destructive;
use crate::errors::{Error, Result};
use crate::events::{self, Follower};
use crate::hotswap::{self, Plan};
use crate::interrupt::Interrupt;
use crate::progress::Progress;
use crate::publish;
use crate::swapped::{NestedTemplates, Swapped};
use crate::verify;

/// How stacks are created and updated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Through a change set that is shown before it runs.
    #[default]
    ChangeSet,
    /// With `CreateStack`/`UpdateStack`, like `cdk deploy --method=direct`: no
    /// preview, for emulators whose change sets fall short (moto leaves the
    /// outputs of a stack deployed by change set empty).
    Direct,
}

/// How to deploy.
#[derive(Clone, Debug, Default)]
pub struct DeployOptions {
    /// Change sets or direct updates; the stateful-resource check always uses
    /// change sets.
    pub method: Method,
    /// Update only function and resolver code in place when nothing else changed
    /// (sandboxes).
    pub hotswap: bool,
    /// Refuse to replace or delete stateful resources, except those named here
    /// (branch deployments). `None` turns the check off.
    pub protect_stateful: Option<Vec<String>>,
    /// The code hotswaps put in place, for the stacks' real content.
    pub swapped: Swapped,
    /// CloudFormation's Express mode (sandboxes, `--express`): a resource counts
    /// as done before it has finished stabilizing, as Amplify's `--express` asks.
    pub express: bool,
}

/// What happened to one stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StackOutcome {
    /// Its template was already deployed.
    Unchanged,
    /// Code was updated in place (the resources, one a line).
    Hotswapped(Vec<String>),
    /// It was created or updated.
    Deployed,
}

/// What a deployment did, stack by stack.
#[derive(Clone, Debug, Default)]
pub struct DeployReport {
    /// Stack names and outcomes, in deployment order.
    pub stacks: Vec<(String, StackOutcome)>,
}

impl DeployReport {
    /// Whether nothing was deployed.
    pub fn no_changes(&self) -> bool {
        self.stacks.iter().all(|(_, o)| *o == StackOutcome::Unchanged)
    }
}

/// What to do with a stack, decided from what is deployed.
enum Action {
    Unchanged,
    Create,
    /// The first creation failed and rolled back; such a stack can only be deleted.
    Recreate(DeployedStack),
    Update {
        deployed: DeployedStack,
        /// The root template CloudFormation has.
        template: Json,
        /// What the stack runs: the deployed templates with hotswapped code.
        effective: Json,
        /// Nested templates hotswapped into place, by logical-id path.
        swapped: NestedTemplates,
    },
}

/// Deploys every stack of the assembly.
pub async fn deploy(
    aws: &Aws,
    assembly: &Assembly,
    options: &DeployOptions,
    interrupt: &Interrupt,
) -> Result<DeployReport> {
    for stack in &assembly.stacks {
        assembly::validate_stack_name(&stack.stack_name)?;
    }
    // Decide first, so that an unchanged backend costs two reads per stack and
    // nothing else: no bootstrap check, no uploads, no change sets.
    let mut actions = Vec::new();
    for stack in &assembly.stacks {
        actions.push(decide(aws, stack, &options.swapped).await?);
    }
    if let Some(allowed) = &options.protect_stateful {
        // Without an update there is nothing a name could match but the assembly.
        if !actions.iter().any(|a| matches!(a, Action::Update { .. })) {
            destructive::refuse_unknown_names(allowed, &destructive::assembly_names(assembly), &[])?;
        }
    }
    let mut report = DeployReport::default();
    if actions.iter().all(|a| matches!(a, Action::Unchanged)) {
        for stack in &assembly.stacks {
            eprintln!("{}: no changes", stack.stack_name);
            report.stacks.push((stack.stack_name.clone(), StackOutcome::Unchanged));
        }
        return Ok(report);
    }
    let env = bootstrap::check(aws, assembly).await?;
    for (stack, action) in assembly.stacks.iter().zip(actions) {
        let outcome = deploy_stack(aws, &env, assembly, stack, action, options, interrupt).await?;
        report.stacks.push((stack.stack_name.clone(), outcome));
    }
    Ok(report)
}

async fn decide(aws: &Aws, stack: &Stack, swapped: &Swapped) -> Result<Action> {
    let Some(current) = deployed::describe(aws, &stack.stack_name).await? else { return Ok(Action::Create) };
    let status = current.status.as_str();
    if status == "REVIEW_IN_PROGRESS" {
        // A change set was created for a new stack and never ran: still a creation.
        return Ok(Action::Create);
    }
    if !events::is_terminal(status) {
        return Err(Error::StackBusy { stack: stack.stack_name.clone(), status: status.into() });
    }
    if let Some(why) = current.foreign_because(&stack.tags) {
        return Err(Error::ForeignStack { stack: stack.stack_name.clone(), why });
    }
    match status {
        "ROLLBACK_COMPLETE" => return Ok(Action::Recreate(current)),
        "ROLLBACK_FAILED" | "DELETE_FAILED" | "UPDATE_ROLLBACK_FAILED" | "CREATE_FAILED" => {
            return Err(Error::StackStuck {
                stack: stack.stack_name.clone(),
                status: status.into(),
                reason: current.reason.clone().unwrap_or_else(|| "no reason given".into()),
                fix: stuck_fix(status, &stack.stack_name),
            })
        }
        _ => {}
    }
    let template = deployed::template(aws, &current.id).await?;
    let (effective, swapped) =
        swapped.effective(&stack.stack_name, &template).unwrap_or_else(|| (template.clone(), NestedTemplates::new()));
    if effective == stack.template && current.tags == stack.tags {
        return Ok(Action::Unchanged);
    }
    Ok(Action::Update { deployed: current, template, effective, swapped })
}

/// How to get a stack out of a failed state CloudFormation cannot deploy over.
fn stuck_fix(status: &str, name: &str) -> String {
    match status {
        "UPDATE_ROLLBACK_FAILED" => format!(
            "the rollback is finished: `aws cloudformation continue-update-rollback --stack-name {name}` (with \
             --resources-to-skip for resources that cannot go back), or the console's \"Continue update rollback\""
        ),
        "DELETE_FAILED" => format!(
            "it is deleted: fix what blocked the deletion (see the stack's events), or keep those resources with \
             `aws cloudformation delete-stack --stack-name {name} --retain-resources ...`"
        ),
        _ => format!(
            "it is deleted (its creation failed, so it holds nothing to keep): \
             `aws cloudformation delete-stack --stack-name {name}`"
        ),
    }
}

async fn deploy_stack(
    aws: &Aws,
    env: &Environment,
    assembly: &Assembly,
    stack: &Stack,
    action: Action,
    options: &DeployOptions,
    interrupt: &Interrupt,
) -> Result<StackOutcome> {
    let name = &stack.stack_name;
    let started = Instant::now();
    let (create, deployed) = match action {
        Action::Unchanged => {
            eprintln!("{name}: no changes");
            return Ok(StackOutcome::Unchanged);
        }
        Action::Create => (true, None),
        Action::Recreate(old) => {
            eprintln!("{name}: its first deployment failed and rolled back (ROLLBACK_COMPLETE); deleting it to create it again");
            delete_stack(aws, &old.id, name, interrupt).await?;
            (true, None)
        }
        Action::Update { deployed, template, effective, swapped } => {
            (false, Some((deployed, template, effective, swapped)))
        }
    };

    if let (true, Some((current, template, effective, swapped))) = (options.hotswap, &deployed) {
        let (nested, stack_ids) =
            hotswap::fetch_nested(aws, &current.id, effective, &stack.template, assembly, swapped).await?;
        match hotswap::plan(effective, &stack.template, assembly, &nested) {
            Plan::Hotswap(changes) => {
                eprintln!(
                    "{name}: only code changed; hotswapping {} resource(s) in place (no stack update)",
                    changes.len()
                );
                until_interrupted(publish::publish(aws, env, &stack.assets), interrupt).await??;
                let done = hotswap::apply(aws, env, &changes, &stack_ids).await?;
                let now = hotswap::new_nested(&stack.template, assembly, nested.keys());
                options.swapped.record(name, template, stack.template.clone(), now);
                for d in &done {
                    eprintln!("  hotswapped {d}");
                }
                eprintln!("{name}: hotswap done in {:.1}s", started.elapsed().as_secs_f64());
                return Ok(StackOutcome::Hotswapped(done));
            }
            Plan::Full(reason) => eprintln!("{name}: full deployment, since {reason}"),
        }
    }

    // Read before anything is published or changed: a table whose indexes change
    // more than one DynamoDB update allows would fail the deployment half-way.
    let review = match &deployed {
        Some((current, template, _, _)) => {
            Some(destructive::review(aws, assembly, stack, &current.id, template).await?)
        }
        None => None,
    };
    if let Some(review) = &review {
        destructive::refuse_index_problems(name, review)?;
    }

    let published = until_interrupted(publish::publish(aws, env, &stack.assets), interrupt).await??;
    if published.uploaded > 0 {
        eprintln!("{name}: published {} asset(s), {} already there", published.uploaded, published.skipped);
    }
    if options.method == Method::Direct && options.protect_stateful.is_none() {
        return direct(aws, env, assembly, stack, create, options.express, interrupt, started).await;
    }
    // Not raced with Ctrl-C: a change set dropped half-way would stay behind on
    // the stack. Creating one takes seconds and changes nothing; it is deleted
    // below when Ctrl-C came meanwhile.
    let Some(mut change_set) = changeset::create(aws, env, stack, create, options.express).await? else {
        eprintln!("{name}: no changes");
        return Ok(StackOutcome::Unchanged);
    };
    if let Some(review) = &review {
        change_set.changes = changeset::with_nested(std::mem::take(&mut change_set.changes), &review.nested_changes);
    }
    eprintln!(
        "{name}: {} change(s)\n{}",
        change_set.changes.len(),
        changeset::describe(stack, &change_set.changes).trim_end()
    );

    if let (Some(allowed), Some(review)) = (&options.protect_stateful, &review) {
        let findings = destructive::stateful_findings(&change_set.changes, review);
        let known = destructive::assembly_names(assembly);
        let refused = destructive::refuse_unknown_names(allowed, &known, &findings)
            .and_then(|()| destructive::refuse_unless_allowed(&findings, allowed));
        if let Err(e) = refused {
            changeset::delete(aws, &change_set.id, &change_set.stack_id).await?;
            return Err(e);
        }
    }
    if interrupt.count() > 0 {
        changeset::delete(aws, &change_set.id, &change_set.stack_id).await?;
        return Err(Error::Cancelled(format!("stopped before deploying {name}; nothing was changed")));
    }

    changeset::execute(aws, stack, &change_set).await?;
    let follower = Follower::new(aws, &change_set.stack_id, change_set.created);
    follow(assembly, stack, follower, interrupt, started).await
}

/// Creates or updates the stack without a change set.
// The deployment's context as `deploy_stack` holds it, passed down as is.
#[allow(clippy::too_many_arguments)]
async fn direct(
    aws: &Aws,
    env: &Environment,
    assembly: &Assembly,
    stack: &Stack,
    create: bool,
    express: bool,
    interrupt: &Interrupt,
    started: Instant,
) -> Result<StackOutcome> {
    let name = &stack.stack_name;
    let (body, url) = changeset::template_source(env, stack);
    let follower = if create {
        let operation = "CloudFormation.CreateStack";
        let before = aws.calls.count(operation);
        let out = aws
            .cfn
            .create_stack()
            .stack_name(name)
            .set_template_body(body)
            .set_template_url(url)
            .set_capabilities(Some(changeset::capabilities()))
            .set_tags(Some(changeset::tags(stack)))
            .set_deployment_config(changeset::deployment_config(express))
            .client_request_token(changeset::token())
            .send()
            .await
            .map_err(|e| changeset::write_error(operation, name, &e, aws.calls.count(operation) - before))?;
        Follower::new(aws, &out.stack_id.unwrap_or_else(|| name.clone()), None)
    } else {
        let mut follower = Follower::new(aws, name, None);
        follower.skip_existing().await?;
        let operation = "CloudFormation.UpdateStack";
        let before = aws.calls.count(operation);
        let updated = aws
            .cfn
            .update_stack()
            .stack_name(name)
            .set_template_body(body)
            .set_template_url(url)
            .set_capabilities(Some(changeset::capabilities()))
            .set_tags(Some(changeset::tags(stack)))
            .set_deployment_config(changeset::deployment_config(express))
            .client_request_token(changeset::token())
            .send()
            .await;
        match updated {
            Ok(_) => follower,
            Err(e) if e.message().is_some_and(|m| m.contains("No updates are to be performed")) => {
                eprintln!("{name}: no changes");
                return Ok(StackOutcome::Unchanged);
            }
            Err(e) => return Err(changeset::write_error(operation, name, &e, aws.calls.count(operation) - before)),
        }
    };
    follow(assembly, stack, follower, interrupt, started).await
}

/// Follows the operation to its end; a failure lists the failed resources.
async fn follow(
    assembly: &Assembly,
    stack: &Stack,
    mut follower: Follower<'_>,
    interrupt: &Interrupt,
    started: Instant,
) -> Result<StackOutcome> {
    let name = &stack.stack_name;
    let progress = Progress::new(name, assembly.resource_count_of(&stack.template));
    let status = follower.run(&progress, interrupt).await;
    let resources = match &status {
        Ok(s) if events::is_success(s) => progress.complete(),
        _ => 0,
    };
    progress.finish();
    let status = status?;
    if interrupt.count() > 0 {
        // The user's doing: say where the stack was left, not what failed.
        return Err(Error::Cancelled(if events::is_success(&status) {
            format!("stopped after {name} reached {status}; the stacks after it were not deployed")
        } else {
            format!("cancelled; {name} rolled back and is {status}")
        }));
    }
    if !events::is_success(&status) {
        return Err(Error::DeployFailed { stack: name.clone(), status, failures: follower.failure_report() });
    }
    verify::deployment(follower.aws(), assembly, stack, follower.stack_id()).await?;
    eprintln!("{name}: {status} in {:.1}s ({resources} resources)", started.elapsed().as_secs_f64());
    Ok(StackOutcome::Deployed)
}

/// Deletes a stack and waits until it is gone.
pub async fn delete_stack(aws: &Aws, stack_id: &str, name: &str, interrupt: &Interrupt) -> Result<()> {
    let mut follower = Follower::new(aws, stack_id, None);
    follower.skip_existing().await?;
    let operation = "CloudFormation.DeleteStack";
    let before = aws.calls.count(operation);
    aws.cfn
        .delete_stack()
        .stack_name(stack_id)
        .client_request_token(changeset::token())
        .send()
        .await
        .map_err(|e| changeset::write_error(operation, name, &e, aws.calls.count(operation) - before))?;
    let progress = Progress::new(name, 0);
    let status = follower.run(&progress, interrupt).await;
    progress.finish();
    let status = status?;
    if status != "DELETE_COMPLETE" {
        return Err(Error::DeployFailed { stack: name.into(), status, failures: follower.failure_report() });
    }
    Ok(())
}

/// Runs `work` unless Ctrl-C comes first. Dropping the work half-way is safe:
/// uploads are whole objects under content-hash keys.
async fn until_interrupted<T>(work: impl std::future::Future<Output = T>, interrupt: &Interrupt) -> Result<T> {
    let pressed = interrupt.count();
    if pressed > 0 {
        return Err(Error::Cancelled("stopped before deploying; nothing was changed".into()));
    }
    tokio::select! {
        out = work => Ok(out),
        _ = interrupt.reached(pressed + 1) => Err(Error::Cancelled("stopped before deploying; nothing was changed".into())),
    }
}

#[cfg(test)]
#[path = "deploy_tests.rs"]
mod tests;
