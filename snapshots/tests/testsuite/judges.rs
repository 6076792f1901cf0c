//! The outside judges: cfn-lint finds no errors and no warnings in any template of any example, and
//! the real CDK CLI reads every assembly.

use crate::support;

use std::process::Command;

#[test]
fn cfn_lint_reports_no_errors_or_warnings_on_any_template() {
    let cfn_lint = support::tool("CFN_LINT", ".tools/cfn-lint/bin/cfn-lint");
    let mut checked = 0;
    for example in support::examples() {
        let dir = tempfile::tempdir().unwrap();
        let assembly = support::synth_into(&example, dir.path());
        let files: Vec<_> = assembly.stacks.iter().map(|s| dir.path().join(&s.template_file)).collect();
        let out =
            Command::new(&cfn_lint).args(["--format", "json", "--"]).args(&files).output().expect("cfn-lint runs");
        let findings: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("cfn-lint output is not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        let errors: Vec<String> = findings
            .as_array()
            .expect("a list of findings")
            .iter()
            .filter(|f| f["Level"] == "Error" || f["Level"] == "Warning")
            .map(|f| format!("{} {} {}", f["Rule"]["Id"], f["Filename"], f["Message"]))
            .collect();
        assert!(errors.is_empty(), "{}: cfn-lint errors and warnings:\n{}", example.name, errors.join("\n"));
        checked += files.len();
    }
    assert!(checked > 0);
}

#[test]
fn the_cdk_cli_lists_and_synthesizes_every_assembly() {
    for example in support::examples() {
        let dir = tempfile::tempdir().unwrap();
        let assembly = support::synth_into(&example, dir.path());
        let app = dir.path().to_str().unwrap();
        let ls = support::cdk(&["ls", "--app", app]);
        assert!(ls.status.success(), "cdk ls failed: {}", String::from_utf8_lossy(&ls.stderr));
        let listed = String::from_utf8_lossy(&ls.stdout);
        for stack in assembly.stacks.iter().filter(|s| !s.nested) {
            assert!(
                listed.lines().any(|l| l.trim() == stack.construct_path),
                "{} not in:\n{listed}",
                stack.construct_path
            );
        }
        let synth = support::cdk(&["synth", "--app", app, "--quiet"]);
        assert!(synth.status.success(), "cdk synth failed: {}", String::from_utf8_lossy(&synth.stderr));
    }
}
