//! What a function is, read from its `AWS::Lambda::Function` resource: name,
//! ARN, runtime, handler, code directory, timeout, memory and environment.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::assembly::{Assembly, Resource};

/// The family of a Lambda runtime, which decides the local program that runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeKind {
    /// `nodejs*`: our Node.js bootstrap under the local `node`.
    Node,
    /// `python3.*`: our Python bootstrap under the local `python3`.
    Python,
    /// `provided*`: the code's own `bootstrap` executable (Rust, Go, ...).
    Provided,
}

impl RuntimeKind {
    /// The kind of a template `Runtime` value, if it is one that runs locally.
    pub fn of(runtime: &str) -> Option<RuntimeKind> {
        if runtime.starts_with("nodejs") {
            Some(RuntimeKind::Node)
        } else if runtime.starts_with("python3") {
            Some(RuntimeKind::Python)
        } else if runtime.starts_with("provided") {
            Some(RuntimeKind::Provided)
        } else {
            None
        }
    }
}

/// One function of the assembly, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionConfig {
    /// The name its logs are shown under: Amplify's `amplify:friendly-name`
    /// tag, else the logical id.
    pub display_name: String,
    /// The (local) `FunctionName`.
    pub name: String,
    /// The local ARN (`Fn::GetAtt Arn`).
    pub arn: String,
    /// The logical id in its stack.
    pub logical_id: String,
    /// The template's `Runtime` (`nodejs22.x`, `python3.13`, `provided.al2023`).
    pub runtime: String,
    /// How it runs locally.
    pub kind: RuntimeKind,
    /// `Handler` (`index.handler`; ignored by `provided` runtimes).
    pub handler: String,
    /// The code's directory in the assembly.
    pub code_dir: PathBuf,
    /// `Timeout` in seconds (Lambda's default is 3).
    pub timeout_seconds: u64,
    /// `MemorySize` in MB (Lambda's default is 128).
    pub memory_mb: u64,
    /// `Environment.Variables`, resolved.
    pub environment: BTreeMap<String, String>,
    /// The execution role's ARN (for local credentials).
    pub role_arn: Option<String>,
}

/// Why a function of the assembly cannot run locally (the rest still do).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("function {function}: {message}")]
pub struct ConfigProblem {
    /// The function's display name.
    pub function: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// Every `AWS::Lambda::Function` of the assembly that can run, and a problem
/// for each that cannot. Custom resource providers (a `ServiceToken` names
/// them) are left out: deployment machinery, with nothing to run locally.
pub fn functions_of(assembly: &Assembly) -> (Vec<FunctionConfig>, Vec<ConfigProblem>) {
    let providers: std::collections::HashSet<&str> =
        assembly.resources.iter().filter_map(|r| r.str_property("ServiceToken")).collect();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for r in assembly.of_type("AWS::Lambda::Function") {
        if r.str_attribute("Arn").is_some_and(|arn| providers.contains(arn)) {
            continue;
        }
        match function(assembly, r) {
            Ok(f) => found.push(f),
            Err(message) => problems.push(ConfigProblem { function: display_name(r), message }),
        }
    }
    (found, problems)
}

fn display_name(r: &Resource) -> String {
    r.properties
        .get("Tags")
        .and_then(Value::as_array)
        .and_then(|tags| tags.iter().find(|t| t.get("Key").and_then(Value::as_str) == Some("amplify:friendly-name")))
        .and_then(|t| t.get("Value").and_then(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| r.logical_id.clone())
}

/// A scalar environment value as the string Lambda would put in the process
/// environment (CloudFormation turns numbers and booleans into strings).
fn env_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(r: &Resource, key: &str, default: u64) -> u64 {
    match r.properties.get(key) {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(default),
        Some(Value::String(s)) => s.parse().unwrap_or(default),
        _ => default,
    }
}

fn function(assembly: &Assembly, r: &Resource) -> Result<FunctionConfig, String> {
    let runtime = r.str_property("Runtime").unwrap_or_default().to_string();
    let code = r.properties.get("Code").ok_or("has no Code")?;
    if code.get("ImageUri").is_some() {
        return Err("is a container image (Code.ImageUri), which does not run locally".into());
    }
    let kind = if runtime.is_empty() && code.get("ZipFile").is_none() {
        return Err("has no Runtime".into());
    } else {
        RuntimeKind::of(&runtime).ok_or_else(|| {
            format!("runtime {runtime} does not run locally (Node.js, Python and provided runtimes do)")
        })?
    };
    let code_dir = match (code.get("S3Key").and_then(Value::as_str), code.get("ZipFile")) {
        (Some(key), _) => {
            let bucket = code.get("S3Bucket").and_then(Value::as_str).unwrap_or("assets");
            let path = assembly
                .asset_path(&format!("s3://{bucket}/{key}"))
                .ok_or_else(|| format!("Code.S3Key {key} names no file asset of the assembly"))?;
            if !path.is_dir() {
                return Err(format!("its code {} is not a directory asset", path.display()));
            }
            path.to_path_buf()
        }
        (None, Some(_)) => {
            return Err("has inline code (Code.ZipFile), which does not run locally yet; deploy it from a file".into())
        }
        (None, None) => return Err("has no Code.S3Key".into()),
    };
    let mut environment = BTreeMap::new();
    if let Some(Value::Object(vars)) = r.properties.get("Environment").and_then(|e| e.get("Variables")) {
        for (k, v) in vars {
            let v = env_string(v).ok_or_else(|| format!("environment variable {k} is not a string: {v}"))?;
            environment.insert(k.clone(), v);
        }
    }
    let role_arn = r.properties.get("Role").and_then(Value::as_str).map(str::to_string);
    Ok(FunctionConfig {
        display_name: display_name(r),
        name: r.physical_id.clone(),
        arn: r.str_attribute("Arn").unwrap_or_default().to_string(),
        logical_id: r.logical_id.clone(),
        runtime,
        kind,
        handler: r.str_property("Handler").unwrap_or_default().to_string(),
        code_dir,
        timeout_seconds: number(r, "Timeout", 3),
        memory_mb: number(r, "MemorySize", 128),
        environment,
        role_arn,
    })
}
