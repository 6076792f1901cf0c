//! The errors a user meets before any AWS call succeeds: no region, no
//! credentials, names that cannot be used. No server is needed.

use crate::common;

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
    assert!(out.stderr.contains("pass --profile NAME (or set AWS_PROFILE), or run `aws configure`"), "{}", out.stderr);
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

/// `ampx` with keys and a region, as a user has them.
fn with_keys(cmd: &mut std::process::Command) {
    cmd.env("AWS_REGION", "us-east-1").env("AWS_ACCESS_KEY_ID", "t").env("AWS_SECRET_ACCESS_KEY", "t");
}

/// Issue 11, 3: nothing listening on the endpoint: a few quick, visible
/// attempts, then one sentence naming the endpoint and what chose it; the SDK's
/// account only with -v.
#[test]
fn an_unreachable_endpoint_fails_fast_and_says_which() {
    let (_tmp, dir) = project("todoapp");
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    for (how, verbose) in [("AWS_ENDPOINT_URL", false), ("--endpoint-url", true)] {
        let mut cmd = ampx_command(&dir);
        with_keys(&mut cmd);
        // The default retry policy, not the tests' single attempt.
        cmd.env_remove("AWS_MAX_ATTEMPTS");
        let mut args = vec![];
        if how == "AWS_ENDPOINT_URL" {
            cmd.env("AWS_ENDPOINT_URL", &url);
        } else {
            args.extend(["--endpoint-url", url.as_str()]);
        }
        if verbose {
            args.push("-v");
        }
        args.extend(["sandbox", "secret", "list", "--identifier", "dev"]);
        let started = std::time::Instant::now();
        let out = run(cmd, &args, None).failed();
        assert!(started.elapsed() < std::time::Duration::from_secs(15), "{:?}: {}", started.elapsed(), out.stderr);
        let sentence = format!("error: cannot reach {url} (set by {how}) for SSM.GetParametersByPath");
        assert!(out.stderr.contains(&sentence), "{}", out.stderr);
        assert!(out.stderr.contains("--endpoint-url or AWS_ENDPOINT_URL choose another endpoint"), "{}", out.stderr);
        assert_eq!(out.stderr.matches("; retrying (").count(), 2, "the attempts show: {}", out.stderr);
        assert_eq!(out.stderr.contains("DispatchFailure"), verbose, "the SDK's account only with -v: {}", out.stderr);
    }
}

/// Issue 11, 3: no credentials: the sources tried, no SDK dump.
#[test]
fn no_credentials_lists_the_sources_tried() {
    let out = secret_list_fails(&[("AWS_REGION", "us-east-1")]);
    assert!(
        out.stderr.contains(
            "no AWS credentials found (tried AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the profile 'default'"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("the EC2 instance metadata service)"), "{}", out.stderr);
    assert!(!out.stderr.contains("detail") && !out.stderr.contains("ProviderError"), "{}", out.stderr);
}

/// Issue 11, 3: an unknown --profile is an error, also when access keys are set,
/// and a known profile without keys says what to do with that profile.
#[test]
fn an_unknown_profile_is_named_even_with_access_keys_set() {
    let (tmp, dir) = project("todoapp");
    let config = tmp.path().join("config");
    std::fs::write(&config, "[profile work]\nregion = us-east-1\n").unwrap();
    for keys in [true, false] {
        let mut cmd = ampx_command(&dir);
        cmd.env("AWS_CONFIG_FILE", &config).env("AWS_REGION", "us-east-1");
        if keys {
            cmd.env("AWS_ACCESS_KEY_ID", "t").env("AWS_SECRET_ACCESS_KEY", "t");
        }
        let out = run(cmd, &["--profile", "nosuch", "sandbox", "secret", "list"], None).failed();
        assert!(out.stderr.contains("there is no AWS profile 'nosuch' in"), "{}", out.stderr);
        assert!(out.stderr.contains("(profiles there: work)"), "{}", out.stderr);
        assert!(!out.stderr.contains("pass --profile"), "{}", out.stderr);
    }
    let mut cmd = ampx_command(&dir);
    cmd.env("AWS_CONFIG_FILE", &config).env("AWS_ACCESS_KEY_ID", "t").env("AWS_SECRET_ACCESS_KEY", "t");
    let out = run(cmd, &["--profile", "work", "sandbox", "secret", "list"], None).failed();
    assert!(out.stderr.contains("no AWS credentials found (tried the profile 'work' in"), "{}", out.stderr);
    assert!(out.stderr.contains("`aws configure --profile work`"), "{}", out.stderr);
}
