//! `ampx sandbox`: a developer's own copy of the backend, deployed on every
//! change (with hotswap for code-only changes), and `ampx sandbox delete`.

use std::cell::RefCell;
use std::path::PathBuf;
use std::time::Instant;

use amplify_backend::BackendIdentifier;

use crate::aws::Aws;
use crate::cli::SandboxArgs;
use crate::commands::{identifier_flags, sandbox_identifier, Context};
use crate::deploy::{self, DeployOptions};
use crate::errors::{Error, Result};
use crate::function_logs::{LogStreamer, StreamOptions};
use crate::sandbox_record::{self, Record};
use crate::swapped::Swapped;
use crate::synth::{self, AppSource};
use crate::{deployed, outputs, prompt, secrets, watch};

/// Deploys the sandbox, then (without `--once`) watches and redeploys.
pub async fn run(ctx: &Context, args: SandboxArgs) -> Result<()> {
    let source = AppSource::resolve(args.app.app.as_deref(), &ctx.cwd)?;
    let id = sandbox_identifier(&ctx.cwd, args.identifier.as_deref())?;
    // The watch flags are checked before anything is deployed.
    let watching = if args.once { None } else { Some((watch_root(ctx, &source, &args)?, exclude(ctx, &args)?)) };
    let aws = Aws::connect(&ctx.aws).await?;
    eprintln!("[sandbox] {} in {}", id.stack_name(), aws.region);
    if args.express {
        eprintln!("[sandbox] deploying in CloudFormation's Express mode: a resource may still be settling when its stack reports complete");
    }
    let session = Session::default();
    let console = args.console.then(crate::console::Attached::default);
    let streamer = args.stream_function_logs.then(|| {
        LogStreamer::new(StreamOptions { filters: args.logs_filter.clone(), out_file: args.logs_out_file.clone() })
    });
    let deploy_once = || async {
        // Log lines would interleave with the deployment's events.
        if let Some(streamer) = &streamer {
            streamer.pause();
        }
        let result = deploy_once(ctx, &aws, &source, &id, &args, &session).await;
        // After a failed round the functions deployed before still run: their logs matter most.
        if let (Some(streamer), false) = (&streamer, matches!(result, Err(Error::Cancelled(_)))) {
            stream_logs(streamer, &aws, &id.stack_name(), &args).await;
        }
        if let (Some(console), Ok(())) = (&console, &result) {
            console.refresh(&aws, &id.stack_name()).await;
        }
        result
    };
    let Some((root, exclude)) = watching else {
        return deploy_once().await;
    };
    let out_dir = std::path::absolute(&args.app.out_dir).unwrap_or_else(|_| args.app.out_dir.clone());
    let (_watcher, mut changes) = watch::watch_excluding(&root, vec![out_dir], exclude)?;
    eprintln!("[sandbox] watching {}", root.display());
    watch::drive(&mut changes, &ctx.interrupt, deploy_once).await?;
    Ok(())
}

/// Streams the logs of the functions deployed now. A failure to do so is
/// reported; the sandbox itself goes on.
async fn stream_logs(streamer: &LogStreamer, aws: &Aws, stack: &str, args: &SandboxArgs) {
    match streamer.resume(aws, stack).await {
        Ok(streamed) if streamed.is_empty() => {
            let why = if args.logs_filter.is_empty() {
                "the backend has no function"
            } else {
                "no function matches --logs-filter"
            };
            eprintln!("[sandbox] {why}; no logs are streamed")
        }
        Ok(streamed) => {
            let names: Vec<&str> = streamed.iter().map(|s| s.friendly_name.as_str()).collect();
            let to = args.logs_out_file.as_ref().map(|f| format!(" to {}", f.display())).unwrap_or_default();
            eprintln!("[sandbox] streaming the logs of {}{to}", names.join(", "));
        }
        Err(e) => eprintln!("[sandbox] warning: {e}"),
    }
}

/// `--dir-to-watch`, else the backend program's directory.
fn watch_root(ctx: &Context, source: &AppSource, args: &SandboxArgs) -> Result<PathBuf> {
    let Some(dir) = &args.dir_to_watch else {
        return Ok(source.watch_root(&ctx.cwd));
    };
    let dir = ctx.cwd.join(dir);
    if !dir.is_dir() {
        return Err(Error::Watch { path: dir, reason: "--dir-to-watch is not a directory".into() });
    }
    dir.canonicalize().map_err(Error::io("cannot read", &dir))
}

/// `--exclude`, relative patterns against the current directory.
fn exclude(ctx: &Context, args: &SandboxArgs) -> Result<crate::exclude::Exclude> {
    let cwd = ctx.cwd.canonicalize().unwrap_or_else(|_| ctx.cwd.clone());
    crate::exclude::Exclude::new(&args.exclude, &cwd)
}

/// What the rounds of one `ampx sandbox` share.
#[derive(Debug, Default)]
struct Session {
    /// The fingerprint of the assembly last deployed (or hotswapped) in full.
    last_deployed: RefCell<Option<String>>,
    /// The code hotswaps put in place.
    swapped: Swapped,
}

