//! Measures `LocalBackend` on the chat example: start (cold, with a fresh data
//! directory, and warm), sign-up plus SRP sign-in, `getChat` latency through
//! the data API's auth and resolvers (in process), and realtime fan-out: the
//! time from one `createChat` until N subscribers of the same owner all have
//! it over their WebSockets (median of several rounds, with the CPU time used);
//! and throughput: `getChat` requests per second from concurrent callers, in
//! process and over HTTP (keep-alive connections to the data API's router).
//! The callers run on the same machine, so they share its cores with the server.
//!
//! `cargo run --release -p local --example backend_bench [N | --count N | --count-http N]`

#[path = "../tests/testsuite/assembly_support/mod.rs"]
mod assembly_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use local::backend::{Auth, LocalBackend, Options};
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

// As in `ampx`, which serves `ampx dev`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// CPU seconds this process has used (user + system), from /proc/self/stat, so
/// a run on a busy machine still shows the cost per request; `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command (which may hold spaces) start at the state, field 3.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel reports in USER_HZ, 100 on every Linux ABI.
    Some(ticks / 100.0)
}

/// CPU seconds the calling thread has used, from /proc/thread-self/schedstat
/// (nanoseconds on the CPU), so the HTTP clients' own work can be taken out of
/// the process's; `None` off Linux.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(stat.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

