//! `ampx pipeline-deploy`: a branch deployment for CI. No hotswap, and no
//! stateful resource is replaced or deleted unless `--allow-destructive` names it.
//! Then, as Amplify's, it writes `amplify_outputs.json` for the hosting build
//! (`--outputs-out-dir`, `--outputs-format`, `--outputs-version`).

use std::time::Instant;

use amplify_backend::BackendIdentifier;

use crate::aws::Aws;
use crate::cli::PipelineArgs;
use crate::commands::{branch_identifier, Context};
use crate::deploy::{self, DeployOptions};
use crate::errors::Result;
use crate::synth::{self, AppSource};
use crate::{outputs, secrets};

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
        // Branches deploy in the standard mode, as Amplify's do.
        express: false,
    };
    let report = deploy::deploy(aws, &assembly, &options, &ctx.interrupt).await?;
    println!(
        "{} branch {} of app {} ({})",
        if report.no_changes() { "No changes to" } else { "Deployed" },
        args.branch,
        args.app_id,
        id.stack_name()
    );
    // The hosting build that runs this reads the file next (Amplify's
    // pipeline-deploy writes it too), so it is written even when nothing changed.
    let stack = id.stack_name();
    if assembly.stack(&stack).is_none() {
        eprintln!("the assembly has no stack {stack} (not an Amplify backend?); amplify_outputs.json not written");
        return Ok(());
    }
    let hint = format!("deploy it with `ampx pipeline-deploy --branch {} --app-id {}`", args.branch, args.app_id);
    let path = outputs::generate(aws, &stack, &args.outputs.destination(), &hint).await?;
    println!("Wrote {} from {stack}", path.display());
    Ok(())
}
