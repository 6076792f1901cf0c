//! `ampx sandbox seed generate-policy` against the chat example deployed to
//! moto, judged by Amplify's own CLI run on the same sandbox: the same policy.

use super::amplify_cli::{amplify, synth_chat};
use super::*;

#[tokio::test]
async fn the_seed_policy_is_amplifys_for_the_same_sandbox() {
    let moto = Moto::start_for_amplify();
    moto.bootstrap().await;
    let (tmp, dir) = project("chatapp");
    // Amplify names the sandbox's namespace after package.json's name.
    std::fs::write(dir.join("package.json"), r#"{"name": "chatapp"}"#).unwrap();
    // Amplify's command insists on a seed program even for the policy.
    std::fs::create_dir_all(dir.join("amplify/seed")).unwrap();
    std::fs::write(dir.join("amplify/seed/seed.ts"), "").unwrap();
    let assembly = tmp.path().join("cdk.out");
    synth_chat(&assembly);

    // Before deployment: no stack to read, and the command says how to make one.
    let early = moto.ampx(&dir, &["sandbox", "seed", "generate-policy", "--identifier", "dev"]);
    assert!(!early.success());
    assert!(early.stderr.contains("deploy it with `ampx sandbox --identifier dev`"), "{}", early.stderr);

    let args = ["sandbox", "--once", "--method", "direct", "--identifier", "dev", "--app", assembly.to_str().unwrap()];
    moto.ampx(&dir, &args).ok();
    let ours = moto.ampx(&dir, &["sandbox", "seed", "generate-policy", "--identifier", "dev"]).ok();
    let ours: Json = serde_json::from_str(&ours.stdout).unwrap_or_else(|e| panic!("{e}: {}", ours.stdout));

    let theirs = amplify(&moto, &dir, &["sandbox", "seed", "generate-policy", "--identifier", "dev"]);
    assert!(theirs.success(), "Amplify's generate-policy failed:\n{}", theirs.all());
    let theirs: Json = serde_json::from_str(&theirs.stdout).unwrap_or_else(|e| panic!("{e}: {}", theirs.stdout));
    assert_eq!(ours, theirs, "Amplify's seed policy differs from ours");

    // What it grants: the deployed user pool, and the sandbox's and the app's secrets.
    let pool = stack_output(&moto, &sandbox_stack("chatapp", "dev"), "userPoolId").await.unwrap();
    assert!(ours["Statement"][0]["Resource"].as_str().unwrap().ends_with(&format!(":userpool/{pool}")), "{ours}");
    let ssm = ours["Statement"][1]["Resource"].to_string();
    assert!(
        ssm.contains("parameter/amplify/chatapp/dev-sandbox-") && ssm.contains("parameter/amplify/shared/chatapp/")
    );
}
