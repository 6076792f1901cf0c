//! Secrets for directory handlers: a Node.js or Python directory is deployed as
//! a copy with the generated loader, which loads the secret before the user's
//! module; a `bootstrap` directory is deployed untouched (a Rust handler loads
//! its secrets with amplify-function-runtime).

use crate::function_secrets::{fake_node_ssm, run_node_shim, staged, tool, PATH, SHARED};
use crate::function_support::*;

use amplify_backend::function::{define_function, secret, FunctionProps, SECRET_PLACEHOLDER};
use serde_json::json;

fn secretive(entry: std::path::PathBuf, handler: Option<&str>) -> amplify_backend::function::FunctionDefinition {
    define_function(
        FunctionProps { name: "secretive".into(), entry, handler: handler.map(Into::into), ..Default::default() }
            .env("API_KEY", secret("API_KEY")),
    )
}

#[test]
fn a_node_directory_is_deployed_as_a_copy_whose_loader_sets_the_secret_before_the_module_loads() {
    let dir = scratch("dir-secrets-node");
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(dir.join("lib/greet.mjs"), "export const greet = (k) => `key=${k}`;\n").unwrap();
    std::fs::write(
        dir.join("index.mjs"),
        "import { greet } from './lib/greet.mjs';\nconst atLoad = process.env.API_KEY;\n\
         export const handler = async () => `${greet(atLoad)}|${process.env.PLAIN}`;\n",
    )
    .unwrap();
    let f = secretive(dir.clone(), None);
    let backend = backend((f,));
    backend.parts().0.add_environment("PLAIN", "visible");
    // Added after definition: the copy has the loader, so this is accepted too.
    backend.parts().0.add_environment("OTHER_KEY", secret("OTHER_KEY"));
    let out = synth(&backend);
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "amplify_ssm_env.handler");
    assert_eq!(lambda["Properties"]["Runtime"], "nodejs22.x");
    let config = lambda["Properties"]["Environment"]["Variables"]["AMPLIFY_SSM_ENV_CONFIG"].as_str().unwrap();
    let config: serde_json::Value = serde_json::from_str(config).unwrap();
    assert_eq!(config["API_KEY"], json!({"path": PATH, "sharedPath": SHARED}));
    assert!(config["OTHER_KEY"]["path"].is_string());

    let code = staged(&backend, "secretive");
    assert_ne!(code, dir);
    assert!(code.join("lib/greet.mjs").is_file(), "the whole directory is in the copy");
    assert!(!dir.join("amplify_ssm_env.mjs").exists(), "the user's directory is not written to");
    fake_node_ssm(&code, &[(PATH, "branch-key")]);
    let env = [
        ("AMPLIFY_SSM_ENV_CONFIG", json!({"API_KEY": {"path": PATH, "sharedPath": SHARED}}).to_string()),
        ("API_KEY", SECRET_PLACEHOLDER.to_string()),
        ("PLAIN", "visible".to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(run_node_shim(&code, &env), "key=branch-key|visible");
}

#[test]
fn a_python_package_directory_gets_the_loader_for_its_dotted_handler() {
    let python = tool("python3");
    let dir = scratch("dir-secrets-python");
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(
        dir.join("pkg/app.py"),
        "import os\nAT_LOAD = os.environ['API_KEY']\n\ndef main(event, context):\n    return 'loaded=' + AT_LOAD\n",
    )
    .unwrap();
    let backend = backend((secretive(dir.clone(), Some("pkg.app.main")),));
    let out = synth(&backend);
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "amplify_ssm_env.handler");
    assert_eq!(lambda["Properties"]["Runtime"], "python3.13");
    let code = staged(&backend, "secretive");
    // boto3, faked: only the shared parameter is set.
    std::fs::write(
        code.join("boto3.py"),
        format!(
            "class _Ssm:\n    def get_parameters(self, Names, WithDecryption):\n        \
             known = {{'{SHARED}': 'shared-key'}}\n        return {{'Parameters': [{{'Name': n, 'Value': known[n]}} for n in Names if n in known]}}\n\n\
             def client(name):\n    return _Ssm()\n"
        ),
    )
    .unwrap();
    assert_eq!(crate::function_secrets::run_python_loader(&python, &code), "loaded=shared-key");
}

#[test]
fn a_bootstrap_directory_is_deployed_untouched_and_may_not_take_a_secret_later() {
    let dir = scratch("dir-secrets-bootstrap");
    std::fs::write(dir.join("bootstrap"), "#!/bin/sh\n").unwrap();
    let backend = backend((secretive(dir.clone(), None),));
    backend.parts().0.add_environment("LATER", secret("LATER"));
    let err = backend.app().synth_in_memory().unwrap_err().to_string();
    assert!(err.contains("secret LATER was added after definition"), "{err}");
    let ok = self::backend((secretive(dir.clone(), None),));
    let out = synth(&ok);
    let (_, lambda) = one(nested(&out, &ok, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "bootstrap");
    assert_eq!(dir_hash(&staged(&ok, "secretive")), dir_hash(&dir), "deployed as it is");
}
