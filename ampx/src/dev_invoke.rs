//! `ampx dev invoke NAME`: runs a function of the running `ampx dev` once,
//! through the local Lambda Invoke endpoint (with the AWS SDK, as any Lambda
//! client would), and prints its answer. A function with a schedule gets
//! EventBridge's scheduled event unless `--event` says otherwise;
//! `--schedule` insists on it (a schedule run on demand).

use std::path::Path;

use aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_lambda::primitives::Blob;
use local::assembly::{Assembly, LocalEnv};
use local::lambda::functions_of;
use local::lambda::triggers::schedules_of;
use serde_json::Value;

use crate::commands::Context;
use crate::dev::DevState;
use crate::errors::{Error, Result};

/// What to send the function.
#[derive(Debug)]
pub enum Event {
    /// `--event`: this JSON text.
    Json(String),
    /// `--schedule`: the event its schedule sends.
    Schedule,
    /// Neither: the schedule's event if it has one, else `{}`.
    Default,
}

/// Runs the function `name` with `event` and prints its answer.
pub async fn run(ctx: &Context, name: &str, event: Event) -> Result<()> {
    let state = DevState::read(&ctx.cwd)?;
    let payload = match event {
        Event::Json(text) => serde_json::from_str::<Value>(&text)
            .map_err(|e| Error::Local(format!("--event is not JSON ({e}); e.g. --event '{{\"name\": \"Ada\"}}'")))?,
        Event::Schedule => scheduled_event(&state.assembly_dir, name, &state.region)?.ok_or_else(|| {
            Error::Local(format!(
                "function {name} has no schedule (FunctionProps::schedule); run it with --event instead{}",
                scheduled_functions(&state.assembly_dir, &state.region)
            ))
        })?,
        Event::Default => {
            scheduled_event(&state.assembly_dir, name, &state.region)?.unwrap_or_else(|| serde_json::json!({}))
        }
    };
    let config = aws_sdk_lambda::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(state.region.clone()))
        .endpoint_url(&state.lambda_endpoint)
        .credentials_provider(Credentials::new("local", "local", None, None, "ampx-dev"))
        .build();
    let client = aws_sdk_lambda::Client::from_conf(config);
    let out = client.invoke().function_name(name).payload(Blob::new(payload.to_string())).send().await.map_err(
        |e| match e.as_service_error() {
            Some(s) if s.is_resource_not_found_exception() => {
                Error::Local(format!("ampx dev has no function {name}; its functions are listed when it starts"))
            }
            _ => Error::Local(format!(
                "cannot reach ampx dev's Lambda endpoint {} ({}); is `ampx dev` running here?",
                state.lambda_endpoint,
                aws_smithy_types::error::display::DisplayErrorContext(&e)
            )),
        },
    )?;
    let answer = out.payload().map(|b| String::from_utf8_lossy(b.as_ref()).into_owned()).unwrap_or_default();
    println!("{answer}");
    match out.function_error() {
        Some(kind) => Err(Error::Local(format!("function {name} failed ({kind}): {answer}"))),
        None => Ok(()),
    }
}

fn load(assembly_dir: &Path, region: &str) -> Result<(Assembly, LocalEnv)> {
    let env = LocalEnv { region: region.to_string(), ..LocalEnv::default() };
    let assembly = Assembly::load(assembly_dir, &env).map_err(|e| Error::Local(e.to_string()))?;
    Ok((assembly, env))
}

/// `; functions with a schedule: a, b` (empty when there are none).
fn scheduled_functions(assembly_dir: &Path, region: &str) -> String {
    let Ok((assembly, _)) = load(assembly_dir, region) else { return String::new() };
    let (functions, _) = functions_of(&assembly);
    let arns: Vec<String> = schedules_of(&assembly).into_iter().map(|s| s.function).collect();
    let mut names: Vec<String> =
        functions.into_iter().filter(|f| arns.contains(&f.arn)).map(|f| f.display_name).collect();
    names.dedup();
    if names.is_empty() {
        "; no function has one".into()
    } else {
        format!("; functions with a schedule: {}", names.join(", "))
    }
}

/// EventBridge's event for `name`'s first schedule, if it has one.
fn scheduled_event(assembly_dir: &Path, name: &str, region: &str) -> Result<Option<Value>> {
    let (assembly, env) = load(assembly_dir, region)?;
    let (functions, _) = functions_of(&assembly);
    let Some(f) = functions.iter().find(|f| f.display_name == name || f.name == name || f.arn == name) else {
        return Ok(None);
    };
    Ok(schedules_of(&assembly).into_iter().find(|s| s.function == f.arn).map(|s| s.event(region, &env.account_id)))
}
