//! The errors a user meets before any AWS call succeeds: no region, no
//! credentials, names that cannot be used. No server is needed.

mod common;

use common::{ampx_command, project, run};

/// `ampx sandbox secret list` with these variables (and no other AWS settings);
/// it must fail.
fn secret_list_fails(env: &[(&str, &str)]) -> common::Run {
    let (_tmp, dir) = project("todoapp");
    let mut cmd = ampx_command(&dir);
    cmd.envs(env.iter().copied());
    run(cmd, &["sandbox", "secret", "list"], None).failed()
}

#[test]
fn no_region_says_how_to_set_one() {
    let out = secret_list_fails(&[("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")]);
    assert!(out.stderr.contains("no AWS region: set AWS_REGION"), "{}", out.stderr);
}

#[test]
fn no_credentials_says_how_to_provide_them() {
    let out = secret_list_fails(&[("AWS_REGION", "us-east-1")]);
    assert!(out.stderr.contains("no AWS credentials found"), "{}", out.stderr);
    assert!(out.stderr.contains("AWS_PROFILE"), "{}", out.stderr);
}

#[test]
fn a_too_long_identifier_is_refused_before_any_call() {
    let (_tmp, dir) = project("todoapp");
    let long = "x".repeat(16);
    let out = run(ampx_command(&dir), &["sandbox", "delete", "--identifier", &long, "--yes"], None).failed();
    assert!(
        out.stderr.contains(&format!("--identifier '{long}' is invalid: it is too long (16 characters)")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("at most 15 letters, digits and hyphens"), "{}", out.stderr);
}

#[test]
fn a_user_name_that_cannot_name_a_sandbox_asks_for_an_identifier() {
    let out = secret_list_fails(&[("USER", "Jane Doe")]);
    assert!(out.stderr.contains("sandbox name (your user name) 'Jane Doe' is invalid"), "{}", out.stderr);
    assert!(out.stderr.contains("pass --identifier NAME"), "{}", out.stderr);
}

/// A closed endpoint: anything sent would fail differently.
fn offline(cmd: &mut std::process::Command) {
    cmd.env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "t")
        .env("AWS_SECRET_ACCESS_KEY", "t")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
}

#[test]
fn a_too_long_stack_name_to_read_outputs_from_is_refused() {
    let (_tmp, dir) = project("todoapp");
    let mut cmd = ampx_command(&dir);
    offline(&mut cmd);
    let out = run(cmd, &["generate", "outputs", "--stack", &format!("amplify-{}", "x".repeat(130))], None).failed();
    assert!(out.stderr.contains("is 138 characters long and CloudFormation allows at most 128"), "{}", out.stderr);
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
    offline(&mut cmd);
    let out = run(cmd, &["sandbox", "--once", "--app", assembly.to_str().unwrap()], None).failed();
    assert!(out.stderr.contains("is 131 characters long") && out.stderr.contains("at most 128"), "{}", out.stderr);
}
