//! The environment a function's process gets: Lambda's reserved variables,
//! the template's variables with secrets filled in from the local store, local
//! credentials, and the endpoints of the local services.

use std::collections::BTreeMap;

use serde_json::Value;

use super::config::FunctionConfig;
use super::logs::LogSink;
use super::secrets::SecretStore;

/// What the template puts where a secret's value goes (amplify-backend's and
/// Amplify's placeholder).
pub const SECRET_PLACEHOLDER: &str = "<value will be resolved during runtime>";

/// AWS credentials a function runs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: String,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: String,
    /// `AWS_SESSION_TOKEN`.
    pub session_token: Option<String>,
}

/// Issues a function's local credentials, from its execution role. The local
/// IAM service implements it, so that a function with data access signs its
/// data API calls with credentials the local data API recognises as its role.
pub trait CredentialSource: Send + Sync {
    /// Credentials for `function` (its `role_arn` says which role), or `None`
    /// to use placeholder credentials that no local service accepts.
    fn credentials(&self, function: &FunctionConfig) -> Option<Credentials>;
}

/// Placeholder credentials: SDKs need some to sign with, and a function must
/// never pick up the developer's real ones.
fn placeholder() -> Credentials {
    Credentials {
        access_key_id: "ASIALOCALAMPXDEV0000".into(),
        secret_access_key: "local-ampx-dev-secret-access-key-0000000".into(),
        session_token: Some("local-ampx-dev-session".into()),
    }
}

/// Everything [`process_env`] needs besides the function.
pub struct EnvContext<'a> {
    /// `AWS_REGION`.
    pub region: &'a str,
    /// Variables every function gets (the local services' endpoints).
    pub common: &'a BTreeMap<String, String>,
    /// The secrets.
    pub secrets: &'a SecretStore,
    /// The assembly's `AWS::SSM::Parameter` values, by name.
    pub parameters: &'a BTreeMap<String, String>,
    /// The local credentials, when a local IAM service issues them.
    pub credentials: Option<&'a dyn CredentialSource>,
    /// Where to say that a secret is missing.
    pub logs: &'a LogSink,
    /// The local SSM endpoint (`AWS_ENDPOINT_URL_SSM`).
    pub ssm_endpoint: &'a str,
    /// The local Lambda endpoint (`AWS_ENDPOINT_URL_LAMBDA`).
    pub lambda_endpoint: &'a str,
}

/// The process environment of `f`.
pub fn process_env(f: &FunctionConfig, cx: &EnvContext<'_>) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    let mut set = |k: &str, v: String| {
        env.insert(k.to_string(), v);
    };
    set("AWS_REGION", cx.region.to_string());
    set("AWS_DEFAULT_REGION", cx.region.to_string());
    set("AWS_LAMBDA_FUNCTION_NAME", f.name.clone());
    set("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into());
    set("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", f.memory_mb.to_string());
    set("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{}", f.name));
    set("AWS_LAMBDA_LOG_STREAM_NAME", format!("local/[$LATEST]{}", uuid::Uuid::new_v4().simple()));
    set("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".into());
    set("AWS_EXECUTION_ENV", format!("AWS_Lambda_{}", f.runtime));
    set("LAMBDA_TASK_ROOT", f.code_dir.display().to_string());
    set("_HANDLER", f.handler.clone());
    set("TZ", ":UTC".into());
    set("AWS_ENDPOINT_URL_SSM", cx.ssm_endpoint.to_string());
    set("AWS_ENDPOINT_URL_LAMBDA", cx.lambda_endpoint.to_string());
    let creds = cx.credentials.and_then(|c| c.credentials(f)).unwrap_or_else(placeholder);
    set("AWS_ACCESS_KEY_ID", creds.access_key_id);
    set("AWS_SECRET_ACCESS_KEY", creds.secret_access_key);
    if let Some(token) = creds.session_token {
        set("AWS_SESSION_TOKEN", token);
    }
    for (k, v) in cx.common {
        set(k, v.clone());
    }
    for (k, v) in &f.environment {
        set(k, v.clone());
    }
    fill_secrets(f, &mut env, cx);
    env
}

/// Puts each secret's value in its variable (branch path first, then the
/// shared one, as Amplify's loader reads them), so code that reads the
/// environment sees it even without fetching; `AMPLIFY_SSM_ENV_CONFIG` stays,
/// and the local SSM endpoint answers code that does fetch.
fn fill_secrets(f: &FunctionConfig, env: &mut BTreeMap<String, String>, cx: &EnvContext<'_>) {
    let Some(config) = env.get("AMPLIFY_SSM_ENV_CONFIG").and_then(|c| serde_json::from_str::<Value>(c).ok()) else {
        return;
    };
    let Some(entries) = config.as_object() else { return };
    for (name, paths) in entries {
        let candidates = ["path", "sharedPath"].map(|k| paths.get(k).and_then(Value::as_str));
        let mut found = None;
        for path in candidates.into_iter().flatten() {
            match cx.secrets.get(path) {
                Ok(Some(s)) => {
                    found = Some(s.value);
                    break;
                }
                Ok(None) => {
                    if let Some(v) = cx.parameters.get(path) {
                        found = Some(v.clone());
                        break;
                    }
                }
                Err(e) => {
                    cx.logs.note(&f.display_name, e.to_string(), true);
                    return;
                }
            }
        }
        match found {
            Some(value) => {
                env.insert(name.clone(), value);
            }
            None if env.get(name).is_some_and(|v| v != SECRET_PLACEHOLDER) => {}
            None => cx.logs.note(
                &f.display_name,
                format!("secret {name} is not set; set it with `ampx dev secret set {name}`"),
                true,
            ),
        }
    }
}
