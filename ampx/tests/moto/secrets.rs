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
}
