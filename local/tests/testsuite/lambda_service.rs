//! The local Lambda service: Node.js, Python and Rust handlers answer
//! through its Runtime API; warm environments are reused; the timeout is
//! enforced; errors keep Lambda's shape; secrets reach Amplify's loader
//! through the local SSM endpoint; the Invoke endpoint answers as Lambda's.

use crate::lambda_support::{code, host_triple, require, rust_handler_crate, start, synth};

use std::time::{Duration, Instant};

use amplify_backend::function::{define_function, secret, EnvValue, FunctionProps, RustBuild};
use local::lambda::InvokeError;
use serde_json::{json, Value};

/// A directory holding an `index.mjs` that exports no `handler`.
fn broken_dir(dir: &std::path::Path) -> std::path::PathBuf {
    let broken = dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("index.mjs"), "export const other = () => 1;\n").unwrap();
    broken
}

fn node_props(name: &str, entry: std::path::PathBuf) -> FunctionProps {
    FunctionProps { name: name.into(), entry, ..Default::default() }
}

const NODE_ECHO: &str = r#"let calls = 0;
export const handler = async (event, context) => {
  calls += 1;
  console.log(`echo call ${calls}`);
  if (event.sleep) await new Promise((r) => setTimeout(r, event.sleep));
  if (event.throw) throw new TypeError(event.throw);
  if (event.exit) process.exit(event.exit);
  return { runtime: 'node', pid: process.pid, calls, event, requestId: context.awsRequestId,
           remaining: context.getRemainingTimeInMillis(), region: process.env.AWS_REGION };
};
"#;

const PY_ECHO: &str = r#"import os

def handler(event, context):
    print("python got", event)
    if event.get("raise"):
        raise ValueError(event["raise"])
    return {"runtime": "python", "pid": os.getpid(), "event": event, "fn": context.function_name}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn node_python_and_rust_handlers_answer_through_the_runtime_api() {
    require("node");
    require("python3");
    let files = code(&[("echo.mjs", NODE_ECHO), ("echo.py", PY_ECHO)]);
    let target = host_triple();
    let project = synth(files, |dir| {
        vec![
            define_function(node_props("node-echo", dir.join("echo.mjs"))),
            define_function(node_props("py-echo", dir.join("echo.py"))),
            define_function(FunctionProps {
                name: "rust-echo".into(),
                entry: rust_handler_crate(),
                rust: RustBuild { target: Some(target.clone()), ..Default::default() },
                ..Default::default()
            }),
        ]
    });
    let running = start(&project);
    let lambda = &running.lambda;

    let node = lambda.invoke("node-echo", &json!({"n": 1})).await.unwrap();
    assert_eq!((node["runtime"].as_str(), &node["event"]), (Some("node"), &json!({"n": 1})));
    assert_eq!(node["region"], "us-east-1");
    assert!(node["remaining"].as_u64().unwrap() > 1000, "the deadline is the function's timeout: {node}");
    assert!(running.logged("node-echo", |l| l == "echo call 1").await, "console.log reaches the log");

    let py = lambda.invoke("py-echo", &json!({"n": 2})).await.unwrap();
    assert_eq!((py["runtime"].as_str(), &py["event"]), (Some("python"), &json!({"n": 2})));
    assert!(py["fn"].as_str().unwrap().starts_with("pyecholambda"), "{py}");
    assert!(running.logged("py-echo", |l| l.starts_with("python got")).await, "{:?}", running.lines("py-echo"));

    let rust = lambda.invoke("rust-echo", &json!({"n": 3})).await.unwrap();
    assert_eq!((rust["runtime"].as_str(), &rust["event"]), (Some("rust"), &json!({"n": 3})));
    assert!(running.logged("rust-echo", |l| l == "rust handler started").await);
    let failed = lambda.invoke("rust-echo", &json!({"fail": true})).await.unwrap_err();
    assert_eq!(failed.parts(), ("RustError".to_string(), "asked to fail".to_string()));
    let again = lambda.invoke("rust-echo", &json!({})).await.unwrap();
    assert_eq!(again["pid"], rust["pid"], "an error keeps the environment warm");
}

