//! Secrets: no value in any template, only the SSM paths (Amplify's
//! AMPLIFY_SSM_ENV_CONFIG) and `ssm:GetParameters` on exactly those parameters;
//! and the shim really loads them before the handler, in Node.js and Python
//! (data's endpoint too, for a trigger that reads it through SSM).

use crate::function_support;

use std::process::Command;

use amplify_backend::function::{define_function, secret, FunctionProps, SECRET_PLACEHOLDER};
use function_support::*;
use serde_json::json;

pub(crate) const PATH: &str = "/amplify/chatapp/dev-sandbox-de98f094bc/API_KEY";
pub(crate) const SHARED: &str = "/amplify/shared/chatapp/API_KEY";

fn with_secret(entry: std::path::PathBuf) -> amplify_backend::function::FunctionDefinition {
    define_function(
        FunctionProps { name: "secretive".into(), entry, ..Default::default() }
            .env("API_KEY", secret("API_KEY"))
            .env("PLAIN", "visible"),
    )
}

#[test]
fn a_secret_is_a_path_and_a_permission_never_a_value() {
    let backend = backend((with_secret(fixture("say-hello/handler.ts")),));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    let (_, lambda) = one(t, "AWS::Lambda::Function");
    let vars = &lambda["Properties"]["Environment"]["Variables"];
    assert_eq!(vars["API_KEY"], SECRET_PLACEHOLDER);
    assert_eq!(vars["PLAIN"], "visible");
    let config: serde_json::Value = serde_json::from_str(vars["AMPLIFY_SSM_ENV_CONFIG"].as_str().unwrap()).unwrap();
    assert_eq!(config, json!({"API_KEY": {"path": PATH, "sharedPath": SHARED}}));
    // The handler is the shim, which loads the secret and then the user's module.
    assert_eq!(lambda["Properties"]["Handler"], "amplify_ssm_env.handler");

    let (policy_id, policy) = one(t, "AWS::IAM::Policy");
    let (role_id, _) = one(t, "AWS::IAM::Role");
    assert_eq!(policy["Properties"]["Roles"], json!([{"Ref": role_id}]));
    let arn = |p: &str| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{p}")});
    assert_eq!(
        policy["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": [arn(PATH), arn(SHARED)]}])
    );
    // The function is created only once its role may read the secret.
    assert!(lambda["DependsOn"].as_array().unwrap().contains(&json!(policy_id)));

    // Nothing but the paths names the secret, anywhere in the assembly.
    for stack in &out.stacks {
        let text = stack.template.to_string();
        let mentions = text.matches("API_KEY").count();
        // The variable, its key in the config and its 2 paths there, and 2 ARNs.
        let expected = if stack.nested && text.contains("AWS::Lambda::Function") { 6 } else { 0 };
        assert_eq!(mentions, expected, "{}: {text}", stack.construct_path);
    }
}