/// `, X ms CPU per request` since `cpu0`, for `n` requests.
fn cpu_per_request(cpu0: Option<f64>, n: usize) -> String {
    match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) if n > 0 => format!(", {:.3} ms CPU per request", (b - a) * 1000.0 / n as f64),
        _ => String::new(),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let subscribers: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100);
    let assembly = assembly_support::chat_assembly();
    let data = tempfile::tempdir().unwrap();
    let options = || Options::new(assembly.path(), data.path());

    let t = Instant::now();
    let backend = LocalBackend::start(options()).await.unwrap();
    println!("start, fresh data directory: {}", ms(t.elapsed()));
    backend.stop().await;
    let t = Instant::now();
    let backend = Arc::new(LocalBackend::start(options()).await.unwrap());
    println!("start, existing data:        {}", ms(t.elapsed()));

    let t = Instant::now();
    let user = backend.sign_up_and_sign_in("bench@example.com", "Correct-horse-42").unwrap();
    println!("sign-up + SRP sign-in:       {}", ms(t.elapsed()));
    let auth = || Auth::UserPool(user.access_token.clone());
    let created =
        backend.graphql("mutation { createChat(input: {name: \"b\"}) { id } }", json!({}), auth()).await.unwrap();
    let id = created["data"]["createChat"]["id"].as_str().unwrap().to_string();

    // `--count N` / `--count-http N`: N `getChat` requests in process (or over
    // HTTP from one client thread) and nothing else, for an instruction counter
    // (`valgrind --tool=callgrind`; the difference of two counts is the cost of
    // the requests between them, free of the machine's noise).
    let mut args = std::env::args().skip(1);
    if let Some(mode @ ("--count" | "--count-http")) = args.next().as_deref() {
        let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1_000);
        const GET: &str = "query($id: ID!) { getChat(id: $id) { id name owner } }";
        if mode == "--count" {
            for _ in 0..n {
                let body = backend.graphql(GET, json!({"id": id}), auth()).await.unwrap();
                assert_eq!(body["data"]["getChat"]["name"], "b");
            }
            return;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/graphql", listener.local_addr().unwrap());
        let router = backend.data_api().unwrap().router();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let body = json!({"query": GET, "variables": {"id": id}}).to_string();
        let token = user.access_token.clone();
        tokio::task::spawn_blocking(move || {
            let agent = ureq::Agent::new_with_defaults();
            for _ in 0..n {
                let mut response = agent
                    .post(&url)
                    .header("authorization", &token)
                    .header("content-type", "application/json")
                    .send(body.as_str())
                    .unwrap();
                assert!(response.body_mut().read_to_string().unwrap().contains("\"name\":\"b\""));
            }
        })
        .await
        .unwrap();
        return;
    }

    let mut times = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        let body = backend
            .graphql("query($id: ID!) { getChat(id: $id) { id name owner } }", json!({"id": id}), auth())
            .await
            .unwrap();
        times.push(t.elapsed());
        assert_eq!(body["data"]["getChat"]["name"], "b");
    }
    times.sort();
    println!("getChat (500, in process):   median {}, p99 {}", ms(times[250]), ms(times[495]));

    const GET: &str = "query($id: ID!) { getChat(id: $id) { id name owner } }";
    let window = Duration::from_secs(3);
    let done = Arc::new(AtomicUsize::new(0));
    let cpu0 = cpu_seconds();
    let deadline = Instant::now() + window;
    let callers: Vec<_> = (0..16)
        .map(|_| {
            let (backend, done, id, token) = (backend.clone(), done.clone(), id.clone(), user.access_token.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let body = backend.graphql(GET, json!({"id": id}), Auth::UserPool(token.clone())).await.unwrap();
                    assert_eq!(body["data"]["getChat"]["name"], "b");
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for c in callers {
        c.await.unwrap();
    }
    let rate = done.load(Ordering::Relaxed) as f64 / window.as_secs_f64();
    let cpu = cpu_per_request(cpu0, done.load(Ordering::Relaxed));
    println!("getChat throughput, in process, 16 callers: {rate:.0} req/s{cpu}");

    // Fan-out over real WebSockets to the data API's router on plain HTTP.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = listener.local_addr().unwrap().to_string();
    let router = backend.data_api().unwrap().router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let url = format!("http://{host}/graphql");
    let body = json!({"query": GET, "variables": {"id": id}}).to_string();
    let done = Arc::new(AtomicUsize::new(0));
    let cpu0 = cpu_seconds();
    let deadline = Instant::now() + window;
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (done, url, body, token) = (done.clone(), url.clone(), body.clone(), user.access_token.clone());
            std::thread::spawn(move || {
                let own0 = thread_cpu_seconds();
                let agent = ureq::Agent::new_with_defaults();
                while Instant::now() < deadline {
                    let mut response = agent
                        .post(&url)
                        .header("authorization", &token)
                        .header("content-type", "application/json")
                        .send(body.as_str())
                        .unwrap();
                    let text = response.body_mut().read_to_string().unwrap();
                    assert!(text.contains("\"name\":\"b\""), "{text}");
                    done.fetch_add(1, Ordering::Relaxed);
                }
                own0.zip(thread_cpu_seconds()).map(|(a, b)| b - a)
            })
        })
        .collect();
    let clients: Option<f64> = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let n = done.load(Ordering::Relaxed);
    let rate = n as f64 / window.as_secs_f64();
    let cpu = cpu_per_request(cpu0, n);
    println!("getChat throughput, HTTP keep-alive, 8 client threads: {rate:.0} req/s{cpu} (server and clients)");
    // The clients run in this process: their own CPU (ureq, their half of the
    // loopback TCP) is taken out to give the server's cost per request.
    if let (Some(a), Some(b), Some(clients)) = (cpu0, cpu_seconds(), clients) {
        let server = (b - a - clients) * 1000.0 / n.max(1) as f64;
        let cores = 2.0;
        println!(
            "  of which the server: {server:.3} ms CPU per request, i.e. {:.0} req/s on {cores} cores",
            cores * 1000.0 / server
        );
    }

    let header = json!({"host": host, "Authorization": user.access_token});
    let protocols = format!("graphql-ws, header-{}", URL_SAFE_NO_PAD.encode(header.to_string()));
    let subscription = json!({"query": "subscription { onCreateChat { id name } }", "variables": {}}).to_string();
    let mut sockets = Vec::new();
    for i in 0..subscribers {
        let mut request = format!("ws://{host}/graphql/realtime").into_client_request().unwrap();
        request.headers_mut().insert("sec-websocket-protocol", protocols.parse().unwrap());
        let tcp = tokio::net::TcpStream::connect(&host).await.unwrap();
        let (mut ws, _) = tokio_tungstenite::client_async(request, tcp).await.unwrap();
        ws.send(Message::Text(json!({"type": "connection_init"}).to_string().into())).await.unwrap();
        let start = json!({"id": format!("s{i}"), "type": "start", "payload": {"data": subscription,
            "extensions": {"authorization": header}}});
        ws.send(Message::Text(start.to_string().into())).await.unwrap();
        while !next(&mut ws).await.contains("start_ack") {}
        sockets.push(ws);
    }
    // Each socket's reader reports when its `data` message arrived (and that
    // it is the chat just created); they run before the clock starts.
    let (arrived_tx, mut arrived) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    for mut ws in sockets {
        let arrived_tx = arrived_tx.clone();
        tokio::spawn(async move {
            loop {
                let text = match ws.next().await {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(_)) => continue,
                    other => panic!("subscriber socket ended: {other:?}"),
                };
                if text.contains("\"data\"") {
                    assert!(text.contains("\"name\":\"fan\""), "{text}");
                    let _ = arrived_tx.send(Instant::now());
                }
            }
        });
    }
    println!("load average before fan-out: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
    // The time from the mutation's call (in process, through auth, resolver
    // and store) until the last subscriber's client has read its `data`
    // message from its WebSocket. Rounds run one after another.
    const ROUNDS: usize = 7;
    let mut rounds = Vec::new();
    let cpu0 = cpu_seconds();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        backend
            .graphql("mutation { createChat(input: {name: \"fan\"}) { id name owner } }", json!({}), auth())
            .await
            .unwrap();
        let answered = t.elapsed();
        let mut last = t;
        for _ in 0..subscribers {
            let at =
                tokio::time::timeout(Duration::from_secs(10), arrived.recv()).await.expect("every subscriber gets it");
            last = last.max(at.unwrap());
        }
        rounds.push((last - t, answered));
    }
    let cpu = cpu0.zip(cpu_seconds()).map(|(a, b)| (b - a) * 1000.0 / ROUNDS as f64);
    let each: Vec<String> = rounds.iter().map(|(d, _)| format!("{:.1}", d.as_secs_f64() * 1000.0)).collect();
    rounds.sort();
    let (median, answered) = rounds[ROUNDS / 2];
    println!(
        "fan-out to {subscribers} subscribers:   median {} of {ROUNDS} (ms: {}), the mutation itself {}{}",
        ms(median),
        each.join(", "),
        ms(answered),
        cpu.map(|c| format!(", {c:.1} ms CPU per round (server and clients)")).unwrap_or_default()
    );
}

async fn next<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    ws: &mut tokio_tungstenite::WebSocketStream<S>,
) -> String {
    match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
        Ok(Some(Ok(Message::Text(t)))) => t.to_string(),
        Ok(Some(Ok(_))) => String::new(),
        other => panic!("no message: {other:?}"),
    }
}
