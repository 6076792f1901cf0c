//! Benchmark: what the synthesis-time checks of issue 16 cost, on the 1,000-model
//! data backend of `data_synth`. Synthesis (which runs the checks) is timed, then
//! the checks alone on the same templates, as synthesis runs them
//! (`constructs::checks::check_template_with`): the construct layer's name
//! checks, whose walk also gives the cycle check its graph and so replaced that
//! check's own walk, with the attributes `Fn::GetAtt` reads checked against the
//! registry schemas in it, and cfn-types' registry-schema and quota checks
//! (`cfn_types::schema_check`), given each resource in the same walk. Synthesis
//! runs them on each template right after rendering it; here the templates were
//! rendered long before (they are out of the cache), so the figure is an upper bound.
//!
//! Wall time and the thread's CPU time are both measured: on a machine shared
//! with other work, wall time also counts the time the thread waits for a core,
//! and varies from run to run by more than the checks take.
//!
//! `cargo bench -p amplify-backend --bench checks_cost`; numbers in `benches/README.md`.

use std::time::Instant;

use amplify_backend::auth::{define_auth, AuthProps, LoginWith};
use amplify_backend::data::{define_data, DataProps};
use amplify_backend::Backend;
use constructs::{App, AppProps, CloudAssembly};

#[path = "../tests/testsuite/data_support/scale.rs"]
mod scale;

const MODELS: usize = 1000;
const RUNS: usize = 7;

/// The CPU time this thread has run, in seconds (Linux's schedstat; 0 elsewhere).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

fn synthesize(n: usize) -> (f64, CloudAssembly) {
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
    (start.elapsed().as_secs_f64(), assembly)
}

fn main() {
    let extra = [cfn_types::schema_check()];
    let mut synth = Vec::new();
    let mut checks = Vec::new();
    let mut cpu_ratios = Vec::new();
    for _ in 0..RUNS {
        let cpu = cpu_seconds();
        let (t, assembly) = synthesize(MODELS);
        let synth_cpu = cpu_seconds() - cpu;
        synth.push(t);
        let cpu = cpu_seconds();
        let start = Instant::now();
        let mut found = 0;
        for s in &assembly.stacks {
            found += constructs::checks::check_template_with(&s.template, &extra).len();
        }
        checks.push(start.elapsed().as_secs_f64());
        cpu_ratios.push((cpu_seconds() - cpu) / synth_cpu);
        assert_eq!(found, 0, "the benchmark backend is valid");
    }
    cpu_ratios.sort_by(|a, b| a.total_cmp(b));
    synth.sort_by(|a, b| a.total_cmp(b));
    checks.sort_by(|a, b| a.total_cmp(b));
    let (s, c) = (synth[RUNS / 2], checks[RUNS / 2]);
    let (s0, c0) = (synth[0], checks[0]);
    let cpu = cpu_ratios[RUNS / 2];
    println!(
        "| models | synthesis s, median (min) | checks s, median (min) | checks / synthesis, medians (mins) | CPU time: checks / synthesis, median |"
    );
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {MODELS} | {s:.3} ({s0:.3}) | {c:.3} ({c0:.3}) | {:.1} % ({:.1} %) | {:.1} % |",
        100.0 * c / s,
        100.0 * c0 / s0,
        100.0 * cpu
    );
}
