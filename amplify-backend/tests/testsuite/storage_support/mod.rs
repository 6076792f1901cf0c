//! Shared helpers of the storage tests: apps with Amplify's context, functions
//! with real handler files, the synthesized templates, the reference.

#![allow(dead_code)]

use std::path::PathBuf;

use amplify_backend::auth::{define_auth, AuthDefinition, AuthProps, LoginWith};
use amplify_backend::function::{define_function, FunctionDefinition, FunctionProps};
use amplify_backend::Backend;
use constructs::{App, AppProps, CloudAssembly, IConstruct};
use serde_json::{json, Value};

/// The reference app's root stack name.
pub const ROOT: &str = "amplify-chatapp-dev-sandbox-de98f094bc";

/// An app deploying as `chatapp`/`dev` (the reference's identifier).
pub fn app(deployment_type: &str) -> App {
    app_with(deployment_type, None)
}

/// The same, writing its assembly to `outdir`.
pub fn app_with(deployment_type: &str, outdir: Option<PathBuf>) -> App {
    App::with_props(AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!(deployment_type)),
            ("amplify-backend-namespace".to_string(), json!("chatapp")),
            ("amplify-backend-name".to_string(), json!("dev")),
        ]
        .into_iter()
        .collect(),
        outdir,
        ..Default::default()
    })
}

/// The reference's auth: email login.
pub fn auth() -> AuthDefinition {
    auth_with_groups(&[])
}

/// Email login and user groups.
pub fn auth_with_groups(groups: &[&str]) -> AuthDefinition {
    define_auth(AuthProps {
        login_with: LoginWith::email(),
        groups: groups.iter().map(|g| g.to_string()).collect(),
        ..Default::default()
    })
}

/// A Node.js function with a real handler file.
pub fn function(name: &str) -> FunctionDefinition {
    let dir = scratch_dir(&format!("functions-{name}"));
    let entry = dir.join("handler.mjs");
    std::fs::write(&entry, "export const handler = async (event) => event;\n").expect("handler is written");
    define_function(FunctionProps { name: name.into(), entry, ..Default::default() })
}

/// A fresh directory for this test process.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amplify-storage-tests-{}", std::process::id())).join(name);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Synthesizes the backend in memory; panics with every problem if synthesis fails.
pub fn synth<P>(backend: &Backend<P>) -> CloudAssembly {
    backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"))
}

/// The template of a nested stack (`storage`, `function`, `auth`).
pub fn nested<P>(assembly: &CloudAssembly, backend: &Backend<P>, name: &str) -> Value {
    let path = format!("{}/{name}", backend.root_stack().node().path());
    assembly.stack(&path).unwrap_or_else(|| panic!("no stack {path}")).template.clone()
}

/// The root template.
pub fn root<P>(assembly: &CloudAssembly, backend: &Backend<P>) -> Value {
    assembly.template(&backend.root_stack().stack_name()).expect("root template").clone()
}

/// The resources of a template with a given type, as (logical ID, resource).
pub fn of_type<'a>(template: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"].as_object().expect("Resources").iter().filter(|(_, r)| r["Type"] == ty).collect()
}

/// The one resource whose logical ID starts with `prefix`.
pub fn resource<'a>(template: &'a Value, prefix: &str) -> (&'a String, &'a Value) {
    let found: Vec<_> =
        template["Resources"].as_object().expect("Resources").iter().filter(|(id, _)| id.starts_with(prefix)).collect();
    assert_eq!(found.len(), 1, "resources starting with {prefix}: {:?}", found.iter().map(|f| f.0).collect::<Vec<_>>());
    found[0]
}

/// A file of the Amplify reference output.
pub fn reference(file: &str) -> Value {
    let path = format!("{}/../reference/amplify-gen2-chat/output/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).expect("JSON")
}

/// The reference's root template.
pub fn reference_root() -> Value {
    reference(&format!("{ROOT}.template.json"))
}

/// The reference's storage template.
pub fn reference_storage() -> Value {
    reference("amplifychatappdevsandboxde98f094bcstorage8235B835.nested.template.json")
}

/// The problems of a synthesis that must fail, as `[path] message` lines.
pub fn problems<P>(backend: &Backend<P>) -> Vec<String> {
    match backend.app().synth_in_memory() {
        Ok(_) => panic!("synthesis was expected to fail"),
        Err(e) => e.problems.iter().map(|p| format!("[{}] {}", p.path, p.sentence())).collect(),
    }
}
