//! Function options closed by issue 18, item 7: zoned schedules on EventBridge
//! Scheduler (Amplify's `{ cron | rate, timezone }`) and `add_environment` with a
//! secret. Each is checked for its meaning and the templates pass cfn-lint.

use crate::function_support;
use crate::lint_support;

use std::path::PathBuf;

use amplify_backend::function::{define_function, secret, FunctionProps, FunctionSchedule, SECRET_PLACEHOLDER};
use function_support::*;
use serde_json::json;

fn lint<P>(name: &str, backend: &amplify_backend::Backend<P>) -> Vec<String> {
    let dir = scratch(&format!("function-options-{name}"));
    backend.app().set_outdir(&dir);
    let assembly = backend.synth().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<PathBuf> = assembly.stacks.iter().map(|s| dir.join(&s.template_file)).collect();
    lint_support::cfn_lint_findings(&files)
}

#[test]
fn zoned_schedules_run_on_eventbridge_scheduler_in_their_time_zone() {
    let f = define_function(FunctionProps {
        name: "report".into(),
        entry: fixture("say-hello/handler.ts"),
        schedule: vec![
            "every day".into(),
            FunctionSchedule::zoned("0 9 ? * 2 *", "Europe/Paris").described("Monday report"),
            FunctionSchedule::zoned("every 1h", "America/New_York"),
        ],
        ..Default::default()
    });
    let backend = backend((f,));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    let (fn_id, _) = one(t, "AWS::Lambda::Function");
    let fn_arn = json!({"Fn::GetAtt": [fn_id, "Arn"]});

    // A plain schedule stays a UTC EventBridge rule.
    let (_, rule) = one(t, "AWS::Events::Rule");
    assert_eq!(rule["Properties"]["ScheduleExpression"], "cron(0 0 * * ? *)");

    let schedules = of_type(t, "AWS::Scheduler::Schedule");
    let role_id = of_type(t, "AWS::IAM::Role")
        .into_iter()
        .find(|(_, r)| {
            r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"]
                == "scheduler.amazonaws.com"
        })
        .map(|(id, _)| id.clone())
        .expect("a role for EventBridge Scheduler");
    let expected = [
        ("cron(0 9 ? * 2 *)", "Europe/Paris", Some("Monday report")),
        ("cron(0 */1 * * ? *)", "America/New_York", None),
    ];
    assert_eq!(schedules.len(), expected.len());
    for ((_, s), (expression, zone, description)) in schedules.iter().zip(expected) {
        let p = &s["Properties"];
        assert_eq!(p["ScheduleExpression"], expression);
        assert_eq!(p["ScheduleExpressionTimezone"], zone);
        assert_eq!(p["Description"], description.map_or(json!(null), |d| json!(d)));
        assert_eq!(p["State"], "ENABLED");
        assert_eq!(p["FlexibleTimeWindow"], json!({"Mode": "OFF"}));
        assert_eq!(
            p["Target"],
            json!({
                "Arn": fn_arn,
                "RoleArn": {"Fn::GetAtt": [role_id, "Arn"]},
                "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185}
            })
        );
    }
    // Scheduler may assume the role only for this account's default group, and
    // the role may only invoke this function.
    let role = &t["Resources"][&role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(role["Condition"]["StringEquals"]["aws:SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    assert_eq!(
        role["Condition"]["StringEquals"]["aws:SourceArn"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/default"})
    );
    let invoke = of_type(t, "AWS::IAM::Policy")
        .into_iter()
        .find(|(_, p)| p["Properties"]["Roles"] == json!([{"Ref": role_id}]))
        .expect("the scheduler role's policy");
    assert_eq!(
        invoke.1["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "lambda:InvokeFunction",
                "Resource": [fn_arn, {"Fn::Join": ["", [fn_arn, ":*"]]}]}])
    );
    let r = backend.functions().get("report").unwrap().resources();
    assert_eq!((r.schedules.len(), r.zoned_schedules.len(), r.scheduler_role.is_some()), (1, 2, true));

    let findings = lint("zoned", &backend);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn an_unknown_time_zone_is_refused_with_examples() {
    let f = define_function(FunctionProps {
        name: "report".into(),
        entry: fixture("say-hello/handler.ts"),
        schedule: vec![FunctionSchedule::zoned("every day", "Mars/Olympus_Mons")],
        ..Default::default()
    });
    let err = backend((f,)).app().synth_in_memory().expect_err("refused").to_string();
    assert!(err.contains("function 'report'"), "{err}");
    assert!(err.contains("'Mars/Olympus_Mons' is not an IANA time zone"), "{err}");
    assert!(err.contains("Europe/Paris"), "gives examples: {err}");
}

#[test]
fn add_environment_takes_a_secret_as_define_function_does() {
    let f = define_function(
        FunctionProps { name: "secretive".into(), entry: fixture("say-hello/handler.ts"), ..Default::default() }
            .env("API_KEY", secret("API_KEY")),
    );
    let backend = backend((f,));
    backend.functions().get("secretive").unwrap().add_environment("STRIPE_KEY", secret("STRIPE_KEY"));
    let out = synth(&backend);
    let t = nested(&out, &backend, "function");
    let (_, lambda) = one(t, "AWS::Lambda::Function");
    let vars = &lambda["Properties"]["Environment"]["Variables"];
    assert_eq!(vars["STRIPE_KEY"], SECRET_PLACEHOLDER);
    let config: serde_json::Value = serde_json::from_str(vars["AMPLIFY_SSM_ENV_CONFIG"].as_str().unwrap()).unwrap();
    let path = |name: &str| format!("/amplify/chatapp/dev-sandbox-de98f094bc/{name}");
    let shared = |name: &str| format!("/amplify/shared/chatapp/{name}");
    assert_eq!(
        config,
        json!({
            "API_KEY": {"path": path("API_KEY"), "sharedPath": shared("API_KEY")},
            "STRIPE_KEY": {"path": path("STRIPE_KEY"), "sharedPath": shared("STRIPE_KEY")}
        })
    );
    let (_, policy) = one(t, "AWS::IAM::Policy");
    let arn = |p: &str| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{p}")});
    assert_eq!(
        policy["Properties"]["PolicyDocument"]["Statement"][1],
        json!({"Effect": "Allow", "Action": "ssm:GetParameters", "Resource": [arn(&path("STRIPE_KEY")), arn(&shared("STRIPE_KEY"))]})
    );
    assert!(!out.stacks.iter().any(|s| s.template.to_string().contains("sk_live")), "no value anywhere");
    let findings = lint("add-secret", &backend);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_secret_added_to_code_without_the_loader_is_refused_with_the_fix() {
    let f = define_function(FunctionProps {
        name: "plain".into(),
        entry: fixture("say-hello/handler.ts"),
        ..Default::default()
    });
    let backend = backend((f,));
    backend.functions().get("plain").unwrap().add_environment("API_KEY", secret("API_KEY"));
    backend.functions().get("plain").unwrap().add_environment("BAD", secret("a/b"));
    let err = backend.app().synth_in_memory().expect_err("refused").to_string();
    assert!(err.contains("function 'plain': secret API_KEY was added after definition"), "{err}");
    assert!(err.contains("give the secret in FunctionProps::environment"), "{err}");
    assert!(err.contains("secret name 'a/b'"), "{err}");
}
