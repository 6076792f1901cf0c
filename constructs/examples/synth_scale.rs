//! Benchmark: synthesize N resources spread over 20 top-level stacks (each split
//! into nested stacks of 250), with references inside stacks, between nested
//! siblings and across top-level stacks. Prints one JSON line with the time and
//! the peak memory (VmHWM).
//!
//! `cargo run --release -p constructs --example synth_scale -- 10000`

use std::time::Instant;

use constructs::{App, AppProps, CfnResource, IConstruct, NestedStack, Stack};

const STACKS: usize = 20;
const PER_NESTED: usize = 250;

fn build(app: &App, total: usize) {
    let per_stack = total / STACKS;
    let mut previous_stack_first: Option<CfnResource> = None;
    for s in 0..STACKS {
        let stack = Stack::new(app, &format!("Stack{s}"));
        let mut first_in_stack: Option<CfnResource> = None;
        let mut previous_nested_last: Option<CfnResource> = None;
        let nested_count = per_stack.div_ceil(PER_NESTED);
        let mut made = 0;
        for n in 0..nested_count {
            let nested = NestedStack::new(&stack, &format!("Part{n}"));
            let mut prev: Option<CfnResource> = None;
            for i in 0..PER_NESTED.min(per_stack - made) {
                let q = CfnResource::new(&nested, &format!("Queue{i}"), "AWS::SQS::Queue");
                q.set_property("DelaySeconds", (i % 900) as i64);
                if let Some(p) = &prev {
                    q.set_property(
                        "RedrivePolicy",
                        constructs::Value::object([("deadLetterTargetArn", p.get_att("Arn"))]),
                    );
                }
                if i == 0 {
                    if let Some(p) = &previous_nested_last {
                        q.set_property("QueueName", p.get_att("QueueName"));
                    }
                    if let Some(p) = &previous_stack_first {
                        q.set_property(
                            "Tags",
                            vec![constructs::Value::object([("Key", "upstream".into()), ("Value", p.ref_())])],
                        );
                    }
                }
                if first_in_stack.is_none() {
                    first_in_stack = Some(q.clone());
                }
                prev = Some(q);
                made += 1;
            }
            previous_nested_last = prev;
        }
        previous_stack_first = first_in_stack;
        let _ = stack.node();
    }
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let total: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("synth-scale-{total}"));
    let _ = std::fs::remove_dir_all(&dir);
    let start = Instant::now();
    let app = App::with_props(AppProps { outdir: Some(dir.clone()), ..Default::default() });
    build(&app, total);
    let built = start.elapsed();
    let assembly = match app.synth() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let elapsed = start.elapsed();
    let resources: usize = assembly.stacks.iter().map(|s| s.resource_count()).sum();
    println!(
        "{{\"resources_requested\": {total}, \"resources_in_templates\": {resources}, \"templates\": {}, \"build_ms\": {:.1}, \"total_ms\": {:.1}, \"peak_rss_mb\": {:.1}}}",
        assembly.stacks.len(),
        built.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64() * 1000.0,
        peak_rss_mb()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
