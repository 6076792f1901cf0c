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
    let namespace = get(NAMESPACE_KEY).or_else(|| std::env::var("CARGO_PKG_NAME").ok()).unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
            .unwrap_or_else(|| "backend".into())
    });
    let name = get(NAME_KEY)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "sandbox".into());
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
