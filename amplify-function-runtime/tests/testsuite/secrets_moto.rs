//! Secrets loaded from SSM (moto) as Amplify's loader loads them: the branch's
//! parameter first, the shared one otherwise, more than one call's worth, and
//! what is missing named with the command that sets it.

use crate::moto::Moto;

use amplify_function_runtime::{Error, Secrets};
use aws_sdk_ssm::types::ParameterType;
use serde_json::json;

fn entry(name: &str) -> serde_json::Value {
    json!({ "path": format!("/amplify/chatapp/dev-branch-abc/{name}"), "sharedPath": format!("/amplify/shared/chatapp/{name}") })
}

async fn put(ssm: &aws_sdk_ssm::Client, name: &str, value: &str) {
    ssm.put_parameter().name(name).value(value).r#type(ParameterType::SecureString).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_branch_parameter_wins_then_the_shared_one() {
    let moto = Moto::start();
    let ssm = moto.ssm();
    put(&ssm, "/amplify/chatapp/dev-branch-abc/API_KEY", "branch-key").await;
    put(&ssm, "/amplify/shared/chatapp/API_KEY", "shared-key").await;
    put(&ssm, "/amplify/shared/chatapp/WEBHOOK", "shared-hook").await;
    // Twelve more: two GetParameters calls.
    let mut config = json!({ "API_KEY": entry("API_KEY"), "WEBHOOK": entry("WEBHOOK"), "UNSET": entry("UNSET") });
    for i in 0..12 {
        let name = format!("S{i}");
        put(&ssm, &format!("/amplify/chatapp/dev-branch-abc/{name}"), &format!("v{i}")).await;
        config[&name] = entry(&name);
    }

    let secrets = Secrets::load_with(&ssm, &config.to_string()).await.unwrap();
    assert_eq!(secrets.get("API_KEY"), Some("branch-key"));
    assert_eq!(secrets.get("WEBHOOK"), Some("shared-hook"));
    assert_eq!(secrets.get("S11"), Some("v11"));
    assert_eq!(secrets.iter().count(), 14);
    assert_eq!(secrets.missing(), ["UNSET"]);
    let err = secrets.require("UNSET").unwrap_err();
    assert!(matches!(err, Error::Missing { .. }), "{err}");
    assert!(err.to_string().contains("ampx sandbox secret set UNSET"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn load_reads_the_functions_environment_as_lambda_gives_it() {
    let moto = Moto::start();
    put(&moto.ssm(), "/amplify/shared/chatapp/API_KEY", "from-ssm").await;
    // The only test that changes the environment; what Lambda (or `ampx dev`) sets.
    std::env::set_var("AMPLIFY_SSM_ENV_CONFIG", json!({ "API_KEY": entry("API_KEY") }).to_string());
    std::env::set_var("AWS_ENDPOINT_URL_SSM", &moto.endpoint);
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
    let secrets = Secrets::load().await.unwrap();
    assert_eq!(secrets.require("API_KEY").unwrap(), "from-ssm");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ssm_failure_is_an_error_not_an_empty_result() {
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = aws_sdk_ssm::Config::builder()
        .behavior_version(aws_sdk_ssm::config::BehaviorVersion::latest())
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .region(aws_sdk_ssm::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_ssm::config::Credentials::new("a", "b", None, None, "test"))
        .build();
    let ssm = aws_sdk_ssm::Client::from_conf(config);
    let err = Secrets::load_with(&ssm, &json!({ "API_KEY": entry("API_KEY") }).to_string()).await.unwrap_err();
    assert!(matches!(err, Error::Ssm { .. }), "{err}");
    assert!(err.to_string().contains("/amplify/chatapp/dev-branch-abc/API_KEY"), "{err}");
}
