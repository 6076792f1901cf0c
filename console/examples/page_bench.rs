//! How long the console's first page and a page turn take over a model
//! table of 10,000 records, against a local backend of the chat example.
//!
//! The first page is what the page fetches before it is interactive: the
//! HTML, its scripts and styles, `GET /api/config`, and the data manager's
//! first `list` (20 records, as the page asks). A page turn is the next
//! `list` with the `nextToken`. Both are timed at 100 records and again at
//! 10,000, so that a page's cost can be seen not to grow with the table.
//!
//! ```text
//! cargo run --release -p ampx-console --example page_bench [-- RECORDS RUNS]
//! ```
//!
//! Prints the median and the spread of `RUNS` runs (default 15), the bytes
//! of one page, and the process's peak resident memory (`VmHWM`, the backend
//! and the console together) after seeding and after paging.
//!
//! With `CHROMIUM` and `TOOLS_NODE_MODULES` set (`source .tools/env`), it
//! also opens the console in headless Chromium over the full table
//! (`page_ready.mjs`): navigation to interactive, to the first table drawn,
//! and a click on the Chat model to its 20 rows.

use std::sync::Arc;
use std::time::{Duration, Instant};

use amplify_backend::auth::{define_auth, AuthProps, LoginWith, Triggers};
use ampx_console::{Console, LogBook};
use constructs::{App, AppProps};
use local::backend::{Auth, LocalBackend, Options};
use serde_json::{json, Value};

const PAGE: u64 = 20;
const LIST: &str = "query List($limit: Int, $nextToken: String) { listChats(limit: $limit, nextToken: $nextToken) { items { id name owner createdAt updatedAt } nextToken } }";
const CREATE: &str = "mutation C($input: CreateChatInput!) { createChat(input: $input) { id } }";
const ASSETS: [&str; 5] = ["/", "/app.js", "/data.js", "/admin.js", "/style.css"];

fn main() {
    let mut args = std::env::args().skip(1);
    let records: usize = args.next().map_or(10_000, |a| a.parse().expect("RECORDS is a number"));
    let runs: usize = args.next().map_or(15, |a| a.parse().expect("RUNS is a number"));

    let assembly = synthesize();
    let data = tempfile::tempdir().expect("a temporary directory");
    let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime");
    let (backend, console) = runtime.block_on(async {
        let backend = Arc::new(
            LocalBackend::start(Options::new(assembly.path(), data.path())).await.expect("the backend starts"),
        );
        let console = Console::start(backend.clone(), LogBook::default(), 0).await.expect("the console starts");
        (backend, console)
    });
    console.set_outputs(model_outputs(&backend));
    let client = Client::new(&console);
    println!("records  step        median ms  min ms  max ms  bytes");
    let mut seeded = 0;
    for target in [100.min(records), records] {
        let started = Instant::now();
        runtime.block_on(seed(&backend, target - seeded));
        let seeding = started.elapsed();
        seeded = target;
        let first = measure(runs, || client.first_page());
        let turn = measure(runs, || client.page_turn());
        report(target, "first page", &first, client.first_page().1);
        report(target, "page turn", &turn, client.page_turn().1);
        println!(
            "  (seeding {} records took {:.1} s; peak RSS now {} MiB)",
            target,
            seeding.as_secs_f64(),
            peak_rss_mib()
        );
    }
    if let (Some(chromium), Some(modules)) = (std::env::var_os("CHROMIUM"), std::env::var_os("TOOLS_NODE_MODULES")) {
        in_chromium(&console, &chromium, &modules, runs.min(7));
    }
    drop(console);
}

