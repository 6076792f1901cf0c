//! `ampx dev invoke NAME`: runs a function of the running `ampx dev` once,
//! through the local Lambda Invoke endpoint (with the AWS SDK, as any Lambda
//! client would), and prints its answer. A function with a schedule gets
//! EventBridge's scheduled event unless `--event` says otherwise.

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

/// Runs the function `name` with `event` (JSON text) and prints its answer.
pub async fn run(ctx: &Context, name: &str, event: Option<&str>) -> Result<()> {
    let state = DevState::read(&ctx.cwd)?;
    let payload = match event {
        Some(text) => serde_json::from_str::<Value>(text)
            .map_err(|e| Error::Local(format!("--event is not JSON ({e}); e.g. --event '{{\"name\": \"Ada\"}}'")))?,
        None => scheduled_event(&state.assembly_dir, name, &state.region)?.unwrap_or_else(|| serde_json::json!({})),
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

/// EventBridge's event for `name`'s first schedule, if it has one.
fn scheduled_event(assembly_dir: &Path, name: &str, region: &str) -> Result<Option<Value>> {
    let env = LocalEnv { region: region.to_string(), ..LocalEnv::default() };
    let assembly = Assembly::load(assembly_dir, &env).map_err(|e| Error::Local(e.to_string()))?;
    let (functions, _) = functions_of(&assembly);
    let Some(f) = functions.iter().find(|f| f.display_name == name || f.name == name || f.arn == name) else {
        return Ok(None);
    };
    Ok(schedules_of(&assembly).into_iter().find(|s| s.function == f.arn).map(|s| s.event(region, &env.account_id)))
}
