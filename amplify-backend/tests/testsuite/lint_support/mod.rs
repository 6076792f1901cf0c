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

/// What AWS's AppSync linter (`@aws-appsync/eslint-plugin`, its `recommended`
/// rules with TypeScript's types over `@aws-appsync/utils`) reports for these
/// APPSYNC_JS codes, one line each; `(name, code)` pairs, names unique.
pub fn appsync_lint_findings(codes: &[(String, String)]) -> Vec<String> {
    let modules = std::env::var_os("TOOLS_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/node/node_modules")));
    assert!(
        modules.join("@aws-appsync/eslint-plugin").exists(),
        "@aws-appsync/eslint-plugin is missing from {}: run scripts/install-tools",
        modules.display()
    );
    let work = tempfile::tempdir().expect("a scratch directory");
    let code_dir = work.path().join("code");
    std::fs::create_dir(&code_dir).expect("code directory");
    for (name, code) in codes {
        std::fs::write(code_dir.join(format!("{name}.js")), code).expect("write code");
    }
    std::os::unix::fs::symlink(&modules, work.path().join("node_modules")).expect("link node_modules");
    std::fs::write(
        work.path().join("tsconfig.json"),
        r#"{ "compilerOptions": { "allowJs": true, "checkJs": false, "noEmit": true, "target": "es2022",
             "module": "esnext", "moduleResolution": "bundler", "skipLibCheck": true }, "include": ["code/*.js"] }"#,
    )
    .expect("tsconfig");
    std::fs::write(
        work.path().join("eslint.config.mjs"),
        "import appsync from '@aws-appsync/eslint-plugin';\n\
         export default [{ files: ['code/*.js'], ...appsync.configs.recommended,\n  \
         languageOptions: { ...appsync.configs.recommended.languageOptions,\n    \
         parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } } }];\n",
    )
    .expect("eslint config");
    let out = Command::new("node")
        .arg(modules.join("eslint/bin/eslint.js"))
        .args(["--format", "json", "--no-warn-ignored", "code"])
        .current_dir(work.path())
        .output()
        .expect("node runs eslint");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("eslint printed no JSON ({e}):\n{}", String::from_utf8_lossy(&out.stderr)));
    let files = report.as_array().expect("one entry per file");
    assert_eq!(files.len(), codes.len(), "eslint checked every file");
    files
        .iter()
        .flat_map(|f| {
            let file = f["filePath"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string();
            f["messages"].as_array().cloned().unwrap_or_default().into_iter().map(move |m| {
                format!("{file}:{}: {} {}", m["line"], m["ruleId"].as_str().unwrap_or("(parse error)"), m["message"])
            })
        })
        .collect()
}