#[tokio::test(flavor = "multi_thread")]
async fn warm_environments_are_reused_and_the_timeout_stops_one() {
    require("node");
    let files = code(&[("echo.mjs", NODE_ECHO)]);
    let project = synth(files, |dir| {
        vec![define_function(FunctionProps { timeout_seconds: Some(1), ..node_props("slow", dir.join("echo.mjs")) })]
    });
    let running = start(&project);
    let lambda = &running.lambda;
    let first = lambda.invoke("slow", &json!({})).await.unwrap();
    let second = lambda.invoke("slow", &json!({})).await.unwrap();
    assert_eq!(first["pid"], second["pid"], "the warm process answers again");
    assert_eq!(second["calls"], 2, "module state survives between warm calls");
    assert_ne!(first["requestId"], second["requestId"]);
    assert_eq!(lambda.warm_count("slow"), 1);

    let started = Instant::now();
    let err = lambda.invoke("slow", &json!({"sleep": 5000})).await.unwrap_err();
    let took = started.elapsed();
    let (kind, message) = err.parts();
    assert_eq!(kind, "Sandbox.Timedout", "{message}");
    assert!(message.contains("Task timed out after 1.00 seconds"), "{message}");
    assert!(took >= Duration::from_millis(950) && took < Duration::from_secs(3), "stopped at the timeout: {took:?}");
    assert_eq!(lambda.warm_count("slow"), 0, "a timed-out environment is not reused");

    let after = lambda.invoke("slow", &json!({})).await.unwrap();
    assert_ne!(after["pid"], first["pid"], "a new environment starts");
    assert_eq!(after["calls"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_keep_lambdas_shape() {
    require("node");
    require("python3");
    let files = code(&[
        ("echo.mjs", NODE_ECHO),
        ("echo.py", PY_ECHO),
        ("syntax.py", "def handler(event, context)\n    return 1\n"),
    ]);
    let project = synth(files, |dir| {
        vec![
            define_function(node_props("node-echo", dir.join("echo.mjs"))),
            define_function(node_props("py-echo", dir.join("echo.py"))),
            // A directory is deployed as it is (synthesis would refuse a file
            // entry without the handler), so the runtime must report it.
            define_function(FunctionProps {
                handler: Some("index.handler".into()),
                ..node_props("no-handler", broken_dir(dir))
            }),
            define_function(node_props("bad-python", dir.join("syntax.py"))),
        ]
    });
    let running = start(&project);
    let lambda = &running.lambda;

    let thrown = lambda.invoke("node-echo", &json!({"throw": "no such chat"})).await.unwrap_err();
    assert_eq!(thrown.parts(), ("TypeError".into(), "no such chat".into()));
    let InvokeError::Function(e) = &thrown else { panic!("{thrown:?}") };
    // The trace points into the code that ran: the esbuild bundle of echo.mjs.
    assert!(e.stack_trace.iter().any(|l| l.contains("index.mjs") || l.contains("echo.mjs")), "{e:?}");
    let raised = lambda.invoke("py-echo", &json!({"raise": "bad input"})).await.unwrap_err();
    assert_eq!(raised.parts(), ("ValueError".into(), "bad input".into()));

    let missing = lambda.invoke("no-handler", &json!({})).await.unwrap_err();
    assert_eq!(missing.parts().0, "Runtime.HandlerNotFound", "{missing}");
    let syntax = lambda.invoke("bad-python", &json!({})).await.unwrap_err();
    assert_eq!(syntax.parts().0, "Runtime.UserCodeSyntaxError", "{syntax}");

    let before = lambda.invoke("node-echo", &json!({})).await.unwrap();
    let crashed = lambda.invoke("node-echo", &json!({"exit": 3})).await.unwrap_err();
    assert_eq!(crashed.parts().0, "Runtime.ExitError", "{crashed}");
    assert!(crashed.parts().1.contains("exit status 3"), "{crashed}");
    let after = lambda.invoke("node-echo", &json!({})).await.unwrap();
    assert_ne!(after["pid"], before["pid"], "a crashed environment is replaced");

    let unknown = lambda.invoke("nope", &json!({})).await.unwrap_err();
    assert!(matches!(unknown, InvokeError::NotFound(_)), "{unknown:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_reach_amplifys_loader_through_the_local_ssm() {
    require("node");
    require("python3");
    let files = code(&[
        ("greet.mjs", "export const handler = async () => ({ greeting: process.env.GREETING });\n"),
        (
            "greet.py",
            "import os\n\ndef handler(event, context):\n    return {'greeting': os.environ.get('GREETING')}\n",
        ),
    ]);
    let project = synth(files, |dir| {
        let env = || vec![("GREETING".to_string(), EnvValue::Secret(secret("GREETING")))];
        vec![
            define_function(FunctionProps { environment: env(), ..node_props("node-greet", dir.join("greet.mjs")) }),
            define_function(FunctionProps { environment: env(), ..node_props("py-greet", dir.join("greet.py")) }),
        ]
    });
    let running = start(&project);
    let lambda = &running.lambda;
    let config = lambda.find("node-greet").unwrap();
    assert_eq!(config.handler, "amplify_ssm_env.handler", "the function has Amplify's secrets loader");
    let ssm: Value = serde_json::from_str(&config.environment["AMPLIFY_SSM_ENV_CONFIG"]).unwrap();
    let path = ssm["GREETING"]["path"].as_str().unwrap().to_string();

    let unset = lambda.invoke("node-greet", &json!({})).await.unwrap();
    assert_eq!(unset["greeting"], "<value will be resolved during runtime>", "no value yet: {unset}");
    assert!(running.logged("node-greet", |l| l.contains("ampx dev secret set GREETING")).await);

    lambda.secrets().set(&path, "hello from the store").unwrap();
    for name in ["node-greet", "py-greet"] {
        let answer = lambda.invoke(name, &json!({})).await.unwrap();
        assert_eq!(answer["greeting"], "hello from the store", "{name}: {answer}");
    }
    // The loader really asked SSM: the local endpoint answers the SDK's call.
    let body = ureq::post(lambda.endpoint())
        .header("X-Amz-Target", "AmazonSSM.GetParameters")
        .header("Content-Type", "application/x-amz-json-1.1")
        .send(json!({"Names": [path, "/missing"], "WithDecryption": true}).to_string())
        .unwrap()
        .body_mut()
        .read_json::<Value>()
        .unwrap();
    assert_eq!(body["Parameters"][0]["Value"], "hello from the store");
    assert_eq!(body["InvalidParameters"], json!(["/missing"]));

    lambda.secrets().set(&path, "changed").unwrap();
    let answer = lambda.invoke("node-greet", &json!({})).await.unwrap();
    assert_eq!(answer["greeting"], "changed", "a new value restarts the warm environments");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_invoke_endpoint_answers_as_lambdas() {
    require("node");
    let files = code(&[("echo.mjs", NODE_ECHO)]);
    let project = synth(files, |dir| vec![define_function(node_props("node-echo", dir.join("echo.mjs")))]);
    let running = start(&project);
    let endpoint = running.lambda.endpoint().to_string();
    let url = |name: &str| format!("{endpoint}/2015-03-31/functions/{name}/invocations");
    let call = move |name: String, body: Value| {
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
        let mut r = agent.post(&name).send(body.to_string()).unwrap();
        let error = r.headers().get("x-amz-function-error").map(|v| v.to_str().unwrap().to_string());
        (r.status().as_u16(), error, r.body_mut().read_json::<Value>().unwrap())
    };
    let (ok, err) = (url("node-echo"), url("nope"));
    let results = tokio::task::spawn_blocking(move || {
        (call(ok.clone(), json!({"a": 1})), call(ok, json!({"throw": "x"})), call(err, json!({})))
    })
    .await
    .unwrap();
    let (answer, failed, missing) = results;
    assert_eq!((answer.0, answer.1.clone(), answer.2["event"].clone()), (200, None, json!({"a": 1})));
    assert_eq!((failed.0, failed.1.as_deref()), (200, Some("Unhandled")));
    assert_eq!(failed.2["errorType"], "TypeError");
    assert_eq!(missing.0, 404);
    assert_eq!(missing.2["__type"], "ResourceNotFoundException");
}
