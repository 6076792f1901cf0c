//! Schedules run on demand (`ampx dev invoke NAME --schedule`): a UTC schedule
//! is an EventBridge rule and gets EventBridge's `Scheduled Event`; a zoned one
//! is an EventBridge Scheduler schedule (as Amplify makes it), found with its
//! time zone, and gets what Scheduler sends a Lambda target without input.

use crate::lambda_support::{code, require, synth};

use amplify_backend::function::{define_function, FunctionProps, FunctionSchedule};
use local::backend::{LocalBackend, Options};
use serde_json::json;

const ECHO: &str = "export const handler = async (event) => event;\n";

#[tokio::test(flavor = "multi_thread")]
async fn rules_and_scheduler_schedules_both_run_the_function_with_their_events() {
    require("node");
    let project = synth(code(&[("tick.mjs", ECHO)]), |dir| {
        define_function(FunctionProps {
            name: "tick".into(),
            entry: dir.join("tick.mjs"),
            schedule: vec!["every 5m".into(), FunctionSchedule::zoned("0 9 * * ? *", "Europe/Paris")],
            ..Default::default()
        })
    });
    let data = tempfile::tempdir().unwrap();
    let backend = LocalBackend::start(Options::new(project.assembly.path(), data.path())).await.unwrap();
    let function = backend.lambda().find("tick").expect("the function runs locally");

    let schedules = backend.schedules();
    assert_eq!(schedules.len(), 2, "{schedules:#?}");
    let (rule, zoned) = (&schedules[0], &schedules[1]);
    assert!(schedules.iter().all(|s| s.function == function.arn), "both target the function");
    assert_eq!(
        (rule.scheduler, rule.expression.as_str(), rule.time_zone.as_deref()),
        (false, "cron(*/5 * * * ? *)", None)
    );
    assert_eq!(
        (zoned.scheduler, zoned.expression.as_str(), zoned.time_zone.as_deref()),
        (true, "cron(0 9 * * ? *)", Some("Europe/Paris"))
    );
    assert!(
        rule.rule_arn.starts_with("arn:aws:events:us-east-1:") && rule.rule_arn.contains(":rule/"),
        "{}",
        rule.rule_arn
    );
    assert!(
        zoned.rule_arn.starts_with("arn:aws:scheduler:us-east-1:") && zoned.rule_arn.contains(":schedule/default/"),
        "{}",
        zoned.rule_arn
    );

    let from_rule = backend.lambda().invoke("tick", &rule.event("us-east-1", "000000000000")).await.unwrap();
    assert_eq!(from_rule["detail-type"], "Scheduled Event");
    assert_eq!(from_rule["source"], "aws.events");
    assert_eq!(from_rule["resources"], json!([rule.rule_arn]));
    let from_scheduler = backend.lambda().invoke("tick", &zoned.event("us-east-1", "000000000000")).await.unwrap();
    assert_eq!(from_scheduler, json!({}));
}
