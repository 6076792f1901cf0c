//! Measures the local Lambda service: the overhead of a warm call above the
//! handler's own time (the handler reports how long it ran; the rest is the
//! Runtime API round trip, the process boundary and the service), and cold
//! starts (a new process, its init, the first event), for Node.js, Python and
//! a Rust `bootstrap` built for the host; then `sayHello` through the whole
//! data API of the chat example (resolver, data source, function).
//!
//! `cargo run --release -p local --example lambda_bench [N]`

#[path = "../tests/testsuite/assembly_support/mod.rs"]
mod assembly_support;
#[path = "../tests/testsuite/lambda_support/mod.rs"]
mod lambda_support;

use std::time::{Duration, Instant};

use amplify_backend::function::{define_function, FunctionProps, RustBuild};
use local::backend::{Auth, LocalBackend, Options};
use local::lambda::LogSink;
use serde_json::json;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

const NODE: &str = r#"export const handler = async (event) => {
  const t = process.hrtime.bigint();
  while (process.hrtime.bigint() - t < BigInt(event.work_us ?? 0) * 1000n) {}
  return { handler_us: Number(process.hrtime.bigint() - t) / 1000 };
};
"#;

const PYTHON: &str = r#"import time

def handler(event, context):
    t = time.perf_counter()
    while (time.perf_counter() - t) * 1e6 < event.get("work_us", 0):
        pass
    return {"handler_us": (time.perf_counter() - t) * 1e6}
"#;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200);
    let files = lambda_support::code(&[("bench.mjs", NODE), ("bench.py", PYTHON)]);
    let target = lambda_support::host_triple();
    let project = lambda_support::synth(files, |dir| {
        vec![
            define_function(FunctionProps { name: "node".into(), entry: dir.join("bench.mjs"), ..Default::default() }),
            define_function(FunctionProps { name: "python".into(), entry: dir.join("bench.py"), ..Default::default() }),
            define_function(FunctionProps {
                name: "rust".into(),
                entry: lambda_support::rust_handler_crate(),
                rust: RustBuild { target: Some(target), ..Default::default() },
                ..Default::default()
            }),
        ]
    });
    // Quiet: printing the per-call REPORT lines would measure the terminal.
    let running = lambda_support::start_with(&project, false);
    let lambda = running.lambda.clone();

    println!("warm calls: {n} each, handler busy for 1 ms (Rust: echo, no work)");
    for name in ["node", "python", "rust"] {
        let mut colds = Vec::new();
        for _ in 0..5 {
            lambda.retire_all();
            let t = Instant::now();
            lambda.invoke(name, &json!({"work_us": 1000})).await.unwrap();
            colds.push(t.elapsed());
        }
        colds.sort();
        let mut overheads = Vec::new();
        for _ in 0..n {
            let t = Instant::now();
            let out = lambda.invoke(name, &json!({"work_us": 1000})).await.unwrap();
            let total = t.elapsed();
            let handler = Duration::from_secs_f64(out["handler_us"].as_f64().unwrap_or(0.0) / 1e6);
            overheads.push(total.saturating_sub(handler));
        }
        overheads.sort();
        println!(
            "{name:>7}: cold start median {} (min {}); warm overhead median {}, p95 {}, max {}",
            ms(percentile(&colds, 0.5)),
            ms(colds[0]),
            ms(percentile(&overheads, 0.5)),
            ms(percentile(&overheads, 0.95)),
            ms(*overheads.last().unwrap())
        );
    }

    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let options = Options { function_logs: Some(LogSink::new(|_| {})), ..Options::new(assembly.path(), data.path()) };
    let backend = LocalBackend::start(options).await.unwrap();
    let user = backend.sign_up_and_sign_in("bench@example.com", "Correct-horse-42").unwrap();
    let query = "{ sayHello(name: \"bench\") }";
    let auth = || Auth::UserPool(user.access_token.clone());
    let t = Instant::now();
    backend.graphql(query, json!({}), auth()).await.unwrap();
    let cold = t.elapsed();
    let mut times = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let body = backend.graphql(query, json!({}), auth()).await.unwrap();
        times.push(t.elapsed());
        assert_eq!(body["data"]["sayHello"], "Hello, bench!");
    }
    times.sort();
    println!(
        "sayHello through the data API: first (cold) {}; warm median {}, p95 {}",
        ms(cold),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95))
    );
}