/// The page in headless Chromium (`page_ready.mjs`): the medians of `runs`.
fn in_chromium(console: &Console, chromium: &std::ffi::OsStr, modules: &std::ffi::OsStr, runs: usize) {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/page_ready.mjs");
    let out = std::process::Command::new("node")
        .arg(script)
        .env("CONSOLE_URL", console.url())
        .env("CHROMIUM", chromium)
        .env("TOOLS_NODE_MODULES", modules)
        .env("RUNS", runs.to_string())
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the Chromium run failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    let column = |name: &str| -> Vec<f64> {
        let mut v: Vec<f64> =
            text.lines().filter_map(|l| l.split_whitespace().skip_while(|w| *w != name).nth(1)?.parse().ok()).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    for (name, step) in [("ready", "interactive"), ("table", "first table"), ("chat", "Chat click")] {
        let ms = column(name);
        assert!(!ms.is_empty(), "no `{name}` times in:\n{text}");
        println!("chromium  {step:<11}  {:>9.0}  {:>6.0}  {:>6.0}", ms[ms.len() / 2], ms[0], ms[ms.len() - 1]);
    }
}

/// The part of `amplify_outputs.json` the data manager builds itself from:
/// the model introspection, inline or staged beside the assembly.
fn model_outputs(backend: &LocalBackend) -> Value {
    use amplify_backend::outputs::{MODEL_INTROSPECTION_OUTPUT, MODEL_INTROSPECTION_S3_URI_OUTPUT};
    let assembly = backend.assembly();
    let text = assembly
        .stacks
        .iter()
        .find_map(|s| {
            if let Some(text) = s.outputs.get(MODEL_INTROSPECTION_OUTPUT).and_then(Value::as_str) {
                return Some(text.to_string());
            }
            let uri = s.outputs.get(MODEL_INTROSPECTION_S3_URI_OUTPUT)?.as_str()?;
            assembly.read_asset(uri, MODEL_INTROSPECTION_S3_URI_OUTPUT).ok()
        })
        .expect("the chat backend has a model introspection");
    let introspection: Value = serde_json::from_str(&text).expect("the introspection is JSON");
    json!({"version": "1.4", "data": {"model_introspection": introspection}})
}

/// The chat example with its auth, synthesized into a temporary directory.
fn synthesize() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let context = json!({"amplify-backend-namespace": "bench", "amplify-backend-name": "console", "amplify-backend-type": "sandbox"});
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().to_path_buf()),
        context: serde_json::from_value(context).expect("a context"),
        ..AppProps::default()
    });
    chat::backend_with_auth(app.clone(), |post_confirmation| {
        define_auth(AuthProps {
            login_with: LoginWith { email: Some(Default::default()), ..Default::default() },
            triggers: Triggers { post_confirmation: Some(post_confirmation.clone()), ..Default::default() },
            ..Default::default()
        })
    });
    app.synth().expect("the chat backend synthesizes");
    dir
}

/// Creates `count` chats as the local admin, eight at a time.
async fn seed(backend: &Arc<LocalBackend>, count: usize) {
    let credentials = backend.identity_pools().admin_credentials("bench").expect("admin credentials");
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let (backend, credentials) = (backend.clone(), credentials.clone());
        tasks.spawn(async move {
            for i in (worker..count).step_by(8) {
                let input = json!({"input": {"name": format!("chat {i:05}")}});
                let out = backend.graphql(CREATE, input, Auth::Iam(credentials.clone())).await.expect("a create");
                assert!(out.get("errors").is_none(), "seeding failed: {out}");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a seeding task");
    }
}

/// The console over HTTP, as the page calls it (run off the runtime).
struct Client {
    agent: ureq::Agent,
    origin: String,
    token: String,
}

impl Client {
    fn new(console: &Console) -> Client {
        Client { agent: ureq::Agent::new_with_defaults(), origin: console.origin(), token: console.token().to_string() }
    }

    fn get(&self, path: &str) -> usize {
        let mut r = self
            .agent
            .get(format!("{}{path}", self.origin))
            .header("x-console-token", &self.token)
            .call()
            .expect("a GET");
        r.body_mut().read_to_vec().expect("a body").len()
    }

    fn list(&self, next_token: Value) -> (Value, usize) {
        let body = json!({"query": LIST, "operationName": "List", "variables": {"limit": PAGE, "nextToken": next_token},
            "identity": {"type": "admin"}});
        let mut r = self
            .agent
            .post(format!("{}/api/graphql", self.origin))
            .header("x-console-token", &self.token)
            .send_json(body)
            .expect("a list");
        let bytes = r.body_mut().read_to_vec().expect("a body");
        let value: Value = serde_json::from_slice(&bytes).expect("JSON");
        let items = value["data"]["listChats"]["items"].as_array().map_or(0, Vec::len);
        assert_eq!(items as u64, PAGE, "a full page: {value}");
        (value, bytes.len())
    }

    /// Everything the page loads before it is interactive; answers the time and the bytes.
    fn first_page(&self) -> (Duration, usize) {
        let started = Instant::now();
        let mut bytes: usize = ASSETS.iter().map(|a| self.get(a)).sum();
        bytes += self.get("/api/config");
        bytes += self.list(Value::Null).1;
        (started.elapsed(), bytes)
    }

    /// The first `list`, then (timed) the second with its `nextToken`.
    fn page_turn(&self) -> (Duration, usize) {
        let (first, _) = self.list(Value::Null);
        let token = first["data"]["listChats"]["nextToken"].clone();
        assert!(token.is_string(), "a next page: {first}");
        let started = Instant::now();
        let (_, bytes) = self.list(token);
        (started.elapsed(), bytes)
    }
}

fn measure(runs: usize, mut f: impl FnMut() -> (Duration, usize)) -> Vec<f64> {
    let mut ms: Vec<f64> = (0..runs).map(|_| f().0.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    ms
}

fn report(records: usize, step: &str, sorted_ms: &[f64], bytes: usize) {
    let median = sorted_ms[sorted_ms.len() / 2];
    let (min, max) = (sorted_ms[0], sorted_ms[sorted_ms.len() - 1]);
    println!("{records:>7}  {step:<10}  {median:>9.1}  {min:>6.1}  {max:>6.1}  {bytes}");
}

/// The process's peak resident set (`VmHWM`), in MiB; 0 where `/proc` has none.
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    kib / 1024
}
