//! `ampx sandbox`: a developer's own copy of the backend, deployed on every
//! change (with hotswap for code-only changes), and `ampx sandbox delete`.

use std::path::PathBuf;
use std::time::Instant;

use amplify_backend::BackendIdentifier;

use crate::aws::Aws;
use crate::cli::SandboxArgs;
use crate::commands::{sandbox_identifier, Context};
use crate::deploy::{self, DeployOptions};
use crate::errors::{Error, Result};
use crate::synth::{self, AppSource};
use crate::{deployed, outputs, prompt, secrets, watch};

/// Deploys the sandbox, then (without `--once`) watches and redeploys.
pub async fn run(ctx: &Context, args: SandboxArgs) -> Result<()> {
    let source = AppSource::resolve(args.app.app.as_deref(), &ctx.cwd)?;
    let id = sandbox_identifier(&ctx.cwd, args.identifier.as_deref())?;
    let aws = Aws::connect(&ctx.aws).await?;
    eprintln!("[sandbox] {} in {}", id.stack_name(), aws.region);
    let deploy_once = || deploy_once(ctx, &aws, &source, &id, &args);
    if args.once {
        return deploy_once().await;
    }
    let out_dir = std::path::absolute(&args.app.out_dir).unwrap_or_else(|_| args.app.out_dir.clone());
    let root = source.watch_root(&ctx.cwd);
    let (_watcher, mut changes) = watch::watch(&root, vec![out_dir])?;
    eprintln!("[sandbox] watching {}", root.display());
    watch::drive(&mut changes, &ctx.interrupt, deploy_once).await?;
    Ok(())
}

async fn deploy_once(
    ctx: &Context,
    aws: &Aws,
    source: &AppSource,
    id: &BackendIdentifier,
    args: &SandboxArgs,
) -> Result<()> {
    let started = Instant::now();
    let before = aws.calls.snapshot();
    // Only a program reads the context; a ready assembly needs no AWS call here.
    let secrets_changed = if source.runs_program() { secrets::last_updated(aws, id).await? } else { None };
    let assembly = synth::synthesize(source, &args.app.out_dir, id, secrets_changed).await?;
    eprint!("{}", synth::summary(&assembly));
    let options = DeployOptions { method: args.method, hotswap: !args.no_hotswap, protect_stateful: None };
    let report = deploy::deploy(aws, &assembly, &options, &ctx.interrupt).await?;

    let stack = id.stack_name();
    let outputs_file: PathBuf = args.outputs_out_dir.join(match args.outputs_format {
        outputs::Format::Json => "amplify_outputs.json",
        outputs::Format::Dart => "amplify_outputs.dart",
    });
    if assembly.stack(&stack).is_none() {
        eprintln!(
            "[sandbox] the assembly has no stack {stack} (not an Amplify backend?); amplify_outputs.json not written"
        );
    } else if !report.no_changes() || !outputs_file.exists() {
        // The deployment worked; a file that cannot be written is worth a warning,
        // and `ampx generate outputs` can try again.
        match outputs::generate(aws, &stack, &args.outputs_out_dir, args.outputs_format).await {
            Ok(path) => eprintln!("[sandbox] wrote {}", path.display()),
            Err(e) => eprintln!("[sandbox] warning: {e}"),
        }
    }
    // The frontend's `Schema` type, beside amplify_outputs.json.
    match crate::codegen::write_types_if_data(&assembly.dir, &args.outputs_out_dir) {
        Ok(Some(path)) => eprintln!("[sandbox] wrote {}", path.display()),
        Ok(None) => {}
        Err(e) => eprintln!("[sandbox] warning: types not written: {e}"),
    }
    eprintln!(
        "[sandbox] {} in {:.1}s",
        if report.no_changes() { "no changes; nothing deployed" } else { "deployed" },
        started.elapsed().as_secs_f64()
    );
    ctx.report("sandbox", started, aws, &before);
    Ok(())
}

/// Deletes the sandbox's stack and everything in it.
pub async fn delete(ctx: &Context, id: &BackendIdentifier, yes: bool) -> Result<()> {
    let aws = Aws::connect(&ctx.aws).await?;
    let stack = id.stack_name();
    let Some(current) = deployed::describe(&aws, &stack).await? else {
        eprintln!("There is no sandbox {stack} in {}; nothing to delete", aws.region);
        return Ok(());
    };
    // No assembly here: only what any cloud assembly's stack has is asked for.
    if let Some(why) = current.foreign_because(&Default::default()) {
        return Err(Error::ForeignStack { stack, why });
    }
    if !yes
        && !prompt::confirm(&format!(
            "Delete the sandbox {stack} in {} and every resource in it, data included?",
            aws.region
        ))?
    {
        return Err(Error::Cancelled("nothing was deleted".into()));
    }
    let started = Instant::now();
    let before = aws.calls.snapshot();
    deploy::delete_stack(&aws, &current.id, &stack, &ctx.interrupt).await?;
    println!("Deleted sandbox {stack}");
    ctx.report("sandbox delete", started, &aws, &before);
    Ok(())
}
