//! Measures the APPSYNC_JS runtime on the chat example's `getMessage` pipeline
//! (before step, auth function, table function, after step; six handler runs)
//! with an in-memory data source: the median and 99th percentile per request on
//! one thread, then requests per second on every core.
//!
//! `cargo run --release -p local --example appsync_js_bench [-- --count N]`

// The data source callback answers the API's GraphQL error, as AppSync reports it.
#![allow(clippy::result_large_err)]

#[path = "../tests/testsuite/appsync_js_support/mod.rs"]
mod appsync_js_support;

use std::time::{Duration, Instant};

use local::appsync::js::{run_resolver, AuthType, Context, GraphQlError, Info};
use serde_json::{json, Value};

// As in `ampx`, which serves `ampx dev` (QuickJS allocates through it too).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn ctx() -> Context {
    Context {
        arguments: json!({"id": "m1"}),
        identity: Some(
            json!({"sub": "u1", "username": "alice", "claims": {"sub": "u1", "cognito:username": "alice"}}).into(),
        ),
        info: Info { field_name: "getMessage".into(), parent_type_name: "Query".into(), ..Default::default() },
        auth_type: AuthType::UserPools,
        ..Default::default()
    }
}

fn main() {
    let loaded = appsync_js_support::load();
    let resolver = loaded.resolvers["Query.getMessage"].clone();
    let item = json!({"id": "m1", "text": "hi", "owner": "u1::alice", "chatId": "c1", "__typename": "Message"});
    let once = |rt: &local::appsync::js::Runtime| {
        let mut invoke = |_: &str, _: Value| -> Result<Value, GraphQlError> { Ok(item.clone()) };
        let out = run_resolver(rt, &resolver, ctx(), &mut invoke).expect("the pipeline runs");
        assert_eq!(out.result["id"], "m1");
    };
    for _ in 0..200 {
        once(&loaded.rt);
    }
    // `--count N`: N more requests and nothing else, for an instruction
    // counter (`valgrind --tool=callgrind`; the difference of two counts is
    // the cost of the requests between them, free of the machine's noise).
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("--count") {
        let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1_000);
        for _ in 0..n {
            once(&loaded.rt);
        }
        return;
    }
    let mut times: Vec<Duration> = (0..2_000)
        .map(|_| {
            let t = Instant::now();
            once(&loaded.rt);
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "getMessage pipeline, one thread: median {:?}, p99 {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per_thread = 5_000;
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    once(&loaded.rt);
                }
            });
        }
    });
    let secs = started.elapsed().as_secs_f64();
    println!("{threads} threads: {:.0} requests/s", (threads * per_thread) as f64 / secs);
}
