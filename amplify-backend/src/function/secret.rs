//! `secret("NAME")`: an environment value read from SSM Parameter Store when the
//! function starts. The template carries only the parameter paths (in
//! `AMPLIFY_SSM_ENV_CONFIG`, Amplify's format) and the role may read exactly them.

use constructs::{fns, Value};
use indexmap::IndexMap;

use crate::iam::PolicyStatement;
use crate::BackendIdentifier;

/// The environment variable that lists, for each secret environment variable, the
/// SSM parameters holding its value (Amplify's name and JSON shape).
pub const SSM_ENV_CONFIG: &str = "AMPLIFY_SSM_ENV_CONFIG";

/// What a secret environment variable holds in the template until the function
/// resolves it (Amplify's text).
pub const SECRET_PLACEHOLDER: &str = "<value will be resolved during runtime>";

/// A secret of the backend, set with `ampx sandbox secret set NAME` (or in the
/// Amplify console for a branch) and stored in SSM Parameter Store.
///
/// ```
/// use amplify_backend::function::secret;
/// assert_eq!(secret("API_KEY").name(), "API_KEY");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Secret {
    name: String,
}

/// A secret, by name, as an environment value of a function.
pub fn secret(name: &str) -> Secret {
    Secret { name: name.to_string() }
}

impl Secret {
    /// The secret's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Why the name cannot be an SSM parameter name, if it cannot.
    pub(crate) fn problem(&self) -> Option<String> {
        let ok = !self.name.is_empty()
            && self.name.len() <= 512
            && self.name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        (!ok).then(|| {
            format!(
                "secret name '{}' must be 1 to 512 letters, digits, '_', '-' or '.' (an SSM parameter name)",
                self.name
            )
        })
    }
}

/// Where one environment variable comes from at start-up: the branch's (or
/// sandbox's) parameter first, then, for a secret, the one shared by every
/// branch of the app (a resource reference has none, as in Amplify).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SsmEntry {
    pub(crate) path: String,
    pub(crate) shared_path: Option<String>,
}

impl SsmEntry {
    pub(crate) fn new(identifier: &BackendIdentifier, secret: &Secret) -> Self {
        SsmEntry {
            path: identifier.secret_path(secret.name()),
            shared_path: Some(identifier.shared_secret_path(secret.name())),
        }
    }
}

/// `AMPLIFY_SSM_ENV_CONFIG`: `{"API_KEY": {"path": "...", "sharedPath": "..."}}`
/// (`sharedPath` only when there is one).
pub(crate) fn ssm_env_config(entries: &IndexMap<String, SsmEntry>) -> String {
    let map: serde_json::Map<String, serde_json::Value> = entries
        .iter()
        .map(|(env, e)| {
            let mut paths = serde_json::json!({ "path": e.path });
            if let Some(shared) = &e.shared_path {
                paths["sharedPath"] = shared.clone().into();
            }
            (env.clone(), paths)
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// `ssm:GetParameters` on exactly the parameters of these secrets.
pub(crate) fn read_statement(entries: &IndexMap<String, SsmEntry>) -> Option<PolicyStatement> {
    if entries.is_empty() {
        return None;
    }
    let mut paths: Vec<&str> = Vec::new();
    for e in entries.values() {
        for p in std::iter::once(e.path.as_str()).chain(e.shared_path.as_deref()) {
            if !paths.contains(&p) {
                paths.push(p);
            }
        }
    }
    Some(PolicyStatement::allow(["ssm:GetParameters"], paths.into_iter().map(parameter_arn)))
}

/// The ARN of a parameter path (which starts with `/`).
pub(crate) fn parameter_arn(path: &str) -> Value {
    fns::sub(format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_statement_name_both_paths() {
        let id = BackendIdentifier::sandbox("chatapp", "dev");
        let mut entries = IndexMap::new();
        entries.insert("API_KEY".to_string(), SsmEntry::new(&id, &secret("API_KEY")));
        assert_eq!(
            ssm_env_config(&entries),
            r#"{"API_KEY":{"path":"/amplify/chatapp/dev-sandbox-de98f094bc/API_KEY","sharedPath":"/amplify/shared/chatapp/API_KEY"}}"#
        );
        let s = read_statement(&entries).unwrap().to_value().to_json().unwrap();
        assert_eq!(s["Action"], "ssm:GetParameters");
        assert_eq!(
            s["Resource"][0]["Fn::Sub"],
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/amplify/chatapp/dev-sandbox-de98f094bc/API_KEY"
        );
        assert_eq!(s["Resource"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn bad_secret_names_are_explained() {
        assert!(secret("API_KEY").problem().is_none());
        assert!(secret("").problem().is_some());
        assert!(secret("a/b").problem().unwrap().contains("SSM parameter name"));
    }
}
