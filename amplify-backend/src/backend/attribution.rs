//! Stack descriptions in Amplify's attribution format: a JSON object saying which
//! tool created the stack, on which platform, and what the stack holds. Amplify's
//! console and tools read `stackType` (`root`, `auth-Cognito`, `api-AppSync`, ...)
//! and `createdBy` from it, so ours use the same keys and values.

use serde_json::{json, Value};

use crate::identifier::{BackendIdentifier, DeploymentType};

/// What a stack holds, as Amplify names it in `stackType`.
pub(crate) fn stack_type(nested_stack_name: &str) -> &'static str {
    match nested_stack_name {
        "auth" => "auth-Cognito",
        "data" => "api-AppSync",
        "storage" => "storage-S3",
        "function" => "function-Lambda",
        _ => "custom",
    }
}

/// The description of a stack of type `stack_type`, with category `metadata`
/// (an empty object when the category adds none).
pub(crate) fn description(id: &BackendIdentifier, stack_type: &str, metadata: Value) -> String {
    let created_by = match id.deployment_type {
        DeploymentType::Sandbox => "AmplifySandbox",
        DeploymentType::Branch => "AmplifyPipelineDeploy",
    };
    json!({
        "createdOn": platform(),
        "createdBy": created_by,
        "createdWith": env!("CARGO_PKG_VERSION"),
        "stackType": stack_type,
        "metadata": metadata,
    })
    .to_string()
}

/// The platform names Amplify records (`os.platform()` mapped to these words).
fn platform() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Mac",
        "windows" => "Windows",
        _ => "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_amplifys_attribution_json() {
        let sandbox = BackendIdentifier::sandbox("chatapp", "dev");
        let text = description(&sandbox, "root", json!({}));
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["createdBy"], "AmplifySandbox");
        assert_eq!(parsed["stackType"], "root");
        assert_eq!(parsed["metadata"], json!({}));
        let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["createdOn", "createdBy", "createdWith", "stackType", "metadata"], "Amplify's key order");
        let branch = BackendIdentifier::branch("d1abc", "main");
        assert!(description(&branch, "auth-Cognito", json!({})).contains(r#""createdBy":"AmplifyPipelineDeploy""#));
        assert_eq!(stack_type("storage"), "storage-S3");
        assert_eq!(stack_type("LocationMapStack"), "custom");
    }
}
