//! cfn-lint for the template tests: the pinned install and its errors.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// cfn-lint, installed by `scripts/install-tools` (or `CFN_LINT`); a missing
/// install fails the test rather than skipping it.
pub fn cfn_lint() -> PathBuf {
    let path = std::env::var_os("CFN_LINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/cfn-lint/bin/cfn-lint")));
    assert!(path.exists(), "cfn-lint not found at {}; run scripts/install-tools (or set CFN_LINT)", path.display());
    path
}

/// Everything cfn-lint reports for these templates at the error and warning
/// levels (informational findings aside), one line each: level, rule, file, message.
pub fn cfn_lint_findings(templates: &[PathBuf]) -> Vec<String> {
    let out =
        Command::new(cfn_lint()).args(["--format", "json", "--"]).args(templates).output().expect("cfn-lint runs");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("cfn-lint output is not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    findings
        .as_array()
        .expect("a list of findings")
        .iter()
        .filter(|f| f["Level"] == "Error" || f["Level"] == "Warning")
        .map(|f| format!("{} {} {} {}", f["Level"], f["Rule"]["Id"], f["Filename"], f["Message"]))
        .collect()
}

/// The errors (not warnings) cfn-lint reports for these templates, one line each.
pub fn cfn_lint_errors(templates: &[PathBuf]) -> Vec<String> {
    cfn_lint_findings(templates).into_iter().filter(|f| f.starts_with("\"Error\"")).collect()
}
