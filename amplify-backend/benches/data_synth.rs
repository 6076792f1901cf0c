//! Benchmark: synthesize backends with 10, 100 and 1,000 models (relationships and
//! varied rules, `tests/testsuite/data_support/scale.rs`), with auth, in a release build.
//!
//! Each size runs in a child process of its own, so that its peak memory (VmHWM)
//! is its own: `cargo bench -p amplify-backend --bench data_synth`. The numbers
//! are in `benches/README.md`.

use std::process::Command;
use std::time::Instant;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{define_data, DataProps};
use amplify_backend::Backend;
use constructs::{App, AppProps};

#[path = "../tests/testsuite/data_support/scale.rs"]
mod scale;

const SIZES: [usize; 3] = [10, 100, 1000];
const RUNS: usize = 5;

/// One synthesis of `n` models: define, validate, build the tree, render every
/// template (in memory). Returns the seconds and the number of resources.
fn synthesize(n: usize) -> (f64, usize, usize) {
    let start = Instant::now();
    let app = App::with_props(AppProps {
        context: [
            ("amplify-backend-type".to_string(), serde_json::json!("sandbox")),
            ("amplify-backend-namespace".to_string(), serde_json::json!("bench")),
            ("amplify-backend-name".to_string(), serde_json::json!("dev")),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    });
    let auth = define_auth(AuthProps { login_with: LoginWith::email(), ..Default::default() });
    let data = define_data(DataProps {
        schema: scale::scale_schema(n),
        authorization_modes: scale::scale_modes(),
        ..Default::default()
    });
    let backend = Backend::build(app, (auth, data));
    let assembly = backend.app().synth_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let seconds = start.elapsed().as_secs_f64();
    let resources = assembly.stacks.iter().map(|s| s.resource_count()).sum();
    (seconds, resources, assembly.stacks.len())
}

/// CPU seconds (user + system) this process has used so far (Linux): unlike wall
/// time, it does not count waiting for a core on a busy machine.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // The command name (field 2) is in parentheses and may hold spaces.
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the parenthesis;
    // the kernel counts them in USER_HZ ticks, 100 per second on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory of this process, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn child(n: usize) {
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut counts = (0, 0);
    for _ in 0..RUNS {
        let before = cpu_seconds();
        let (t, resources, stacks) = synthesize(n);
        cpu.push(cpu_seconds() - before);
        times.push(t);
        counts = (resources, stacks);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    cpu.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {n} | {:.3} | {:.3} | {:.3} | {:.2} | {:.0} | {} | {} |",
        times[RUNS / 2],
        times[0],
        times[RUNS - 1],
        cpu[RUNS / 2],
        peak_mib().unwrap_or(f64::NAN),
        counts.0,
        counts.1
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--models") {
        let n = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(10);
        return child(n);
    }
    println!("| models | median s | min s | max s | median CPU s | peak MiB | resources | templates |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let exe = std::env::current_exe().expect("the benchmark's own path");
    for n in SIZES {
        let status = Command::new(&exe).args(["--models", &n.to_string()]).status().expect("run a size");
        assert!(status.success(), "the {n}-model run failed");
    }
}
