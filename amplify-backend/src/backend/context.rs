//! Reading the backend identifier from the app protocol's context.

use constructs::{App, IConstruct};

use crate::identifier::{BackendIdentifier, DeploymentType};

/// Context key of the namespace (project or app id).
pub const NAMESPACE_KEY: &str = "amplify-backend-namespace";
/// Context key of the name (developer or branch).
pub const NAME_KEY: &str = "amplify-backend-name";
/// Context key of the deployment type (`sandbox` or `branch`).
pub const TYPE_KEY: &str = "amplify-backend-type";

/// The identifier the app was started with, or the sandbox defaults: the package
/// name (Cargo sets `CARGO_PKG_NAME` for `cargo run`) and the user name. Problems
/// are returned as messages for the app's error report.
pub(crate) fn identifier_from_context(app: &App) -> (BackendIdentifier, Vec<String>) {
    identifier_from(app, |k| std::env::var(k).ok())
}

/// As [`identifier_from_context`], with the environment given (for tests).
fn identifier_from(app: &App, env: impl Fn(&str) -> Option<String>) -> (BackendIdentifier, Vec<String>) {
    let node = app.node();
    let get = |k: &str| node.try_get_context(k).and_then(|v| v.as_str().map(str::to_string));
    let mut problems = Vec::new();
    let deployment_type = match get(TYPE_KEY) {
        None => DeploymentType::Sandbox,
        Some(t) => DeploymentType::parse(&t).unwrap_or_else(|| {
            problems.push(format!("context '{TYPE_KEY}' is '{t}'; use 'sandbox' or 'branch'"));
            DeploymentType::Sandbox
        }),
    };
    let namespace = get(NAMESPACE_KEY).or_else(|| env("CARGO_PKG_NAME")).unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
            .unwrap_or_else(|| "backend".into())
    });
    let name = get(NAME_KEY).or_else(|| env("USER")).or_else(|| env("USERNAME")).unwrap_or_else(|| "sandbox".into());
    if deployment_type == DeploymentType::Branch && get(NAMESPACE_KEY).is_none() {
        problems.push(format!("a branch deployment needs the app id in context '{NAMESPACE_KEY}'"));
    }
    for (what, value) in [("namespace", &namespace), ("name", &name)] {
        if !value.chars().any(|c| c.is_ascii_alphanumeric()) {
            problems.push(format!("the backend {what} '{value}' has no letters or digits; stack names need some"));
        }
    }
    (BackendIdentifier { namespace, name, deployment_type }, problems)
}

#[cfg(test)]
mod tests {
    use constructs::AppProps;
    use serde_json::json;

    use super::*;
    use crate::DeploymentType;

    fn app(context: &[(&str, &str)]) -> App {
        let context = context.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        App::with_props(AppProps { context, ..Default::default() })
    }

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn a_sandbox_defaults_to_the_package_and_the_user() {
        let (id, problems) = identifier_from(&app(&[]), env(&[("CARGO_PKG_NAME", "chat"), ("USER", "alice")]));
        assert_eq!(id, BackendIdentifier::sandbox("chat", "alice"));
        assert!(problems.is_empty(), "{problems:?}");
        // Windows names the user in USERNAME.
        let (id, _) = identifier_from(&app(&[]), env(&[("CARGO_PKG_NAME", "chat"), ("USERNAME", "bob")]));
        assert_eq!(id.name, "bob");
        let (id, _) = identifier_from(&app(&[]), env(&[("CARGO_PKG_NAME", "chat")]));
        assert_eq!(id.name, "sandbox");
    }

    #[test]
    fn without_a_package_name_the_program_name_is_the_namespace() {
        let (id, _) = identifier_from(&app(&[]), env(&[("USER", "alice")]));
        let exe = std::env::current_exe().unwrap();
        assert_eq!(id.namespace, exe.file_stem().unwrap().to_string_lossy());
    }

    #[test]
    fn context_wins_over_the_defaults() {
        let context = [(TYPE_KEY, "branch"), (NAMESPACE_KEY, "d1abcdefghij"), (NAME_KEY, "main")];
        let (id, problems) = identifier_from(&app(&context), env(&[("CARGO_PKG_NAME", "chat"), ("USER", "alice")]));
        assert_eq!(id, BackendIdentifier::branch("d1abcdefghij", "main"));
        assert_eq!(id.deployment_type, DeploymentType::Branch);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_branch_without_an_app_id_is_a_problem() {
        let (_, problems) = identifier_from(&app(&[(TYPE_KEY, "branch")]), env(&[("CARGO_PKG_NAME", "chat")]));
        assert_eq!(problems, [format!("a branch deployment needs the app id in context '{NAMESPACE_KEY}'")]);
    }
}
