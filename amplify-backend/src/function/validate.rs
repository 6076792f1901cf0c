//! Checks of the props, each giving a message that says what to change. They
//! are collected (never first-error-only) and reported by synthesis with the
//! function's construct path.

use super::props::FunctionProps;
use super::secret::SSM_ENV_CONFIG;

/// Amplify's (and Lambda's) limits.
pub(crate) const MEMORY_MB: (u32, u32, u32) = (128, 10240, 512);
pub(crate) const TIMEOUT_SECONDS: (u32, u32, u32) = (1, 900, 3);
pub(crate) const EPHEMERAL_MB: (u32, u32, u32) = (512, 10240, 512);

/// CloudWatch Logs accepts only these retention periods.
pub(crate) const RETENTION_DAYS: [u32; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// Variables the Lambda runtime sets itself; setting them fails the deployment.
const RESERVED_ENV: [&str; 18] = [
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
];

/// Whether `name` can name a function: it becomes a construct id, a tag value and
/// the key other categories use, and must stay a valid Lambda function name.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("a function needs a name (or an entry to take it from); set FunctionProps::name".into());
    }
    let ok = name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (!ok).then(|| {
        format!("function name '{name}' must be 1 to 64 letters, digits, '-' or '_'; rename it in FunctionProps::name")
    })
}

/// A construct id for a name that may be invalid (the error is reported apart).
pub(crate) fn construct_id(name: &str) -> String {
    let id: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if id.is_empty() {
        "unnamed".into()
    } else {
        id
    }
}

/// Every problem with the numeric, environment, logging and layer settings.
pub(crate) fn settings(props: &FunctionProps) -> Vec<String> {
    let mut out = Vec::new();
    let ranges = [
        ("memory_mb", props.memory_mb, MEMORY_MB),
        ("timeout_seconds", props.timeout_seconds, TIMEOUT_SECONDS),
        ("ephemeral_storage_size_mb", props.ephemeral_storage_size_mb, EPHEMERAL_MB),
    ];
    for (field, value, (min, max, _)) in ranges {
        if let Some(v) = value.filter(|v| !(min..=max).contains(v)) {
            out.push(format!("{field} is {v}; it must be a whole number from {min} to {max}"));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for (key, _) in &props.environment {
        if let Some(p) = env_key_problem(key) {
            out.push(p);
        }
        if seen.contains(&key.as_str()) {
            out.push(format!("environment variable {key} is set twice; keep one"));
        }
        seen.push(key);
    }
    if let Some(days) = props.logging.retention_days.filter(|d| !RETENTION_DAYS.contains(d)) {
        out.push(format!(
            "logging.retention_days is {days}; CloudWatch Logs keeps logs for one of {RETENTION_DAYS:?} days"
        ));
    }
    if props.layers.len() > 5 {
        out.push(format!("a function can use at most 5 layers, and it has {}; remove some", props.layers.len()));
    }
    for l in props.layers.iter().filter(|l| !l.starts_with("arn:") || !l.contains(":layer:")) {
        out.push(format!(
            "layer '{l}' is not a layer version ARN; give arn:aws:lambda:<region>:<account>:layer:<name>:<version>"
        ));
    }
    if let Some(group) = &props.resource_group_name {
        let ok = !group.is_empty() && group.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            out.push(format!(
                "resource_group_name '{group}' cannot name a stack; use letters, digits, '-' or '_' only"
            ));
        }
    }
    out
}

/// Why `key` cannot be an environment variable of a Lambda function, if it cannot.
pub(crate) fn env_key_problem(key: &str) -> Option<String> {
    let shape = key.len() >= 2
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !shape {
        return Some(format!(
            "environment variable name '{key}' must start with a letter and have only letters, digits and '_' \
             (at least 2 characters); rename the variable"
        ));
    }
    if RESERVED_ENV.contains(&key) || key == SSM_ENV_CONFIG {
        return Some(format!("environment variable {key} is set by Lambda or Amplify; choose another name"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(name_problem("say-hello").is_none());
        assert!(name_problem("say hello").unwrap().contains("letters, digits"));
        assert!(name_problem(&"x".repeat(65)).is_some());
        assert_eq!(construct_id("say hello/x"), "say-hello-x");
    }

    #[test]
    fn environment_names() {
        assert!(env_key_problem("TABLE_NAME").is_none());
        assert!(env_key_problem("1ABC").is_some());
        assert!(env_key_problem("AWS_REGION").unwrap().contains("set by Lambda"));
        assert!(env_key_problem("AMPLIFY_SSM_ENV_CONFIG").is_some());
    }
}
