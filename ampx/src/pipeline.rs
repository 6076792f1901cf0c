//! `ampx pipeline-deploy`: a branch deployment for CI. No hotswap, and no
//! stateful resource is replaced or deleted unless `--allow-destructive` names it.

use std::time::Instant;

use amplify_backend::BackendIdentifier;

use crate::aws::Aws;
use crate::cli::PipelineArgs;
use crate::commands::{branch_identifier, Context};
use crate::deploy::{self, DeployOptions};
use crate::errors::Result;
use crate::secrets;
use crate::synth::{self, AppSource};

/// Synthesizes the branch's backend and deploys it.
pub async fn run(ctx: &Context, args: PipelineArgs) -> Result<()> {
    let id = branch_identifier(&args.app_id, &args.branch)?;
    let source = AppSource::resolve(args.app.app.as_deref(), &ctx.cwd)?;
    let started = Instant::now();
    let aws = Aws::connect(&ctx.aws).await?;
    let before = aws.calls.snapshot();
    let result = deploy_branch(ctx, &args, &id, &source, &aws).await;
    // With -v, the calls are shown whether the deployment worked or not.
    ctx.report("pipeline-deploy", started, &aws, &before);
    result
}

async fn deploy_branch(
    ctx: &Context,
    args: &PipelineArgs,
    id: &BackendIdentifier,
    source: &AppSource,
    aws: &Aws,
) -> Result<()> {
    // Only a program reads the context; a ready assembly needs no AWS call here.
    let secrets_changed = if source.runs_program() { secrets::last_updated(aws, id).await? } else { None };
    let assembly = synth::synthesize(source, &args.app.out_dir, id, secrets_changed).await?;
    eprint!("{}", synth::summary(&assembly));
    synth::check_target(&assembly, id)?;
    let options = DeployOptions {
        method: deploy::Method::ChangeSet,
        hotswap: false,
        protect_stateful: Some(args.allow_destructive.clone()),
        swapped: Default::default(),
    };
    let report = deploy::deploy(aws, &assembly, &options, &ctx.interrupt).await?;
    println!(
        "{} branch {} of app {} ({})",
        if report.no_changes() { "No changes to" } else { "Deployed" },
        args.branch,
        args.app_id,
        id.stack_name()
    );
    Ok(())
}
