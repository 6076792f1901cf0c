//! The example program follows the CDK app protocol: it writes to `CDK_OUTDIR`,
//! reads `CDK_CONTEXT_JSON`, and the real CDK CLI can run it.

use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hello-constructs");

#[test]
fn it_writes_the_assembly_to_cdk_outdir_and_reports_bad_context() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN).env("CDK_OUTDIR", dir.path()).env("CDK_CONTEXT_JSON", "{\"k\": 1}").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("Synthesized 2 stacks (6 resources)"), "{summary}");
    assert!(dir.path().join("manifest.json").exists());
    assert!(dir.path().join("HelloStack.template.json").exists());

    let bad = Command::new(BIN).env("CDK_OUTDIR", dir.path()).env("CDK_CONTEXT_JSON", "not json").output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("CDK_CONTEXT_JSON is not a JSON object"));
}

#[test]
fn the_cdk_cli_runs_the_program() {
    let cdk = std::env::var_os("CDK_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools/node/node_modules/.bin/cdk"));
    assert!(cdk.exists(), "the CDK CLI is missing at {}; run scripts/install-tools", cdk.display());
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(cdk)
        .args(["synth", "--app", BIN, "--output"])
        .arg(dir.path())
        .args(["--no-notices", "--quiet"])
        .env("CDK_DISABLE_VERSION_CHECK", "1")
        .env("CDK_DISABLE_CLI_TELEMETRY", "true")
        .output()
        .unwrap();
    assert!(out.status.success(), "cdk synth failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("HelloStackEvents42A8F682.nested.template.json").exists());
}