#[test]
fn branch_deployments_read_their_own_branch_path() {
    let app = constructs::App::with_props(constructs::AppProps {
        context: [
            ("amplify-backend-type".to_string(), json!("branch")),
            ("amplify-backend-namespace".to_string(), json!("d1abcdefghij")),
            ("amplify-backend-name".to_string(), json!("main")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let backend = amplify_backend::Backend::build(app, (with_secret(fixture("say-hello/handler.ts")),));
    let out = synth(&backend);
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    let config: serde_json::Value = serde_json::from_str(
        lambda["Properties"]["Environment"]["Variables"]["AMPLIFY_SSM_ENV_CONFIG"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(config["API_KEY"]["path"], "/amplify/d1abcdefghij/main-branch-f18f4af6ac/API_KEY");
    assert_eq!(config["API_KEY"]["sharedPath"], "/amplify/shared/d1abcdefghij/API_KEY");
}

/// The staged code of a function (its asset directory).
pub(crate) fn staged<P>(backend: &amplify_backend::Backend<P>, name: &str) -> std::path::PathBuf {
    let f = backend.functions().get(name).unwrap();
    let asset = f.resources().code.unwrap();
    let dir = scratch(&format!("staged-{name}-{}", &asset.hash()[..8]));
    backend.app().set_outdir(dir.join("cdk.out"));
    backend.synth().unwrap_or_else(|e| panic!("{e}"));
    dir.join("cdk.out").join(format!("asset.{}", asset.hash()))
}

pub(crate) fn tool(name: &str) -> String {
    let ok = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(ok, "{name} is needed on PATH to run the secrets shim; install it");
    name.to_string()
}

/// The `@aws-sdk/client-ssm` the Lambda runtime provides, faked in `code`: it
/// knows `known` (name, value) and insists on decryption.
pub(crate) fn fake_node_ssm(code: &std::path::Path, known: &[(&str, &str)]) {
    let sdk = code.join("node_modules/@aws-sdk/client-ssm");
    std::fs::create_dir_all(&sdk).unwrap();
    std::fs::write(sdk.join("package.json"), r#"{"name":"@aws-sdk/client-ssm","type":"module","main":"index.js"}"#)
        .unwrap();
    let known: serde_json::Map<String, serde_json::Value> =
        known.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    std::fs::write(
        sdk.join("index.js"),
        format!(
            "export class GetParametersCommand {{ constructor(input) {{ this.input = input; }} }}\n\
             export class SSMClient {{ async send(c) {{\n\
               if (!c.input.WithDecryption) throw new Error('not decrypted');\n\
               const known = {};\n\
               return {{ Parameters: c.input.Names.filter((n) => n in known).map((n) => ({{ Name: n, Value: known[n] }})) }};\n\
             }} }}\n",
            serde_json::Value::Object(known)
        ),
    )
    .unwrap();
}

/// Imports the shim in `code` with `env` and calls the handler: what it printed.
pub(crate) fn run_node_shim(code: &std::path::Path, env: &[(&str, &str)]) -> String {
    let out = Command::new(tool("node"))
        .current_dir(code)
        .envs(env.iter().copied())
        .args([
            "--input-type=module",
            "-e",
            "const m = await import('./amplify_ssm_env.mjs'); console.log(await m.handler({}));",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn the_node_shim_loads_the_secret_before_the_handler() {
    let dir = scratch("node-shim-run");
    std::fs::write(
        dir.join("handler.mjs"),
        "const atLoad = process.env.API_KEY;\nexport const handler = async () => `${atLoad}|${process.env.API_KEY}`;\n",
    )
    .unwrap();
    let backend = backend((with_secret(dir.join("handler.mjs")),));
    let code = staged(&backend, "secretive");
    // The SDK the Lambda runtime provides, faked: the branch parameter is missing,
    // the shared one is set, so the shim must fall back to it.
    fake_node_ssm(&code, &[(SHARED, "s3cr3t")]);
    let config = json!({"API_KEY": {"path": PATH, "sharedPath": SHARED}}).to_string();
    let result = run_node_shim(&code, &[("AMPLIFY_SSM_ENV_CONFIG", &config), ("API_KEY", SECRET_PLACEHOLDER)]);
    assert_eq!(result, "s3cr3t|s3cr3t");
}

#[test]
fn the_node_shim_loads_the_data_endpoint_of_a_trigger_that_reads_data() {
    use amplify_backend::auth::{define_auth, AuthProps, LoginWith, Triggers};
    use amplify_backend::data::{a, define_data, AuthorizationModes, DataProps, ResourceOperation};
    const ENDPOINT: &str = "https://example.appsync-api.us-east-1.amazonaws.com/graphql";
    let dir = scratch("node-shim-data-endpoint");
    std::fs::write(
        dir.join("handler.mjs"),
        "const atLoad = process.env.AMPLIFY_DATA_GRAPHQL_ENDPOINT;\nexport const handler = async () => atLoad;\n",
    )
    .unwrap();
    let f = define_function(FunctionProps {
        name: "post-confirmation".into(),
        entry: dir.join("handler.mjs"),
        ..Default::default()
    });
    let auth = define_auth(AuthProps {
        login_with: LoginWith::email(),
        triggers: Triggers { post_confirmation: Some(f.clone()), ..Default::default() },
        ..Default::default()
    });
    let schema = a::schema([("Chat", a::model([("name", a::string())]).authorization(|allow| [allow.owner()]))])
        .authorization(|allow| [allow.resource("post-confirmation").to([ResourceOperation::Query])]);
    let data =
        define_data(DataProps { schema, authorization_modes: AuthorizationModes::user_pool(), ..Default::default() });
    let backend = backend((f, auth, data));
    let out = synth(&backend);
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    let vars = &lambda["Properties"]["Environment"]["Variables"];
    let code = staged(&backend, "post-confirmation");
    // The parameter the data stack publishes, with the endpoint it will hold.
    let data_stack = nested(&out, &backend, "data");
    let (_, parameter) = of_type(data_stack, "AWS::SSM::Parameter")
        .into_iter()
        .find(|(id, _)| id.starts_with("AMPLIFYDATAGRAPHQLENDPOINTParameter"))
        .expect("the endpoint's parameter");
    fake_node_ssm(&code, &[(parameter["Properties"]["Name"].as_str().unwrap(), ENDPOINT)]);
    // The environment Lambda gives the function, as the template sets it.
    let env: Vec<(&str, &str)> = ["AMPLIFY_SSM_ENV_CONFIG", "AMPLIFY_DATA_GRAPHQL_ENDPOINT"]
        .into_iter()
        .map(|k| (k, vars[k].as_str().unwrap()))
        .collect();
    assert_eq!(run_node_shim(&code, &env), ENDPOINT);
    assert_eq!(lambda["Properties"]["Handler"], "amplify_ssm_env.handler");
}

#[test]
fn the_python_shim_loads_the_secret_before_the_handler() {
    let python = tool("python3");
    let dir = scratch("python-shim-run");
    std::fs::write(
        dir.join("app.py"),
        "import os\nAT_LOAD = os.environ['API_KEY']\n\ndef main(event, context):\n    return AT_LOAD + '|' + os.environ['API_KEY']\n",
    )
    .unwrap();
    let f = define_function(
        FunctionProps {
            name: "py".into(),
            entry: dir.join("app.py"),
            handler: Some("main".into()),
            ..Default::default()
        }
        .env("API_KEY", secret("API_KEY")),
    );
    let backend = backend((f,));
    let out = synth(&backend);
    let (_, lambda) = one(nested(&out, &backend, "function"), "AWS::Lambda::Function");
    assert_eq!(lambda["Properties"]["Handler"], "amplify_ssm_env.handler");
    assert_eq!(lambda["Properties"]["Runtime"], "python3.13");
    let code = staged(&backend, "py");
    // boto3, faked: the branch parameter is set.
    std::fs::write(
        code.join("boto3.py"),
        format!(
            "class _Ssm:\n    def get_parameters(self, Names, WithDecryption):\n        assert WithDecryption\n        \
             known = {{'{PATH}': 'py-s3cr3t'}}\n        return {{'Parameters': [{{'Name': n, 'Value': known[n]}} for n in Names if n in known]}}\n\n\
             def client(name):\n    assert name == 'ssm'\n    return _Ssm()\n"
        ),
    )
    .unwrap();
    assert_eq!(run_python_loader(&python, &code), "py-s3cr3t|py-s3cr3t");
}

/// Runs the generated Python loader in `code` (beside a boto3 stand-in) as Lambda
/// would, with `API_KEY` a secret at [`PATH`] or [`SHARED`]; answers what the
/// handler returned.
pub(crate) fn run_python_loader(python: &str, code: &std::path::Path) -> String {
    let config = json!({"API_KEY": {"path": PATH, "sharedPath": SHARED}}).to_string();
    let out = Command::new(python)
        .current_dir(code)
        .env("AMPLIFY_SSM_ENV_CONFIG", config)
        .env("API_KEY", SECRET_PLACEHOLDER)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-c", "import amplify_ssm_env; print(amplify_ssm_env.handler({}, None))"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn functions_without_secrets_get_no_shim_and_no_policy() {
    let backend = backend((say_hello(),));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    assert!(of_type(t, "AWS::IAM::Policy").is_empty());
    assert_eq!(one(t, "AWS::Lambda::Function").1["Properties"]["Handler"], "index.handler");
}
