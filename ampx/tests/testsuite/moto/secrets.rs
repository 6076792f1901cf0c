//! `ampx sandbox secret`: SSM SecureString parameters, values never shown.

use super::*;
#[tokio::test]
async fn secrets_round_trip_without_showing_the_value() {
    let moto = Moto::start();
    let (_tmp, dir) = project("todoapp");
    let value = "s3cr3t-Value-9f8e7d";
    let id = BackendIdentifier::sandbox("todoapp", "dev");

    // Typed on a terminal: asked for, never echoed, not even with -v.
    let typed = moto.ampx_on_terminal(
        &dir,
        &["-v", "sandbox", "secret", "set", "API_KEY", "--identifier", "dev"],
        "Value of API_KEY: ",
        "typed-Value-1a2b3c",
    );
    let typed = typed.ok();
    assert!(typed.stdout.contains("Set secret API_KEY of sandbox dev"), "{}", typed.stdout);
    assert!(!typed.stdout.contains("typed-Value-1a2b3c"), "the terminal showed the value: {}", typed.stdout);
    let stored =
        moto.ssm().await.get_parameter().name(id.secret_path("API_KEY")).with_decryption(true).send().await.unwrap();
    assert_eq!(stored.parameter().and_then(|p| p.value()), Some("typed-Value-1a2b3c"));

    let set = moto
        .ampx_with_input(
            &dir,
            &["sandbox", "secret", "set", "API_KEY", "--identifier", "dev"],
            Some(&format!("{value}\n")),
        )
        .ok();
    assert!(!set.all().contains(value), "{}", set.all());
    let stored =
        moto.ssm().await.get_parameter().name(id.secret_path("API_KEY")).with_decryption(true).send().await.unwrap();
    let parameter = stored.parameter().unwrap();
    assert_eq!(parameter.value(), Some(value));
    assert_eq!(parameter.r#type().map(|t| t.as_str()), Some("SecureString"));

    let list = moto.ampx(&dir, &["sandbox", "secret", "list", "--identifier", "dev"]).ok();
    assert_eq!(list.stdout.trim(), "API_KEY");
    assert!(!list.all().contains(value));

    let get = moto.ampx(&dir, &["sandbox", "secret", "get", "API_KEY", "--identifier", "dev"]).ok();
    assert_eq!(get.stdout.trim_end(), value, "get prints the value, and only on stdout");
    assert!(!get.stderr.contains(value));

    let remove = moto.ampx(&dir, &["sandbox", "secret", "remove", "API_KEY", "--identifier", "dev"]).ok();
    assert!(!remove.all().contains(value));
    assert_eq!(moto.ampx(&dir, &["sandbox", "secret", "list", "--identifier", "dev"]).ok().stdout.trim(), "");
    let missing = moto.ampx(&dir, &["sandbox", "secret", "get", "API_KEY", "--identifier", "dev"]).failed();
    assert!(missing.stderr.contains("secret API_KEY is not set"), "{}", missing.stderr);
    // Issue 11, 5: the hint names this sandbox, so following it sets this one's secret.
    assert!(
        missing.stderr.contains("set it with `ampx sandbox secret set API_KEY --identifier dev`"),
        "{}",
        missing.stderr
    );
}

#[tokio::test]
async fn a_changed_secret_changes_the_synthesis_context() {
    let (moto, tmp, dir, stack) = sandbox_setup().await;
    let assembly = common::backend::synth(tmp.path(), "v1", &common::backend::Options::new(&stack));
    // The "program" records the context it was given, then hands over a ready assembly.
    let seen = tmp.path().join("context.json");
    let program = format!(
        "printf '%s' \"$CDK_CONTEXT_JSON\" > '{}' && cp -R '{}'/. \"$CDK_OUTDIR\"",
        seen.display(),
        assembly.display()
    );
    let sandbox = ["sandbox", "--once", "--identifier", "dev", "--app", program.as_str()];
    let context = || -> Json { serde_json::from_str(&std::fs::read_to_string(&seen).unwrap()).unwrap() };

    moto.ampx(&dir, &sandbox).ok();
    assert_eq!(context()["amplify-backend-name"], "dev");
    assert!(context().get("secretLastUpdated").is_none(), "no secrets yet: {}", context());

    moto.ampx_with_input(&dir, &["sandbox", "secret", "set", "CLIENT_SECRET", "--identifier", "dev"], Some("v1\n"))
        .ok();
    moto.ampx(&dir, &sandbox).ok();
    let first = context()["secretLastUpdated"].as_str().expect("set after a secret exists").to_string();
    assert!(first.parse::<i64>().is_ok_and(|t| t > 1_600_000_000), "seconds since the epoch: {first}");

    // A new value (dates are in whole seconds) gives a new context, so a new template.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    moto.ampx_with_input(&dir, &["sandbox", "secret", "set", "CLIENT_SECRET", "--identifier", "dev"], Some("v2\n"))
        .ok();
    moto.ampx(&dir, &sandbox).ok();
    let second = context()["secretLastUpdated"].as_str().unwrap().to_string();
    assert!(second > first, "{first} then {second}");
}

#[tokio::test]
async fn remove_all_removes_every_secret_of_the_sandbox_and_no_other() {
    let moto = Moto::start();
    let (_tmp, dir) = project("todoapp");
    for (name, sandbox) in [("API_KEY", "dev"), ("STRIPE_KEY", "dev"), ("OTHER_KEY", "other")] {
        moto.ampx_with_input(&dir, &["sandbox", "secret", "set", name, "--identifier", sandbox], Some("v\n")).ok();
    }
    let removed = moto.ampx(&dir, &["sandbox", "secret", "remove", "--all", "--identifier", "dev"]).ok();
    assert!(removed.stderr.contains("Removed 2 secret(s) of sandbox dev: API_KEY, STRIPE_KEY"), "{}", removed.stderr);
    assert_eq!(moto.ampx(&dir, &["sandbox", "secret", "list", "--identifier", "dev"]).ok().stdout.trim(), "");
    assert_eq!(
        moto.ampx(&dir, &["sandbox", "secret", "list", "--identifier", "other"]).ok().stdout.trim(),
        "OTHER_KEY"
    );
    // A name and --all together are refused, and so is neither.
    let both = moto.ampx(&dir, &["sandbox", "secret", "remove", "API_KEY", "--all"]).failed();
    assert!(both.stderr.contains("cannot be used with"), "{}", both.stderr);
    let neither = moto.ampx(&dir, &["sandbox", "secret", "remove"]).failed();
    assert!(neither.stderr.contains("required"), "{}", neither.stderr);
}
