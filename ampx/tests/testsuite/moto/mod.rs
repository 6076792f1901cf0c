//! `ampx` against moto: deploy, update, outputs, delete, failures, branch
//! deployments, hotswap, watching and secrets. Each test starts its own moto
//! server.

use crate::common;

mod amplify_cli;
mod deploy;
mod errors;
mod existing_resources;
mod function_logs;
mod names;
mod outputs;
mod outputs_formats;
mod pipeline_outputs;
mod secrets;
mod seed_policy;
mod watch;

use amplify_backend::BackendIdentifier;
use common::{api_calls, project, Moto, ACCOUNT, REGION};
use serde_json::Value as Json;
use std::path::Path;
use std::process::Stdio;

/// The stack of a sandbox.
fn sandbox_stack(namespace: &str, name: &str) -> String {
    BackendIdentifier::sandbox(namespace, name).stack_name()
}

/// The logical ids moto lists for a stack, sorted.
async fn logical_ids(moto: &Moto, stack: &str) -> Vec<String> {
    let out = moto.cfn().await.list_stack_resources().stack_name(stack).send().await.expect("resources");
    let mut ids: Vec<String> =
        out.stack_resource_summaries().iter().filter_map(|r| r.logical_resource_id.clone()).collect();
    ids.sort();
    ids
}

/// The id of the stack's nested stack.
async fn nested_stack_id(moto: &Moto, stack: &str) -> String {
    let out = moto.cfn().await.list_stack_resources().stack_name(stack).send().await.expect("resources");
    out.stack_resource_summaries()
        .iter()
        .find(|r| r.resource_type() == Some("AWS::CloudFormation::Stack"))
        .and_then(|r| r.physical_resource_id.clone())
        .expect("a nested stack")
}

/// The memory of every Lambda function in moto.
async fn function_memory(moto: &Moto) -> Vec<i32> {
    let out = moto.lambda().await.list_functions().send().await.expect("functions");
    out.functions().iter().filter_map(|f| f.memory_size).collect()
}

/// Whether moto has the stack (not deleted).
async fn stack_exists(moto: &Moto, stack: &str) -> bool {
    match moto.cfn().await.describe_stacks().stack_name(stack).send().await {
        Ok(out) => out.stacks().iter().any(|s| s.stack_status().map(|s| s.as_str()) != Some("DELETE_COMPLETE")),
        Err(_) => false,
    }
}

/// A bootstrapped moto, a project named `todoapp`, and the stack name of its
/// `dev` sandbox.
async fn sandbox_setup() -> (Moto, tempfile::TempDir, std::path::PathBuf, String) {
    let moto = Moto::start();
    moto.bootstrap().await;
    let (tmp, dir) = project("todoapp");
    (moto, tmp, dir, sandbox_stack("todoapp", "dev"))
}

/// One output of a deployed stack.
async fn stack_output(moto: &Moto, stack: &str, key: &str) -> Option<String> {
    let described = moto.cfn().await.describe_stacks().stack_name(stack).send().await.unwrap();
    described.stacks()[0].outputs().iter().find(|o| o.output_key() == Some(key)).and_then(|o| o.output_value.clone())
}