async fn deploy_once(
    ctx: &Context,
    aws: &Aws,
    source: &AppSource,
    id: &BackendIdentifier,
    args: &SandboxArgs,
    session: &Session,
) -> Result<()> {
    let started = Instant::now();
    let before = aws.calls.snapshot();
    let result = deploy_round(ctx, aws, source, id, args, session, started).await;
    // With -v, the calls are shown whether the round worked or not.
    ctx.report("sandbox", started, aws, &before);
    result
}

async fn deploy_round(
    ctx: &Context,
    aws: &Aws,
    source: &AppSource,
    id: &BackendIdentifier,
    args: &SandboxArgs,
    session: &Session,
    started: Instant,
) -> Result<()> {
    // Only a program reads the context; a ready assembly needs no AWS call here.
    let secrets_changed = if source.runs_program() { secrets::last_updated(aws, id).await? } else { None };
    let assembly = synth::synthesize(source, &args.app.out_dir, id, secrets_changed).await?;
    eprint!("{}", synth::summary(&assembly));
    synth::check_target(&assembly, id)?;
    let fingerprint = assembly.fingerprint();
    if session.last_deployed.borrow().as_deref() == Some(fingerprint.as_str()) {
        eprintln!("[sandbox] the assembly is the one deployed last; nothing deployed");
        return Ok(());
    }
    let options = DeployOptions {
        method: args.method,
        hotswap: !args.no_hotswap,
        protect_stateful: None,
        swapped: session.swapped.clone(),
        express: args.express,
    };
    let report = deploy::deploy(aws, &assembly, &options, &ctx.interrupt).await?;
    let stacks = assembly.stacks.iter().map(|s| s.stack_name.clone()).collect();
    sandbox_record::save(&ctx.cwd, &id.name, &Record { region: aws.region.clone(), stacks })?;

    let stack = id.stack_name();
    let destination = args.outputs.destination();
    let outputs_file: PathBuf = destination.path();
    if assembly.stack(&stack).is_none() {
        eprintln!(
            "[sandbox] the assembly has no stack {stack} (not an Amplify backend?); amplify_outputs.json not written"
        );
    } else if !report.no_changes() || !outputs_file.exists() {
        // A file the frontend cannot work with is not written; the round fails.
        let hint = format!("deploy it with `ampx sandbox{}`", identifier_flags(args.identifier.as_deref()));
        let path = outputs::generate(aws, &stack, &destination, &hint).await?;
        eprintln!("[sandbox] wrote {}", path.display());
    }
    *session.last_deployed.borrow_mut() = Some(fingerprint);
    // The frontend's `Schema` type, beside amplify_outputs.json.
    match crate::codegen::write_types_if_data(&assembly.dir, &args.outputs.outputs_out_dir) {
        Ok(Some(path)) => eprintln!("[sandbox] wrote {}", path.display()),
        Ok(None) => {}
        Err(e) => eprintln!("[sandbox] warning: types not written: {e}"),
    }
    eprintln!(
        "[sandbox] {} in {:.1}s",
        if report.no_changes() { "no changes; nothing deployed" } else { "deployed" },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Deletes the sandbox's stacks and everything in them: the stack named after
/// the sandbox, and the stacks its last deployment from this project recorded.
pub async fn delete(ctx: &Context, id: &BackendIdentifier, yes: bool) -> Result<()> {
    let aws = Aws::connect(&ctx.aws).await?;
    let mut names = sandbox_record::load(&ctx.cwd, &id.name, &aws.region).map(|r| r.stacks).unwrap_or_default();
    if !names.contains(&id.stack_name()) {
        names.push(id.stack_name());
    }
    let mut found = Vec::new();
    for name in names.iter().rev() {
        if let Some(current) = deployed::describe(&aws, name).await? {
            // No assembly here: only what any cloud assembly's stack has is asked for.
            if let Some(why) = current.foreign_because(&Default::default()) {
                return Err(Error::ForeignStack { stack: name.clone(), why });
            }
            found.push((name.clone(), current));
        }
    }
    if found.is_empty() {
        eprintln!("There is no sandbox {} in {} ({}); nothing to delete", id.name, aws.region, names.join(", "));
        sandbox_record::remove(&ctx.cwd, &id.name);
        return Ok(());
    }
    let listed: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    if !yes
        && !prompt::confirm(&format!(
            "Delete the sandbox {} in {} ({}) and every resource in it, data included?",
            id.name,
            aws.region,
            listed.join(", ")
        ))?
    {
        return Err(Error::Cancelled("nothing was deleted".into()));
    }
    let started = Instant::now();
    let before = aws.calls.snapshot();
    let mut result = Ok(());
    for (name, current) in &found {
        result = deploy::delete_stack(&aws, &current.id, name, &ctx.interrupt).await;
        if result.is_err() {
            break;
        }
        println!("Deleted {name}");
    }
    ctx.report("sandbox delete", started, &aws, &before);
    result?;
    sandbox_record::remove(&ctx.cwd, &id.name);
    println!("Deleted sandbox {}", id.name);
    Ok(())
}
