//! The errors a user meets before any AWS call succeeds: no region, no
//! credentials, names that cannot be used. No server is needed.

mod common;

use common::{ampx_command, project, run};

#[test]
fn no_region_says_how_to_set_one() {
    let (_tmp, dir) = project("todoapp");
    let mut cmd = ampx_command(&dir);
    cmd.env("AWS_ACCESS_KEY_ID", "testing").env("AWS_SECRET_ACCESS_KEY", "testing");
    let out = run(cmd, &["sandbox", "secret", "list"], None).failed();
    assert!(out.stderr.contains("no AWS region: set AWS_REGION"), "{}", out.stderr);
}

#[test]
fn no_credentials_says_how_to_provide_them() {
    let (_tmp, dir) = project("todoapp");
    let mut cmd = ampx_command(&dir);
    cmd.env("AWS_REGION", "us-east-1");
    let out = run(cmd, &["sandbox", "secret", "list"], None).failed();
    assert!(out.stderr.contains("no AWS credentials found"), "{}", out.stderr);
    assert!(out.stderr.contains("AWS_PROFILE"), "{}", out.stderr);
}

#[test]
fn a_too_long_identifier_is_refused_before_any_call() {
    let (_tmp, dir) = project("todoapp");
    let long = "x".repeat(60);
    let out = run(ampx_command(&dir), &["sandbox", "delete", "--identifier", &long, "--yes"], None).failed();
    assert!(out.stderr.contains("sandbox identifier") && out.stderr.contains("too long"), "{}", out.stderr);
}

#[test]
fn a_too_long_stack_name_in_an_assembly_is_refused() {
    let (tmp, dir) = project("todoapp");
    let assembly = tmp.path().join("asm");
    std::fs::create_dir_all(&assembly).unwrap();
    let name = format!("S{}", "x".repeat(130));
    std::fs::write(
        assembly.join("manifest.json"),
        format!(
            r#"{{"version": "55.0.0", "artifacts": {{"S": {{"type": "aws:cloudformation:stack",
               "properties": {{"templateFile": "S.template.json", "stackName": "{name}"}}}}}}}}"#
        ),
    )
    .unwrap();
    std::fs::write(assembly.join("S.template.json"), r#"{"Resources": {}}"#).unwrap();
    let mut cmd = ampx_command(&dir);
    cmd.env("AWS_REGION", "us-east-1").env("AWS_ACCESS_KEY_ID", "t").env("AWS_SECRET_ACCESS_KEY", "t");
    // The endpoint is closed: the name must be refused before anything is sent.
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let out = run(cmd, &["sandbox", "--once", "--app", assembly.to_str().unwrap()], None).failed();
    assert!(out.stderr.contains("is 131 characters long") && out.stderr.contains("at most 128"), "{}", out.stderr);
}

#[test]
fn synth_runs_a_program_with_the_app_protocol() {
    let (tmp, dir) = project("todoapp");
    let out_dir = tmp.path().join("out");
    // A stand-in backend program: writes the smallest assembly and echoes its context.
    let script = r#"mkdir -p "$CDK_OUTDIR" && printf '%s' "$CDK_CONTEXT_JSON" > "$CDK_OUTDIR/context.json" &&
        printf '{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}' > "$CDK_OUTDIR/manifest.json" &&
        printf '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}' > "$CDK_OUTDIR/S.template.json""#;
    let out = run(
        ampx_command(&dir),
        &["synth", "--app", script, "--out-dir", out_dir.to_str().unwrap(), "--identifier", "dev"],
        None,
    )
    .ok();
    assert!(out.stdout.contains("Synthesized 1 stack (1 resources, 0 file assets)"), "{}", out.stdout);
    let context: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("context.json")).unwrap()).unwrap();
    assert_eq!(
        context,
        serde_json::json!({"amplify-backend-namespace": "todoapp", "amplify-backend-name": "dev", "amplify-backend-type": "sandbox"})
    );
}
